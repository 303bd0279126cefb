"""Red team: crafted hostile files given to every command that reads tables or coded files (code, train, evaluate,
agree), beside good files.

Each hostile file ends in one line naming it (exit code 1), never a traceback, with
nothing of its contents printed (they hold a name, a phone number and an email
address) and nothing written outside --out; the good files beside it still go
through, every row of them in the output. A CSV in UTF-16 or with NUL bytes is
read, not refused. The zip bomb is a real one (60 MB of sheet XML in about 60 KB).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import _hostile_files as hostile
from tcs_themes.cli import app

runner = CliRunner()
#: Pieces of hostile.SECRET: none may reach the terminal.
SECRET_PARTS = ("Priya", "Ramanathan", "07700", "900461", "priya.r@")
#: Hostile files a command must refuse, with a word of the one line that says why.
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "bomb.xlsx": (hostile.zip_bomb_xlsx, "only a zip bomb does"),
    "laughs.xlsx": (hostile.laughs_xlsx, "declares a document type"),
    "laughs-workbook.xlsx": (lambda path: hostile.laughs_xlsx(path, "xl/workbook.xml"), "its part xl/workbook.xml declares"),
    "other.xlsx": (hostile.zip_of_something_else, "not an Excel workbook"),
    "truncated.xlsx": (hostile.truncated_xlsx, "damaged"),
    "text.parquet": (hostile.text_named_parquet, "really a text file"),
    "schema.parquet": (hostile.parquet_without_text, "text"),
    "long-line.csv": (hostile.long_line_csv, "longer than 1,048,576 characters"),
}
#: Files that look hostile but are read: a CSV in UTF-16, a CSV with NUL bytes.
READ = {"utf16.csv": hostile.utf16_csv, "nul.csv": hostile.nul_csv}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-tables")
    made = {name: build(folder / name) for name, (build, _) in REFUSED.items()}
    made.update({name: build(folder / name) for name, build in READ.items()})
    made["good.csv"] = hostile.good_csv(folder / "good.csv")
    made["good.xlsx"] = hostile.coded_workbook(folder / "good.xlsx")
    return made


def _tree(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def _invoke(args: list[object], tmp_path: Path, out: Path):
    before = _tree(tmp_path)
    result = runner.invoke(app, [str(a) for a in args])
    written = _tree(tmp_path) - before
    outside = [path for path in written if out not in (path, *path.parents)]
    assert not outside, outside  # nothing written outside --out
    return result


def _refused_once(result, path: Path, words: str) -> None:
    """Exit code 1, one error line naming ``path`` (with ``words``), no traceback, none of the file's contents."""
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:") and str(path) in line]
    assert len(lines) == 1, result.stderr
    assert words in lines[0], lines[0]
    assert not [part for part in SECRET_PARTS if part in output], output


@pytest.mark.parametrize("name", REFUSED)
def test_code_refuses_a_hostile_table_and_codes_the_good_one(files: dict[str, Path], tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = _invoke(["code", files["good.csv"], files[name], "--out", out, "--method", "rules"], tmp_path, out)
    _refused_once(result, files[name], REFUSED[name][1])
    coded = pd.read_parquet(out / "coded.parquet")
    assert sorted(coded["comment_id"]) == ["g1", "g2", "g3"]  # every good row, and nothing of the bad file


@pytest.mark.parametrize("name", READ)
def test_code_reads_utf16_and_nul_bytes_beside_a_good_table(files: dict[str, Path], tmp_path: Path, name: str) -> None:
    other = READ[name](tmp_path / name, prefix="h")
    out = tmp_path / "out"
    result = _invoke(["code", files["good.csv"], other, "--out", out, "--method", "rules"], tmp_path, out)
    assert result.exit_code == 0, result.stderr
    coded = pd.read_parquet(out / "coded.parquet")
    assert sorted(coded["comment_id"]) == ["g1", "g2", "g3", "h1", "h2", "h3"]
    theirs = coded[coded["comment_id"].str.startswith("h")]["text"]
    assert sorted(theirs) == sorted(hostile.GOOD_TEXTS)  # NULs gone, the text whole


@pytest.mark.parametrize("name", REFUSED)
def test_evaluate_and_agree_refuse_a_hostile_file_in_one_line(files: dict[str, Path], tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    for args in (["evaluate", files[name], files["good.csv"]], ["evaluate", files["good.csv"], files[name]],
                 ["agree", files["good.csv"], files[name], "--bootstrap", "0"]):  # fmt: skip
        _refused_once(_invoke([*args, "--out", out / "tables.csv"], tmp_path, out), files[name], REFUSED[name][1])


@pytest.mark.parametrize("name", READ)
def test_evaluate_and_agree_read_utf16_and_nul_bytes(files: dict[str, Path], tmp_path: Path, name: str) -> None:
    evaluated = runner.invoke(app, ["evaluate", str(files[name]), str(files["good.csv"])])
    assert evaluated.exit_code == 0, evaluated.stderr
    assert "Per theme (3 comments)" in evaluated.stdout
    agreed = runner.invoke(app, ["agree", str(files["good.csv"]), str(files[name]), "--bootstrap", "0"])
    assert agreed.exit_code == 0, agreed.stderr
    assert "3 comments in every coding" in agreed.stdout


def test_train_skips_each_hostile_file_and_trains_on_the_good_ones(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = [files[name] for name in REFUSED]
    args = ["train", files["good.xlsx"], *bad, files["utf16.csv"], "--out", out / "model.skops", "--cv", "0", "--preset", "words"]
    result = _invoke(args, tmp_path, out)
    output = result.stdout + result.stderr
    assert result.exit_code == 1 and "Traceback" not in output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    for path in bad:
        named = [line for line in errors if str(path) in line]
        assert len(named) == 1, (path, errors)
    assert errors[-1].startswith(f"Error: {len(bad)} of the coded files could not be read")
    assert "Training on 6 coded comments" in result.stderr  # the workbook's 3 and the UTF-16 file's 3
    assert (out / "model.skops").is_file()
    assert not [part for part in SECRET_PARTS if part in output]


def test_train_with_only_hostile_files_writes_no_model(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _invoke(["train", files["bomb.xlsx"], files["long-line.csv"], "--out", out / "m.skops", "--cv", "0"], tmp_path, out)
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    assert "none of the 2 coded files could be read" in result.stderr
    assert not out.exists()
