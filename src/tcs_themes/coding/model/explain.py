"""Explain a linear theme model: the terms of a text that raised a theme's score most.

A term's contribution to a theme is its TF-IDF value in the text times the
theme's weight for it. Computed for all the (text, theme) pairs asked for
and their texts' terms at once with numpy, so explaining thousands of
comments stays cheap.
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
    pair_row, pair_theme = np.nonzero(np.asarray(mask, dtype=bool))
    if top <= 0 or features.nnz == 0 or not len(pair_row):
        return explained
    # every (pair, term of the pair's text) entry, with its contribution to the pair's theme
    first, size = features.indptr[pair_row], np.diff(features.indptr)[pair_row]
    pair = np.repeat(np.arange(len(pair_row)), size)
    entry = np.repeat(first - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))
    column = features.indices[entry]
    contribution = features.data[entry] * weights[pair_theme[pair], column]
    positive = contribution > 0
    pair, column, contribution = pair[positive], column[positive], contribution[positive]
    order = np.lexsort((-contribution, pair))
    pair, column = pair[order], column[order]
    chosen = np.arange(len(pair)) - np.searchsorted(pair, pair) < top
    pair, column = pair[chosen], column[chosen]
    chosen_terms = [str(term) for term in terms[column]]
    edges = np.searchsorted(pair, np.arange(len(pair_row) + 1)).tolist()
    for p, (row, theme) in enumerate(zip(pair_row.tolist(), pair_theme.tolist())):
        if edges[p + 1] > edges[p]:
            explained[row][theme_ids[theme]] = chosen_terms[edges[p] : edges[p + 1]]
    return explained
