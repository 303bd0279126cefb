"""``tcs-themes ingest`` through CliRunner: outputs, summary, errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import _ingest_files as files
from tcs_themes.cli import app
from tcs_themes.tables import read_table

runner = CliRunner()


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    files.write_register(folder)
    (folder / "tcs-themes.yaml").write_text("register: sessions.yaml\n", encoding="utf-8")
    files.csv_export(folder / "export.csv", "utf-8-sig")
    files.write_eml(folder / "points.eml", files.POINTS)
    return folder


def test_ingest_writes_parquet_and_log(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "raw")
    out = tmp_path / "out" / "comments.parquet"
    result = runner.invoke(app, ["ingest", str(folder), "--out", str(out)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    comments = read_table(out)
    assert len(comments) == 6
    assert set(comments["source_kind"]) == {"spreadsheet", "email"}
    log = pd.read_csv(tmp_path / "out" / "comments.ingest-log.csv", encoding="utf-8-sig")
    assert set(log["reason"]) == {"not-comments", "removed"}  # the email's greeting, lead-in, sign-off, signature
    assert "Ingest summary" in result.stdout
    assert "export.csv" in result.stdout and "Wrote 6 comments" in result.stdout


def test_ingest_csv_output_with_options(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "notes.csv").write_text("Who,Said\nCMT,Mapped text\n", encoding="utf-8")
    register = files.write_register(tmp_path)
    out = tmp_path / "comments.csv"
    log = tmp_path / "log.csv"
    result = runner.invoke(
        app,
        ["ingest", str(folder / "*.csv"), "--out", str(out), "--register", str(register),
         "--column", "text=Said", "--column", "session=Who", "--log", str(log)],
    )
    assert result.exit_code == 0, result.output
    comments = read_table(out)
    assert comments["text"].tolist() == ["Mapped text"]
    assert comments["session_id"].tolist() == ["S01"]
    assert log.is_file()


def test_a_failed_file_gives_exit_code_1_and_one_line_errors(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "raw")
    (folder / "empty.xlsx").write_bytes(b"")
    out = tmp_path / "comments.parquet"
    result = runner.invoke(app, ["ingest", str(folder), str(tmp_path / "nope.csv"), "--out", str(out)])
    assert result.exit_code == 1
    assert len(read_table(out)) == 6  # the good files are still written
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert any("empty.xlsx: the file is empty" in line for line in errors)
    assert "Traceback" not in result.output


def test_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "raw")
    bad_column = runner.invoke(app, ["ingest", str(folder), "--out", str(tmp_path / "c.csv"), "--column", "text"])
    assert bad_column.exit_code == 1
    assert "must look like ROLE=NAME" in bad_column.stderr
    bad_out = runner.invoke(app, ["ingest", str(folder), "--out", str(tmp_path / "c.xlsx")])
    assert bad_out.exit_code == 1
    assert "must end in .parquet or .csv" in bad_out.stderr
    bad_settings = tmp_path / "bad.yaml"
    bad_settings.write_text("columns: [x]\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--out", str(tmp_path / "c.csv"), "--settings", str(bad_settings)])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error:") and "bad.yaml (columns)" in result.stderr


def test_debug_shows_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--debug", "ingest", str(tmp_path / "x.csv"), "--out", str(tmp_path / "c.xlsx")])
    assert result.exit_code == 1
    assert isinstance(result.exception, Exception)
    assert "must end in .parquet or .csv" in str(result.exception)


def test_help_describes_the_command() -> None:
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--settings", "--register", "--sheet", "--column", "--log"):
        assert option in result.stdout
