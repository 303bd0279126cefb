"""Give the rows of a table that did not come from ingest what ingest gives every comment.

``tcs-themes code`` streams tables (Parquet, or CSV with a text column) batch
by batch, every row kept. A table written by ingest (or by ``code``) already
has a ``comment_id`` and redacted text; a user's own table (``feedback.csv``
with an ``id`` column of its own, or none) has neither. :func:`identify_rows`
adds both, so every coded table has a ``comment_id`` and no personal details:
its other columns are treated as ingest treats a spreadsheet's, by header
alone (so every batch of a streamed table gets the same columns): a column
whose header names or holds a personal detail ("Name", "Email", "Notes from
Jo Bloggs") is dropped (:func:`personal_headers`), every other text cell is
redacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tcs_themes.ingest.ids import comment_id
from tcs_themes.ingest.ledger import LABEL_COLUMNS
from tcs_themes.ingest.personal_columns import DROPPED, decide_column
from tcs_themes.ingest.redaction import redact, redact_label

#: Columns of a coded table that hold ids, codes or kinds, never free text: :func:`redact_coded` leaves them.
_CODE_COLUMNS = frozenset({
    "comment_id", "message_id", "source_kind", "themes", "primary_theme", "sources", "subthemes",
    "code_source", "machine_themes", "analyst_codes",
})
#: Columns :func:`identify_rows` adds; a table's own column of the same name is kept as ``input_<name>``.
ADDED = ("comment_id", "location", "redactions")


def personal_headers(columns: Sequence[object], keep: Sequence[str] = ()) -> list[str]:
    """The columns of a user's own table that are dropped: their header names or holds a personal detail.

    ``text`` and the columns in ``keep`` (the ones the model reads beside the text) are never dropped.

    >>> personal_headers(["id", "text", "Name", "E-mail", "Ward", "Notes from Jo Bloggs"])
    ['Name', 'E-mail', 'Notes from Jo Bloggs']
    """
    return [
        str(name) for name in columns
        if name != "text" and name not in keep and decide_column(str(name), ()).action == DROPPED
    ]


def identify_rows(frame: pd.DataFrame, file_name: str, first_row: int, keep: Sequence[str] = ()) -> pd.DataFrame:
    """Return ``frame`` with ``comment_id`` and ``location`` first, its text redacted and counted in ``redactions``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Consecutive rows of one table, the comment text in ``text``.
    file_name : str
        The table's file name. The location is ``<stem>!R<row>`` and the id
        depends on the name and the location only
        (:func:`tcs_themes.ingest.ids.comment_id`), as ingest makes them for a
        spreadsheet: a CSV's rows get the ids ingest would give them.
    first_row : int
        The row number of ``frame``'s first row within the file (2 for a
        CSV's first data row, as Excel numbers rows).
    keep : sequence of str
        Columns never dropped (those the model reads beside the text); their text is redacted.

    Returns
    -------
    pandas.DataFrame
        Every row, every column but the personal ones (:func:`personal_headers`),
        text cells redacted (the table's own numeric ``id`` unchanged), plus the added columns.
    """
    out = frame.reset_index(drop=True).drop(columns=personal_headers(frame.columns, keep))
    for name in out.columns:
        if name != "text" and (pd.api.types.is_object_dtype(out[name]) or pd.api.types.is_string_dtype(out[name])):
            out[name] = out[name].map(_redacted_cell)
    out = out.rename(columns={name: f"input_{name}" for name in ADDED})
    stem = Path(file_name).stem
    locations = [f"{stem}!R{first_row + i}" for i in range(len(out))]
    redacted = [redact(text) if isinstance(text, str) else (text, 0) for text in out["text"].tolist()]
    out["text"] = pd.Series([text for text, _ in redacted], dtype="string")
    out["redactions"] = pd.Series([count for _, count in redacted], dtype="Int64")
    out.insert(0, "location", pd.Series(locations, dtype="string"))
    out.insert(0, "comment_id", pd.Series([comment_id(file_name, where) for where in locations], dtype="string"))
    return out


def redact_coded(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a coded table read back for publishing (count, quotes, export, report) with its text redacted again.

    A coded table the toolkit wrote is already redacted, and redacting it again
    changes nothing (the rules leave their own placeholders and output alone; the
    sample's coded table comes back identical). A table made or edited by hand
    may hold names, emails or phone numbers in any text column; they are caught
    here, before they reach a workbook, a report or a quote. Ids, theme codes and
    numbers are left as they are.
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if name in _CODE_COLUMNS or not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
            continue
        redact_one = redact_label if name in LABEL_COLUMNS else _redacted_cell  # labels: cached, they repeat
        out[name] = column.map(redact_one, na_action="ignore").astype(column.dtype)
    return out


def _redacted_cell(value: object) -> object:
    """A text cell redacted; any other value as it is."""
    return redact(value)[0] if isinstance(value, str) else value
