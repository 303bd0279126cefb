"""Analyst-coded files are read in every common shape, with clear errors for unknown themes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from coding_support import tiny_codebook
from openpyxl import Workbook

from tcs_themes.ingest.labels import read_labels
from tcs_themes.errors import LabelsError


def _coded_rows(labels) -> list[list[str]]:
    return [[c for c in labels.Y.columns if row[c]] for _, row in labels.Y.iterrows()]


def test_workbook_with_main_and_further_themes_below_a_title(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Partners 1"
    sheet.append(["City Conversation - notes"])
    sheet.append([])
    sheet.append(["Comment", "Main Theme ID", "Further theme ids"])
    sheet.append(["Too much jargon", "Clarity", "funding_costs; green spaces"])
    sheet.append(["Parks matter", "GREEN_SPACES", None])
    sheet.append([None, None, None])
    sheet.append(["Not coded yet", None, None])
    other = book.create_sheet("Partners 2")
    other.append(["comment", "main theme id"])
    other.append(["Who pays?", "funding and costs"])
    path = tmp_path / "coded.xlsx"
    book.save(path)

    labels = read_labels(path, tiny_codebook())

    assert labels.texts == ["Too much jargon", "Parks matter", "Who pays?"]
    assert _coded_rows(labels) == [["clarity", "green_spaces", "funding_costs"], ["green_spaces"], ["funding_costs"]]
    assert labels.primary == ["clarity", "green_spaces", "funding_costs"]
    assert labels.groups == ["coded/Partners 1", "coded/Partners 1", "coded/Partners 2"]
    assert labels.n_skipped == 1
    assert labels.sources[0] == f"{path} (sheet Partners 1) (row 4)"


def test_csv_with_a_delimited_list_and_uncoded(tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3"],
            "text": ["a", "b", "c"],
            "themes": ["clarity|community safety", "uncoded", "Funding and Costs, clarity"],
        }
    ).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook(), keep_unlabelled=True)

    assert _coded_rows(labels) == [["clarity", "community_safety"], [], ["clarity", "funding_costs"]]
    assert labels.comment_ids == ["c1", "c2", "c3"]


def test_one_indicator_column_per_theme_by_name(tmp_path: Path) -> None:
    path = tmp_path / "onehot.csv"
    pd.DataFrame(
        {
            "Feedback": ["x", "y"],
            "Clarity": [1, 0],
            "Green Spaces": ["yes", ""],
            "Community safety": [0, 1],
            "Respondent": ["r1", "r2"],
        }
    ).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook())

    assert _coded_rows(labels) == [["clarity", "green_spaces"], ["community_safety"]]
    assert list(labels.Y.columns) == tiny_codebook().ids
    assert labels.Y.dtypes.unique().tolist() == ["int8"]


def test_explicit_columns_and_subtheme_names_resolve_to_the_parent(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    pd.DataFrame({"What they said": ["q"], "Code given": ["Terminology"], "text": ["ignored"]}).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook(), text_column="what they said", theme_columns=["code given"])

    assert labels.texts == ["q"]
    assert _coded_rows(labels) == [["clarity"]]


def test_unknown_theme_names_the_row_and_close_matches_without_comment_text(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    pd.DataFrame({"text": ["secret comment words", "other"], "theme": ["clarity", "Grean spaces"]}).to_csv(
        path, index=False
    )

    with pytest.raises(LabelsError) as caught:
        read_labels(path, tiny_codebook())

    message = str(caught.value)
    assert "\n" not in message
    assert "row 3" in message and "'Grean spaces'" in message and "did you mean green_spaces" in message
    assert "secret" not in message


def test_no_text_or_no_theme_column_is_a_clear_error(tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    pd.DataFrame({"theme": ["clarity"], "id": [1]}).to_csv(no_text, index=False)
    no_theme = tmp_path / "no_theme.csv"
    pd.DataFrame({"text": ["a"], "id": [1]}).to_csv(no_theme, index=False)

    with pytest.raises(LabelsError, match="no text column found"):
        read_labels(no_text, tiny_codebook())
    with pytest.raises(LabelsError, match="no theme columns found"):
        read_labels(no_theme, tiny_codebook())
    with pytest.raises(LabelsError, match="no text column 'body'"):
        read_labels(no_theme, tiny_codebook(), text_column="body")


def test_every_unknown_theme_is_listed_once_in_one_line_or_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "typos.csv"
    pd.DataFrame(
        {
            "text": ["secret words one", "two", "three", "four", "", "six"],
            "themes": ["clarity", "Grean spaces", "Potholes; clarity", "potholes", "Grean spaces", None],
            "Parking": [0, 1, 0, 0, 0, 0],  # a 0/1 theme column beside a list: not read
        }
    ).to_csv(path, index=False)

    with pytest.raises(LabelsError) as caught:
        read_labels(path, tiny_codebook())
    message = str(caught.value)
    assert "\n" not in message and "secret" not in message and "Parking" not in message
    assert message.count("Grean spaces") == 1 and "'Grean spaces' (row 3; did you mean green_spaces?)" in message
    assert "'Potholes' (rows 4, 5)" in message and "2 themes are not in the codebook 'tiny'" in message
    assert "--ignore-unknown-themes" in message

    labels = read_labels(path, tiny_codebook(), ignore_unknown_themes=True)
    assert labels.texts == ["secret words one", "three"]
    assert _coded_rows(labels) == [["clarity"], ["clarity"]]
    assert labels.skipped == {"only themes not in the codebook": 2, "no text": 1, "no codes": 1}
    assert len(labels.warnings) == 1 and "ignored 2 themes" in labels.warnings[0]
    assert "2 rows coded only with them skipped" in labels.warnings[0]


def test_zero_one_columns_the_codebook_lacks_are_named_not_read_as_theme_0(tmp_path: Path) -> None:
    path = tmp_path / "onehot.csv"
    pd.DataFrame(
        {"comment": ["a", "b", "c"], "Clarity": [1, 0, 0], "Potholes": [0, 1, 0], "Respondent ID": [1, 1, 1]}
    ).to_csv(path, index=False)

    for columns in (None, ["Clarity", "Potholes"]):
        with pytest.raises(LabelsError) as caught:
            read_labels(path, tiny_codebook(), theme_columns=columns)
        message = str(caught.value)
        assert "1 theme is not in the codebook 'tiny': 0/1 column 'Potholes'" in message, message
        assert "'0'" not in message and "Respondent" not in message

    labels = read_labels(path, tiny_codebook(), theme_columns=["Clarity", "Potholes"], ignore_unknown_themes=True)
    assert labels.texts == ["a", "c"] and _coded_rows(labels) == [["clarity"], []]
    assert labels.skipped == {"only themes not in the codebook": 1}


def test_theme_names_in_any_language_and_script(tmp_path: Path) -> None:
    from tcs_themes.codebook import Codebook, Theme

    book = Codebook("de", (Theme("grunflachen", "Grünflächen"), Theme("theme_2", "公园"), Theme("verkehr", "Verkehr")))
    path = tmp_path / "de.csv"
    pd.DataFrame(
        {"Kommentar": ["Mehr Bäume", "Mehr Bänke", "Busse", "x"], "Thema": ["grünflächen", "公园", "VERKEHR; Grunflachen", ""]}
    ).to_csv(path, index=False)

    labels = read_labels(path, book, text_column="Kommentar", theme_columns=["Thema"])
    assert _coded_rows(labels) == [["grunflachen"], ["theme_2"], ["grunflachen", "verkehr"]]
    assert labels.skipped == {"no codes": 1}


def test_training_texts_are_redacted_so_a_model_never_learns_a_residents_details(tmp_path: Path) -> None:
    from tcs_themes.coding.model.classifier import ThemeClassifier

    path = tmp_path / "coded.csv"
    texts = [
        "My name is Priya Shah and the park needs funding, ring 07700 900123",
        "I am Priya Shah: the parks are lovely but who pays? priya.shah@example.org",
        "Too much jargon in the plan, email priya.shah@example.org",
        "Plain English please, Priya Shah, 07700 900123",
    ]
    pd.DataFrame({"text": texts, "themes": ["green_spaces", "green_spaces", "clarity", "clarity"],
                  "question": ["Call Priya Shah on 07700 900123"] * 4}).to_csv(path, index=False)  # fmt: skip

    labels = read_labels(path, tiny_codebook(), context_columns=("question",))

    joined = " ".join(labels.texts + labels.context["question"]).lower()
    assert "priya" not in joined and "shah" not in joined and "07700" not in joined and "example.org" not in joined
    assert "[NAME]" in labels.texts[0] and "[PHONE]" in labels.texts[0] and "[EMAIL]" in labels.texts[2]
    model = ThemeClassifier(char_ngrams=None, min_df=1).fit(labels.texts, labels.Y)
    vocabulary = " ".join(model.word_vectorizer_.vocabulary_)
    assert "priya" not in vocabulary and "shah" not in vocabulary and "07700" not in vocabulary
