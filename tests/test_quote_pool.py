"""The quote pool of `run`: candidates found batch by batch, kept to at most so many per scope and theme."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tcs_themes.analysis.quote_pool import _entries, quote_pool
from tcs_themes.analysis.quotes import quote_candidates, quotes_by_scope
from tcs_themes.analysis.special_category import special_categories
from tcs_themes.codebook import load_codebook
from tcs_themes.tables import read_table, read_table_batches

CODED = Path(__file__).resolve().parents[1] / "data" / "coded" / "coded.parquet"


def test_a_pool_that_is_not_cut_is_every_candidate_and_gives_the_same_quotes() -> None:
    codebook, coded = load_codebook(), read_table(CODED)
    whole = quote_candidates(coded)
    pool = quote_pool(read_table_batches(CODED, batch_size=100), codebook.ids)
    pd.testing.assert_frame_equal(pool, whole)
    pd.testing.assert_frame_equal(
        quotes_by_scope(coded, codebook, candidates=pool), quotes_by_scope(coded, codebook, candidates=whole)
    )


def test_a_cut_pool_keeps_the_best_k_of_every_scope_and_theme_as_the_whole_table_would() -> None:
    codebook, coded = load_codebook(), read_table(CODED)
    whole = quote_candidates(coded)
    k = 8
    every = _entries(whole, codebook.ids, frozenset(), {})
    pinned = str(every.cid[every.key.argmin()])  # the worst of a group: cut unless pinned
    pool = quote_pool(read_table_batches(CODED, batch_size=100), codebook.ids, pinned=[pinned], per_group=k, uncut=0)
    groups = len(set(every.group))
    assert len(pool) <= groups * k + 1  # at most k per group, and the pinned comment
    assert len(pool) < len(whole) * 0.8, (len(pool), len(whole))  # really cut
    expected = _entries(whole, codebook.ids, frozenset([pinned]), {}).top(k)
    assert set(expected.row) | {int(whole.index[whole["comment_id"] == pinned][0])} == set(pool.index)
    assert pinned in set(pool["comment_id"])
    assert pool.index.is_monotonic_increasing
    pd.testing.assert_frame_equal(pool, whole.loc[pool.index])


def test_a_cut_pool_keeps_out_banned_and_unapproved_special_category_comments() -> None:
    codebook, coded = load_codebook(), read_table(CODED)
    sensitive = coded[[bool(found) for found in special_categories(coded["text"].astype(str).tolist())]]
    banned = str(quote_candidates(coded)["comment_id"].iloc[0])
    pool = quote_pool(read_table_batches(CODED, batch_size=100), codebook.ids, banned=[banned], per_group=8, uncut=0)
    assert banned not in set(pool["comment_id"])
    assert not set(sensitive["comment_id"]) & set(pool["comment_id"])
    approved = quote_pool(
        read_table_batches(CODED, batch_size=100), codebook.ids, approved=sensitive["comment_id"], pinned=sensitive["comment_id"], per_group=8, uncut=0
    )
    publishable = set(quote_candidates(coded, approved=sensitive["comment_id"])["comment_id"]) & set(sensitive["comment_id"])
    assert publishable and publishable <= set(approved["comment_id"])  # approved and pinned: kept whatever their rank
