"""Read the sheets of an .xlsx workbook as grids of cell values.

Values of formulas are the ones Excel saved (openpyxl ``data_only``); merged
cells are filled down from their top-left cell, so a session or question
merged over several rows applies to each of them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from tcs_themes.errors import InputFileError
from tcs_themes.ingest.sniff import require_kind


@dataclass
class Grid:
    """One sheet (or a CSV file) as rows of cell values.

    Attributes
    ----------
    name : str
        Sheet name (for a CSV, the file's stem).
    rows : list of list
        Cell values; ``rows[i]`` is spreadsheet row ``i + 1``.
    unsaved_formula : callable or None
        ``(row_index, column_index) -> formula`` for a cell whose formula has no
        saved value (``None`` otherwise); only for workbooks.
    """

    name: str
    rows: list[list[object]]
    unsaved_formula: Callable[[int, int], str | None] | None = field(default=None, repr=False)

    def is_empty(self) -> bool:
        """Whether no cell has a value."""
        return not any(cell not in (None, "") for row in self.rows for cell in row)


def _open(path: Path, source_file: str, *, data_only: bool) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise InputFileError(
            source_file,
            f"the workbook is damaged and cannot be read ({type(error).__name__}); "
            "open it in Excel and save it again",
        ) from None


class _Formulas:
    """Loads the workbook's formulas only when a cell looks empty (their values were not saved)."""

    def __init__(self, path: Path, source_file: str) -> None:
        self._path, self._source_file = path, source_file
        self._book: openpyxl.Workbook | None = None

    def lookup(self, sheet: str) -> Callable[[int, int], str | None]:
        def formula(row: int, column: int) -> str | None:
            if self._book is None:
                self._book = _open(self._path, self._source_file, data_only=False)
            value = self._book[sheet].cell(row=row + 1, column=column + 1).value
            return value if isinstance(value, str) and value.startswith("=") else None

        return formula


def _fill_merged_down(sheet, rows: list[list[object]]) -> None:
    for merged in sheet.merged_cells.ranges:
        column = merged.min_col - 1
        if merged.min_row - 1 >= len(rows):
            continue
        value = rows[merged.min_row - 1][column]
        for row in range(merged.min_row, min(merged.max_row, len(rows))):
            rows[row][column] = value


def read_workbook(path: Path, source_file: str) -> list[Grid]:
    """Return every worksheet of the .xlsx file ``path`` as a :class:`Grid`.

    Raises
    ------
    InputFileError
        If the file is empty, not really a workbook, password-protected or damaged.
    """
    require_kind(path, source_file, "zip", "save it as an Excel workbook (.xlsx) or give it its right extension")
    book = _open(path, source_file, data_only=True)
    formulas = _Formulas(path, source_file)
    grids = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
        _fill_merged_down(sheet, rows)
        while rows and all(cell in (None, "") for cell in rows[-1]):
            rows.pop()
        grids.append(Grid(sheet.title, rows, formulas.lookup(sheet.title)))
    book.close()
    return grids
