"""Table schemas: the column names and dtypes every stage reads and writes.

Two tables flow through the toolkit (see ``docs/schema.md``):

* the **comments table**, written by ingest: one row per comment;
* the **coded table**, written by ``code``: the comments table plus the codes.

Columns the input had that are not listed here are carried through after the
standard columns, their cells redacted (columns holding personal data are
dropped at ingest). A carried-through column whose name clashes with a
standard column is renamed with the prefix ``input_``.
"""

from __future__ import annotations

import pandas as pd

#: The comments table: name -> pandas dtype.
COMMENT_COLUMNS: dict[str, str] = {
    "comment_id": "string",  # stable across runs and machines: "c" + 12 hex digits
    "source_file": "string",  # path as given on the command line, POSIX separators
    "source_kind": "string",  # "spreadsheet" or "email"
    "sheet": "string",  # spreadsheet sheet name (CSV: the file stem); <NA> for emails
    "row": "Int64",  # spreadsheet row number as Excel shows it (1-based); <NA> for emails
    "message_id": "string",  # email Message-ID (or a hash of the file when it has none)
    "part": "Int64",  # 1-based position of the comment within its email
    "location": "string",  # human-readable: "Sheet1!R12" or "email.eml#2"
    "session_id": "string",
    "session_name": "string",
    "strand": "string",  # e.g. "Strand 1"; <NA> when not known
    "date": "datetime64[ns]",
    "question": "string",
    "text": "string",  # redacted comment text
    "sender_org": "string",  # emails: sender organisation from domain or signature
    "redactions": "Int64",  # how many personal details were redacted from text and carried-through cells
    "analyst_codes": "string",  # the analyst's theme codes as written in the input: main first, "; "-joined
}

#: Columns that ``code`` adds to the comments table (plus ``score_<theme_id>``).
CODED_COLUMNS: dict[str, str] = {
    "themes": "string",  # theme ids joined by "; ", the main theme first, then most confident first, or "uncoded"
    "primary_theme": "string",  # the first of themes, or "uncoded"
    "confidence": "float64",  # score of the primary theme (0..1)
    "n_themes": "Int64",  # number of themes given (0 for uncoded)
    "sources": "string",  # per theme in the order of themes: "rule", "model", "both" or "analyst"
    "subthemes": "string",  # "theme_id/subtheme_id" joined by "; " where a sub-theme's rules matched
    "evidence": "string",  # per theme: "theme_id: why" joined by " | "
    "code_source": "string",  # where the codes came from: "analyst", "review" or "machine"
    "machine_themes": "string",  # the machine's own themes, like themes, for every comment
    "low_confidence": "boolean",  # True: no theme reached its threshold; the comment got its most probable one
}

UNCODED = "uncoded"
#: The comments-table column holding an analyst's codes as written (see :mod:`tcs_themes.coding.analyst_codes`).
ANALYST_CODES = "analyst_codes"
#: The coded-table columns saying who gave a comment its codes, and what the machine's own codes are.
CODE_SOURCE_COLUMN, MACHINE_THEMES_COLUMN = "code_source", "machine_themes"
#: The values of ``code_source``: codes that came with the input (an analyst's), codes set by an
#: applied review decision, and codes the rules and the model gave.
CODE_SOURCE_ANALYST, CODE_SOURCE_REVIEW, CODE_SOURCE_MACHINE = "analyst", "review", "machine"
CODE_SOURCES = (CODE_SOURCE_ANALYST, CODE_SOURCE_REVIEW, CODE_SOURCE_MACHINE)
#: The per-theme ``sources`` entry of a human's code.
SOURCE_ANALYST = "analyst"
LIST_SEPARATOR = "; "
SCORE_PREFIX = "score_"

SOURCE_KINDS = ("spreadsheet", "email")


def score_column(theme_id: str) -> str:
    """Return the name of the per-theme score column for ``theme_id``."""
    return f"{SCORE_PREFIX}{theme_id}"


def split_list(value: object) -> list[str]:
    """Split a ``"; "``-joined cell (``themes``, ``sources``, ``subthemes``) into a list.

    Missing values and empty strings give an empty list.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def first_subtheme(subthemes: pd.Series, theme_id: str) -> pd.Series:
    """Each comment's first sub-theme id under ``theme_id`` in a ``subthemes`` column (None when it has none)."""
    prefix = f"{theme_id}/"
    return subthemes.astype(object).map(lambda v: next((x[len(prefix):] for x in split_list(v) if x.startswith(prefix)), None))


def empty_comments() -> pd.DataFrame:
    """Return an empty comments table with the standard columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COMMENT_COLUMNS.items()})


def conform_comments(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every standard comment column present, in order, with its dtype.

    Missing standard columns are added as all-missing; extra columns follow the
    standard ones unchanged.
    """
    out = frame.copy()
    for name, dtype in COMMENT_COLUMNS.items():
        if name not in out.columns:
            out[name] = pd.Series(pd.NA, index=out.index, dtype="object")
        if dtype == "datetime64[ns]":
            out[name] = pd.to_datetime(out[name], errors="coerce").astype("datetime64[ns]")
        else:
            out[name] = out[name].astype(dtype)
    extras = [c for c in out.columns if c not in COMMENT_COLUMNS]
    return out[list(COMMENT_COLUMNS) + extras]
