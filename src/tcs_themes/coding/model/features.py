"""Features for the theme classifier: word and character n-gram TF-IDF, and rule evidence.

Every block is a sparse matrix with one row per comment; the classifier joins
them side by side. Only scikit-learn vectorizers are stored in a fitted model,
so it persists with skops without custom types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import re
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from tcs_themes.coding.rules.chunk_tokens import ChunkTable
from tcs_themes.coding.text_prep import whitespace_chunks

if TYPE_CHECKING:  # scikit-learn is imported to build vectorizers, not to score with a fitted one
    from sklearn.feature_extraction.text import TfidfVectorizer

#: Word tokens: runs of letters/digits with their apostrophes ("couldn't"), so
#: that explanations quote words as they were written. A simple pattern: the
#: regular expression is the costliest step of prediction.
TOKEN_PATTERN = r"(?u)\w[\w']*"


def word_vectorizer(ngram_range: tuple[int, int], min_df: int, max_features: int | None) -> TfidfVectorizer:
    """Return an unfitted word n-gram TF-IDF vectorizer (lower case, sublinear tf)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

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
    from sklearn.feature_extraction.text import TfidfVectorizer

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
    columns: list[int] = []
    pointer = [0]
    for text_matches in matches:
        if text_matches:
            columns.extend(sorted({position[m.theme_id] for m in text_matches if m.theme_id in position}))
        pointer.append(len(columns))
    data = np.full(len(columns), value, dtype=np.float32)
    return sp.csr_matrix(
        (data, np.array(columns, dtype=np.int32), np.array(pointer, dtype=np.int64)),
        shape=(len(matches), len(theme_ids)),
    )


def dense_block(values: np.ndarray) -> sp.csr_matrix:
    """Return a dense block (e.g. sentence embeddings) as CSR: ``scipy.sparse.csr_matrix(values)``, made faster.

    When each row is either all non-zero or all zero (a comment with no embedding), the
    structure is known without searching every entry; otherwise (a sum that came to exactly
    zero in a few rows of most batches) the non-zero entries are taken row by row, as scipy
    keeps them.
    """
    values = np.asarray(values)
    n, width = values.shape
    nonzero = values != 0
    full = nonzero.sum(axis=1)
    indptr = np.zeros(n + 1, dtype=np.int32 if n * width < 2**31 else np.int64)
    np.cumsum(full, out=indptr[1:])
    kept = full == width
    if np.isin(full, (0, width)).all():
        indices = np.tile(np.arange(width, dtype=indptr.dtype), int(kept.sum()))
        data = values[kept].ravel()
    else:
        indices = np.nonzero(nonzero)[1].astype(indptr.dtype)
        data = values[nonzero]
    return sp.csr_matrix((data, indices, indptr), shape=(n, width))


def scores_beside_dense(sparse: sp.csr_matrix, dense: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Return ``join_blocks([sparse, dense_block(dense)]) @ coef.T`` to the bit, without joining the blocks.

    A CSR product adds each row's terms one by one in column order: the sparse block's, then the
    dense block's. Here the sparse block's row sums are computed first and carried into the dense
    block's product as each row's first term (an identity column per row, whose coefficients are
    those sums; times 1.0, plus 0.0, they are unchanged), so every score is the same sum in the same
    order, and the large dense block is never copied beside the sparse one. Zero entries of
    ``dense`` are left out, as CSR leaves them out.

    Parameters
    ----------
    sparse : csr_matrix of shape (n, s)
    dense : ndarray of shape (n, d)
    coef : ndarray of shape (k, s + d)

    Returns
    -------
    ndarray of shape (n, k), of the product's type
    """
    n, width = dense.shape
    first = sparse.shape[1]
    carried = np.asarray(sparse @ coef[:, :first].T)
    block = np.empty((n, width + 1), dtype=dense.dtype)
    block[:, 0] = 1
    block[:, 1:] = dense
    index_type = np.int32 if n * (width + 1) < 2**31 else np.int64
    columns = np.empty(block.shape, dtype=index_type)
    columns[:, 0] = np.arange(n)
    columns[:, 1:] = np.arange(n, n + width)
    kept = block != 0
    if kept.all():
        data, indices = block.ravel(), columns.ravel()
        indptr = np.arange(0, n * (width + 1) + 1, width + 1, dtype=index_type)
    else:
        data, indices = block[kept], columns[kept]
        indptr = np.zeros(n + 1, dtype=index_type)
        np.cumsum(kept.sum(axis=1), out=indptr[1:])
    coefficients = np.concatenate([carried, coef[:, first:].T.astype(carried.dtype)])
    return np.asarray(sp.csr_matrix((data, indices, indptr), shape=(n, n + width)) @ coefficients)


def join_blocks(blocks: Sequence[sp.spmatrix]) -> sp.csr_matrix:
    """Join feature blocks side by side into one CSR matrix."""
    if len(blocks) == 1:
        return sp.csr_matrix(blocks[0])
    return sp.hstack(list(blocks), format="csr", dtype=np.float32)


@dataclass(frozen=True)
class WordLookup:
    """Lookup tables for turning texts into a fitted word TF-IDF vectorizer's matrix quickly.

    Built from the vectorizer's vocabulary (never saved: rebuilt after loading).
    """

    tokens: dict[str, int]  # every token of the vocabulary's unigrams and bigrams -> its position
    unigram_feature: np.ndarray  # per token: its unigram's column, or -1
    pairs: pd.Index  # bigram codes: first token * len(tokens) + second token
    pair_feature: np.ndarray  # per bigram code: its column
    idf: np.ndarray
    n_features: int
    chunks: ChunkTable  # each distinct white-space-separated chunk -> its tokens' positions (-1: not in tokens)


@dataclass(frozen=True)
class FittedWords:
    """What :func:`word_lookup` and :func:`word_tfidf` read of a fitted word TF-IDF vectorizer.

    The trusted model cache (:mod:`tcs_themes.coding.model.model_cache`) keeps a
    model's word vectorizer in this form (plain arrays and strings, no pickle);
    it scores texts exactly as the vectorizer does on the fast path, and so
    stands in for it only where :func:`word_lookup` gives lookup tables.
    """

    vocabulary_: dict[str, int]
    idf_: np.ndarray
    token_pattern: str
    ngram_range: tuple[int, int]
    sublinear_tf: bool = True
    norm: str = "l2"

    def get_feature_names_out(self) -> np.ndarray:
        """Return the terms in column order (as ``TfidfVectorizer.get_feature_names_out`` does)."""
        names = np.empty(len(self.vocabulary_), dtype=object)
        for term, column in self.vocabulary_.items():
            names[column] = term
        return names


def word_lookup(vectorizer: TfidfVectorizer | FittedWords) -> WordLookup | None:
    """Return lookup tables for :func:`word_tfidf`, or None when the fast path does not apply.

    The fast path covers what :func:`word_vectorizer` builds: lower-cased word
    unigrams and/or bigrams, sublinear tf, IDF and L2 norm.
    """
    if vectorizer.ngram_range[1] > 2 or not (vectorizer.sublinear_tf and vectorizer.norm == "l2"):
        return None
    terms = np.array(list(vectorizer.vocabulary_), dtype=object)
    columns = np.fromiter(vectorizer.vocabulary_.values(), dtype=np.int64, count=len(terms))
    is_pair = np.array([" " in term for term in terms], dtype=bool)
    firsts, seconds = [], []
    for term in terms[is_pair]:
        first, second = term.split(" ")
        firsts.append(first)
        seconds.append(second)
    tokens = {token: i for i, token in enumerate(sorted(set(terms[~is_pair]) | set(firsts) | set(seconds)))}
    unigram_feature = np.full(len(tokens), -1, dtype=np.int64)
    unigram_feature[_positions(tokens, terms[~is_pair])] = columns[~is_pair]
    codes = _positions(tokens, firsts) * len(tokens) + _positions(tokens, seconds)
    pattern = re.compile(vectorizer.token_pattern)

    def chunk_tokens(chunks: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        found = [pattern.findall(chunk.lower()) for chunk in chunks]
        items = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        return items, [_positions(tokens, list(chain.from_iterable(found)))]

    return WordLookup(
        tokens=tokens,
        unigram_feature=unigram_feature,
        pairs=pd.Index(codes),
        pair_feature=columns[is_pair],
        idf=vectorizer.idf_.astype(np.float32),
        n_features=len(terms),
        chunks=ChunkTable(chunk_tokens, [np.int64]),
    )


def _positions(tokens: dict[str, int], words: Sequence[str]) -> np.ndarray:
    """Return each word's position in ``tokens`` (-1 when absent)."""
    return np.fromiter(map(tokens.get, words, repeat(-1)), dtype=np.int64, count=len(words))


def word_tfidf(texts: Sequence[str], vectorizer: TfidfVectorizer | FittedWords, lookup: WordLookup | None) -> sp.csr_matrix:
    """Return ``vectorizer.transform(texts)`` (to float precision), computed for the whole batch at once.

    The vectorizer's tokens never span white space, so each distinct
    white-space-separated chunk is tokenized (and its tokens looked up) once
    and remembered (``lookup.chunks``); the tokens are then paired into
    bigrams, counted and weighted with array operations instead of
    scikit-learn's per-token Python loop.
    """
    if lookup is None:
        return vectorizer.transform(texts)
    n = len(texts)
    chunks, per_text = whitespace_chunks(texts)
    items, (token,) = lookup.chunks.gather(lookup.chunks.rows(chunks))
    document = np.repeat(np.repeat(np.arange(n), per_text), items)
    rows, columns = [], []
    low, high = vectorizer.ngram_range
    if low <= 1:
        feature = np.where(token >= 0, lookup.unigram_feature[np.maximum(token, 0)], -1)
        rows.append(document[feature >= 0])
        columns.append(feature[feature >= 0])
    if high >= 2 and len(token) > 1:
        first, second = token[:-1], token[1:]
        valid = (document[1:] == document[:-1]) & (first >= 0) & (second >= 0)
        position = lookup.pairs.get_indexer(first[valid] * len(lookup.tokens) + second[valid])
        rows.append(document[:-1][valid][position >= 0])
        columns.append(lookup.pair_feature[position[position >= 0]])
    rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    columns_all = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    counts = sp.csr_matrix(
        (np.ones(len(rows_all), dtype=np.float32), (rows_all, columns_all)), shape=(n, lookup.n_features)
    )
    counts.sum_duplicates()
    counts.data = (np.log(counts.data) + 1.0) * lookup.idf[counts.indices]
    per_row = np.diff(counts.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), per_row), weights=counts.data**2, minlength=n))
    counts.data /= np.repeat(np.where(norms > 0, norms, 1.0), per_row).astype(np.float32)
    return counts


def context_categories(values: Sequence[str]) -> list[str]:
    """Return the sorted distinct non-empty values of one context column (its one-hot categories)."""
    return sorted({value for value in values if value})


def context_frequencies(values: Sequence[str], categories: Sequence[str]) -> list[float]:
    """Return each category's share of the values that are among ``categories`` (all 0 when none is)."""
    counts = pd.Series(list(values)).value_counts().reindex(list(categories), fill_value=0).to_numpy(dtype=float)
    total = counts.sum()
    return (counts / total).tolist() if total else [0.0] * len(categories)


def context_matrix(
    columns: Sequence[Sequence[str]],
    categories: Sequence[Sequence[str]],
    value: float,
    frequencies: Sequence[Sequence[float]] | None = None,
) -> sp.csr_matrix:
    """Return the context block: one-hot ``value`` per (context column, category) of each text.

    Parameters
    ----------
    columns : sequence of sequence of str
        Per context column, its value for every text ("" when missing).
    categories : sequence of sequence of str
        Per context column, the categories seen in training (in column order).
    value : float
        The feature value of a present category.
    frequencies : sequence of sequence of float, optional
        Per context column, each category's share of the training texts with a known value
        (:func:`context_frequencies`). A value not among the categories (blank, or unseen in
        training) then gets every category at ``value`` times its share: the average known
        value, so a linear model scores it by its mean over the categories. None: such a
        value gives no feature.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n_texts, total number of categories)
    """
    n = len(columns[0]) if columns else 0
    rows: list[np.ndarray] = []
    features: list[np.ndarray] = []
    data: list[np.ndarray] = []
    offset = 0
    for column, (values, known) in enumerate(zip(columns, categories, strict=True)):
        position = pd.Index(list(known)).get_indexer(list(values))
        present = np.flatnonzero(position >= 0)
        rows.append(present)
        features.append(position[present] + offset)
        data.append(np.full(len(present), value, dtype=np.float32))
        if frequencies is not None and len(known):
            unknown = np.flatnonzero(position < 0)
            shares = np.asarray(frequencies[column], dtype=np.float32) * np.float32(value)
            rows.append(np.repeat(unknown, len(known)))
            features.append(np.tile(np.arange(len(known)) + offset, len(unknown)))
            data.append(np.tile(shares, len(unknown)))
        offset += len(known)
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    column_ids = np.concatenate(features) if features else np.zeros(0, dtype=np.int64)
    entries = np.concatenate(data) if data else np.zeros(0, dtype=np.float32)
    return sp.csr_matrix((entries, (row, column_ids)), shape=(n, offset), dtype=np.float32)


def context_word_block(words: sp.csr_matrix, context: sp.csr_matrix, value: float) -> sp.csr_matrix:
    """Return the word block repeated once per context category, kept only for that category's texts.

    Parameters
    ----------
    words : csr_matrix of shape (n, w)
        The word TF-IDF block.
    context : csr_matrix of shape (n, c)
        The context block (:func:`context_matrix`) at value 1: each text's weight of each
        category (1 for its own; its share for a text of unknown category).
    value : float
        Scale of the copies: each category's own word weights then cost more
        regularisation than the shared ones, so they only learn what differs.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (n, w * c)
    """
    present = context.astype(np.float32).toarray()
    copies = [sp.diags(present[:, j] * np.float32(value)) @ words for j in range(present.shape[1])]
    return sp.hstack(copies, format="csr", dtype=np.float32) if copies else sp.csr_matrix((words.shape[0], 0))
