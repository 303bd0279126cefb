"""Build the coded table: the input rows unchanged, plus the codes.

The coded table is every input column, in order and unchanged, followed by
:data:`tcs_themes.schema.CODED_COLUMNS` and one ``score_<theme_id>`` column per
theme. An input column whose name clashes with one of the added columns is
carried through renamed ``input_<name>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from tcs_themes.errors import InputFileError
from tcs_themes.schema import (
    CODE_SOURCE_COLUMN, CODE_SOURCE_MACHINE, CODED_COLUMNS, MACHINE_THEMES_COLUMN, SCORE_PREFIX, score_column, split_list,
)
from tcs_themes.tables import read_table

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


def with_code_sources(coded: pd.DataFrame) -> pd.DataFrame:
    """Return ``coded`` with ``code_source`` and ``machine_themes`` columns, adding them when missing.

    Coded tables written before these columns existed hold the machine's codes only: every
    comment's ``code_source`` is then ``machine`` and its ``machine_themes`` are its ``themes``.
    Tables that have the columns are returned as they are (a copy).
    """
    out = coded.copy()
    if CODE_SOURCE_COLUMN not in out.columns:
        out[CODE_SOURCE_COLUMN] = pd.array([CODE_SOURCE_MACHINE] * len(out), dtype="string")
    if MACHINE_THEMES_COLUMN not in out.columns:
        out[MACHINE_THEMES_COLUMN] = out["themes"].astype("string")
    return out


def read_coded(path: str | Path, theme_ids: Sequence[str] = ()) -> pd.DataFrame:
    """Read a coded table (:func:`with_code_sources` applied), checking it is one.

    Raises
    ------
    InputFileError
        If the file cannot be read, or lacks ``comment_id``, ``text``, ``themes``,
        ``n_themes`` or the score column of one of ``theme_ids``.
    """
    coded = read_table(path)
    required = [c for c in ("comment_id", "text", "themes", "n_themes") if c not in coded.columns]
    missing = [t for t in theme_ids if score_column(t) not in coded.columns]
    if required or missing:
        what = ", ".join(required) if required else f"score columns for {len(missing)} themes (e.g. {score_column(missing[0])})"
        raise InputFileError(
            str(path), f"not a coded table for this codebook (no {what}); give the coded.parquet that 'code' or 'run' wrote"
        )
    return with_code_sources(coded)
