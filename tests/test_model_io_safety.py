"""Models are saved with skops beside a card, and loading refuses anything it should not trust."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import FunctionTransformer

from tcs_themes.ingest.labels import CodedLabels
from tcs_themes.coding.model.model_card import read_card
from tcs_themes.coding.model.model_io import load_model, save_model
from tcs_themes.coding.model.training import train_model
from tcs_themes.errors import ModelError

TEXTS = CLARITY + GREEN + FUNDING


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pandas as pd

    codebook = tiny_codebook()
    Y = np.zeros((30, 4), dtype=np.int8)
    Y[:10, 0] = Y[10:20, 1] = Y[20:, 2] = 1
    labels = CodedLabels(
        texts=TEXTS,
        Y=pd.DataFrame(Y, columns=codebook.ids),
        comment_ids=None,
        groups=[f"session {i % 5}" for i in range(30)],
        primary=None,
        sources=[],
    )
    coder, card = train_model(labels, codebook, cv=5, training_files=["coded.xlsx"])
    path = tmp_path_factory.mktemp("model") / "tiny.skops"
    save_model(coder, path, card)
    return path


def test_round_trip_gives_identical_codes_and_a_card(saved: Path) -> None:
    codebook = tiny_codebook()
    loaded = load_model(saved, codebook)
    again = load_model(saved, codebook)
    texts = ["jargon in the parks", "who pays for the funding", "", "nothing here"]
    assert loaded.code(texts).equals(again.code(texts))
    card = read_card(saved)
    assert card is not None and card.codebook_fingerprint == codebook.fingerprint()
    assert card.n_comments == 30 and len(card.training_hash) == 64
    assert "folds grouped by session" in card.cross_validation
    by_theme = {t.theme_id: t for t in card.themes}
    assert by_theme["clarity"].coded_examples == 10 and by_theme["clarity"].f1 is not None
    assert by_theme["community_safety"].weak_labels and by_theme["community_safety"].f1 is None
    assert set(card.versions) >= {"scikit-learn", "spacy", "skops", "python"}
    data = json.loads(saved.with_name("tiny.card.json").read_text())
    assert data["themes"][3]["weak_labels"] is True
    markdown = saved.with_name("tiny.card.md").read_text()
    assert "| community_safety | 0 | yes: 1 codebook examples" in markdown


def test_a_pickle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps({"model": LogisticRegression()}))
    with pytest.raises(ModelError, match="not a skops model file") as caught:
        load_model(path, tiny_codebook())
    assert str(path) in str(caught.value)


def test_untrusted_types_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "evil.skops"
    sio.dump({"format": "tcs-themes-model/1", "model": FunctionTransformer(func=print)}, path)
    with pytest.raises(ModelError, match=r"untrusted types \(builtins.print\)"):
        load_model(path, tiny_codebook())


def test_a_skops_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.skops"
    sio.dump(LogisticRegression(), path)
    with pytest.raises(ModelError, match="not a tcs-themes model"):
        load_model(path, tiny_codebook())


def test_a_model_from_another_codebook_is_refused(saved: Path) -> None:
    other = tiny_codebook(name="other")
    other = type(other)(name="other", themes=other.themes[:3], subthemes=other.subthemes)
    with pytest.raises(ModelError, match="trained with codebook 'tiny'.*retrain") as caught:
        load_model(saved, other)
    assert "\n" not in str(caught.value)


def test_missing_file_and_bad_suffix(tmp_path: Path, saved: Path) -> None:
    with pytest.raises(ModelError, match="model file not found"):
        load_model(tmp_path / "none.skops", tiny_codebook())
    with pytest.raises(ModelError, match="must end in .skops"):
        save_model(load_model(saved, tiny_codebook()), tmp_path / "model.pkl")
