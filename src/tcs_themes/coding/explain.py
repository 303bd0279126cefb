"""Explain a linear theme model: the terms of a text that raised a theme's score most.

A term's contribution to a theme is its TF-IDF value in the text times the
theme's weight for it. Computed for all (text, term, theme) triples at once
with numpy, so explaining thousands of comments stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


def top_terms(
    features: sp.csr_matrix,
    weights: np.ndarray,
    mask: np.ndarray,
    terms: np.ndarray,
    theme_ids: Sequence[str],
    top: int,
) -> list[dict[str, list[str]]]:
    """Return, per text, the ``top`` terms with the largest positive contribution per theme.

    Parameters
    ----------
    features : csr_matrix of shape (n, v)
        The texts' term values (e.g. word TF-IDF).
    weights : ndarray of shape (k, v)
        Each theme's weight per term.
    mask : ndarray of bool, shape (n, k)
        Which (text, theme) pairs to explain.
    terms : ndarray of shape (v,)
        The term of each feature column.
    theme_ids : sequence of str
        The id of each theme (row of ``weights``).
    top : int
        Most terms per text and theme.

    Returns
    -------
    list of dict
        Per text, ``{theme_id: [term, ...]}`` strongest first; themes with no
        positive contribution are absent.
    """
    features = sp.csr_matrix(features)
    explained: list[dict[str, list[str]]] = [{} for _ in range(features.shape[0])]
    if top <= 0 or features.nnz == 0:
        return explained
    rows = np.repeat(np.arange(features.shape[0]), np.diff(features.indptr))
    columns = features.indices
    for theme, theme_id in enumerate(theme_ids):
        keep = mask[rows, theme]
        contribution = features.data[keep] * weights[theme, columns[keep]]
        positive = contribution > 0
        theme_rows = rows[keep][positive]
        theme_columns = columns[keep][positive]
        contribution = contribution[positive]
        order = np.lexsort((-contribution, theme_rows))
        theme_rows, theme_columns = theme_rows[order], theme_columns[order]
        starts = np.searchsorted(theme_rows, theme_rows, side="left")
        rank = np.arange(len(theme_rows)) - starts
        chosen = rank < top
        for row, column in zip(theme_rows[chosen].tolist(), theme_columns[chosen].tolist(), strict=True):
            explained[row].setdefault(theme_id, []).append(str(terms[column]))
    return explained
