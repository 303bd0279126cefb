"""``codebook init --from-labels``: a starter codebook from labelled data, which train and code accept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook
from tcs_themes.codebook.from_labels import codebook_from_labels
from tcs_themes.errors import LabelsError, UsageError
from tcs_themes.ingest.labels import read_labels
from tcs_themes.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ROOT / "tests" / "data" / "rueckmeldungen_de.csv"
PXTEXTMINING = ROOT.parent / "shared" / "datasets" / "pxtextmining"
needs_pxtextmining = pytest.mark.skipif(not PXTEXTMINING.is_dir(), reason="../shared/datasets/pxtextmining is absent")
runner = CliRunner()


def _run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _ok(*args: object) -> str:
    result = _run(*args)
    assert result.exit_code == 0, result.output
    return _flat(result.output)


def _flat(text: str) -> str:
    """The output with every run of white space as one space (tables wrap at 80 columns)."""
    return " ".join(text.split())


def _error(*args: object) -> str:
    result = _run(*args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_german_theme_names_init_train_code(tmp_path: Path) -> None:
    """One column of theme names (several per cell), German: ids are slugs, names keep their umlauts."""
    book = tmp_path / "codebook.yaml"
    output = _ok("codebook", "init", "--from-labels", GERMAN, "--theme-column", "Themen", "--out", book)
    assert "codebook.yaml: 3 themes, no patterns" in output and "--text-column COLUMN --theme-column Themen" in output
    output = _ok("codebook", "init", "--from-labels", GERMAN, "--theme-column", "Themen", "--out", book, "--force",
                 "--text-column", "kommentar")
    codebook = load_codebook(book)
    assert [(t.id, t.name) for t in codebook.themes] == [
        ("grunflachen", "Grünflächen"), ("verkehr", "Verkehr"), ("wohnen", "Wohnen")
    ]
    assert all(not t.patterns for t in codebook.themes)
    assert codebook.name == "Themes from rueckmeldungen_de.csv"

    model = tmp_path / "de.skops"
    assert "--text-column Kommentar --theme-column Themen" in output  # the hint names the columns train must read
    result = _run(
        "train", GERMAN, "--codebook", book, "--out", model, "--cv", "0", "--text-column", "Kommentar",
        "--theme-column", "Themen",
    )
    assert result.exit_code == 0, result.output
    assert "Training on 36 coded comments (skipped: 1 row with no text, 1 row with no codes)" in _flat(result.stderr)

    new = tmp_path / "neu.csv"
    pd.DataFrame(
        {
            "text": [
                "Mehr Bäume im Park bitte",
                "Der Bus kommt nie pünktlich",
                "Die Miete für unsere Wohnung ist zu hoch",
            ]
        }
    ).to_csv(new, index=False)
    _ok("code", new, "--codebook", book, "--model", model, "--out", tmp_path / "coded")
    coded = read_table(tmp_path / "coded" / "coded.parquet")
    assert coded["primary_theme"].tolist() == ["grunflachen", "verkehr", "wohnen"]


@needs_pxtextmining
def test_zero_one_columns_init_train_code_on_real_nhs_feedback(tmp_path: Path) -> None:
    """--theme-columns A B C (and repeated) on real 0/1-coded NHS comments; train then needs no other option."""
    source = tmp_path / "v6.csv"
    pd.read_csv(PXTEXTMINING / "v6framework_train.csv").head(400).to_csv(source, index=False)
    columns = ["Staff manner & personal attributes", "Timeliness of care", "Parking"]
    book = tmp_path / "codebook.yaml"
    output = _ok("codebook", "init", "--from-labels", source, "--theme-columns", *columns, "--out", book)
    assert "--theme-column 'Timeliness of care'" in output
    codebook = load_codebook(book)
    assert codebook.ids == ["staff_manner_personal_attributes", "timeliness_of_care", "parking"]
    again = tmp_path / "again.yaml"
    _ok("codebook", "init", "--from-labels", source, *[a for c in columns for a in ("--theme-columns", c)], "--out", again)
    assert again.read_text(encoding="utf-8") == book.read_text(encoding="utf-8")

    model = tmp_path / "nhs.skops"
    unknown = _error("train", source, "--codebook", book, "--out", model, "--cv", "0")
    assert "themes are not in the codebook" in unknown and "0/1 column 'Not assigned'" in unknown
    assert "--ignore-unknown-themes" in unknown
    explicit = [a for c in columns for a in ("--theme-column", c)]
    result = _run("train", source, "--codebook", book, "--out", model, "--cv", "0", *explicit)
    assert result.exit_code == 0, result.output
    assert "Training on 400 coded comments (no rows skipped)" in _flat(result.stderr)
    ignoring = _run("train", source, "--codebook", book, "--out", model, "--cv", "0", "--ignore-unknown-themes")
    assert ignoring.exit_code == 0, ignoring.output
    assert "Warning:" in _flat(ignoring.stderr) and "rows coded only with them skipped" in _flat(ignoring.stderr)

    _ok("code", source, "--codebook", book, "--model", model, "--out", tmp_path / "coded", "--text-column", "FFT answer")
    coded = read_table(tmp_path / "coded" / "coded.parquet")
    assert len(coded) == 400 and set(coded["primary_theme"]) <= {*codebook.ids, "uncoded"}


@needs_pxtextmining
def test_one_theme_column_of_real_nhs_labels(tmp_path: Path) -> None:
    source = tmp_path / "p1.csv"
    pd.read_csv(PXTEXTMINING / "phase1_text_data.csv").head(300).to_csv(source, index=False)
    starter = codebook_from_labels(source, theme_column="label")
    assert "couldn_t_be_improved" in starter.codebook.ids
    assert starter.codebook.theme("environment_facilities").name == "Environment/ facilities"
    assert sum(starter.coded.values()) == 300


def test_wrong_column_kinds_are_one_line_errors_saying_which_option_fits(tmp_path: Path) -> None:
    onehot = tmp_path / "onehot.csv"
    pd.DataFrame({"comment": ["a", "b"], "Parks": [1, 0], "Buses": ["", "x"], "theme": ["Parks", "Buses"]}).to_csv(
        onehot, index=False
    )
    out = tmp_path / "c.yaml"
    message = _error("codebook", "init", "--from-labels", onehot, "--theme-column", "Parks", "--out", out)
    assert "column 'Parks' holds 0/1 codes, not theme names" in message and "--theme-columns 'Parks' 'Buses'" in message
    message = _error("codebook", "init", "--from-labels", onehot, "--theme-columns", "Parks", "theme", "--out", out)
    assert "column 'theme' is not a 0/1 column" in message and "--theme-column 'theme'" in message
    message = _error("codebook", "init", "--from-labels", onehot, "--theme-column", "Themes 2", "--out", out)
    assert "no theme column 'Themes 2'" in message
    assert "give either" in _error("codebook", "init", "--from-labels", onehot, "--out", out)
    assert "after --theme-columns" in _error("codebook", "init", "--from-labels", onehot, "Parks", "--out", out)
    assert not out.exists()
    _ok("codebook", "init", "--from-labels", onehot, "--theme-columns", "Parks", "Buses", "--out", out)
    assert "exists" in _error("codebook", "init", "--from-labels", onehot, "--theme-column", "theme", "--out", out)
    _ok("codebook", "init", "--from-labels", onehot, "--theme-column", "theme", "--out", out, "--force")
    with pytest.raises(UsageError):
        codebook_from_labels(onehot, theme_columns=["Parks"], theme_column="theme")


def test_names_in_any_script_get_ids_and_too_many_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    pd.DataFrame(
        {"text": ["a", "b", "c", "d", "e"], "code": ["公园", "Πάρκα; 公园", "green spaces", "Green Spaces!", "👍 | 👎"]}
    ).to_csv(path, index=False)
    starter = codebook_from_labels(path, theme_column="code", name="Mixed")
    assert [(t.id, t.name) for t in starter.codebook.themes] == [
        ("theme_1", "公园"), ("theme_2", "Πάρκα"), ("green_spaces", "green spaces"), ("theme_4", "👍"), ("theme_5", "👎")
    ]
    assert starter.coded == {"theme_1": 2, "theme_2": 1, "green_spaces": 2, "theme_4": 1, "theme_5": 1}
    labels = read_labels(path, starter.codebook, theme_columns=["code"])
    assert labels.Y.sum().tolist() == [2, 1, 2, 1, 1]
    free_text = tmp_path / "free.csv"
    pd.DataFrame({"text": ["x"] * 201, "code": [f"answer {i}" for i in range(201)]}).to_csv(free_text, index=False)
    with pytest.raises(LabelsError, match="more than 200 different theme names"):
        codebook_from_labels(free_text, theme_column="code")


def test_a_folder_of_coded_files(tmp_path: Path) -> None:
    folder = tmp_path / "coded"
    folder.mkdir()
    shutil.copy(GERMAN, folder / "a.csv")
    pd.DataFrame({"Kommentar": ["Mehr Licht"], "Themen": ["Sicherheit"]}).to_csv(folder / "b.csv", index=False)
    starter = codebook_from_labels(folder, theme_column="Themen")
    assert starter.codebook.ids == ["grunflachen", "verkehr", "wohnen", "sicherheit"]
    assert starter.codebook.name == "Themes from a.csv"


def test_evaluate_also_stops_at_unknown_themes_or_skips_them(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    pd.DataFrame(
        {"text": ["Too much jargon", "The park needs benches", "Fix the potholes"], "theme": ["Clarity", "Grean spaces", "Potholes"]}
    ).to_csv(path, index=False)
    message = _error("evaluate", path, "--method", "rules")
    assert "2 themes are not in the codebook" in message and "did you mean green_spaces?" in message
    result = _run("evaluate", path, "--method", "rules", "--ignore-unknown-themes")
    assert result.exit_code == 0, result.output
    assert "ignored 2 themes" in _flat(result.stderr) and "Per theme (1 comments)" in _flat(result.stdout)
