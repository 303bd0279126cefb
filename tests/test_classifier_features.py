"""The fast word TF-IDF path gives scikit-learn's matrix; embeddings become the CSR block scipy makes, and are
scored beside the sparse blocks to the bit; rule evidence becomes one column per theme."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from classifier_corpus import corpus

from tcs_themes.coding.model.features import (
    dense_block, join_blocks, rule_matrix, scores_beside_dense, word_lookup, word_tfidf, word_vectorizer,
)  # fmt: skip
from tcs_themes.coding.model.static_embeddings import static_encoder
from tcs_themes.coding.rules.coder import RuleMatch

ODD = ["", "!!!", "a", "Don't   STOP — naïve café's rôle", "🙂 x y", "x" * 5000, "the the the paper paper"]


@pytest.mark.parametrize("ngrams", [(1, 1), (1, 2), (2, 2)])
def test_fast_word_tfidf_equals_scikit_learn(ngrams):
    texts, _ = corpus(200)
    vectorizer = word_vectorizer(ngrams, 2, None).fit(texts + ODD)
    lookup = word_lookup(vectorizer)
    assert lookup is not None
    new = corpus(50, seed=1)[0] + ODD
    fast, slow = word_tfidf(new, vectorizer, lookup), vectorizer.transform(new)
    assert fast.shape == slow.shape and fast.dtype == np.float32
    assert abs(fast - slow).max() < 1e-6
    assert ((fast != 0) != (slow != 0)).nnz == 0


def test_trigrams_fall_back_to_scikit_learn():
    texts, _ = corpus(60)
    vectorizer = word_vectorizer((1, 3), 1, None).fit(texts)
    assert word_lookup(vectorizer) is None
    assert abs(word_tfidf(texts, vectorizer, None) - vectorizer.transform(texts)).max() == 0


def test_rule_matrix_marks_each_matched_theme_once():
    def match(theme: str) -> RuleMatch:
        return RuleMatch(theme_id=theme, subtheme_id=None, pattern_id=f"{theme}/1", pattern="p", words="w", start=0, end=1)

    matrix = rule_matrix([[match("b"), match("b"), match("zz")], [], [match("a")]], ["a", "b"], 3.0)
    assert matrix.toarray().tolist() == [[0, 3], [0, 0], [3, 0]]


@pytest.mark.parametrize("texts", [ODD, ["more parks please"] * 3, []])
def test_dense_block_is_scipys_csr_of_the_embeddings(texts):
    vectors = static_encoder().encode(texts)  # ODD has texts with no word piece: rows of zeros
    some_zeros = vectors.copy()
    if len(texts) > 2:
        some_zeros[2, :3] = 0  # zeros inside a row: scipy's own conversion
    for values in (vectors, some_zeros):
        fast, slow = dense_block(values), sp.csr_matrix(values)
        assert fast.shape == slow.shape and fast.dtype == slow.dtype
        for part in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(fast, part), getattr(slow, part))


@pytest.mark.parametrize("coef_type", [np.float32, np.float64])
def test_scores_beside_the_dense_block_are_the_joined_matrixs_to_the_bit(coef_type):
    texts, _ = corpus(300)
    texts += ODD  # rows with no word and no embedding
    vectorizer = word_vectorizer((1, 2), 2, None).fit(texts)
    words = word_tfidf(texts, vectorizer, word_lookup(vectorizer))
    vectors = static_encoder().encode(texts)
    vectors[5, :3] = 0  # zeros inside a row are left out, as in the CSR block
    coef = np.random.default_rng(0).normal(size=(7, words.shape[1] + vectors.shape[1])).astype(coef_type)
    joined = join_blocks([words, dense_block(vectors)]) @ coef.T
    carried = scores_beside_dense(join_blocks([words]), vectors, coef)
    assert carried.dtype == joined.dtype and carried.shape == (len(texts), 7)
    assert np.array_equal(carried, joined)  # the same sums in the same order: not merely close
