"""Static sentence embeddings: the shipped vectors, the NumPy-only encoder, the classifier's meaning block."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN, check_model_file_names_the_encoder_only, tiny_codebook

from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.embeddings import sentence_encoder
from tcs_themes.coding.model.static_embeddings import STATIC_NAME, basic_words, static_encoder

TEXTS = CLARITY + GREEN + FUNDING
CODES = pd.DataFrame({theme: [int(i // 10 == n) for i in range(30)] for n, theme in enumerate(tiny_codebook().ids)})


def _pieces(text: str) -> list[str]:
    encoder = static_encoder()
    vocab = {row: piece for piece, row in encoder._ids.items()}
    return [vocab[row] for word in basic_words(text) for row in encoder.pieces(word)]


def test_words_split_into_the_encoders_word_pieces() -> None:
    # the same pieces as the encoder's own (Hugging Face) tokenizer gives; checked on 16,267 real
    # comments when the vectors were distilled (docs/classifier.md)
    assert _pieces("Unaffordable, isn't it?") == ["una", "##ff", "##ord", "##able", ",", "isn", "'", "t", "it", "?"]
    assert _pieces("Café NAÏVE résumé") == ["cafe", "naive", "resume"]
    assert basic_words("£5 (50%) e-mail") == ["£5", "(", "50", "%", ")", "e", "-", "mail"]
    assert _pieces("x" * 101) == []  # longer than BERT reads: unknown, adds nothing
    assert _pieces("公园需要更多的树 😀") == []  # other scripts: no meaning the encoder learnt


def test_static_embeddings_follow_meaning_with_unit_length_and_zeros_for_no_words() -> None:
    texts = ["The nurse was lovely", "Staff were kind and caring", "The car park costs too much",
             "Parking charges are expensive", "", "   "]  # fmt: skip
    vectors = sentence_encoder(STATIC_NAME).encode(texts)
    assert vectors.shape == (6, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:4], axis=1), 1.0, atol=1e-5)
    assert not vectors[4:].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert vectors[2] @ vectors[3] > vectors[2] @ vectors[1] + 0.2


def test_a_texts_static_embedding_does_not_depend_on_the_texts_encoded_with_it() -> None:
    encoder = static_encoder()
    together = encoder.encode(TEXTS)
    encoder.forget()
    alone = np.vstack([encoder.encode([text]) for text in reversed(TEXTS)])[::-1]
    assert np.array_equal(together, alone)


def test_the_static_encoder_needs_no_pytorch() -> None:
    code = (
        "import sys; from tcs_themes.coding.model.embeddings import sentence_encoder; "
        "print(sentence_encoder('static-minilm').encode(['more parks']).shape, 'torch' in sys.modules)"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src}, check=True)
    assert result.stdout.strip() == "(1, 256) False"


@pytest.fixture(scope="module")
def static_model() -> ThemeClassifier:
    return ThemeClassifier(min_df=1, cv=2, embeddings=STATIC_NAME, n_jobs=1).fit(TEXTS, CODES)


def test_the_static_block_codes_comments_that_share_no_word_with_training(static_model: ThemeClassifier) -> None:
    words_only = ThemeClassifier(**{**static_model.get_params(), "embeddings": None}).fit(TEXTS, CODES)
    unseen = ["Woodland walks, wildflowers, birdsong"]
    assert words_only.explain(unseen) == [{}]  # not one of its words was in training
    assert static_model.coef_.shape[1] == words_only.coef_.shape[1] + 256
    assert static_model.classes_[static_model.predict_proba(unseen)[0].argmax()] == "green_spaces"


def test_a_static_model_saves_only_the_encoders_name_and_loads_back(static_model: ThemeClassifier, tmp_path: Path) -> None:
    check_model_file_names_the_encoder_only(static_model, TEXTS, CODES, tmp_path, 1_000_000)  # 14 MB of vectors stay out


def test_meaning_evidence_names_the_nearest_phrase_of_the_themes_codebook_entry() -> None:
    model = ThemeClassifier(min_df=1, cv=2, embeddings=STATIC_NAME, n_jobs=1, codebook=tiny_codebook(), use_rules=False)
    model.fit(TEXTS, CODES)
    said = model.explain(["Woodland walks, wildflowers, birdsong"])[0]["green_spaces"]
    assert said[-1] in {f'meaning near "{p}"' for p in ("Green spaces", "Parks and nature", "More trees and meadows please")}


def test_a_codebook_alone_codes_by_rules_and_meaning_and_flags_the_unsure() -> None:
    from tcs_themes.coding.model.model_io import codebook_coder

    coder = codebook_coder(tiny_codebook())
    texts = ["Too much jargon in it", "We want woodland, meadows and more trees", "Who is paying for all of this then",
             "ok", "", "zzqx"]  # fmt: skip
    coded = coder.code(texts)
    assert coded["primary_theme"].tolist()[:3] == ["clarity", "green_spaces", "funding_costs"]
    assert "rule" in coded["evidence"].iloc[0] and 'meaning near "' in coded["evidence"].iloc[1]
    assert coded["themes"].tolist()[3:] == ["uncoded"] * 3  # too short, empty, no known word
    assert not coded["low_confidence"].iloc[3:].any()


def test_a_comment_with_content_no_theme_reaches_gets_its_most_probable_theme_flagged(static_model: ThemeClassifier) -> None:
    unsure = copy.deepcopy(static_model)
    unsure.thresholds_ = np.full(len(unsure.classes_), 0.999)  # a model no comment convinces
    coder = HybridCoder(tiny_codebook(), model=unsure)
    texts = ["I would like to say something about the parks", "fine by me", ""]
    coded = coder.code(texts)
    kept = coder.set_params(every_comment=False).code(texts)
    assert kept["themes"].tolist() == ["uncoded"] * 3
    best = coder.predict_proba(texts[:1])[0].argmax()
    assert coded["themes"].iloc[0] == tiny_codebook().ids[best] and bool(coded["low_confidence"].iloc[0])
    assert coded["n_themes"].iloc[0] == 1 and coded["evidence"].iloc[0].startswith(coded["themes"].iloc[0] + ": ")
    assert coded["themes"].tolist()[1:] == ["uncoded", "uncoded"] and not coded["low_confidence"].iloc[1:].any()


def test_code_method_codebook_needs_no_model_and_counts_the_unsure(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tcs_themes.cli import app
    from tcs_themes.codebook import write_codebook_yaml
    from tcs_themes.tables import read_table

    write_codebook_yaml(tiny_codebook(), tmp_path / "tiny.yaml")
    texts = ["Far too much jargon", "We want woodland, meadows and more trees", "I have a few thoughts on it all", "", "ok"]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "in.csv", index=False)
    result = CliRunner().invoke(
        app, ["code", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out"), "--codebook", str(tmp_path / "tiny.yaml"),
              "--method", "codebook"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "low confidence" in result.output
    coded = read_table(tmp_path / "out" / "coded.csv")
    assert coded["primary_theme"].tolist()[:2] == ["clarity", "green_spaces"]
    assert coded["themes"].tolist()[3:] == ["uncoded", "uncoded"]
    assert coded["low_confidence"].dtype == "boolean"
    assert coded["low_confidence"].tolist()[2] == (coded["themes"].iloc[2] != "uncoded")
