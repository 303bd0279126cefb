"""Context columns (the question a comment answers) through the hybrid coder, train, code and evaluate."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from coding_support import code_by_question_and_bare, tiny_codebook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.ingest.labels import read_labels
from tcs_themes.errors import LabelsError

runner = CliRunner()
WORDS = ["the staff", "the volunteers", "the bus", "the meeting room", "the food", "the timetable", "the leaflet"]
QUESTIONS = {"clarity": "Was the plan easy to read?", "funding_costs": "Who should pay for it?"}


def _comments(n: int, seed: int) -> pd.DataFrame:
    """Comments whose words say nothing of the theme: only the question they answer does."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        theme = rng.choice(sorted(QUESTIONS))
        rows.append({"text": " and ".join(rng.sample(WORDS, 2)), "question": QUESTIONS[theme], "theme": theme})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def coder() -> HybridCoder:
    book = tiny_codebook()
    frame = _comments(120, seed=1)
    Y = pd.DataFrame({theme_id: (frame["theme"] == theme_id).astype(int) for theme_id in book.ids})
    model = ThemeClassifier(codebook=book, use_examples=False, context_columns=("question",), min_df=1, cv=3)
    return HybridCoder(book, model=model, min_examples=0).fit(frame[["text", "question"]], Y)


def test_the_coder_reads_the_question_beside_the_text(coder: HybridCoder) -> None:
    assert coder.context_columns == ("question",)
    new = pd.DataFrame({"text": ["the food and the bus"] * 2, "question": list(QUESTIONS.values())})
    coded = coder.code(new)
    assert coded["primary_theme"].tolist() == list(QUESTIONS)
    assert coded["evidence"].str.startswith(tuple(QUESTIONS)).all()


def test_the_question_alone_gives_no_theme(coder: HybridCoder) -> None:
    """Words the model has never seen: the comment is uncoded, whatever question it answers."""
    unknown = pd.DataFrame({"text": ["zebra crossings everywhere"] * 2, "question": list(QUESTIONS.values())})
    assert coder.code(unknown)["primary_theme"].tolist() == ["uncoded", "uncoded"]


def test_codes_do_not_depend_on_the_batch_size(coder: HybridCoder) -> None:
    frame = _comments(9, seed=2)[["text", "question"]]
    whole = coder.code(frame)
    in_threes = coder.set_params(batch_size=3).code(frame)
    coder.set_params(batch_size=2000)
    pd.testing.assert_frame_equal(whole, in_threes)


def test_inputs_come_from_a_comments_table_and_a_missing_column_is_named(coder: HybridCoder) -> None:
    table = pd.DataFrame({"comment": ["the food"], "question": [None], "other": [1]})
    inputs = coder.inputs(table, "comment")
    assert list(inputs.columns) == ["text", "question"] and inputs["text"].tolist() == ["the food"]
    with pytest.raises(ValueError, match="question"):
        coder.inputs(table.drop(columns="question"), "comment")
    with pytest.raises(ValueError, match="context column"):
        coder.code(["the food"])


def test_context_is_read_from_coded_files_under_its_usual_headers(tmp_path: Path) -> None:
    book = tiny_codebook()
    pd.DataFrame({"Comment": ["the food", "the bus"], "Question asked": ["Q1", "Q2"], "Theme": ["clarity"] * 2}).to_csv(
        tmp_path / "a.csv", index=False
    )
    pd.DataFrame({"Comment": ["the staff"], "Theme": ["Funding and costs"]}).to_csv(tmp_path / "b.csv", index=False)
    labels = read_labels([tmp_path / "a.csv", tmp_path / "b.csv"], book, context_columns=("question",))
    assert labels.context == {"question": ["Q1", "Q2", ""]}
    assert labels.inputs()["question"].tolist() == ["Q1", "Q2", ""]
    with pytest.raises(LabelsError, match="no 'question' column in any file"):
        read_labels(tmp_path / "b.csv", book, context_columns=("question",))


def test_train_context_then_code_and_evaluate_from_the_command_line(tmp_path: Path) -> None:
    write_codebook_yaml(tiny_codebook(), tmp_path / "tiny.yaml")
    coded = _comments(120, seed=3).rename(columns={"text": "Comment", "question": "Question", "theme": "Main theme"})
    coded.to_csv(tmp_path / "coded.csv", index=False)
    model, book = tmp_path / "q.skops", ["--codebook", str(tmp_path / "tiny.yaml")]
    trained = runner.invoke(app, ["train", str(tmp_path / "coded.csv"), *book, "--out", str(model), "--context", "question", "--cv", "2"])
    assert trained.exit_code == 0, trained.output
    card = json.loads((tmp_path / "q.card.json").read_text())
    assert card["params"]["classifier"]["context_columns"] == ["question"]

    main, bare = code_by_question_and_bare(runner, app, tmp_path, model, book, list(QUESTIONS.values()))
    assert main == list(QUESTIONS)
    assert bare.exit_code == 1
    assert "bare.csv: no 'question' column" in bare.output and "Traceback" not in bare.output

    scored = runner.invoke(app, ["evaluate", str(tmp_path / "coded.csv"), *book, "--model", str(model)])
    assert scored.exit_code == 0, scored.output
    assert "micro" in scored.stdout


def test_train_context_interactions_copy_the_words_per_question(tmp_path: Path) -> None:
    write_codebook_yaml(tiny_codebook(), tmp_path / "tiny.yaml")
    _comments(60, seed=4).rename(columns={"theme": "Main theme"}).to_csv(tmp_path / "coded.csv", index=False)
    args = ["train", str(tmp_path / "coded.csv"), "--codebook", str(tmp_path / "tiny.yaml"), "--cv", "0"]
    crossed = runner.invoke(app, [*args, "--out", str(tmp_path / "x.skops"), "--context", "question", "--context-interactions", "1"])
    assert crossed.exit_code == 0, crossed.output
    classifier = json.loads((tmp_path / "x.card.json").read_text())["params"]["classifier"]
    assert classifier["context_columns"] == ["question"] and classifier["context_interactions"] == 1.0
    alone = runner.invoke(app, [*args, "--out", str(tmp_path / "y.skops"), "--context-interactions", "1"])
    assert alone.exit_code != 0
    assert "needs --context" in alone.output and not (tmp_path / "y.skops").exists()
