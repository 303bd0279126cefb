"""The caches that let ``tcs-themes code`` start fast give exactly what they stand in for, and never let a bad file in.

The trusted model cache (``coding/model/model_cache.py``) must score exactly as the
skops-loaded classifier, be used only for the very bytes that passed the checks, and be
ignored when damaged; the codebook cache (``codebook/codebook_cache.py``) must give the
codebook validation gives, and never hide a warning. Real model, real codebook, real spaCy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from tcs_themes.cache import CACHE_DIR_VARIABLE
from tcs_themes.codebook import load_codebook
from tcs_themes.codebook.codebook_cache import read_cached_codebook
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.features import char_vectorizer
from tcs_themes.coding.model.model_cache import file_digest, read_cached_bundle, write_cached_bundle
from tcs_themes.coding.model.model_io import DEFAULT_MODEL, load_model, read_bundle, save_model
from tcs_themes.coding.model.predictor import ThemePredictor
from tcs_themes.errors import CodebookWarning, ModelError

TEXTS = [
    "Too much jargon in the strategy, please use plain English",
    "More green spaces and parks for children to play safely",
    "The community centre closed and older residents feel lonely",
    "",
    "Nothing about transport or buses to get to the GP surgery",
    "Staff were kind but the waiting list for mental health support is far too long",
]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(folder))
    monkeypatch.delenv("TCS_THEMES_NO_CACHE", raising=False)
    return folder


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def test_second_load_scores_from_the_cache_exactly_as_skops(cache: Path, codebook) -> None:
    first = load_model(None, codebook, for_scoring=True)
    second = load_model(None, codebook, for_scoring=True)
    assert isinstance(first.model, ThemeClassifier) and not isinstance(second.model, ThemeClassifier)
    assert isinstance(second.model, ThemePredictor) and list(cache.glob("model-*.npz"))
    a, b = first.model, second.model
    assert np.array_equal(a.predict_proba(TEXTS[:4]), b.predict_proba(TEXTS[:4]))  # no rule evidence given
    assert np.array_equal(a.thresholds_, b.thresholds_) and a.classes_.tolist() == b.classes_.tolist()
    assert a.explain(TEXTS, top=5) == b.explain(TEXTS, top=5)
    assert all((x != y).nnz == 0 for x, y in zip(a.meaning(TEXTS), b.meaning(TEXTS)))
    pd.testing.assert_frame_equal(first.code(TEXTS), second.code(TEXTS))
    assert (first.rule_weight, first.explain_top) == (second.rule_weight, second.explain_top)


def test_without_for_scoring_the_model_is_the_classifier_and_a_scoring_coder_is_not_saved(
    cache: Path, codebook, tmp_path: Path
) -> None:
    load_model(None, codebook, for_scoring=True)
    assert isinstance(load_model(None, codebook).model, ThemeClassifier)  # the cache is warm, yet not used
    with pytest.raises(ModelError, match="scoring only"):
        save_model(load_model(None, codebook, for_scoring=True), tmp_path / "again.skops")
    assert not (tmp_path / "again.skops").exists()


def test_an_entry_serves_only_the_bytes_that_were_checked(cache: Path, codebook, tmp_path: Path) -> None:
    load_model(None, codebook, for_scoring=True)  # fills the cache for the shipped model
    data = DEFAULT_MODEL.read_bytes()
    assert read_cached_bundle(file_digest(data), codebook) is not None
    damaged = tmp_path / "damaged.skops"
    damaged.write_bytes(data[: len(data) // 2])
    assert read_cached_bundle(file_digest(damaged.read_bytes()), codebook) is None
    with pytest.raises(ModelError, match="damaged.skops"):
        load_model(damaged, codebook, for_scoring=True)
    pickled = tmp_path / "model.skops"
    pickled.write_bytes(b"\x80\x04\x95" + data[3:])  # the same size, not the same file
    with pytest.raises(ModelError, match="model.skops"):
        load_model(pickled, codebook, for_scoring=True)


def test_a_damaged_entry_is_ignored_and_the_file_checked_again(cache: Path, codebook) -> None:
    load_model(None, codebook, for_scoring=True)
    (entry,) = cache.glob("model-*.npz")
    with np.load(entry, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["coef_"] = arrays["coef_"][:, :10]  # fewer columns than the vocabulary
    np.savez(entry, **arrays)
    assert read_cached_bundle(file_digest(DEFAULT_MODEL.read_bytes()), codebook) is None
    assert isinstance(load_model(None, codebook, for_scoring=True).model, ThemeClassifier)


def test_the_cache_does_not_bypass_the_codebook_check(cache: Path, codebook, tmp_path: Path) -> None:
    load_model(None, codebook, for_scoring=True)
    other = tmp_path / "other.yaml"
    other.write_text("themes:\n  - id: parks\n    name: Parks\n    patterns:\n      - park\n", encoding="utf-8")
    with pytest.raises(ModelError, match="trained with codebook"):
        load_model(None, load_codebook(other), for_scoring=True)


def test_a_model_scored_by_scikit_learn_is_not_cached(cache: Path) -> None:
    """A model with character n-grams (the accurate preset) needs scikit-learn to score, so it is not cached;
    nor is anything but a ThemeClassifier, and trying is never an error."""
    bundle = read_bundle(DEFAULT_MODEL)
    write_cached_bundle("0" * 64, bundle)
    assert len(list(cache.glob("model-*.npz"))) == 1  # the check below can fail: the shipped model is cached
    bundle["model"].char_vectorizer_ = char_vectorizer((2, 4), 1, None).fit(TEXTS)
    write_cached_bundle("1" * 64, bundle)
    other = LogisticRegression()  # skops trusts it; read_bundle only asks for thresholds_
    other.thresholds_ = np.zeros(3)
    write_cached_bundle("2" * 64, {**bundle, "model": other})
    assert len(list(cache.glob("model-*.npz"))) == 1


def test_hybrid_coder_still_clones_and_sets_nested_parameters(codebook) -> None:
    coder = load_model(None, codebook)
    copy = clone(coder)
    assert copy is not coder and copy.get_params(deep=False).keys() == coder.get_params(deep=False).keys()
    fresh = ThemeClassifier(codebook=codebook)
    coder.set_params(model=fresh, model__C=0.7, method="model")
    assert coder.model is fresh and fresh.C == 0.7 and coder.method == "model"
    assert coder.get_params()["model__C"] == 0.7
    with pytest.raises(ValueError, match="invalid parameter 'colour'"):
        coder.set_params(colour="red")


def test_a_clean_codebook_is_read_back_equal_from_the_cache(cache: Path, tmp_path: Path) -> None:
    source = Path(load_codebook().source)
    copy = tmp_path / "mine.yaml"
    shutil.copyfile(source, copy)
    first = load_codebook(copy)
    text = copy.read_text(encoding="utf-8-sig")
    cached = read_cached_codebook(text, "mine")
    assert cached == first and cached.fingerprint() == first.fingerprint() and cached.name == first.name
    again = load_codebook(copy)
    assert again == first and again.source == str(copy)
    assert read_cached_codebook(text, "other") is None  # a codebook with no name is named after its file


def test_a_codebook_with_warnings_is_not_cached_and_warns_every_time(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "warned.yaml"
    path.write_text("themes:\n  - id: parks\n    name: Parks\n    patern:\n      - park\n", encoding="utf-8")
    for _ in range(2):
        with pytest.warns(CodebookWarning, match="patern"):
            load_codebook(path)
    assert not list(cache.glob("codebook-*.npz"))
