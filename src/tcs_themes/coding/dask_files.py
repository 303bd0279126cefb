"""``tcs-themes code --dask``: read the inputs by partitions, code them on a Dask cluster, write the outputs.

The inputs become one Dask DataFrame of comments (:func:`comments_frame`): a
Parquet table (a file, or a dataset folder) is read one row group per partition,
a comments CSV one file per partition (a comment's text may hold line breaks,
which splitting a CSV at byte offsets would cut), raw inputs (spreadsheets,
emails) are ingested here first, as without Dask. Each partition is read,
coded and written by a worker (:func:`code_files_on_dask`): its rows go to
``part-NNNNNN.parquet`` of the Parquet dataset ``coded.parquet`` and to CSV
pieces that this process joins, in partition order, into ``coded.csv`` and
``uncoded.csv``. Every file is written to a temporary name and renamed, so a
task that Dask runs again (its worker died) writes the same part again, never a
second one: nothing is lost or duplicated. The outputs are in the input's order,
row for row as one process writes them.

Paths must be the same on the workers as here (a shared file system), as
Dask's own readers need.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tcs_themes.atomic_write import atomic_path, cannot_write, temporary_path, write_bytes_atomic
from tcs_themes.coding.analyst_codes import code_table
from tcs_themes.coding.dask_cluster import CoderRecipe, code_with_worker_coder, release_coder, send_coder
from tcs_themes.coding.stream import (
    OUTPUT_NAMES, TEXT_COLUMN, CodingSummary, EncodedBatch, coded_schema, encode_batch, finished, first_row, ingested_comments,
    prepared_chunk, read_csv_table, refused_table, replace_output, split_inputs, unreadable_table,
)
from tcs_themes.errors import CodingInputError, InputFileError, TcsError
from tcs_themes.formulas import restore_frame
from tcs_themes.ingest.csv_files import check_cell_lengths
from tcs_themes.tables import open_parquet, parquet_files

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

PART = "part-{:06d}"
_DIFFERENT_COLUMNS = (
    "the inputs have different columns, which --dask cannot put in one table; code them without --dask "
    "(one table, missing cells empty) or each kind separately"
)


class WorkerLostError(TcsError, RuntimeError):
    """Dask gave up on a partition whose workers kept dying (out of memory, or killed)."""


@dataclass(frozen=True)
class Piece:
    """One partition of a comments table: a Parquet file's row group, or a whole CSV file.

    Attributes
    ----------
    table : str
        The input as given (a file, or a Parquet dataset folder): errors and row ids name it.
    file : str
        The file read.
    row_group : int or None
        The Parquet row group (None: the CSV file).
    first_row : int
        The table's row number of the piece's first row (rows of a dataset counted across its files in name order).
    """

    table: str
    file: str
    row_group: int | None
    first_row: int


def table_pieces(path: Path) -> list[Piece]:
    """The partitions of one comments table, in row order (Parquet: from the files' metadata, nothing read)."""
    if path.suffix.lower() != ".parquet":
        return [Piece(str(path), str(path), None, first_row(path))]
    pieces, row = [], first_row(path)
    try:
        opened = open_parquet(path)  # the footers checked against the limits first
    except InputFileError as error:
        raise refused_table(error) from None
    for file, parquet in zip(parquet_files(path), opened, strict=True):
        metadata = parquet.metadata
        for group in range(metadata.num_row_groups):
            pieces.append(Piece(str(path), str(file), group, row))
            row += metadata.row_group(group).num_rows
    return pieces


def _empty_table(path: Path) -> pd.DataFrame:
    """The table's columns with their dtypes, no rows (the partitions' shape)."""
    try:
        if path.suffix.lower() == ".parquet":
            return pq.ParquetFile(parquet_files(path)[0]).schema_arrow.empty_table().to_pandas()
        return restore_frame(read_csv_table(path, nrows=0))
    except InputFileError as error:  # over a limit (read_csv_table reads within them)
        raise refused_table(error) from None
    except (OSError, ValueError, UnicodeDecodeError, IndexError, pa.ArrowException) as error:
        raise unreadable_table(path, error) from None


def read_piece(piece: Piece, column: str, context_columns: Sequence[str]) -> pd.DataFrame:
    """Read one partition as a comments batch (in a worker), as ``tcs-themes code`` reads its rows."""
    table = Path(piece.table)
    try:
        if piece.row_group is None:
            chunk = restore_frame(read_csv_table(Path(piece.file)))
            check_cell_lengths(chunk, piece.table)  # lines were checked as it was read; a quoted cell may span many
        else:
            chunk = pq.ParquetFile(piece.file).read_row_group(piece.row_group).to_pandas()
    except InputFileError as error:  # over a limit (read_csv_table reads within them)
        raise refused_table(error) from None
    except (OSError, ValueError, UnicodeDecodeError, pa.ArrowException) as error:
        raise unreadable_table(table, error) from None
    return prepared_chunk(chunk, table, column, context_columns, piece.first_row)


def comments_frame(
    paths: Sequence[str | Path],
    *,
    batch_size: int = 5000,
    text_column: str | None = None,
    context_columns: Sequence[str] = (),
    ingest_options: dict[str, Any] | None = None,
    notices: list[str] | None = None,
    errors: list[str] | None = None,
) -> dd.DataFrame:
    """Return the inputs' comments as a Dask DataFrame, read by partitions, in input order.

    The rows, columns and ids are those :func:`tcs_themes.coding.stream.iter_comments`
    yields: raw inputs are ingested here (their errors and warnings appended to
    ``notices``, the errors also to ``errors``) and split into partitions of
    ``batch_size``; tables are read by the workers, a Parquet row group or a CSV
    file per partition.

    Raises
    ------
    CodingInputError
        If a table is missing, unreadable, has no text column or lacks a context column,
        or the inputs have different columns.
    """
    import dask  # noqa: PLC0415 - the optional extra
    import dask.dataframe as dd  # noqa: PLC0415

    with dask.config.set({"dataframe.convert-string": False}):  # the partitions' dtypes as one process reads them
        return _comments_frame(paths, batch_size, text_column, context_columns, ingest_options, notices, errors)


def _comments_frame(
    paths: Sequence[str | Path],
    batch_size: int,
    text_column: str | None,
    context_columns: Sequence[str],
    ingest_options: dict[str, Any] | None,
    notices: list[str] | None,
    errors: list[str] | None,
) -> dd.DataFrame:
    import dask.dataframe as dd  # noqa: PLC0415

    column = text_column or TEXT_COLUMN
    tables, raw = split_inputs(paths, column)
    frames, sources = [], []
    comments = ingested_comments(raw, text_column, ingest_options, notices, errors) if raw else None
    if comments is not None and (len(comments) or not tables):  # raw inputs that gave no comment add no columns
        frames.append(dd.from_pandas(comments, chunksize=batch_size, sort=False))
        sources.append(str(raw[0]))
    for path in tables:
        if not path.exists():
            raise CodingInputError(str(path), "file not found; check the path")
        meta = prepared_chunk(_empty_table(path), path, column, context_columns, first_row(path))
        pieces = table_pieces(path)
        if pieces:
            frames.append(dd.from_map(read_piece, pieces, column=column, context_columns=tuple(context_columns),
                                      meta=meta, enforce_metadata=False, label="read-comments"))  # fmt: skip
        else:
            frames.append(dd.from_pandas(meta, npartitions=1, sort=False))
        sources.append(str(path))
    for source, frame in zip(sources, frames, strict=True):
        if list(frame.columns) != list(frames[0].columns):
            raise CodingInputError(source, _DIFFERENT_COLUMNS)
    if not frames:
        raise CodingInputError("inputs", "no input to code; give files, folders or globs")
    return frames[0] if len(frames) == 1 else dd.concat(frames, ignore_unknown_divisions=True)


def write_part(batch: EncodedBatch, staging: Path, number: int, schema: pa.Schema) -> EncodedBatch:
    """Write one coded partition's files into ``staging``; return the batch without its rows (the counts).

    ``parquet/part-NNNNNN.parquet``, and ``csv/part-NNNNNN.csv`` and ``csv/part-NNNNNN.uncoded.csv``
    (rows without header), each to a temporary name renamed into place: written again
    when Dask runs the task again, never twice.
    """
    name = PART.format(number)
    try:
        if batch.table.schema.names != schema.names:
            raise ValueError("other columns")
        table = batch.table.cast(schema)
    except (ValueError, pa.ArrowException):
        raise CodingInputError(str(staging.parent), _DIFFERENT_COLUMNS) from None
    with atomic_path(staging / "parquet" / f"{name}.parquet") as temporary:
        pq.write_table(table, temporary)
    write_bytes_atomic(staging / "csv" / f"{name}.csv", batch.csv)
    write_bytes_atomic(staging / "csv" / f"{name}.uncoded.csv", batch.uncoded_csv)
    return replace(batch, table=schema.empty_table(), csv=b"", uncoded_csv=b"")  # no buffer of the rows kept


def code_and_write_part(
    comments: pd.DataFrame, key: str, staging: str, number: int, schema: pa.Schema
) -> EncodedBatch:
    """A worker's task: code one partition with the worker's coder and write its files (:func:`write_part`)."""
    batch = encode_batch(*code_with_worker_coder(comments, key))
    return write_part(batch, Path(staging), number, schema)


def _join_csv(staging: Path, names: list[str], header: bytes, target: Path) -> None:
    """Write ``target``: a byte-order mark, the header, then each CSV piece in order (streamed)."""
    with atomic_path(target) as temporary, temporary.open("wb") as sink:
        sink.write("\ufeff".encode() + header)
        for name in names:
            with (staging / "csv" / name).open("rb") as piece:
                shutil.copyfileobj(piece, sink, 1 << 20)


def _gather(client: Client, futures: list[Any], progress: Callable[[int], None] | None) -> list[EncodedBatch]:
    """Wait for every partition as Dask reports it done (advancing ``progress``); return the results in order.

    Takes the futures out of ``futures``: each is dropped once its result is here, so the
    workers free it (memory stays flat however many partitions there are).
    """
    from distributed import KilledWorker, as_completed  # noqa: PLC0415

    number = {future.key: i for i, future in enumerate(futures)}
    results: list[EncodedBatch | None] = [None] * len(futures)
    done = as_completed(futures, with_results=True)
    futures.clear()
    try:
        for future, batch in done:
            results[number.pop(future.key)] = batch
            del future
            if progress is not None:
                progress(len(batch.n_themes))
    except KilledWorker:
        raise WorkerLostError(
            "Dask gave up on a partition: the workers running it died each time (out of memory?); give the "
            "workers more memory, or write the input with smaller Parquet row groups, and run again"
        ) from None
    return [batch for batch in results if batch is not None]


def code_files_on_dask(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    client: Client,
    recipe: CoderRecipe,
    *,
    batch_size: int = 5000,
    text_column: str | None = None,
    ingest_options: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    decisions: str | Path | None = None,
) -> CodingSummary:
    """Code comments from files on a Dask cluster; write coded.parquet (a dataset), coded.csv and uncoded.csv.

    What :func:`tcs_themes.coding.stream.code_files` does, with the work spread over
    the cluster of ``client``: the same rows, in the same order, with the same
    codes. ``coded.parquet`` is a folder of ``part-NNNNNN.parquet`` files, one per
    partition (:func:`tcs_themes.tables.read_table` and every command read it as
    one table). The coder of ``recipe`` is sent to each worker once and removed at
    the end.

    Parameters
    ----------
    paths, out_dir, batch_size, text_column, ingest_options, decisions
        As for :func:`~tcs_themes.coding.stream.code_files` (``batch_size`` also
        sizes the partitions of raw inputs; a table's partitions are its row groups).
    client : distributed.Client
        The cluster (:func:`tcs_themes.coding.dask_cluster.connect`).
    recipe : CoderRecipe
        The coder (:func:`tcs_themes.coding.dask_cluster.coder_recipe`).
    progress : callable, optional
        Called with the number of comments of each partition as Dask reports it done.

    Returns
    -------
    CodingSummary

    Raises
    ------
    CodingInputError
        If an input table cannot be read, has no text column, or the inputs have different columns.
    WorkerLostError
        If Dask gives up on a partition whose workers keep dying.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    from dask import delayed  # noqa: PLC0415

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise cannot_write(out, problem) from None
    coder = recipe.build()  # here too: the coded table's columns, and any problem with the model, before the cluster
    summary = CodingSummary(outputs={key: out / name for key, name in OUTPUT_NAMES.items()})
    comments = comments_frame(paths, batch_size=batch_size, text_column=text_column, context_columns=coder.required_context_columns,
                              ingest_options=ingest_options, notices=summary.notices, errors=summary.errors)  # fmt: skip
    coded_meta, _ = code_table(coder, comments._meta, TEXT_COLUMN)
    schema = coded_schema(pa.Schema.from_pandas(coded_meta, preserve_index=False))
    staging = temporary_path(out / "coded.partial").resolve()
    key = send_coder(client, recipe)
    try:
        for folder in ("parquet", "csv"):
            (staging / folder).mkdir(parents=True)
        tasks = [delayed(code_and_write_part)(part, key, str(staging), i, schema) for i, part in enumerate(comments.to_delayed())]
        batches = _gather(client, client.compute(tasks), progress)
        for batch in batches:
            summary.add(batch)
        names = [PART.format(i) for i in range(len(batches))]  # a partition at least (comments_frame)
        _join_csv(staging, [f"{n}.csv" for n in names], batches[0].header, summary.outputs["csv"])
        _join_csv(staging, [f"{n}.uncoded.csv" for n in names], batches[0].header, summary.outputs["uncoded"])
        dataset = staging / "parquet"
        for stray in dataset.iterdir():  # temporary files of tasks cut short by a dying worker
            if stray.name not in {f"{n}.parquet" for n in names}:
                stray.unlink()
        try:
            replace_output(dataset, summary.outputs["parquet"])
        except OSError as problem:
            raise cannot_write(summary.outputs["parquet"], problem) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        release_coder(client, key)
    return finished(summary, out, decisions)
