"""Scoring with a fitted theme classifier, without scikit-learn: what ``tcs-themes code`` runs.

:class:`ThemePredictor` holds the prediction half of
:class:`~tcs_themes.coding.model.classifier.ThemeClassifier` (which adds
training): word TF-IDF through the fast look-up path
(:func:`~tcs_themes.coding.model.features.word_tfidf`), rule evidence,
context, sentence embeddings, the linear scores, calibrated probabilities,
thresholds and explanations. It imports no scikit-learn, so a model read back
from the trusted model cache (:mod:`tcs_themes.coding.model.model_cache`)
codes comments without the second or so that importing scikit-learn and skops
takes. It reads the fitted attributes documented on ``ThemeClassifier``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from spacy.lang.en.stop_words import STOP_WORDS

from tcs_themes.coding.model.embeddings import sentence_encoder
from tcs_themes.coding.model.explain import top_terms
from tcs_themes.coding.model.features import (
    context_matrix,
    context_word_block,
    dense_block,
    join_blocks,
    rule_matrix,
    scores_beside_dense,
    word_lookup,
    word_tfidf,
)
from tcs_themes.coding.model.meaning import PhraseIndex, theme_phrases
from tcs_themes.coding.model.thresholds import decide, sigmoid
from tcs_themes.coding.text_prep import first_sentences


def _texts(X: Any) -> list[str]:
    """Return X as a list of str (missing values become empty texts)."""
    if isinstance(X, str):
        raise ValueError("X must be a sequence of texts, not a single string; wrap it in a list")
    texts = []
    for value in X:
        texts.append("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))
    return texts


def _inputs(X: Any, context_columns: Sequence[str], *, optional: bool = False) -> tuple[list[str], list[list[str]]]:
    """Return the texts of X and, per context column, its values as str ("" when missing).

    X is a sequence of texts, or a DataFrame with a ``text`` column (and the
    context columns, which are required when ``context_columns`` is not empty,
    unless ``optional``: then a list of texts, or a DataFrame without them, has
    them blank); runs of white space in context values count as one space.
    """
    if not isinstance(X, pd.DataFrame):
        if context_columns and not optional:
            raise ValueError(f"this model uses context columns {', '.join(context_columns)}: give X as a DataFrame")
        texts = _texts(X)
        return texts, [[""] * len(texts) for _ in context_columns]
    missing = [column for column in ("text", *context_columns) if column not in X.columns]
    if missing and (not optional or "text" in missing):
        raise ValueError(f"X lacks the column(s) {', '.join(missing)}")
    blank = [""] * len(X)
    context = [[" ".join(value.split()) for value in _texts(X[column])] if column in X.columns else blank for column in context_columns]
    return _texts(X["text"]), context


def matches_within(rule_matches: Sequence[Sequence[Any]], rows: np.ndarray, heads: Sequence[str]) -> list[list[Any]]:
    """Return, for each text ``rows[i]``, its rule matches that lie in its first ``len(heads[i])`` characters.

    A comment's rule matches carry character offsets, so its first sentence's matches are read
    from them without tokenizing the sentence again.
    """
    return [[m for m in rule_matches[row] if m.end <= len(head)] for row, head in zip(rows.tolist(), heads)]


def opening_inputs(
    texts: list[str], context: list[list[str]], rule_matches: Sequence[Sequence[Any]] | None
) -> tuple[np.ndarray, list[str], list[list[str]], list[list[Any]] | None]:
    """Return the texts with more than one sentence (positions), their first sentences, and those
    sentences' context values and rule matches (None when ``rule_matches`` is)."""
    rows, firsts = first_sentences(texts)
    first_context = [[values[row] for row in rows.tolist()] for values in context]
    first_matches = None if rule_matches is None else matches_within(rule_matches, rows, firsts)
    return rows, firsts, first_context, first_matches



class ThemePredictor:
    """Predict, score and explain themes with a fitted model's attributes (no scikit-learn needed).

    Not built directly: the base of ``ThemeClassifier``, and the type of a model
    read from the trusted model cache (:func:`tcs_themes.coding.model.model_cache.read_cached_bundle`).
    """

    def _given(self, X: Any) -> tuple[list[str], list[list[str]]]:
        """The texts of X and its context values; the context is optional when it was chosen in training
        (``use_context="auto"``, the default preset's question): texts alone are read with it blank."""
        return _inputs(X, tuple(self.context_columns), optional=getattr(self, "use_context", True) == "auto")

    def _check_fitted(self, attribute: str) -> None:
        """Raise if the model has not been fitted (``ThemeClassifier`` raises scikit-learn's ``NotFittedError``)."""
        if not hasattr(self, attribute):
            raise ValueError(f"this {type(self).__name__} is not fitted yet")

    def _rule_matches(self, texts: list[str], rule_matches: Sequence[Sequence[Any]] | None) -> Any:
        if rule_matches is not None:
            if len(rule_matches) != len(texts):
                raise ValueError("rule_matches must hold one list of matches per text")
            return rule_matches
        if self.codebook is None:
            raise ValueError("this model uses rule evidence: give rule_matches, or set codebook")
        if getattr(self, "_rule_coder", None) is None:
            from tcs_themes.coding.rules.coder import RuleCoder

            self._rule_coder = RuleCoder(self.codebook)
        return self._rule_coder.match(texts)


    # -- prediction -----------------------------------------------------------------

    def _words(self, texts: list[str]) -> sp.csr_matrix:
        """Return the word TF-IDF block (fast batch path; lookup tables rebuilt after loading).

        The last batch's block is kept, so explaining the texts just scored costs no second pass.
        """
        if not hasattr(self, "_word_lookup"):
            self._word_lookup = word_lookup(self.word_vectorizer_)
        last = getattr(self, "_last_words", None)
        if last is not None and last[0] == texts:
            return last[1]
        words = word_tfidf(texts, self.word_vectorizer_, self._word_lookup)
        self._last_words = (texts, words)
        return words

    def _features(self, texts: list[str], rule_matches: Any, context: list[list[str]]) -> sp.csr_matrix:
        """Return the feature matrix: the sparse blocks and, with ``embeddings``, the sentence-embedding block."""
        blocks = self._sparse_blocks(texts, rule_matches, context)
        if self.embeddings is not None:
            blocks.append(dense_block(self._embedding_block(texts)))
        return join_blocks(blocks)

    def _embedding_block(self, texts: list[str]) -> np.ndarray:
        """Return the sentence-embedding block's values: the embeddings times ``embedding_weight``."""
        return self._embeddings(texts) * np.float32(self.embedding_weight)

    def _sparse_blocks(self, texts: list[str], rule_matches: Any, context: list[list[str]]) -> list[sp.spmatrix]:
        """Return the feature blocks before the sentence embedding's: words, characters, rules, context."""
        words = self._words(texts)
        blocks = [words]
        if self.char_vectorizer_ is not None:
            blocks.append(self.char_vectorizer_.transform(texts))
        if self.uses_rules_:
            matches = self._rule_matches(texts, rule_matches)
            blocks.append(rule_matrix(matches, [str(c) for c in self.classes_], self.rule_value))
        if context:
            shares = self.context_frequencies_
            blocks.append(context_matrix(context, self.context_categories_, self.context_value, shares))
            if self.context_interactions > 0:
                crossed = self._interaction_positions()
                weights = context_matrix(
                    [context[i] for i in crossed], [self.context_categories_[i] for i in crossed], 1.0,
                    None if shares is None else [shares[i] for i in crossed],
                )  # fmt: skip
                blocks.append(context_word_block(words, weights, self.context_interactions))
        return blocks

    def _embeddings(self, texts: list[str]) -> np.ndarray:
        """Return the texts' unit-length sentence embeddings from the model's encoder (``embeddings`` set)."""
        return sentence_encoder(self.embeddings).encode(texts)

    def meaning(self, texts: Sequence[str]) -> list[sp.csr_matrix]:
        """Return what the model reads of each text's meaning: its word TF-IDF block and, with
        ``embeddings``, its sentence-embedding block (each row unit length or zero).

        No rule, context or character blocks: these are the model's representation of what a
        comment says, used to compare comments with each other (theme discovery).

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        list of scipy.sparse.csr_matrix, each of shape (len(texts), block width)
        """
        self._check_fitted("word_vectorizer_")
        texts = _texts(texts)
        blocks = [sp.csr_matrix(self._words(texts))]
        if self.embeddings is not None:
            blocks.append(dense_block(self._embeddings(texts)))
        return blocks

    def _interaction_positions(self) -> list[int]:
        """Return the positions (in ``context_columns``) of the columns whose categories get word copies."""
        columns = list(self.context_columns)
        if self.interaction_columns is None:
            return list(range(len(columns)))
        return [columns.index(column) for column in self.interaction_columns]

    def decision_function(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        """Return each theme's linear score for each text, shape (n, k) (positive leans to the theme).

        X is as for :meth:`fit`: texts, or a DataFrame with ``text`` and the context columns.
        """
        self._check_fitted("coef_")
        texts, context = self._given(X)
        return self._scores(texts, context, rule_matches)

    def _scores(self, texts: list[str], context: list[list[str]], rule_matches: Any) -> np.ndarray:
        """:meth:`decision_function` of texts and context values already read from X (model fitted)."""
        if not texts:
            return np.zeros((0, len(self.classes_)))
        sparse = join_blocks(self._sparse_blocks(texts, rule_matches, context))
        if self.embeddings is None:
            scores = sparse @ self.coef_.T
        else:  # the same sums as the joined matrix's product, without joining (see scores_beside_dense)
            scores = scores_beside_dense(sparse, self._embedding_block(texts), self.coef_)
        return np.asarray(scores, dtype=np.float64) + self.intercept_

    def predict_proba(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        """Return each theme's calibrated probability for each text, shape (n, k), columns ``classes_``."""
        self._check_fitted("coef_")
        texts, context = self._given(X)
        return self._proba(texts, context, rule_matches)

    def _proba(self, texts: list[str], context: list[list[str]], rule_matches: Any) -> np.ndarray:
        """:meth:`predict_proba` of texts and context values already read from X."""
        scores = self._scores(texts, context, rule_matches)
        return sigmoid(scores, self.sigmoid_[:, 0], self.sigmoid_[:, 1])

    def predict(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        """Return 0/1 theme codes, shape (n, k): probability at or above the theme's threshold.

        Beyond a text's most probable given theme, another is kept only when its probability is at
        least ``relative_cut_`` times that one's. With ``at_least_one_``, a text no theme reaches
        gets its most probable theme.
        """
        proba = self.predict_proba(X, rule_matches=rule_matches)
        return decide(proba, self.thresholds_, self.at_least_one_, self.relative_cut_)

    def predict_primary(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        """Return each text's main theme id, shape (n,), for single-theme data.

        The theme with the highest ``p + opening_weight_ * p_first`` (``p`` its probability,
        ``p_first`` its probability for the text's first sentence, ``p`` again for a
        one-sentence text; see :meth:`opening_proba`) divided by its training frequency to the
        power ``primary_prior_power_`` (both chosen in :meth:`fit` on out-of-fold probabilities:
        the power to maximise macro-F1 of the main theme, the weight its accuracy).
        """
        weight = float(self.opening_weight_)
        self._check_fitted("coef_")
        texts, context = self._given(X)
        if weight > 0 and self.uses_rules_ and rule_matches is None:
            rule_matches = self._rule_matches(texts, None)
        proba = self._proba(texts, context, rule_matches)
        if not len(proba):
            return self.classes_[:0]
        if weight > 0:
            proba = proba + weight * self._opening_proba(texts, context, proba, rule_matches)
        prior = np.maximum(self.support_ + self.weak_support_, 1).astype(np.float64)
        return self.classes_[(proba / prior**self.primary_prior_power_).argmax(axis=1)]

    def opening_proba(self, X: Any, proba: np.ndarray, *, rule_matches: Any = None) -> np.ndarray:
        """Return each theme's probability for each text's first sentence, shape (n, k).

        Only the texts with more than one sentence
        (:func:`~tcs_themes.coding.text_prep.first_sentences`) are scored again, in one batch, with
        their context and the rule matches inside the sentence; a one-sentence text's row is its
        row of ``proba`` (its probabilities as a whole).
        """
        texts, context = self._given(X)
        return self._opening_proba(texts, context, proba, rule_matches)

    def _opening_proba(
        self, texts: list[str], context: list[list[str]], proba: np.ndarray, rule_matches: Any
    ) -> np.ndarray:
        """:meth:`opening_proba` of texts and context values already read from X."""
        if self.uses_rules_ and rule_matches is None:
            rule_matches = self._rule_matches(texts, None)
        rows, firsts, first_context, first_matches = opening_inputs(texts, context, rule_matches)
        first = np.array(proba, dtype=np.float64, copy=True)
        if len(rows):
            first[rows] = self._proba(firsts, first_context, first_matches)
        return first

    def explain(
        self, X: Any, top: int = 5, *, mask: np.ndarray | None = None, rule_matches: Any = None
    ) -> list[dict[str, list[str]]]:
        """Return, per text, the words and word n-grams that most raised each theme's score.

        Parameters
        ----------
        X : sequence of str
            Comment texts.
        top : int, default 5
            At most this many terms per text and theme, strongest first.
        mask : array of bool of shape (n, k), optional
            Explain only these (text, theme) pairs; default every theme.
        rule_matches : optional
            As for :meth:`fit` (rule evidence is not a word, so it is not listed).

        Returns
        -------
        list of dict
            Per text, ``{theme_id: [term, ...]}`` for each theme some term of
            the text pushed up; terms are lower-cased words or n-grams of the text.
            With ``embeddings``, ``meaning near "<phrase>"`` ends the list of
            each theme the comment's sentence embedding pushed up: the phrase
            of the theme's codebook entry (name, description clause, sub-theme
            or example; with no codebook, its id) nearest the comment's meaning.
        """
        self._check_fitted("coef_")
        texts, _ = _inputs(X, ())
        words = self._words(texts)
        if getattr(self, "_terms", None) is None:
            self._terms = self.word_vectorizer_.get_feature_names_out()
            # evidence an analyst can read: a term made only of stop words ("to", "of the") explains nothing
            self._informative = np.array([not set(term.split()) <= STOP_WORDS for term in self._terms])
        allowed = np.ones((len(texts), len(self.classes_)), dtype=bool) if mask is None else np.asarray(mask, bool)
        if allowed.shape != (len(texts), len(self.classes_)):
            raise ValueError("mask must have one row per text and one column per theme")
        weights = self.coef_[:, : words.shape[1]] * self._informative
        theme_ids = [str(c) for c in self.classes_]
        explained = top_terms(words, weights, allowed, self._terms, theme_ids, top)
        if self.embeddings is not None:
            encoder = sentence_encoder(self.embeddings)
            meaning = self.coef_[:, -encoder.dimension :] * np.float32(self.embedding_weight)
            vectors = encoder.encode(texts)
            rows, columns = np.nonzero(allowed & (vectors @ meaning.T > 0))
            if getattr(self, "_phrases", None) is None:
                self._phrases = PhraseIndex(theme_phrases(self.codebook, theme_ids), self.embeddings)
            said = self._phrases.nearest(vectors, rows, columns)
            for row, column, evidence in zip(rows.tolist(), columns.tolist(), said):
                explained[row].setdefault(theme_ids[column], []).append(evidence)
        return explained
