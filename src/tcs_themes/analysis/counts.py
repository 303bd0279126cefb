"""Theme counts: how often each theme came up, overall and by strand, session, question or source.

Two bases are counted, and every table says which:

* ``primary``: a comment counts once, under its main theme (``primary_theme``),
  so the counts add up to the number of comments;
* ``any``: a comment counts under every theme it was given (``themes``), so a
  comment with two themes counts twice and shares can add up to more than 100%.

Comments no theme fitted are counted under ``uncoded`` in both bases: they are
shown, never hidden. Shares are of the comments in the group (the strand, the
session...), so the shares of one group under the primary basis add up to 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import pandas as pd
from scipy import sparse

from tcs_themes.codebook.model import Codebook
from tcs_themes.schema import CODE_SOURCE_MACHINE, CODE_SOURCES, UNCODED, split_list

Basis = Literal["primary", "any"]
Dimension = Literal["strand", "session", "question", "source"]

BASES: dict[str, str] = {"primary": "main theme", "any": "any theme"}
DIMENSIONS: tuple[str, ...] = ("strand", "session", "question", "source")

#: Group labels for comments that have no strand, session or question.
NO_STRAND = "No strand (emails)"
NO_SESSION = "No session (emails)"
NO_QUESTION = "No question recorded"
#: The sub-theme key under which the tally keeps a theme's comments with at least one of its sub-themes.
ANY_SUBTHEME = ""
SOURCE_LABELS = {"spreadsheet": "Group sessions", "email": "Emails"}


class Register(Protocol):
    """What the counts need from a sessions register (``tcs_themes.ingest.register.SessionRegister``)."""

    sessions: pd.DataFrame  # session_id, session_name, strand, date, format
    strands: dict[str, str]  # strand label -> description


def theme_lists(coded: pd.DataFrame, basis: Basis = "primary") -> pd.Series:
    """Return, per comment, the list of theme ids it counts under for ``basis``.

    Uncoded comments give ``["uncoded"]`` so they are always counted.
    """
    _check_basis(basis)
    if basis == "primary":
        values = coded["primary_theme"].astype(object).where(coded["primary_theme"].notna(), UNCODED).tolist()
        return pd.Series([[str(theme)] for theme in values], index=coded.index, dtype=object)
    values = coded["themes"].astype(object).tolist()
    lists = [[t for t in split_list(value) if t != UNCODED] or [UNCODED] for value in values]
    return pd.Series(lists, index=coded.index, dtype=object)


def group_labels(coded: pd.DataFrame, by: Dimension) -> pd.Series:
    """Return the group label of each comment for ``by`` (missing values get a readable label)."""
    if by == "strand":
        return coded["strand"].astype("string").fillna(NO_STRAND)
    if by == "session":
        names = coded["session_name"].astype("string").fillna(coded["session_id"].astype("string"))
        return names.fillna(NO_SESSION)
    if by == "question":
        return coded["question"].astype("string").str.strip().replace("", pd.NA).fillna(NO_QUESTION)
    if by == "source":
        return coded["source_kind"].astype("string").map(lambda kind: SOURCE_LABELS.get(kind, str(kind)))
    raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(DIMENSIONS)}")


def natural_key(label: str) -> list[object]:
    """Sort key putting "Strand 2" before "Strand 10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(label))]


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}; use 'primary' or 'any'")


def _theme_order(codebook: Codebook, present: Iterable[object]) -> list[str]:
    """Codebook themes in order, then any theme ids the table has that the codebook lacks, then uncoded."""
    known = codebook.ids
    extra = sorted({t for t in present if isinstance(t, str)} - {*known, UNCODED})
    return [*known, *extra, UNCODED]


def _group_order(present: Iterable[str], by: Dimension | None, register: Register | None) -> list[str]:
    present = list(present)
    if by == "strand" and register is not None:
        first = [s for s in register.strands if s in present]
    elif by == "session" and register is not None:
        first = [s for s in register.sessions["session_name"] if s in present]
    elif by == "source":
        first = [s for s in SOURCE_LABELS.values() if s in present]
    else:
        first = []
    rest = sorted((s for s in present if s not in first and s not in (NO_STRAND, NO_SESSION, NO_QUESTION)), key=natural_key)
    tail = [s for s in (NO_STRAND, NO_SESSION, NO_QUESTION) if s in present]
    return [*first, *rest, *tail]


_KEYS = ["group", "theme_id", "session_id", "message_id"]
#: Tally rows waiting to be merged before they are (as many again as the merged ones, and at least this many).
_MERGE_AT = 200_000


def _sum_rows(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of ``parts`` summed by (group, theme, session, email)."""
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return frame.groupby(_KEYS, dropna=False, sort=False)["n"].sum().reset_index()


class CountTally:
    """Running totals of a coded table given in batches: everything the counts need, never the rows.

    For each grouping and basis it keeps how many comments each (group, theme, session,
    email) has, so sessions and emails can still be counted once each; sub-theme,
    co-occurrence and code-source counts are sums. Memory grows with the sessions and
    emails, not with the comments. :func:`count_all` and every count function of this
    module go through it, so counting a table whole or in batches gives the same tables.

    Parameters
    ----------
    codebook : Codebook
        The codebook the table was coded with.
    dimensions : sequence
        The groupings to tally: ``None`` (all comments) and any of :data:`DIMENSIONS`.
    totals : bool, default True
        Also tally sub-themes, co-occurrence and code sources (False: the theme and strand counts only).
    """

    def __init__(
        self, codebook: Codebook | None, dimensions: Sequence[Dimension | None] = (None, *DIMENSIONS), *, totals: bool = True
    ) -> None:
        self.codebook = codebook  # None: strand counts only (totals=False)
        self.dimensions = tuple(dict.fromkeys(dimensions))
        self.totals = totals
        self._parts: dict[tuple[Dimension | None, str], list[pd.DataFrame]] = {}
        self._merged: dict[tuple[Dimension | None, str], int] = {}
        self.subthemes: pd.Series | None = None
        size = len(codebook.ids) if codebook is not None else 0
        self.cooccurrence = np.zeros((size, size), dtype=np.int64)
        self.code_sources: pd.Series | None = None

    def add(self, coded: pd.DataFrame) -> None:
        """Count the comments of ``coded`` (a batch of the coded table's rows)."""
        lists = {basis: theme_lists(coded, basis) for basis in BASES}
        session = coded["session_id"].astype("string").values
        email = coded["message_id"].where(coded["source_kind"] == "email").astype("string").values
        for by in self.dimensions:
            labels = group_labels(coded, by) if by else pd.Series("All", index=coded.index, dtype="string")
            for basis in BASES:
                long = pd.DataFrame(
                    {"group": labels.astype(str).values, "theme_id": lists[basis].values, "session_id": session, "message_id": email}
                ).explode("theme_id")
                self._add_rows((by, basis), long.assign(n=1))
        if self.totals:
            self.subthemes = _add_counts(self.subthemes, _subtheme_pairs(coded))
            self.cooccurrence += _cooccurring(lists["any"], self.codebook.ids)
            self.code_sources = _add_counts(self.code_sources, _code_sources(coded))

    def _add_rows(self, key: tuple[Dimension | None, str], rows: pd.DataFrame) -> None:
        parts = self._parts.setdefault(key, [])
        parts.append(_sum_rows([rows]))
        waiting = sum(len(p) for p in parts[1:])
        if waiting >= max(_MERGE_AT, self._merged.get(key, 0)):
            self._parts[key] = [_sum_rows(parts)]
            self._merged[key] = len(self._parts[key][0])

    def rows(self, by: Dimension | None, basis: Basis) -> pd.DataFrame:
        """Comments per (group, theme, session, email) for ``by`` and ``basis``: ``group, theme_id, session_id, message_id, n``."""
        _check_basis(basis)
        if by not in self.dimensions:
            raise ValueError(f"grouping {by!r} was not tallied")
        parts = self._parts.get((by, basis))
        if not parts:
            return pd.DataFrame({"group": pd.Series(dtype=object), "theme_id": pd.Series(dtype=object),
                                 "session_id": pd.Series(dtype="string"), "message_id": pd.Series(dtype="string"),
                                 "n": pd.Series(dtype="int64")})  # fmt: skip
        self._parts[(by, basis)] = [_sum_rows(parts)]
        return self._parts[(by, basis)][0]

    def sessions_in_groups(self, by: Dimension | None, register: Register | None) -> dict[str, int]:
        """How many sessions each group holds: from the register when given, else from the data."""
        main = self.rows(by, "primary")
        totals = {str(k): int(v) for k, v in main.groupby("group", sort=False)["session_id"].nunique().items()}
        if register is None:
            return totals
        sessions = register.sessions
        if by is None:
            return {"All": len(sessions)}
        if by == "strand":
            per_strand = sessions.groupby("strand")["session_id"].nunique()
            return {g: int(per_strand.get(g, totals.get(g, 0))) for g in totals}
        if by == "source":
            return {g: (len(sessions) if g == SOURCE_LABELS["spreadsheet"] else totals[g]) for g in totals}
        return totals

    def theme_counts(self, by: Dimension | None, basis: Basis, register: Register | None = None) -> pd.DataFrame:
        """:func:`theme_counts` of the comments tallied."""
        long = self.rows(by, basis)
        main = self.rows(by, "primary")
        group_sizes = main.groupby("group", sort=False)["n"].sum()
        themes = _theme_order(self.codebook, long["theme_id"].unique())
        groups = _group_order(main["group"].unique(), by, register)
        grid = pd.MultiIndex.from_product([groups, themes], names=["group", "theme_id"])
        grouped = long.groupby(["group", "theme_id"])
        table = pd.DataFrame(
            {"comments": grouped["n"].sum(), "sessions": grouped["session_id"].nunique(), "emails": grouped["message_id"].nunique()}
        ).reindex(grid, fill_value=0).reset_index()
        table = table.astype({"comments": "int64", "sessions": "int64", "emails": "int64"})
        table["theme"] = table["theme_id"].map(self.codebook.name_of)
        table["share"] = table["comments"] / table["group"].map(group_sizes).astype(float)
        ranked = table["comments"].where((table["theme_id"] != UNCODED) & (table["comments"] > 0))
        table["rank"] = ranked.groupby(table["group"]).rank(method="min", ascending=False).astype("Int64")
        sessions_total = self.sessions_in_groups(by, register)
        table["sessions_total"] = table["group"].map(lambda g: sessions_total.get(g, 0)).astype("int64")
        table["basis"] = basis
        table["_order"] = table["theme_id"].map({t: i for i, t in enumerate(themes)})
        table["_group"] = table["group"].map({g: i for i, g in enumerate(groups)})
        table["_uncoded"] = table["theme_id"] == UNCODED
        table = table.sort_values(["_group", "_uncoded", "comments", "_order"], ascending=[True, True, False, True])
        columns = ["theme_id", "theme", "comments", "share", "rank", "sessions", "sessions_total", "emails", "basis"]
        if by:
            table = table.rename(columns={"group": by})
            columns = [by, *columns]
        return table[columns].reset_index(drop=True)

    def theme_summary(self, by: Dimension | None, register: Register | None = None) -> pd.DataFrame:
        """:func:`theme_summary` of the comments tallied."""
        keys = [by, "theme_id"] if by else ["theme_id"]
        main = self.theme_counts(by, "primary", register)
        anyb = self.theme_counts(by, "any", register)
        merged = main.rename(columns={"comments": "main_comments", "share": "main_share"}).merge(
            anyb[[*keys, "comments", "share", "sessions", "emails"]].rename(
                columns={"comments": "any_comments", "share": "any_share"}
            ),
            on=keys,
            suffixes=("_main", ""),
        )
        columns = [*keys, "theme", "rank", "main_comments", "main_share", "any_comments", "any_share"]
        return merged[[*columns, "sessions", "sessions_total", "emails"]]

    def strand_overview(self, register: Register | None = None) -> pd.DataFrame:
        """:func:`strand_overview` of the comments tallied."""
        main = self.rows("strand", "primary")
        order = _group_order(main["group"].unique(), "strand", register)
        totals = self.sessions_in_groups("strand", register)
        rows = []
        for strand in order:
            part = main[(main["group"] == strand).to_numpy()]
            uncoded = (part["theme_id"] == UNCODED).to_numpy()
            rows.append(
                {
                    "strand": strand,
                    "description": (register.strands.get(strand, "") if register is not None else ""),
                    "sessions": totals.get(strand, 0),
                    "sessions_with_comments": int(part["session_id"].nunique()),
                    "comments": int(part["n"].sum()),
                    "coded": int(part["n"][~uncoded].sum()),
                    "uncoded": int(part["n"][uncoded].sum()),
                    "emails": int(part["message_id"].nunique()),
                }
            )
        table = pd.DataFrame(rows, columns=["strand", "description", "sessions", "sessions_with_comments", "comments", "coded", "uncoded", "emails"])
        total = table.drop(columns=["strand", "description"]).sum().to_dict()
        if register is not None:
            total["sessions"] = len(register.sessions)
        total["sessions_with_comments"] = int(main["session_id"].nunique())
        table.loc[len(table)] = {"strand": "All strands", "description": "", **total}
        return table.astype({c: "int64" for c in table.columns[2:]})

    def subtheme_counts(self) -> pd.DataFrame:
        """:func:`subtheme_counts` of the comments tallied."""
        any_counts = self.rows(None, "any").groupby("theme_id", sort=False)["n"].sum()
        rows = []
        for theme in self.codebook.themes:
            for sub in self.codebook.subthemes_of(theme.id):
                n = int(self.subthemes.get((theme.id, sub.id), 0)) if self.subthemes is not None else 0
                with_sub = int(self.subthemes.get((theme.id, ANY_SUBTHEME), 0)) if self.subthemes is not None else 0
                parent = int(any_counts.get(theme.id, 0))
                rows.append(
                    {
                        "theme_id": theme.id,
                        "theme": theme.name,
                        "subtheme_id": sub.id,
                        "subtheme": sub.name,
                        "comments": n,
                        "share_of_theme": n / parent if parent else 0.0,
                        "theme_with_subtheme": with_sub,
                    }
                )
        columns = ["theme_id", "theme", "subtheme_id", "subtheme", "comments", "share_of_theme", "theme_with_subtheme"]
        table = pd.DataFrame(rows, columns=columns)
        order = {t: i for i, t in enumerate(self.codebook.ids)}
        table["_order"] = table["theme_id"].map(order)
        table = table.sort_values(["_order", "comments", "subtheme"], ascending=[True, False, True])
        return table.drop(columns="_order").reset_index(drop=True)

    def cooccurrence_table(self) -> pd.DataFrame:
        """:func:`cooccurrence` of the comments tallied."""
        ids = self.codebook.ids
        matrix = pd.DataFrame(self.cooccurrence.copy(), index=ids, columns=ids)
        matrix.index.name = "theme_id"
        return matrix

    def code_source_counts(self) -> dict[str, int]:
        """:func:`code_source_counts` of the comments tallied."""
        found = self.code_sources if self.code_sources is not None else pd.Series(dtype="int64")
        return _code_source_dict(found.sort_values(ascending=False, kind="stable"))

    def counts(self, register: Register | None = None) -> ThemeCounts:
        """Every published count (:class:`ThemeCounts`) of the comments tallied (every grouping must be tallied)."""
        return ThemeCounts(
            overall=self.theme_summary(None, register),
            by_strand=self.theme_summary("strand", register),
            by_session=self.theme_summary("session", register),
            by_question=self.theme_summary("question", register),
            by_source=self.theme_summary("source", register),
            strands=self.strand_overview(register),
            subthemes=self.subtheme_counts(),
            cooccurrence=self.cooccurrence_table(),
            code_sources=self.code_source_counts(),
        )


def _add_counts(total: pd.Series | None, more: pd.Series) -> pd.Series:
    """``total`` plus ``more``, by key (None: nothing yet)."""
    return more if total is None else total.add(more, fill_value=0).astype("int64")


def _tally(coded: pd.DataFrame, codebook: Codebook | None, dimensions: Sequence[Dimension | None], *, totals: bool = True) -> CountTally:
    tally = CountTally(codebook, dimensions, totals=totals)
    tally.add(coded)
    return tally


def _subtheme_pairs(coded: pd.DataFrame) -> pd.Series:
    """Comments per (theme id, sub-theme id) in ``coded``'s ``subthemes`` (each pair once per comment)."""
    pairs = coded["subthemes"].astype(object).map(split_list).explode().dropna()
    found = pairs.str.split("/", n=1, expand=True) if len(pairs) else pd.DataFrame(columns=[0, 1])
    found.columns = ["theme_id", "subtheme_id"]
    found["comment_id"] = coded.loc[found.index, "comment_id"].values
    pairs = found.drop_duplicates().groupby(["theme_id", "subtheme_id"]).size()
    # (theme id, ANY_SUBTHEME): comments with at least one sub-theme of the theme, each once
    any_sub = found[["theme_id", "comment_id"]].drop_duplicates().groupby("theme_id").size()
    any_sub.index = pd.MultiIndex.from_arrays([any_sub.index, [ANY_SUBTHEME] * len(any_sub)], names=["theme_id", "subtheme_id"])
    return pd.concat([pairs, any_sub]).astype("int64")


def _cooccurring(given: pd.Series, ids: list[str]) -> np.ndarray:
    """Comments given each pair of the themes ``ids`` (``given``: each comment's theme list)."""
    given = given.reset_index(drop=True).explode()
    column = given.map({theme: k for k, theme in enumerate(ids)})
    known = column.notna().to_numpy()
    rows, columns = given.index.to_numpy()[known], column.to_numpy()[known].astype(int)
    n = int(given.index.max()) + 1 if len(given) else 0
    indicator = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(n, len(ids)))
    indicator.data[:] = 1  # a theme listed twice in one comment still counts once
    return (indicator.T @ indicator).toarray().astype(np.int64)


def theme_counts(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    basis: Basis = "primary",
    by: Dimension | None = None,
    register: Register | None = None,
) -> pd.DataFrame:
    """Count comments per theme, overall or per group, on one basis.

    Parameters
    ----------
    coded : DataFrame
        The coded table (``CODED_COLUMNS``).
    codebook : Codebook
        Gives the themes (all of them are listed, with 0 when not raised) and their names.
    basis : {"primary", "any"}, default "primary"
        Count each comment under its main theme only, or under every theme it was given.
    by : {"strand", "session", "question", "source"}, optional
        Count within each group; ``None`` counts over all comments.
    register : Register, optional
        The sessions register: gives the number of sessions per strand (and overall)
        for "raised in 4 of the 5 sessions"; without it, sessions are counted from the data.

    Returns
    -------
    DataFrame
        One row per (group,) theme, ranked within the group: ``[by,] theme_id, theme,
        comments, share, rank, sessions, sessions_total, emails, basis``. ``share`` is
        ``comments`` over the group's comments; ``rank`` is 1 for the most common theme
        (ties share a rank; <NA> for uncoded and for themes not raised); ``sessions`` is
        how many sessions raised the theme out of ``sessions_total``; ``emails`` how many
        emails did. Uncoded comments are a row of their own, last in each group.
    """
    _check_basis(basis)
    return _tally(coded, codebook, [by], totals=False).theme_counts(by, basis, register)


def theme_summary(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    by: Dimension | None = None,
    register: Register | None = None,
) -> pd.DataFrame:
    """Both bases side by side: the table the workbook and the report show.

    Returns
    -------
    DataFrame
        ``[by,] theme_id, theme, rank, main_comments, main_share, any_comments, any_share,
        sessions, sessions_total, emails``, ranked by the main-theme count. ``rank`` is the
        main-theme rank; ``sessions`` and ``emails`` say where the theme was mentioned at
        all (any basis).
    """
    return _tally(coded, codebook, [by], totals=False).theme_summary(by, register)


def strand_overview(coded: pd.DataFrame, register: Register | None = None) -> pd.DataFrame:
    """One row per strand (and one for comments with no strand), with a total row.

    Returns
    -------
    DataFrame
        ``strand, description, sessions, sessions_with_comments, comments, coded, uncoded,
        emails``. ``sessions`` comes from the register when given (else the data).
    """
    return _tally(coded, None, ["strand"], totals=False).strand_overview(register)


def subtheme_counts(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count the sub-themes found under each theme.

    Returns
    -------
    DataFrame
        ``theme_id, theme, subtheme_id, subtheme, comments, share_of_theme, theme_with_subtheme``,
        one row per codebook sub-theme (0 when not found), ordered by theme then count.
        ``share_of_theme`` is over the comments given the parent theme (any basis);
        ``theme_with_subtheme`` is how many of those were given at least one of its sub-themes
        (the same on each of the theme's rows; less than the sum of ``comments`` when a comment
        has two of them).
    """
    return _tally(coded, codebook, [None]).subtheme_counts()


def cooccurrence(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Count the comments given each pair of themes.

    Returns
    -------
    DataFrame
        A square table indexed and columned by theme id (codebook order): cell (a, b) is the
        number of comments given both a and b; the diagonal is the number given a at all.
    """
    return _tally(coded, codebook, [None]).cooccurrence_table()


def top_cooccurring(matrix: pd.DataFrame, theme_id: str, n: int = 3) -> list[tuple[str, int]]:
    """Return the ``n`` themes most often given together with ``theme_id``, as (id, comments)."""
    if theme_id not in matrix.index:
        return []
    row = matrix.loc[theme_id].drop(theme_id)
    row = row[row > 0]
    order = sorted(row.items(), key=lambda item: (-item[1], list(matrix.columns).index(item[0])))
    return [(str(t), int(c)) for t, c in order[:n]]


def code_source_counts(coded: pd.DataFrame) -> dict[str, int]:
    """Return how many comments were coded by an analyst, reviewed, or coded by the machine alone.

    Keys are the ``code_source`` values (``analyst``, ``review``, ``machine``,
    always all three, in that order; any other value after them). A table
    without the column (coded before issue 15) counts as coded by the machine.
    """
    return _code_source_dict(_code_sources(coded))


def _code_sources(coded: pd.DataFrame) -> pd.Series:
    """Comments per ``code_source`` value, most first (all ``machine`` when the column is missing)."""
    if "code_source" not in coded.columns:
        return pd.Series({CODE_SOURCE_MACHINE: len(coded)}, dtype="int64")
    return coded["code_source"].astype("string").fillna(CODE_SOURCE_MACHINE).value_counts()


def _code_source_dict(found: pd.Series) -> dict[str, int]:
    """The three code sources in order, then any other value, from counts most first."""
    counts = {source: int(found.get(source, 0)) for source in CODE_SOURCES}
    counts.update({str(k): int(v) for k, v in found.items() if k not in counts})
    return counts


@dataclass(frozen=True)
class ThemeCounts:
    """Every count the workbook and the report publish, computed once so they always agree.

    Attributes
    ----------
    overall : DataFrame
        :func:`theme_summary` over all comments.
    by_strand, by_session, by_question, by_source : DataFrame
        :func:`theme_summary` per group.
    strands : DataFrame
        :func:`strand_overview`.
    subthemes : DataFrame
        :func:`subtheme_counts`.
    cooccurrence : DataFrame
        :func:`cooccurrence`.
    code_sources : dict of str to int
        :func:`code_source_counts`.
    """

    overall: pd.DataFrame
    by_strand: pd.DataFrame
    by_session: pd.DataFrame
    by_question: pd.DataFrame
    by_source: pd.DataFrame
    strands: pd.DataFrame
    subthemes: pd.DataFrame
    cooccurrence: pd.DataFrame
    code_sources: dict[str, int] = field(default_factory=dict)

    @property
    def n_comments(self) -> int:
        """The number of comments counted."""
        return int(self.strands["comments"].iloc[-1])


def count_all(coded: pd.DataFrame, codebook: Codebook, register: Register | None = None) -> ThemeCounts:
    """Compute every published count for ``coded``.

    Parameters
    ----------
    coded : DataFrame
        The coded table.
    codebook : Codebook
        The codebook the table was coded with.
    register : Register, optional
        The sessions register (session totals per strand).

    Returns
    -------
    ThemeCounts
    """
    return count_batches([coded], codebook, register)


def count_batches(batches: Iterable[pd.DataFrame], codebook: Codebook, register: Register | None = None) -> ThemeCounts:
    """:func:`count_all` of a coded table given in batches of rows (:func:`tcs_themes.tables.read_table_batches`).

    The same tables as counting the whole table, in memory that grows with the sessions
    and emails, not with the comments (:class:`CountTally`).
    """
    tally = CountTally(codebook)
    for batch in batches:
        tally.add(batch)
    return tally.counts(register)
