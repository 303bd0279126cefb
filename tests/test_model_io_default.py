"""The default model ships with the package, fits the default codebook and is reproducible from the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tcs_themes.codebook import load_codebook
from tcs_themes.ingest.labels import read_labels
from tcs_themes.coding.model.model_card import read_card, training_data_hash
from tcs_themes.coding.model.model_io import DEFAULT_MODEL, load_model, read_bundle

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "data" / "raw" / "notes"


def test_default_model_is_small_and_described_by_its_card() -> None:
    assert DEFAULT_MODEL.is_file() and DEFAULT_MODEL.stat().st_size < 5_000_000
    card = read_card(DEFAULT_MODEL)
    codebook = load_codebook()
    assert card is not None and card.codebook_fingerprint == codebook.fingerprint()
    assert read_bundle(DEFAULT_MODEL)["codebook_fingerprint"] == codebook.fingerprint()
    assert [t.theme_id for t in card.themes] == codebook.ids
    assert all(t.f1 is not None for t in card.themes if t.support)


def _sample_labels(codebook):  # noqa: ANN001, ANN202 - Codebook -> (CodedLabels, whether the model reads the question)
    """The sample's coded comments as `tcs-themes train data/raw/notes` read them for the shipped model: with the
    question when the model was trained with it (the default preset reads it when the files give it)."""
    question = bool(read_card(DEFAULT_MODEL).params["classifier"].get("context_columns"))
    return read_labels(NOTES, codebook, optional_context_columns=("question",) if question else ()), question


def test_default_model_was_trained_on_the_sample_as_it_is_now() -> None:
    codebook = load_codebook()
    labels, _ = _sample_labels(codebook)
    Y = labels.Y[codebook.ids].to_numpy()
    card = read_card(DEFAULT_MODEL)
    assert card.n_comments == len(labels)
    assert card.training_hash == training_data_hash(labels.texts, Y, codebook.ids, labels.context)


def test_code_uses_the_default_model() -> None:
    coder = load_model(None, load_codebook())
    codes = coder.code(["Please write it in plain English, the jargon loses people", ""])
    assert codes["primary_theme"].tolist() == ["clarity", "uncoded"]
    assert "model" in codes["evidence"].iloc[0] or "rule" in codes["evidence"].iloc[0]


def test_training_on_the_sample_reproduces_the_default_model() -> None:
    from tcs_themes.coding.model.training import preset_model, train_model

    codebook = load_codebook()
    labels, question = _sample_labels(codebook)
    shipped = load_model(None, codebook)
    params = read_card(DEFAULT_MODEL).params
    retrained, _ = train_model(
        labels, codebook, model=preset_model("default", codebook, question=question),
        rule_weight=params["rule_weight"], min_examples=params["min_examples"], cv=0,
    )  # fmt: skip
    inputs = labels.inputs()
    inputs = inputs.iloc[:200] if question else inputs[:200]
    assert np.array_equal(shipped.predict_proba(inputs), retrained.predict_proba(inputs))
    assert shipped.code(inputs).equals(retrained.code(inputs))
