"""Ingest consultation feedback: session spreadsheets and emails -> one comments table.

The entry point is :func:`ingest`; the CLI command ``tcs-themes ingest`` is a
thin skin over it. See ``docs/ingest.md`` and ``docs/schema.md``.

Examples
--------
>>> result = ingest(["data/raw"])                      # doctest: +SKIP
>>> result.comments[["comment_id", "session_id", "text"]].head()   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tcs_themes.config import ROLES, Settings, resolve_settings
from tcs_themes.errors import InputFileError, TcsError, UsageError
from tcs_themes.ingest.columns import header_key, merged_synonyms
from tcs_themes.ingest.csv_files import read_csv_grid
from tcs_themes.ingest.email_text import clean_body, is_personal_name, sender_org
from tcs_themes.ingest.emails import Mail, read_eml, read_mbox, read_msg
from tcs_themes.ingest.ledger import (
    ATTACHMENT, COLUMN_REPORT_COLUMNS, DECODED, NOT_COMMENTS, SKIPPED, UNSUPPORTED, FileReport, Ledger,
)
from tcs_themes.ingest.name_lists import faker_given_names
from tcs_themes.ingest.person_names import display_name
from tcs_themes.ingest.redaction import redact
from tcs_themes.ingest.register import SessionRegister, load_register
from tcs_themes.ingest.sources import InputFile, expand_paths, matches_any
from tcs_themes.ingest.spreadsheets import SheetOptions, ingest_grids
from tcs_themes.ingest.workbooks import read_workbook

__all__ = ["IngestResult", "SessionRegister", "ingest", "load_register", "redact"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")
EMAIL_READERS = {".eml": read_eml, ".mbox": read_mbox, ".msg": read_msg}
_OLD_FORMATS = {".xls": "an Excel 97-2003 workbook", ".ods": "an OpenDocument spreadsheet"}


@dataclass
class IngestResult:
    """What :func:`ingest` read.

    Attributes
    ----------
    comments : DataFrame
        The comments table (``schema.COMMENT_COLUMNS`` then carried-through input columns).
    log : DataFrame
        ``source_file, location, reason, detail, comment_id``: every row, part,
        sheet or file that did not become a comment. Reasons: ``blank``,
        ``duplicate`` (detail ``duplicate-of <comment_id>``), ``error``,
        ``attachment``, ``not-comments``, ``unsupported``, ``skipped``, ``removed``
        (a piece of an email that is not a comment; detail: why), ``truncated``
        (a cell cut to ``MAX_CELL_CHARS``), ``decoded`` (text whose charset was
        wrong or unknown, or a CSV's NUL bytes removed; detail: how it was read), ``personal-column`` (a
        column dropped, or kept by the settings), ``place-column`` (a column whose header names a place carried
        through although its values are given names too: "Ward" with Barton, Preston). Names of files and sheets in
        it are redacted; attachments are logged by number, type and size, never
        by name.
    columns : DataFrame
        Per file and sheet, each column besides the text: ``source_file, sheet,
        column, action, reason``; action ``carried, redacted`` (cells redacted
        like the text), ``dropped`` (it holds personal data) or ``kept as the
        settings ask`` (``keep_columns``: carried as it is).
    files : DataFrame
        Per file: ``source_file, kind, rows_read, kept, blank, duplicates,
        failed, removed, redactions, attachments, error``; ``rows_read == kept +
        blank + duplicates + failed + removed``.
    errors : list of str
        One-line error messages (never comment text); empty when all went well.
    warnings : list of str
        One-line notices (sheets skipped, dates not understood, settings unused).
    unexpected : list of Exception
        Exceptions that are bugs rather than bad input (each also has a line in ``errors``).
    """

    comments: pd.DataFrame
    log: pd.DataFrame
    files: pd.DataFrame
    errors: list[str]
    warnings: list[str] = field(default_factory=list)
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COLUMN_REPORT_COLUMNS)))
    unexpected: list[Exception] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """Whether every file was read without error."""
        return not self.errors


def _register(register: SessionRegister | str | Path | None, settings: Settings) -> SessionRegister | None:
    if isinstance(register, SessionRegister):
        return register
    path = register if register is not None else settings.register
    return load_register(path) if path is not None else None


def _sender_names(mail: Mail) -> list[str]:
    """The sender's names to redact: a personal From name ("BLOGGS, Jo" too), and one read from the address (jo.bloggs@)."""
    names = []
    if mail.sender_name and is_personal_name(display_name(mail.sender_name)):
        names.append(display_name(mail.sender_name))
    local = (mail.sender_address or "").split("@")[0]
    words = [w.title() for w in local.replace("_", ".").replace("-", ".").split(".") if w.isalpha()]
    # beside a From name, only an address that starts with a given name (jo.bloggs@, not practice.manager@)
    if len(words) >= 2 and (not names or words[0] in faker_given_names()):
        names.append(" ".join(words))
    return names


def _attachment_label(number: int, attachment: str) -> str:
    """An attachment without its file name, which can name a person no rule knows ("Nkechi Obi CV.pdf").

    >>> _attachment_label(2, "Jo Bloggs CV.pdf (application/pdf, 12 KB)")
    'attachment 2 (.pdf, application/pdf, 12 KB)'
    """
    name, _, details = attachment.rpartition(" (")
    suffix = Path(name).suffix.lower()
    kind = f"{suffix}, " if re.fullmatch(r"\.\w{1,8}", suffix) else ""
    return f"attachment {number} ({kind}{details}"


def _ingest_mails(item: InputFile, mails: Iterable[Mail], strand: str | None, ledger: Ledger, report: FileReport) -> None:
    for mail in mails:
        if mail.problem is not None:
            ledger.fail(report, item, mail.location, mail.problem)
            ledger.error(report, InputFileError(item.source_file, mail.problem, mail.location), logged=False)
            continue
        if mail.decoding_note:
            ledger.note(item, mail.location, DECODED, mail.decoding_note)
        names = _sender_names(mail)
        body = clean_body(mail.body, names=[w for n in names for w in (n, n.split()[0])])
        base = {
            "source_kind": "email", "message_id": mail.message_id, "strand": strand, "date": mail.date,
            "sender_org": sender_org(mail.sender_address, body.signature),
        }
        part = 0
        for piece in body.pieces:
            if piece.removed is not None:
                lines = f"line {piece.first}" if piece.first == piece.last else f"lines {piece.first}-{piece.last}"
                ledger.remove(report, item, f"{mail.location} {lines}", piece.removed)
                continue
            part += 1
            record = {**base, "part": part, "location": f"{mail.location}#{part}", "text": piece.text}
            ledger.offer(report, item, record, group=f"email {mail.message_id}", names=names)
        if not body.pieces:
            ledger.blank(report, item, f"{mail.location}#1", "the body has no text")
        for number, attachment in enumerate(mail.attachments, start=1):
            report.attachments += 1
            ledger.note(item, mail.location, ATTACHMENT, f"{_attachment_label(number, attachment)}: attachments are not read")


def _not_comments(item: InputFile, settings: Settings, register: SessionRegister | None) -> tuple[str, str] | None:
    """Return (reason, detail) when ``item`` is not to be read as comments."""
    if item.skip_reason is not None:
        return SKIPPED, item.skip_reason
    resolved = item.path.resolve()
    if settings.path is not None and resolved == settings.path.resolve():
        return NOT_COMMENTS, "the settings file"
    if register is not None and resolved == register.path.resolve():
        return NOT_COMMENTS, "the sessions register"
    pattern = matches_any(item, settings.exercises, settings.folder)
    if pattern:
        return NOT_COMMENTS, f"an exercise file (settings 'exercises': {pattern})"
    pattern = matches_any(item, settings.skip, settings.folder)
    if pattern:
        return SKIPPED, f"matches settings 'skip': {pattern}"
    if item.suffix not in SPREADSHEET_SUFFIXES and item.suffix not in EMAIL_READERS and item.suffix not in _OLD_FORMATS:
        if not item.given:
            return UNSUPPORTED, f"not a spreadsheet or email file ({item.suffix or 'no extension'})"
    return None


def _read_file(item: InputFile, options: SheetOptions, email_strand: str | None, ledger: Ledger) -> None:
    if item.suffix in _OLD_FORMATS:
        ledger.start(item, "spreadsheet")
        raise InputFileError(item.source_file, f"is {_OLD_FORMATS[item.suffix]}; open it and save it as .xlsx")
    if item.suffix in SPREADSHEET_SUFFIXES:
        report = ledger.start(item, "spreadsheet")
        if item.suffix == ".csv":
            grid, _encoding, note = read_csv_grid(item.path, item.source_file)
            if note is not None:
                ledger.note(item, "", DECODED, note)
            ingest_grids(item, [grid], options, ledger, report, is_csv=True)
        else:
            ingest_grids(item, read_workbook(item.path, item.source_file), options, ledger, report, is_csv=False)
    elif item.suffix in EMAIL_READERS:
        report = ledger.start(item, "email")
        _ingest_mails(item, EMAIL_READERS[item.suffix](item.path, item.source_file), email_strand, ledger, report)
    else:
        ledger.start(item, "unsupported")
        raise InputFileError(
            item.source_file,
            f"cannot read {item.suffix or 'files without an extension'}; give .xlsx, .csv, .eml, .mbox or .msg files",
        )


def _check_options(columns: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(columns or {})
    for role in columns:
        if role not in ROLES:
            raise UsageError(f"column role {role!r} is unknown; roles are: {', '.join(ROLES)}")
    return columns


def ingest(
    paths: str | Path | Sequence[str | Path],
    *,
    settings: Settings | str | Path | None = None,
    register: SessionRegister | str | Path | None = None,
    sheets: Sequence[str] | None = None,
    columns: Mapping[str, str] | None = None,
    comments_to: str | Path | None = None,
    row_group_size: int | None = None,
) -> IngestResult:
    """Read spreadsheets and emails into one comments table, logging every row that is not a comment.

    Parameters
    ----------
    paths : path or sequence of paths
        Files, folders (read recursively) or glob patterns.
    settings : Settings or path, optional
        The project settings; by default ``tcs-themes.yaml`` in a folder given,
        else in the current directory, else none.
    register : SessionRegister or path, optional
        The sessions register; by default the one the settings name, else none.
    sheets : sequence of str, optional
        Read only these sheets of each workbook (default: the settings' ``sheets``, else all).
    columns : mapping, optional
        Role (``text``, ``session``, ``date``, ``question``, ``strand``, and an
        analyst's codes: ``theme``, ``other_themes``) -> column name; wins over
        the settings' ``columns`` and the synonyms.
    comments_to : path, optional
        Write the comments table to this Parquet file instead of returning it: the
        comments wait on disk in parts of a few thousand (a hidden folder beside it,
        removed after) and are written a part at a time, so memory does not grow with
        their number. ``result.comments`` is then empty, its columns kept.
    row_group_size : int, optional
        Rows per Parquet row group of ``comments_to`` (default: a part's).

    Returns
    -------
    IngestResult
        A file that cannot be read gives an entry in ``errors`` (and the log);
        the other files are still read.

    Raises
    ------
    SettingsError, SessionRegisterError
        If the settings file or the sessions register is malformed.
    UsageError
        If ``columns`` names an unknown role.
    """
    path_list = [paths] if isinstance(paths, str | Path) else list(paths)
    project = resolve_settings(settings, path_list)
    sessions = _register(register, project)
    options = SheetOptions(
        register=sessions,
        columns={**project.columns, **_check_options(columns)},
        synonyms=merged_synonyms(project.column_synonyms),
        sheets=tuple(sheets) if sheets else project.sheets,
        keep_columns=project.keep_columns,
    )
    email_strand = project.email_strand if project.email_strand_set else (sessions.email_strand if sessions else None)
    files, missing = expand_paths(path_list)
    with contextlib.ExitStack() as stack:
        spill = None
        if comments_to is not None:
            Path(comments_to).parent.mkdir(parents=True, exist_ok=True)
            spill = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=".ingest-parts-", dir=Path(comments_to).parent)))
        ledger = Ledger(spill)
        _read_files(files, missing, project, sessions, options, email_strand, ledger)
        comments = ledger.comments_frame() if comments_to is None else ledger.write_comments(Path(comments_to), row_group_size=row_group_size)
    return IngestResult(
        comments=comments,
        log=ledger.log_frame(),
        files=ledger.files_frame(),
        errors=list(ledger.errors),
        warnings=list(ledger.warnings),
        columns=ledger.columns_frame(),
        unexpected=list(ledger.unexpected),
    )


def _read_files(
    files: list[InputFile], missing: list[InputFileError], project: Settings, sessions: SessionRegister | None,
    options: SheetOptions, email_strand: str | None, ledger: Ledger,
) -> None:
    """Read every input file into ``ledger``: a bad file is logged and never stops the others."""
    for error in missing:
        ledger.error(ledger.start(InputFile(Path(error.path), error.path, error.path, True), "missing"), error)
    for item in files:
        skip = _not_comments(item, project, sessions)
        if skip is not None:
            ledger.start(item, skip[0])
            ledger.note(item, "", *skip)
            continue
        try:
            _read_file(item, options, email_strand, ledger)
        except TcsError as error:
            ledger.error(ledger.reports[-1], error)
        except Exception as error:  # noqa: BLE001 - a bad file must never stop the good ones
            ledger.unexpected.append(error)
            ledger.error(
                ledger.reports[-1],
                InputFileError(item.source_file, f"unexpected {type(error).__name__} while reading it; please report it"),
            )
    _check_run(options, ledger)


def _check_run(options: SheetOptions, ledger: Ledger) -> None:
    """Errors for chosen sheets no file has; warnings for explicit columns no file has."""
    for name in options.sheets:
        if header_key(name) not in options.sheets_found:
            ledger.error(None, UsageError(f"no workbook has a sheet named {name!r}; check --sheet / 'sheets:'"))
    for role, name in options.columns.items():
        if role not in options.columns_found:
            ledger.warnings.append(f"--column {role}={name!r} matched no column in any file")
