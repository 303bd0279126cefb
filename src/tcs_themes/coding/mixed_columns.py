"""One coded table from inputs with different columns (a raw spreadsheet and a user's own table, say).

Ingest gives a raw input every comments-table column (:data:`tcs_themes.schema.COMMENT_COLUMNS`)
and its own carried-through columns; a user's table keeps its columns plus ``comment_id``,
``location`` and ``redactions``. Coded together, their rows go into one table whose columns
are all of theirs: the standard comment columns first in schema order, then the
carried-through columns in the order they first appear, then the coded columns
(:data:`tcs_themes.schema.CODED_COLUMNS` and the scores). A row's cell in a column its
input lacked is empty; a column whose type differs between inputs takes the type that holds
both (whole numbers and decimals: decimals), or else is text.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, SCORE_PREFIX


def _place(name: str) -> tuple[int, int]:
    """Sort key of a column: comment columns in schema order, carried-through ones, then the coded ones."""
    if name in COMMENT_COLUMNS:
        return 0, list(COMMENT_COLUMNS).index(name)
    if name in CODED_COLUMNS or name.startswith(SCORE_PREFIX):
        return 2, 0
    return 1, 0


def _common_type(types: list[pa.DataType]) -> pa.DataType:
    """The type holding every input's values of one column: theirs when they agree, else the promoted one, else text."""
    known = [t for t in types if not pa.types.is_null(t)]
    if not known:
        return pa.large_string()
    try:
        return pa.unify_schemas([pa.schema([("c", t)]) for t in known], promote_options="permissive").field("c").type
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.large_string()


def common_schema(schemas: Sequence[pa.Schema]) -> pa.Schema:
    """The schema of one table holding the rows of tables with ``schemas`` (see the module docstring)."""
    names: list[str] = []
    for schema in schemas:
        names.extend(name for name in schema.names if name not in names)
    names.sort(key=_place)  # stable: first-appearance order within each group
    return pa.schema(
        [pa.field(name, _common_type([s.field(name).type for s in schemas if name in s.names])) for name in names]
    )


def aligned(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with the columns of ``schema``, in its order and types; a column ``table`` lacks is empty."""
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(len(table), field.type))
    return pa.Table.from_arrays(columns, schema=schema)
