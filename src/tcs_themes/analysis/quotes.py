"""Illustrative quotes: a few comments per theme, chosen the way an analyst would.

For each theme (over all comments, or within one strand) the candidates are the
comments given that theme that are safe to publish: no redaction marker, no
redactions counted (one placeholder is enough to keep a comment out, pinned or
not, even when a theme then has no quote: a placeholder points at a person, and
"[NAME] told [NAME] at [ADDRESS]" reads as nothing else), nothing that looks like an email address, phone number,
postcode or web address, no person named by title or initial, no special-category
detail (health, religion, a named family member...) nor safeguarding or other
sensitive disclosure (a child described with an age, abuse, homelessness...: see
:mod:`tcs_themes.analysis.special_category`) unless the analyst approved the
comment, not banned by the analyst, and between ``min_words`` and ``max_words`` words.
A comment is a candidate for a theme only when it is on that theme: its main
theme, given by a rule or an analyst, or with the theme's own score at least
``ON_THEME_SCORE``.

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
never a near-duplicate of a quote already picked. A comment that reads badly
as evidence (a fragment, a courtesy or praise for the event rather than the
strategy, or only a self-introduction: :mod:`tcs_themes.analysis.quote_reading`) is left out while the theme
has another candidate in the scope. Comments the analyst pinned come first, and
are quoted however they read. Within one scope each comment is quoted once: a theme takes a
comment already quoted under another theme only when no other candidate is
left. Ties break on ``comment_id``, so the choice is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tcs_themes.analysis.counts import NO_STRAND, group_labels, natural_key
from tcs_themes.analysis.quote_reading import CUT_MARK, reads_badly, without_introduction
from tcs_themes.analysis.special_category import special_categories
from tcs_themes.codebook.model import Codebook
from tcs_themes.ingest.redaction import PLACEHOLDERS
from tcs_themes.schema import SOURCE_ANALYST, UNCODED, score_column, split_list

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

#: A secondary theme's own score needed for a comment to be quoted under it (unless a rule or an analyst gave it).
ON_THEME_SCORE = 0.5
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


def _clarity(candidates: pd.DataFrame, themes: np.ndarray, by_rule: np.ndarray, theme_id: str) -> np.ndarray:
    """How clearly each candidate is about ``theme_id`` (``themes``: its theme lists; ``by_rule``: given by a rule or analyst)."""
    column = score_column(theme_id)
    if column in candidates.columns:
        score = candidates[column].astype(float).fillna(0.0).to_numpy()
    else:
        score = np.where(candidates["primary_theme"] == theme_id, candidates["confidence"].astype(float), 0.5)
    is_primary = (candidates["primary_theme"] == theme_id).to_numpy(dtype=float)
    focus = 1.0 / np.array([max(len(t), 1) for t in themes], dtype=float)
    return (np.clip(score, 0, 1) + 0.5 * is_primary + 0.3 * by_rule.astype(float) + 0.2 * focus) / 2.0


def _lists(column: pd.Series) -> np.ndarray:
    """Each cell of a ``"; "``-joined list column as a list, in an object array (no ``uncoded``)."""
    out = np.empty(len(column), dtype=object)
    out[:] = [[t for t in split_list(value) if t != UNCODED] for value in column.astype(object).tolist()]
    return out


def _given_by_rule(themes: np.ndarray, sources: np.ndarray, theme_id: str) -> np.ndarray:
    """Whether each comment was given ``theme_id`` by a rule (alone or with the model) or by an analyst."""
    return np.array(
        [theme_id in t and t.index(theme_id) < len(s) and s[t.index(theme_id)] in ("rule", "both", SOURCE_ANALYST)
         for t, s in zip(themes, sources, strict=True)],
        dtype=bool,
    )  # fmt: skip


def _pick(relevance: np.ndarray, vectors: sparse.csr_matrix, origins: list[str], n: int, quoted: np.ndarray) -> list[int]:
    """Maximal marginal relevance, preferring comments not ``quoted`` elsewhere, then origins (sessions/emails) not yet used.

    ``vectors`` are the candidates' L2-normalised TF-IDF rows, sparse: each pick costs one sparse
    product with the quotes already picked, so memory stays linear in the candidates.
    """
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < n:
        used = {origins[i] for i in chosen}
        tiers = (
            [i for i in remaining if not quoted[i] and origins[i] not in used],
            [i for i in remaining if not quoted[i]],
            [i for i in remaining if origins[i] not in used],
        )
        pool = next((tier for tier in tiers if tier), remaining)
        redundancy = (vectors[pool] @ vectors[chosen].T).toarray() if chosen else np.zeros((len(pool), 1))
        max_sim = redundancy.max(axis=1)
        mmr = _MMR_LAMBDA * relevance[pool] - (1 - _MMR_LAMBDA) * max_sim
        order = np.lexsort((np.array(pool), -np.round(mmr, 9)))
        best = next((pool[k] for k in order if max_sim[k] < _NEAR_DUPLICATE), None)
        if best is None:
            break
        chosen.append(best)
        remaining.remove(best)
    return chosen


def stand_in_key(pool: pd.DataFrame, theme_id: str, weak: np.ndarray | None = None) -> np.ndarray:
    """How good a stand-in quote each of ``pool`` is under ``theme_id``, larger better: those that read badly
    (``weak``, default :func:`~tcs_themes.analysis.quote_reading.reads_badly`) last, then most on the theme (its
    score), then shortest."""
    column = score_column(theme_id)
    fit = pool[column].astype(float).fillna(0.0).to_numpy() if column in pool.columns else np.zeros(len(pool))
    weak = reads_badly(pool["text"]) if weak is None else weak
    return fit - 0.01 * pool["words"].to_numpy(dtype=float) - 10.0 * weak


def best_first(pool: pd.DataFrame, theme_id: str) -> pd.DataFrame:
    """``pool`` (candidates) in the order the report takes its own quotes under ``theme_id``: :func:`stand_in_key`, then by id."""
    order = np.lexsort((pool["comment_id"].astype(str).to_numpy(), -stand_in_key(pool, theme_id)))
    return pool.iloc[order]


def quote_candidates(
    coded: pd.DataFrame,
    min_words: int = 5,
    max_words: int = 45,
    approved: Iterable[str] = (),
    banned: Iterable[str] = (),
    special: Sequence[dict[str, list[str]]] | None = None,
) -> pd.DataFrame:
    """The comments that may be quoted: publishable, no unapproved special-category detail, not banned, of quotable length.

    ``special``: the :func:`~tcs_themes.analysis.special_category.special_categories` of every
    row of ``coded``, when already found; else they are found here for the rows that could be quoted.
    Returns the rows of ``coded`` that qualify, with their length in a ``words`` column; their
    ``text`` is what a quote shows: an opening self-introduction cut when the rest stands alone
    (:func:`~tcs_themes.analysis.quote_reading.without_introduction`). Whether a comment is
    publishable and what it discloses are read from its whole text.
    """
    approved, banned = set(map(str, approved)), set(map(str, banned))
    texts = coded["text"].fillna("").astype(str).map(without_introduction)
    words = texts.str.split().map(len) - texts.str.startswith(CUT_MARK).astype(int)
    redactions = coded["redactions"] if "redactions" in coded.columns else pd.Series(0, index=coded.index)
    safe = [is_publishable(t, r) for t, r in zip(coded["text"], redactions, strict=True)]
    ids = coded["comment_id"].astype(str)
    allowed = np.asarray(safe, dtype=bool) & words.between(min_words, max_words).to_numpy() & ~ids.isin(banned).to_numpy()
    sensitive = np.zeros(len(coded), dtype=bool)
    if special is None:
        sensitive[allowed] = [bool(found) for found in special_categories(coded["text"][allowed].tolist())]
    else:
        sensitive[:] = [bool(found) for found in special]
    keep = allowed & (~sensitive | ids.isin(approved).to_numpy())
    out = coded[keep].copy()
    out["text"] = texts[keep].to_numpy()
    out["words"] = words[keep].to_numpy()
    return out


def _on_theme(candidates: pd.DataFrame, themes: np.ndarray, by_rule: np.ndarray, theme_id: str) -> np.ndarray:
    """Candidates given ``theme_id`` as their main theme, by a rule or an analyst, or scored at least ``ON_THEME_SCORE``."""
    has = np.array([theme_id in t for t in themes], dtype=bool)
    column = score_column(theme_id)
    score = candidates[column].astype(float).fillna(0.0).to_numpy() if column in candidates.columns else np.ones(len(candidates))
    main = (candidates["primary_theme"] == theme_id).to_numpy()
    return has & (main | by_rule | (score >= ON_THEME_SCORE))


def select_quotes(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    theme: str | None = None,
    strand: str | None = None,
    n: int = 3,
    min_words: int = 5,
    max_words: int = 45,
    approved: Iterable[str] = (),
    pinned: Iterable[str] = (),
    banned: Iterable[str] = (),
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
        Only comments from this strand (e.g. ``"Strand 3"``, or ``"No strand (emails)"`` for the
        comments with none); the scope is then the strand.
    n : int, default 3
        Quotes per theme (fewer when fewer comments qualify).
    min_words, max_words : int
        Length limits of a quote, in words.
    approved, pinned, banned : iterable of str
        Comment ids: special-category comments the analyst approved for quoting;
        comments to quote first under each theme they are on; comments never to quote.

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
    candidates = quote_candidates(table, min_words, max_words, approved, banned)
    return _choose(candidates, codebook, themes, ALL_DISCUSSIONS if strand is None else strand, n, pinned)


def _choose(
    candidates: pd.DataFrame, codebook: Codebook, themes: list[str], scope: str, n: int, pinned: Iterable[str]
) -> pd.DataFrame:
    """Pick up to ``n`` quotes per theme among ``candidates`` (see :func:`select_quotes`)."""
    rows: list[pd.DataFrame] = []
    if candidates.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform(candidates["text"].astype(str)).tocsr()  # sparse: memory linear in the text
    themes_of = _lists(candidates["themes"])  # split once for every theme
    sources_of = _lists(candidates["sources"])
    ids = candidates["comment_id"].astype(str)
    pins = ids.isin(set(map(str, pinned))).to_numpy()
    readable = ~reads_badly(candidates["text"]) | pins
    used: set[str] = set()
    for theme_id in themes:
        by_rule = _given_by_rule(themes_of, sources_of, theme_id)
        mask = _on_theme(candidates, themes_of, by_rule, theme_id)
        if (mask & readable).any():  # fragments, courtesies and event praise only when nothing else is on the theme
            mask &= readable
        if not mask.any():
            continue
        subset = candidates[mask]
        vectors = matrix[np.flatnonzero(mask)]
        centroid = np.asarray(vectors.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        typical = vectors @ (centroid / norm) if norm else np.zeros(len(subset))
        relevance = 0.4 * _clarity(subset, themes_of[mask], by_rule[mask], theme_id) + 0.4 * typical + 0.2 * _shortness(subset["words"].to_numpy())
        relevance = relevance + 10.0 * pins[mask]  # the analyst's pinned quotes first
        origins = subset["session_id"].astype("string").fillna(subset["message_id"].astype("string")).fillna(
            subset["comment_id"].astype("string")
        )
        order = np.argsort(subset["comment_id"].astype(str).to_numpy(), kind="stable")
        quoted = ids[mask].isin(used).to_numpy()[order]
        picked = _pick(relevance[order], vectors[order], [str(o) for o in origins.to_numpy()[order]], n, quoted)
        chosen = subset.iloc[order[picked]].copy()
        used.update(chosen["comment_id"].astype(str))
        chosen["relevance"] = np.round(np.minimum(relevance[order[picked]], 1.0), 4)
        chosen["quote_rank"] = range(1, len(chosen) + 1)
        chosen["theme_id"] = theme_id
        chosen["theme"] = codebook.name_of(theme_id)
        chosen["scope"] = scope
        rows.append(chosen[QUOTE_COLUMNS])
    if not rows:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    return pd.concat(rows, ignore_index=True)


def quotes_by_scope(
    coded: pd.DataFrame | None,
    codebook: Codebook,
    *,
    n: int = 3,
    max_words: int = 45,
    approved: Iterable[str] = (),
    pinned: Iterable[str] = (),
    banned: Iterable[str] = (),
    candidates: pd.DataFrame | None = None,
    strands: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Quotes per theme over all discussions, then per strand, then for the comments with no strand (emails).

    ``approved``, ``pinned`` and ``banned`` are comment ids, as for :func:`select_quotes`.
    ``candidates`` are the comments that may be quoted when already found
    (:func:`quote_candidates` of ``coded`` with ``max_words``, ``approved`` and ``banned``),
    so that the report can share them rather than look for them again. ``strands`` are the
    table's strands when already known; ``coded`` may then be None, with ``candidates``.

    Returns
    -------
    DataFrame
        :func:`select_quotes` rows for scope ``"All discussions"`` followed by each strand, then
        ``"No strand (emails)"`` when some candidates have no strand.
    """
    strands = sorted(set(coded["strand"].dropna().astype(str)) if strands is None else set(strands), key=natural_key)
    pinned = tuple(pinned)
    if candidates is None:  # once, then sliced per strand
        candidates = quote_candidates(coded, 5, max_words, approved, banned)
    labels = group_labels(candidates, "strand").to_numpy()
    strands += [NO_STRAND] if NO_STRAND in labels and NO_STRAND not in strands else []
    parts = [_choose(candidates, codebook, codebook.ids, ALL_DISCUSSIONS, n, pinned)]
    parts += [_choose(candidates[labels == s], codebook, codebook.ids, s, n, pinned) for s in strands]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=QUOTE_COLUMNS)
