"""Turn a theme's out-of-fold scores into a calibrated probability and a decision threshold.

The classifier scores every training comment with models that did not see it
(cross-validation inside the training data). From those out-of-fold scores
this module fits a Platt sigmoid (score -> probability) and picks the
probability threshold that maximises the theme's F1. Themes with too few
positive examples for either get documented fallbacks.
"""

from __future__ import annotations

import numpy as np

#: Sigmoid slope used when a theme has too few positives to fit one: with the
#: default threshold of 0.5 the theme is given exactly where the linear model's
#: own decision score is positive.
FALLBACK_SLOPE = 2.0

#: The probability threshold used when a theme has too few positives to choose one.
FALLBACK_THRESHOLD = 0.5

#: Candidate thresholds searched for the best F1.
THRESHOLD_GRID = np.round(np.arange(0.02, 0.981, 0.01), 2)


def fit_sigmoid(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Fit a Platt sigmoid ``p = 1 / (1 + exp(-(a * score + b)))`` to out-of-fold scores.

    Parameters
    ----------
    scores : ndarray of shape (n,)
        Out-of-fold decision scores of one theme.
    truth : ndarray of shape (n,)
        0/1 codes of that theme.

    Returns
    -------
    (a, b) : tuple of float
        Slope and intercept; ``(FALLBACK_SLOPE, 0.0)`` when ``truth`` has one class only
        or the fitted slope is not positive.
    """
    truth = np.asarray(truth).astype(bool)
    if truth.all() or not truth.any():
        return FALLBACK_SLOPE, 0.0
    from sklearn.linear_model import LogisticRegression  # training only: coding needs no scikit-learn

    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    model.fit(np.asarray(scores, dtype=np.float64).reshape(-1, 1), truth)
    slope = float(model.coef_[0, 0])
    if slope <= 0:
        return FALLBACK_SLOPE, 0.0
    return slope, float(model.intercept_[0])


def sigmoid(scores: np.ndarray, slopes: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
    """Apply per-theme sigmoids to decision scores of shape (n, k); returns probabilities (n, k)."""
    z = np.clip(scores * slopes + intercepts, -35.0, 35.0)
    return 1.0 / (1.0 + np.exp(-z))


#: Candidate relative cuts chosen among by ``ThemeClassifier(relative_cut="auto")``; 0 is no cut.
RELATIVE_CUTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)


def cut_further(scores: np.ndarray, given: np.ndarray, ratio: float) -> np.ndarray:
    """Return ``given`` (bool, shape (n, k)) keeping only the themes that hold up beside each row's first.

    In each row, the given theme with the highest score is kept, and any other given theme only
    when its score is at least ``ratio`` times that one's. ``ratio`` 0 keeps every given theme; a row
    keeps at least the theme it had first, so the cut never leaves a coded row without a theme.
    """
    given = np.asarray(given, dtype=bool)
    if ratio <= 0 or not given.size:
        return given.copy()
    top = np.where(given, scores, -np.inf).max(axis=1, keepdims=True)
    return given & (scores >= ratio * top)


def decide(proba: np.ndarray, thresholds: np.ndarray, at_least_one: bool, relative_cut: float = 0.0) -> np.ndarray:
    """Return 0/1 codes, shape (n, k): each theme whose probability reaches its threshold.

    With ``relative_cut`` r above 0, a row's themes beyond its most probable given one are kept only
    where their probability is at least r times that one's (:func:`cut_further`). With
    ``at_least_one``, a row where no theme reaches its threshold gets its most probable theme.
    """
    codes = cut_further(proba, proba >= thresholds, relative_cut).astype(np.int8)
    if at_least_one and proba.shape[1]:
        empty = np.flatnonzero(~codes.any(axis=1))
        codes[empty, proba[empty].argmax(axis=1)] = 1
    return codes


def best_f1_threshold(proba: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Return the probability threshold that maximises F1 of ``truth`` (0/1), and that F1.

    ``proba`` are one theme's out-of-fold calibrated probabilities. Among
    equally good thresholds the one nearest 0.5 is taken (ties are common with
    few positives); ``(FALLBACK_THRESHOLD, 0.0)`` when no threshold finds a
    single positive.
    """
    truth = np.asarray(truth).astype(bool)
    given = np.asarray(proba)[:, None] >= THRESHOLD_GRID[None, :]
    tp = (given & truth[:, None]).sum(axis=0)
    fp = given.sum(axis=0) - tp
    fn = truth.sum() - tp
    denominator = 2 * tp + fp + fn
    f1 = np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)
    return _best_on_grid(f1)


def _best_on_grid(f1: np.ndarray) -> tuple[float, float]:
    """The grid threshold with the best F1 (among ties, the one nearest 0.5), and that F1."""
    best = f1.max()
    if best <= 0:
        return FALLBACK_THRESHOLD, 0.0
    candidates = np.flatnonzero(np.isclose(f1, best))
    chosen = candidates[np.argmin(np.abs(THRESHOLD_GRID[candidates] - 0.5))]
    return float(THRESHOLD_GRID[chosen]), float(best)


#: How :class:`~tcs_themes.coding.model.classifier.ThemeClassifier` may choose thresholds.
THRESHOLD_MODES = ("theme", "shared", "auto")


def shared_threshold(proba: np.ndarray, truth: np.ndarray, at_least_one: bool) -> tuple[float, float]:
    """Return the one probability threshold for every theme that maximises micro-F1, and that micro-F1.

    Parameters
    ----------
    proba : ndarray of shape (n, k)
        Out-of-fold calibrated probabilities of the themes.
    truth : ndarray of shape (n, k)
        Their 0/1 codes.
    at_least_one : bool
        Score the decisions as :meth:`ThemeClassifier.predict` makes them: a row no
        theme reaches gets its most probable theme.

    Returns
    -------
    (threshold, micro_f1)
        Among equally good thresholds, the one nearest 0.5; ``(FALLBACK_THRESHOLD, 0.0)``
        when there is nothing to score.
    """
    proba = np.asarray(proba, dtype=np.float64)
    truth = np.asarray(truth).astype(bool)
    positives = int(truth.sum())
    if not proba.size or positives == 0:
        return FALLBACK_THRESHOLD, 0.0

    def at_or_above(values: np.ndarray) -> np.ndarray:
        """How many of ``values`` reach each grid threshold."""
        return len(values) - np.searchsorted(np.sort(values), THRESHOLD_GRID, side="left")

    tp = at_or_above(proba[truth])
    n_given = at_or_above(proba.ravel())
    if at_least_one:
        # a row whose top probability is below the threshold gets its top theme (right or wrong)
        top = proba.argmax(axis=1)
        row_max = proba[np.arange(len(proba)), top]
        top_true = truth[np.arange(len(proba)), top]
        n_given = n_given + (len(row_max) - at_or_above(row_max))
        tp = tp + (int(top_true.sum()) - at_or_above(row_max[top_true]))
    f1 = 2 * tp / np.maximum(n_given + positives, 1)
    return _best_on_grid(f1)


def theme_thresholds(proba: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Return each theme's F1-best threshold (:func:`best_f1_threshold`), shape (k,)."""
    return np.array([best_f1_threshold(proba[:, j], truth[:, j])[0] for j in range(proba.shape[1])])

