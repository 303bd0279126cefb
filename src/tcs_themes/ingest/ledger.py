"""Keep account of every row and part read: kept as a comment, or logged with its reason.

The per-file counts reconcile by construction: each row or part offered is
counted once in ``rows_read`` and once in exactly one of ``kept``, ``blank``,
``duplicates``, ``failed`` or ``removed`` (a piece of an email body that is not
a comment: a signature, a quoted message, ...).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from tcs_themes.errors import InputFileError, TcsError
from tcs_themes.ingest.comment_parts import CommentParts, whole_table, write_parts
from tcs_themes.ingest.ids import ID_HEX_DIGITS, ID_PREFIX, comment_id, content_hash
from tcs_themes.ingest.limits import MAX_CELL_CHARS
from tcs_themes.ingest.personal_columns import CARRIED, DROPPED, ColumnDecision
from tcs_themes.ingest.redaction import redact, redact_label
from tcs_themes.ingest.seen_texts import SeenTexts
from tcs_themes.ingest.sources import InputFile
from tcs_themes.schema import COMMENT_COLUMNS

LOG_COLUMNS = ("source_file", "location", "reason", "detail", "comment_id")
#: What was done with each column besides the text (``IngestResult.columns``).
COLUMN_REPORT_COLUMNS = ("source_file", "sheet", "column", "action", "reason")
#: Standard comment columns that name things (files, sheets, sessions, questions): redacted, not counted.
LABEL_COLUMNS = ("source_file", "sheet", "location", "session_id", "session_name", "strand", "question", "sender_org")
FILE_COLUMNS = (
    "source_file", "kind", "rows_read", "kept", "blank", "duplicates", "failed", "removed", "redactions", "attachments",
    "error",
)
#: Reasons in the ingest log.
(BLANK, DUPLICATE, ERROR, ATTACHMENT, NOT_COMMENTS, UNSUPPORTED, SKIPPED, REMOVED, TRUNCATED, DECODED, PERSONAL_COLUMN,
 PLACE_COLUMN) = (
    "blank", "duplicate", "error", "attachment", "not-comments", "unsupported", "skipped", "removed", "truncated",
    "decoded", "personal-column", "place-column",
)


@dataclass
class FileReport:
    """Counts for one input file (a row of ``IngestResult.files``)."""

    source_file: str
    kind: str
    rows_read: int = 0
    kept: int = 0
    blank: int = 0
    duplicates: int = 0
    failed: int = 0
    removed: int = 0
    redactions: int = 0
    attachments: int = 0
    errors: list[str] = field(default_factory=list)


#: Comments kept as records before they are packed into a table (compact): memory per comment stays small.
PACK_EVERY = 10_000


class Ledger:
    """Collects comments, log entries, per-file counts and error messages for one ingest run."""

    def __init__(self, spill: Path | None = None) -> None:
        """``spill``: a folder where the packed comments wait on disk (:class:`CommentParts`), not in memory."""
        self.comments: list[dict[str, object]] = []  # the latest comments, not yet packed into ``parts``
        self.parts = CommentParts(spill)
        self.log: list[tuple[str, str, str, str, str | None]] = []
        self.reports: list[FileReport] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.unexpected: list[Exception] = []
        self.columns: list[tuple[str, str, str, str, str]] = []
        self._seen = SeenTexts()  # digest of (group, text) -> the first comment's id as a number: 24 bytes a comment

    def start(self, item: InputFile, kind: str) -> FileReport:
        """Open the report of ``item``."""
        report = FileReport(item.source_file, kind)
        self.reports.append(report)
        return report

    def note(self, item: InputFile | str, location: str, reason: str, detail: str) -> None:
        """Log something that is not a comment and is not an error (attachment, skipped sheet, ...)."""
        source = item if isinstance(item, str) else item.source_file
        self.log.append((source, location, reason, detail, None))

    def column(self, item: InputFile, sheet: str, decision: ColumnDecision) -> None:
        """Record what was done with a column besides the text; a dropped or kept one is also logged."""
        self.columns.append((item.source_file, sheet, decision.column, decision.action, decision.reason))
        if decision.action == CARRIED and decision.reason:  # a column of places whose values are given names too
            self.note(item, sheet, PLACE_COLUMN, f"column {decision.column!r} carried through: {decision.reason}")
        elif decision.reason:
            verb = "dropped" if decision.action == DROPPED else "kept unredacted"
            hint = "; keep it with 'keep_columns' in the settings" if decision.action == DROPPED else ""
            self.note(item, sheet, PERSONAL_COLUMN, f"column {decision.column!r} {verb}: {decision.reason}{hint}")

    def error(self, report: FileReport | None, error: TcsError, *, logged: bool = True) -> None:
        """Record a file- or sheet-level error: its one-line message goes to ``errors``.

        ``logged=False`` when the rows it is about are already in the log (see :meth:`fail`).
        """
        self.errors.append(str(error))
        if report is not None:
            report.errors.append(str(error))
        if not logged:
            return
        source = error.path if isinstance(error, InputFileError) else (report.source_file if report else "")
        detail = error.problem if isinstance(error, InputFileError) else str(error)
        self.log.append((source, getattr(error, "where", None) or "", ERROR, detail, None))

    def fail(self, report: FileReport, item: InputFile, location: str, detail: str) -> None:
        """Count a row or part that could not become a comment because of an error."""
        report.rows_read += 1
        report.failed += 1
        self.log.append((item.source_file, location, ERROR, detail, comment_id(item.relative, location)))

    def blank(self, report: FileReport, item: InputFile, location: str, detail: str) -> None:
        """Count a row or part without text."""
        report.rows_read += 1
        report.blank += 1
        self.log.append((item.source_file, location, BLANK, detail, comment_id(item.relative, location)))

    def remove(self, report: FileReport, item: InputFile, location: str, detail: str) -> None:
        """Count a part that is read but is not a comment (an email's signature, quoted message, ...)."""
        report.rows_read += 1
        report.removed += 1
        self.log.append((item.source_file, location, REMOVED, detail, comment_id(item.relative, location)))

    def offer(
        self,
        report: FileReport,
        item: InputFile,
        record: dict[str, object],
        *,
        group: str,
        names: Iterable[str] = (),
        verbatim: Iterable[str] = (),
    ) -> None:
        """Keep ``record`` as a comment unless its text is blank or repeats an earlier one in ``group``.

        ``record`` holds the standard columns it knows (``location`` and ``text``
        at least) and any carried-through input columns. Every text in it is
        redacted (with ``names`` as the sender's name), except the carried
        columns named in ``verbatim`` (kept by the settings); ``redactions``
        counts the details taken from the text and the carried cells. The
        ``comment_id``, ``source_file`` and ``redactions`` are filled in. Text
        values longer than :data:`~tcs_themes.ingest.limits.MAX_CELL_CHARS` are
        cut, and logged with reason ``truncated``.
        """
        location = str(record["location"])
        record = self._cut_long_cells(item, record)
        text = str(record.get("text") or "").strip()
        if not re.search(r"\w", text):
            self.blank(report, item, location, "no text" if not text else "no letters or digits")
            return
        report.rows_read += 1
        identifier = comment_id(item.relative, location)
        key = _duplicate_key(group, text)
        earlier = self._seen.get(key)
        if earlier is not None:
            report.duplicates += 1
            first = f"{ID_PREFIX}{earlier:0{ID_HEX_DIGITS}x}"
            self.log.append((item.source_file, location, DUPLICATE, f"duplicate-of {first} (same text, same session)", identifier))
            return
        self._seen.add(key, int(identifier[len(ID_PREFIX) :], 16))
        names = tuple(names)
        record = {**record, "source_file": item.source_file, "text": text}
        count = _redact_record(record, names, frozenset(verbatim))
        if len(str(record["text"])) > MAX_CELL_CHARS:  # placeholders can be longer than what they replace
            self._log_cut(item, location, "text after redaction", len(str(record["text"])))
            record["text"] = str(record["text"])[:MAX_CELL_CHARS]
        report.kept += 1
        report.redactions += count
        self.comments.append({**record, "comment_id": identifier, "redactions": count})
        if len(self.comments) >= PACK_EVERY:
            self._pack()

    def _pack(self) -> None:
        """Move the latest comments into a part of the table."""
        if self.comments:
            self.parts.add(pd.DataFrame(self.comments))
            self.comments = []

    def _cut_long_cells(self, item: InputFile, record: dict[str, object]) -> dict[str, object]:
        """Cut text values longer than :data:`MAX_CELL_CHARS`, logging each with its length."""
        long = [key for key, value in record.items() if isinstance(value, str) and len(value) > MAX_CELL_CHARS]
        if not long:
            return record
        for key in long:
            self._log_cut(item, str(record["location"]), f"column {key}", len(str(record[key])))
        return {key: value[:MAX_CELL_CHARS] if key in long else value for key, value in record.items()}

    def _log_cut(self, item: InputFile, location: str, what: str, length: int) -> None:
        detail = f"{what}: {length:,} characters, cut to the first {MAX_CELL_CHARS:,} (the most a cell holds)"
        self.log.append((item.source_file, location, TRUNCATED, detail, None))
        self.warnings.append(f"{item.source_file} ({location}): {detail}")

    def comments_frame(self) -> pd.DataFrame:
        """The comments table, standard columns first, carried-through columns tidied for Parquet."""
        self._pack()
        return whole_table(self.parts)

    def write_comments(self, path: Path, *, row_group_size: int | None = None) -> pd.DataFrame:
        """Write the comments table to the Parquet file ``path`` a part at a time; return it empty (its columns kept)."""
        self._pack()
        write_parts(self.parts, path, row_group_size=row_group_size)
        return pq.read_schema(path).empty_table().to_pandas()

    def log_frame(self) -> pd.DataFrame:
        """The ingest log: one row per row, part, sheet, column or file that did not become a comment (redacted)."""
        rows = [(redact_label(s), redact_label(loc), reason, redact_label(d), c) for s, loc, reason, d, c in self.log]
        return pd.DataFrame(rows, columns=list(LOG_COLUMNS)).astype("string")

    def columns_frame(self) -> pd.DataFrame:
        """What was done with each column besides the text, per file and sheet (names redacted)."""
        rows = [(redact_label(s), redact_label(sheet), *rest) for s, sheet, *rest in self.columns]
        return pd.DataFrame(rows, columns=list(COLUMN_REPORT_COLUMNS)).astype("string")

    def files_frame(self) -> pd.DataFrame:
        """The per-file report."""
        rows = [
            (redact_label(r.source_file), r.kind, r.rows_read, r.kept, r.blank, r.duplicates, r.failed, r.removed,
             r.redactions, r.attachments, redact_label(" | ".join(r.errors)) or None)
            for r in self.reports
        ]
        frame = pd.DataFrame(rows, columns=list(FILE_COLUMNS))
        counts = [c for c in FILE_COLUMNS if c not in ("source_file", "kind", "error")]
        return frame.astype({**{c: "int64" for c in counts}, "source_file": "string", "kind": "string", "error": "string"})



def _duplicate_key(group: str, text: str) -> bytes:
    """A 16-byte digest of ``group`` and ``text`` (spaces normalised): the text itself is never kept."""
    key = f"{len(group)}:{group}\n{' '.join(text.split())}"
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _redact_record(record: dict[str, object], names: tuple[str, ...], verbatim: frozenset[str]) -> int:
    """Redact every text of ``record`` in place; return the details taken from the text and carried cells."""
    total = 0
    for key, value in record.items():
        if not isinstance(value, str) or key in verbatim:
            continue
        if key in LABEL_COLUMNS:
            record[key] = redact_label(value, names)
        elif key == "message_id":  # "local@host": a personal detail in the local part hides the whole id
            local = value.rsplit("@", 1)[0]
            record[key] = value if redact_label(local, names) == local else f"sha-{content_hash(value.encode())}"
        elif key not in COMMENT_COLUMNS or key == "text":
            record[key], count = redact(value, names)
            total += count
    return total
