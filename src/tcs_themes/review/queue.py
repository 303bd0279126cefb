"""Choose which coded comments an analyst should review first.

Strategies (:data:`STRATEGIES`):

``active`` (the default)
    Each comment gets an *informativeness*: its expected number of wrong theme
    decisions (scores read as probabilities: a theme given at score ``s`` is
    wrong with probability ``1 - s``, one not given with probability ``s``),
    mixed with how far its number of themes is from the typical number
    (label cardinality inconsistency, as small-text's
    ``LabelCardinalityInconsistency`` / Li and Guo 2013). Comments are then
    picked one at a time as in modAL's ranked batch mode (Cardoso et al. 2017):
    the next is the one with the best ``alpha * (1 - similarity to those picked
    or reviewed in an earlier batch) + (1 - alpha) * informativeness``, similarity
    being the cosine of TF-IDF vectors, so the queue never fills with
    near-identical comments, nor with comments like those already reviewed. A share of
    the queue (:data:`UNCODED_SHARE`) is kept for comments the machine left
    uncoded or flagged ``low_confidence`` (no theme reached its threshold),
    picked the same way among them.
``uncertain``
    Informativeness alone, highest first (no diversity).
``disagree``
    Comments whose human codes (analyst or review) differ from the machine's,
    most different first; the only strategy that queues analyst-coded comments.
``uncoded``
    Comments the machine left uncoded or flagged ``low_confidence``, closest to a threshold first, with diversity.
``random``
    A random sample (``seed``).

Comments already coded by an analyst or a review are not queued except by ``disagree``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from tcs_themes.coding.coded_table import themes_matrix, with_code_sources
from tcs_themes.schema import CODE_SOURCE_COLUMN, CODE_SOURCE_MACHINE, CODE_SOURCE_REVIEW, MACHINE_THEMES_COLUMN, UNCODED, score_column, split_list

STRATEGIES = ("active", "uncertain", "disagree", "uncoded", "random")
#: Weight of the expected wrong decisions against the cardinality inconsistency in the informativeness.
ERRORS_WEIGHT = 0.75
#: Weight of diversity against informativeness when picking the next comment (modAL's alpha).
DIVERSITY_WEIGHT = 0.5
#: Share of an ``active`` queue kept for comments the machine left uncoded (when there are any).
UNCODED_SHARE = 0.2
#: Candidates considered for the diverse pick, per comment asked for (the most informative).
CANDIDATES_PER_PICK = 10
_MIN_CANDIDATES = 2000


def threshold_margins(scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Return each score's distance from its theme's threshold, scaled to 0..1 on its side.

    ``(s - t) / (1 - t)`` above the threshold, ``(t - s) / t`` below it: 0 at the
    threshold, 1 at certainty either way.
    """
    t = np.clip(np.asarray(thresholds, dtype=np.float64), 1e-6, 1 - 1e-6)
    s = np.asarray(scores, dtype=np.float64)
    return np.clip(np.where(s >= t, (s - t) / (1 - t), (t - s) / t), 0.0, 1.0)


def expected_errors(scores: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Return each comment's expected number of wrong theme decisions, reading scores as probabilities.

    A theme given at score ``s`` is wrong with probability ``1 - s``, one not given with
    probability ``s``; the sum over the themes is what reviewing the comment is expected to correct.
    """
    s = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
    return np.where(np.asarray(given, dtype=bool), 1.0 - s, s).sum(axis=1)


def informativeness(scores: np.ndarray, given: np.ndarray, n_themes: np.ndarray, typical: float) -> np.ndarray:
    """Return how much reviewing each comment should correct (0..1, higher first).

    ``ERRORS_WEIGHT`` times its :func:`expected_errors` (divided by the largest of them),
    plus the rest times its label cardinality inconsistency
    ``min(|n_themes - typical| / max(typical, 1), 1)``.
    """
    if scores.shape[1] == 0:
        return np.zeros(len(scores))
    errors = expected_errors(scores, given)
    errors = errors / errors.max() if len(errors) and errors.max() > 0 else errors
    counts = np.asarray(n_themes, dtype=np.float64)
    inconsistency = np.minimum(np.abs(counts - typical) / max(typical, 1.0), 1.0)
    return ERRORS_WEIGHT * errors + (1 - ERRORS_WEIGHT) * inconsistency


def typical_theme_count(coded: pd.DataFrame) -> float:
    """The number of themes a comment usually has: the mean over human-coded comments when there
    are at least 10 of them, else over the machine's coded comments (1 when there are none)."""
    counts = pd.to_numeric(coded["n_themes"], errors="coerce").fillna(0).to_numpy()
    human = (coded[CODE_SOURCE_COLUMN] != CODE_SOURCE_MACHINE).to_numpy()
    if human.sum() >= 10:
        return float(counts[human].mean())
    coded_rows = counts > 0
    return float(counts[coded_rows].mean()) if coded_rows.any() else 1.0


def diverse_pick(
    texts: Sequence[str],
    priority: np.ndarray,
    n: int,
    *,
    reserved: np.ndarray | None = None,
    reserved_share: float = 0.0,
    alpha: float = DIVERSITY_WEIGHT,
    seen: Sequence[str] = (),
) -> np.ndarray:
    """Pick ``n`` of ``texts`` greedily by ``alpha * (1 - max similarity to those picked) + (1 - alpha) * priority``.

    Comments already reviewed (``seen``) count as picked: a comment like one already
    reviewed is worth less than one unlike any.

    Parameters
    ----------
    texts : sequence of str
    priority : ndarray of float, shape (len(texts),)
        Informativeness, 0..1.
    n : int
    reserved : ndarray of bool, optional
        Rows of which at least ``reserved_share`` of the picks are made (while any are left):
        when too few have been picked, the next pick is made among them.
    reserved_share : float
    alpha : float
        Weight of diversity.
    seen : sequence of str, default ()
        Texts already reviewed.

    Returns
    -------
    ndarray of int
        Positions in ``texts``, in the order picked.
    """
    n = min(n, len(texts))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    reserved = np.zeros(len(texts), dtype=bool) if reserved is None else np.asarray(reserved, dtype=bool)
    try:
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit([*texts, *seen])
        vectors = vectorizer.transform(texts).tocsr()
    except ValueError:  # no words at all (empty or stop words only)
        vectors = None
    similarity = np.zeros(len(texts))
    if vectors is not None and len(seen):
        similarity = _max_similarity(vectors, vectorizer, seen)
    free = np.ones(len(texts), dtype=bool)
    picked: list[int] = []
    for step in range(n):
        gain = alpha * (1.0 - similarity) + (1 - alpha) * priority
        want_reserved = reserved_share > 0 and sum(reserved[p] for p in picked) < reserved_share * (step + 1)
        pool = free & reserved if want_reserved and (free & reserved).any() else free
        choice = int(np.flatnonzero(pool)[np.argmax(gain[pool])])
        picked.append(choice)
        free[choice] = False
        if vectors is not None:
            similarity = np.maximum(similarity, (vectors @ vectors[choice].T).toarray().ravel())
    return np.asarray(picked, dtype=np.int64)


def _max_similarity(vectors: Any, vectorizer: TfidfVectorizer, seen: Sequence[str], chunk: int = 2000) -> np.ndarray:
    """Each row of ``vectors``' highest cosine similarity to the ``seen`` texts (read ``chunk`` at a time)."""
    best = np.zeros(vectors.shape[0])
    for start in range(0, len(seen), chunk):
        block = vectorizer.transform(seen[start : start + chunk])
        best = np.maximum(best, (vectors @ block.T).max(axis=1).toarray().ravel())
    return best


def _shortlist(priority: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Positions of the ``size`` highest-priority rows within ``mask`` (ties: table order)."""
    rows = np.flatnonzero(mask)
    order = np.argsort(-priority[rows], kind="stable")
    return rows[order[:size]]


def select_for_review(
    coded: pd.DataFrame,
    theme_ids: Sequence[str],
    thresholds: np.ndarray,
    n: int = 200,
    strategy: str = "active",
    seed: int = 0,
) -> np.ndarray:
    """Return the positions (rows of ``coded``) of the comments to review, most worth reviewing first.

    Parameters
    ----------
    coded : pandas.DataFrame
        A coded table with a ``score_<theme_id>`` column per theme.
    theme_ids : sequence of str
        The codebook's theme ids, in the order of ``thresholds``.
    thresholds : ndarray of float
        The model's decision threshold per theme (``uncoded`` queues the comments closest to one first).
    n : int, default 200
        How many comments at most.
    strategy : str, default "active"
        One of :data:`STRATEGIES` (see the module docstring).
    seed : int, default 0
        Seed of ``random``, and of nothing else: the other strategies are deterministic.

    Returns
    -------
    ndarray of int
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, not {strategy!r}")
    table = with_code_sources(coded).reset_index(drop=True)
    scores = table[[score_column(t) for t in theme_ids]].to_numpy(dtype=np.float64, na_value=0.0)
    given = themes_matrix(table.assign(themes=table[MACHINE_THEMES_COLUMN]), list(theme_ids))
    priority = informativeness(scores, given, table["n_themes"].fillna(0).to_numpy(), typical_theme_count(table))
    machine = (table[CODE_SOURCE_COLUMN] == CODE_SOURCE_MACHINE).to_numpy()
    uncoded = machine & (table["themes"].astype("string").fillna(UNCODED) == UNCODED).to_numpy()
    if "low_confidence" in table.columns:  # given their most likely theme because none reached its threshold
        uncoded |= machine & table["low_confidence"].fillna(False).astype(bool).to_numpy()
    texts = table["text"].astype("string").fillna("").tolist()
    # earlier batches' comments (not the analyst-coded input, which can be most of a large table)
    seen = [texts[i] for i in np.flatnonzero((table[CODE_SOURCE_COLUMN] == CODE_SOURCE_REVIEW).to_numpy())]
    if strategy == "random":
        rows = np.flatnonzero(machine)
        return np.random.default_rng(seed).permutation(rows)[:n]
    if strategy == "uncertain":
        return _shortlist(priority, machine, n)
    if strategy == "disagree":
        return _disagreements(table, priority)[:n]
    size = max(CANDIDATES_PER_PICK * n, _MIN_CANDIDATES)
    if strategy == "uncoded":  # none reached its threshold: the closest to one first
        closeness = 1.0 - threshold_margins(scores, np.asarray(thresholds)).min(axis=1, initial=1.0)
        candidates = _shortlist(closeness, uncoded, size)
        return candidates[diverse_pick([texts[i] for i in candidates], closeness[candidates], n, seen=seen)]
    candidates = np.union1d(_shortlist(priority, machine & ~uncoded, size), _shortlist(priority, uncoded, size))
    candidates = candidates[np.argsort(-priority[candidates], kind="stable")]
    order = diverse_pick(
        [texts[i] for i in candidates], priority[candidates], n, reserved=uncoded[candidates], reserved_share=UNCODED_SHARE,
        seen=seen,
    )
    return candidates[order]


def _disagreements(table: pd.DataFrame, priority: np.ndarray) -> np.ndarray:
    """Human-coded rows whose themes differ from the machine's, most different (Jaccard) first."""
    human = [set(split_list(v)) - {UNCODED} for v in table["themes"]]
    machine = [set(split_list(v)) - {UNCODED} for v in table[MACHINE_THEMES_COLUMN]]
    distance = np.array([1 - len(a & b) / len(a | b) if a | b else 0.0 for a, b in zip(human, machine, strict=True)])
    rows = np.flatnonzero((table[CODE_SOURCE_COLUMN] != CODE_SOURCE_MACHINE).to_numpy() & (distance > 0))
    return rows[np.lexsort((-priority[rows], -distance[rows]))]
