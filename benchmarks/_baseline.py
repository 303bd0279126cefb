"""The plain baseline every benchmark reports beside tcs-themes: TF-IDF word and character n-grams + logistic regression.

Word 1-2 n-grams and character 2-5 n-grams (within word boundaries), each
TF-IDF with sublinear term frequency and ``min_df=2``, joined; then
scikit-learn's ``LogisticRegression`` (lbfgs), one per theme for multi-label
data. Its one setting, C, is chosen among :data:`BASELINE_CS` by 3-fold
cross-validation inside the training rows (:func:`choose_baseline_c`). What
anyone would try first: no rules, no codebook, no thresholds beyond 0.5 (a
text no theme reaches gets its most probable theme, as the analysts gave every
text one).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline, make_union

#: The values of C the baseline chooses among (inside the training rows).
BASELINE_CS = (1.0, 10.0)
BASELINE_NAME = "baseline: TF-IDF word 1-2 + char 2-5, logistic regression"


def baseline_pipeline(C: float, multi_label: bool):  # noqa: ANN201 - a scikit-learn Pipeline
    """Return the unfitted baseline: TF-IDF word 1-2 + char_wb 2-5 joined, then logistic regression."""
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    model = LogisticRegression(C=C, max_iter=2000)
    return make_pipeline(features, OneVsRestClassifier(model) if multi_label else model)


def baseline_decide(proba: np.ndarray) -> np.ndarray:
    """Return 0/1 codes: probability 0.5 or more, and the most probable theme for a text none reaches."""
    given = (proba >= 0.5).astype(np.int8)
    given[np.arange(len(proba)), proba.argmax(axis=1)] = 1
    return given


def _score(truth: np.ndarray, predicted: np.ndarray, multi_label: bool) -> float:
    if multi_label:
        return (f1_score(truth, predicted, average="micro", zero_division=0)
                + f1_score(truth, predicted, average="macro", zero_division=0)) / 2  # fmt: skip
    return float(np.mean(truth == predicted))


def baseline_predict(model, texts: Sequence[str], multi_label: bool) -> np.ndarray:  # noqa: ANN001
    """Return the fitted baseline's codes (multi-label: :func:`baseline_decide`) or labels."""
    return baseline_decide(model.predict_proba(list(texts))) if multi_label else model.predict(list(texts))


def choose_baseline_c(texts: Sequence[str], y: np.ndarray, multi_label: bool) -> tuple[float, str]:
    """Choose C by 3-fold CV inside the given (training) rows: accuracy, or the mean of micro- and macro-F1."""
    texts = np.asarray(list(texts), dtype=object)
    found = {}
    for C in BASELINE_CS:
        predicted = np.zeros_like(y)
        for train, test in KFold(3, shuffle=True, random_state=0).split(texts):
            model = baseline_pipeline(C, multi_label).fit(texts[train].tolist(), y[train])
            predicted[test] = baseline_predict(model, texts[test].tolist(), multi_label)
        found[C] = _score(y, predicted, multi_label)
    best = max(BASELINE_CS, key=lambda C: (found[C], -C))
    return best, ", ".join(f"C={C}: {score:.4f}" for C, score in found.items()) + f" -> C={best}"


def fit_baseline(texts: Sequence[str], y: np.ndarray, multi_label: bool) -> tuple[object, str]:
    """Choose C inside these rows, then fit the baseline on all of them; return it and the choice as text."""
    C, note = choose_baseline_c(texts, y, multi_label)
    return baseline_pipeline(C, multi_label).fit(list(texts), y), note
