"""The quote candidates of a coded table read in batches, kept to a bounded pool.

:func:`quote_pool` finds :func:`~tcs_themes.analysis.quotes.quote_candidates`
batch by batch. While there are at most ``uncut`` candidates it keeps them all,
so quotes and report are exactly what the whole table gives. Past that, it
keeps for each scope and theme only the ``per_group`` best candidates, with a
heap-like running top-K (candidates so far plus the new batch, cut again), so
the pool never holds more than a fixed number of comments whatever the size of
the consultation. Each group is ranked by what will later choose from it:

* ``mmr``, per scope (all discussions, each strand, the comments with no strand)
  and theme: the candidates on the theme
  (:func:`~tcs_themes.analysis.quotes.select_quotes`'s rule), by the relevance
  they have without the TF-IDF part (clarity and shortness; pinned comments
  first, comments that read badly as quotes last:
  :func:`~tcs_themes.analysis.quote_reading.reads_badly`), ties by comment id;
* ``primary`` (per scope and main theme), ``any`` (per theme given) and ``sub``
  (per theme and the first sub-theme under it): the report's stand-in quotes,
  by their order there (:func:`~tcs_themes.analysis.quotes.stand_in_key`: those that
  read badly last, then the theme's score less 0.01 a word; then comment id).

Comments the analyst pinned are always kept. Banned comments and unapproved
special-category comments never become candidates, as before. Once cut, the
TF-IDF space and the theme centroids are those of the pool, not of every
candidate, so quotes can differ from the whole-table ones; the report's
stand-in quotes do not while it uses fewer than ``per_group`` of a group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcs_themes.analysis.counts import group_labels
from tcs_themes.analysis.quote_reading import reads_badly
from tcs_themes.analysis.quotes import ALL_DISCUSSIONS, _clarity, _given_by_rule, _lists, _on_theme, _shortness, quote_candidates, stand_in_key
from tcs_themes.schema import first_subtheme

#: Candidates kept whole before the pool is cut (the sample consultation has about 1,000 comments).
POOL_UNCUT = 20_000
#: Candidates kept per group (scope and theme...) once the pool is cut.
POOL_PER_GROUP = 200


@dataclass
class _Entries:
    """One entry per (candidate, group it belongs to): its row, group number, key (larger is better) and comment id."""

    row: np.ndarray
    group: np.ndarray
    key: np.ndarray
    cid: np.ndarray

    @classmethod
    def concat(cls, parts: Sequence[_Entries]) -> _Entries:
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("row", "group", "key", "cid")))

    def top(self, per_group: int) -> _Entries:
        """The ``per_group`` best entries of each group (largest key, then smallest comment id)."""
        order = np.lexsort((self.cid, -self.key, self.group))
        group = self.group[order]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        keep = order[rank < per_group]
        return _Entries(self.row[keep], self.group[keep], self.key[keep], self.cid[keep])


def _entries(candidates: pd.DataFrame, themes: Sequence[str], pinned: frozenset[str], names: dict[str, int]) -> _Entries:
    """The groups of ``candidates`` (see the module's docstring); ``names`` numbers the groups, new ones added."""
    rows: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    groups: list[np.ndarray] = []
    index = candidates.index.to_numpy()
    ids = candidates["comment_id"].astype(str).to_numpy()
    strand = group_labels(candidates, "strand").to_numpy()  # "No strand (emails)" for the comments with none
    words = candidates["words"].to_numpy(dtype=float)
    pins = np.isin(ids, list(pinned))
    weak = reads_badly(candidates["text"])
    themes_of, sources_of = _lists(candidates["themes"]), _lists(candidates["sources"])
    primary = candidates["primary_theme"].astype("string").fillna("").to_numpy()

    def number(name: str) -> int:
        return names.setdefault(name, len(names))

    def add(kind: str, label: str, mask: np.ndarray, key: np.ndarray, per_strand: bool) -> None:
        """Enter the rows of ``mask`` in group ``kind``/``label`` over all discussions (and per strand)."""
        if mask.any():
            rows.append(index[mask])
            keys.append(key[mask])
            groups.append(np.full(int(mask.sum()), number(f"{kind}\x1f{label}\x1f{ALL_DISCUSSIONS}")))
        if per_strand and mask.any():
            rows.append(index[mask])
            keys.append(key[mask])
            groups.append(np.array([number(f"{kind}\x1f{label}\x1f{name}") for name in strand[mask]]))

    for theme_id in themes:
        by_rule = _given_by_rule(themes_of, sources_of, theme_id)
        on = _on_theme(candidates, themes_of, by_rule, theme_id)
        relevance = 0.4 * _clarity(candidates, themes_of, by_rule, theme_id) + 0.2 * _shortness(words) + 10.0 * pins - 5.0 * weak
        add("mmr", theme_id, on, relevance, True)
        best = stand_in_key(candidates, theme_id, weak)
        add("primary", theme_id, primary == theme_id, best, True)
        add("any", theme_id, np.array([theme_id in t for t in themes_of], dtype=bool), best, False)
        if "subthemes" in candidates:
            first = first_subtheme(candidates["subthemes"], theme_id).fillna("").to_numpy(dtype=object)
            for sub in sorted(set(first) - {""}):
                add("sub", f"{theme_id}/{sub}", first == sub, best, False)
    if not rows:
        return _Entries(np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([]), np.array([], dtype=str))
    row = np.concatenate(rows)
    return _Entries(row, np.concatenate(groups), np.concatenate(keys), pd.Series(ids, index=index).loc[row].to_numpy(dtype=str))


class QuotePool:
    """The quote candidates (:func:`~tcs_themes.analysis.quotes.quote_candidates`, default lengths) of a table given a batch at a time.

    Feed the coded table's rows in order with :meth:`add`; :attr:`candidates` holds the pool.

    Parameters
    ----------
    themes : sequence of str
        The codebook's theme ids.
    approved, banned, pinned : iterable of str
        Comment ids, as for :func:`~tcs_themes.analysis.quotes.select_quotes`; pinned ones are always kept.
    drop : iterable of str
        Columns not kept (those only the workbook's comment sheets show).
    per_group, uncut : int
        Candidates kept per group once the pool is cut, and candidates kept whole before it is.
    """

    def __init__(
        self,
        themes: Sequence[str],
        *,
        approved: Iterable[str] = (),
        banned: Iterable[str] = (),
        pinned: Iterable[str] = (),
        drop: Iterable[str] = (),
        per_group: int = POOL_PER_GROUP,
        uncut: int = POOL_UNCUT,
    ) -> None:
        self.themes, self.per_group, self.uncut = list(themes), per_group, uncut
        self.approved, self.banned, self.drop = tuple(approved), tuple(banned), list(drop)
        self.pins = frozenset(map(str, pinned))
        self._kept: list[pd.DataFrame] = []
        self._entries: _Entries | None = None  # the kept rows' groups, once the pool is cut
        self._names: dict[str, int] = {}
        self._size, self._start = 0, 0

    def add(self, batch: pd.DataFrame, special: Sequence[dict[str, list[str]]] | None = None) -> None:
        """Take the table's next rows; ``special``: their :func:`~tcs_themes.analysis.special_category.special_categories`, if known."""
        batch = batch.set_axis(pd.RangeIndex(self._start, self._start + len(batch)))  # the whole table's row numbers
        self._start += len(batch)
        found = quote_candidates(batch, approved=self.approved, banned=self.banned, special=special)
        found = found.drop(columns=self.drop, errors="ignore")
        self._kept.append(found)
        self._size += len(found)
        if self._entries is None and self._size <= self.uncut:
            return
        pool = pd.concat(self._kept) if len(self._kept) > 1 else self._kept[0]
        fresh = pool if self._entries is None else found
        found_entries = _entries(fresh, self.themes, self.pins, self._names)
        entries = found_entries if self._entries is None else _Entries.concat([self._entries, found_entries])
        self._entries = entries.top(self.per_group)
        keep = np.union1d(self._entries.row, pool.index[pool["comment_id"].astype(str).isin(self.pins)].to_numpy())
        self._kept = [pool.loc[keep]]
        self._size = len(self._kept[0])

    @property
    def candidates(self) -> pd.DataFrame:
        """The candidates kept, with the whole table's row numbers as index, in table order, with a ``words`` column.

        At most ``max(uncut, groups * per_group)`` rows, plus the pinned ones.
        """
        return pd.concat(self._kept) if len(self._kept) > 1 else self._kept[0]


def quote_pool(batches: Iterable[pd.DataFrame], themes: Sequence[str], **options: Any) -> pd.DataFrame:
    """The :attr:`QuotePool.candidates` of a table given in batches.

    ``batches``: the coded table's rows, in order, in batches (at least one batch:
    :func:`tcs_themes.tables.read_table_batches` gives an empty one for an empty table);
    ``themes`` and the keyword ``options`` (``approved``, ``banned``, ``pinned``, ``drop``,
    ``per_group``, ``uncut``) as for :class:`QuotePool`.
    """
    pool = QuotePool(themes, **options)
    for batch in batches:
        pool.add(batch)
    return pool.candidates
