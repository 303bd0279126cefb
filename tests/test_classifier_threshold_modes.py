"""Threshold modes: one threshold per theme, one shared by all themes, or the better of the two on held-out rows."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from classifier_corpus import corpus

from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.theme_models import choose_thresholds, compare_threshold_modes, decide
from tcs_themes.coding.model.thresholds import THRESHOLD_GRID, shared_threshold


def _micro_f1(proba, truth, threshold, at_least_one):
    codes = decide(proba, np.full(proba.shape[1], threshold), at_least_one).astype(bool)
    truth = truth.astype(bool)
    return 2 * (codes & truth).sum() / (codes.sum() + truth.sum())


@pytest.mark.parametrize("at_least_one", [False, True])
def test_shared_threshold_is_the_micro_f1_best_of_the_grid(at_least_one):
    rng = np.random.default_rng(0)
    truth = (rng.random((200, 4)) < 0.3).astype(np.int8)
    proba = np.clip(0.45 * truth + 0.6 * rng.random((200, 4)), 0, 1)
    threshold, f1 = shared_threshold(proba, truth, at_least_one)
    by_grid = [_micro_f1(proba, truth, t, at_least_one) for t in THRESHOLD_GRID]
    assert np.isclose(f1, max(by_grid))
    assert np.isclose(_micro_f1(proba, truth, threshold, at_least_one), f1)


def test_fallback_themes_keep_their_threshold_and_theme_mode_changes_nothing():
    rng = np.random.default_rng(1)
    labels = (rng.random((100, 3)) < 0.4).astype(np.int8)
    oof = [np.clip(0.5 * labels[:, 0] + 0.5 * rng.random(100), 0, 1), None, rng.random(100)]
    own = np.array([0.3, 0.5, 0.6])
    kept, mode, scores = choose_thresholds(oof, labels, own, True, "theme")
    assert mode == "theme" and scores == {} and np.array_equal(kept, own)
    shared, mode, _ = choose_thresholds(oof, labels, own, True, "shared")
    assert mode == "shared" and shared[1] == 0.5 and shared[0] == shared[2]
    _, mode, scores = choose_thresholds(oof, labels, own, True, "auto")
    assert set(scores) == {"theme", "shared"} and mode in scores
    expected = "shared" if sum(scores["shared"]) > sum(scores["theme"]) else "theme"
    assert mode == expected
    assert compare_threshold_modes(np.column_stack([oof[0], oof[2]]), labels[:, [0, 2]], True) == scores


def test_classifier_threshold_modes_fit_predict_and_persist(tmp_path):
    texts, Y = corpus(150)
    for mode in ("shared", "auto"):
        model = ThemeClassifier(min_df=1, cv=3, threshold_mode=mode).fit(texts, Y)
        assert model.threshold_mode_ in ("theme", "shared")
        if model.threshold_mode_ == "shared":
            assert len(set(model.thresholds_[model.threshold_source_ == "cv"])) == 1
        assert (mode == "auto") == bool(model.threshold_scores_)
        assert 0 <= np.nanmin(model.cv_f1_) <= np.nanmax(model.cv_f1_) <= 1
        path = tmp_path / f"{mode}.skops"
        sio.dump(model, path)
        loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        assert np.array_equal(loaded.predict(texts[:20]), model.predict(texts[:20]))
    with pytest.raises(ValueError, match="threshold_mode"):
        ThemeClassifier(threshold_mode="global").fit(texts, Y)
