"""Illustrative quotes: short, about the theme, varied, traceable, never with personal details."""

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded

from tcs_themes.analysis.counts import NO_STRAND
from tcs_themes.analysis.quotes import REDACTION_MARKER, is_publishable, quotes_by_scope, select_quotes
from tcs_themes.schema import split_list


@pytest.fixture(scope="module")
def data():
    codebook = make_codebook()
    return make_coded(codebook), codebook


def test_each_quote_is_a_real_comment_given_that_theme(data) -> None:
    coded, codebook = data
    quotes = select_quotes(coded, codebook)
    by_id = coded.set_index("comment_id")
    assert not quotes.empty
    for row in quotes.itertuples(index=False):
        assert by_id.loc[row.comment_id, "text"] == row.text
        assert row.theme_id in split_list(by_id.loc[row.comment_id, "themes"])


def test_no_quote_has_a_redaction_marker_or_personal_details(data) -> None:
    coded, codebook = data
    extra = coded.iloc[[0, 1, 2]].copy()
    extra["comment_id"] = ["cfff000000001", "cfff000000002", "cfff000000003"]
    extra["text"] = [
        "Residents should write to jo.bloggs@example.com about the jargon in it.",
        "Ring 01865 249811 if the plain English version is not clear enough.",
        "The jargon put people off at the meeting in OX4 2HX last week.",
    ]
    extra["redactions"] = 0
    quotes = select_quotes(pd.concat([coded, extra]), codebook, theme="clarity", n=10)
    assert not quotes["comment_id"].isin(extra["comment_id"]).any()
    assert not quotes["text"].str.contains(REDACTION_MARKER).any()
    all_quotes = quotes_by_scope(coded, codebook, n=5)
    marked = coded.loc[coded["text"].str.contains(REDACTION_MARKER), "comment_id"]
    assert len(marked) == 2
    assert not all_quotes["comment_id"].isin(marked).any()


def test_a_comment_with_placeholders_is_never_quoted_even_when_it_is_all_a_theme_has_or_is_pinned(data) -> None:
    # decided: no placeholder at all, not "at most two" (a placeholder points at a person, and its comment may hold
    # more of them than redaction found); the theme then goes without a quote
    coded, codebook = data
    extra = coded.iloc[[0, 1]].copy()
    extra["comment_id"] = ["cfff000000011", "cfff000000012"]
    extra["text"] = [
        "[NAME] told [NAME] at [ADDRESS] that the jargon put people off.",
        "I am writing as a resident of [ADDRESS] and chair of the tenants association. The jargon put people off.",
    ]
    extra["redactions"] = [3, 1]
    extra["themes"] = extra["primary_theme"] = "clarity"
    only = select_quotes(extra, codebook, theme="clarity", n=3, pinned=extra["comment_id"])
    assert only.empty
    both = select_quotes(pd.concat([coded, extra]), codebook, theme="clarity", n=10, pinned=extra["comment_id"])
    assert len(both) and not both["comment_id"].isin(extra["comment_id"]).any()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Parks need to be open to everyone.", True),
        ("Call [NAME] about it.", False),
        ("See www.example.org for more.", False),
        ("email me: a.b@c.org", False),
        ("P. said the paper ignores volunteers.", False),
        ("Cllr Smith wants more parks.", False),
        ("Dr. Patel runs the clinic.", False),
        ("More youth clubs, as in the 1990s.", True),
    ],
)
def test_is_publishable(text: str, ok: bool) -> None:
    assert is_publishable(text) is ok


def test_quotes_prefer_different_sessions(data) -> None:
    coded, codebook = data
    quotes = select_quotes(coded, codebook, theme="community_involvement", n=3)
    assert len(quotes) == 3
    assert quotes["session_name"].nunique() == 3


def test_quotes_respect_n_length_and_order(data) -> None:
    coded, codebook = data
    quotes = select_quotes(coded, codebook, n=2, max_words=12)
    assert quotes.groupby("theme_id").size().max() <= 2
    assert (quotes["words"] <= 12).all()
    assert list(dict.fromkeys(quotes["theme_id"])) == [t for t in codebook.ids if t in set(quotes["theme_id"])]
    assert quotes.groupby("theme_id")["quote_rank"].apply(list).map(lambda r: r == list(range(1, len(r) + 1))).all()


def test_quotes_are_not_near_duplicates(data) -> None:
    coded, codebook = data
    twin = coded[coded["text"].str.startswith("Community groups need small grants")].copy()
    twin["comment_id"] = "cfff000000009"
    twin["session_id"], twin["session_name"] = "S02", "Policy officers' network"
    quotes = select_quotes(pd.concat([coded, twin]), codebook, theme="funding_costs", n=4)
    assert quotes["text"].duplicated().sum() == 0


def test_strand_scope_only_quotes_that_strand(data) -> None:
    coded, codebook = data
    quotes = select_quotes(coded, codebook, strand="Strand 3")
    assert set(quotes["strand"]) == {"Strand 3"}
    assert set(quotes["scope"]) == {"Strand 3"}
    scoped = quotes_by_scope(coded, codebook)
    assert list(dict.fromkeys(scoped["scope"])) == ["All discussions", "Strand 1", "Strand 2", "Strand 3", NO_STRAND]
    emails = scoped[scoped["scope"] == NO_STRAND]  # the comments with no strand have a scope of their own
    assert emails["strand"].isna().all() and set(emails["source_kind"]) == {"email"}


def test_choice_is_deterministic_and_independent_of_row_order(data) -> None:
    coded, codebook = data
    first = select_quotes(coded, codebook)
    shuffled = select_quotes(coded.sample(frac=1.0, random_state=3), codebook)
    assert first["comment_id"].tolist() == shuffled["comment_id"].tolist()


def test_unknown_theme_is_a_key_error(data) -> None:
    coded, codebook = data
    with pytest.raises(KeyError):
        select_quotes(coded, codebook, theme="nope")
