"""Turn rule matches and model probabilities into per-theme scores, decisions and sources.

Everything here is vectorised over a batch and works row by row, so a
comment's result never depends on which batch it was in.

The hybrid score of a theme combines the model's probability ``p`` with the
rule evidence ``r`` as a noisy-OR, ``s = 1 - (1 - p) (1 - r)``, where
``r = 1 - (1 - rule_weight) ** n`` for ``n`` rule matches of the theme (0 when
none matched). The theme is given when ``s`` reaches the model's threshold for
it. A rule match therefore lifts a theme the model was unsure of over its
threshold, but only as far as ``rule_weight`` allows. With the model's relative cut
``r`` (``relative_cut_``, chosen in training; 0 for models saved before it), a
comment's given themes beyond its highest-scoring one are kept only where their
score is at least ``r`` times that one's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tcs_themes.coding.model.thresholds import cut_further

METHODS = ("hybrid", "rules", "model")

#: The default ``rule_weight``, chosen on the sample (docs/benchmarks.md, sample-coding); the
#: differences between 0.15 and 0.5 there are about 0.01 F1.
DEFAULT_RULE_WEIGHT = 0.15

#: A comment of at least this many words gets a theme even when none reaches its threshold (low confidence).
MIN_WORDS_FOR_THEME = 4

SOURCE_RULE, SOURCE_MODEL, SOURCE_BOTH = "rule", "model", "both"
#: The sources by code (:meth:`Decisions.source_codes`).
SOURCE_NAMES = (SOURCE_RULE, SOURCE_MODEL, SOURCE_BOTH)


@dataclass
class Decisions:
    """Per-theme results for a batch of comments (rows) and themes (columns).

    Attributes
    ----------
    scores : ndarray of float, shape (n, k)
        The score of each theme (0..1) under the chosen method.
    given : ndarray of bool, shape (n, k)
        Whether each theme is given to each comment.
    by_rule : ndarray of bool, shape (n, k)
        Whether the theme's rules matched.
    by_model : ndarray of bool, shape (n, k)
        Whether the model alone reached the theme's threshold.
    low_confidence : ndarray of bool, shape (n,)
        Whether the comment's one theme was given although no theme reached its threshold.
    """

    scores: np.ndarray
    given: np.ndarray
    by_rule: np.ndarray
    by_model: np.ndarray
    low_confidence: np.ndarray

    def source_codes(self) -> np.ndarray:
        """Return, per comment and theme, the index in :data:`SOURCE_NAMES` of where a given theme came from."""
        return np.where(self.by_rule, np.where(self.by_model, 2, 0), 1)


def rule_scores(rule_counts: np.ndarray, rule_weight: float) -> np.ndarray:
    """Return the rule evidence ``1 - (1 - rule_weight) ** n`` for match counts ``n``."""
    return 1.0 - np.power(1.0 - rule_weight, rule_counts.astype(np.float64))


def decide(
    method: str,
    rule_counts: np.ndarray,
    proba: np.ndarray | None,
    thresholds: np.ndarray | None,
    rule_weight: float,
    eligible: np.ndarray | None = None,
    relative_cut: float = 0.0,
) -> Decisions:
    """Combine rule match counts and model probabilities into decisions.

    Parameters
    ----------
    method : {"hybrid", "rules", "model"}
        ``rules`` gives every theme whose rules matched; ``model`` every theme
        whose probability reaches its threshold; ``hybrid`` combines both (see
        the module docstring).
    rule_counts : ndarray of int, shape (n, k)
        Rule matches per comment and theme.
    proba : ndarray of float, shape (n, k), or None
        Model probabilities (None for ``rules``).
    thresholds : ndarray of float, shape (k,), or None
        The model's decision threshold per theme (None for ``rules``).
    rule_weight : float
        How much one rule match counts in the hybrid score (0..1).
    eligible : ndarray of bool, shape (n,), optional
        Comments that must get a theme (``hybrid`` and ``model``): one no theme
        reaches gets its highest-scoring theme, flagged ``low_confidence``.
    relative_cut : float, default 0.0
        ``hybrid`` and ``model``: beyond a comment's highest-scoring given theme, another is kept
        only where its score is at least this times that one's
        (:func:`~tcs_themes.coding.model.thresholds.cut_further`; 0: no cut).

    Returns
    -------
    Decisions
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    by_rule = rule_counts > 0
    evidence = rule_scores(rule_counts, rule_weight)
    if method == "rules":
        scores = np.where(by_rule, evidence, 0.0)
        return Decisions(scores, by_rule.copy(), by_rule, np.zeros_like(by_rule), np.zeros(len(scores), bool))
    assert proba is not None and thresholds is not None
    by_model = proba >= thresholds
    if method == "model":
        given = cut_further(proba, by_model, relative_cut)
        low = _best_if_none(proba, given, eligible)
        return Decisions(proba, given, np.zeros_like(by_model), by_model, low)
    scores = 1.0 - (1.0 - proba) * (1.0 - evidence)
    given = cut_further(scores, scores >= thresholds, relative_cut)
    low = _best_if_none(scores, given, eligible)
    return Decisions(scores, given, by_rule & given, by_model, low)


def _best_if_none(scores: np.ndarray, given: np.ndarray, eligible: np.ndarray | None) -> np.ndarray:
    """Give each eligible row with no theme (and some score) its best theme, in ``given``; return those rows."""
    low = np.zeros(len(scores), dtype=bool) if eligible is None else eligible & ~given.any(axis=1)
    low &= scores.max(axis=1, initial=0.0) > 0
    given[np.flatnonzero(low), scores[low].argmax(axis=1)] = True
    return low
