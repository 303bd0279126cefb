"""A candidate measured by the benchmarks, not a toolkit model: a words model and a meaning-only model, averaged.

pxtextmining's v7 ensemble averages the calibrated probabilities of differently
biased models and gives every label whose mean reaches one shared threshold
(docs/classifier.md). :class:`MeanOfWordsAndMeaning` is the cheap version of
that idea with our parts: per theme, the default classifier's words model
(word n-grams, with rule evidence when the hybrid coder gives it) and a
second linear model that reads only the comment's static sentence embedding,
each calibrated on its own out-of-fold scores; their probabilities are
averaged (``meaning_weight`` on the meaning model), and the thresholds, the
threshold mode and the main-theme prior power are chosen on the averaged
out-of-fold probabilities inside the training data, as ``ThemeClassifier``
chooses its own. It has what the benchmarks and the hybrid coder read of a
classifier (``predict_proba``, ``predict``, ``predict_primary``,
``thresholds_``, ``explain``...); it is not saved or cached.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.features import dense_block, join_blocks
from tcs_themes.coding.model.theme_models import choose_prior_power, choose_thresholds, out_of_fold_f1
from tcs_themes.coding.model.thresholds import best_f1_threshold, decide


class MeaningOnlyClassifier(ThemeClassifier):
    """A ``ThemeClassifier`` whose features are the sentence-embedding block alone (no words, rules or context)."""

    def _features(self, texts: list[str], rule_matches: Any, context: list[list[str]]):  # noqa: ANN202
        return join_blocks([dense_block(self._embeddings(texts) * np.float32(self.embedding_weight))])


class MeanOfWordsAndMeaning(BaseEstimator):
    """Average the calibrated probabilities of a words model and a meaning-only model (see the module)."""

    def __init__(
        self,
        *,
        C: float = 0.3,
        class_weight_power: float = 0.5,
        codebook: Any = None,
        use_examples: bool = True,
        weak_labels: Any = None,
        n_jobs: int | None = None,
        threshold_mode: str = "auto",
        embeddings: str = "static-minilm",
        meaning_weight: float = 0.5,
    ) -> None:
        self.C = C
        self.class_weight_power = class_weight_power
        self.codebook = codebook
        self.use_examples = use_examples
        self.weak_labels = weak_labels
        self.n_jobs = n_jobs
        self.threshold_mode = threshold_mode
        self.embeddings = embeddings
        self.meaning_weight = meaning_weight

    context_columns = ()
    char_ngrams = None

    def fit(self, X: Any, Y: Any, *, rule_matches: Any = None) -> MeanOfWordsAndMeaning:
        common = {
            "C": self.C, "class_weight_power": self.class_weight_power, "codebook": self.codebook,
            "use_examples": self.use_examples, "weak_labels": self.weak_labels, "n_jobs": self.n_jobs,
            "threshold_mode": self.threshold_mode,
        }  # fmt: skip
        self.words_ = ThemeClassifier(**common).fit(X, Y, rule_matches=rule_matches)
        self.meaning_ = MeaningOnlyClassifier(**common, embeddings=self.embeddings, use_rules=False).fit(X, Y)
        labels = np.asarray(Y.to_numpy() if hasattr(Y, "to_numpy") else Y, dtype=np.int8)
        w = self.meaning_weight
        oof = [
            None if a is None or b is None else (1 - w) * a + w * b
            for a, b in zip(self.words_._oof, self.meaning_._oof, strict=True)
        ]
        self.classes_ = self.words_.classes_
        self.uses_rules_ = self.words_.uses_rules_
        self.support_, self.weak_support_ = self.words_.support_, self.words_.weak_support_
        self.at_least_one_ = self.words_.at_least_one_
        self.cv_f1_ = np.full(len(oof), np.nan)
        own = self.words_.thresholds_.copy()  # fallback themes keep the words model's threshold
        for j, proba in enumerate(oof):
            if proba is not None:
                own[j], self.cv_f1_[j] = best_f1_threshold(proba, labels[:, j])
        self.thresholds_, self.threshold_mode_, self.threshold_scores_ = choose_thresholds(
            oof, labels, own, self.at_least_one_, self.threshold_mode
        )
        self.primary_prior_power_ = choose_prior_power(oof, labels)
        self.cv_micro_f1_, self.cv_macro_f1_ = out_of_fold_f1(oof, labels, self.thresholds_, self.at_least_one_)
        return self

    def predict_proba(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        w = self.meaning_weight
        words = self.words_.predict_proba(X, rule_matches=rule_matches)
        return (1 - w) * words + w * self.meaning_.predict_proba(X)

    def predict(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        return decide(self.predict_proba(X, rule_matches=rule_matches), self.thresholds_, self.at_least_one_)

    def predict_primary(self, X: Any, *, rule_matches: Any = None) -> np.ndarray:
        proba = self.predict_proba(X, rule_matches=rule_matches)
        prior = np.maximum(self.support_ + self.weak_support_, 1).astype(np.float64)
        return self.classes_[(proba / prior**self.primary_prior_power_).argmax(axis=1)]

    def explain(self, X: Any, top: int = 5, *, mask: Any = None, rule_matches: Any = None) -> list:
        """The words model's evidence (the meaning model's phrase is left out: a benchmark candidate)."""
        return self.words_.explain(X, top, mask=mask, rule_matches=rule_matches)
