"""The fast word TF-IDF path gives scikit-learn's matrix; rule evidence becomes one column per theme."""

from __future__ import annotations

import numpy as np
import pytest
from classifier_corpus import corpus

from tcs_themes.coding.model.features import rule_matrix, word_lookup, word_tfidf, word_vectorizer
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
