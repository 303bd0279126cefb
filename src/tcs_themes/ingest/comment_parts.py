"""The comments table in parts, held in memory or spilled to a folder, and written to Parquet a part at a time.

Ingest packs its comments into tables of a few thousand rows as it goes
(:data:`tcs_themes.ingest.ledger.PACK_EVERY`). :class:`CommentParts` keeps these
parts; given a folder it pickles each there instead of holding it, so ``run``
ingests a million comments in the memory of one part. :func:`write_parts` then
writes the comments table to Parquet one part at a time, each carried-through
column given the one type :func:`~tcs_themes.ingest.cells.tidy_column` would give
it over the whole table, so the file holds the same table as
``write_table(whole_table(parts), path)``.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tcs_themes.atomic_write import atomic_path
from tcs_themes.ingest.cells import ColumnType, as_column_type, tidy_column
from tcs_themes.schema import COMMENT_COLUMNS, conform_comments, empty_comments


class CommentParts:
    """Parts of the comments table, in order: in memory, or pickled in ``folder`` when one is given."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._held: list[pd.DataFrame] = []
        self._count = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Keep ``frame`` as the next part."""
        if self.folder is None:
            self._held.append(frame)
        else:
            with (self.folder / f"part-{self._count:06d}.pickle").open("wb") as file:
                pickle.dump(frame, file, protocol=pickle.HIGHEST_PROTOCOL)  # the toolkit's own file, read back below
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[pd.DataFrame]:
        if self.folder is None:
            yield from self._held
            return
        for number in range(self._count):
            with (self.folder / f"part-{number:06d}.pickle").open("rb") as file:
                yield pickle.load(file)  # noqa: S301 - written by add() in this run's private folder


def whole_table(parts: CommentParts) -> pd.DataFrame:
    """The comments table of ``parts``: standard columns first, carried-through columns tidied for Parquet."""
    if not len(parts):
        return empty_comments()
    frames = list(parts)
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    for column in [c for c in frame.columns if c not in COMMENT_COLUMNS]:
        frame[column] = tidy_column(frame[column])
    return conform_comments(frame)


def _carried_types(parts: CommentParts) -> dict[str, str]:
    """Each carried-through column, in order of appearance, -> its dtype over the whole table (one pass over the parts)."""
    seen: dict[str, ColumnType] = {}
    for frame in parts:
        for column in [c for c in frame.columns if c not in COMMENT_COLUMNS]:
            seen[column] = seen.get(column, ColumnType()).seen(frame[column])
    return {column: kind.dtype for column, kind in seen.items()}


def _tidy_part(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """One part with every carried-through column of the table (``dtypes``), each of its table-wide type."""
    frame = frame.copy()
    for column, dtype in dtypes.items():
        values = frame[column] if column in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        frame[column] = as_column_type(values, dtype)
    return conform_comments(frame)[[*COMMENT_COLUMNS, *dtypes]]


def write_parts(parts: CommentParts, path: str | Path, *, row_group_size: int | None = None) -> Path:
    """Write the comments table of ``parts`` to the Parquet file ``path``, a part at a time; return the path.

    The same table as ``write_table(whole_table(parts), path)``; a table of one part
    gives the same bytes. ``row_group_size`` as for :func:`tcs_themes.tables.write_table`
    (parts are row groups of their own, cut to that size).
    """
    target = Path(path)
    if len(parts) <= 1:
        from tcs_themes.tables import write_table  # noqa: PLC0415 - tables imports the schema, as this module does

        return write_table(whole_table(parts), target, row_group_size=row_group_size)
    dtypes = _carried_types(parts)
    with atomic_path(target) as temporary:
        writer: pq.ParquetWriter | None = None
        try:
            for frame in parts:
                table = pa.Table.from_pandas(_tidy_part(frame, dtypes), preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(temporary, table.schema, compression="snappy")
                writer.write_table(table, row_group_size=row_group_size)
        finally:
            if writer is not None:
                writer.close()
    return target
