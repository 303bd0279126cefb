"""The per-theme solver (repeated rows merged exactly) and the at-least-one-theme decision."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.theme_models import (
    ThemeFitSettings,
    decide,
    fit_svm,
    merge_duplicates,
    row_groups,
)

SETTINGS = ThemeFitSettings(C=0.3, class_weight_power=0.5, cv=3, min_positives=5, random_state=0)


def _data(seed: int = 0) -> tuple[sp.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = sp.random(30, 12, density=0.3, random_state=seed, format="csr", dtype=np.float32)
    signal = np.asarray(base[:, :4].sum(axis=1)).ravel()
    y = (signal > np.median(signal)).astype(np.int8)
    repeats = rng.integers(1, 4, size=30)
    rows = np.repeat(np.arange(30), repeats)
    return base[rows], y[rows]


def test_row_groups_number_identical_rows_alike_in_order_of_first_row():
    features = sp.csr_matrix(np.array([[1, 0], [0, 2], [1, 0], [0, 0], [0, 2]], dtype=np.float32))
    assert row_groups(features).tolist() == [0, 1, 0, 2, 1]


def test_merging_repeated_rows_gives_the_same_svm_as_fitting_every_copy():
    features, y = _data()
    weights = np.linspace(0.5, 1.0, len(y))
    groups = row_groups(features)
    rows, merged_y, merged_weights = merge_duplicates(groups, y, weights)
    assert len(rows) == len(np.unique(groups)) < len(y)
    assert np.isclose(merged_weights.sum(), weights.sum())
    merged = fit_svm(features, y, weights, SETTINGS, groups)
    every_copy = fit_svm(features, y, weights, SETTINGS)
    assert np.allclose(merged[0], every_copy[0], atol=1e-3)
    assert np.isclose(merged[1], every_copy[1], atol=1e-3)


def test_at_least_one_gives_the_most_probable_theme_only_where_none_reaches_its_threshold():
    proba = np.array([[0.2, 0.4], [0.9, 0.1], [0.1, 0.05]])
    thresholds = np.array([0.5, 0.5])
    assert decide(proba, thresholds, False).tolist() == [[0, 0], [1, 0], [0, 0]]
    assert decide(proba, thresholds, True).tolist() == [[0, 1], [1, 0], [1, 0]]


def test_at_least_one_is_on_by_default_only_when_every_training_text_has_a_theme():
    texts = ["too much jargon", "plain english please", "more parks", "green space", "no idea"] * 6
    coded = pd.DataFrame({"clarity": [1, 1, 0, 0, 1] * 6, "green": [0, 0, 1, 1, 0] * 6})
    some_uncoded = coded.assign(clarity=[1, 1, 0, 0, 0] * 6)
    assert ThemeClassifier(min_df=1, cv=3).fit(texts, coded).at_least_one_
    model = ThemeClassifier(min_df=1, cv=3).fit(texts, some_uncoded)
    assert not model.at_least_one_
    assert not model.predict(["no idea"]).any()
    assert ThemeClassifier(min_df=1, cv=3, at_least_one=True).fit(texts, some_uncoded).predict(["no idea"]).sum() == 1
    assert 0 < model.cv_micro_f1_ <= 1 and 0 < model.cv_macro_f1_ <= 1
