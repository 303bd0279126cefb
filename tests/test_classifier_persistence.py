"""A fitted ThemeClassifier round-trips through skops with an explicit list of trusted types."""

from __future__ import annotations

import numpy as np
import skops.io as sio
from classifier_corpus import corpus

from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.coding.model.classifier import ThemeClassifier

#: Everything a fitted ThemeClassifier holds beyond skops' default trusted types.
TRUSTED = ["tcs_themes.coding.model.classifier.ThemeClassifier"]
#: ... and when it was given a codebook (for rule evidence or examples).
TRUSTED_WITH_CODEBOOK = [
    "tcs_themes.codebook.model.Codebook",
    "tcs_themes.codebook.model.Pattern",
    "tcs_themes.codebook.model.Theme",
    "tcs_themes.coding.model.classifier.ThemeClassifier",
]
NEW = ["the paper is full of jargon", "who pays for the parks", "", "more trees along the river"]


def _round_trip(model: ThemeClassifier, path, trusted: list[str]) -> ThemeClassifier:
    sio.dump(model, path)
    assert sorted(sio.get_untrusted_types(file=path)) == trusted
    loaded = sio.load(path, trusted=trusted)
    assert np.array_equal(loaded.predict_proba(NEW), model.predict_proba(NEW))
    assert np.array_equal(loaded.predict(NEW), model.predict(NEW))
    assert np.array_equal(loaded.thresholds_, model.thresholds_)
    assert loaded.explain(NEW) == model.explain(NEW)
    return loaded


def test_skops_round_trip_gives_identical_predictions(tmp_path):
    texts, Y = corpus(120)
    model = ThemeClassifier(char_ngrams=(3, 4), cv=3).fit(texts, Y)
    assert [len(proba) for proba in model._oof] == [len(texts)] * Y.shape[1]  # the fit's out-of-fold probabilities
    loaded = _round_trip(model, tmp_path / "model.skops", TRUSTED)
    assert loaded.get_params() == model.get_params()
    assert not hasattr(loaded, "_oof")  # kept in memory only, never saved


def test_skops_round_trip_with_a_codebook_and_rule_features(tmp_path):
    texts, Y = corpus(120)
    codebook = Codebook(
        name="test",
        themes=tuple(
            Theme(id=t, name=t, patterns=(Pattern(id=f"{t}/1", phrase=word),), examples=(f"a comment on {word}",))
            for t, word in zip(Y.columns, ["jargon", "park", "grants"], strict=True)
        ),
    )
    model = ThemeClassifier(char_ngrams=None, codebook=codebook).fit(texts, Y)
    model.predict(NEW)  # builds the cached rule coder, which must not be saved
    assert model.uses_rules_
    loaded = _round_trip(model, tmp_path / "ruled.skops", TRUSTED_WITH_CODEBOOK)
    assert loaded.codebook == codebook
