"""Read a CSV export as a grid: the encoding detected, never guessed wrong silently.

UTF-8 (with or without a byte-order mark) and UTF-16 (with a byte-order mark,
or without one when every other byte is zero, as in ASCII text) are read directly. Otherwise the file is read as Windows-1252 (what Excel's
plain "CSV" export writes on Windows) only when the result reads as
Western-European text. A file that mixes UTF-8 with another encoding, or whose
bytes decode to anything else, is an error that names charset-normalizer's
guess and says how to re-save it: short files defeat statistical detectors, so
the toolkit never silently takes a guess.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer

from tcs_themes.errors import InputFileError
from tcs_themes.ingest.charsets import mixes_utf8, plausible_western
from tcs_themes.ingest.limits import MAX_COLUMNS, MAX_ROWS
from tcs_themes.ingest.sniff import require_kind, utf16_without_bom
from tcs_themes.ingest.workbooks import Grid

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_RESAVE = "open it in Excel and save it as 'CSV UTF-8 (Comma delimited)', then try again"
_DELIMITERS = ",;\t|"
_TOO_BIG = "the file has more than can be read from one file: "


def decode_csv_bytes(data: bytes, source_file: str) -> tuple[str, str]:
    """Decode the bytes of a CSV file; return the text and the encoding used.

    Raises
    ------
    InputFileError
        If the encoding cannot be decided (mixed encodings, or not a Western
        encoding); the message says how to re-save the file.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputFileError(source_file, f"the file starts as {encoding} but is damaged; {_RESAVE}") from None
    utf16 = utf16_without_bom(data[:8192])
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise InputFileError(source_file, f"the file looks like {utf16} but is damaged; {_RESAVE}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if mixes_utf8(data):
        raise InputFileError(
            source_file, f"cannot tell the file's encoding: it mixes UTF-8 with another encoding; {_RESAVE}"
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and plausible_western(text):
        return text, "cp1252"
    guess = charset_normalizer.from_bytes(data).best()
    looks = f"; it looks like {guess.encoding}" if guess is not None else ""
    raise InputFileError(
        source_file, f"cannot tell the file's encoding (not UTF-8 or Windows-1252{looks}); {_RESAVE}"
    )


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


@contextlib.contextmanager
def _fields_up_to(size: int) -> Iterator[None]:
    """Let the csv module read fields as long as the whole file (its default stops at 128 KB and fails the file).

    Cells longer than :data:`~tcs_themes.ingest.limits.MAX_CELL_CHARS` are cut when
    they become comments, and logged; the file's other rows are kept.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv_grid(path: Path, source_file: str) -> tuple[Grid, str]:
    """Read the CSV file ``path`` as a :class:`Grid` named after its stem; return it and the encoding.

    The delimiter (comma, semicolon, tab or bar) is taken from the first line.
    Empty cells become ``None``; ``rows[i]`` is record ``i + 1``, as Excel numbers rows.
    """
    require_kind(path, source_file, "text", "give it its right extension (.xlsx, .eml, ...) or export it as CSV")
    text, encoding = decode_csv_bytes(path.read_bytes(), source_file)
    text = text.removeprefix("\ufeff")
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    try:
        with _fields_up_to(len(text)):
            for record in reader:
                cells = [cell if cell.strip() else None for cell in record]
                if len(rows) == MAX_ROWS and any(cells):
                    raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_ROWS:,} rows; split it")
                if len(record) > MAX_COLUMNS:
                    raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_COLUMNS:,} columns in row {len(rows) + 1}")
                if len(rows) < MAX_ROWS:
                    rows.append(cells)
    except csv.Error as error:
        raise InputFileError(source_file, f"is not a readable CSV ({error}); {_RESAVE}") from None
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputFileError(source_file, "the file has no rows; export it again")
    return Grid(Path(source_file).stem, rows), encoding
