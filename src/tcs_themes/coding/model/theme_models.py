"""Fit one theme's model: a weighted linear SVM, its out-of-fold scores, sigmoid and threshold.

Kept as plain functions over arrays so they can run in worker processes and
hold no reference to the estimator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import LinearSVC

from tcs_themes.coding.model.thresholds import (
    FALLBACK_SLOPE,
    FALLBACK_THRESHOLD,
    RELATIVE_CUTS,
    THRESHOLD_MODES,
    best_f1_threshold,
    decide,
    fit_sigmoid,
    shared_threshold,
    sigmoid,
    theme_thresholds,
)

#: Candidate powers for discounting frequent themes in ``predict_primary``.
PRIOR_POWERS = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Candidate weights of a comment's opening sentence in the main-theme choice; 0 is off.
OPENING_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)

#: Fewer single-theme training comments with more than one sentence than this: the weight stays 0.
MIN_OPENING_ROWS = 20


@dataclass(frozen=True)
class ThemeFitSettings:
    """The estimator parameters one theme's fit needs."""

    C: float
    class_weight_power: float
    cv: int
    min_positives: int
    random_state: int


def row_groups(features: sp.csr_matrix) -> np.ndarray:
    """Return a group number per row: rows with identical features share one.

    Parameters
    ----------
    features : csr_matrix of shape (n, f)

    Returns
    -------
    ndarray of int64, shape (n,)
        Numbers 0..g-1, in order of each group's first row.
    """
    features = sp.csr_matrix(features)
    features.sort_indices()
    starts, ends = features.indptr[:-1], features.indptr[1:]
    keys = [
        features.indices[start:end].tobytes() + b"|" + features.data[start:end].tobytes()
        for start, end in zip(starts, ends, strict=True)
    ]
    _, first, groups = np.unique(np.array(keys, dtype=object), return_index=True, return_inverse=True)
    order = np.empty(len(first), dtype=np.int64)
    order[np.argsort(first)] = np.arange(len(first))
    return order[groups.ravel()]


def merge_duplicates(
    groups: np.ndarray, y: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge rows with identical features and label into one row whose weight is their sum.

    The weighted SVM objective is a sum of per-row losses, so this changes
    nothing but the solver's work (many training sets repeat comments).

    Returns
    -------
    (rows, y, weights)
        The first row of each (group, label) pair, its label and the summed weight.
    """
    _, first, inverse = np.unique(groups * 2 + y, return_index=True, return_inverse=True)
    return first, y[first], np.bincount(inverse.ravel(), weights=weights, minlength=len(first))


def fit_svm(
    features: sp.csr_matrix,
    y: np.ndarray,
    weights: np.ndarray,
    settings: ThemeFitSettings,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Fit a linear SVM for one theme; positives are up-weighted by ``(neg / pos) ** power``.

    ``groups`` (:func:`row_groups` of ``features``) lets identical rows with
    the same label be merged first (:func:`merge_duplicates`). Returns the
    weights and intercept; a theme with one class only gets zero weights and
    an intercept that always (or never) gives it.
    """
    if y.all() or not y.any():
        return np.zeros(features.shape[1]), (10.0 if y.all() else -10.0)
    positives = weights[y == 1].sum()
    boost = ((weights.sum() - positives) / positives) ** settings.class_weight_power
    weights = weights * np.where(y == 1, boost, 1.0)
    if groups is not None:
        rows, y, weights = merge_duplicates(groups, y, weights)
        features = features[rows]
    # The primal solver: with repeated rows merged and an evidence feature of large value, it converges
    # in far fewer passes than liblinear's dual coordinate descent (same objective, same solution).
    svm = LinearSVC(C=settings.C, dual=False, max_iter=5000, random_state=settings.random_state)
    svm.fit(features, y, sample_weight=weights)
    return svm.coef_[0], float(svm.intercept_[0])


def fit_theme(
    features: sp.csr_matrix,
    y: np.ndarray,
    weights: np.ndarray,
    n_real: int,
    settings: ThemeFitSettings,
    groups: np.ndarray | None = None,
    openings: tuple[np.ndarray, sp.csr_matrix] | None = None,
) -> dict[str, Any]:
    """Fit one theme on all rows, and calibrate and threshold it on out-of-fold scores.

    Parameters
    ----------
    features : csr_matrix of shape (n, f)
        Features of the analyst-coded rows followed by the weak rows.
    y : ndarray of shape (n,)
        0/1 codes of this theme.
    weights : ndarray of shape (n,)
        Sample weights (weak rows lighter).
    n_real : int
        The first ``n_real`` rows are analyst-coded; only they are scored
        out of fold (weak rows are always in the training folds).
    settings : ThemeFitSettings
    groups : ndarray of shape (n,), optional
        :func:`row_groups` of ``features``: identical rows are merged in each fit.
    openings : (rows, features), optional
        The analyst-coded rows with more than one sentence (positions, int) and the features of
        their first sentences: each is scored out of fold by the model of the fold its comment
        is held out in (``oof_first``).

    Returns
    -------
    dict
        ``coef``, ``intercept``, ``sigmoid`` (slope, intercept), ``threshold``,
        ``source`` ("cv" or "fallback"), ``precision``, ``recall``, ``f1``
        (out of fold, NaN for a fallback), ``oof`` (out-of-fold
        probabilities of the analyst-coded rows, or None) and ``oof_first``
        (with ``openings``: out-of-fold probabilities of their first sentences, or None).
    """
    coef, intercept = fit_svm(features, y, weights, settings, groups)
    result: dict[str, Any] = {
        "coef": coef, "intercept": intercept, "sigmoid": (FALLBACK_SLOPE, 0.0),
        "threshold": FALLBACK_THRESHOLD, "source": "fallback",
        "precision": np.nan, "recall": np.nan, "f1": np.nan, "oof": None, "oof_first": None,
    }  # fmt: skip
    truth = y[:n_real]
    positives = int(truth.sum())
    if positives < max(settings.min_positives, 2) or n_real - positives < 2:
        return result
    folds = StratifiedKFold(n_splits=min(settings.cv, positives), shuffle=True, random_state=settings.random_state)
    scores = np.zeros(n_real)
    first_of = np.full(n_real, -1)
    first_scores = None
    if openings is not None:
        first_of[openings[0]] = np.arange(len(openings[0]))
        first_scores = np.zeros(len(openings[0]))
    weak_rows = np.arange(n_real, len(y))
    # Copies of a text may fall on both sides of a split, as they will when new comments repeat
    # stock answers ("Nothing", "All good"); grouping them made the thresholds worse on P2.
    for train, test in folds.split(np.zeros(n_real), truth):
        rows = np.concatenate([train, weak_rows])
        fold_coef, fold_intercept = fit_svm(
            features[rows], y[rows], weights[rows], settings, None if groups is None else groups[rows]
        )
        scores[test] = features[test] @ fold_coef + fold_intercept
        if first_scores is not None:
            held = first_of[test][first_of[test] >= 0]
            first_scores[held] = openings[1][held] @ fold_coef + fold_intercept
    slope, offset = fit_sigmoid(scores, truth)
    proba = sigmoid(scores, slope, offset)
    if first_scores is not None:
        result["oof_first"] = sigmoid(first_scores, slope, offset)
    threshold, f1 = best_f1_threshold(proba, truth)
    given = proba >= threshold
    hits = int((given & (truth == 1)).sum())
    result.update(sigmoid=(slope, offset), threshold=threshold, source="cv", f1=f1,
                  precision=hits / max(int(given.sum()), 1), recall=hits / positives, oof=proba)  # fmt: skip
    return result


def choose_prior_power(oof: list[np.ndarray | None], labels: np.ndarray) -> float:
    """Choose how much the main-theme choice discounts frequent themes, on out-of-fold probabilities.

    Among :data:`PRIOR_POWERS`, the power whose ``argmax(proba / frequency ** power)``
    gives the best macro-F1 against the main theme of the rows coded with
    exactly one theme. Returns 0 (plain argmax) when any theme has no
    out-of-fold probabilities or fewer than half the rows have one theme.
    """
    single = labels.sum(axis=1) == 1
    if any(p is None for p in oof) or single.sum() < max(len(labels) // 2, 1):
        return 0.0
    proba = np.column_stack(oof)[single]
    truth = labels[single].argmax(axis=1)
    frequency = np.maximum(labels.sum(axis=0), 1).astype(np.float64)
    scores = [
        f1_score(truth, (proba / frequency**power).argmax(axis=1), average="macro", labels=np.arange(labels.shape[1]))
        for power in PRIOR_POWERS
    ]
    return float(PRIOR_POWERS[int(np.argmax(scores))])


def choose_opening_weight(
    oof: list[np.ndarray | None],
    oof_first: list[np.ndarray | None],
    first_rows: np.ndarray,
    labels: np.ndarray,
    prior: np.ndarray,
    power: float,
) -> tuple[float, dict[str, float]]:
    """Choose how much a comment's first sentence weighs in its main theme, on out-of-fold probabilities.

    Among :data:`OPENING_WEIGHTS` (0 among them), the weight ``w`` whose ranking
    ``(p + w * p_first) / prior ** power`` (``p_first`` the first sentence's probability; a
    one-sentence comment's is ``p``) most often puts first the theme of the rows coded with
    exactly one theme, over the themes with out-of-fold probabilities; the smallest among equals.
    0 when fewer than two themes have them or fewer than :data:`MIN_OPENING_ROWS` such rows have
    more than one sentence.

    Parameters
    ----------
    oof, oof_first : list of (ndarray or None)
        Per theme, out-of-fold probabilities of the analyst-coded rows, and of the first
        sentences of ``first_rows`` (None: a fallback theme).
    first_rows : ndarray of int
        The analyst-coded rows with more than one sentence.
    labels : ndarray of shape (n, k)
    prior, power
        Each theme's training count and ``primary_prior_power_`` (as :meth:`predict_primary`).

    Returns
    -------
    (weight, scores)
        ``scores`` maps each weight tried (as text) to its out-of-fold main-theme accuracy; empty
        when none was tried.
    """
    themes = [j for j, proba in enumerate(oof) if proba is not None and oof_first[j] is not None]
    if len(themes) < 2:
        return 0.0, {}
    single = labels.sum(axis=1) == 1
    single &= labels[:, themes].sum(axis=1) == 1
    opening = np.zeros(len(labels), dtype=bool)
    opening[first_rows] = True
    if int((single & opening).sum()) < MIN_OPENING_ROWS:
        return 0.0, {}
    proba = np.column_stack([oof[j] for j in themes])
    first = proba.copy()
    first[first_rows] = np.column_stack([oof_first[j] for j in themes])
    truth = labels[:, themes][single].argmax(axis=1)
    discount = np.asarray(prior, dtype=np.float64)[themes] ** power
    found = {
        weight: float(np.mean(((proba + weight * first)[single] / discount).argmax(axis=1) == truth))
        for weight in OPENING_WEIGHTS
    }
    best = max(found, key=lambda weight: (found[weight], -weight))
    return float(best), {str(weight): accuracy for weight, accuracy in found.items()}


def out_of_fold_f1(
    oof: list[np.ndarray | None],
    labels: np.ndarray,
    thresholds: np.ndarray,
    at_least_one: bool,
    relative_cut: float = 0.0,
) -> tuple[float, float]:
    """Return out-of-fold micro- and macro-F1 of :func:`decide` over the themes that have out-of-fold probabilities.

    NaN, NaN when no theme has them.
    """
    themes = [j for j, proba in enumerate(oof) if proba is not None]
    if not themes:
        return float("nan"), float("nan")
    truth = labels[:, themes]
    codes = decide(np.column_stack([oof[j] for j in themes]), thresholds[themes], at_least_one, relative_cut)
    return micro_macro_f1(truth, codes)


def micro_macro_f1(truth: np.ndarray, codes: np.ndarray) -> tuple[float, float]:
    """Return micro- and macro-F1 of 0/1 ``codes`` against ``truth`` (both (n, k))."""
    micro = f1_score(truth, codes, average="micro", zero_division=0)
    macro = f1_score(truth, codes, average="macro", zero_division=0)
    return float(micro), float(macro)


def compare_threshold_modes(
    proba: np.ndarray, truth: np.ndarray, at_least_one: bool, cv: int = 5, random_state: int = 0
) -> dict[str, tuple[float, float]]:
    """Cross-validate the two ways of choosing thresholds on out-of-fold probabilities.

    The rows are split into ``cv`` folds; each way chooses its thresholds on
    the other folds' rows and decides the held-out rows (with the
    at-least-one rule when asked). Choosing a threshold per theme fits the
    rows it is chosen on more closely than one shared threshold, so only
    held-out rows compare them fairly.

    Returns
    -------
    dict
        ``{"theme": (micro_f1, macro_f1), "shared": (micro_f1, macro_f1)}`` of the pooled held-out decisions.
    """
    proba = np.asarray(proba, dtype=np.float64)
    truth = np.asarray(truth).astype(np.int8)
    decided = {mode: np.zeros_like(truth) for mode in ("theme", "shared")}
    for chosen_on, held_out in _held_out_folds(len(proba), cv, random_state):
        for mode in decided:
            thresholds = mode_thresholds(proba[chosen_on], truth[chosen_on], at_least_one, mode)
            decided[mode][held_out] = decide(proba[held_out], thresholds, at_least_one)
    return {mode: micro_macro_f1(truth, codes) for mode, codes in decided.items()}


def _held_out_folds(n: int, cv: int, random_state: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (chosen-on, held-out) splits of ``n`` out-of-fold rows that settings are compared on."""
    return list(KFold(n_splits=min(cv, n), shuffle=True, random_state=random_state).split(np.zeros(n)))


def mode_thresholds(proba: np.ndarray, truth: np.ndarray, at_least_one: bool, mode: str) -> np.ndarray:
    """Return the thresholds one way chooses on these rows: ``"theme"``, each theme's F1-best; ``"shared"``, one for all."""
    if mode == "theme":
        return theme_thresholds(proba, truth)
    return np.full(proba.shape[1], shared_threshold(proba, truth, at_least_one)[0])


def compare_relative_cuts(
    proba: np.ndarray, truth: np.ndarray, at_least_one: bool, mode: str,
    cuts: tuple[float, ...] = RELATIVE_CUTS, cv: int = 5, random_state: int = 0,
) -> dict[float, tuple[float, float]]:
    """Cross-validate relative cuts of further themes on out-of-fold probabilities, as :func:`compare_threshold_modes`.

    On the same splits of the rows, the thresholds are chosen the ``mode`` way on the other folds'
    rows, and the held-out rows are decided with each cut (:func:`~.thresholds.cut_further`).

    Returns
    -------
    dict
        ``{cut: (micro_f1, macro_f1)}`` of the pooled held-out decisions.
    """
    proba = np.asarray(proba, dtype=np.float64)
    truth = np.asarray(truth).astype(np.int8)
    decided = {cut: np.zeros_like(truth) for cut in cuts}
    for chosen_on, held_out in _held_out_folds(len(proba), cv, random_state):
        thresholds = mode_thresholds(proba[chosen_on], truth[chosen_on], at_least_one, mode)
        for cut in cuts:
            decided[cut][held_out] = decide(proba[held_out], thresholds, at_least_one, cut)
    return {cut: micro_macro_f1(truth, codes) for cut, codes in decided.items()}


def choose_relative_cut(
    oof: list[np.ndarray | None], labels: np.ndarray, at_least_one: bool, mode: str,
    relative_cut: float | str, random_state: int = 0,
) -> tuple[float, dict[str, tuple[float, float]]]:
    """Return the relative cut :meth:`ThemeClassifier.predict` uses, and the held-out figures it was chosen by.

    Parameters
    ----------
    oof, labels, at_least_one
        As for :func:`choose_thresholds`.
    mode : {"theme", "shared"}
        How the thresholds were chosen (the held-out comparison chooses them the same way).
    relative_cut : float or "auto"
        A number is used as it is (0: no cut). ``"auto"``: among :data:`~.thresholds.RELATIVE_CUTS`
        (0 among them), the cut with the highest mean of held-out micro- and macro-F1
        (:func:`compare_relative_cuts`; the criterion ``threshold_mode="auto"`` uses), the
        smallest among equals; 0 when fewer than two themes have out-of-fold probabilities.

    Returns
    -------
    (cut, scores)
        ``scores`` maps each cut tried (as text, e.g. ``"0.5"``) to its held-out (micro-F1,
        macro-F1); empty unless chosen.
    """
    if relative_cut != "auto":
        return float(relative_cut), {}
    themes = [j for j, proba in enumerate(oof) if proba is not None]
    if len(themes) < 2:
        return 0.0, {}
    proba = np.column_stack([oof[j] for j in themes])
    found = compare_relative_cuts(proba, labels[:, themes], at_least_one, mode, random_state=random_state)
    best = max(found, key=lambda cut: (sum(found[cut]), -cut))
    return float(best), {str(cut): scores for cut, scores in found.items()}


def choose_thresholds(
    oof: list[np.ndarray | None], labels: np.ndarray, thresholds: np.ndarray, at_least_one: bool,
    mode: str, random_state: int = 0,
) -> tuple[np.ndarray, str, dict[str, tuple[float, float]]]:
    """Return the thresholds :meth:`ThemeClassifier.predict` uses, the way they were chosen, and its evidence.

    Parameters
    ----------
    oof : list of (ndarray of shape (n,) or None)
        Per theme, its out-of-fold probabilities (None: a fallback theme, whose threshold stays).
    labels : ndarray of shape (n, k)
    thresholds : ndarray of shape (k,)
        Each theme's own F1-best threshold (or its fallback).
    at_least_one : bool
    mode : {"theme", "shared", "auto"}
        ``"theme"``: keep ``thresholds``. ``"shared"``: one threshold for every theme with
        out-of-fold probabilities, the one that maximises their out-of-fold micro-F1
        (:func:`shared_threshold`). ``"auto"``: whichever of the two gives the higher mean of
        micro- and macro-F1 on held-out rows (:func:`compare_threshold_modes`).

    Returns
    -------
    (thresholds, chosen, scores)
        ``chosen`` is "theme" or "shared"; ``scores`` is :func:`compare_threshold_modes`'s
        result for "auto", else empty.
    """
    if mode not in THRESHOLD_MODES:
        raise ValueError(f"threshold_mode must be one of {', '.join(THRESHOLD_MODES)}, not {mode!r}")
    themes = [j for j, proba in enumerate(oof) if proba is not None]
    if mode == "theme" or not themes:
        return thresholds, "theme", {}
    proba = np.column_stack([oof[j] for j in themes])
    truth = labels[:, themes]
    scores: dict[str, tuple[float, float]] = {}
    if mode == "auto":
        scores = compare_threshold_modes(proba, truth, at_least_one, random_state=random_state)
        if sum(scores["shared"]) <= sum(scores["theme"]):
            return thresholds, "theme", scores
    chosen = np.array(thresholds, dtype=np.float64)
    chosen[themes] = shared_threshold(proba, truth, at_least_one)[0]
    return chosen, "shared", scores
