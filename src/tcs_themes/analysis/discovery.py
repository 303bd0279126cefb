"""Theme discovery: candidate new themes from the comments no theme fits, reproducible and explained.

:func:`discover_themes` takes a coded table, picks the comments worth a second
look (uncoded, low-confidence, answers to "what have we missed?"-like
questions), represents them as the coder does (the model's word TF-IDF, or
TF-IDF fitted on the comments themselves without a model, beside sentence
embeddings less their mean: the model's, else the static ones), groups
them with k-means (``max_themes`` groups) on a truncated SVD of that
representation, and joins groups as alike as two typical themes of the
codebook (:func:`merge_alike_groups`). Every step has a fixed seed and a stable
order: the same table gives the same candidates.

Each group becomes a :class:`Candidate` with a label of distinctive phrases
(class-based TF-IDF over stop-word-trimmed n-grams), its sessions and strands,
typical comments, the nearest existing theme and suggested rule patterns. A
group is reported as "more of" its nearest theme when it is at least as similar
to that theme as the theme's own nearest other theme is (a cut-off read from the
codebook's themes in the same representation, see :func:`theme_neighbours`), or
when most of its comments are coded with it already. Comments that fit no group are
leftovers, listed with a reason, and never more than
:data:`MAX_LEFTOVER_SHARE` of the selection for a poor fit. See
``docs/discovery.md``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from spacy.lang.en.stop_words import STOP_WORDS
from threadpoolctl import threadpool_limits

from tcs_themes.codebook.model import Codebook
from tcs_themes.codebook.validation import theme_id_from_name
from tcs_themes.coding.model.features import TOKEN_PATTERN
from tcs_themes.coding.model.static_embeddings import static_encoder
from tcs_themes.errors import UsageError
from tcs_themes.schema import CODE_SOURCE_ANALYST, UNCODED, split_list

#: The default selection: uncoded, low-confidence and "what is missing" answers.
DEFAULT_FROM = ("uncoded", "low-confidence", "missing-questions")
#: Question phrases (matched case-insensitively) that ask what the consultation has missed.
MISSING_QUESTION_PHRASES = ("missed", "missing", "anything else", "left out", "overlooked", "not covered")
#: A machine-coded comment is low-confidence when flagged ``low_confidence`` or when its
#: confidence is below this (the model leans against its own most confident theme).
LOW_CONFIDENCE = 0.5
#: A candidate is "more of" its nearest theme when at least this share of its comments are coded with
#: that theme already (or when it is as similar to it as the theme's nearest other theme, :func:`theme_neighbours`).
SAME_THEME_CODED_SHARE = 0.5
#: Fewer themes than this give no similarity cut-off (centres less their mean are opposite for two themes).
MIN_THEMES_FOR_CUTOFF = 3
#: Groups smaller than this are not candidates: their comments are leftovers.
MIN_CANDIDATE_SIZE = 3
#: At most this share of the selection is left over for fitting its group poorly.
MAX_LEFTOVER_SHARE = 0.2
#: A comment fits its group poorly below this cosine similarity to the centre of the k-means group it was put in (reduced space).
MIN_FIT = 0.25
#: Dimensions of the truncated SVD the groups are found in.
SVD_COMPONENTS = 100
#: A single word is suggested as a pattern only in this many of the group's comments, and when
#: this share of the selected comments holding it are in the group.
SINGLE_WORD_HITS, SINGLE_WORD_PRECISION = 3, 0.7
#: Example comments per candidate, and suggested patterns.
N_EXAMPLES, N_PATTERNS, N_LABEL_PHRASES = 5, 5, 3
#: Leftover reasons.
LEFT_NO_WORDS, LEFT_POOR_FIT, LEFT_SMALL_GROUP, LEFT_TOO_FEW = (
    "no words the representation knows",
    "fits no group well",
    "its group was too small to be a theme",
    "too few comments selected to group",
)
LEFTOVER = "leftover"
#: A candidate's session or strand when the comment has none (emails).
NOT_KNOWN = "(not known)"

_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Candidate:
    """One candidate theme (or a group that is "more of" an existing theme).

    Attributes
    ----------
    id : str
        A snake_case id not in the codebook (``new`` candidates' codebook id).
    label : str
        Distinctive phrases of its comments, unique across candidates.
    status : str
        ``"new"`` or ``"more of <theme id>"``.
    size : int
        Comments in it.
    sessions, strands : dict of str to int
        Where its comments came from (session name, strand) -> comments, largest first.
    examples : tuple of (str, str)
        ``(comment_id, redacted text)`` of its most typical comments (3-5).
    nearest_theme : str or None
        The existing theme whose centre is most similar, and ``similarity`` the cosine of
        the two centres, each less the mean of the theme centres.
    coded_share : float
        The share of its comments the coded table already gives ``nearest_theme``.
    neighbour_theme : str or None
        ``nearest_theme``'s own nearest other theme, and ``neighbour_similarity`` the
        cosine of their centres: the cut-off. At least as similar to ``nearest_theme``
        as that is "more of" it. None when the codebook has too few themes.
    patterns : tuple of str
        Suggested rule phrases (the codebook's bare-string pattern format).
    """

    id: str
    label: str
    status: str
    size: int
    sessions: dict[str, int]
    strands: dict[str, int]
    examples: tuple[tuple[str, str], ...]
    nearest_theme: str | None
    similarity: float
    coded_share: float
    patterns: tuple[str, ...]
    neighbour_theme: str | None = None
    neighbour_similarity: float | None = None

    @property
    def is_new(self) -> bool:
        """Whether it is reported as a new theme (not more of an existing one)."""
        return self.status == "new"

    @property
    def why(self) -> str:
        """One sentence: why its status, with the similarity and the cut-off it was compared with."""
        if self.nearest_theme is None:
            return "no existing theme is similar to it"
        reasons = []
        if self.neighbour_similarity is not None:
            relation = "at least" if self.similarity >= self.neighbour_similarity else "below"
            reasons.append(
                f"similarity to {self.nearest_theme} {self.similarity:.2f}, {relation} the cut-off "
                f"({self.neighbour_similarity:.2f}, between {self.nearest_theme} and its nearest other theme "
                f"{self.neighbour_theme})"
            )
        else:
            reasons.append(f"similarity to {self.nearest_theme} {self.similarity:.2f} (too few themes to compare with)")
        reasons.append(f"{self.coded_share:.0%} of its comments already coded with it")
        return "; ".join(reasons)


@dataclass
class Discovery:
    """What :func:`discover_themes` found.

    Attributes
    ----------
    candidates : list of Candidate
        Largest first (ties by id).
    comments : DataFrame
        Every selected comment, one row each: ``comment_id``, ``selected_because``,
        ``candidate`` (an id or :data:`LEFTOVER`), ``fit`` (cosine to the centre of
        the k-means group it was put in, before groups were joined), ``leftover_reason``
        and the context columns present (location, session_name, strand, question, text).
    representation : str
        What the comments were compared on.
    selection : dict of str to int
        Comments selected per reason (a comment can have several).
    n_coded : int
        Rows of the coded table.
    settings : dict
        The choices made (k, thresholds, the "more of" rule and ``typical_neighbour_similarity``:
        the median similarity of an existing theme to its nearest other theme).
    """

    candidates: list[Candidate]
    comments: pd.DataFrame
    representation: str
    selection: dict[str, int]
    n_coded: int
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def n_selected(self) -> int:
        """Comments selected for discovery."""
        return len(self.comments)

    @property
    def n_leftover(self) -> int:
        """Selected comments in no candidate."""
        return int((self.comments["candidate"] == LEFTOVER).sum())

    @property
    def leftover_share(self) -> float:
        """The share of the selection left over (0 when nothing was selected)."""
        return self.n_leftover / self.n_selected if self.n_selected else 0.0


def select_comments(coded: pd.DataFrame, sources: Sequence[str] = DEFAULT_FROM) -> pd.Series:
    """Return, per row of ``coded``, why it is selected for discovery ("" when it is not).

    Parameters
    ----------
    coded : DataFrame
        A coded table (``primary_theme``, ``confidence``; ``low_confidence`` and
        ``code_source`` when present; ``question`` for question selections).
    sources : sequence of str
        Any of ``"uncoded"``, ``"low-confidence"``, ``"missing-questions"``
        (questions matching :data:`MISSING_QUESTION_PHRASES`), ``"question:TEXT"``
        (questions containing TEXT, case-insensitively) and ``"all"``.

    Returns
    -------
    Series of str
        Reasons joined by ``"; "``, in the order of ``sources``.

    Raises
    ------
    UsageError
        For an unknown source, or a question selection on a table with no question column.
    """
    reasons = [[] for _ in range(len(coded))]
    for source in sources:
        mask, reason = _selection_mask(coded, source)
        for row in np.flatnonzero(mask):
            reasons[row].append(reason)
    return pd.Series(["; ".join(r) for r in reasons], index=coded.index, dtype="string")


def _selection_mask(coded: pd.DataFrame, source: str) -> tuple[np.ndarray, str]:
    """Return the rows one ``--from`` source selects, and the reason recorded for them."""
    primary = coded["primary_theme"].astype("string").fillna(UNCODED) if "primary_theme" in coded else None
    if source == "all":
        return np.ones(len(coded), dtype=bool), "all"
    if source in ("uncoded", "low-confidence") and primary is None:
        raise UsageError(f"--from {source} needs a coded table (with a primary_theme column); run 'tcs-themes code' first")
    if source == "uncoded":
        return (primary == UNCODED).to_numpy(), "uncoded"
    if source == "low-confidence":
        return _low_confidence(coded, primary).to_numpy(), "low confidence"
    if source == "missing-questions" or source.startswith("question:"):
        phrases = MISSING_QUESTION_PHRASES if source == "missing-questions" else (source.split(":", 1)[1].strip(),)
        if not all(phrases):
            raise UsageError("--from question:TEXT needs some text after 'question:', e.g. question:missed")
        if "question" not in coded:
            if source == "missing-questions":
                return np.zeros(len(coded), dtype=bool), ""
            raise UsageError(f"--from {source}: the coded table has no question column")
        question = coded["question"].astype("string").fillna("").str.lower()
        mask = np.zeros(len(coded), dtype=bool)
        for phrase in phrases:
            mask |= question.str.contains(phrase.lower(), regex=False).to_numpy()
        label = "answers a what-is-missing question" if source == "missing-questions" else f"question contains {phrases[0]!r}"
        return mask, label
    raise UsageError(
        f"--from {source!r} is not a selection: use uncoded, low-confidence, missing-questions, question:TEXT or all"
    )


def _low_confidence(coded: pd.DataFrame, primary: pd.Series) -> pd.Series:
    """Machine-coded comments with a theme the coder was unsure of (analysts' codes never are).

    Unsure: flagged ``low_confidence`` (no theme reached its threshold) or a most
    confident theme below :data:`LOW_CONFIDENCE` (a rule gave a theme the model doubts).
    """
    low = pd.Series(False, index=coded.index)
    if "low_confidence" in coded:
        low = coded["low_confidence"].astype("boolean").fillna(False)
    if "confidence" in coded:  # a rule can give a theme the model doubts: unsure too
        low = low | (pd.to_numeric(coded["confidence"], errors="coerce").fillna(0.0) < LOW_CONFIDENCE)
    low = low & (primary != UNCODED)
    if "code_source" in coded:
        low = low & (coded["code_source"].astype("string").fillna("") != CODE_SOURCE_ANALYST)
    return low.astype(bool)


def _texts(frame: pd.DataFrame) -> list[str]:
    return [str(t) for t in frame["text"].astype("string").fillna("")]


def _represent(texts: list[str], model: Any, references: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix, str]:
    """Return (selected texts' vectors, reference texts' vectors, description).

    Two blocks, each row unit length or zero, weighted equally: word TF-IDF (the model's,
    else fitted on the selected comments) and sentence embeddings (the model's, else the
    static ones), less the selected comments' mean embedding: what every comment shares
    ("community", "council") would otherwise outweigh what sets a group apart.
    """
    if model is not None:
        blocks, reference_blocks = model.meaning(texts), model.meaning(references)
        described = "the model's word TF-IDF"
    else:
        vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)
        try:
            blocks = [vectorizer.fit_transform(texts)]
            reference_blocks = [vectorizer.transform(references)]
        except ValueError:  # no word in two comments
            blocks = [sp.csr_matrix((len(texts), 0), dtype=np.float32)]
            reference_blocks = [sp.csr_matrix((len(references), 0), dtype=np.float32)]
        described = "TF-IDF of the selected comments"
    if len(blocks) > 1:
        described += f" + sentence embeddings ({model.embeddings})"
        embedded, reference_embedded = blocks.pop().toarray(), reference_blocks.pop().toarray()
    else:
        encoder = static_encoder()
        described += f" + static sentence embeddings ({encoder.name})"
        embedded, reference_embedded = encoder.encode(texts), encoder.encode(references)
    known = np.linalg.norm(embedded, axis=1) > 0
    shared = embedded[known].mean(axis=0) if known.any() else np.zeros(embedded.shape[1], dtype=embedded.dtype)
    blocks.append(_unit_rows(np.where(known[:, None], embedded - shared, 0.0)))
    reference_known = np.linalg.norm(reference_embedded, axis=1, keepdims=True) > 0
    reference_blocks.append(_unit_rows(np.where(reference_known, reference_embedded - shared, 0.0)))
    scale = np.float32(1.0 / np.sqrt(len(blocks)))
    return (
        sp.hstack([_unit_rows(b) for b in blocks], format="csr") * scale,
        sp.hstack([_unit_rows(b) for b in reference_blocks], format="csr") * scale,
        described,
    )


def _unit_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Return ``matrix`` as float64 CSR with each non-zero row scaled to unit length (any number of rows)."""
    rows = sp.csr_matrix(matrix, dtype=np.float64)
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ rows)


def _choose_groups(vectors: np.ndarray, max_groups: int, random_state: int) -> tuple[np.ndarray, dict[str, Any]]:
    """K-means with ``max_groups`` groups (fewer when there are too few comments); returns labels and figures.

    Choosing the number of groups by cosine silhouette (tried before) picked fewer,
    broader groups that held the codebook's missing themes less purely (docs/discovery.md);
    :func:`merge_alike_groups` joins the groups k-means splits too finely.
    """
    k = max(1, min(max_groups, len(vectors) // MIN_CANDIDATE_SIZE))
    kmeans = KMeans(n_clusters=k, n_init=4, random_state=random_state, max_iter=200).fit(vectors)
    return kmeans.labels_.astype(np.int64), {"k": k}


def merge_alike_groups(
    vectors: sp.csr_matrix, labels: np.ndarray, shared: np.ndarray, cutoff: float | None
) -> tuple[np.ndarray, int]:
    """Join groups that are no more distinct than the codebook's themes are; returns (labels 0..n-1, joins made).

    A group's centre is the mean of its comments' ``vectors`` less ``shared`` (the
    mean of the theme centres), unit length: the space in which a group is compared
    with the existing themes. While the two most similar groups are at least
    ``cutoff`` similar (the median similarity of an existing theme to its nearest
    other theme, :func:`theme_neighbours`), they become one group (its centre
    recomputed from its comments): two groups as alike as two typical themes of the
    codebook are not two themes. k-means cuts a large theme into several groups
    (pxtextmining's staff manner into six); this joins them. ``cutoff`` None: no joins.
    Ties go to the first pair in group order, so the result is the same every run.
    """
    labels = np.asarray(labels, dtype=np.int64).copy()
    groups = list(np.unique(labels))
    if cutoff is None or len(groups) < 2:
        return np.unique(labels, return_inverse=True)[1].astype(np.int64), 0
    sums = {g: np.asarray(vectors[labels == g].sum(axis=0)).ravel() for g in groups}
    counts = {g: int((labels == g).sum()) for g in groups}

    def centre(g: int) -> np.ndarray:
        return sums[g] / counts[g] - shared

    joins = 0
    while len(groups) > 1:
        centres = normalize(np.vstack([centre(g) for g in groups]))
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, -np.inf)
        first, second = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[first, second] < cutoff:
            break
        keep, gone = groups[min(first, second)], groups[max(first, second)]
        labels[labels == gone] = keep
        sums[keep], counts[keep] = sums[keep] + sums.pop(gone), counts[keep] + counts.pop(gone)
        groups.remove(gone)
        joins += 1
    return np.unique(labels, return_inverse=True)[1].astype(np.int64), joins


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _phrases(text: str) -> set[str]:
    """The n-grams (1-3 words) of a text that neither start nor end with a stop word or a number."""
    words = [w for w in _TOKEN.findall(text.lower())]
    found = set()
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            first, last = words[i], words[i + size - 1]
            if first in STOP_WORDS or last in STOP_WORDS or len(first) < 3 or len(last) < 3:
                continue
            if first.isdigit() or last.isdigit() or "'" in first or "'" in last:
                continue
            found.add(" ".join(words[i : i + size]))
    return found


def _distinctive_phrases(per_text: list[set[str]], groups: np.ndarray, n_groups: int) -> list[list[str]]:
    """Per group: its phrases found in two or more of its comments, most distinctive first.

    Class-based weighting: a phrase's share of the group's comments times the log of
    how much more often the group's comments hold it than the selection's (its lift),
    times 1.5 for two words and 2 for three (phrases read better than words).
    """
    in_group: list[Counter[str]] = [Counter() for _ in range(n_groups)]
    everywhere: Counter[str] = Counter()
    for phrases, group in zip(per_text, groups):
        everywhere.update(phrases)
        if group >= 0:
            in_group[group].update(phrases)
    sizes = Counter(int(g) for g in groups if g >= 0)
    ranked = []
    for g, counts in enumerate(in_group):
        size = max(sizes[g], 1)
        scored = [
            (phrase, (count / size) * np.log((count / size) / (everywhere[phrase] / len(per_text))) * (1.0 + 0.5 * phrase.count(" ")))
            for phrase, count in counts.items()
            if count >= 2
        ]
        ranked.append([phrase for phrase, _ in sorted(scored, key=lambda item: (-item[1], item[0]))])
    return ranked


def _label(ranked: list[str], taken: set[str]) -> tuple[str, list[str]]:
    """A label of the best phrases not inside one another, not already taken; returns (label, those phrases)."""
    chosen: list[str] = []
    for phrase in ranked:
        if not any(f" {phrase} " in f" {c} " or f" {c} " in f" {phrase} " for c in chosen):
            chosen.append(phrase)
        if len(chosen) == 4 * N_LABEL_PHRASES:
            break
    for end in range(N_LABEL_PHRASES, len(chosen) + 1):  # a taken label gets one more phrase
        label = ", ".join(chosen[:end])
        if label not in taken:
            return label, chosen
    label = base = ", ".join(chosen[:N_LABEL_PHRASES]) or "unlabelled group"
    number = 2
    while label in taken:
        label, number = f"{base} ({number})", number + 1
    return label, chosen


def theme_neighbours(centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, per theme, its nearest other theme (position, -1 for none) and their similarity (NaN for none).

    ``centres`` are unit rows (zero for a theme with nothing to read) as
    :func:`_theme_centres` gives them. The codebook tells a theme and its nearest
    other theme apart, so a group at least as close to the theme as that other
    theme is no more distinct from it than existing themes are: their similarity
    is the theme's "more of" cut-off. The cut-off thus scales with the representation
    (word TF-IDF alone puts everything further apart than with embeddings).
    Fewer than :data:`MIN_THEMES_FOR_CUTOFF` themes with a centre give none.
    """
    n_themes = len(centres)
    nearest = np.full(n_themes, -1, dtype=np.int64)
    similarity = np.full(n_themes, np.nan)
    present = np.flatnonzero(np.linalg.norm(centres, axis=1) > 0) if n_themes else np.zeros(0, dtype=np.int64)
    if len(present) < MIN_THEMES_FOR_CUTOFF:
        return nearest, similarity
    between = centres[present] @ centres[present].T
    np.fill_diagonal(between, -np.inf)
    best = np.argmax(between, axis=1)  # ties: the first theme in codebook order
    nearest[present] = present[best]
    similarity[present] = between[np.arange(len(present)), best]
    return nearest, similarity


def _theme_centres(
    codebook: Codebook, reference_vectors: sp.csr_matrix, reference_owner: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Centre per codebook theme: its coded comments outside the selection, else its codebook text.

    Returns the centres less their mean (what all themes share: "community",
    "people"), unit length, so that a candidate is compared on what sets each theme apart.
    """
    n_themes = len(codebook.themes)
    width = reference_vectors.shape[1]
    owner = np.asarray(reference_owner, dtype=np.int64)
    centres = np.zeros((n_themes, width), dtype=np.float64)
    for j in range(n_themes):
        rows = np.flatnonzero(owner == j)
        if len(rows):
            centres[j] = np.asarray(reference_vectors[rows].mean(axis=0)).ravel()
    shared = centres.mean(axis=0) if n_themes else np.zeros(width)
    return _unit_rows(centres - shared).toarray(), shared


def _reference_texts(coded: pd.DataFrame, selected: np.ndarray, codebook: Codebook) -> tuple[list[str], list[int]]:
    """The texts theme centres are made of, and the theme (position) each belongs to."""
    position = {theme.id: j for j, theme in enumerate(codebook.themes)}
    texts, owner = [], []
    have = set()
    if "themes" in coded:
        outside = coded.loc[~selected]
        for text, themes in zip(_texts(outside), outside["themes"]):
            for theme_id in split_list(themes):
                if theme_id in position:
                    texts.append(text)
                    owner.append(position[theme_id])
                    have.add(theme_id)
    for theme in codebook.themes:
        if theme.id not in have:
            for text in (theme.name, theme.description, *theme.examples):
                if text:
                    texts.append(text)
                    owner.append(position[theme.id])
    return texts, owner


def _counts(values: pd.Series) -> dict[str, int]:
    counted = Counter(str(v) for v in values.astype("string").fillna(NOT_KNOWN))
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def discover_themes(
    coded: pd.DataFrame,
    codebook: Codebook,
    *,
    model: Any = None,
    sources: Sequence[str] = DEFAULT_FROM,
    max_themes: int = 10,
    random_state: int = 0,
) -> Discovery:
    """Group the comments no theme fits into candidate themes.

    Parameters
    ----------
    coded : DataFrame
        A coded table (``tcs-themes code``): ``comment_id``, ``text`` and the
        codes; session, strand, question and location columns are used when present.
    codebook : Codebook
        The codebook it was coded with (nearest themes, ids to avoid).
    model : ThemeClassifier, optional
        The coder's fitted classifier (``HybridCoder.model_``): comments are
        compared on its :meth:`~tcs_themes.coding.model.classifier.ThemeClassifier.meaning`.
        None: TF-IDF fitted on the selected comments. Either way beside sentence
        embeddings (the model's, else the static ones).
    sources : sequence of str
        What to select (see :func:`select_comments`); default: uncoded,
        low-confidence and what-is-missing answers.
    max_themes : int, default 10
        The most groups (candidates) to form.
    random_state : int, default 0
        Seed of the SVD and k-means.

    Returns
    -------
    Discovery

    Raises
    ------
    UsageError
        For a bad selection or ``max_themes`` below 2, or a table with no text column.
    """
    if max_themes < 2:
        raise UsageError("--max-themes must be at least 2")
    if "text" not in coded:
        raise UsageError("the coded table has no text column")
    frame = coded.reset_index(drop=True)
    reasons = select_comments(frame, sources)
    selected = (reasons != "").to_numpy()
    pool = frame.loc[selected].reset_index(drop=True)
    texts = _texts(pool)
    reference_texts, reference_owner = _reference_texts(frame, selected, codebook)
    vectors, reference_vectors, described = _represent(texts, model, reference_texts)
    vectors = _unit_rows(vectors)
    has_words = np.asarray(vectors.getnnz(axis=1) > 0).ravel() if vectors.shape[1] else np.zeros(len(pool), dtype=bool)
    group = np.full(len(pool), -1, dtype=np.int64)
    fit = np.zeros(len(pool), dtype=np.float64)
    leftover_reason = np.where(has_words, "", LEFT_NO_WORDS).astype(object)
    settings: dict[str, Any] = {"max_themes": max_themes, "random_state": random_state}
    usable = np.flatnonzero(has_words)
    n_groups = 0
    centres, shared = _theme_centres(codebook, _unit_rows(reference_vectors), reference_owner)
    neighbours = theme_neighbours(centres)
    alike = float(np.nanmedian(neighbours[1])) if np.isfinite(neighbours[1]).any() else None
    if len(usable) < 2 * MIN_CANDIDATE_SIZE:
        leftover_reason[usable] = LEFT_TOO_FEW
    else:
        rows = vectors[usable]
        rows = rows[:, np.flatnonzero(rows.getnnz(axis=0))]  # the columns these comments use
        components = max(1, min(SVD_COMPONENTS, rows.shape[1] - 1, len(usable) - 1))
        with threadpool_limits(limits=1):  # one thread: the same numbers on any machine, and no oversubscription
            reduced = normalize(TruncatedSVD(n_components=components, random_state=random_state).fit_transform(rows))
            parts, figures = _choose_groups(reduced, max_themes, random_state)
        # a comment's fit: to the centre of the part it was grouped in (a joined group has several)
        part_centres = normalize(np.vstack([reduced[parts == g].mean(axis=0) for g in range(int(parts.max()) + 1)]))
        fit[usable] = np.einsum("ij,ij->i", reduced, part_centres[parts])
        labels, merged = merge_alike_groups(vectors[usable], parts, shared, alike)
        settings.update(figures, svd_components=components, groups_merged=merged, merge_cutoff=_rounded(alike))
        group[usable] = labels
        n_groups = int(labels.max()) + 1
        _mark_poor_fits(group, fit, leftover_reason, usable)
        for g in range(n_groups):
            members = np.flatnonzero(group == g)
            if 0 < len(members) < MIN_CANDIDATE_SIZE:
                group[members] = -1
                leftover_reason[members] = LEFT_SMALL_GROUP
    per_text = [_phrases(t) for t in texts]
    ranked = _distinctive_phrases(per_text, group, n_groups)
    candidates, names = _candidates(pool, vectors, group, fit, ranked, per_text, (centres, shared, neighbours), codebook, n_groups)
    pool_out = pd.DataFrame(
        {
            "comment_id": pool["comment_id"].astype("string") if "comment_id" in pool else pd.Series(range(len(pool))).astype("string"),
            "selected_because": reasons[selected].to_numpy(),
            "candidate": [names.get(int(g), LEFTOVER) for g in group],
            "fit": np.round(fit, 4),
            "leftover_reason": [r if names.get(int(g)) is None else "" for g, r in zip(group, leftover_reason)],
        }
    )
    for column in ("location", "session_name", "strand", "question", "text"):
        if column in pool:
            pool_out[column] = pool[column].astype("string").to_numpy()
    order = {c.id: i for i, c in enumerate(candidates)}
    pool_out["_order"] = pool_out["candidate"].map(order).fillna(len(order))
    pool_out = pool_out.sort_values(["_order", "fit", "comment_id"], ascending=[True, False, True], kind="mergesort")
    pool_out = pool_out.drop(columns="_order").reset_index(drop=True)
    settings.update(
        low_confidence=f"flagged low_confidence or confidence below {LOW_CONFIDENCE}",
        same_theme="at least as similar to the theme as its nearest other theme is, "
        f"or at least {SAME_THEME_CODED_SHARE:.0%} of its comments coded with it",
        typical_neighbour_similarity=_rounded(alike),
        max_leftover_share=MAX_LEFTOVER_SHARE,
    )
    selection = {reason: int(count) for reason, count in Counter(r for rs in reasons[selected] for r in rs.split("; ")).items()}
    return Discovery(candidates, pool_out, described, dict(sorted(selection.items())), len(frame), settings)


def _mark_poor_fits(group: np.ndarray, fit: np.ndarray, reason: np.ndarray, usable: np.ndarray) -> None:
    """Leave over the comments that fit their group worst, below :data:`MIN_FIT`, at most :data:`MAX_LEFTOVER_SHARE`."""
    cap = int(MAX_LEFTOVER_SHARE * len(group))
    poor = usable[fit[usable] < MIN_FIT]
    poor = poor[np.lexsort((poor, fit[poor]))][:cap]
    group[poor] = -1
    reason[poor] = LEFT_POOR_FIT


def _candidates(
    pool: pd.DataFrame,
    vectors: sp.csr_matrix,
    group: np.ndarray,
    fit: np.ndarray,
    ranked: list[list[str]],
    per_text: list[set[str]],
    theme_space: tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]],
    codebook: Codebook,
    n_groups: int,
) -> tuple[list[Candidate], dict[int, str]]:
    """Build the candidates, largest first, with unique labels and ids; returns them and group -> id.

    ``theme_space`` is (theme centres, their mean) from :func:`_theme_centres` and
    :func:`theme_neighbours` of those centres.
    """
    theme_centres, shared, (neighbour, neighbour_similarity) = theme_space
    sizes = [(int((group == g).sum()), g) for g in range(n_groups)]
    order = [g for size, g in sorted(sizes, key=lambda item: (-item[0], item[1])) if size > 0]
    taken_labels: set[str] = set()
    taken_ids = set(codebook.ids) | {t.id for t in codebook.subthemes}
    out, names = [], {}
    ids = pool["comment_id"].astype("string").fillna("") if "comment_id" in pool else pd.Series([str(i) for i in range(len(pool))])
    texts = _texts(pool)
    coded_themes = pool["themes"] if "themes" in pool else pd.Series([""] * len(pool))
    for g in order:
        members = np.flatnonzero(group == g)
        label, phrases = _label(ranked[g], taken_labels)
        taken_labels.add(label)
        centre = _unit_rows(np.asarray(vectors[members].mean(axis=0)) - shared).toarray()
        similarity = (theme_centres @ centre.ravel()) if len(theme_centres) else np.zeros(0)
        nearest = int(np.argmax(similarity)) if len(similarity) and similarity.max() > 0 else None
        nearest_id = codebook.themes[nearest].id if nearest is not None else None
        best = round(float(similarity[nearest]), 4) if nearest is not None else 0.0
        share = float(np.mean([nearest_id in split_list(v) for v in coded_themes.iloc[members]])) if nearest_id else 0.0
        cutoff = round(float(neighbour_similarity[nearest]), 4) if nearest is not None and neighbour[nearest] >= 0 else None
        close = (cutoff is not None and best >= cutoff) or share >= SAME_THEME_CODED_SHARE
        status = f"more of {nearest_id}" if nearest_id and close else "new"
        candidate_id = theme_id_from_name(" ".join(phrases[:2]) if phrases else "candidate", taken_ids, "candidate")
        taken_ids.add(candidate_id)
        typical = members[np.lexsort((ids.to_numpy()[members].astype(str), -fit[members]))]
        examples, seen = [], set()
        for row in typical:
            if texts[row] not in seen:
                seen.add(texts[row])
                examples.append((str(ids.iloc[row]), texts[row]))
            if len(examples) == N_EXAMPLES:
                break
        out.append(
            Candidate(
                id=candidate_id,
                label=label,
                status=status,
                size=len(members),
                sessions=_counts(pool["session_name"].iloc[members]) if "session_name" in pool else {},
                strands=_counts(pool["strand"].iloc[members]) if "strand" in pool else {},
                examples=tuple(examples),
                nearest_theme=nearest_id,
                similarity=best,
                coded_share=round(share, 4),
                patterns=_patterns(phrases, members, per_text, codebook, nearest_id if status != "new" else None),
                neighbour_theme=codebook.themes[neighbour[nearest]].id if cutoff is not None else None,
                neighbour_similarity=cutoff,
            )
        )
        names[g] = candidate_id
    return out, names


def _patterns(
    phrases: list[str], members: np.ndarray, per_text: list[set[str]], codebook: Codebook, theme_id: str | None
) -> tuple[str, ...]:
    """Distinctive phrases that mostly find this group's comments in the selection, not already a pattern of ``theme_id``.

    A phrase of two or three words qualifies in two of the group's comments when at
    least half the selected comments holding it are in the group; a single word
    needs :data:`SINGLE_WORD_HITS` comments and :data:`SINGLE_WORD_PRECISION`
    (a single word is a blunt rule).
    """
    existing = {p.phrase for p in codebook.theme(theme_id).patterns if p.phrase} if theme_id else set()
    inside = [per_text[i] for i in members]
    everywhere = per_text
    chosen = []
    for phrase in phrases:
        hits_in = sum(phrase in p for p in inside)
        hits_all = sum(phrase in p for p in everywhere)
        single = " " not in phrase
        enough = hits_in >= (SINGLE_WORD_HITS if single else 2)
        precise = hits_in / hits_all >= (SINGLE_WORD_PRECISION if single else 0.5)
        if phrase not in existing and enough and precise:
            chosen.append(phrase)
        if len(chosen) == N_PATTERNS:
            break
    return tuple(chosen)
