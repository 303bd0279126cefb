"""What each theme means in words, and which of those words a comment's meaning is nearest to.

A theme's *phrases* are what its codebook entry says of it: its name, each
clause of its description, its sub-themes' names and descriptions, and its
example comments. Their sentence embeddings let the toolkit

* explain a theme that a comment's meaning pushed up by the nearest phrase
  (``meaning near "parking charges"``), never by a bare "meaning";
* code with a codebook alone, before any comment is coded by an analyst
  (:class:`CodebookSimilarity`: the comment's similarity to each theme's
  nearest phrase is its score).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from tcs_themes.coding.model.embeddings import sentence_encoder
from tcs_themes.coding.model.static_embeddings import STATIC_NAME

#: Clauses of a description: split at sentence ends, semicolons, colons and commas.
_CLAUSES = re.compile(r"[.;:,!?]+\s+|\s+[-–]\s+")
#: Cosine similarities tried as codebook-only coding's threshold (:meth:`PhraseIndex.self_threshold`).
THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))
#: The threshold when the codebook has too few phrases to choose one (fewer than two per theme).
FALLBACK_THRESHOLD = 0.5
#: Longest phrase quoted as evidence, in characters.
QUOTE_CHARS = 60


def theme_phrases(codebook: Any, theme_ids: Sequence[str]) -> dict[str, list[str]]:
    """Return each theme's phrases (name, description clauses, sub-themes, examples), without repeats.

    With no codebook, a theme's only phrase is its id with ``_`` as spaces.
    """
    phrases: dict[str, list[str]] = {str(t): [] for t in theme_ids}
    entries = (*codebook.themes, *codebook.subthemes) if codebook is not None else ()
    for theme in entries:
        target = theme.parent or theme.id
        if target not in phrases:
            continue
        found = [theme.name, *(c.strip() for c in _CLAUSES.split(theme.description or "")), *theme.examples]
        for phrase in found:
            if phrase and len(phrase.split()) <= 40 and phrase not in phrases[target]:
                phrases[target].append(phrase)
    for theme_id, found in phrases.items():
        if not found:
            found.append(theme_id.replace("_", " "))
    return phrases


class PhraseIndex:
    """The embeddings of each theme's phrases, for nearest-phrase look-ups.

    Parameters
    ----------
    phrases : dict of str to list of str
        Theme id -> phrases (:func:`theme_phrases`), in theme order.
    encoder : str, default "static-minilm"
        The sentence encoder's name.
    """

    def __init__(self, phrases: dict[str, list[str]], encoder: str = STATIC_NAME) -> None:
        self.encoder = sentence_encoder(encoder)
        self.theme_ids = list(phrases)
        self.phrases = [phrase for found in phrases.values() for phrase in found]
        self.owner = np.array([j for j, found in enumerate(phrases.values()) for _ in found], dtype=np.int64)
        self.vectors = self.encoder.encode(self.phrases)
        self._columns = [np.flatnonzero(self.owner == j) for j in range(len(self.theme_ids))]
        self._evidence = [f'meaning near "{_quote(phrase)}"' for phrase in self.phrases]

    def similarities(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return, per text embedding and theme, the best cosine similarity and the index of that phrase."""
        sims = vectors @ self.vectors.T
        best = np.full((len(vectors), len(self.theme_ids)), -np.inf)
        where = np.zeros(best.shape, dtype=np.int64)
        for j, columns in enumerate(self._columns):
            block = sims[:, columns]
            where[:, j] = columns[block.argmax(axis=1)] if len(vectors) else 0
            best[:, j] = block.max(axis=1) if len(vectors) else 0
        return best, where

    def self_threshold(self) -> float:
        """Choose the similarity threshold from the codebook alone: leave each phrase out in turn.

        Each phrase is scored against every theme's other phrases, as a comment would be; the
        threshold of :data:`THRESHOLD_GRID` that gives the phrases their own theme with the best
        micro-F1 (the best theme given when none reaches it, as for comments) wins. No coded
        comment is needed. With fewer than two phrases per theme: :data:`FALLBACK_THRESHOLD`.
        """
        if len(self.phrases) < 2 * len(self.theme_ids):
            return FALLBACK_THRESHOLD
        sims = self.vectors @ self.vectors.T
        np.fill_diagonal(sims, -np.inf)
        best = np.full((len(self.phrases), len(self.theme_ids)), -np.inf)
        for j in range(len(self.theme_ids)):
            best[:, j] = sims[:, self.owner == j].max(axis=1)
        truth = np.zeros(best.shape, dtype=bool)
        truth[np.arange(len(self.phrases)), self.owner] = True
        scores = {}
        for threshold in THRESHOLD_GRID:
            given = best >= threshold
            given[np.arange(len(best)), best.argmax(axis=1)] = True
            hits = int((given & truth).sum())
            scores[threshold] = 2 * hits / (int(given.sum()) + int(truth.sum()))
        return max(THRESHOLD_GRID, key=lambda threshold: (scores[threshold], threshold))

    def nearest(self, vectors: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> list[str]:
        """Return the evidence for each (row, theme column) pair: ``meaning near "<nearest phrase>"``.

        ``rows`` index ``vectors``, ``columns`` the themes; only the pairs' own themes are searched.
        """
        rows, columns = np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)
        sims = vectors @ self.vectors.T
        where = np.zeros(len(rows), dtype=np.int64)
        for j in np.unique(columns).tolist():
            pairs = np.flatnonzero(columns == j)
            theme = self._columns[j]
            where[pairs] = theme[sims[rows[pairs]][:, theme].argmax(axis=1)]
        return [self._evidence[phrase] for phrase in where.tolist()]


def _quote(phrase: str) -> str:
    phrase = " ".join(phrase.split()).replace('"', "'")
    return phrase if len(phrase) <= QUOTE_CHARS else phrase[: QUOTE_CHARS - 1].rstrip() + "…"


class CodebookSimilarity:
    """A model made from a codebook alone: a theme's score is the comment's similarity to its nearest phrase.

    It behaves like a fitted :class:`~tcs_themes.coding.model.classifier.ThemeClassifier` for
    :class:`~tcs_themes.coding.hybrid.HybridCoder` (``predict_proba``, ``thresholds_``,
    ``explain``), so rules and similarity code together before any comment has been coded
    by an analyst: ``HybridCoder(codebook, model=CodebookSimilarity(codebook))``.

    Parameters
    ----------
    codebook : Codebook
    encoder : str, default "static-minilm"
    threshold : float or None, default None
        The similarity that gives a theme; None: chosen from the codebook's own phrases
        (:meth:`PhraseIndex.self_threshold`).
    """

    context_columns: tuple[str, ...] = ()
    uses_rules_ = False

    def __init__(self, codebook: Any, encoder: str = STATIC_NAME, threshold: float | None = None) -> None:
        self.codebook = codebook
        self.embeddings = encoder
        self.classes_ = np.array(codebook.ids)
        self._index = PhraseIndex(theme_phrases(codebook, codebook.ids), encoder)
        chosen = self._index.self_threshold() if threshold is None else float(threshold)
        self.thresholds_ = np.full(len(self.classes_), chosen)

    def predict_proba(self, X: Sequence[str], *, rule_matches: Any = None) -> np.ndarray:
        """Return each theme's score: the cosine similarity to its nearest phrase, clipped to 0..1."""
        best, _ = self._index.similarities(self._index.encoder.encode(list(X)))
        return np.clip(best, 0.0, 1.0)

    def explain(self, X: Sequence[str], top: int = 5, *, mask: np.ndarray | None = None, rule_matches: Any = None) -> list[dict[str, list[str]]]:
        """Return, per text, ``{theme_id: ['meaning near "<phrase>"']}`` for the themes in ``mask``."""
        texts = list(X)
        allowed = np.ones((len(texts), len(self.classes_)), bool) if mask is None else np.asarray(mask, bool)
        rows, columns = np.nonzero(allowed)
        evidence = self._index.nearest(self._index.encoder.encode(texts), rows, columns)
        explained: list[dict[str, list[str]]] = [{} for _ in texts]
        for row, column, said in zip(rows.tolist(), columns.tolist(), evidence):
            explained[row][str(self.classes_[column])] = [said]
        return explained
