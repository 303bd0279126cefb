"""Give the rows of a table that did not come from ingest what ingest gives every comment.

``tcs-themes code`` streams Parquet tables batch by batch. A table written by
ingest (or by ``code``) already has a ``comment_id`` and redacted text; a
user's own Parquet table has neither. :func:`identify_rows` adds both, so every
coded table has a ``comment_id`` and no personal details, whatever was coded.
"""

from __future__ import annotations

import pandas as pd

from tcs_themes.ingest.ids import comment_id
from tcs_themes.ingest.redaction import redact

REDACTIONS = "redactions"


def identify_rows(frame: pd.DataFrame, file_name: str, first_row: int) -> pd.DataFrame:
    """Return ``frame`` with a ``comment_id`` column first and its text redacted.

    Parameters
    ----------
    frame : pandas.DataFrame
        Consecutive rows of one table, the comment text in ``text``, without a ``comment_id`` column.
    file_name : str
        The table's file name: ids depend on it and the row number only
        (:func:`tcs_themes.ingest.ids.comment_id`, location ``R<row>``).
    first_row : int
        The 1-based row number of ``frame``'s first row within the table.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns (the user's own columns, an ``id`` included,
        unchanged), plus ``comment_id`` and the number of ``redactions``
        (an existing column of that name is overwritten: it counts the text's).
    """
    out = frame.reset_index(drop=True).copy()
    ids = [comment_id(file_name, f"R{first_row + i}") for i in range(len(out))]
    redacted = [redact(text) if isinstance(text, str) else (text, 0) for text in out["text"].tolist()]
    out["text"] = pd.Series([text for text, _ in redacted], dtype="string")
    out[REDACTIONS] = pd.Series([count for _, count in redacted], dtype="Int64")
    out.insert(0, "comment_id", pd.Series(ids, dtype="string"))
    return out
