"""The relative cut of further themes: chosen inside the training data, applied by predict and the hybrid coder,
saved in the model file, and absent (no cut) from models saved before it existed (the card: test_classifier_main_theme.py)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from classifier_corpus import FILLER, PHRASES, paired_corpus, round_trips, saved_before

from tcs_themes.cache import CACHE_DIR_VARIABLE
from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.coding.decisions import decide as decide_codes
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.theme_models import choose_relative_cut, compare_relative_cuts, out_of_fold_f1
from tcs_themes.coding.model.thresholds import RELATIVE_CUTS, cut_further, decide

#: Two themes' phrases, the second theme's phrase the weaker evidence (it also comes unlabelled, see below).
WEAK_SECOND = "in my view our parks need more care, protect nature and the meadows, the budget is not clear."
#: A real pair: one phrase of each of two themes, both coded.
REAL_PAIR = "overall, the paper is full of jargon, who pays for all of this."


def _over_labelled(n: int = 90, seed: int = 0) -> tuple[list[str], pd.DataFrame]:
    """Comments that name their theme twice and, in some, another theme's phrase that the analyst did not code
    (a passing mention), beside comments that name two themes once each and are coded with both."""

    def compose(rng: random.Random, main: str, other: str) -> tuple[str, set[str]]:
        kind = rng.random()
        if kind < 0.4:
            parts, coded = rng.sample(PHRASES[main], 2), {main}
        elif kind < 0.7:
            parts, coded = [*rng.sample(PHRASES[main], 2), rng.choice(PHRASES[other])], {main}
        else:
            parts, coded = [rng.choice(PHRASES[main]), rng.choice(PHRASES[other])], {main, other}
        return ", ".join([rng.choice(FILLER), *parts]) + ".", coded

    return paired_corpus(n, seed, compose)


@pytest.fixture(scope="module")
def fitted() -> tuple[ThemeClassifier, ThemeClassifier]:
    """The same data fitted with the cut chosen inside it, and with no cut."""
    texts, Y = _over_labelled()
    return (ThemeClassifier(min_df=1, cv=3).fit(texts, Y), ThemeClassifier(min_df=1, cv=3, relative_cut=0).fit(texts, Y))


def test_cut_further_keeps_each_rows_first_theme_and_those_near_it():
    scores = np.array([[0.9, 0.5, 0.3], [0.2, 0.15, 0.0], [0.4, 0.9, 0.8], [0.05, 0.05, 0.05]])
    given = scores >= np.array([0.25, 0.1, 0.25])
    assert cut_further(scores, given, 0.0).tolist() == given.tolist()
    assert cut_further(scores, given, 0.5).tolist() == [
        [True, True, False], [False, True, False], [False, True, True], [False, False, False]
    ]  # row 1: the first given theme is the second column (0.15), not the higher-scoring ungiven one
    assert cut_further(scores, given, 0.6).tolist()[0] == [True, False, False]
    assert cut_further(scores, given, 1.0).sum(axis=1).tolist() == [1, 1, 1, 0]  # never empties a coded row
    assert decide(scores, np.full(3, 0.95), True, 0.5).sum(axis=1).tolist() == [1, 1, 1, 1]  # at least one


def test_the_cut_is_chosen_on_held_out_out_of_fold_rows_among_the_grid(fitted):
    model, _ = fitted
    assert set(model.relative_cut_scores_) == {str(cut) for cut in RELATIVE_CUTS}
    means = {float(cut): sum(scores) / 2 for cut, scores in model.relative_cut_scores_.items()}
    assert model.relative_cut_ > 0 and means[model.relative_cut_] == max(means.values()) > means[0.0]
    # the same comparison, made directly on the fit's out-of-fold probabilities
    labels = _over_labelled()[1].to_numpy()
    direct = compare_relative_cuts(np.column_stack(model._oof), labels, True, model.threshold_mode_)
    assert {str(cut): scores for cut, scores in direct.items()} == model.relative_cut_scores_
    # a fixed cut is used as given; with one cross-validated theme there is nothing to choose
    assert choose_relative_cut(model._oof, labels, True, "theme", 0.3) == (0.3, {})
    assert choose_relative_cut([model._oof[0], None, None], labels, True, "theme", "auto") == (0.0, {})
    # the out-of-fold figures are those of the cut decisions
    with_cut = out_of_fold_f1(model._oof, labels, model.thresholds_, True, model.relative_cut_)
    assert (model.cv_micro_f1_, model.cv_macro_f1_) == with_cut != (fitted[1].cv_micro_f1_, fitted[1].cv_macro_f1_)


def test_the_cut_drops_a_weak_second_theme_and_keeps_a_real_pair(fitted):
    model, uncut = fitted
    proba = model.predict_proba([WEAK_SECOND, REAL_PAIR])
    assert np.array_equal(proba, uncut.predict_proba([WEAK_SECOND, REAL_PAIR]))  # same model, only the cut differs
    weak = proba[0] >= model.thresholds_
    assert weak.sum() == 2 and np.sort(proba[0][weak])[0] < model.relative_cut_ * proba[0].max()
    assert uncut.predict([WEAK_SECOND]).tolist() == [[0, 1, 1]]
    assert model.predict([WEAK_SECOND]).tolist() == [[0, 1, 0]]
    assert model.predict([REAL_PAIR]).tolist() == uncut.predict([REAL_PAIR]).tolist() == [[1, 0, 1]]


def _codebook() -> Codebook:
    return Codebook(name="cut test", themes=tuple(Theme(id=t, name=t.replace("_", " ")) for t in PHRASES))


def test_the_hybrid_coder_cuts_its_scores(fitted):
    model, uncut = fitted
    coded = HybridCoder(_codebook(), model=model).code([WEAK_SECOND, REAL_PAIR, ""])
    assert coded["themes"].tolist() == ["green_spaces", "clarity; funding_costs", "uncoded"]
    assert coded["n_themes"].tolist() == [1, 2, 0] and not coded["low_confidence"].any()
    before = HybridCoder(_codebook(), model=uncut).code([WEAK_SECOND])
    assert before["themes"].tolist() == ["green_spaces; funding_costs"]
    assert coded["evidence"].iloc[0] in before["evidence"].iloc[0]  # the kept theme's evidence is unchanged


def test_low_confidence_themes_and_rule_themes_under_the_cut():
    proba = np.array([[0.9, 0.3, 0.0], [0.2, 0.1, 0.05], [0.2, 0.1, 0.05], [0.9, 0.0, 0.0]])
    counts = np.array([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 2]])  # two rule matches: score 0.28 (0.9 beside it)
    thresholds = np.full(3, 0.25)
    eligible = np.array([True, True, False, True])  # the third comment has fewer than four words
    cut = decide_codes("hybrid", counts, proba, thresholds, 0.15, eligible, relative_cut=0.5)
    assert cut.given.tolist() == [[True, False, False], [True, False, False], [False] * 3, [True, False, False]]
    assert cut.low_confidence.tolist() == [False, True, False, False]
    uncut = decide_codes("hybrid", counts, proba, thresholds, 0.15, eligible)
    assert uncut.given[0].tolist() == [True, True, False] and uncut.given[3].tolist() == [True, False, True]
    assert np.array_equal(cut.low_confidence, uncut.low_confidence) and np.array_equal(cut.scores, uncut.scores)
    model_only = decide_codes("model", counts, proba, thresholds, 0.15, eligible, relative_cut=0.5)
    assert model_only.given.sum(axis=1).tolist() == [1, 1, 0, 1]


def test_the_cut_round_trips_through_the_model_file_and_its_cache(fitted, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    model, _ = fitted
    texts = [WEAK_SECOND, REAL_PAIR, "more trees along the river path please"]
    scoring = round_trips(model, _codebook(), texts, tmp_path, ("relative_cut", "relative_cut_", "relative_cut_scores_"))
    assert scoring.relative_cut_ == model.relative_cut_ > 0


def test_a_model_saved_before_the_cut_loads_with_no_cut(fitted, tmp_path):
    model, uncut = fitted
    loaded = saved_before(model, ("relative_cut", "relative_cut_", "relative_cut_scores_"), tmp_path / "old.skops")
    assert (loaded.relative_cut, loaded.relative_cut_, loaded.relative_cut_scores_) == (0.0, 0.0, {})
    assert loaded.predict([WEAK_SECOND]).tolist() == uncut.predict([WEAK_SECOND]).tolist() == [[0, 1, 1]]
    assert HybridCoder(_codebook(), model=loaded).code([WEAK_SECOND])["n_themes"].tolist() == [2]


def test_relative_cut_must_be_auto_or_a_share():
    texts, Y = _over_labelled(30)
    for bad in (-0.1, 1.5, "half"):
        with pytest.raises(ValueError, match="relative_cut"):
            ThemeClassifier(min_df=1, cv=3, relative_cut=bad).fit(texts, Y)
