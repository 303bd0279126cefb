"""Give the rows of a table that did not come from ingest what ingest gives every comment.

``tcs-themes code`` streams tables (Parquet, or CSV with a text column) batch
by batch, every row kept. A table written by ingest (or by ``code``) already
has a ``comment_id`` and redacted text; a user's own table (``feedback.csv``
with an ``id`` column of its own, or none) has neither. :func:`identify_rows`
adds both, so every coded table has a ``comment_id`` and no personal details.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tcs_themes.ingest.ids import comment_id
from tcs_themes.ingest.redaction import redact

#: Columns :func:`identify_rows` adds; a table's own column of the same name is kept as ``input_<name>``.
ADDED = ("comment_id", "location", "redactions")


def identify_rows(frame: pd.DataFrame, file_name: str, first_row: int) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Every row and column (the table's own ``id`` column included, unchanged),
        plus the added columns.
    """
    out = frame.reset_index(drop=True).rename(columns={name: f"input_{name}" for name in ADDED})
    stem = Path(file_name).stem
    locations = [f"{stem}!R{first_row + i}" for i in range(len(out))]
    redacted = [redact(text) if isinstance(text, str) else (text, 0) for text in out["text"].tolist()]
    out["text"] = pd.Series([text for text, _ in redacted], dtype="string")
    out["redactions"] = pd.Series([count for _, count in redacted], dtype="Int64")
    out.insert(0, "location", pd.Series(locations, dtype="string"))
    out.insert(0, "comment_id", pd.Series([comment_id(file_name, where) for where in locations], dtype="string"))
    return out
