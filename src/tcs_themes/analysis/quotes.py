"""Illustrative quotes: a few comments per theme, chosen the way an analyst would.

For each theme (over all comments, or within one strand) the candidates are the
comments given that theme that are safe to publish: no redaction marker, no
redactions counted, nothing that looks like an email address, phone number,
postcode or web address, no person named by title or initial, and between ``min_words`` and ``max_words`` words.

Each candidate gets a relevance score from three parts:

* **clearly about the theme** (weight 0.4): the theme's score, whether it is the
  comment's main theme, whether a codebook rule matched or an analyst gave it
  (``sources`` is ``rule``, ``both`` or ``analyst``), and how few other themes
  the comment has;
* **representative** (weight 0.4): cosine similarity, in TF-IDF space, to the
  centroid of all the theme's candidates, so a quote says what most people said;
* **short** (weight 0.2): 1 for 8 to 30 words, less for longer ones.

Quotes are then picked greedily by maximal marginal relevance
(``0.7 * relevance - 0.3 * similarity to the quotes already picked``), taking
each next quote from a session (or email) not yet quoted while there is one, and
never a near-duplicate of a quote already picked. Ties break on ``comment_id``,
so the choice is deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tcs_themes.analysis.counts import group_labels, natural_key
from tcs_themes.codebook.model import Codebook
from tcs_themes.ingest.redaction import PLACEHOLDERS
from tcs_themes.schema import SCORE_PREFIX, SOURCE_ANALYST, UNCODED, score_column, split_list

#: The markers redaction puts in place of personal details.
REDACTION_MARKER = re.compile("|".join(re.escape(placeholder) for placeholder in PLACEHOLDERS))
#: Personal details redaction may have missed: emails, phone numbers, postcodes, web addresses.
PERSONAL_DETAILS = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?:\+44\s?|\b0)\d(?:[\s-]?\d){8,10}\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
    r"|https?://|www\.",
    flags=re.IGNORECASE,
)
#: A person named by title or initial ("Cllr Smith", "Mrs Khan", "P. said"): not quoted either.
NAMED_PERSON = re.compile(r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]|\b[A-Z]\.\s+(?:said|says|asked|told|mentioned)\b")
ALL_DISCUSSIONS = "All discussions"
QUOTE_COLUMNS = [
    "scope", "theme_id", "theme", "quote_rank", "comment_id", "text", "words",
    "session_name", "strand", "source_kind", "location", "relevance",
]  # fmt: skip

#: The columns quote selection reads (besides the per-theme scores).
_CANDIDATE_COLUMNS = {*QUOTE_COLUMNS, "themes", "sources", "primary_theme", "confidence", "session_id", "message_id"}
_MMR_LAMBDA = 0.7
_NEAR_DUPLICATE = 0.8


def is_publishable(text: object, redactions: object = 0) -> bool:
    """Return True if ``text`` carries no redaction marker or personal detail."""
    if not isinstance(text, str) or not text.strip():
        return False
    if redactions is not None and not pd.isna(redactions) and int(redactions) > 0:
        return False
    return not (REDACTION_MARKER.search(text) or PERSONAL_DETAILS.search(text) or NAMED_PERSON.search(text))


def _shortness(words: np.ndarray) -> np.ndarray:
    return np.where(words <= 30, 1.0, np.clip(1.0 - (words - 30) / 30.0, 0.0, 1.0))


def _clarity(table: pd.DataFrame, lists: _Lists, members: np.ndarray, theme_id: str) -> np.ndarray:
    """How clearly each candidate in ``members`` (positions in ``table``) is about ``theme_id``."""
    column = score_column(theme_id)
    primary = lists.primary[members] == theme_id
    if column in table.columns:
        score = table[column].astype(float).fillna(0.0).to_numpy()[members]
    else:
        score = np.where(primary, table["confidence"].astype(float).to_numpy()[members], 0.5)
    themes, sources = lists.themes[members], lists.sources[members]
    rule = [
        t.index(theme_id) < len(s) and s[t.index(theme_id)] in ("rule", "both", SOURCE_ANALYST)
        for t, s in zip(themes, sources, strict=True)
    ]
    focus = 1.0 / np.array([max(len(t), 1) for t in themes], dtype=float)
    return (np.clip(score, 0, 1) + 0.5 * primary.astype(float) + 0.3 * np.asarray(rule, dtype=float) + 0.2 * focus) / 2.0


@dataclass(frozen=True)
class _Lists:
    """Per-candidate values worked out once for every theme: theme and source lists, main theme, origin."""

    themes: np.ndarray
    sources: np.ndarray
    primary: np.ndarray
    origins: np.ndarray

    @classmethod
    def of(cls, table: pd.DataFrame) -> _Lists:
        def lists(column: str) -> np.ndarray:
            out = np.empty(len(table), dtype=object)
            out[:] = [split_list(value) for value in table[column].astype(object).tolist()]
            return out

        origins = table["session_id"].astype("string").fillna(table["message_id"].astype("string"))
        origins = origins.fillna(table["comment_id"].astype("string")).astype(str).to_numpy()
        primary = table["primary_theme"].astype(object).to_numpy()
        return cls(themes=lists("themes"), sources=lists("sources"), primary=primary, origins=origins)


def _pick(relevance: np.ndarray, vectors: sparse.csr_matrix, origins: np.ndarray, n: int) -> list[int]:
    """Maximal marginal relevance with a preference for origins (sessions/emails) not yet used.

    ``vectors`` are the candidates' L2-normalised TF-IDF rows (sparse); each pick costs one
    sparse product with the picked row, so memory and time stay linear in the candidates.
    """
    chosen: list[int] = []
    codes = pd.factorize(pd.Series(origins, dtype=object))[0]
    used = np.zeros(codes.max() + 1 if len(codes) else 0, dtype=bool)
    available = np.ones(len(relevance), dtype=bool)
    max_sim = np.zeros(len(relevance))
    while available.any() and len(chosen) < n:
        fresh = available & ~used[codes]
        pool = np.flatnonzero((fresh if fresh.any() else available) & (max_sim < _NEAR_DUPLICATE))
        if not len(pool):
            break
        mmr = _MMR_LAMBDA * relevance[pool] - (1 - _MMR_LAMBDA) * max_sim[pool]
        best = int(pool[np.lexsort((pool, -np.round(mmr, 9)))[0]])
        chosen.append(best)
        available[best] = False
        used[codes[best]] = True
        max_sim = np.maximum(max_sim, (vectors @ vectors[best].T).toarray().ravel())
    return chosen


def _candidates(coded: pd.DataFrame, min_words: int, max_words: int) -> pd.DataFrame:
    """The comments that may be quoted: the right length (checked first, it is cheap) and publishable."""
    words = coded["text"].fillna("").astype(str).str.split().map(len)
    redactions = coded["redactions"] if "redactions" in coded.columns else pd.Series(0, index=coded.index)
    keep = words.between(min_words, max_words).to_numpy().copy()
    texts, counts = coded["text"].to_numpy()[keep], redactions.to_numpy()[keep]
    keep[keep] = [is_publishable(t, r) for t, r in zip(texts, counts, strict=True)]
    needed = [c for c in coded.columns if c in _CANDIDATE_COLUMNS or str(c).startswith(SCORE_PREFIX)]
    out = coded.loc[keep, needed]  # only what choosing and showing a quote reads: a fraction of the table
    out["words"] = words[keep]
    return out


def select_quotes(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    theme: str | None = None,
    strand: str | None = None,
    n: int = 3,
    min_words: int = 5,
    max_words: int = 45,
) -> pd.DataFrame:
    """Choose up to ``n`` illustrative quotes for each theme, overall or within one strand.

    Parameters
    ----------
    coded : DataFrame
        The coded table.
    codebook : Codebook
        Gives the themes and their names.
    theme : str, optional
        Only this theme id (default: every codebook theme).
    strand : str, optional
        Only comments from this strand (e.g. ``"Strand 3"``); the scope is then the strand.
    n : int, default 3
        Quotes per theme (fewer when fewer comments qualify).
    min_words, max_words : int
        Length limits of a quote, in words.

    Returns
    -------
    DataFrame
        ``QUOTE_COLUMNS``: one row per quote, themes in codebook order, ``quote_rank`` 1..n.
        ``scope`` is ``"All discussions"`` or the strand.

    Raises
    ------
    KeyError
        If ``theme`` is not a codebook theme.
    """
    themes = codebook.ids if theme is None else [codebook.theme(theme).id]
    table = coded if strand is None else coded[group_labels(coded, "strand") == strand]
    return _choose(_candidates(table, min_words, max_words), codebook, themes, ALL_DISCUSSIONS if strand is None else strand, n)


def _choose(candidates: pd.DataFrame, codebook: Codebook, themes: list[str], scope: str, n: int) -> pd.DataFrame:
    """Pick up to ``n`` quotes per theme among ``candidates`` (see :func:`select_quotes`)."""
    rows: list[pd.DataFrame] = []
    if candidates.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    # in comment_id order once, so each theme's candidates are already in the order ties break on
    candidates = candidates.iloc[np.argsort(candidates["comment_id"].astype(str).to_numpy(), kind="stable")]
    lists = _Lists.of(candidates)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform(candidates["text"].astype(str)).tocsr()  # sparse: memory linear in the text
    given = pd.Series(lists.themes).explode().dropna()
    rows_of = given.index.groupby(given.to_numpy())  # theme -> candidate positions, in order
    words = candidates["words"].to_numpy()
    for theme_id in themes:
        members = np.asarray(rows_of.get(theme_id, []), dtype=int)
        if not len(members) or theme_id == UNCODED:
            continue
        vectors = matrix[members]
        centroid = np.asarray(vectors.mean(axis=0), dtype=float).ravel()
        norm = np.linalg.norm(centroid)
        typical = vectors @ (centroid / norm) if norm else np.zeros(len(members))
        relevance = 0.4 * _clarity(candidates, lists, members, theme_id) + 0.4 * typical + 0.2 * _shortness(words[members])
        picked = _pick(relevance, vectors, lists.origins[members], n)
        chosen = candidates.iloc[members[picked]].copy()
        chosen["relevance"] = np.round(relevance[picked], 4)
        chosen["quote_rank"] = range(1, len(chosen) + 1)
        chosen["theme_id"] = theme_id
        chosen["theme"] = codebook.name_of(theme_id)
        chosen["scope"] = scope
        rows.append(chosen[QUOTE_COLUMNS])
    if not rows:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    return pd.concat(rows, ignore_index=True)


def quotes_by_scope(coded: pd.DataFrame, codebook: Codebook, *, n: int = 3, max_words: int = 45) -> pd.DataFrame:
    """Quotes per theme over all discussions, then per strand (comments with no strand only count overall).

    Returns
    -------
    DataFrame
        :func:`select_quotes` rows for scope ``"All discussions"`` followed by each strand.
    """
    strands = sorted(set(coded["strand"].dropna().astype(str)), key=natural_key)
    candidates = _candidates(coded, 5, max_words)  # once, then sliced per strand
    labels = group_labels(candidates, "strand")
    parts = [_choose(candidates, codebook, codebook.ids, ALL_DISCUSSIONS, n)]
    parts += [_choose(candidates[(labels == s).to_numpy()], codebook, codebook.ids, s, n) for s in strands]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=QUOTE_COLUMNS)
