"""Features for the theme classifier: word and character n-gram TF-IDF, and rule evidence.

Every block is a sparse matrix with one row per comment; the classifier joins
them side by side. Only scikit-learn vectorizers are stored in a fitted model,
so it persists with skops without custom types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

#: Word tokens: runs of two or more letters/digits, keeping inner apostrophes
#: ("couldn't") so that explanations quote words as they were written.
TOKEN_PATTERN = r"(?u)\b\w[\w']*\w\b"


def word_vectorizer(ngram_range: tuple[int, int], min_df: int, max_features: int | None) -> TfidfVectorizer:
    """Return an unfitted word n-gram TF-IDF vectorizer (lower case, sublinear tf)."""
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=TOKEN_PATTERN,
        ngram_range=tuple(ngram_range),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


def char_vectorizer(ngram_range: tuple[int, int], min_df: int, max_features: int | None) -> TfidfVectorizer:
    """Return an unfitted character n-gram TF-IDF vectorizer (within word boundaries)."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(ngram_range),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


def rule_matrix(matches: Sequence[Sequence[Any]], theme_ids: Sequence[str], value: float) -> sp.csr_matrix:
    """Return the rule-evidence block: ``value`` where a theme's rules matched a text.

    Parameters
    ----------
    matches : sequence of sequence of RuleMatch
        Per text, the rule matches (anything with a ``theme_id`` attribute), as
        returned by ``RuleCoder.match``.
    theme_ids : sequence of str
        The classifier's themes, in column order; matches of other themes are ignored.
    value : float
        The feature value of a match (a larger value makes the rule cheaper
        for the regularised model to rely on).

    Returns
    -------
    scipy.sparse.csr_matrix of shape (len(matches), len(theme_ids))
    """
    position = {theme_id: column for column, theme_id in enumerate(theme_ids)}
    rows: list[int] = []
    columns: list[int] = []
    for row, text_matches in enumerate(matches):
        hit = {position[m.theme_id] for m in text_matches if m.theme_id in position}
        rows.extend([row] * len(hit))
        columns.extend(sorted(hit))
    data = np.full(len(rows), value, dtype=np.float32)
    return sp.csr_matrix((data, (rows, columns)), shape=(len(matches), len(theme_ids)), dtype=np.float32)


def join_blocks(blocks: Sequence[sp.spmatrix]) -> sp.csr_matrix:
    """Join feature blocks side by side into one CSR matrix."""
    if len(blocks) == 1:
        return sp.csr_matrix(blocks[0])
    return sp.hstack(list(blocks), format="csr", dtype=np.float32)
