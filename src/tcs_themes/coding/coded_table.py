"""Build the coded table: the input rows unchanged, plus the codes.

The coded table is every input column, in order and unchanged, followed by
:data:`tcs_themes.schema.CODED_COLUMNS` and one ``score_<theme_id>`` column per
theme. An input column whose name clashes with one of the added columns is
carried through renamed ``input_<name>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tcs_themes.schema import CODED_COLUMNS, SCORE_PREFIX, split_list

INPUT_PREFIX = "input_"


def _clashes(name: str) -> bool:
    return name in CODED_COLUMNS or str(name).startswith(SCORE_PREFIX)


def coded_frame(comments: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Return the coded table for ``comments`` and their ``codes`` (same length, same order).

    Parameters
    ----------
    comments : pandas.DataFrame
        The input rows (a comments table or any table with a text column).
    codes : pandas.DataFrame
        :meth:`HybridCoder.code` output for the same rows.

    Returns
    -------
    pandas.DataFrame
    """
    if len(comments) != len(codes):
        raise ValueError(f"{len(comments)} comments but {len(codes)} rows of codes")
    carried = comments.reset_index(drop=True)
    renames = {c: f"{INPUT_PREFIX}{c}" for c in carried.columns if _clashes(str(c))}
    if renames:
        carried = carried.rename(columns=renames)
    return pd.concat([carried, codes.reset_index(drop=True)], axis=1)


def themes_matrix(codes: pd.DataFrame, theme_ids: list[str]) -> np.ndarray:
    """Return the 0/1 (n, k) matrix of the ``themes`` column, columns in ``theme_ids`` order."""
    position = {theme_id: i for i, theme_id in enumerate(theme_ids)}
    matrix = np.zeros((len(codes), len(theme_ids)), dtype=np.int8)
    for row, value in enumerate(codes["themes"]):
        for theme in split_list(value):
            if theme in position:
                matrix[row, position[theme]] = 1
    return matrix


#: Who gave a comment its codes (the ``code_source`` column): codes that came with the input,
#: codes set by an applied review decision, or the machine's.
CODE_SOURCE_COLUMN = "code_source"
MACHINE_THEMES_COLUMN = "machine_themes"
SOURCE_ANALYST, SOURCE_REVIEW, SOURCE_MACHINE = "analyst", "review", "machine"
CODE_SOURCES = (SOURCE_ANALYST, SOURCE_REVIEW, SOURCE_MACHINE)


def with_code_sources(coded: pd.DataFrame) -> pd.DataFrame:
    """Return ``coded`` with ``code_source`` and ``machine_themes`` columns, adding them when missing.

    Coded tables written before these columns existed hold the machine's codes only: every
    comment's ``code_source`` is then ``machine`` and its ``machine_themes`` are its ``themes``.
    Tables that have the columns are returned as they are (a copy).
    """
    out = coded.copy()
    if CODE_SOURCE_COLUMN not in out.columns:
        out[CODE_SOURCE_COLUMN] = pd.array([SOURCE_MACHINE] * len(out), dtype="string")
    if MACHINE_THEMES_COLUMN not in out.columns:
        out[MACHINE_THEMES_COLUMN] = out["themes"].astype("string")
    return out
