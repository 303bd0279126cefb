"""Read the sheets of an .xlsx workbook as grids of cell values.

Values of formulas are the ones Excel saved (openpyxl ``data_only``); merged
cells are filled down from their top-left cell, so a session or question
merged over several rows applies to each of them.

Before openpyxl unpacks anything, the zip's declared sizes are checked
(:data:`~tcs_themes.ingest.limits.MAX_XLSX_BYTES`, no zip bombs), and so are the
cells that merged and hyperlink ranges cover (openpyxl makes an object for each:
:data:`~tcs_themes.ingest.limits.MAX_RANGE_CELLS`). Only the cells
present in the file are read, so a stray cell at XFD1048576 costs one cell, not
a billion; data beyond :data:`~tcs_themes.ingest.limits.MAX_ROWS` rows or
:data:`~tcs_themes.ingest.limits.MAX_COLUMNS` columns, or after more than
:data:`~tcs_themes.ingest.limits.MAX_EMPTY_ROWS` empty rows, is an error for the file.
"""

from __future__ import annotations

import xml.parsers.expat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tcs_themes.errors import InputFileError
from tcs_themes.ingest.limits import (
    MAX_CELL_FORMATS, MAX_COLUMNS, MAX_EMPTY_ROWS, MAX_RANGE_CELLS, MAX_ROWS, MAX_SHEETS, MAX_STYLE_ELEMENTS,
    MAX_XLSX_BYTES,
)
from tcs_themes.ingest.sniff import require_kind
from tcs_themes.zip_limits import zip_problem

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read: reading a CSV needs none of it
    import openpyxl

_DAMAGED = "open it in Excel and save it again"


@dataclass
class Grid:
    """One sheet (or a CSV file) as rows of cell values.

    Attributes
    ----------
    name : str
        Sheet name (for a CSV, the file's stem).
    rows : list of list
        Cell values; ``rows[i]`` is spreadsheet row ``i + 1``. Rows may differ in
        length: a row ends at its last cell with a value.
    unsaved_formulas : callable or None
        ``row_index -> {column_index: formula}`` for the cells of a row whose
        formula has no saved value; only for workbooks.
    """

    name: str
    rows: list[list[object]]
    unsaved_formulas: Callable[[int], dict[int, str]] | None = field(default=None, repr=False)

    def is_empty(self) -> bool:
        """Whether no cell has a value."""
        return not any(cell not in (None, "") for row in self.rows for cell in row)


def _open(path: Path, source_file: str, *, data_only: bool) -> openpyxl.Workbook:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise InputFileError(
            source_file, f"the workbook is damaged and cannot be read ({type(error).__name__}); {_DAMAGED}"
        ) from None


def _xml_problem(archive: zipfile.ZipFile) -> str | None:
    """Say what in the workbook's XML is refused (ranges covering too many cells, a document type), or return None.

    openpyxl makes an object for every cell of a merged or linked range, and
    looks up every merged range for each one-cell link; both are counted
    against :data:`~tcs_themes.ingest.limits.MAX_RANGE_CELLS`. Each sheet's XML
    is scanned with expat (no tree is built) before openpyxl sees it, and so is
    every other XML part, for a document type: Excel never writes one, and its
    entities are how an XML bomb expands (openpyxl's parsers would refuse it
    only as "damaged", or not at all where lxml reads the part). The styles
    part's cell formats and elements are counted against
    :data:`~tcs_themes.ingest.limits.MAX_CELL_FORMATS` and
    :data:`~tcs_themes.ingest.limits.MAX_STYLE_ELEMENTS` (openpyxl builds each).
    """
    total = 0
    sheet = {"merges": 0, "cell_links": 0}  # in the sheet being scanned
    styles = {"elements": 0, "formats": 0}

    def on_style(name: str, _attributes: dict[str, str]) -> None:
        styles["elements"] += 1
        styles["formats"] += name.endswith(" xf")
        if styles["formats"] > MAX_CELL_FORMATS or styles["elements"] > MAX_STYLE_ELEMENTS:
            raise _TooManyStyles

    def on_start(name: str, attributes: dict[str, str]) -> None:
        nonlocal total
        tag = name.rsplit(" ", 1)[-1]
        if tag not in ("mergeCell", "hyperlink") or "ref" not in attributes:
            return
        from openpyxl.utils import range_boundaries

        try:
            low_col, low_row, high_col, high_row = range_boundaries(attributes["ref"])
        except (ValueError, TypeError):
            return  # openpyxl reports a malformed range itself
        area = (high_row - low_row + 1) * (high_col - low_col + 1)
        if tag == "mergeCell":
            total += area + sheet["cell_links"]  # its cells, and one look-up for each one-cell link
            sheet["merges"] += 1
        else:
            total += area + (sheet["merges"] if area == 1 else 0)
            sheet["cell_links"] += area == 1
        if total > MAX_RANGE_CELLS:
            raise _TooManyCells(attributes["ref"])

    def refuse(*_args: object) -> None:
        raise _DocumentType

    for name in archive.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        in_sheet = name.startswith("xl/worksheets/")
        sheet.update(merges=0, cell_links=0)
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = on_start if in_sheet else on_style if name == "xl/styles.xml" else None
        parser.StartDoctypeDeclHandler = refuse
        try:
            with archive.open(name) as member:
                parser.ParseFile(member)
        except _TooManyCells as error:
            return (
                f"the merged and linked ranges (up to {error}) take the sheets over {MAX_RANGE_CELLS:,} cells; "
                "unmerge cells or remove links"
            )
        except _TooManyStyles:
            return (
                f"its styles hold more than {MAX_CELL_FORMATS:,} cell formats or {MAX_STYLE_ELEMENTS:,} elements "
                "(Excel's own limit is 65,490 formats); clear the formats in Excel (Home, Clear, Clear Formats) and save it again"
            )
        except _DocumentType:
            return (
                f"its part {name} declares a document type (where entities that expand without bound live), "
                f"which Excel never writes; {_DAMAGED}"
            )
        except (xml.parsers.expat.ExpatError, ValueError):
            continue  # damaged: openpyxl refuses it with its own error
    return None


class _DocumentType(Exception):
    """Raised from inside expat's callback at a ``<!DOCTYPE``: Excel never writes one, a billion-laughs file does."""


class _TooManyStyles(Exception):
    """Raised from inside expat's callback when the styles part breaks a limit."""


class _TooManyCells(Exception):
    """Raised from inside expat's callback to stop the scan at the range that breaks the limit."""


def check_workbook(path: Path, source_file: str) -> None:
    """Refuse a workbook that would unpack to too much, or whose merged or linked ranges cover too many cells.

    Nothing is unpacked into memory: the zip's declared sizes are checked (see
    :func:`~tcs_themes.zip_limits.zip_problem`), then the sheets' XML is streamed.

    Raises
    ------
    InputFileError
        If the zip cannot be read, unpacks to more than
        :data:`~tcs_themes.ingest.limits.MAX_XLSX_BYTES` or by a zip-bomb ratio,
        has more than :data:`~tcs_themes.ingest.limits.MAX_SHEETS` sheets, or its ranges cover more than
        :data:`~tcs_themes.ingest.limits.MAX_RANGE_CELLS` cells.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            too_big = zip_problem(archive, MAX_XLSX_BYTES)
            sheets = sum(name.startswith("xl/worksheets/") and name.endswith(".xml") for name in archive.namelist())
            foreign = "xl/workbook.xml" not in archive.namelist()  # a zip of something else, named .xlsx
            if too_big:
                problem = f"{too_big}; {_DAMAGED}, or split it"
            elif sheets > MAX_SHEETS:
                problem = f"the workbook has {sheets:,} sheets, more than {MAX_SHEETS:,}; split it into several workbooks"
            else:
                problem = _xml_problem(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputFileError(
            source_file, f"the workbook is damaged and cannot be read ({type(error).__name__}); {_DAMAGED}"
        ) from None
    if problem:
        raise InputFileError(source_file, f"refused: {problem}")
    if foreign:
        raise InputFileError(
            source_file, "the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml); "
            "save it as an Excel workbook (.xlsx) or give it its right extension"
        )


def _cell_values(sheet) -> dict[tuple[int, int], object]:
    """The cells present in the file with a value, by (row, column) from 1.

    openpyxl keeps only the cells a sheet's XML has in ``_cells``; its public
    row iterators fill every cell up to the furthest one, which a single stray
    cell at XFD1048576 makes 17 billion.
    """
    return {key: cell.value for key, cell in sheet._cells.items() if cell.value is not None}  # noqa: SLF001


def _grid_rows(values: dict[tuple[int, int], object], source_file: str, sheet: str) -> list[list[object]]:
    """Rows of cell values, each as long as its last value.

    An error for data beyond the row or column limit, or after a run of more
    than :data:`~tcs_themes.ingest.limits.MAX_EMPTY_ROWS` empty rows (a stray cell).
    """
    if not values:
        return []

    def stray(row: int, column: int, why: str) -> InputFileError:
        from openpyxl.utils import get_column_letter

        cell = f"{get_column_letter(column)}{row}"
        return InputFileError(
            source_file, f"the sheet has data in cell {cell}, {why}; delete the stray cells, or split the sheet",
            where=f"sheet {sheet}",
        )

    far_column = max(values, key=lambda key: key[1])
    if far_column[1] > MAX_COLUMNS:
        raise stray(*far_column, f"beyond the {MAX_COLUMNS:,} columns read")
    first_column = {}
    for row, column in values:
        first_column[row] = min(column, first_column.get(row, column))
    previous = 0
    for row in sorted(first_column):
        if row > MAX_ROWS:
            raise stray(row, first_column[row], f"beyond the {MAX_ROWS:,} rows read")
        if row - previous - 1 > MAX_EMPTY_ROWS:
            raise stray(row, first_column[row], f"after {row - previous - 1:,} empty rows (more than {MAX_EMPTY_ROWS:,})")
        previous = row
    rows: list[list[object]] = [[] for _ in range(previous)]
    for (row, column), value in sorted(values.items()):
        cells = rows[row - 1]
        cells.extend([None] * (column - 1 - len(cells)))
        cells.append(value)
    return rows


class _Formulas:
    """Finds formulas with no saved value; loads the workbook's formulas only when a row looks empty."""

    def __init__(self, path: Path, source_file: str) -> None:
        self._path, self._source_file = path, source_file
        self._book: openpyxl.Workbook | None = None
        self._by_sheet: dict[str, dict[int, dict[int, str]]] = {}

    def lookup(self, sheet: str, values: dict[tuple[int, int], object]) -> Callable[[int], dict[int, str]]:
        def formulas(row: int) -> dict[int, str]:
            if sheet not in self._by_sheet:
                if self._book is None:
                    self._book = _open(self._path, self._source_file, data_only=False)
                found: dict[int, dict[int, str]] = {}
                for (r, c), formula in _cell_values(self._book[sheet]).items():
                    if isinstance(formula, str) and formula.startswith("=") and (r, c) not in values:
                        found.setdefault(r - 1, {})[c - 1] = formula
                self._by_sheet[sheet] = found
            return self._by_sheet[sheet].get(row, {})

        return formulas


def _fill_merged_down(sheet, rows: list[list[object]]) -> None:
    for merged in sheet.merged_cells.ranges:
        column = merged.min_col - 1
        if merged.min_row - 1 >= len(rows):
            continue
        top = rows[merged.min_row - 1]
        value = top[column] if column < len(top) else None
        for row in range(merged.min_row, min(merged.max_row, len(rows))):
            cells = rows[row]
            cells.extend([None] * (column + 1 - len(cells)))
            cells[column] = value


def read_workbook(path: Path, source_file: str, *, fill_merged: bool = True) -> list[Grid]:
    """Return every worksheet of the .xlsx file ``path`` as a :class:`Grid`.

    ``fill_merged=False`` leaves merged cells as Excel stores them (the value in
    the top-left cell only).

    Raises
    ------
    InputFileError
        If the file is empty, not really a workbook, password-protected,
        damaged, unpacks to too much, or has a sheet with data beyond the limits.
    """
    require_kind(path, source_file, "zip", "save it as an Excel workbook (.xlsx) or give it its right extension")
    check_workbook(path, source_file)
    book = _open(path, source_file, data_only=True)
    formulas = _Formulas(path, source_file)
    grids = []
    for sheet in book.worksheets:
        values = _cell_values(sheet)
        rows = _grid_rows(values, source_file, sheet.title)
        if fill_merged:
            _fill_merged_down(sheet, rows)
        while rows and all(cell in (None, "") for cell in rows[-1]):
            rows.pop()
        grids.append(Grid(sheet.title, rows, formulas.lookup(sheet.title, values)))
    book.close()
    return grids
