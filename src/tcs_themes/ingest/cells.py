"""Turn spreadsheet cell values into text and dates.

Numbers and dates typed in a text column become text as Excel shows them
(``3``, not ``3.0``; ``2022-07-05``, not ``2022-07-05 00:00:00``).
"""

from __future__ import annotations

import datetime
import functools
import re

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


def tidy_column(column: pd.Series) -> pd.Series:
    """Give a carried-through column one type, so it can be written to Parquet.

    All numbers: ``Int64`` or ``float64``; all dates: ``datetime64``; otherwise
    text (``string``), numbers and dates in it written as :func:`cell_text` does.
    """
    values = column.dropna()
    if not values.empty and values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).all():
        numbers = pd.to_numeric(column)
        return numbers.astype("Int64") if (numbers.dropna() % 1 == 0).all() else numbers
    if not values.empty and values.map(lambda v: isinstance(v, datetime.date)).all():
        return pd.to_datetime(column)
    return column.map(lambda v: None if is_empty(v) else cell_text(v)).astype("string")
