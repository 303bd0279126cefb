"""The question as context, read only where it helps inside the training data (``use_context="auto"``),
and the default preset of ``tcs-themes train`` taking it from coded files that have a question column."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from coding_support import code_by_question_and_bare, tiny_codebook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.training import QUESTION_CONTEXT, preset_model
from tcs_themes.ingest.labels import read_labels

runner = CliRunner()
WORDS = ["the staff", "the volunteers", "the bus", "the meeting room", "the food", "the timetable", "the leaflet"]
QUESTIONS = {"clarity": "Was the plan easy to read?", "funding_costs": "Who should pay for it?"}
AUTO = {"context_columns": ("question",), "context_interactions": 0.5, "use_context": "auto", "min_df": 1, "cv": 3}


def _comments(n: int, seed: int, telling: bool = True) -> pd.DataFrame:
    """Comments coded by their question (``telling``: only the question tells the theme) or by a word
    (the question is drawn at random: it tells nothing)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        theme = rng.choice(sorted(QUESTIONS))
        if telling:
            text, question = " and ".join(rng.sample(WORDS, 2)), QUESTIONS[theme]
        else:
            cue = "jargon" if theme == "clarity" else "money"
            text, question = f"{rng.choice(WORDS)} and {cue}", rng.choice(list(QUESTIONS.values()))
        rows.append({"text": text, "question": question, "theme": theme})
    return pd.DataFrame(rows)


def _Y(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({theme: (frame["theme"] == theme).astype(int) for theme in sorted(QUESTIONS)})


def test_a_telling_question_is_read_and_the_choice_is_kept_with_its_scores(tmp_path: Path) -> None:
    frame = _comments(150, seed=1)
    model = ThemeClassifier(**AUTO).fit(frame[["text", "question"]], _Y(frame))
    assert model.use_context_ is True
    assert set(model.use_context_scores_) == {"with", "without"}
    assert sum(model.use_context_scores_["with"]) > sum(model.use_context_scores_["without"])
    new = pd.DataFrame({"text": ["the food and the bus"] * 2, "question": list(QUESTIONS.values())})
    assert model.predict_primary(new).tolist() == sorted(QUESTIONS)
    path = tmp_path / "auto.skops"
    sio.dump(model, path)
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert loaded.use_context_ is True and loaded.use_context_scores_ == model.use_context_scores_
    assert np.array_equal(loaded.predict_proba(new), model.predict_proba(new))


def test_a_question_that_tells_nothing_is_not_read_and_the_model_is_the_one_without_it() -> None:
    frame = _comments(150, seed=2, telling=False)
    X, Y = frame[["text", "question"]], _Y(frame)
    model = ThemeClassifier(**AUTO).fit(X, Y)
    assert model.use_context_ is False and model.context_categories_ == [[]]
    plain = ThemeClassifier(min_df=1, cv=3).fit(X["text"].tolist(), Y)
    assert np.array_equal(model.predict_proba(X), plain.predict_proba(X["text"].tolist()))


def test_use_context_is_checked_and_older_models_load_reading_their_context() -> None:
    with pytest.raises(ValueError, match="use_context"):
        ThemeClassifier(use_context="sometimes").fit(["a b"] * 4, np.array([[1], [0], [1], [0]]))
    old = ThemeClassifier(context_columns=("question",))
    state = {k: v for k, v in old.__getstate__().items() if k != "use_context"}
    restored = ThemeClassifier.__new__(ThemeClassifier)
    restored.__setstate__(state)
    assert restored.use_context is True and restored.use_context_ is True and restored.use_context_scores_ == {}


def test_the_coder_codes_comments_without_the_question_when_it_was_chosen() -> None:
    book = tiny_codebook()
    frame = _comments(120, seed=3)
    model = ThemeClassifier(codebook=book, use_examples=False, **AUTO)
    coder = HybridCoder(book, model=model, min_examples=0).fit(frame[["text", "question"]], _Y(frame).reindex(columns=book.ids, fill_value=0))
    assert coder.optional_context_columns == ("question",) and coder.required_context_columns == ()
    texts = ["the food and the bus", "the leaflet"]
    as_list = coder.code(texts)
    blank = coder.code(pd.DataFrame({"text": texts, "question": [None, ""]}))
    from_table = coder.code(coder.inputs(pd.DataFrame({"comment": texts}), "comment"))
    pd.testing.assert_frame_equal(as_list, blank)
    pd.testing.assert_frame_equal(as_list, from_table)


def test_read_labels_takes_an_optional_question_only_when_a_file_gives_one(tmp_path: Path) -> None:
    book = tiny_codebook()
    pd.DataFrame({"Comment": ["the food"], "Question": ["Q1"], "Theme": ["clarity"]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"Comment": ["the bus"], "Theme": ["clarity"]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"Comment": ["the bus"], "Question": [""], "Theme": ["clarity"]}).to_csv(tmp_path / "c.csv", index=False)
    both = read_labels([tmp_path / "a.csv", tmp_path / "b.csv"], book, optional_context_columns=("question",))
    assert both.context == {"question": ["Q1", ""]}
    assert read_labels(tmp_path / "b.csv", book, optional_context_columns=("question",)).context == {}
    assert read_labels(tmp_path / "c.csv", book, optional_context_columns=("question",)).context == {}


def test_the_default_preset_reads_the_question_only_when_the_data_gives_it() -> None:
    book = tiny_codebook()
    assert preset_model("default", book) is None
    model = preset_model("default", book, question=True)
    assert model.get_params()["use_context"] == "auto" and tuple(model.context_columns) == QUESTION_CONTEXT["context_columns"]
    assert preset_model("words", book, question=True).context_columns == ()
    chosen = preset_model("default", book, ("question",), 1.0, question=True)
    assert chosen.use_context is True and chosen.context_interactions == 1.0


def test_train_default_preset_with_a_question_column_then_code_files_with_and_without_it(tmp_path: Path) -> None:
    write_codebook_yaml(tiny_codebook(), tmp_path / "tiny.yaml")
    book = ["--codebook", str(tmp_path / "tiny.yaml")]
    coded = _comments(120, seed=4).rename(columns={"text": "Comment", "question": "Question", "theme": "Main theme"})
    coded.to_csv(tmp_path / "coded.csv", index=False)
    model = tmp_path / "q.skops"
    trained = runner.invoke(app, ["train", str(tmp_path / "coded.csv"), *book, "--out", str(model), "--cv", "2"])
    assert trained.exit_code == 0, trained.output
    card = json.loads((tmp_path / "q.card.json").read_text())
    assert card["context_choice"]["columns"] == ["question"] and card["context_choice"]["used"] is True
    assert "- Context (question): read; held-out" in (tmp_path / "q.card.md").read_text()

    main, bare = code_by_question_and_bare(runner, app, tmp_path, model, book, list(QUESTIONS.values()))
    assert main == list(QUESTIONS)
    assert bare.exit_code == 0, bare.output
    assert len(pd.read_csv(tmp_path / "o2" / "coded.csv")) == 2

    coded.drop(columns="Question").to_csv(tmp_path / "plain.csv", index=False)
    plain = runner.invoke(app, ["train", str(tmp_path / "plain.csv"), *book, "--out", str(tmp_path / "p.skops"), "--cv", "0"])
    assert plain.exit_code == 0, plain.output
    plain_card = json.loads((tmp_path / "p.card.json").read_text())
    assert plain_card["context_choice"] is None and plain_card["params"]["classifier"]["context_columns"] == []
