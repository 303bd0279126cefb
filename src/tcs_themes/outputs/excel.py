"""Safe, tidy Excel tables with openpyxl: the building blocks of the theme-count workbook.

:func:`safe_text` neutralises text a spreadsheet would run as a formula (the
rule every CSV follows too, :func:`tcs_themes.formulas.defuse`: a leading ``=``,
``+``, ``-``, ``@``, tab or carriage return gets an apostrophe in front) and drops
characters XML cannot hold. :func:`add_table` writes a DataFrame as a real Excel table (filters,
banded rows) with number formats and column widths.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from tcs_themes.formulas import defuse
INTEGER = "#,##0"
PERCENT = "0.0%"
DECIMAL = "0.00"
DATE = "yyyy-mm-dd"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60
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


def add_table(
    sheet: Worksheet,
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
    sheet : Worksheet
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
        cell = sheet.cell(row=top, column=left + offset, value=header)
        cell.font = Font(bold=True)
    values = frame.astype(object).to_numpy()
    for r, row in enumerate(values, start=top + 1):
        for c, value in enumerate(row):
            sheet.cell(row=r, column=left + c, value=cell_value(value))
    last = top + max(len(frame), 1)
    for offset, column in enumerate(frame.columns):
        letter = get_column_letter(left + offset)
        fmt = formats.get(column)
        wrapped = column in wrap
        for r in range(top + 1, top + 1 + len(frame)):
            cell = sheet.cell(row=r, column=left + offset)
            if fmt:
                cell.number_format = fmt
            if wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        lengths = [len(headers[offset])] + [len(str(v)) for v in frame[column].head(500) if not pd.isna(v)]
        width = _WRAP_WIDTH if wrapped else min(max(lengths) + 2, _MAX_WIDTH)
        if fmt == DATE:
            width = max(width, 12)
        sheet.column_dimensions[letter].width = max(width, 8)
    ref = f"{get_column_letter(left)}{top}:{get_column_letter(left + len(headers) - 1)}{last}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    if freeze:
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    return top + 1, last
