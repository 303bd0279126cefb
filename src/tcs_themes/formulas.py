"""Keep spreadsheet programs from running text as a formula: one rule for every CSV and workbook.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can run as a formula when the file is opened in Excel or LibreOffice
(OWASP's "CSV injection"); so can the full-width forms ``＝ ＋ － ＠`` (which
East Asian keyboards type and Excel reads as their ASCII twins), and any of
these after leading spaces or line breaks. :func:`defuse` puts an apostrophe
in front of such text. Text that already starts with apostrophes before one of those characters
gets one more, so :func:`restore` (used when the toolkit reads its own CSV
files back) gives the exact original text for every string.

Only text is changed: numbers stay numbers (a score of -0.5 is a number cell,
which no spreadsheet runs). Parquet files keep the exact text and never pass
through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Characters a spreadsheet skips before a formula character (spaces, line feeds, no-break and ideographic spaces).
_LEADING = "[ \n\u00a0\u3000]*"
_STARTS = "[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]"
#: Text that needs (or, when read back, carries) the apostrophe: apostrophes, spaces, then a formula character.
_NEEDS_APOSTROPHE = f"^('*{_LEADING}{_STARTS})"
_DEFUSED = f"^'+{_LEADING}{_STARTS}"
_NEEDS = re.compile(_NEEDS_APOSTROPHE)
_CARRIES = re.compile(_DEFUSED)
_FORMULA = re.compile(_LEADING + _STARTS)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (after any spaces).

    >>> [starts_formula(t) for t in ("=1+1", "  @cmd", "\uff1dSUM(A1)", "'=1+1", "a=b")]
    [True, True, True, False, False]
    """
    return _FORMULA.match(text) is not None


def defuse(text: str) -> str:
    """Return ``text`` that no spreadsheet runs as a formula (an apostrophe in front when needed)."""
    return "'" + text if _NEEDS.match(text) else text


def restore(text: str) -> str:
    """Undo :func:`defuse`: ``restore(defuse(t)) == t`` for every string ``t``."""
    return text[1:] if _CARRIES.match(text) else text


def _text_hits(column: pd.Series, pattern: re.Pattern[str]) -> pd.Series | None:
    """Which cells of ``column`` are text matching ``pattern`` (None for number, date and boolean columns)."""
    if pd.api.types.is_string_dtype(column) and not pd.api.types.is_object_dtype(column):
        return column.str.match(pattern, na=False).astype(bool)
    if pd.api.types.is_object_dtype(column):
        return column.map(lambda value: isinstance(value, str) and pattern.match(value) is not None).astype(bool)
    return None


def _map_text(frame: pd.DataFrame, change: Callable[[str], str], pattern: re.Pattern[str]) -> pd.DataFrame:
    """Apply ``change`` to the text cells and column names that match ``pattern``; other cells stay as they are."""
    out = frame.copy(deep=False)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = column.cat.categories
            out.isetitem(position, column.cat.rename_categories(_map_text(pd.DataFrame({0: categories}), change, pattern)[0].tolist()))
            continue
        hits = _text_hits(column, pattern)
        if hits is not None and hits.any():
            column = column.copy()
            column[hits] = column[hits].map(change)
            out.isetitem(position, column)
    out.columns = [change(name) if isinstance(name, str) else name for name in out.columns]
    return out


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell and column name passed through :func:`defuse`."""
    return _map_text(frame, defuse, _NEEDS)


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell and column name passed through :func:`restore`."""
    return _map_text(frame, restore, _CARRIES)


def defuse_arrow(table: pa.Table) -> pa.Table:
    """Return ``table`` with every string cell and column name passed through :func:`defuse` (vectorised)."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.replace_substring_regex(column, pattern=_NEEDS_APOSTROPHE, replacement="'\\1")
        columns.append(column)
    return pa.table(columns, names=[defuse(name) for name in table.column_names])
