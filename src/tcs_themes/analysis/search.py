"""Find coded comments by theme, words, strand or session: a researcher's first question of a coded table."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from tcs_themes.analysis.counts import group_labels
from tcs_themes.schema import split_list


def find_comments(
    coded: pd.DataFrame,
    *,
    theme: str | None = None,
    words: str | Sequence[str] | None = None,
    strand: str | None = None,
    session: str | None = None,
    primary_only: bool = False,
) -> pd.DataFrame:
    """Return the comments of a coded table that match every filter given.

    Parameters
    ----------
    coded : pandas.DataFrame
        The coded table.
    theme : str, optional
        A theme id: comments given this theme (any of their themes, or only
        their main theme with ``primary_only``). ``"uncoded"`` finds the
        comments no theme fitted.
    words : str or sequence of str, optional
        Whole words or phrases, case-insensitive, that must all appear in the
        text (``"park"`` finds "park" and "Park", not "parking").
    strand : str, optional
        The strand label, e.g. ``"Strand 3"``.
    session : str, optional
        A session id (``"S23"``) or session name.
    primary_only : bool, default False
        Match ``theme`` against the main theme only.

    Returns
    -------
    pandas.DataFrame
        The matching rows, unchanged, in table order.

    Examples
    --------
    >>> find_comments(coded, theme="green_spaces", words="play")[["session_name", "text"]]  # doctest: +SKIP
    """
    keep = pd.Series(True, index=coded.index)
    if theme is not None:
        if primary_only:
            keep &= coded["primary_theme"].astype("string").eq(theme).fillna(False)
        else:
            keep &= coded["themes"].map(lambda value: theme in split_list(value))
    if words is not None:
        text = coded["text"].astype("string").fillna("")
        for phrase in [words] if isinstance(words, str) else list(words):
            pattern = r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b"
            keep &= text.str.contains(pattern, case=False, regex=True)
    if strand is not None:
        keep &= group_labels(coded, "strand").eq(strand).fillna(False)
    if session is not None:
        by_id = coded["session_id"].astype("string").eq(session).fillna(False)
        by_name = coded["session_name"].astype("string").eq(session).fillna(False)
        keep &= by_id | by_name
    return coded[keep.astype(bool)]
