"""The hybrid coder: rule matches and a trained classifier, combined into explained codes.

:class:`HybridCoder` follows scikit-learn's conventions (``fit`` /
``predict`` / ``predict_proba``) so a notebook can train, cross-validate and
use it like any estimator, and adds :meth:`HybridCoder.code`, which returns the
coded columns of the coded table (the main theme first, chosen with the
comment's first sentence when the model says so, then the others most confident
first; a score per theme, the source of each theme and the evidence for it).

Coding is a pure function of (texts, codebook, model): each comment is coded
on its own, so the result does not depend on the batch it was coded in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.params import EstimatorParams
from tcs_themes.coding.decisions import (
    DEFAULT_RULE_WEIGHT,
    METHODS,
    MIN_WORDS_FOR_THEME,
    SOURCE_MODEL,
    SOURCE_NAMES,
    SOURCE_RULE,
    Decisions,
    decide,
)
from tcs_themes.coding.model.predictor import matches_within
from tcs_themes.coding.text_prep import first_sentences, has_words, prepare_text, whitespace_chunks
from tcs_themes.coding.model.weak_labels import WeakLabelReport, weak_label_pairs
from tcs_themes.schema import CODE_SOURCE_MACHINE, CODED_COLUMNS, LIST_SEPARATOR, UNCODED, score_column

def _labels_array(Y: Any, theme_ids: Sequence[str]) -> np.ndarray:
    if isinstance(Y, pd.DataFrame):
        missing = [t for t in theme_ids if t not in Y.columns]
        if missing:
            raise ValueError(f"Y has no column for the themes {', '.join(missing)}")
        Y = Y[list(theme_ids)].to_numpy()
    Y = np.asarray(Y, dtype=np.int8)
    if Y.ndim != 2 or Y.shape[1] != len(theme_ids):
        raise ValueError(f"Y must have one column per codebook theme ({len(theme_ids)})")
    return Y


class HybridCoder(EstimatorParams):
    """Code comments with a codebook's rules and a trained multi-label classifier.

    Parameters
    ----------
    codebook : Codebook
        The themes, their rules and example comments.
    model : estimator, optional
        An unfitted :class:`~tcs_themes.coding.model.classifier.ThemeClassifier` to
        train in :meth:`fit` (default: one with word n-grams and static sentence
        embeddings, the ``default`` preset of ``tcs-themes train``), or a
        fitted one to code with straight away (``fit`` then is not needed).
    method : {"hybrid", "rules", "model"}, default "hybrid"
        ``rules``: themes whose rules matched; ``model``: themes whose
        probability reaches the model's threshold; ``hybrid``: both combined
        (see :mod:`tcs_themes.coding.decisions`).
    rule_weight : float, default 0.15
        How much one rule match adds to a theme's hybrid score.
    explain_top : int, default 3
        How many of the model's words to give as evidence per theme.
    min_examples : int, default 8
        In :meth:`fit`, themes with fewer coded examples get weak labels from
        the codebook's examples and rule matches (0 turns this off).
    batch_size : int, default 2000
        Comments tokenised and scored at a time.
    every_comment : bool, default True
        Give a comment of at least four words that no theme reaches its most
        probable theme, flagged ``low_confidence`` (methods ``hybrid`` and
        ``model``); False leaves it ``uncoded``.

    Attributes
    ----------
    theme_ids_ : list of str
        The codebook's theme ids: the columns of ``predict`` and ``predict_proba``.
    rules_ : RuleCoder
        The rule coder built from the codebook.
    model_ : estimator or None
        The fitted classifier (None for ``method="rules"``).
    weak_labels_ : WeakLabelReport or None
        What :meth:`fit` added as weak labels.

    Examples
    --------
    >>> coder = HybridCoder(load_codebook()).fit(texts, Y)  # doctest: +SKIP
    >>> coder.code(["Too much jargon in the paper"])[["themes", "sources"]]  # doctest: +SKIP
    """

    def __init__(
        self,
        codebook: Codebook | None = None,
        *,
        model: Any = None,
        method: str = "hybrid",
        rule_weight: float = DEFAULT_RULE_WEIGHT,
        explain_top: int = 3,
        min_examples: int = 8,
        batch_size: int = 2000,
        every_comment: bool = True,
    ) -> None:
        self.codebook = codebook
        self.model = model
        self.method = method
        self.rule_weight = rule_weight
        self.explain_top = explain_top
        self.min_examples = min_examples
        self.batch_size = batch_size
        self.every_comment = every_comment

    # -- set-up -----------------------------------------------------------------

    def _check_params(self) -> Codebook:
        if self.codebook is None:
            raise ValueError("HybridCoder needs a codebook")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if not 0.0 <= self.rule_weight < 1.0:
            raise ValueError("rule_weight must be in [0, 1)")
        return self.codebook

    def _build_rules(self) -> None:
        from tcs_themes.coding.rules.coder import RuleCoder

        codebook = self._check_params()
        self.theme_ids_ = list(codebook.ids)
        self.rules_ = RuleCoder(codebook, batch_size=self.batch_size)

    def _ready(self) -> None:
        """Make a coder built around an already fitted model usable without ``fit``."""
        if hasattr(self, "rules_") and (self.method == "rules" or getattr(self, "model_", None) is not None):
            return
        self._build_rules()
        if self.method != "rules":
            if self.model is None or not hasattr(self.model, "thresholds_"):
                raise ValueError("call fit first, or give a fitted model (or use method='rules')")
            self.model_ = self.model
            self.weak_labels_ = getattr(self, "weak_labels_", None)

    # -- training -----------------------------------------------------------------

    def fit(self, X: Sequence[str] | pd.DataFrame, Y: Any) -> HybridCoder:
        """Train the classifier on analyst-coded texts (topped up with weak labels for rare themes).

        Parameters
        ----------
        X : sequence of str, or DataFrame
            Comment texts; a DataFrame with a ``text`` column and the
            classifier's context columns when it has any (see :attr:`context_columns`).
        Y : array-like of shape (n, k) or DataFrame
            0/1 codes, one column per codebook theme (a DataFrame's columns are
            matched by theme id).

        Returns
        -------
        self : HybridCoder
        """
        self._build_rules()
        texts, context = self._split(X, self.model)
        labels = _labels_array(Y, self.theme_ids_)
        if len(texts) != len(labels):
            raise ValueError("X and Y must have the same number of rows")
        if self.method == "rules":
            self.model_ = None
            self.weak_labels_ = None
            return self
        matches = self._match(texts)
        counts, _ = self._rule_hits(matches)
        pairs, self.weak_labels_ = weak_label_pairs(texts, labels, self.codebook, counts, self.min_examples)
        model = self._new_model().set_params(weak_labels=pairs or None)
        self.model_ = model.fit(
            _model_input(texts, context), pd.DataFrame(labels, columns=self.theme_ids_), rule_matches=matches
        )
        return self

    # -- inputs -----------------------------------------------------------------------

    @property
    def context_columns(self) -> tuple[str, ...]:
        """The columns besides the text that the classifier reads (e.g. ``("question",)``); empty for most models."""
        return self._context_of(getattr(self, "model_", None) or self.model)

    @property
    def optional_context_columns(self) -> tuple[str, ...]:
        """The context columns a comments table may lack (its comments are then coded with them blank): those of
        a classifier that chose its context inside the training data (``use_context="auto"``, the default
        preset's question)."""
        return self._optional_of(getattr(self, "model_", None) or self.model)

    @property
    def required_context_columns(self) -> tuple[str, ...]:
        """The context columns every comments table must have (a model trained with ``--context``)."""
        optional = self.optional_context_columns
        return tuple(column for column in self.context_columns if column not in optional)

    def _context_of(self, model: Any) -> tuple[str, ...]:
        """The context columns ``model`` reads (none when only the rules code)."""
        return () if self.method == "rules" else tuple(getattr(model, "context_columns", ()) or ())

    def _optional_of(self, model: Any) -> tuple[str, ...]:
        """The context columns ``model`` reads that a table may lack: all of them when it chose its context in
        training (``use_context="auto"``), else none."""
        return self._context_of(model) if getattr(model, "use_context", True) == "auto" else ()

    def inputs(self, comments: pd.DataFrame, text_column: str = "text") -> list[str] | pd.DataFrame:
        """Return what to give :meth:`code` (or ``fit``, ``predict``) for the rows of a comments table.

        The texts of ``text_column``, or, for a classifier with context
        columns, a DataFrame of ``text`` and those columns.

        Raises
        ------
        ValueError
            If the table lacks a context column the classifier reads.
        """
        columns = self.context_columns
        if not columns:
            return comments[text_column].tolist()
        missing = [column for column in self.required_context_columns if column not in comments.columns]
        if missing:
            raise ValueError(
                f"the model reads the column(s) {', '.join(missing)} beside the text, and the table has none; "
                "add it (empty cells are allowed) or use a model trained without --context"
            )
        frame = _with_blank(comments.reset_index(drop=True), columns)[list(columns)]
        frame.insert(0, "text", comments[text_column].reset_index(drop=True))
        return frame

    def _split(self, X: Sequence[str] | pd.DataFrame, model: Any) -> tuple[list[str], pd.DataFrame | None]:
        """Return X's prepared texts and, when ``model`` reads context columns, X's context (one row per text)."""
        columns = self._context_of(model)
        optional = self._optional_of(model)
        if not isinstance(X, pd.DataFrame) and optional:
            X = pd.DataFrame({"text": list(X)})  # texts alone: the optional context is blank
        if isinstance(X, pd.DataFrame):
            if "text" not in X.columns:
                raise ValueError("X lacks the column 'text'")
            missing = [column for column in columns if column not in X.columns and column not in optional]
            if missing:
                raise ValueError(f"X lacks the context column(s) {', '.join(missing)}")
            texts = [prepare_text(t) for t in X["text"].tolist()]
            return texts, (_with_blank(X.reset_index(drop=True), columns)[list(columns)] if columns else None)
        if columns:
            raise ValueError(
                f"the model reads the context column(s) {', '.join(columns)}: give X as a DataFrame with 'text' and them"
            )
        return [prepare_text(t) for t in X], None

    def _new_model(self) -> Any:
        if self.model is not None:
            from sklearn.base import clone  # training only: coding needs no scikit-learn

            return clone(self.model)
        from tcs_themes.coding.model.classifier import ThemeClassifier
        from tcs_themes.coding.model.static_embeddings import STATIC_NAME

        return ThemeClassifier(codebook=self.codebook, use_examples=False, embeddings=STATIC_NAME)

    # -- rules ------------------------------------------------------------------------

    def _match(self, texts: Sequence[str]) -> list[list[Any]]:
        """Return each text's rule matches (``RuleMatch``), tokenising each text once."""
        return self.rules_.match(texts)

    def rule_counts(self, X: Sequence[str] | pd.DataFrame) -> np.ndarray:
        """Return the number of rule matches per text and theme, shape (n, k)."""
        self._ready()
        counts, _ = self._rule_hits(self._match(self._split(X, getattr(self, "model_", None))[0]))
        return counts

    def _rule_hits(self, matches: list[list[Any]]) -> tuple[np.ndarray, list[dict[int, list[Any]]]]:
        """Return rule match counts (n, k) and, per text, its matches per theme column."""
        position = {theme_id: i for i, theme_id in enumerate(self.theme_ids_)}
        counts = np.zeros((len(matches), len(self.theme_ids_)), dtype=np.int32)
        hits: list[dict[int, list[Any]]] = [{} for _ in matches]
        for row, found in enumerate(matches):
            for match in found:
                column = position.get(match.theme_id)
                if column is not None:
                    counts[row, column] += 1
                    hits[row].setdefault(column, []).append(match)
        return counts, hits

    # -- prediction ---------------------------------------------------------------------

    def _thresholds(self) -> np.ndarray:
        return np.asarray(self.model_.thresholds_, dtype=np.float64)

    def _model_proba(
        self, texts: list[str], context: pd.DataFrame | None, matches: list[list[Any]], empty: np.ndarray
    ) -> np.ndarray:
        """Return the model's probabilities; 0 for texts with no feature the model knows.

        A text none of whose words (or rule matches) the model has seen scores
        exactly like an empty text (with the same context; ``empty``, from :meth:`_empty_proba`): the
        model knows nothing about it, so it gives it no theme rather than the themes its
        intercepts (or the comment's question alone) favour.
        """
        uses_rules = getattr(self.model_, "uses_rules_", False)
        proba = np.asarray(
            self.model_.predict_proba(_model_input(texts, context), rule_matches=matches if uses_rules else None),
            dtype=np.float64,
        )
        proba[(proba == empty).all(axis=1)] = 0.0
        return proba

    def _empty_proba(self, context: pd.DataFrame | None) -> np.ndarray:
        """Return the probabilities of an empty text with each row's context: (1, k) with no context, else (n, k)."""
        uses_rules = getattr(self.model_, "uses_rules_", False)
        rows = np.zeros(1, dtype=np.int64)
        distinct = None
        if context is not None:
            rows = context.groupby(list(context.columns), sort=False, dropna=False).ngroup().to_numpy()
            distinct = context[~pd.Series(rows).duplicated().to_numpy()]
        n_empty = 1 if distinct is None else len(distinct)
        return np.asarray(
            self.model_.predict_proba(
                _model_input([""] * n_empty, distinct), rule_matches=[[]] * n_empty if uses_rules else None
            )
        )[rows]

    def _main_ranking(
        self, texts: list[str], context: pd.DataFrame | None, batch: tuple[Decisions, list[list[Any]], np.ndarray]
    ) -> np.ndarray:
        """Return the scores a comment's main theme is chosen by, shape (n, k): ``s + w * s_first``.

        ``s`` is each theme's score, ``s_first`` its score for the comment's first sentence alone
        (model probability and the rule matches inside the sentence, combined as for the
        comment) and ``w`` the model's ``opening_weight_`` (chosen in training; 0 for models from
        before it, and then the ranking is ``s``). Only the comments with more than one sentence
        and more than one given theme are scored again, in one batch: for the others the main
        theme is their highest-scoring one either way. Called after the comments are explained,
        which reuses the features of the comments as last scored. ``batch``: the batch's decisions,
        rule matches and empty-text probabilities (:meth:`_decide`).
        """
        decisions, matches, empty = batch
        weight = float(getattr(self.model_, "opening_weight_", 0.0)) if self.method != "rules" else 0.0
        choice = decisions.given.sum(axis=1) > 1
        if weight <= 0 or not choice.any():
            return decisions.scores
        candidates = np.flatnonzero(choice)
        found, firsts = first_sentences([texts[i] for i in candidates.tolist()])
        if not len(found):
            return decisions.scores
        rows = candidates[found]
        first_matches = matches_within(matches, rows, firsts)
        first_context, first_empty = (None, empty) if context is None else (context.iloc[rows], empty[rows])
        proba = self._model_proba(firsts, first_context, first_matches, first_empty)
        counts, _ = self._rule_hits(first_matches)
        first = decide(self.method, counts, proba, self._thresholds(), self.rule_weight).scores
        ranking = decisions.scores.copy()
        ranking[rows] += weight * first
        return ranking

    def _decide(
        self, texts: list[str], context: pd.DataFrame | None
    ) -> tuple[Decisions, list[dict[int, list[Any]]], list[list[Any]], np.ndarray | None]:
        """Return the batch's decisions, its rule matches per theme column, its rule matches, and the
        probabilities of an empty text with each comment's context (None with ``rules`` or no texts)."""
        matches = self._match(texts)
        counts, hits = self._rule_hits(matches)
        proba = thresholds = empty = None
        if self.method != "rules":
            thresholds = self._thresholds()
            proba = np.zeros(counts.shape)
            if texts:
                # the empty texts are scored first: the model keeps the features of the last texts it scored,
                # for explain
                empty = self._empty_proba(context)
                proba = self._model_proba(texts, context, matches, empty)
        eligible = whitespace_chunks(texts)[1] >= MIN_WORDS_FOR_THEME
        cut = float(getattr(self.model_, "relative_cut_", 0.0)) if self.method != "rules" else 0.0
        decisions = decide(self.method, counts, proba, thresholds, self.rule_weight, eligible & self.every_comment, cut)
        blank = np.array([not has_words(t) for t in texts], dtype=bool)
        if blank.any():
            decisions.given[blank] = False
            decisions.low_confidence[blank] = False
        return decisions, hits, matches, empty

    def _batches(self, X: Sequence[str] | pd.DataFrame) -> list[tuple[list[str], pd.DataFrame | None]]:
        """Split X into batches of (prepared texts, context or None)."""
        texts, context = self._split(X, getattr(self, "model_", None))
        return [
            (texts[i : i + self.batch_size], None if context is None else context.iloc[i : i + self.batch_size])
            for i in range(0, len(texts), self.batch_size)
        ]

    def predict_proba(self, X: Sequence[str] | pd.DataFrame) -> np.ndarray:
        """Return each theme's score (0..1) for each text, shape (n, k), columns ``theme_ids_``.

        X is as for :meth:`fit`.
        """
        self._ready()
        parts = [self._decide(*batch)[0].scores for batch in self._batches(X)]
        return np.vstack(parts) if parts else np.zeros((0, len(self.theme_ids_)))

    def predict(self, X: Sequence[str] | pd.DataFrame) -> np.ndarray:
        """Return 0/1 theme decisions for each text, shape (n, k), columns ``theme_ids_``."""
        self._ready()
        parts = [self._decide(*batch)[0].given.astype(np.int8) for batch in self._batches(X)]
        return np.vstack(parts) if parts else np.zeros((0, len(self.theme_ids_)), dtype=np.int8)

    def code(self, X: Sequence[str] | pd.DataFrame) -> pd.DataFrame:
        """Code texts: the coded table's code columns, one row per text, in order.

        X is as for :meth:`fit`; :meth:`inputs` makes it from a comments table.

        Returns
        -------
        pandas.DataFrame
            ``themes``, ``primary_theme``, ``confidence``, ``n_themes``,
            ``sources``, ``subthemes``, ``evidence``, ``code_source``
            (``machine``) and ``machine_themes`` (the same as ``themes``; see
            :data:`tcs_themes.schema.CODED_COLUMNS`) and ``score_<theme_id>``
            for every theme.
        """
        self._ready()
        frames = [self._code_batch(*batch) for batch in self._batches(X)]
        if not frames:
            return self._code_batch([], None)
        return pd.concat(frames, ignore_index=True)

    def _code_batch(self, texts: list[str], context: pd.DataFrame | None) -> pd.DataFrame:
        decisions, hits, matches, empty = self._decide(texts, context)
        words = self._model_words(texts, decisions)
        ranking = self._main_ranking(texts, context, (decisions, matches, empty))
        count = decisions.given.sum(axis=1)
        # the given themes, row by row: the main theme (highest ranking) first, then the others by score
        # (ties: codebook order)
        rows, columns = np.nonzero(decisions.given)
        main = np.where(decisions.given, ranking, -np.inf).argmax(axis=1)
        key = np.where(columns == main[rows], -np.inf, -decisions.scores[rows, columns])
        order = np.lexsort((columns, key, rows))
        rows, columns = rows[order], columns[order]
        top = np.zeros(len(texts))
        coded = count > 0
        top[coded] = decisions.scores[rows, columns][(np.cumsum(count) - count)[coded]]
        kinds = decisions.source_codes()[rows, columns]
        described = self._describe(count.tolist(), columns.tolist(), kinds.tolist(), hits, words)
        themes, sources, subthemes, evidence = (list(column) for column in zip(*described)) if described else ([],) * 4
        frame = pd.DataFrame(
            {
                "themes": pd.array(themes, dtype="string"),
                "primary_theme": pd.array([t.split(LIST_SEPARATOR, 1)[0] for t in themes], dtype="string"),
                "confidence": np.where(count > 0, np.round(top, 4), 0.0),
                "n_themes": pd.array(count, dtype="Int64"),
                "sources": pd.array(sources, dtype="string"),
                "subthemes": pd.array(subthemes, dtype="string"),
                "evidence": pd.array(evidence, dtype="string"),
                "code_source": pd.array([CODE_SOURCE_MACHINE] * len(themes), dtype="string"),
                "machine_themes": pd.array(themes, dtype="string"),
                "low_confidence": pd.array(decisions.low_confidence, dtype="boolean"),
            },
            columns=list(CODED_COLUMNS),
        )
        scores = pd.DataFrame(np.round(decisions.scores, 4), columns=[score_column(t) for t in self.theme_ids_])
        return pd.concat([frame, scores], axis=1)

    def _model_words(self, texts: list[str], decisions: Decisions) -> list[dict[int, list[str]]]:
        """Return, per text, the model's top words for each theme the model contributed to."""
        words: list[dict[int, list[str]]] = [{} for _ in texts]
        if self.method == "rules" or self.explain_top <= 0:
            return words
        wanted = decisions.given & (decisions.by_model | decisions.low_confidence[:, None])
        if not wanted.any():
            return words
        # all the texts, as just scored: the model reuses their word features
        explained = self.model_.explain(texts, top=self.explain_top, mask=wanted)
        position = {theme_id: i for i, theme_id in enumerate(self.theme_ids_)}
        for row, per_theme in enumerate(explained):
            if per_theme:
                words[row] = {position[t]: w for t, w in per_theme.items() if t in position}
        return words

    def _describe(
        self,
        count: list[int],
        columns: list[int],
        kinds: list[int],
        hits: list[dict[int, list[Any]]],
        words: list[dict[int, list[str]]],
    ) -> list[tuple[str, str, str, str]]:
        """Return each comment's themes, sources, sub-themes and evidence strings.

        ``count`` is each comment's number of given themes; ``columns`` the given themes of
        every comment in turn (best first) and ``kinds`` their source codes
        (:meth:`Decisions.source_codes`); ``hits`` each comment's rule matches per theme,
        ``words`` the model's words.
        """
        from tcs_themes.coding.rules.coder import rule_evidence

        theme_ids = self.theme_ids_
        described: list[tuple[str, str, str, str]] = []
        end = 0
        for n, row_hits, row_words in zip(count, hits, words, strict=True):
            if not n:
                described.append(_UNCODED_ROW)
                continue
            start, end = end, end + n
            ids = [theme_ids[c] for c in columns[start:end]]
            names = [SOURCE_NAMES[k] for k in kinds[start:end]]
            subthemes: list[str] = []
            evidence: list[str] = []
            for column, theme_id, kind in zip(columns[start:end], ids, names):
                parts = []
                if kind != SOURCE_MODEL:
                    matches = row_hits.get(column, [])
                    for match in matches:
                        if match.subtheme_id:
                            label = match.subtheme_id if "/" in match.subtheme_id else f"{theme_id}/{match.subtheme_id}"
                            if label not in subthemes:
                                subthemes.append(label)
                    parts.append("rule " + rule_evidence(matches))
                if kind != SOURCE_RULE:
                    parts.append("model " + ", ".join(row_words.get(column) or ["(no single word)"]))
                evidence.append(f"{theme_id}: {'; '.join(parts)}")
            described.append(
                (LIST_SEPARATOR.join(ids), LIST_SEPARATOR.join(names), LIST_SEPARATOR.join(subthemes), " | ".join(evidence))
            )
        return described


def _with_blank(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with each of ``columns`` it lacks added, blank (an optional context column)."""
    missing = {column: pd.Series([None] * len(frame), dtype="string") for column in columns if column not in frame.columns}
    return frame.assign(**missing) if missing else frame


def _model_input(texts: list[str], context: pd.DataFrame | None) -> list[str] | pd.DataFrame:
    """The classifier's input: the texts, or a DataFrame of ``text`` and the context columns."""
    return texts if context is None else context.reset_index(drop=True).assign(text=texts)


#: The coded columns of a comment no theme fits: themes, sources, sub-themes, evidence.
_UNCODED_ROW = (UNCODED, UNCODED, "", "")


__all__ = ["HybridCoder", "WeakLabelReport"]
