"""What the workbook and the report need of the coded table besides its counts, gathered batch by batch.

The counts are :class:`~tcs_themes.analysis.counts.ThemeCounts` and the quotes'
comments a bounded pool (:mod:`tcs_themes.analysis.quote_pool`); the rest of
what is published from the coded table is in a :class:`CodedDigest`, made in
one pass over its batches (:func:`coded_digest`), so ``run`` never holds the
table. Its size grows with the sessions, the questions and the phrases, and
with the comments listed in full in the workbook's "What is missing" and
"Quotes to review" sheets, not with the other comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from tcs_themes.analysis.counts import group_labels
from tcs_themes.analysis.key_phrases import PhraseTable
from tcs_themes.analysis.missing import MISSING_COLUMNS, missing_comments
from tcs_themes.analysis.special_category import SPECIAL_CATEGORY_COLUMNS, special_category_table
from tcs_themes.codebook.model import Codebook
from tcs_themes.schema import first_subtheme, split_list

#: What the "Themes by session" sheet shows of each session (from its first comment).
SESSION_COLUMNS = ("session_id", "strand", "date")


@dataclass
class CodedDigest:
    """What is published of a coded table besides its counts.

    Attributes
    ----------
    comments : int
        Rows of the table.
    questions : list of str
        The questions asked (stripped, not empty), sorted.
    strands : list of str
        The strands the comments come from (none for comments with no strand), sorted.
    first_date, last_date : Timestamp or None
        The earliest and latest date of the comments from spreadsheets (session notes).
    low_confidence : int or None
        Comments flagged low confidence (None when the table has no such column).
    sessions : DataFrame
        Indexed by session label (:func:`~tcs_themes.analysis.counts.group_labels`), the
        :data:`SESSION_COLUMNS` of each session's first comment.
    missing : DataFrame
        :func:`~tcs_themes.analysis.missing.missing_comments` of the table.
    special : DataFrame
        :func:`~tcs_themes.analysis.special_category.special_category_table` of the table.
    phrases : dict
        Main theme -> its distinguishing phrases (:func:`~tcs_themes.analysis.key_phrases.distinctive_phrases`).
    subtheme_phrases : dict
        Theme id -> sub-theme id -> the phrases that set apart the comments whose first
        sub-theme under the theme it is (three each).
    strand_sessions : Series
        Comments per (strand, theme given, session name), for the comments with a strand.
    """

    comments: int = 0
    questions: list[str] = field(default_factory=list)
    strands: list[str] = field(default_factory=list)
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None
    low_confidence: int | None = None
    sessions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SESSION_COLUMNS)))
    missing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MISSING_COLUMNS))
    special: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SPECIAL_CATEGORY_COLUMNS))
    phrases: dict = field(default_factory=dict)
    subtheme_phrases: dict = field(default_factory=dict)
    strand_sessions: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))


def _strand_sessions(batch: pd.DataFrame) -> pd.Series:
    """Comments per (strand, theme given, session name) in ``batch`` (comments with a strand and a session name)."""
    given = pd.DataFrame({
        "strand": batch["strand"].astype("string").values, "session_name": batch["session_name"].astype("string").values,
        "theme_id": batch["themes"].astype(object).map(lambda v: list(dict.fromkeys(split_list(v)))).values,
    }).explode("theme_id")  # fmt: skip
    given = given.dropna()
    return given.groupby(["strand", "theme_id", "session_name"], sort=False).size().astype("int64")


def _rows(parts: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``parts`` in one table, with the types of the parts that have rows (``empty`` when there is no part)."""
    found = [part for part in parts if len(part)] or parts[:1]
    return pd.concat(found, ignore_index=True) if found else empty


def coded_digest(batches: Iterable[pd.DataFrame], codebook: Codebook, *, approved: Iterable[str] = ()) -> CodedDigest:
    """Gather a :class:`CodedDigest` from the coded table's rows given in batches, in order.

    ``approved`` are the comment ids the analyst approved for quoting (the "Quotes to review" sheet says so).
    """
    approved = tuple(map(str, approved))
    digest = CodedDigest()
    questions: set[str] = set()
    strands: set[str] = set()
    sessions: dict[str, dict[str, object]] = {}
    missing, special, strand_sessions = [], [], []
    phrases = PhraseTable()
    themes_with_subs = [t.id for t in codebook.themes if codebook.subthemes_of(t.id)]
    sub_phrases = {theme_id: PhraseTable() for theme_id in themes_with_subs}
    low: int | None = None
    for batch in batches:
        digest.comments += len(batch)
        questions |= set(batch["question"].dropna().astype(str).str.strip()) - {""}
        strands |= set(batch["strand"].dropna().astype(str))
        dates = pd.to_datetime(batch.loc[batch["source_kind"] == "spreadsheet", "date"]).dropna()
        if len(dates):
            digest.first_date = min(dates.min(), digest.first_date) if digest.first_date is not None else dates.min()
            digest.last_date = max(dates.max(), digest.last_date) if digest.last_date is not None else dates.max()
        if "low_confidence" in batch.columns:
            low = (low or 0) + int(batch["low_confidence"].fillna(False).astype(bool).sum())
        labels = group_labels(batch, "session").astype(str)
        firsts = batch.assign(_session=labels.values).drop_duplicates("_session")
        for row in firsts[["_session", *SESSION_COLUMNS]].to_dict("records"):
            sessions.setdefault(str(row.pop("_session")), row)
        missing.append(missing_comments(batch, codebook))
        special.append(special_category_table(batch, approved))
        phrases.add(batch["text"].astype(str).array, batch["primary_theme"].astype(str).array)
        for theme_id in themes_with_subs:
            first = first_subtheme(batch["subthemes"], theme_id)
            tagged = first.notna().to_numpy()
            sub_phrases[theme_id].add(batch["text"][tagged].astype(str).tolist(), first[tagged].tolist())
        strand_sessions.append(_strand_sessions(batch))
    digest.questions, digest.strands = sorted(questions), sorted(strands)
    digest.low_confidence = low
    digest.sessions = pd.DataFrame.from_dict(sessions, orient="index", columns=list(SESSION_COLUMNS))
    digest.missing = _rows(missing, digest.missing)
    digest.special = _rows(special, digest.special)
    digest.phrases = phrases.distinctive()
    digest.subtheme_phrases = {theme_id: table.distinctive(top=3) for theme_id, table in sub_phrases.items()}
    if strand_sessions:
        digest.strand_sessions = pd.concat(strand_sessions).groupby(level=[0, 1, 2]).sum().sort_index()
    return digest
