"""No CSV the toolkit writes has a text cell or header a spreadsheet would run as a formula; Parquet keeps the text."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.formulas import defuse, restore, starts_formula
from tcs_themes.tables import read_table, write_table

#: Comment texts starting with every formula character (long enough to be quoted, about real themes).
TEXTS = [
    '=HYPERLINK("http://example.org","more") the library needs more funding for its staff',
    "+ better and cheaper buses would help young people reach the city centre",
    "-- more parks and green spaces for families and children please",
    "@council please listen to young people about affordable housing",
    "\tTabbed comment about the cost of living crisis for families here",
    "\rA comment after a carriage return about transport and the buses",
    "\uff1dHYPERLINK(\"http://example.org\") full-width equals: the buses to the hospital are always late",
]
SESSIONS = ["=Session one", "+Session two", "-Session three", "@Session four", "\tSession five", "Session six",
            "\uff20Session seven"]
STRANDS = ["+Strand 9", "-Strand", "=Strand", "@Strand", "\rStrand", "Strand 1", "\uff0bStrand"]
QUESTIONS = ["-What next?", "=Q", "@Q", "+Q", "\tQ", "Plain question?", "\uff0dQ"]
HEADERS = ["Session", "Strand", "Question", "Comment", "@Notes", "=Extra"]


def _text_cell(sheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would store a formula)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook named and with a sheet named like formulas, formula-leading cells and headers in every column."""
    folder = tmp_path_factory.mktemp("hostile")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "=SUM(A1)"
    for column, header in enumerate(HEADERS, start=1):
        _text_cell(sheet, 1, column, header)
    for row, values in enumerate(zip(SESSIONS, STRANDS, QUESTIONS, TEXTS, ["=1+1", "@x", "\tq", "-", "+", "x", "\uff1d1+1"],
                                     [-0.5, "-2", "=A1", "+3", "@", "\rz", "\u3000=1"], strict=True), start=2):  # fmt: skip
        for column, value in enumerate(values, start=1):
            _text_cell(sheet, row, column, value)
    book.save(folder / "=cmd.xlsx")
    return folder


COLUMNS = ["--column", "session=Session", "--column", "strand=Strand", "--column", "question=Question", "--column", "text=Comment"]


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_no_formula(path: Path) -> list[list[str]]:
    """Every header and text cell of the CSV at ``path`` is safe (numbers may be negative)."""
    rows = _cells(path)
    assert rows, path
    bad = [(r, cell) for r, row in enumerate(rows) for cell in row if starts_formula(cell) and not _is_number(cell)]
    assert not bad, f"{path.name}: {bad[:5]}"
    return rows


def test_defuse_is_undone_exactly() -> None:
    for text in ["=1", "'=1", "''+x", "'quoted'", "-", "", "plain", "\r\n", "@", "a=b", "  =1", "\n@x", "\u00a0-1",
                 "\u3000\uff0b1", "\uff1dSUM(A1)", "\uff20x", "\uff0d1", "' =1", "x =1"]:
        assert not starts_formula(defuse(text))
        assert restore(defuse(text)) == text
    assert [starts_formula(t) for t in ("  =1", "\uff1d1", "\n+1", "'=1", "a=b")] == [True, True, True, False, False]


def test_ingest_csv_and_its_log_are_safe_and_parquet_is_exact(inputs: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(inputs)  # the file name "=cmd.xlsx" then starts the source_file cells
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", "=cmd.xlsx", "--out", str(tmp_path / "x.csv"), *COLUMNS])
    assert result.exit_code == 0, result.output
    rows = assert_no_formula(tmp_path / "x.csv")
    header = rows[0]
    assert "'@Notes" in header and "'=Extra" in header
    body = [cell for row in rows[1:] for cell in row]
    assert "'=cmd.xlsx" in body and "'=SUM(A1)" in body and "'+Strand 9" in body and "'-What next?" in body
    assert_no_formula(tmp_path / "x.ingest-log.csv")
    back = read_table(tmp_path / "x.csv")
    assert sorted(back["text"]) == sorted(t.strip() for t in TEXTS)  # read back exactly, apostrophes gone
    result = runner.invoke(app, ["ingest", "=cmd.xlsx", "--out", str(tmp_path / "x.parquet"), *COLUMNS])
    assert result.exit_code == 0, result.output
    exact = pd.read_parquet(tmp_path / "x.parquet")
    assert sorted(exact["text"]) == sorted(t.strip() for t in TEXTS)
    assert set(exact["source_file"]) == {"=cmd.xlsx"} and "=Extra" in exact.columns


@pytest.fixture(scope="module")
def run_out(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    settings = inputs / "tcs-themes.yaml"
    settings.write_text("columns:\n  session: Session\n  strand: Strand\n  question: Question\n  text: Comment\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(inputs), "--out", str(out), "--method", "rules"])
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_only_safe_csvs(run_out: Path) -> None:
    for name in ("coded.csv", "uncoded.csv", "ingest-log.csv"):
        if (run_out / name).stat().st_size:
            assert_no_formula(run_out / name)
    coded = _cells(run_out / "coded.csv")
    assert any(cell.startswith("'=HYPERLINK") for row in coded for cell in row)
    parquet = pd.read_parquet(run_out / "coded.parquet")
    assert sorted(parquet["text"]) == sorted(t.strip() for t in TEXTS)
    assert set(parquet["session_name"]) == {s.strip() for s in SESSIONS}
    assert read_table(run_out / "coded.csv")["text"].tolist() == parquet["text"].tolist()


def test_count_and_quotes_csvs_are_safe(run_out: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    coded = str(run_out / "coded.parquet")
    for by in ("session", "strand", "question"):
        result = runner.invoke(app, ["count", coded, "--by", by, "--out", str(tmp_path / f"{by}.csv")])
        assert result.exit_code == 0, result.output
        rows = assert_no_formula(tmp_path / f"{by}.csv")
        assert any(cell.startswith("'") for row in rows for cell in row), by
    result = runner.invoke(app, ["quotes", coded, "--out", str(tmp_path / "quotes.csv")])
    assert result.exit_code == 0, result.output
    rows = assert_no_formula(tmp_path / "quotes.csv")
    assert len(rows) > 1 and any(cell.startswith("'") for row in rows[1:] for cell in row)


def test_write_table_keeps_numbers_and_round_trips(tmp_path: Path) -> None:
    frame = pd.DataFrame({"=head": ["=1+1", "'=quoted", "plain", "  =1+1", "\uff1dSUM(A1)", "\uff20cmd"],
                          "score": [-0.5, 1.0, -2.0, 0.0, 1.5, 2.5], "n": [-1, 2, 3, 4, 5, 6]})
    path = write_table(frame, tmp_path / "t.csv")
    rows = assert_no_formula(path)
    assert rows[1][1] == "-0.5" and rows[1][2] == "-1"  # numbers stay numbers
    back = read_table(path)
    pd.testing.assert_frame_equal(back, frame)
    parquet = read_table(write_table(frame, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(parquet, frame)
