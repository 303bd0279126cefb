"""`tcs-themes run` on ordinary bad days: every input bad, nothing coded, a bad file among good ones, an output
folder that cannot be written."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app

runner = CliRunner()

GOOD = (
    "Session,Comment\n"
    "Partners 1,The library needs more funding for its staff and opening hours\n"
    "Partners 1,Better buses would help young people reach the parks and green spaces\n"
    "CMT,We should measure outcomes and publish the data so people can see progress\n"
    "CMT,Volunteers keep the community centre going but they need more support\n"
)
NONSENSE = "Comment\nzzz qqq xxx\nblorp flarn wibble\nqwerty uiop asdf\n"


def _bad_files(folder: Path) -> list[Path]:
    """Three real files that cannot be read: text saved as .xlsx, a broken workbook, a CSV with no text column."""
    folder.mkdir(parents=True, exist_ok=True)
    text_as_xlsx = folder / "notes.xlsx"
    text_as_xlsx.write_text("this is not a workbook\n", encoding="utf-8")
    broken = folder / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    no_text = folder / "numbers.csv"
    no_text.write_text("id,count\n1,2\n3,4\n", encoding="utf-8")
    return [text_as_xlsx, broken, no_text]


def test_all_inputs_bad_prints_each_error_then_stops_with_exit_1(tmp_path: Path) -> None:
    bad = _bad_files(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", *map(str, bad), "--out", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "unexpected" not in result.stderr and "Note:" not in result.stderr
    errors = [line for line in lines if line.startswith("Error:")]
    for path in bad:
        assert any(path.name in line for line in errors[:-1]), (path.name, result.stderr)
    assert errors[-1].startswith("Error: no comment to code") and "listed above" in errors[-1]
    assert (out / "ingest-log.csv").is_file()  # what was read is still logged
    assert not (out / "coded.csv").exists()


def _run_on(factory: pytest.TempPathFactory, name: str, text: str) -> tuple[object, Path, Path]:
    """Write ``text`` as ``name`` and run the main job on it (rules only); return (result, input, output folder)."""
    source = factory.mktemp("in") / name
    source.write_text(text, encoding="utf-8")
    out = factory.mktemp("out")
    return runner.invoke(app, ["run", str(source), "--out", str(out), "--method", "rules"]), source, out


@pytest.fixture(scope="module")
def nothing_coded(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    result, _, out = _run_on(tmp_path_factory, "nonsense.csv", NONSENSE)
    return result, out


def test_nothing_coded_still_writes_every_output(nothing_coded: tuple) -> None:
    result, out = nothing_coded
    assert result.exit_code == 0, result.output
    coded = pd.read_parquet(out / "coded.parquet")
    assert len(coded) == 3 and (coded["primary_theme"] == "uncoded").all()
    assert len(pd.read_csv(out / "uncoded.csv")) == 3
    for name in ("theme-counts.xlsx", "report.html", "report.docx", "charts/themes_overall.png"):
        assert (out / name).is_file(), name


def test_nothing_coded_is_said_in_the_report_and_workbook(nothing_coded: tuple) -> None:
    _, out = nothing_coded
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "No comment was coded" in html and "recorded: ." not in html
    text = "\n".join(p.text for p in docx.Document(str(out / "report.docx")).paragraphs)
    assert "No comment was coded" in text
    summary = openpyxl.load_workbook(out / "theme-counts.xlsx")["Summary"]
    cells = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("No comment was coded") for v in cells)


def test_a_bad_file_among_good_ones_is_an_error_like_ingest_says(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    bad = _bad_files(folder)[0]
    (folder / "good.csv").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder / "good.csv"), str(bad), "--out", str(out), "--method", "rules"])
    assert result.exit_code == 1
    assert f"Error: {bad}" in result.stderr and "Note:" not in result.stderr
    assert len(pd.read_parquet(out / "coded.parquet")) == 4  # the good file is still coded and published
    assert (out / "report.html").is_file()
    ingest = runner.invoke(app, ["ingest", str(bad), "--out", str(tmp_path / "x.csv")])
    wording = next(line for line in ingest.stderr.splitlines() if bad.name in line)
    assert wording.split(":")[0] == "Error" and wording in result.stderr  # the same line in every command
    code = runner.invoke(app, ["code", str(folder / "good.csv"), str(bad), "--out", str(tmp_path / "c"), "--method", "rules"])
    assert code.exit_code == 1 and wording in code.stderr and "Note:" not in code.stderr


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A good comments CSV and the coded table run made from it."""
    result, source, out = _run_on(tmp_path_factory, "good.csv", GOOD)
    assert result.exit_code == 0, result.output
    return source, out / "coded.parquet"


def _commands(source: Path, coded: Path, target: Path) -> dict[str, list[str]]:
    return {
        "run": ["run", str(source), "--out", str(target), "--method", "rules"],
        "ingest": ["ingest", str(source), "--out", str(target / "c.csv")],
        "code": ["code", str(coded.parent / "comments.parquet"), "--out", str(target), "--method", "rules"],
        "count": ["count", str(coded), "--out", str(target / "counts.csv")],
        "quotes": ["quotes", str(coded), "--out", str(target / "quotes.csv")],
        "export": ["export", str(coded), "--out", str(target / "book.xlsx")],
        "report": ["report", str(coded), "--out", str(target)],
    }


@pytest.mark.parametrize("command", ["run", "ingest", "code", "count", "quotes", "export", "report"])
def test_an_impossible_output_folder_is_one_line_naming_it(good: tuple, tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out"  # a folder inside a file cannot exist
    result = runner.invoke(app, _commands(*good, target)[command])
    assert result.exit_code == 1, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: {target}") and "cannot write" in last, result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.output


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder the tests cannot write in: chmod for a normal user; root ignores modes, so /sys then."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / "out"
    if _cannot_mkdir("/sys/tcs-themes-test"):
        return Path("/sys/tcs-themes-test")
    pytest.skip("no read-only folder available to this user")


def _cannot_mkdir(path: str) -> bool:
    try:
        os.mkdir(path)
    except OSError:
        return True
    os.rmdir(path)
    return False


def test_a_read_only_output_folder_is_one_line_naming_it(tmp_path: Path) -> None:
    target = _read_only_folder(tmp_path)
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path / "good.csv"), "--out", str(target), "--method", "rules"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {target}: cannot write in this folder")
    assert "unexpected" not in result.stderr
