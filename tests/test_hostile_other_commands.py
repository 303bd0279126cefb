"""Red team, part two: hostile review workbooks and decisions logs (review apply, code --decisions), YAML bombs
(codebook, settings, register), emails (a 5 MB From_ line, 2,000 nested multiparts), hostile file names and
unsafe .qdpx entries, each through the CLI.

Each hostile file is one line naming it and saying what to do (exit code 1), never a
traceback, with nothing of its contents printed and nothing written outside --out;
good files beside it go through whole.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from test_hostile_variants import _nested_eml
from typer.testing import CliRunner

import _hostile_files as hostile
from tcs_themes.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SECRET_PARTS = ("Priya", "Ramanathan", "07700", "900461", "priya.r@")
_ENV = {"SOURCE_DATE_EPOCH": "1790000000"}


def _invoke(args: list[object], tmp_path: Path, out: Path):
    """Run the CLI; check that nothing was written outside ``out`` and no traceback or secret was printed."""
    before = set(tmp_path.rglob("*"))
    result = runner.invoke(app, [str(a) for a in args], env=_ENV)
    outside = [p for p in set(tmp_path.rglob("*")) - before if out not in (p, *p.parents)]
    assert not outside, outside
    output = result.stdout + result.stderr
    assert "Traceback" not in output and (result.exception is None or isinstance(result.exception, SystemExit)), output
    assert not [part for part in SECRET_PARTS if part in output], output
    return result


def _errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("Error:", "Row refused:"))]


def _one_error(result, path: Path | str, words: str) -> None:
    assert result.exit_code == 1, result.stdout + result.stderr
    errors = _errors(result)
    assert len(errors) == 1 and str(path) in errors[0] and words in errors[0], errors


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the sample's coded table and a real review workbook exported from it."""
    folder = tmp_path_factory.mktemp("review")
    shutil.copy(ROOT / "data" / "coded" / "coded.parquet", folder / "coded.parquet")
    result = runner.invoke(app, ["review", "export", str(folder / "coded.parquet"), "--out", str(folder / "review.xlsx"), "--n", "10"])
    assert result.exit_code == 0, result.stderr
    return folder


def _edited(review: Path, target: Path, edit) -> Path:
    book = openpyxl.load_workbook(review / "review.xlsx")
    sheet = book["Review"]
    edit(book, sheet, {cell.value: cell.column for cell in sheet[1]})
    book.save(target)
    return target


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (hostile.zip_bomb_xlsx, "only a zip bomb does"),
        (hostile.laughs_xlsx, "declares a document type"),
        (hostile.zip_of_something_else, "not an Excel workbook"),
        (hostile.truncated_xlsx, "not a review workbook"),
    ],
)
def test_review_apply_refuses_a_hostile_workbook(review: Path, tmp_path: Path, build, words: str) -> None:
    bad = build(tmp_path / "review.xlsx")
    out = tmp_path / "out"
    _one_error(_invoke(["review", "apply", bad, "--coded", review / "coded.parquet", "--out", out], tmp_path, out), bad, words)
    assert not out.exists()


def test_review_apply_reads_extra_sheets_and_hidden_rows_and_refuses_unsaved_formulas(review: Path, tmp_path: Path) -> None:
    def edit(book, sheet, column) -> None:
        book.create_sheet("Scratch")["A1"] = hostile.SECRET  # an extra sheet is not read
        sheet.cell(2, column["decision"], '=IF(1,"accept","reject")')  # a formula no program has calculated
        sheet.cell(3, column["themes"], "=clarity")
        sheet.row_dimensions[4].hidden = True
        sheet.cell(4, column["decision"], "accept")  # a hidden row's decision is applied like any other
        sheet.cell(5, column["decision"], "reject")

    filled = _edited(review, tmp_path / "filled.xlsx", edit)
    out = tmp_path / "out"
    result = _invoke(["review", "apply", filled, "--coded", review / "coded.parquet", "--reviewer", "JS", "--out", out], tmp_path, out)
    assert result.exit_code == 1
    refused = _errors(result)
    assert len(refused) == 2, refused
    assert "(sheet Review, row 2): the decision cell holds a formula with no saved value" in refused[0]
    assert "(sheet Review, row 3): the themes cell holds a formula with no saved value" in refused[1]
    log = pd.read_parquet(out / "decisions.parquet")
    assert sorted(log["decision"]) == ["accept", "reject"]  # rows 4 and 5: 10 rows = 2 applied + 2 refused + 6 without


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (hostile.text_named_parquet, "really a text file"),
        (hostile.parquet_without_text, "not a coded table"),
        (hostile.long_line_csv, "longer than 1,048,576 characters"),
    ],
)
def test_review_apply_refuses_a_hostile_coded_table(review: Path, tmp_path: Path, build, words: str) -> None:
    suffix = ".csv" if build is hostile.long_line_csv else ".parquet"
    bad = build(tmp_path / f"coded{suffix}")
    out = tmp_path / "out"
    result = _invoke(["review", "apply", review / "review.xlsx", "--coded", bad, "--out", out], tmp_path, out)
    _one_error(result, bad, words)


def test_a_decisions_log_with_wrong_columns_is_refused_by_every_command(review: Path, tmp_path: Path) -> None:
    log = tmp_path / "decisions.parquet"
    pd.DataFrame({"when": ["today"], "note": [hostile.SECRET]}).to_parquet(log)
    good = hostile.good_csv(tmp_path / "good.csv")
    out = tmp_path / "out"
    commands = [
        ["review", "apply", review / "review.xlsx", "--coded", review / "coded.parquet", "--log", log, "--out", out],
        ["code", good, "--out", out, "--decisions", log, "--method", "rules"],
        ["train", hostile.coded_workbook(tmp_path / "coded.xlsx"), "--out", out / "m.skops", "--decisions", log, "--cv", "0"],
    ]
    for args in commands:
        _one_error(_invoke(args, tmp_path, out), log, "not a decisions log")
    assert pd.read_parquet(log)["note"].tolist() == [hostile.SECRET]  # the log is never rewritten


@pytest.mark.parametrize("build", [hostile.alias_bomb_yaml, hostile.deep_yaml])
def test_yaml_bombs_are_one_line_wherever_yaml_is_read(tmp_path: Path, build) -> None:
    bomb = build(tmp_path / "bomb.yaml")
    good = hostile.good_csv(tmp_path / "good.csv")
    out = tmp_path / "out"
    commands = [
        ["codebook", "validate", bomb],
        ["code", good, "--out", out, "--codebook", bomb, "--method", "rules"],
        ["ingest", good, "--out", out / "comments.csv", "--settings", bomb],
        ["ingest", good, "--out", out / "comments.csv", "--register", bomb],
        ["run", good, "--out", out, "--settings", bomb],
    ]
    words = "1,000,000 values" if build is hostile.alias_bomb_yaml else "nesting"
    for args in commands:
        result = _invoke(args, tmp_path, out)
        assert result.exit_code == 1
        errors = _errors(result)
        assert len(errors) == 1 and str(bomb) in errors[0], errors
        assert words in errors[0] or "not valid YAML" in errors[0], errors


def test_hostile_emails_and_file_names_beside_good_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    mail = b"From: Sam <sam@example.org>\nSubject: views\nMessage-ID: <%d@example.org>\n\nThe library should open at %d.\n"
    long_from = b"From " + b"x" * (5 << 20) + b" Mon Jan  1 00:00:00 2024\n"
    (raw / "box.mbox").write_bytes(long_from + mail % (1, 9) + b"\nFrom sam@example.org Mon Jan  1 00:00:00 2024\n" + mail % (2, 10))
    (raw / "nested.eml").write_text(_nested_eml(2000))
    names = ["Priya Ramanathan 07700 900461.csv", "two\nlines.csv", "[red]alert[bold] x.csv", "ctl\x1b[31m.csv"]
    for number, name in enumerate(names):
        hostile.good_csv(raw / name, prefix=f"f{number}-")
    (raw / "[red]not a workbook\x07.xlsx").write_text("Comment\nnot a workbook\n")
    out = tmp_path / "out"
    result = _invoke(["run", raw, "--out", out, "--method", "rules"], tmp_path, out)
    assert result.exit_code == 1
    errors = _errors(result)
    assert len(errors) == 2, errors
    assert any("nested.eml: refused: the email has more than 1,000 MIME parts" in line for line in errors), errors
    assert any("[red]not a workbook\\x07.xlsx: the file is really a text file" in line for line in errors), errors
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    coded = pd.read_csv(out / "coded.csv")
    assert len(coded) == 2 + 3 * len(names)  # the mbox's two messages and every row of every good CSV
    log = pd.read_csv(out / "ingest-log.csv")
    unread = log[log["reason"] == "error"]
    assert sorted(Path(name).name for name in unread["source_file"]) == ["[red]not a workbook.xlsx", "nested.eml"]
    written = "".join(path.read_text(encoding="utf-8-sig") for path in (out / "coded.csv", out / "ingest-log.csv"))
    assert not [part for part in ("Ramanathan", "07700", "\x1b", "\x07") if part in written]


@pytest.mark.parametrize(
    ("entries", "links", "words"),
    [
        ({"project.qde": b"<Project/>", "../evil.txt": b"x"}, None, "climbs out of the archive"),
        ({"project.qde": b"<Project/>", "/etc/cron.d/x": b"x"}, None, "absolute"),
        ({"project.qde": b"<Project/>"}, {"Sources/a.txt": "/etc/passwd"}, "is a symbolic link"),
    ],
)
def test_unsafe_qdpx_entries_are_refused_by_name(tmp_path: Path, entries, links, words: str) -> None:
    project = tmp_path / "project.qdpx"
    project.write_bytes(hostile.bytes_of_zip(entries, links))
    out = tmp_path / "out"
    _one_error(_invoke(["import-qdpx", project, "--out", out / "comments.parquet"], tmp_path, out), project, words)
    assert not out.exists() and not (tmp_path / "evil.txt").exists()


def test_paths_holding_rich_markup_are_printed_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "in[" / "]notes"  # the path in[/]notes: '[/]' is a closing tag rich would refuse (MarkupError)
    folder.mkdir(parents=True)
    good = hostile.good_csv(folder / "[red]good.csv")
    out = tmp_path / "o["
    runs = [
        ["ingest", good, "--out", out / "]c" / "comments.csv"],
        ["code", good, "--out", out / "]code", "--method", "rules"],
    ]
    for args in runs:
        result = _invoke(args, tmp_path, out)
        assert result.exit_code == 0, result.stdout + result.stderr
        assert f"{out}/]" in result.stdout + result.stderr  # the path shown whole, brackets and all
