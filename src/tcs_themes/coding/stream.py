"""Code comment tables of any size in batches: read a chunk, code it, append it to the outputs.

Memory stays flat as inputs grow: Parquet is read row group by row group
(re-batched), CSV in chunks, and the coded CSV, Parquet and uncoded list are
written as each batch is coded. Raw inputs (spreadsheets, emails) are ingested
first with :func:`tcs_themes.ingest.ingest`. Because each comment is coded on
its own, the output does not depend on the batch size or the number of worker
processes.
"""

from __future__ import annotations

import gc
import io
import glob
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from tcs_themes.atomic_write import cannot_write, temporary_path
from tcs_themes.coding.analyst_codes import CodeProblem, code_table, problem_messages
from tcs_themes.coding.coded_table import INPUT_PREFIX
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.errors import CodingInputError, InputFileError
from tcs_themes.formulas import defuse_arrow, restore_frame
from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, SCORE_PREFIX, UNCODED, split_list
from tcs_themes.tables import open_parquet, read_table

TEXT_COLUMN = "text"
OUTPUT_NAMES = {"csv": "coded.csv", "parquet": "coded.parquet", "uncoded": "uncoded.csv"}


@dataclass
class CodingSummary:
    """What a coding run did.

    Attributes
    ----------
    comments, coded, uncoded : int
        Comments read, given at least one theme, and given none.
    low_confidence : int
        Coded comments whose one theme was given although no theme reached its threshold
        (``low_confidence`` in the coded table): review them first.
    theme_counts : dict of str to int
        Comments per theme, most common first.
    themes_per_comment : dict of int to int
        How many comments got 0, 1, 2... themes.
    outputs : dict of str to Path
        ``csv``, ``parquet`` and ``uncoded`` output files.
    code_sources : dict of str to int
        Comments per ``code_source``: ``analyst`` (the input's codes) and ``machine``.
    notices : list of str
        Ingest errors and warnings for raw inputs, and analyst codes not in the
        codebook (one line each, no comment text).
    errors : list of str
        The errors among ``notices``: input files that could not be read, analyst codes not in the codebook.
    problems : list of CodeProblem
        The analyst codes not in the codebook, one per label (their comments keep the machine's codes).
    reviewed : int
        Comments whose codes come from a review decision (``decisions`` of :func:`code_files`).
    """

    comments: int = 0
    coded: int = 0
    uncoded: int = 0
    low_confidence: int = 0
    theme_counts: dict[str, int] = field(default_factory=dict)
    themes_per_comment: dict[int, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    code_sources: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    problems: list[CodeProblem] = field(default_factory=list)
    reviewed: int = 0

    @property
    def mean_themes(self) -> float:
        """Mean number of themes per coded comment."""
        total = sum(k * v for k, v in self.themes_per_comment.items())
        return total / self.coded if self.coded else 0.0

    def add(self, batch: EncodedBatch) -> None:
        """Count one coded batch."""
        n = batch.n_themes
        self.comments += len(n)
        self.uncoded += int((n == 0).sum())
        self.coded += int((n > 0).sum())
        self.low_confidence += batch.low_confidence
        for k, v in zip(*np.unique(n, return_counts=True), strict=True):
            self.themes_per_comment[int(k)] = self.themes_per_comment.get(int(k), 0) + int(v)
        for theme, count in batch.theme_counts.items():
            self.theme_counts[theme] = self.theme_counts.get(theme, 0) + count
        for source, count in batch.code_sources.items():
            self.code_sources[source] = self.code_sources.get(source, 0) + count
        self.problems.extend(batch.problems)

    def ranked(self) -> dict[str, int]:
        """Return ``theme_counts`` most common first (ties by id)."""
        return dict(sorted(self.theme_counts.items(), key=lambda item: (-item[1], item[0])))


def _is_table(path: Path, column: str) -> bool:
    """A .parquet file, or a UTF-8 or UTF-16 .csv whose header has the text column, is a comments table (streamed).

    Other CSVs (Windows-1252, another delimiter, a title above the header) and CSVs
    over a limit are read by ingest, which understands them (and refuses them with its own error).
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return True  # a file, or a Parquet dataset: a folder of .parquet files
    if suffix != ".csv" or not path.is_file():
        return False
    from tcs_themes.ingest.csv_files import read_csv_text

    try:
        text, encoding, _note = read_csv_text(path, str(path))
        header = pd.read_csv(io.StringIO(text), nrows=0).columns
    except ValueError:  # an InputFileError too: ingest reports it
        return False
    return column in header and encoding != "cp1252"


def _csv_text(path: Path) -> str:
    """The text of a comments CSV, read within the limits (:func:`tcs_themes.ingest.csv_files.read_csv_text`)."""
    from tcs_themes.ingest.csv_files import read_csv_text

    return read_csv_text(path, str(path))[0]


def _text_in_text_column(chunk: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return ``chunk`` with its comment text in ``text``, as in every comments table.

    The text column ``column`` is renamed ``text``; a ``text`` column it had
    besides is carried through as ``input_text``.
    """
    if column == TEXT_COLUMN:
        return chunk
    return chunk.rename(columns={TEXT_COLUMN: f"{INPUT_PREFIX}{TEXT_COLUMN}"}).rename(columns={column: TEXT_COLUMN})


def _csv_dtypes(text: str) -> tuple[dict[str, str], list[str]]:
    header = pd.read_csv(io.StringIO(text), nrows=0).columns.tolist()
    known = {**COMMENT_COLUMNS, **CODED_COLUMNS}
    dtypes: dict[str, str] = {}
    dates: list[str] = []
    for name in header:
        dtype = known.get(name, "float64" if name.startswith(SCORE_PREFIX) else "string")
        if dtype.startswith("datetime"):
            dates.append(name)
        else:
            dtypes[name] = dtype
    return dtypes, dates


def read_csv_table(path: Path, chunksize: int | None = None, nrows: int | None = None) -> Any:
    """Read a comments CSV as the toolkit reads it: within the limits (:func:`_csv_text`), schema dtypes,
    dates parsed, empty cells missing, cells the formula guard changed restored
    (:func:`tcs_themes.formulas.restore_frame`, applied by the caller to each chunk). Returns a DataFrame, or
    a chunk reader with ``chunksize``."""
    text = _csv_text(path)
    dtypes, dates = _csv_dtypes(text)
    return pd.read_csv(
        io.StringIO(text),
        dtype=dtypes,
        parse_dates=dates,
        keep_default_na=False,
        na_values=[""],
        chunksize=chunksize,
        nrows=nrows,
    )


def unreadable_table(path: Path, error: Exception) -> CodingInputError:
    """The error for a table that cannot be read (the exception's kind only, never its text)."""
    return CodingInputError(str(path), f"cannot read it as a table ({type(error).__name__})")


def refused_table(error: InputFileError) -> CodingInputError:
    """The error for a table a reader refused (over a limit, say): its message, as a coding input's error."""
    return CodingInputError(error.path, error.problem, error.where)


def _table_chunks(path: Path, batch_size: int) -> Iterator[pd.DataFrame]:
    """The rows of the table ``path`` in chunks; a Parquet table's footers checked first
    (:func:`tcs_themes.tables.open_parquet`), a CSV read within the limits, its rows too."""
    from tcs_themes.ingest.csv_files import check_cell_lengths
    from tcs_themes.ingest.limits import MAX_ROWS

    try:
        if path.suffix.lower() == ".parquet":
            for part in open_parquet(path):
                yield from (batch.to_pandas() for batch in part.iter_batches(batch_size=batch_size))
            return
        rows = 0
        with read_csv_table(path, batch_size) as reader:
            for chunk in reader:
                check_cell_lengths(chunk, str(path), first_row=2 + rows)
                rows += len(chunk)
                if rows > MAX_ROWS:
                    raise CodingInputError(str(path), f"the file has more than {MAX_ROWS:,} rows; split it")
                yield restore_frame(chunk)
    except InputFileError as error:
        raise refused_table(error) from None
    except (OSError, ValueError, UnicodeDecodeError, pa.ArrowException) as error:
        raise unreadable_table(path, error) from None


def count_rows(paths: Sequence[str | Path]) -> int | None:
    """Return the number of rows in Parquet inputs, or None when any input is not Parquet (or is refused)."""
    total = 0
    for path in map(Path, paths):
        if path.suffix.lower() != ".parquet" or not path.exists():
            return None
        try:
            total += sum(part.metadata.num_rows for part in open_parquet(path))
        except InputFileError:
            return None
    return total


def iter_comments(
    paths: Sequence[str | Path],
    batch_size: int,
    *,
    text_column: str | None = None,
    ingest_options: dict[str, Any] | None = None,
    notices: list[str] | None = None,
    errors: list[str] | None = None,
    context_columns: Sequence[str] = (),
) -> Iterator[pd.DataFrame]:
    """Yield the input comments in batches of at most ``batch_size`` rows, in input order.

    Tables (``.parquet``, or ``.csv`` with the text column) are streamed,
    every row kept; other inputs are ingested together first, their errors
    and warnings appended to ``notices`` (the errors also to ``errors``).
    Every batch has a ``comment_id`` and the comment text in ``text`` (see
    :func:`_text_in_text_column`): the rows of a table without ``comment_id``
    (a user's own CSV, with or without an ``id`` column) get one, a
    ``location`` and their text redacted, as ingest would give them
    (:func:`tcs_themes.ingest.plain_tables.identify_rows`).

    With several inputs and an ``errors`` list, a table that cannot be read (missing,
    over a limit, damaged, no text column) is one line in ``errors`` (and ``notices``)
    and the other inputs are coded; the line says how many of its rows were coded
    before the problem (none, unless a CSV is damaged part way).

    Raises
    ------
    CodingInputError
        If a table has no text column, or lacks one of ``context_columns``
        (the columns besides the text that the model reads), or cannot be read,
        and it is the only input (or ``errors`` is None).
    """
    column = text_column or TEXT_COLUMN
    tables, raw = split_inputs(paths, column)
    if raw:
        comments = ingested_comments(raw, text_column, ingest_options, notices, errors)
        for start in range(0, len(comments), batch_size):
            yield comments.iloc[start : start + batch_size].reset_index(drop=True)
    several = len(tables) + len(raw) > 1
    for path in tables:
        rows = first_row(path)
        try:
            if not path.exists():
                raise CodingInputError(str(path), "file not found; check the path")
            for chunk in _table_chunks(path, batch_size):
                if rows == first_row(path) and notices is not None and "comment_id" not in chunk.columns:
                    notices.extend(_dropped_notice(path, chunk.columns, context_columns))
                prepared = prepared_chunk(chunk, path, column, context_columns, rows)
                rows += len(chunk)
                yield prepared
        except CodingInputError as error:
            if not several or errors is None:
                raise
            done = rows - first_row(path)
            read = f" (its first {done:,} rows were coded, the rest not)" if done else ""
            errors.append(f"{error}{read}")
            if notices is not None:
                notices.append(errors[-1])


def _dropped_notice(path: Path, columns: Sequence[object], keep: Sequence[str]) -> list[str]:
    """A notice naming the personal columns a user's own table loses (none when it has none)."""
    from tcs_themes.ingest.plain_tables import personal_headers
    from tcs_themes.ingest.redaction import redact_label

    dropped = personal_headers(columns, keep)
    shown = ", ".join(repr(str(redact_label(name))) for name in dropped)
    return [f"{path}: columns dropped as personal data: {shown}"] if dropped else []


def split_inputs(paths: Sequence[str | Path], column: str) -> tuple[list[Path], list[Path]]:
    """Split the inputs into comments tables, streamed (see :func:`_is_table`), and raw inputs, ingested.

    A glob (``"tables/*.csv"``, quoted so the shell leaves it) whose matches are all
    comments tables stands for them, in name order; other globs are ingest's to expand.
    """
    expanded: list[Path] = []
    is_table: dict[Path, bool] = {}  # each file read once to tell

    def table(path: Path) -> bool:
        if path not in is_table:
            is_table[path] = _is_table(path, column)
        return is_table[path]

    for path in map(Path, paths):
        matches = sorted(Path(m) for m in glob.glob(str(path))) if not path.exists() and glob.has_magic(str(path)) else []
        expanded.extend(matches if matches and all(table(m) for m in matches) else [path])
    tables = [p for p in expanded if table(p)]
    return tables, [p for p in expanded if p not in tables]


def ingested_comments(
    raw: Sequence[Path],
    text_column: str | None,
    ingest_options: dict[str, Any] | None,
    notices: list[str] | None,
    errors: list[str] | None,
) -> pd.DataFrame:
    """Ingest the raw inputs together; append their errors and warnings to ``notices`` (errors also to ``errors``)."""
    from tcs_themes.ingest import ingest

    options = dict(ingest_options or {})
    if text_column is not None:
        options["columns"] = {"text": text_column, **(options.get("columns") or {})}
    result = ingest([str(p) for p in raw], **options)
    if notices is not None:
        notices.extend([*result.errors, *result.warnings])
    if errors is not None:
        errors.extend(result.errors)
    return result.comments


def first_row(path: Path) -> int:
    """The number of a table's first row: 2 in a CSV (row 1 is the header, as Excel shows it), 1 in Parquet."""
    return 2 if path.suffix.lower() == ".csv" else 1


def prepared_chunk(
    chunk: pd.DataFrame, path: Path, column: str, context_columns: Sequence[str], row: int
) -> pd.DataFrame:
    """Return consecutive rows of the table ``path`` (the first is row ``row``) as a comments batch.

    The text is moved to ``text`` (:func:`_text_in_text_column`) and a table without
    ``comment_id`` gets ids, locations and its text redacted
    (:func:`tcs_themes.ingest.plain_tables.identify_rows`).

    Raises
    ------
    CodingInputError
        If the table has no text column, or lacks one of ``context_columns``.
    """
    if column not in chunk.columns:
        raise CodingInputError(
            str(path), f"no '{column}' column; ingest it first or pass --text-column with the comment column"
        )
    missing = [name for name in context_columns if name not in chunk.columns]
    if missing:
        raise CodingInputError(
            str(path),
            f"no '{missing[0]}' column, which the model reads beside the text; add it (empty cells are "
            "allowed) or code with a model trained without --context",
        )
    chunk = _text_in_text_column(chunk.reset_index(drop=True), column)
    if "comment_id" not in chunk.columns:
        from tcs_themes.ingest.plain_tables import identify_rows

        chunk = identify_rows(chunk, path.name, row, keep=context_columns)
    return chunk


@dataclass(frozen=True)
class EncodedBatch:
    """One coded batch, ready to append to the outputs (made in a worker process).

    Attributes
    ----------
    table : pyarrow.Table
        The coded rows, for coded.parquet.
    csv, uncoded_csv : bytes
        The rows, and the uncoded rows, as CSV lines (no header).
    header : bytes
        The CSV header line.
    n_themes : ndarray of int
        Themes per comment.
    theme_counts : dict of str to int
        Comments per theme.
    code_sources : dict of str to int
        Comments per ``code_source``.
    problems : tuple of CodeProblem
        Analyst codes not in the codebook.
    low_confidence : int
        Comments flagged ``low_confidence``.
    """

    table: pa.Table
    csv: bytes
    uncoded_csv: bytes
    header: bytes
    n_themes: np.ndarray
    theme_counts: dict[str, int]
    code_sources: dict[str, int] = field(default_factory=dict)
    problems: tuple[CodeProblem, ...] = ()
    low_confidence: int = 0


def encode_batch(coded: pd.DataFrame, problems: Sequence[CodeProblem] = ()) -> EncodedBatch:
    """Turn a coded table (:func:`~tcs_themes.coding.analyst_codes.code_table`) and its problems into an :class:`EncodedBatch`."""
    table = pa.Table.from_pandas(coded, preserve_index=False)
    csv, uncoded_csv, header = _csv_parts(table)
    counts: dict[str, int] = {}
    for value in coded["themes"].tolist():
        for theme in split_list(value):
            if theme != UNCODED:
                counts[theme] = counts.get(theme, 0) + 1
    return EncodedBatch(
        table=table,
        csv=csv,
        uncoded_csv=uncoded_csv,
        header=header,
        n_themes=coded["n_themes"].to_numpy(dtype=np.int64),
        theme_counts=counts,
        code_sources={str(k): int(v) for k, v in coded["code_source"].value_counts(sort=False).items()},
        problems=tuple(problems),
        low_confidence=int(coded["low_confidence"].fillna(False).sum()) if "low_confidence" in coded else 0,
    )


def _csv_parts(table: pa.Table) -> tuple[bytes, bytes, bytes]:
    """The rows of a coded ``table`` as CSV lines, its uncoded rows, and its header line."""
    text = _csv_ready(table)
    uncoded = pc.equal(table.column("primary_theme"), UNCODED).fill_null(False)
    return _csv_bytes(text), _csv_bytes(text.filter(uncoded)), _csv_bytes(text.slice(0, 0), header=True)


def _csv_ready(table: pa.Table) -> pa.Table:
    """Return ``table`` as the CSV shows it: dates as ``YYYY-MM-DD`` text, booleans as True/False, and text
    that would start a formula defused (:func:`tcs_themes.formulas.defuse_arrow`)."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            column = pc.strftime(column, format="%Y-%m-%d")
        elif pa.types.is_boolean(column.type):
            column = pc.if_else(column, "True", "False")
        columns.append(column)
    return defuse_arrow(pa.table(columns, names=table.column_names))


def _csv_bytes(table: pa.Table, *, header: bool = False) -> bytes:
    sink = pa.BufferOutputStream()
    options = pa_csv.WriteOptions(include_header=header, quoting_style="needed", batch_size=8192)
    pa_csv.write_csv(table, sink, write_options=options)
    return sink.getvalue().to_pybytes()


def coded_schema(schema: pa.Schema) -> pa.Schema:
    """The schema coded.parquet is written with: ``schema``'s columns, a column of no type (all empty) as text."""
    return pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in schema])


class CodedWriter:
    """Append coded batches to coded.csv, coded.parquet and uncoded.csv in ``out_dir``.

    The CSV files are UTF-8 with a byte-order mark (so Excel reads them
    right), dates as ``YYYY-MM-DD``, and no cell starts like a formula. The batches go to temporary files beside
    the outputs, renamed into place by :meth:`close` only once all are written
    (:meth:`discard` removes them), so an output is never a half-written table.

    Inputs with different columns (a raw spreadsheet and a user's own table) make one table: a batch
    whose columns differ from the last starts a new temporary Parquet segment, and :meth:`close`
    writes every segment's rows again with all their columns
    (:func:`tcs_themes.coding.mixed_columns.common_schema`), one input's missing cells empty.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as problem:
            raise cannot_write(self.out_dir, problem) from None
        self.paths = {key: self.out_dir / name for key, name in OUTPUT_NAMES.items()}
        self._temporary = {key: temporary_path(path) for key, path in self.paths.items()}
        self._parquet: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._segments: list[Path] = []  # temporary Parquet files, one per run of batches with the same columns
        self._csv: dict[str, Any] = {}

    def write(self, batch: EncodedBatch) -> None:
        """Append one coded batch to every output."""
        table = batch.table
        if self._parquet is None:
            self._start_segment(table.schema, self._temporary["parquet"])
            self._open_csv(batch.header)
        elif not self._fits(table):
            self._start_segment(table.schema, temporary_path(self.paths["parquet"]))
        self._parquet.write_table(table.cast(self._schema))
        if len(self._segments) == 1:  # with several segments the CSVs are written again by close()
            self._csv["csv"].write(batch.csv)
            self._csv["uncoded"].write(batch.uncoded_csv)

    def close(self) -> None:
        """Finish every output file and rename it into place."""
        try:
            if len(self._segments) > 1:
                self._merge_segments()
        except OSError as problem:
            self.discard()
            raise cannot_write(self.paths["parquet"], problem) from None
        except pa.ArrowException:  # a column no type holds in both inputs (a list in one, say)
            self.discard()
            raise CodingInputError(
                str(self.paths["parquet"]), "the inputs have columns of the same name that cannot be put in one "
                "table; rename or drop the column in one input, or code each kind of input separately"
            ) from None
        self._finish()
        for key, path in self.paths.items():
            try:
                replace_output(self._temporary[key], path)
            except OSError as problem:
                self.discard()
                raise cannot_write(path, problem) from None

    def discard(self) -> None:
        """Stop writing and remove the temporary files; the outputs stay as they were."""
        self._finish()
        for temporary in [*self._temporary.values(), *self._segments]:
            temporary.unlink(missing_ok=True)

    def _fits(self, table: pa.Table) -> bool:
        """Whether ``table`` has the current segment's columns, in order, and casts to its types."""
        if table.schema.names != self._schema.names:
            return False
        try:
            table.slice(0, 0).cast(self._schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return False
        return True

    def _start_segment(self, schema: pa.Schema, path: Path) -> None:
        if self._parquet is not None:
            self._parquet.close()
        self._schema = coded_schema(schema)
        self._parquet = pq.ParquetWriter(path, self._schema)
        self._segments.append(path)

    def _open_csv(self, header: bytes) -> None:
        for sink in self._csv.values():
            sink.close()
        for key in ("csv", "uncoded"):
            self._csv[key] = open(self._temporary[key], "wb")  # noqa: SIM115 - closed in _finish()
            self._csv[key].write("\ufeff".encode() + header)

    def _merge_segments(self) -> None:
        """Write the rows of every segment, in order, to one Parquet file and the CSVs, with all their columns."""
        from tcs_themes.coding.mixed_columns import aligned, common_schema

        self._parquet.close()
        self._parquet = None
        segments = [pq.ParquetFile(path) for path in self._segments]
        try:
            schema = common_schema([segment.schema_arrow for segment in segments])
            merged = temporary_path(self.paths["parquet"])
            self._segments.append(merged)  # removed by discard() if writing it fails
            self._open_csv(_csv_parts(schema.empty_table())[2])
            with pq.ParquetWriter(merged, schema) as writer:
                for segment in segments:
                    for group in range(segment.num_row_groups):
                        table = aligned(segment.read_row_group(group), schema)
                        writer.write_table(table)
                        csv, uncoded_csv, _header = _csv_parts(table)
                        self._csv["csv"].write(csv)
                        self._csv["uncoded"].write(uncoded_csv)
        finally:
            for segment in segments:
                segment.close()
        os.replace(merged, self._temporary["parquet"])
        for path in self._segments[1:-1]:
            path.unlink(missing_ok=True)
        self._segments = [self._temporary["parquet"]]

    def _finish(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        for sink in self._csv.values():
            sink.close()
        self._csv = {}


def replace_output(temporary: Path, path: Path) -> None:
    """Rename ``temporary`` (a file, or a folder) to ``path``, replacing what is there.

    A file replaces a file in one atomic rename. Where either is a folder (the Parquet
    dataset a Dask run writes, :mod:`tcs_themes.coding.dask_files`), the old output is
    renamed aside first, the new one renamed into place, then the old one removed.
    """
    if not (temporary.is_dir() or (path.is_dir() and not path.is_symlink())):
        os.replace(temporary, path)
        return
    aside = temporary_path(path)
    if path.exists() or path.is_symlink():
        os.replace(path, aside)
    os.replace(temporary, path)
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        aside.unlink(missing_ok=True)


def write_coded_table(coded: pd.DataFrame, out_dir: str | Path, batch_size: int = 50_000) -> CodingSummary:
    """Write a whole coded table as coded.csv, coded.parquet and uncoded.csv in ``out_dir``; return its summary.

    Like every output they are written to temporary names and renamed into place
    only when all is written, so a failure leaves the earlier outputs as they were
    (the table may have been read from them).
    """
    writer = CodedWriter(out_dir)
    summary = CodingSummary(outputs=dict(writer.paths))
    try:
        for start in range(0, max(len(coded), 1), batch_size):
            batch = encode_batch(coded.iloc[start : start + batch_size].reset_index(drop=True))
            writer.write(batch)
            summary.add(batch)
    except BaseException:
        writer.discard()
        raise
    writer.close()
    return summary


_WORKER_CODER: HybridCoder | None = None


def _code_batch(coder: HybridCoder, batch: pd.DataFrame) -> EncodedBatch:
    return encode_batch(*code_table(coder, batch, TEXT_COLUMN))


def _code_in_worker(batch: pd.DataFrame) -> EncodedBatch:
    assert _WORKER_CODER is not None
    return _code_batch(_WORKER_CODER, batch)


def start_worker() -> None:
    """Prepare a worker process once its coder is loaded (forked with it, or loaded in a Dask worker): freeze
    the objects there are (see :func:`_coded_batches`) and give BLAS (NumPy's matrix products) and, where a
    sentence encoder is loaded, PyTorch one thread: the workers already share the cores, and BLAS threads
    that wait for a core burn CPU (a batch's two small products took eight times the CPU on two threads)."""
    from threadpoolctl import threadpool_limits  # here, where it is needed: a one-process run starts no slower

    gc.freeze()
    threadpool_limits(limits=1, user_api="blas")
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def _coded_batches(
    batches: Iterator[pd.DataFrame], coder: HybridCoder, workers: int
) -> Iterator[EncodedBatch]:
    """Yield each batch coded and encoded, in order, using ``workers`` processes (forked, sharing the coder).

    The first comment is coded in this process first, so that the coder's tables (rules,
    phrase index, look-up tables, built on first use) are built once, before the workers
    start; each worker freezes the objects it inherits out of the garbage collector's sight:
    collections then stay cheap however large the tables are, and the pages stay shared
    with the parent.
    """
    if workers <= 1:
        for batch in batches:
            yield _code_batch(coder, batch)
        return
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    _code_batch(coder, first.iloc[:1])
    batches = chain([first], batches)
    global _WORKER_CODER
    _WORKER_CODER = coder
    context = multiprocessing.get_context("fork")
    pending: list[Future[EncodedBatch]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker) as pool:
        for batch in batches:
            pending.append(pool.submit(_code_in_worker, batch))
            while len(pending) > workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    _WORKER_CODER = None


def code_files(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    coder: HybridCoder,
    *,
    batch_size: int = 5000,
    workers: int = 1,
    text_column: str | None = None,
    ingest_options: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    decisions: str | Path | None = None,
) -> CodingSummary:
    """Code comments from files and write coded.csv, coded.parquet and uncoded.csv in ``out_dir``.

    Theme codes the inputs already have (an analyst's, see
    :mod:`tcs_themes.coding.analyst_codes`) are the comments' codes; the
    machine's are kept beside them in ``machine_themes``.

    Parameters
    ----------
    paths : sequence of path
        Raw inputs (anything :func:`tcs_themes.ingest.ingest` reads) and/or
        comments tables (``.parquet``, or ``.csv`` with the text column); a
        table without ``comment_id`` gets one per row (see :func:`iter_comments`).
    out_dir : path
        The output folder (created if needed; earlier outputs are replaced).
    coder : HybridCoder
        A ready coder, e.g. from :func:`tcs_themes.coding.model.model_io.load_model`.
    batch_size : int, default 5000
        Comments read and coded at a time; the result does not depend on it.
    workers : int, default 1
        Processes coding batches in parallel (Linux/macOS fork).
    text_column : str, optional
        The comment text column of the inputs (default ``text`` in tables,
        detected in raw inputs). The coded table holds the text in ``text``.
    ingest_options : dict, optional
        Keyword arguments for :func:`tcs_themes.ingest.ingest` (settings, register...).
    progress : callable, optional
        Called with the number of comments in each batch as it is written.
    decisions : path, optional
        A review decisions log (``review apply``): the latest decision on each comment
        replaces its codes (:func:`tcs_themes.review.log.apply_decisions`), so a re-run
        keeps every correction.

    Returns
    -------
    CodingSummary

    Raises
    ------
    CodingInputError
        If an input table has no text column or cannot be read.
    InputFileError
        If ``decisions`` is not a decisions log.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    writer = CodedWriter(out_dir)
    summary = CodingSummary(outputs=dict(writer.paths))
    batches = iter_comments(
        paths, batch_size, text_column=text_column, ingest_options=ingest_options, notices=summary.notices,
        errors=summary.errors, context_columns=coder.required_context_columns,
    )
    try:
        for coded in _coded_batches(batches, coder, workers):
            writer.write(coded)
            summary.add(coded)
            if progress is not None:
                progress(len(coded.n_themes))
        if summary.comments == 0:
            empty = {name: pd.Series(dtype="string") for name in ("comment_id", TEXT_COLUMN, *coder.context_columns)}
            writer.write(_code_batch(coder, pd.DataFrame(empty)))
    except BaseException:
        writer.discard()
        raise
    writer.close()
    return finished(summary, out_dir, decisions)


def finished(summary: CodingSummary, out_dir: str | Path, decisions: str | Path | None) -> CodingSummary:
    """Add the analyst codes not in the codebook to the summary's notices and errors, and apply the
    ``decisions`` log (if any) to the outputs just written; return the final summary."""
    messages = problem_messages(summary.problems)
    summary.notices.extend(messages)
    summary.errors.extend(messages)
    if decisions is not None:
        summary = _with_decisions(summary, out_dir, decisions)
    return summary


def _with_decisions(summary: CodingSummary, out_dir: str | Path, decisions: str | Path) -> CodingSummary:
    """Apply a decisions log to the coded outputs just written; return the summary of the corrected table."""
    from tcs_themes.review.log import apply_decisions, read_log

    result = apply_decisions(read_table(summary.outputs["parquet"]), read_log(decisions, missing_ok=False))
    corrected = write_coded_table(result.coded, out_dir)
    corrected.notices, corrected.errors, corrected.reviewed = summary.notices, summary.errors, result.applied
    if result.not_in_table:
        corrected.notices.append(
            f"{decisions}: {result.not_in_table} review decisions are for comments not in these inputs (kept in the log)"
        )
    return corrected
