"""The train, code and evaluate commands, end to end on real files, and their one-line errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook
from openpyxl import Workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.tables import read_table

runner = CliRunner()
THEMES = ["clarity"] * 10 + ["green_spaces"] * 10 + ["funding_costs"] * 10


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a codebook, an analyst-coded workbook and a trained model."""
    root = tmp_path_factory.mktemp("project")
    write_codebook_yaml(tiny_codebook(), root / "tiny.yaml")
    book = Workbook()
    sheet = book.active
    sheet.append(["Session", "Comment", "Main theme", "Further themes"])
    for i, (text, theme) in enumerate(zip(CLARITY + GREEN + FUNDING, THEMES, strict=True)):
        sheet.append([f"S{i % 5}", text, theme.replace("_", " ").title(), "funding_costs" if i == 3 else None])
    book.save(root / "coded.xlsx")
    result = runner.invoke(
        app, ["train", str(root / "coded.xlsx"), "--codebook", str(root / "tiny.yaml"), "--out", str(root / "m.skops"), "--cv", "2"]
    )
    assert result.exit_code == 0, result.output
    return root


def test_train_writes_model_and_card(project: Path) -> None:
    assert (project / "m.skops").stat().st_size > 0
    assert (project / "m.card.json").is_file() and (project / "m.card.md").is_file()
    assert "weak" in (project / "m.card.md").read_text()


def test_code_a_table_writes_the_coded_table_and_a_summary(project: Path, tmp_path: Path) -> None:
    comments = pd.DataFrame(
        {"comment_id": ["c1", "c2", "c3", "c4"], "text": ["So much jargon here", "More parks please", "", "😀"], "extra": [1, 2, 3, 4]}
    )
    comments.to_parquet(tmp_path / "comments.parquet")
    result = runner.invoke(
        app,
        ["code", str(tmp_path / "comments.parquet"), "--out", str(tmp_path / "out"),
         "--codebook", str(project / "tiny.yaml"), "--model", str(project / "m.skops"), "--batch-size", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "comments" in result.stdout and "uncoded" in result.stdout
    coded = read_table(tmp_path / "out" / "coded.csv")
    assert coded["comment_id"].tolist() == ["c1", "c2", "c3", "c4"]
    assert coded["primary_theme"].tolist()[:2] == ["clarity", "green_spaces"]
    assert coded["themes"].tolist()[2:] == ["uncoded", "uncoded"]
    assert pd.read_parquet(tmp_path / "out" / "coded.parquet")["extra"].tolist() == [1, 2, 3, 4]
    assert read_table(tmp_path / "out" / "uncoded.csv")["comment_id"].tolist() == ["c3", "c4"]


def test_code_raw_notes_through_ingest_with_rules_only(project: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Comment", "Question"])
    sheet.append(["The jargon is impenetrable", "What have we missed?"])
    sheet.append(["Fix the park benches", None])
    book.save(tmp_path / "notes.xlsx")
    result = runner.invoke(
        app, ["code", str(tmp_path / "notes.xlsx"), "--out", str(tmp_path / "out"), "--codebook", str(project / "tiny.yaml"), "--method", "rules"]
    )
    assert result.exit_code == 0, result.output
    coded = read_table(tmp_path / "out" / "coded.csv")
    assert coded["themes"].tolist() == ["clarity", "green_spaces"]
    assert coded["sources"].tolist() == ["rule", "rule"]
    assert coded["comment_id"].str.match(r"^c[0-9a-f]{12}$").all()


def test_a_missing_input_still_codes_the_others_and_exits_1(project: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Comment"])
    book.active.append(["The jargon is impenetrable"])
    book.save(tmp_path / "notes.xlsx")
    args = ["code", str(tmp_path / "notes.xlsx"), str(tmp_path / "missing.xlsx"), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, "--codebook", str(project / "tiny.yaml"), "--method", "rules"])
    assert result.exit_code == 1
    assert "missing.xlsx" in result.output
    assert read_table(tmp_path / "out" / "coded.csv")["themes"].tolist() == ["clarity"]


def test_evaluate_with_a_model_and_against_a_coded_file(project: Path, tmp_path: Path) -> None:
    common = ["--codebook", str(project / "tiny.yaml")]
    result = runner.invoke(app, ["evaluate", str(project / "coded.xlsx"), "--model", str(project / "m.skops"), *common, "--out", str(tmp_path / "ev.xlsx")])
    assert result.exit_code == 0, result.output
    for word in ("precision", "micro", "macro", "kappa", "Most confused"):
        assert word in result.stdout
    assert (tmp_path / "ev.xlsx").is_file()
    machine = tmp_path / "machine.csv"
    pd.DataFrame({"text": CLARITY + GREEN + FUNDING, "themes": THEMES}).to_csv(machine, index=False)
    result = runner.invoke(app, ["evaluate", str(project / "coded.xlsx"), str(machine), *common, "--out", str(tmp_path / "ev.csv")])
    assert result.exit_code == 0, result.output
    per_theme = pd.read_csv(tmp_path / "ev.csv", encoding="utf-8-sig").set_index("theme_id")
    assert per_theme.loc["clarity", "f1"] == 1.0 and per_theme.loc["funding_costs", "recall"] < 1.0


def _one_line_error(result) -> str:
    assert result.exit_code == 1
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    return lines[0]


def test_bad_models_and_inputs_fail_with_one_line(project: Path, tmp_path: Path) -> None:
    comments = tmp_path / "comments.parquet"
    pd.DataFrame({"text": ["jargon"]}).to_parquet(comments)
    out = ["--out", str(tmp_path / "out")]
    pickled = tmp_path / "model.skops"
    pickled.write_bytes(pickle.dumps({"a": 1}))
    tiny = ["--codebook", str(project / "tiny.yaml")]

    message = _one_line_error(runner.invoke(app, ["code", str(comments), *out, *tiny, "--model", str(pickled)]))
    assert "not a skops model file" in message
    message = _one_line_error(runner.invoke(app, ["code", str(comments), *out, "--model", str(project / "m.skops")]))
    assert "trained with codebook 'tiny'" in message
    no_text = tmp_path / "no_text.parquet"
    pd.DataFrame({"body": ["jargon"]}).to_parquet(no_text)
    message = _one_line_error(runner.invoke(app, ["code", str(no_text), *out, *tiny, "--model", str(project / "m.skops")]))
    assert "no 'text' column" in message
    message = _one_line_error(runner.invoke(app, ["code", str(comments), *out, *tiny, "--method", "magic"]))
    assert "hybrid, rules, model" in message
    typo = tmp_path / "typo.csv"
    pd.DataFrame({"text": ["a private comment"], "theme": ["Claritty"]}).to_csv(typo, index=False)
    message = _one_line_error(runner.invoke(app, ["train", str(typo), *tiny, "--out", str(tmp_path / "x.skops")]))
    assert "did you mean clarity" in message and "private" not in message


def test_train_preset_accurate_adds_character_ngrams_and_is_on_the_card(project: Path) -> None:
    import json

    out = project / "accurate.skops"
    result = runner.invoke(
        app,
        ["train", str(project / "coded.xlsx"), "--codebook", str(project / "tiny.yaml"), "--out", str(out),
         "--cv", "0", "--preset", "accurate"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    classifier = json.loads((project / "accurate.card.json").read_text())["params"]["classifier"]
    assert classifier["char_ngrams"] == [2, 5] and classifier["C"] == 0.1
    assert classifier["threshold_mode"] == "auto"
    default = json.loads((project / "m.card.json").read_text())["params"]["classifier"]
    assert default["char_ngrams"] is None
    wrong = runner.invoke(app, ["train", str(project / "coded.xlsx"), "--out", str(out), "--preset", "fastest"])
    assert wrong.exit_code != 0
