"""Read and write the toolkit's tables: Parquet for the toolkit, CSV for people.

The format follows the file extension (``.parquet`` or ``.csv``). CSV files are
written as UTF-8 with a byte-order mark so Excel opens them correctly, and are
read back with the schema's dtypes so a round trip keeps ids as strings and
dates as dates. Text cells and headers that a spreadsheet would run as a
formula are written with an apostrophe in front
(:func:`tcs_themes.formulas.defuse`) and read back exactly; Parquet keeps the
exact text.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tcs_themes.atomic_write import atomic_path
from tcs_themes.errors import InputFileError
from tcs_themes.formulas import defuse_frame, restore_frame
from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, SCORE_PREFIX
from tcs_themes.zip_limits import size_text

TABLE_SUFFIXES = (".parquet", ".csv")


def _known_dtypes(columns: list[str]) -> dict[str, str]:
    known = {**COMMENT_COLUMNS, **CODED_COLUMNS}
    dtypes = {name: known[name] for name in columns if name in known}
    dtypes.update({name: "float64" for name in columns if name.startswith(SCORE_PREFIX)})
    return dtypes


def write_table(frame: pd.DataFrame, path: str | Path, *, row_group_size: int | None = None) -> Path:
    """Write ``frame`` to ``path`` as Parquet or CSV, by the extension; return the path.

    The parent folder is created if needed. In a CSV, text cells and headers
    that start like a formula get an apostrophe in front. The file is written to a
    temporary name and renamed into place (:func:`tcs_themes.atomic_write.atomic_path`).
    ``row_group_size`` sets the rows per Parquet row group (default: pyarrow's), the
    partitions Dask reads it by.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(str(target), "the output must end in .parquet or .csv")
    with atomic_path(target) as temporary:  # never a half-written table, even if the run is killed
        if suffix == ".parquet":
            frame.to_parquet(temporary, index=False, **({"row_group_size": row_group_size} if row_group_size else {}))
        else:
            defuse_frame(frame).to_csv(temporary, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    return target


def parquet_files(path: Path) -> list[Path]:
    """The files of a Parquet table: the file itself, or the ``.parquet`` files of a Parquet dataset (a folder,
    such as the coded.parquet a Dask run writes) in name order, hidden and temporary files left out."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*.parquet") if p.is_file() and not p.name.startswith((".", "_")))


def _parquet_problem(file: Path) -> str | None:
    """Say why the Parquet file ``file`` is refused before its footer is read, or return None."""
    from tcs_themes.ingest.limits import MAX_PARQUET_BYTES
    from tcs_themes.ingest.sniff import DESCRIPTIONS, content_kind

    size = file.stat().st_size
    if size > MAX_PARQUET_BYTES:
        return f"refused: the file is {size_text(size)}, more than the {size_text(MAX_PARQUET_BYTES)} a Parquet file may have; split it"
    with file.open("rb") as handle:
        if handle.read(4) == b"PAR1":
            return None
    kind = content_kind(file)
    what = "empty" if kind == "empty" else f"really {DESCRIPTIONS[kind]}"
    return f"the file is {what}, not a Parquet table; give the .parquet file the toolkit wrote (or a .csv)"


def open_parquet(path: str | Path) -> list[pq.ParquetFile]:
    """The files of the Parquet table ``path`` (a file or a dataset folder) opened, their footers checked.

    Only each file's footer is read. Refused before any row is read: a file over
    :data:`~tcs_themes.ingest.limits.MAX_PARQUET_BYTES` or that is not Parquet (its
    first bytes), a table declaring more than :data:`~tcs_themes.ingest.limits.MAX_TABLE_ROWS`
    rows or :data:`~tcs_themes.ingest.limits.MAX_COLUMNS` columns, or a row group
    declaring more than :data:`~tcs_themes.ingest.limits.MAX_ROW_GROUP_BYTES` unpacked
    (pyarrow reads a row group whole).

    Raises
    ------
    InputFileError
        If the table is over a limit, or a file is missing, damaged or not Parquet.
    """
    from tcs_themes.ingest.limits import MAX_COLUMNS, MAX_ROW_GROUP_BYTES, MAX_TABLE_ROWS

    source = Path(path)
    files = parquet_files(source)
    if not files:
        raise InputFileError(str(source), "the folder has no .parquet file; give a Parquet table")
    opened, rows = [], 0
    for file in files:
        name = str(file)
        problem = _parquet_problem(file)
        if problem:
            raise InputFileError(name, problem)
        try:
            parquet = pq.ParquetFile(file)
            metadata = parquet.metadata
        except (OSError, ValueError, pa.ArrowException) as error:
            raise InputFileError(name, f"cannot read it as a table ({type(error).__name__}); is it a valid .parquet file?") from None
        rows += metadata.num_rows
        if metadata.num_rows < 0 or rows > MAX_TABLE_ROWS:
            raise InputFileError(
                name, f"refused: the table declares {rows:,} rows, more than the {MAX_TABLE_ROWS:,} one table may have; split it"
            )
        if metadata.num_columns > MAX_COLUMNS:
            raise InputFileError(name, f"refused: the table has {metadata.num_columns:,} columns, more than {MAX_COLUMNS:,}")
        nested = _nested_column(parquet.schema_arrow)
        if nested is not None:
            raise InputFileError(
                name, f"column '{nested}' holds lists or records, not one value a cell; flatten it to text or drop it"
            )
        for group in range(metadata.num_row_groups):
            declared = metadata.row_group(group).total_byte_size
            if not 0 <= declared <= MAX_ROW_GROUP_BYTES:
                raise InputFileError(
                    name,
                    f"refused: its row group {group + 1} declares {size_text(max(declared, 0))} unpacked, more than the "
                    f"{size_text(MAX_ROW_GROUP_BYTES)} read at a time; write it with smaller row groups",
                )
        opened.append(parquet)
    return opened


def _nested_column(schema: pa.Schema) -> str | None:
    """The first column of ``schema`` whose cells are lists, records or maps (no table of the toolkit has one)."""
    for field in schema:
        if pa.types.is_nested(field.type):
            return field.name
    return None


def _read_parquet(path: Path, exclude: Collection[str]) -> pd.DataFrame:
    files = open_parquet(path)
    wanted = [name for name in files[0].schema_arrow.names if name not in exclude] if exclude else None
    if len(files) == 1:
        return pd.read_parquet(parquet_files(path)[0], columns=wanted)
    return pa.concat_tables([f.read(columns=wanted) for f in files], promote_options="default").to_pandas()


def _read_csv(source: Path, exclude: Collection[str]) -> pd.DataFrame:
    from tcs_themes.ingest.csv_files import bounded_csv_frame, read_csv_text

    text = read_csv_text(source, str(source))[0]
    header = [name for name in pd.read_csv(io.StringIO(text), nrows=0).columns if name not in exclude]
    dtypes = _known_dtypes(header)
    dates = [name for name, dtype in dtypes.items() if dtype.startswith("datetime")]
    return restore_frame(
        bounded_csv_frame(
            text,
            str(source),
            usecols=header if exclude else None,
            dtype={k: v for k, v in dtypes.items() if k not in dates},
            parse_dates=dates,
            keep_default_na=False,
            na_values=[""],
        )
    )


def read_table(path: str | Path, *, exclude: Collection[str] = ()) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (or any CSV/Parquet file, or Parquet dataset folder), with schema dtypes.

    Columns named in ``exclude`` are not read (a Parquet file does not even load them).
    The file is read within the limits of ``docs/ingest.md``: a CSV as
    :func:`tcs_themes.ingest.csv_files.read_csv_text` reads it (size, encoding, line
    length; rows and columns), a Parquet table's footer checked first (:func:`open_parquet`).

    Raises
    ------
    InputFileError
        If the file is missing, not .csv/.parquet, over a limit, or cannot be parsed.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(str(source), "expected a table ending in .parquet or .csv")
    if not (source.is_file() or (suffix == ".parquet" and source.is_dir())):
        raise InputFileError(str(source), "file not found; check the path")
    try:
        return _read_parquet(source, exclude) if suffix == ".parquet" else _read_csv(source, exclude)
    except InputFileError:
        raise
    except (OSError, ValueError, IndexError, UnicodeDecodeError, pa.ArrowException) as error:
        raise InputFileError(
            str(source), f"cannot read it as a table ({type(error).__name__}); is it a valid {suffix} file?"
        ) from None


def table_columns(path: str | Path) -> list[str]:
    """The column names of a Parquet table, read from its schema alone (:func:`open_parquet`).

    Raises
    ------
    InputFileError
        If the file is missing, not a Parquet file, or over a limit.
    """
    source = Path(path)
    if not source.exists():
        raise InputFileError(str(source), "file not found; check the path")
    return list(open_parquet(source)[0].schema_arrow.names)


def read_table_batches(path: str | Path, batch_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """Yield a Parquet table written by :func:`write_table` in batches of ``batch_size`` rows, in order.

    The batches hold what :func:`read_table` gives (same columns and dtypes), a few
    at a time, so a table of a million comments can be gone through in little memory.
    An empty table gives one empty batch (so its columns are known). The footers are
    checked first (:func:`open_parquet`).

    Raises
    ------
    InputFileError
        If the file is missing, not a Parquet file, or over a limit.
    """
    source = Path(path)
    if source.suffix.lower() != ".parquet" or not source.exists():
        raise InputFileError(str(source), "expected an existing table ending in .parquet")
    files = open_parquet(source)
    try:
        if not sum(file.metadata.num_rows for file in files):
            yield files[0].schema_arrow.empty_table().to_pandas()
        for file in files:
            for batch in file.iter_batches(batch_size=batch_size):
                yield batch.to_pandas()
    except (OSError, ValueError, pa.ArrowException) as error:
        raise InputFileError(str(source), f"cannot read it as a table ({type(error).__name__}); is it a valid .parquet file?") from None
