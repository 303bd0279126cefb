"""A blank or unseen question read as the training data's average question (``unknown_context="average"``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from coding_support import tiny_codebook

from tcs_themes.cache import CACHE_DIR_VARIABLE
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.features import context_frequencies, context_matrix
from tcs_themes.coding.model.model_cache import file_digest, read_cached_bundle
from tcs_themes.coding.model.model_io import load_model, save_model
from tcs_themes.coding.model.predictor import ThemePredictor
from tcs_themes.coding.model.training import QUESTION_CONTEXT, preset_model

WORDS = ["the staff", "the volunteers", "the bus", "the meeting room", "the food", "the timetable", "the leaflet"]
QUESTIONS = ["Was the plan easy to read?", "Who should pay for it?", "What have we missed?"]
THEMES = ["clarity", "funding_costs"]
SETTINGS = {"context_columns": ("question",), "context_interactions": 0.5, "min_df": 1, "cv": 3}


def _comments(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comments whose theme the question mostly tells (2 of 3 questions) and a cue word sometimes;
    one comment in four has no question, and those lean to ``funding_costs`` (as a sample's public
    events lean to one theme)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        question = "" if rng.random() < 0.25 else rng.choice(QUESTIONS)
        if question:
            theme = THEMES[QUESTIONS.index(question)] if question != QUESTIONS[2] else rng.choice(THEMES)
        else:
            theme = "funding_costs" if rng.random() < 0.8 else "clarity"
        cue = ("jargon" if theme == "clarity" else "money") if rng.random() < 0.5 else rng.choice(WORDS)
        rows.append({"text": f"{rng.choice(WORDS)} and {cue}", "question": question, "theme": theme})
    frame = pd.DataFrame(rows)
    return frame[["text", "question"]], pd.DataFrame({t: (frame["theme"] == t).astype(int) for t in THEMES})


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _comments(240, seed=7)


@pytest.fixture(scope="module")
def average(data) -> ThemeClassifier:
    return ThemeClassifier(unknown_context="average", **SETTINGS).fit(*data)


def test_an_unknown_value_gets_each_category_at_its_share_of_the_known_values() -> None:
    values = ["b", "a", "", "b", "b"]
    shares = context_frequencies(values, ["a", "b"])
    assert shares == [0.25, 0.75]
    block = context_matrix([["a", "", "zzz", "b"]], [["a", "b"]], 2.0, [shares]).toarray()
    assert block.tolist() == [[2.0, 0.0], [0.5, 1.5], [0.5, 1.5], [0.0, 2.0]]
    assert context_matrix([["a", "", "zzz"]], [["a", "b"]], 2.0).toarray().tolist() == [[2, 0], [0, 0], [0, 0]]
    assert context_frequencies(["", ""], []) == []


def test_a_blank_or_unseen_question_scores_the_mean_of_the_known_questions(data, average) -> None:
    X, _ = data
    known = X["question"][X["question"] != ""]
    shares = known.value_counts(normalize=True).reindex(average.context_categories_[0]).to_numpy()
    assert average.context_frequencies_[0] == pytest.approx(shares.tolist())
    texts = ["the food and money", "the leaflet and jargon", "the bus"]
    per_question = [average.decision_function(pd.DataFrame({"text": texts, "question": [q] * 3}))
                    for q in average.context_categories_[0]]  # fmt: skip
    mean = sum(share * scores for share, scores in zip(shares, per_question))
    for unknown in ("", "A question no comment answered?"):
        scores = average.decision_function(pd.DataFrame({"text": texts, "question": [unknown] * 3}))
        np.testing.assert_allclose(scores, mean, rtol=1e-4, atol=1e-5)


def test_training_rows_without_a_question_are_read_as_the_average_not_as_their_own_group(data, average) -> None:
    """With "blank", the comments without a question lean to the theme of the training rows without one;
    with "average" the model cannot single them out, so the lean is gone."""
    X, Y = data
    blank = ThemeClassifier(unknown_context="blank", **SETTINGS).fit(X, Y)
    assert blank.context_frequencies_ is None
    new = pd.DataFrame({"text": ["the bus and the food"] * 2, "question": ["", "Some new question?"]})
    funding = THEMES.index("funding_costs")
    lean_blank = blank.predict_proba(new)[:, funding]
    lean_average = average.predict_proba(new)[:, funding]
    assert lean_blank[0] == lean_blank[1] and lean_average[0] == lean_average[1]
    assert lean_average[0] < lean_blank[0] - 0.05


def test_the_setting_is_checked_saved_and_older_models_code_as_before(tmp_path: Path, data, average) -> None:
    X, Y = data
    with pytest.raises(ValueError, match="unknown_context"):
        ThemeClassifier(unknown_context="guess", **SETTINGS).fit(X, Y)
    path = tmp_path / "average.skops"
    sio.dump(average, path)
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert loaded.context_frequencies_ == average.context_frequencies_
    new = pd.DataFrame({"text": ["the bus and money", "the food"], "question": ["", QUESTIONS[0]]})
    assert np.array_equal(loaded.predict_proba(new), average.predict_proba(new))

    before = ThemeClassifier(**SETTINGS).fit(X, Y)  # a model saved before the option: no such keys
    state = {k: v for k, v in before.__getstate__().items() if k not in ("unknown_context", "context_frequencies_")}
    restored = ThemeClassifier.__new__(ThemeClassifier)
    restored.__setstate__(state)
    assert restored.unknown_context == "blank" and restored.context_frequencies_ is None
    assert np.array_equal(restored.predict_proba(new), before.predict_proba(new))
    no_question = restored._sparse_blocks(["the bus and money"], None, [[""]])
    assert all(block.nnz == 0 for block in no_question[1:])  # no context feature, no word copy


def test_the_default_preset_reads_an_unknown_question_as_the_average_also_from_the_model_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data
) -> None:
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv("TCS_THEMES_NO_CACHE", raising=False)
    book = tiny_codebook()
    model = preset_model("default", book, question=True)
    assert model.unknown_context == QUESTION_CONTEXT["unknown_context"] == "average"
    X, Y = data
    model.set_params(use_context=True, embeddings=None, min_df=1, cv=3)
    coder = HybridCoder(book, model=model, min_examples=0).fit(X, Y.reindex(columns=book.ids, fill_value=0))
    path = save_model(coder, tmp_path / "q.skops")
    first, second = (load_model(path, book, for_scoring=True) for _ in range(2))
    assert isinstance(second.model, ThemePredictor) and not isinstance(second.model, ThemeClassifier)
    assert second.model.context_frequencies_ == first.model.context_frequencies_
    new = pd.DataFrame({"text": ["the bus and money", "the leaflet and jargon"], "question": ["", "Unseen?"]})
    pd.testing.assert_frame_equal(first.code(new), second.code(new))
    pd.testing.assert_frame_equal(first.code(new), first.code(new.assign(question=["Unseen too?", None])))

    (entry,) = (tmp_path / "cache").glob("model-*.npz")  # shares that do not fit the questions: not used
    with np.load(entry, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    document = json.loads(str(arrays["document"]))
    document["settings"]["context_frequencies_"] = [[1.0]]
    np.savez(entry, **{**arrays, "document": np.str_(json.dumps(document))})
    assert read_cached_bundle(file_digest(path.read_bytes()), book) is None
    assert isinstance(load_model(path, book, for_scoring=True).model, ThemeClassifier)
