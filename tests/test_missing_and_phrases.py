"""What is missing (by question and by cue words, grouped by theme) and the key phrases that describe it."""

import pandas as pd
from _outputs_fixtures import make_codebook, make_coded

from tcs_themes.analysis.key_phrases import distinctive_phrases
from tcs_themes.analysis.missing import missing_comments, missing_summary


def _table() -> tuple[pd.DataFrame, object]:
    codebook = make_codebook()
    coded = make_coded(codebook).reset_index(drop=True)
    coded["question"] = None
    first = coded.index[:3]
    coded.loc[first, "question"] = "What have we missed?"
    coded.loc[first, "primary_theme"] = "funding_costs"
    coded.loc[first, "text"] = [
        "A breakdown of what delivery will cost and how it is funded.",
        "Nothing on how delivery will cost out over five years; who pays?",
        "Needs a breakdown of what delivery will cost per ward.",
    ]
    coded.loc[3, "text"] = "There is no mention of the allotment waiting lists at all."
    coded.loc[3, "primary_theme"] = "green_spaces"
    coded.loc[4, "text"] = "Not enough about the allotment waiting lists for older people."
    coded.loc[4, "primary_theme"] = "green_spaces"
    return coded, codebook


def test_missing_comments_found_by_question_and_cue() -> None:
    coded, codebook = _table()
    found = missing_comments(coded, codebook).set_index("comment_id")
    ids = coded["comment_id"].astype(str)
    assert (found.loc[ids[:3], "found_by"] == "question").all()
    assert found.loc[ids[3], "found_by"] == "cue: no mention" and found.loc[ids[4], "found_by"] == "cue: not enough"
    others = found.index.difference(ids[:5])
    for comment_id in others:  # anything else found really says so
        assert found.loc[comment_id, "found_by"].startswith("cue: ")


def test_missing_summary_groups_by_theme_in_the_comments_words() -> None:
    coded, codebook = _table()
    summary = missing_summary(missing_comments(coded, codebook)).set_index("theme_id")
    assert summary.loc["funding_costs", "by_question"] == 3
    assert "delivery will cost" in summary.loc["funding_costs", "key_phrases"]
    assert "allotment waiting lists" in summary.loc["green_spaces", "key_phrases"]
    assert summary["comments"].sum() == len(missing_comments(coded, codebook))
    assert list(summary["comments"]) == sorted(summary["comments"], reverse=True) or "uncoded" in summary.index


def test_phrases_need_two_comments_and_skip_contained_ones() -> None:
    texts = ["Youth club funding please", "Youth club funding was cut", "A one-off remark about bins"]
    found = distinctive_phrases(texts, ["a", "a", "b"], top=3)
    assert found["a"][0] == "youth club funding" and "youth club" not in found["a"]
    assert found["b"] == []
    assert distinctive_phrases([], []) == {}


def test_phrases_do_not_depend_on_the_batches_comments_are_counted_in(monkeypatch) -> None:
    from tcs_themes.analysis import key_phrases

    coded, _ = _table()
    texts, groups = coded["text"].astype(str).tolist() * 3, coded["primary_theme"].astype(str).tolist() * 3
    whole = distinctive_phrases(texts, groups, top=5)
    monkeypatch.setattr(key_phrases, "_BATCH", 4)  # several batches, one cut inside a group's comments
    assert distinctive_phrases(texts, groups, top=5) == whole
    assert any(whole.values())
