"""Quotes an analyst would sign, on the shipped coded sample (data/coded/coded.parquet): the emails get quotes
of their own, and fragments, courtesies and praise for an event are not quoted as evidence while a theme
has anything else to quote (workbook and report alike)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tcs_themes.analysis.counts import NO_STRAND
from tcs_themes.analysis.quote_pool import quote_pool
from tcs_themes.analysis.quote_reading import is_event_praise, reads_badly
from tcs_themes.analysis.quotes import quote_candidates, quotes_by_scope
from tcs_themes.analysis.special_category import special_categories
from tcs_themes.codebook import load_codebook
from tcs_themes.outputs.workbook import write_workbook
from tcs_themes.tables import read_table, read_table_batches, write_table

CODED = Path(__file__).resolve().parents[1] / "data" / "coded" / "coded.parquet"
DANCE = "The dance workshop! Please do it again!!"


@pytest.fixture(scope="module")
def sample():
    coded, codebook = read_table(CODED), load_codebook()
    return coded, codebook, quotes_by_scope(coded, codebook)


@pytest.mark.parametrize(
    ("text", "bad"),
    [  # all from the sample
        (DANCE, True),
        ("great day, well organised, the bouncy castle was a hit", True),
        ("Staff are fantastic. Genuinely. They know every child by name.", True),
        ("lovely to have the council here, Eid Mubarak to you all!", True),
        ("a small annual grant for tools, insurance and plants;", True),
        ("Several of our members tried to take part in the City Conversation and could not. We would ask you to:", True),
        ("Thank you for the invite. We won't make the online session on the 30th - so here are our views instead.", True),
        ("I'm writing on behalf of the Old Brewery Arts Trust following the arts and culture network session on 24 August.", True),
        ("The short version: our energy bills are about to triple. We would ask the council to", True),
        # praise that makes a point, or praises the strategy, is evidence
        ("Climbing wall session was amazing, my daughter had never done anything like it. Where can she do it again that's not £15 a go?", False),
        ("Deaf resident (via BSL interpreter the centre arranged): great to have an interpreter today, that never happens. Should be standard at council events.", False),
        ("Good to see the strategy is framed around wellbeing and prevention - we're very much aligned on that.", False),
        ("no mention of money at all?? how is any of this paid for", False),
        ("needs a member champion. someone residents + partners can point to", False),
    ],
)
def test_what_reads_badly_as_a_quote(text: str, bad: bool) -> None:
    assert bool(reads_badly([text])[0]) is bad


def test_the_emails_have_quotes_of_their_own_in_the_workbook(sample, tmp_path) -> None:
    coded, codebook, quotes = sample
    emails = quotes[quotes["scope"] == NO_STRAND]
    assert len(emails) >= 30 and emails["strand"].isna().all()
    assert set(emails["comment_id"]) <= set(coded.loc[coded["strand"].isna(), "comment_id"])
    assert emails["theme_id"].nunique() >= 15
    assert not emails.duplicated(["theme_id", "quote_rank"]).any()
    book = load_workbook(write_workbook(tmp_path / "book.xlsx", coded, codebook, quotes=quotes), read_only=True)
    rows = list(book["Illustrative quotes"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    shown = [dict(zip(header, row, strict=True)) for row in body]
    assert sum(r["Scope"] == NO_STRAND for r in shown) == len(emails)
    assert not [r for r in shown if isinstance(r["Comment"], str) and r["Comment"].startswith(("=", "+", "@"))]


def test_no_quote_reads_badly_on_the_sample_and_the_dance_workshop_is_not_evidence(sample) -> None:
    coded, codebook, quotes = sample
    candidates = quote_candidates(coded)
    # a quote that reads badly stands in only where no readable candidate with its theme as main theme is left
    # in its scope (one not quoted already there): on the sample, Strand 3's positive feedback is event praise
    for row in quotes[reads_badly(quotes["text"])].itertuples():
        if row.scope == "All discussions":
            pool = candidates
        else:
            pool = candidates[candidates["strand"].isna()] if row.scope == NO_STRAND else candidates[candidates["strand"] == row.scope]
        pool = pool[pool["primary_theme"] == row.theme_id]
        quoted = set(quotes.loc[quotes["scope"] == row.scope, "comment_id"])
        readable = pool[~reads_badly(pool["text"]) & ~pool["comment_id"].isin(quoted)]
        assert readable.empty, (row.scope, row.theme_id)
    leisure = quotes[(quotes["scope"] == "Strand 3") & (quotes["theme_id"] == "leisure_physical_activity")]
    dance = candidates[candidates["text"] == DANCE]
    assert len(dance) == 1 and dance["strand"].iloc[0] == "Strand 3"  # a candidate on the theme, left out
    assert "leisure_physical_activity" in str(dance["themes"].iloc[0])
    assert len(leisure) == 3 and DANCE not in set(leisure["text"])


def test_event_praise_is_quoted_last_only_when_nothing_else_is_on_the_theme(sample) -> None:
    coded, codebook, _ = sample
    praise = coded[coded["text"].map(is_event_praise)]
    assert len(praise) >= 3
    alone = quotes_by_scope(praise, codebook)  # nothing else to quote: the praise is quoted
    assert set(praise["primary_theme"]) <= set(alone.loc[alone["scope"] == "All discussions", "theme_id"])
    theme = "leisure_physical_activity"
    others = coded[(coded["primary_theme"] == theme) & (coded["strand"] == "Strand 3")]
    mixed = quotes_by_scope(pd.concat([praise, others.head(1)]), codebook)
    on_theme = mixed[(mixed["theme_id"] == theme) & (mixed["scope"] == "Strand 3")]
    assert list(on_theme["comment_id"]) == [others["comment_id"].iloc[0]]


def test_a_pinned_comment_is_quoted_first_however_it_reads(sample) -> None:
    coded, codebook, _ = sample
    dance = str(coded.loc[coded["text"] == DANCE, "comment_id"].iloc[0])
    quotes = quotes_by_scope(coded, codebook, pinned=[dance])
    leisure = quotes[(quotes["scope"] == "Strand 3") & (quotes["theme_id"] == "leisure_physical_activity")]
    assert leisure["comment_id"].iloc[0] == dance


def test_a_cut_pool_gives_the_emails_quotes_and_keeps_the_analysts_choices(sample, tmp_path) -> None:
    coded, codebook, _ = sample
    sensitive = [bool(found) for found in special_categories(coded["text"].astype(str).tolist())]
    # the sample's special-category disclosures as if they had come by email
    moved = coded.assign(strand=coded["strand"].where(~pd.Series(sensitive, index=coded.index)))
    disclosures = set(coded.loc[sensitive, "comment_id"])
    path = write_table(moved, tmp_path / "coded.parquet")
    emails = moved[moved["strand"].isna()]
    courtesy = emails[reads_badly(emails["text"]) & emails["text"].str.startswith("Thank you for involving")]
    banned = quotes_by_scope(moved, codebook).query("scope == @NO_STRAND")["comment_id"].iloc[0]
    pinned = str(courtesy["comment_id"].iloc[0])
    options = {"pinned": [pinned], "banned": [banned]}
    pool = quote_pool(read_table_batches(path, batch_size=100), codebook.ids, per_group=8, uncut=0, **options)
    assert len(pool) < len(quote_candidates(moved)) * 0.8  # really cut
    quotes = quotes_by_scope(moved, codebook, candidates=pool, **options)
    scoped = quotes[quotes["scope"] == NO_STRAND]
    assert len(scoped) >= 30
    assert banned not in set(quotes["comment_id"]) and not disclosures & set(quotes["comment_id"])
    first = scoped[scoped["theme_id"] == courtesy["primary_theme"].iloc[0]]
    assert first["comment_id"].iloc[0] == pinned
    approved = sorted(disclosures)
    pool = quote_pool(read_table_batches(path, batch_size=100), codebook.ids, per_group=8, uncut=0, approved=approved, pinned=approved)
    quotes = quotes_by_scope(moved, codebook, candidates=pool, approved=approved, pinned=approved)
    assert disclosures & set(quotes.loc[quotes["scope"] == NO_STRAND, "comment_id"])
