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

from collections.abc import Iterable, Sequence
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


class DigestTally:
    """A :class:`CodedDigest` gathered from the coded table's rows given a batch at a time (:meth:`add`), in order.

    ``approved`` are the comment ids the analyst approved for quoting (the "Quotes to review" sheet says so).
    """

    def __init__(self, codebook: Codebook, *, approved: Iterable[str] = ()) -> None:
        self.codebook, self.approved = codebook, tuple(map(str, approved))
        self._digest = CodedDigest()
        self._questions: set[str] = set()
        self._strands: set[str] = set()
        self._sessions: dict[str, dict[str, object]] = {}
        self._missing: list[pd.DataFrame] = []
        self._special: list[pd.DataFrame] = []
        self._strand_sessions: list[pd.Series] = []
        self._phrases = PhraseTable()
        self._sub_phrases = {t.id: PhraseTable() for t in codebook.themes if codebook.subthemes_of(t.id)}
        self._low: int | None = None

    def add(self, batch: pd.DataFrame, special: Sequence[dict[str, list[str]]] | None = None) -> None:
        """Take the table's next rows; ``special``: their :func:`~tcs_themes.analysis.special_category.special_categories`, if known."""
        digest = self._digest
        digest.comments += len(batch)
        self._questions |= set(batch["question"].dropna().astype(str).str.strip()) - {""}
        self._strands |= set(batch["strand"].dropna().astype(str))
        dates = pd.to_datetime(batch.loc[batch["source_kind"] == "spreadsheet", "date"]).dropna()
        if len(dates):
            digest.first_date = min(dates.min(), digest.first_date) if digest.first_date is not None else dates.min()
            digest.last_date = max(dates.max(), digest.last_date) if digest.last_date is not None else dates.max()
        if "low_confidence" in batch.columns:
            self._low = (self._low or 0) + int(batch["low_confidence"].fillna(False).astype(bool).sum())
        labels = group_labels(batch, "session").astype(str)
        firsts = batch.assign(_session=labels.values).drop_duplicates("_session")
        for row in firsts[["_session", *SESSION_COLUMNS]].to_dict("records"):
            self._sessions.setdefault(str(row.pop("_session")), row)
        self._missing.append(missing_comments(batch, self.codebook))
        self._special.append(special_category_table(batch, self.approved, found=special))
        self._phrases.add(batch["text"].astype(str).array, batch["primary_theme"].astype(str).array)
        for theme_id, table in self._sub_phrases.items():
            first = first_subtheme(batch["subthemes"], theme_id)
            tagged = first.notna().to_numpy()
            table.add(batch["text"][tagged].astype(str).tolist(), first[tagged].tolist())
        self._strand_sessions.append(_strand_sessions(batch))

    def digest(self) -> CodedDigest:
        """The digest of the rows taken so far."""
        digest = self._digest
        digest.questions, digest.strands = sorted(self._questions), sorted(self._strands)
        digest.low_confidence = self._low
        digest.sessions = pd.DataFrame.from_dict(self._sessions, orient="index", columns=list(SESSION_COLUMNS))
        digest.missing = _rows(self._missing, CodedDigest().missing)
        digest.special = _rows(self._special, CodedDigest().special)
        digest.phrases = self._phrases.distinctive()
        digest.subtheme_phrases = {theme_id: table.distinctive(top=3) for theme_id, table in self._sub_phrases.items()}
        if self._strand_sessions:
            digest.strand_sessions = pd.concat(self._strand_sessions).groupby(level=[0, 1, 2]).sum().sort_index()
        return digest


def coded_digest(batches: Iterable[pd.DataFrame], codebook: Codebook, *, approved: Iterable[str] = ()) -> CodedDigest:
    """Gather a :class:`CodedDigest` from the coded table's rows given in batches, in order.

    ``approved`` are the comment ids the analyst approved for quoting (the "Quotes to review" sheet says so).
    """
    tally = DigestTally(codebook, approved=approved)
    for batch in batches:
        tally.add(batch)
    return tally.digest()
