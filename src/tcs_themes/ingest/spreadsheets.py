"""Turn the sheets of a workbook or a CSV file into comments.

For each sheet: find the header row and the role of each column, match the
rows to sessions of the register (by a session column, else the sheet name,
the file name or a title above the header), and offer each row to the
:class:`~tcs_themes.ingest.ledger.Ledger`. Columns with no role are carried
through under their own (redacted) names, their cells redacted, unless they
hold personal data: then they are dropped (see
:mod:`~tcs_themes.ingest.personal_columns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from tcs_themes.errors import InputFileError
from tcs_themes.ingest.cells import EXCEL_ERRORS, cell_date, cell_text, is_empty
from tcs_themes.ingest.columns import Header, find_header, header_key
from tcs_themes.ingest.ledger import SKIPPED, FileReport, Ledger
from tcs_themes.ingest.redaction import redact
from tcs_themes.ingest.personal_columns import DROPPED, KEPT, ColumnDecision, decide_column
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.ingest.sources import InputFile
from tcs_themes.ingest.workbooks import Grid
from tcs_themes.schema import ANALYST_CODES, COMMENT_COLUMNS, LIST_SEPARATOR

#: How many non-empty values of a column are looked at to judge whether it holds personal details.
COLUMN_SAMPLE = 200
_UNSAVED_FORMULA = "the text is a formula whose value was never saved; open the workbook in Excel, save it and try again"
_UNSAVED_OTHERS = "other cells of the row are formulas whose values were never saved (open and save it in Excel)"


@dataclass
class SheetOptions:
    """How to read sheets, and what the run has found so far (for end-of-run checks).

    Attributes
    ----------
    register : SessionRegister or None
    columns : dict
        Role -> column name given explicitly.
    synonyms : dict
        Role -> header names.
    sheets : tuple of str
        The sheets chosen (empty: all).
    keep_columns : tuple of str
        Columns to carry through as they are, though they look personal.
    sheets_found, columns_found : set of str
        Chosen sheets and explicit roles seen in at least one file.
    """

    register: SessionRegister | None
    columns: dict[str, str]
    synonyms: dict[str, tuple[str, ...]]
    sheets: tuple[str, ...] = ()
    keep_columns: tuple[str, ...] = ()
    sheets_found: set[str] = field(default_factory=set)
    columns_found: set[str] = field(default_factory=set)


def _row_ranges(rows: Sequence[int]) -> str:
    spans: list[list[int]] = []
    for row in sorted(rows):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
    return f"row {text}" if len(rows) == 1 else f"rows {text}"


class _SheetReader:
    """Reads the data rows of one sheet whose header has been found."""

    def __init__(
        self, item: InputFile, grid: Grid, header: Header, options: SheetOptions, *, is_csv: bool
    ) -> None:
        self.item, self.grid, self.header, self.options = item, grid, header, options
        self.label = None if is_csv else grid.name
        self.problems: dict[str, list[int]] = {}
        self.bad_dates = 0
        self.sheet_session = self._sheet_session()
        header_cells = grid.rows[header.index]
        roles = set(header.roles.values())
        self.decisions: list[ColumnDecision] = []
        self.carried: dict[int, str] = {}
        self.verbatim: set[str] = set()
        with_data = self._columns_with_data()
        for index, name in enumerate(header.names):
            if index in roles or (is_empty(self._cell(header_cells, index)) and index not in with_data):
                continue
            decision = decide_column(name, self._sample(index), options.keep_columns)
            self.decisions.append(decision)
            if decision.action == DROPPED:
                continue
            shown = name if decision.action == KEPT else decision.column
            self.carried[index] = f"input_{shown}" if shown in COMMENT_COLUMNS else shown
            if decision.action == KEPT:
                self.verbatim.add(self.carried[index])

    @staticmethod
    def _cell(cells: Sequence[object], index: int | None) -> object:
        return cells[index] if index is not None and index < len(cells) else None

    def _sample(self, index: int) -> list[object]:
        """Up to :data:`COLUMN_SAMPLE` non-empty values of a column, to judge whether it is personal."""
        values: list[object] = []
        for row in self.grid.rows[self.header.index + 1 :]:
            value = self._cell(row, index)
            if not is_empty(value):
                values.append(value)
                if len(values) >= COLUMN_SAMPLE:
                    break
        return values

    def _columns_with_data(self) -> set[int]:
        """The columns with a value in some row below the header (one pass over the cells)."""
        return {
            index for row in self.grid.rows[self.header.index + 1 :] for index, cell in enumerate(row) if not is_empty(cell)
        }

    def _sheet_session(self) -> pd.Series | None:
        register = self.options.register
        if register is None:
            return None
        titles = [cell_text(c) for row in self.grid.rows[: self.header.index] for c in row if isinstance(c, str)]
        for candidate in [self.grid.name, self.item.path.stem, *titles]:
            found = register.find(candidate)
            if found is not None:
                return found
        return None

    def _no_session_message(self) -> str:
        register = self.options.register
        assert register is not None
        close = register.close_matches(self.grid.name) or register.close_matches(self.item.path.stem)
        hint = f" (close matches: {', '.join(close)})" if close else ""
        return (
            f"cannot tell which session these rows are from: no session column, and neither the sheet name "
            f"nor the file name matches a session in {register.path.name}{hint}; add a session column, "
            "rename the sheet or file, or add an alias to the register"
        )

    def read(self, ledger: Ledger, report: FileReport) -> None:
        """Offer every data row to ``ledger``; report row problems as one error each."""
        for decision in self.decisions:
            ledger.column(self.item, self.grid.name, decision)
        for index in range(self.header.index + 1, len(self.grid.rows)):
            self._row(index, ledger, report)
        where_prefix = f"sheet {self.label}, " if self.label else ""
        for problem, rows in self.problems.items():
            where = where_prefix + _row_ranges(rows)
            ledger.error(report, InputFileError(self.item.source_file, problem, where), logged=False)
        if self.bad_dates:
            ledger.warnings.append(
                f"{self.item.source_file} ({where_prefix}{self.bad_dates} rows): the date is not a date; "
                "the session's date from the register was used where there is one"
            )

    def _analyst_codes(self, cells: Sequence[object]) -> str | None:
        """The analyst's theme cells as written (redacted), main theme first, joined by "; "; None when both are empty."""
        values = [self._cell(cells, self.header.roles.get(role)) for role in ("theme", "other_themes")]
        written = [cell_text(value) for value in values if not is_empty(value)]
        return redact(LIST_SEPARATOR.join(written))[0] if written else None

    def _fail(self, ledger: Ledger, report: FileReport, location: str, row: int, problem: str) -> None:
        ledger.fail(report, self.item, location, problem)
        self.problems.setdefault(problem, []).append(row)

    def _row(self, index: int, ledger: Ledger, report: FileReport) -> None:
        cells = self.grid.rows[index]
        row = index + 1
        location = f"{self.grid.name}!R{row}"
        roles = self.header.roles
        value = self._cell(cells, roles["text"])
        if is_empty(value):
            formulas = self.grid.unsaved_formulas(index) if self.grid.unsaved_formulas else {}
            if roles["text"] in formulas:
                self._fail(ledger, report, location, row, _UNSAVED_FORMULA)
            elif formulas:
                ledger.blank(report, self.item, location, f"no text; {_UNSAVED_OTHERS}")
            else:
                ledger.blank(report, self.item, location, "empty row" if all(is_empty(c) for c in cells) else "no text")
            return
        text = cell_text(value)
        if text in EXCEL_ERRORS:
            self._fail(ledger, report, location, row, f"the text cell shows the Excel error {text}; fix the formula")
            return
        session_value = self._cell(cells, roles.get("session"))
        session = self.sheet_session
        register = self.options.register
        if register is not None:
            if not is_empty(session_value):
                session = register.find(session_value)
            if session is None:
                problem = (
                    register.unknown_message(cell_text(session_value))
                    if not is_empty(session_value)
                    else self._no_session_message()
                )
                self._fail(ledger, report, location, row, problem)
                return
        date_value = self._cell(cells, roles.get("date"))
        date = cell_date(date_value)
        if date is None and not is_empty(date_value):
            self.bad_dates += 1
        strand_value = self._cell(cells, roles.get("strand"))
        question = self._cell(cells, roles.get("question"))
        record: dict[str, object] = {
            "source_kind": "spreadsheet",
            "sheet": self.grid.name,
            "row": row,
            "location": location,
            "session_id": session["session_id"] if session is not None else None,
            "session_name": session["session_name"] if session is not None else (
                None if is_empty(session_value) else cell_text(session_value)
            ),
            "strand": session["strand"] if session is not None else (
                None if is_empty(strand_value) else cell_text(strand_value)
            ),
            "date": date if date is not None else (session["date"] if session is not None else None),
            "question": None if is_empty(question) else cell_text(question),
            "text": text,
            ANALYST_CODES: self._analyst_codes(cells),
        }
        record.update({name: self._cell(cells, column) for column, name in self.carried.items()})
        group = str(record["session_id"] or record["session_name"] or f"{self.item.source_file}!{self.grid.name}")
        ledger.offer(report, self.item, record, group=group, verbatim=self.verbatim)


def _no_text_column(options: SheetOptions) -> str:
    examples = ", ".join(repr(name.title()) for name in options.synonyms["text"][:6])
    return (
        f"no column looks like comment text (looked for {examples}, ...); name it with "
        "--column text=NAME or under 'columns:' in tcs-themes.yaml"
    )


def ingest_grids(
    item: InputFile, grids: list[Grid], options: SheetOptions, ledger: Ledger, report: FileReport, *, is_csv: bool
) -> None:
    """Read the sheets of one file into ``ledger``.

    Sheets not chosen and empty sheets are logged as skipped. A sheet without a
    text column is an error when it was chosen, or when no sheet of the file has
    one; otherwise it is skipped with a warning (a cover or lookup sheet).
    """
    chosen = {header_key(name) for name in options.sheets}
    candidates: list[tuple[Grid, Header | None]] = []
    for grid in grids:
        if chosen and header_key(grid.name) not in chosen:
            ledger.note(item, grid.name, SKIPPED, "sheet not among the chosen sheets")
            continue
        options.sheets_found.add(header_key(grid.name))
        if grid.is_empty():
            ledger.note(item, grid.name, SKIPPED, "empty sheet")
            continue
        candidates.append((grid, find_header(grid.rows, explicit=options.columns, synonyms=options.synonyms)))
    if not candidates and not chosen:
        ledger.error(report, InputFileError(item.source_file, "there is no data in it; check it is the right file"))
        return
    some_header = any(header for _, header in candidates)
    for grid, header in candidates:
        where = None if is_csv else f"sheet {grid.name}"
        if header is None:
            if chosen or not some_header:
                ledger.error(report, InputFileError(item.source_file, _no_text_column(options), where))
            else:
                ledger.note(item, grid.name, SKIPPED, "no column looks like comment text")
                ledger.warnings.append(f"{item.source_file} ({where}): skipped, no column looks like comment text")
            continue
        for role, column in header.roles.items():
            if role in options.columns and header_key(header.names[column]) == header_key(options.columns[role]):
                options.columns_found.add(role)
        for note in header.notes:
            ledger.warnings.append(f"{item.source_file} ({where or 'header'}): {note}; map it with --column text=NAME")
        _SheetReader(item, grid, header, options, is_csv=is_csv).read(ledger, report)
