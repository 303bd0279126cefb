"""The quote candidates of a coded table read in batches, kept to a bounded pool.

:func:`quote_pool` finds :func:`~tcs_themes.analysis.quotes.quote_candidates`
batch by batch. While there are at most ``uncut`` candidates it keeps them all,
so quotes and report are exactly what the whole table gives. Past that, it
keeps for each scope and theme only the ``per_group`` best candidates, with a
heap-like running top-K (candidates so far plus the new batch, cut again), so
the pool never holds more than a fixed number of comments whatever the size of
the consultation. Each group is ranked by what will later choose from it:

* ``mmr``, per scope (all discussions, each strand) and theme: the candidates on
  the theme (:func:`~tcs_themes.analysis.quotes.select_quotes`'s rule), by the
  relevance they have without the TF-IDF part (clarity and shortness; pinned
  comments first), ties by comment id;
* ``primary`` (per scope and main theme), ``any`` (per theme given) and ``sub``
  (per theme and the first sub-theme under it): the report's stand-in quotes,
  by their order there (the theme's score less 0.01 a word, then comment id).

Comments the analyst pinned are always kept. Banned comments and unapproved
special-category comments never become candidates, as before. Once cut, the
TF-IDF space and the theme centroids are those of the pool, not of every
candidate, so quotes can differ from the whole-table ones; the report's
stand-in quotes do not while it uses fewer than ``per_group`` of a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from tcs_themes.analysis.quotes import ALL_DISCUSSIONS, _clarity, _given_by_rule, _lists, _on_theme, _shortness, quote_candidates
from tcs_themes.schema import score_column, split_list

#: Candidates kept whole before the pool is cut (the sample consultation has about 1,000 comments).
POOL_UNCUT = 20_000
#: Candidates kept per group (scope and theme...) once the pool is cut.
POOL_PER_GROUP = 500


def _entries(candidates: pd.DataFrame, themes: Sequence[str], pinned: frozenset[str]) -> pd.DataFrame:
    """One row per (candidate, group it belongs to): ``row, group, key, cid``; a larger ``key`` is better."""
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    groups: list[str] = []
    index = candidates.index.to_numpy()
    ids = candidates["comment_id"].astype(str).to_numpy()
    strand = candidates["strand"].astype("string")
    has_strand = strand.notna().to_numpy()
    strand = strand.fillna("").to_numpy()
    words = candidates["words"].to_numpy(dtype=float)
    pins = np.isin(ids, list(pinned))
    themes_of, sources_of = _lists(candidates["themes"]), _lists(candidates["sources"])
    subthemes_of = [split_list(v) for v in candidates["subthemes"].astype(object).tolist()] if "subthemes" in candidates else None
    primary = candidates["primary_theme"].astype("string").fillna("").to_numpy()

    def add(kind: str, label: str, mask: np.ndarray, key: np.ndarray, per_strand: bool) -> None:
        """Enter the rows of ``mask`` in group ``kind``/``label`` over all discussions (and per strand)."""
        if mask.any():
            rows.append(index[mask])
            keys.append(key[mask])
            groups.extend([f"{kind}\x1f{label}\x1f{ALL_DISCUSSIONS}"] * int(mask.sum()))
        scoped = mask & has_strand
        if per_strand and scoped.any():
            rows.append(index[scoped])
            keys.append(key[scoped])
            groups.extend(f"{kind}\x1f{label}\x1f{name}" for name in strand[scoped])

    for theme_id in themes:
        by_rule = _given_by_rule(themes_of, sources_of, theme_id)
        on = _on_theme(candidates, themes_of, by_rule, theme_id)
        relevance = 0.4 * _clarity(candidates, themes_of, by_rule, theme_id) + 0.2 * _shortness(words) + 10.0 * pins
        add("mmr", theme_id, on, relevance, True)
        column = score_column(theme_id)
        fit = candidates[column].astype(float).fillna(0.0).to_numpy() if column in candidates.columns else np.zeros(len(words))
        best = fit - 0.01 * words
        add("primary", theme_id, primary == theme_id, best, True)
        add("any", theme_id, np.array([theme_id in t for t in themes_of], dtype=bool), best, False)
        if subthemes_of is not None:
            prefix = f"{theme_id}/"
            first = np.array([next((x[len(prefix):] for x in s if x.startswith(prefix)), "") for s in subthemes_of], dtype=object)
            for sub in sorted(set(first) - {""}):
                add("sub", f"{theme_id}/{sub}", first == sub, best, False)
    if not rows:
        return pd.DataFrame({"row": np.array([], dtype=np.int64), "group": [], "key": [], "cid": []})
    row = np.concatenate(rows)
    return pd.DataFrame({
        "row": row, "group": groups, "key": np.concatenate(keys),
        "cid": pd.Series(ids, index=index).loc[row].to_numpy(),
    })  # fmt: skip


def _top(entries: pd.DataFrame, per_group: int) -> pd.DataFrame:
    """The ``per_group`` best entries of each group (largest key, then smallest comment id)."""
    ordered = entries.sort_values(["group", "key", "cid"], ascending=[True, False, True], kind="stable")
    return ordered.groupby("group", sort=False).head(per_group)


def quote_pool(
    batches: Iterable[pd.DataFrame],
    themes: Sequence[str],
    *,
    approved: Iterable[str] = (),
    banned: Iterable[str] = (),
    pinned: Iterable[str] = (),
    drop: Iterable[str] = (),
    per_group: int = POOL_PER_GROUP,
    uncut: int = POOL_UNCUT,
) -> pd.DataFrame:
    """The quote candidates (:func:`~tcs_themes.analysis.quotes.quote_candidates`, default lengths) of a table given in batches.

    Parameters
    ----------
    batches : iterable of DataFrame
        The coded table's rows, in order, in batches (at least one batch:
        :func:`tcs_themes.tables.read_table_batches` gives an empty one for an empty table).
    themes : sequence of str
        The codebook's theme ids.
    approved, banned, pinned : iterable of str
        Comment ids, as for :func:`~tcs_themes.analysis.quotes.select_quotes`; pinned ones are always kept.
    drop : iterable of str
        Columns not kept (those only the workbook's comment sheets show).
    per_group, uncut : int
        Candidates kept per group once the pool is cut, and candidates kept whole before it is.

    Returns
    -------
    DataFrame
        The candidates kept, with the whole table's row numbers as index, in table order,
        with a ``words`` column. At most ``max(uncut, groups * per_group)`` rows, plus the pinned ones.
    """
    approved, banned, drop = tuple(approved), tuple(banned), list(drop)
    pins = frozenset(map(str, pinned))
    kept: list[pd.DataFrame] = []
    entries: pd.DataFrame | None = None  # the kept rows' groups, once the pool is cut
    size, start = 0, 0
    for batch in batches:
        batch = batch.set_axis(pd.RangeIndex(start, start + len(batch)))  # the whole table's row numbers
        start += len(batch)
        found = quote_candidates(batch, approved=approved, banned=banned).drop(columns=drop, errors="ignore")
        kept.append(found)
        size += len(found)
        if entries is None and size <= uncut:
            continue
        pool = pd.concat(kept) if len(kept) > 1 else kept[0]
        fresh = pool if entries is None else found
        found_entries = _entries(fresh, themes, pins)
        entries = _top(found_entries if entries is None else pd.concat([entries, found_entries]), per_group)
        keep = np.union1d(entries["row"].to_numpy(), pool.index[pool["comment_id"].astype(str).isin(pins)].to_numpy())
        kept = [pool.loc[keep]]
        size = len(kept[0])
    return pd.concat(kept) if len(kept) > 1 else kept[0]
