"""Safe, tidy Excel tables with openpyxl: the building blocks of the theme-count workbook.

:func:`safe_text` neutralises text a spreadsheet would run as a formula (the
rule every CSV follows too, :func:`tcs_themes.formulas.defuse`: a leading ``=``,
``+``, ``-``, ``@``, tab or carriage return gets an apostrophe in front) and drops
characters XML cannot hold. :func:`add_table` writes a DataFrame as a real Excel table (filters,
banded rows) with number formats and column widths. Workbooks are write-only
(:class:`StagedWorkbook`): small sheets are laid out cell by cell and written at
the end, big ones (a row per comment) are streamed with :func:`stream_table`, so
memory does not grow with the number of comments.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart._chart import ChartBase
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from tcs_themes.formulas import defuse
INTEGER = "#,##0"
PERCENT = "0.0%"
DECIMAL = "0.00"
DATE = "yyyy-mm-dd"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60
_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WRAP_WIDTH = 80


def xml_text(value: str) -> str:
    """Return ``value`` without the control characters XML (and so xlsx and docx) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def safe_text(value: str) -> str:
    """Return ``value`` safe to put in a cell: never a formula, no XML-illegal characters."""
    return defuse(xml_text(value))


def safe_sheet_name(name: str, taken: set[str] | None = None) -> str:
    """Return a valid, unique (case-insensitively) Excel sheet name for ``name``.

    Excel forbids ``[ ] : * ? / \\``, a leading or trailing apostrophe, empty names and
    names over 31 characters.
    """
    clean = _SHEET_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", str(name))).strip().strip("'").strip()
    clean = clean[:31].strip() or "Sheet"
    taken_lower = {t.lower() for t in taken or set()}
    candidate, number = clean, 2
    while candidate.lower() in taken_lower:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def unique_headers(names: list[str]) -> list[str]:
    """Return table header names that are text, one line, safe and unique (Excel requires it)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = safe_text(" ".join(str(name).split())) or "Column"
        header, number = base, 2
        while header.lower() in seen:
            header, number = f"{base} ({number})", number + 1
        seen.add(header.lower())
        out.append(header)
    return out


def cell_value(value: object) -> object:
    """Convert a pandas/numpy value into one openpyxl writes as data (text made safe)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return cell_value(value.item())
    if isinstance(value, list | tuple):
        return safe_text("; ".join(str(v) for v in value))
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool | int | float | datetime | date):
        return value
    return safe_text(str(value))


def _cell_values(column: pd.Series) -> list[object]:
    """:func:`cell_value` of every value of ``column``: NumPy numbers converted a column at a time."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # NumPy integers (not Int64) are never missing
        return column.tolist()
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":
        return [None if math.isnan(value) else value for value in column.tolist()]
    return [cell_value(value) for value in column.astype(object).tolist()]


class _StreamedSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, taking a ready-made cell in a row (a styled one) as it is.

    openpyxl first tries to store such a cell as a value, and takes it as the cell
    only once that has failed, formatting an error message each time: a third of
    the time of a sheet of styled cells. The same cells are written, so the same bytes.
    """

    def _values_to_row(self, values: Iterable[object], row_idx: int) -> Iterator[Cell]:
        cell = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell.value = value
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell
            if cell.has_style or cell.hyperlink:  # reset the cell once a style was applied
                cell = WriteOnlyCell(self)


class StagedSheet:
    """A sheet of a write-only workbook, filled cell by cell in any order and written out by :meth:`flush`.

    Write-only workbooks stream rows to disk, so a workbook of a million comments
    fits in little memory; they only take whole rows, in order. The small sheets
    (counts, codebook, method) are laid out freely here first, with the
    ``cell``/``sheet["A1"]``/``add_table``/``add_chart`` calls of an ordinary sheet.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self._cells: dict[tuple[int, int], Cell] = {}

    @property
    def title(self) -> str:
        """The sheet's name."""
        return self.sheet.title

    @property
    def column_dimensions(self):  # noqa: ANN201 - openpyxl's DimensionHolder
        """Column widths, as on an ordinary sheet."""
        return self.sheet.column_dimensions

    def cell(self, row: int, column: int, value: object = None) -> Cell:
        """The cell at (``row``, ``column``), created if needed; ``value`` is set when given."""
        cell = self._cells.get((row, column))
        if cell is None:
            cell = self._cells[row, column] = WriteOnlyCell(self.sheet)
        if value is not None:
            cell.value = value
        return cell

    def __getitem__(self, coordinate: str) -> Cell:
        return self.cell(*coordinate_to_tuple(coordinate))

    def __setitem__(self, coordinate: str, value: object) -> None:
        self.cell(*coordinate_to_tuple(coordinate), value=value)

    def add_table(self, table: Table) -> None:
        """Add an Excel table (its header cells must be set)."""
        _add_table(self.sheet, table)

    def add_chart(self, chart: ChartBase, anchor: str) -> None:
        """Add a chart anchored at ``anchor``."""
        self.sheet.add_chart(chart, anchor)

    @property
    def freeze_panes(self) -> str | None:
        """The top-left unfrozen cell, as on an ordinary sheet."""
        return self.sheet.freeze_panes

    @freeze_panes.setter
    def freeze_panes(self, coordinate: str | None) -> None:
        self.sheet.freeze_panes = coordinate

    def flush(self) -> None:
        """Write the staged cells out, row by row (call once, before the workbook is saved)."""
        if not self._cells:
            return
        rows = max(r for r, _ in self._cells)
        columns = max(c for _, c in self._cells)
        for r in range(1, rows + 1):
            self.sheet.append([self._cells.get((r, c)) for c in range(1, columns + 1)])
        self._cells = {}


class StagedWorkbook:
    """A write-only workbook: small sheets staged (:class:`StagedSheet`), big ones streamed row by row."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self._staged: list[StagedSheet] = []

    @property
    def sheetnames(self) -> list[str]:
        """The sheet names so far, in order."""
        return self.book.sheetnames

    @property
    def properties(self):  # noqa: ANN201 - openpyxl's DocumentProperties
        """The document properties (title, creator)."""
        return self.book.properties

    def create_sheet(self, title: str) -> StagedSheet:
        """Add a sheet to fill cell by cell."""
        sheet = StagedSheet(self.book.create_sheet(title))
        self._staged.append(sheet)
        return sheet

    def create_streamed_sheet(self, title: str) -> WriteOnlyWorksheet:
        """Add a sheet written row by row (see :func:`stream_table`)."""
        sheet = _StreamedSheet(parent=self.book, title=title)  # what book.create_sheet makes, quicker with styled cells
        self.book._add_sheet(sheet)  # noqa: SLF001 - how openpyxl's create_sheet adds a write-only sheet
        return sheet

    def save(self, path: str | Path) -> None:
        """Write the staged sheets out and save the workbook to ``path``."""
        for sheet in self._staged:
            sheet.flush()
        self.book.save(path)


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of the ``.xlsx`` file ``path``, in order, read from its workbook part alone.

    Unlike opening the workbook, this does not read its shared strings, so it stays quick
    and small for a workbook of a million comments.
    """
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    return [sheet.get("name", "") for sheet in root.iter(f"{{{_SPREADSHEET_NS}}}sheet")]


def _width(header: str, sample: pd.Series, fmt: str | None, wrapped: bool) -> float:
    """A column's width: its longest value in ``sample`` (capped), wide for wrapped text, 12 for dates."""
    lengths = [len(header)] + [len(str(v)) for v in sample if not pd.isna(v)]
    width = _WRAP_WIDTH if wrapped else min(max(lengths) + 2, _MAX_WIDTH)
    if fmt == DATE:
        width = max(width, 12)
    return max(width, 8)


def _add_table(sheet: WriteOnlyWorksheet, table: Table) -> None:
    """Add ``table`` to a write-only sheet (its columns are named by :func:`_excel_table`, as openpyxl asks)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="In write-only mode you must add table columns manually")
        sheet.add_table(table)


def _excel_table(name: str, headers: list[str], top: int, left: int, last: int) -> Table:
    """An Excel table over the header row ``top`` to row ``last``, its columns named by ``headers``."""
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(headers) - 1)}{last}"
    table = Table(displayName=name, ref=ref)
    table.tableColumns = [TableColumn(id=k, name=header) for k, header in enumerate(headers, start=1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    return table


def add_table(
    sheet: StagedSheet,
    frame: pd.DataFrame,
    name: str,
    *,
    top: int = 1,
    left: int = 1,
    formats: dict[str, str] | None = None,
    wrap: tuple[str, ...] = (),
    freeze: bool = True,
) -> tuple[int, int]:
    """Write ``frame`` as an Excel table on ``sheet`` and return its (first, last) data rows.

    Parameters
    ----------
    sheet : StagedSheet
        Where to write.
    frame : DataFrame
        The data; its column names become the headers (made unique and safe).
    name : str
        The table's name: letters, digits and underscores, starting with a letter,
        unique in the workbook.
    top, left : int
        The header cell (1-based row and column).
    formats : dict, optional
        Column name -> number format.
    wrap : tuple of str
        Columns whose text wraps in a wide column.
    freeze : bool, default True
        Freeze the rows above and including the header.
    """
    formats = formats or {}
    headers = unique_headers(list(frame.columns))
    for offset, header in enumerate(headers):
        sheet.cell(row=top, column=left + offset, value=header).font = Font(bold=True)
    values = frame.astype(object).to_numpy()
    wrapping = Alignment(wrap_text=True, vertical="top")
    for offset, column in enumerate(frame.columns):
        fmt, wrapped = formats.get(column), column in wrap
        for r, value in enumerate(values[:, offset], start=top + 1):
            cell = sheet.cell(row=r, column=left + offset, value=cell_value(value))
            if fmt:
                cell.number_format = fmt
            if wrapped:
                cell.alignment = wrapping
        width = _width(headers[offset], frame[column].head(500), fmt, wrapped)
        sheet.column_dimensions[get_column_letter(left + offset)].width = width
    last = top + max(len(frame), 1)
    sheet.add_table(_excel_table(name, headers, top, left, last))
    if freeze:
        sheet.freeze_panes = f"A{top + 1}"
    return top + 1, last


def stream_table(
    sheet: WriteOnlyWorksheet,
    chunks: Iterable[pd.DataFrame],
    name: str,
    *,
    formats: dict[str, str] | None = None,
    wrap: tuple[str, ...] = (),
    style_empty: bool = False,
) -> int:
    """Write ``chunks`` (DataFrames with the same columns) as one Excel table from A1 of an empty sheet.

    Rows go to disk as they are written, so memory does not grow with the
    number of rows. Widths come from the first chunk's first 500 rows; the
    header row is frozen. With ``style_empty`` the empty cells of formatted or
    wrapped columns are written with their style, as :func:`add_table` writes them
    (otherwise they are left out). Returns the number of data rows written.
    """
    formats = formats or {}
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        raise ValueError("stream_table needs at least one chunk (it may be empty) to know the columns")
    headers = unique_headers(list(first.columns))
    wrapping = Alignment(wrap_text=True, vertical="top")
    styles = []  # per column: None, or the style array of a cell styled once, shared by the column's cells
    for offset, column in enumerate(first.columns):
        fmt, wrapped = formats.get(column), column in wrap
        sheet.column_dimensions[get_column_letter(offset + 1)].width = _width(headers[offset], first[column].head(500), fmt, wrapped)
        template = WriteOnlyCell(sheet)
        if fmt:
            template.number_format = fmt
        if wrapped:
            template.alignment = wrapping
        styles.append(template._style if fmt or wrapped else None)  # styling each cell anew is 3x slower
    sheet.freeze_panes = "A2"
    header_cells = [WriteOnlyCell(sheet, value=header) for header in headers]
    for cell in header_cells:
        cell.font = Font(bold=True)
    sheet.append(header_cells)
    written = 0
    for chunk in itertools.chain([first], chunks):
        for row in zip(*(_cell_values(column) for _, column in chunk.items()), strict=True):
            cells = []
            for value, style in zip(row, styles, strict=True):
                if style is not None and (value is not None or style_empty):
                    value = WriteOnlyCell(sheet, value=value)
                    value._style = style
                cells.append(value)
            sheet.append(cells)
        written += len(chunk)
    _add_table(sheet, _excel_table(name, headers, 1, 1, 1 + max(written, 1)))
    return written
