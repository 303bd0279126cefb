"""Read a CSV export as a grid: the encoding detected, never guessed wrong silently.

UTF-8 (with or without a byte-order mark) and UTF-16 (with a byte-order mark,
or without one when every other byte is zero, as in ASCII text) are read directly. Otherwise the file is read as Windows-1252 (what Excel's
plain "CSV" export writes on Windows) only when the result reads as
Western-European text. A file that mixes UTF-8 with another encoding, or whose
bytes decode to anything else, is an error that names charset-normalizer's
guess and says how to re-save it: short files defeat statistical detectors, so
the toolkit never silently takes a guess.

Bounds: a file over :data:`~tcs_themes.ingest.limits.MAX_CSV_BYTES` is refused
before it is read, and a line or cell over
:data:`~tcs_themes.ingest.limits.MAX_CSV_LINE_CHARS` stops the file with an error
naming the line. NUL bytes in a text file (a damaged export) are removed, and
:func:`read_csv_grid` says how many, for the ingest log.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import charset_normalizer
import pandas as pd

from tcs_themes.errors import InputFileError
from tcs_themes.ingest.charsets import mixes_utf8, plausible_western
from tcs_themes.ingest.limits import MAX_COLUMNS, MAX_CSV_BYTES, MAX_CSV_LINE_CHARS, MAX_ROWS
from tcs_themes.ingest.sniff import content_kind, require_kind, utf16_without_bom
from tcs_themes.ingest.workbooks import Grid
from tcs_themes.zip_limits import size_text

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_RESAVE = "open it in Excel and save it as 'CSV UTF-8 (Comma delimited)', then try again"
_DELIMITERS = ",;\t|"
_TOO_BIG = "the file has more than can be read from one file: "
#: A line with its ending (``\r\n``, ``\r`` or ``\n``), as ``open(newline="")`` splits them.
_LINE = re.compile(r"[^\r\n]*+(?:\r\n?|\n)|[^\r\n]++")
#: A text file with stray NUL bytes has at most this share of NULs in its first 8 KB, and at most
#: :data:`MAX_CONTROL_SHARE` of other control bytes; binary data (a picture renamed .csv) has more.
MAX_NUL_SHARE = 0.1
MAX_CONTROL_SHARE = 0.01
_OTHER_CONTROLS = bytes(range(1, 9)) + bytes(range(14, 32))  # not tab, line feed, vertical tab, form feed, return


def _too_long(what: str) -> str:
    return (
        f"{what} is longer than {MAX_CSV_LINE_CHARS:,} characters, which no table's row is (an unclosed quote makes "
        "the rest of the file one cell); check the quotes on that line, or split the text"
    )


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


def _lines(text: str, source_file: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (no copy of the whole), each within :data:`MAX_CSV_LINE_CHARS`."""
    for number, match in enumerate(_LINE.finditer(text), start=1):
        if match.end() - match.start() > MAX_CSV_LINE_CHARS:
            raise InputFileError(source_file, _too_long(f"line {number:,}"))
        yield match.group()


def _delimiter(text: str, source_file: str) -> str:
    first = next((line for line in _lines(text, source_file) if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


@contextlib.contextmanager
def _fields_up_to(size: int) -> Iterator[None]:
    """Let the csv module read fields of ``size`` characters (its default stops at 128 KB and fails the file).

    Cells longer than :data:`~tcs_themes.ingest.limits.MAX_CELL_CHARS` are cut when
    they become comments, and logged; the file's other rows are kept.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(size)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _check_size_and_kind(path: Path, source_file: str) -> None:
    """Refuse a file over :data:`MAX_CSV_BYTES`, or one that is not text (a few stray NUL bytes are allowed)."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputFileError(
            source_file, f"refused: the file is {size_text(size)}, more than the {size_text(MAX_CSV_BYTES)} one CSV may "
            "have; split it into several files"
        )
    if content_kind(path) == "binary":
        with path.open("rb") as handle:
            head = handle.read(8192)
        controls = len(head) - len(head.translate(None, _OTHER_CONTROLS))
        if head.count(0) <= MAX_NUL_SHARE * len(head) and controls <= MAX_CONTROL_SHARE * len(head):
            return  # text with stray NUL bytes: read, the NULs removed and logged
    require_kind(path, source_file, "text", "give it its right extension (.xlsx, .eml, ...) or export it as CSV")


def _without_nuls(text: str) -> tuple[str, str | None]:
    """``text`` without NUL characters, and a note for the log when it had any."""
    first = text.find("\x00")
    if first < 0:
        return text, None
    count = text.count("\x00")
    line = text.count("\n", 0, first) + 1
    note = f"{count:,} NUL byte{'s' * (count > 1)} removed (the first on line {line:,}); the rest of the file read as it is"
    return text.replace("\x00", ""), note


def read_csv_text(path: Path, source_file: str) -> tuple[str, str, str | None]:
    """The text of the CSV file ``path``, checked against the limits before and while it is read.

    The file is refused before it is read when over :data:`MAX_CSV_BYTES` or binary;
    it is decoded as :func:`decode_csv_bytes` says (a byte-order mark dropped), its
    NUL characters removed, and every line checked against :data:`MAX_CSV_LINE_CHARS`.
    Every reader of a CSV file goes through here: ingest, analyst-coded files and
    the toolkit's own tables (:func:`tcs_themes.tables.read_table`, ``tcs-themes code``).

    Returns
    -------
    tuple
        The text, the encoding, and a note for a log when NUL bytes were removed (else None).

    Raises
    ------
    InputFileError
        If the file is over a limit, binary, empty of bytes, or its encoding cannot be told.
    """
    _check_size_and_kind(path, source_file)
    text, encoding = decode_csv_bytes(path.read_bytes(), source_file)
    text, note = _without_nuls(text.removeprefix("\ufeff"))
    for _line in _lines(text, source_file):  # each checked against MAX_CSV_LINE_CHARS as it comes
        pass
    return text, encoding, note


def bounded_csv_frame(text: str, source_file: str, **options: Any) -> pd.DataFrame:
    """``pandas.read_csv`` of ``text`` (from :func:`read_csv_text`) within :data:`MAX_COLUMNS` and :data:`MAX_ROWS`.

    ``options`` are passed to ``pandas.read_csv`` (not ``nrows``: the row limit sets it).

    Raises
    ------
    InputFileError
        If the header has more than :data:`MAX_COLUMNS` columns, the file more than
        :data:`MAX_ROWS` rows, or pandas cannot parse it (its error's kind only, never its text).
    """
    try:
        header = pd.read_csv(io.StringIO(text), nrows=0, sep=options.get("sep", ",")).columns
        frame = None if len(header) > MAX_COLUMNS else pd.read_csv(io.StringIO(text), nrows=MAX_ROWS + 1, **options)
    except (ValueError, IndexError) as error:  # pandas' ParserError and EmptyDataError are ValueErrors
        raise InputFileError(source_file, f"is not a readable CSV ({type(error).__name__}); {_RESAVE}") from None
    if frame is None:
        raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_COLUMNS:,} columns in its header; split it")
    if len(frame) > MAX_ROWS:
        raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_ROWS:,} rows; split it")
    check_cell_lengths(frame, source_file)
    return frame


def check_cell_lengths(frame: pd.DataFrame, source_file: str, first_row: int = 2) -> None:
    """Refuse a frame read from a CSV that has a cell over :data:`MAX_CSV_LINE_CHARS` characters.

    Lines are checked as the file is read (:func:`read_csv_text`); a quoted cell can
    still span many short lines, which only its length shows. ``first_row`` is the
    CSV row of the frame's first row, for the message.

    Raises
    ------
    InputFileError
        Naming the column and row of the first such cell.
    """
    for column in frame.columns:
        values = frame[column]
        if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
            continue
        too_long = (values.astype("string").str.len() > MAX_CSV_LINE_CHARS).fillna(False).to_numpy(dtype=bool)
        if too_long.any():
            row = first_row + int(too_long.argmax())
            raise InputFileError(source_file, _too_long(f"the cell in column '{column}' of row {row:,}"))


def read_csv_grid(path: Path, source_file: str) -> tuple[Grid, str, str | None]:
    """Read the CSV file ``path`` as a :class:`Grid` named after its stem.

    The delimiter (comma, semicolon, tab or bar) is taken from the first line.
    Empty cells become ``None``; ``rows[i]`` is record ``i + 1``, as Excel numbers rows.

    Returns
    -------
    tuple
        The grid, the encoding, and a note for the ingest log when NUL bytes were removed (else None).

    Raises
    ------
    InputFileError
        If the file is over a limit (:data:`MAX_CSV_BYTES`, :data:`MAX_CSV_LINE_CHARS`,
        ``MAX_ROWS``, ``MAX_COLUMNS``), binary, empty, or its encoding cannot be told.
    """
    text, encoding, note = read_csv_text(path, source_file)
    rows: list[list[object]] = []
    record_start = 1
    reader = csv.reader(_lines(text, source_file), delimiter=_delimiter(text, source_file), strict=False)
    try:
        with _fields_up_to(MAX_CSV_LINE_CHARS):
            for record in reader:
                record_start = reader.line_num + 1  # of the next record, for a message
                cells = [cell if cell.strip() else None for cell in record]
                if len(rows) == MAX_ROWS and any(cells):
                    raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_ROWS:,} rows; split it")
                if len(record) > MAX_COLUMNS:
                    raise InputFileError(source_file, f"{_TOO_BIG}more than {MAX_COLUMNS:,} columns in row {len(rows) + 1}")
                if len(rows) < MAX_ROWS:
                    rows.append(cells)
    except csv.Error as error:
        if "field limit" in str(error):
            raise InputFileError(source_file, _too_long(f"a cell starting on line {record_start:,}")) from None
        raise InputFileError(source_file, f"is not a readable CSV ({error}); {_RESAVE}") from None
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputFileError(source_file, "the file has no rows; export it again")
    return Grid(Path(source_file).stem, rows), encoding, note
