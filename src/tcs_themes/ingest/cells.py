"""Turn spreadsheet cell values into text and dates.

Numbers and dates typed in a text column become text as Excel shows them
(``3``, not ``3.0``; ``2022-07-05``, not ``2022-07-05 00:00:00``).
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

import pandas as pd

#: Values Excel shows for a formula that failed.
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"})


def is_empty(value: object) -> bool:
    """Whether a cell holds nothing (``None``, NaN or only whitespace)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object) -> str:
    """Return the text of a cell: line breaks kept, lines trimmed, numbers and dates as Excel shows them."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def cell_date(value: object) -> pd.Timestamp | None:
    """Return a cell as a date (day first for text such as ``05/07/2022``), or ``None``."""
    if is_empty(value) or isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return pd.Timestamp(value)
    return _parse_date(cell_text(value))


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> pd.Timestamp | None:
    """Parse a date written as text: common UK forms first, then pandas (day first)."""
    for form in _DATE_FORMATS:
        try:
            return pd.Timestamp(datetime.datetime.strptime(text, form))
        except ValueError:
            continue
    try:
        stamp = pd.to_datetime(text, dayfirst=True, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(stamp) else stamp


@dataclass(frozen=True)
class ColumnType:
    """What the values of a carried-through column seen so far are: the type it gets is :attr:`dtype`.

    Gathered a part of the table at a time (:meth:`seen`), so a column can be given the
    type of the whole table while its parts are written one by one.
    """

    values: bool = False  # any value at all
    numbers: bool = True  # every value a number
    whole: bool = True  # every value a whole number
    dates: bool = True  # every value a date

    def seen(self, column: pd.Series) -> ColumnType:
        """This with the values of ``column`` seen too."""
        values = column.dropna()
        if values.empty:
            return self
        numbers = bool(values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).all())
        return ColumnType(
            values=True,
            numbers=self.numbers and numbers,
            whole=self.whole and numbers and bool((pd.to_numeric(values) % 1 == 0).all()),
            dates=self.dates and bool(values.map(lambda v: isinstance(v, datetime.date)).all()),
        )

    def joined(self, other: ColumnType) -> ColumnType:
        """This with the values ``other`` saw seen too: ``kind.joined(ColumnType().seen(column)) == kind.seen(column)``."""
        return ColumnType(
            values=self.values or other.values,
            numbers=self.numbers and other.numbers,
            whole=self.whole and other.whole,
            dates=self.dates and other.dates,
        )

    @property
    def dtype(self) -> str:
        """``Int64`` or ``float64`` when all values are numbers, ``datetime`` when all are dates, else ``string``."""
        if self.values and self.numbers:
            return "Int64" if self.whole else "float64"
        return "datetime" if self.values and self.dates else "string"


def as_column_type(column: pd.Series, dtype: str) -> pd.Series:
    """``column`` as ``dtype`` (a :attr:`ColumnType.dtype`): text written as :func:`cell_text` does."""
    if dtype in ("Int64", "float64"):
        return pd.to_numeric(column).astype(dtype)
    if dtype == "datetime":
        return pd.to_datetime(column)
    return column.map(lambda v: None if is_empty(v) else cell_text(v)).astype("string")


def tidy_column(column: pd.Series) -> pd.Series:
    """Give a carried-through column one type, so it can be written to Parquet.

    All numbers: ``Int64`` or ``float64``; all dates: ``datetime64``; otherwise
    text (``string``), numbers and dates in it written as :func:`cell_text` does.
    """
    return as_column_type(column, ColumnType().seen(column).dtype)
