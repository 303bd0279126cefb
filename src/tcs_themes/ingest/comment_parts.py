"""The comments table in parts, held in memory or spilled to a folder, and written to Parquet a part at a time.

Ingest packs its comments into tables of a few thousand rows as it goes
(:data:`tcs_themes.ingest.ledger.PACK_EVERY`). :class:`CommentParts` keeps these
parts; given a folder it writes each there as a Parquet file instead of holding it,
so ``run`` ingests a million comments in the memory of one part. Each
carried-through column gets the one type :func:`~tcs_themes.ingest.cells.tidy_column`
would give it over the whole table, known only once every part is in: a spilled
part keeps the forms its values can take (text always, numbers or dates when they
all are), and the part is tidied from the form the table needs when it is read back.
:func:`write_parts` then writes the comments table to Parquet in row groups of a
fixed size, whatever the parts, the same table as ``write_table(whole_table(parts), path)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tcs_themes.atomic_write import atomic_path
from tcs_themes.ingest.cells import ColumnType, as_column_type
from tcs_themes.schema import COMMENT_COLUMNS, conform_comments, empty_comments

#: Rows per row group of a comments table written from parts, whatever the parts (ingest packs 10,000 comments a part).
ROW_GROUP_ROWS = 65_536


def _forms(column: pd.Series, kind: ColumnType) -> dict[str, pd.Series]:
    """The forms a carried-through column of one part may be needed in: text, and numbers or dates when all its values are."""
    forms = {"string": as_column_type(column, "string")}
    if kind.numbers:
        forms["number"] = pd.to_numeric(column)
    if kind.dates:
        forms["datetime"] = as_column_type(column, "datetime")
    return forms


class CommentParts:
    """Parts of the comments table, in order: in memory, or as Parquet files in ``folder`` when one is given.

    Iterating gives each part tidied: the standard columns conformed, then every
    carried-through column of the table (:attr:`dtypes`) of its table-wide type.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._held: list[pd.DataFrame] = []
        self._carried: list[dict[str, dict[str, str]]] = []  # per spilled part: carried column -> form -> its column in the file
        self._kinds: dict[str, ColumnType] = {}
        self._count = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Keep ``frame`` as the next part."""
        kinds = {column: ColumnType().seen(frame[column]) for column in frame.columns if column not in COMMENT_COLUMNS}
        for column, kind in kinds.items():
            self._kinds[column] = self._kinds.get(column, ColumnType()).joined(kind)
        if self.folder is None:
            self._held.append(frame)
        else:
            self._spill(frame, kinds)
        self._count += 1

    def _spill(self, frame: pd.DataFrame, kinds: dict[str, ColumnType]) -> None:
        """Write ``frame`` as the next part's file: standard columns conformed, carried columns (``kinds``: what this
        part's values of each are) in every form they may take."""
        columns: dict[str, pd.Series] = {}
        names: dict[str, dict[str, str]] = {}
        for number, (column, kind) in enumerate(kinds.items()):
            if kind.values:  # a column with no value in this part is all missing, whatever the table's type
                forms = _forms(frame[column], kind)
                names[column] = {form: f"{number}:{form}" for form in forms}
                columns.update({f"{number}:{form}": values for form, values in forms.items()})
        stored = conform_comments(frame[[column for column in frame.columns if column in COMMENT_COLUMNS]])
        pd.concat([stored, pd.DataFrame(columns, index=stored.index)], axis=1).to_parquet(self._path(self._count), index=False)
        self._carried.append(names)

    def _path(self, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"part-{number:06d}.parquet"

    @property
    def dtypes(self) -> dict[str, str]:
        """Each carried-through column, in order of appearance, -> its dtype over the whole table."""
        return {column: kind.dtype for column, kind in self._kinds.items()}

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[pd.DataFrame]:
        dtypes = self.dtypes
        if self.folder is None:
            for frame in self._held:
                yield _tidy_part(frame, dtypes)
            return
        for number, carried in enumerate(self._carried):
            yield _tidy_spilled(pd.read_parquet(self._path(number)), carried, dtypes)


def _missing(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype=object)


def _tidy_part(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """One part with every carried-through column of the table (``dtypes``), each of its table-wide type."""
    frame = frame.copy()
    for column, dtype in dtypes.items():
        frame[column] = as_column_type(frame[column] if column in frame.columns else _missing(frame.index), dtype)
    return conform_comments(frame)[[*COMMENT_COLUMNS, *dtypes]]


def _tidy_spilled(stored: pd.DataFrame, carried: dict[str, dict[str, str]], dtypes: dict[str, str]) -> pd.DataFrame:
    """:func:`_tidy_part` of a part read back from its file: each carried column from the form its type needs."""
    frame = stored[list(COMMENT_COLUMNS)].copy()
    for column, dtype in dtypes.items():
        forms = carried.get(column)
        if forms is None:  # no value in this part
            frame[column] = as_column_type(_missing(frame.index), dtype)
        elif dtype in ("string", "datetime"):
            frame[column] = stored[forms[dtype]]  # a part with values holds the form of the table's type
        else:
            frame[column] = stored[forms["number"]].astype(dtype)
    return frame


def whole_table(parts: CommentParts) -> pd.DataFrame:
    """The comments table of ``parts``: standard columns first, carried-through columns tidied for Parquet."""
    if not len(parts):
        return empty_comments()
    frames = list(parts)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def write_parts(parts: CommentParts, path: str | Path, *, row_group_size: int | None = None) -> Path:
    """Write the comments table of ``parts`` to the Parquet file ``path``, a part at a time; return the path.

    The same table as ``write_table(whole_table(parts), path)``, in row groups of
    ``row_group_size`` rows (default :data:`ROW_GROUP_ROWS`) however ingest cut its
    parts: a table of at most that many rows gives the same bytes.
    """
    target = Path(path)
    if len(parts) <= 1:
        from tcs_themes.tables import write_table  # noqa: PLC0415 - tables imports the schema, as this module does

        return write_table(whole_table(parts), target, row_group_size=row_group_size)
    size = row_group_size or ROW_GROUP_ROWS
    with atomic_path(target) as temporary:
        writer: pq.ParquetWriter | None = None
        try:
            pending: list[pa.Table] = []  # fewer than ``size`` rows, waiting for a row group
            for frame in parts:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(temporary, table.schema, compression="snappy")
                pending.append(table)
                rows = sum(len(t) for t in pending)
                if rows >= size:
                    whole = pa.concat_tables(pending)
                    full = rows - rows % size
                    writer.write_table(whole.slice(0, full), row_group_size=size)
                    pending = [whole.slice(full)]
            if writer is not None and sum(len(t) for t in pending):
                writer.write_table(pa.concat_tables(pending), row_group_size=size)
        finally:
            if writer is not None:
                writer.close()
    return target
