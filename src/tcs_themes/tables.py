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

from collections.abc import Collection, Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from tcs_themes.atomic_write import atomic_path
from tcs_themes.errors import InputFileError
from tcs_themes.formulas import defuse_frame, restore_frame
from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, SCORE_PREFIX

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


def _read_parquet(path: Path, exclude: Collection[str]) -> pd.DataFrame:
    files = parquet_files(path)
    wanted = [name for name in pq.read_schema(files[0]).names if name not in exclude] if exclude and files else None
    if len(files) == 1:
        return pd.read_parquet(files[0], columns=wanted)
    import pyarrow as pa  # noqa: PLC0415 - only for datasets

    return pa.concat_tables([pq.read_table(f, columns=wanted) for f in files], promote_options="default").to_pandas()


def read_table(path: str | Path, *, exclude: Collection[str] = ()) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (or any CSV/Parquet file, or Parquet dataset folder), with schema dtypes.

    Columns named in ``exclude`` are not read (a Parquet file does not even load them).

    Raises
    ------
    InputFileError
        If the file is missing, not .csv/.parquet, or cannot be parsed.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(str(source), "expected a table ending in .parquet or .csv")
    if not (source.is_file() or (suffix == ".parquet" and source.is_dir())):
        raise InputFileError(str(source), "file not found; check the path")
    try:
        if suffix == ".parquet":
            frame = _read_parquet(source, exclude)
        else:
            header = [name for name in pd.read_csv(source, nrows=0, encoding="utf-8-sig").columns if name not in exclude]
            dtypes = _known_dtypes(header)
            dates = [name for name, dtype in dtypes.items() if dtype.startswith("datetime")]
            frame = restore_frame(
                pd.read_csv(
                    source,
                    usecols=header if exclude else None,
                    encoding="utf-8-sig",
                    dtype={k: v for k, v in dtypes.items() if k not in dates},
                    parse_dates=dates,
                    keep_default_na=False,
                    na_values=[""],
                )
            )
    except (OSError, ValueError, IndexError, UnicodeDecodeError) as error:
        raise InputFileError(
            str(source), f"cannot read it as a table ({type(error).__name__}); is it a valid {suffix} file?"
        ) from None
    return frame


def table_columns(path: str | Path) -> list[str]:
    """The column names of a Parquet table, read from its schema alone.

    Raises
    ------
    InputFileError
        If the file is missing or not a Parquet file.
    """
    source = Path(path)
    try:
        return list(pq.read_schema(parquet_files(source)[0]).names)
    except (OSError, ValueError, IndexError) as error:  # IndexError: a dataset folder with no .parquet file
        raise InputFileError(str(source), f"cannot read it as a Parquet table ({type(error).__name__})") from None


def read_table_batches(path: str | Path, batch_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """Yield a Parquet table written by :func:`write_table` in batches of ``batch_size`` rows, in order.

    The batches hold what :func:`read_table` gives (same columns and dtypes), a few
    at a time, so a table of a million comments can be gone through in little memory.
    An empty table gives one empty batch (so its columns are known).

    Raises
    ------
    InputFileError
        If the file is missing or not a Parquet file.
    """
    source = Path(path)
    if source.suffix.lower() != ".parquet" or not source.exists():
        raise InputFileError(str(source), "expected an existing table ending in .parquet")
    try:
        files = [pq.ParquetFile(name) for name in parquet_files(source)]
        if not sum(file.metadata.num_rows for file in files):
            yield files[0].schema_arrow.empty_table().to_pandas()
        for file in files:
            for batch in file.iter_batches(batch_size=batch_size):
                yield batch.to_pandas()
    except (OSError, ValueError, IndexError) as error:  # IndexError: a dataset folder with no .parquet file
        raise InputFileError(str(source), f"cannot read it as a table ({type(error).__name__}); is it a valid .parquet file?") from None
