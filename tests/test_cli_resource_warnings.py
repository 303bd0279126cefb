"""A file some other code left open and the garbage collector closes mid-command is no 'Warning:' line."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from tcs_themes.cli import app

runner = CliRunner()


def _leak_a_file(path: Path) -> None:
    """Leave ``path`` open in a reference cycle: only the garbage collector closes it (with a ResourceWarning)."""
    holder: dict[str, object] = {"file": path.open("rb")}  # noqa: SIM115 - left open on purpose
    holder["self"] = holder


def test_ingest_shows_its_own_warnings_but_not_unclosed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = Workbook()
    book.active.append(["Comment"])
    book.active.append(["The jargon is impenetrable"])
    book.save(tmp_path / "notes.xlsx")
    (tmp_path / "data.bin").write_bytes(b"x")
    module = importlib.import_module("tcs_themes.ingest")  # the package; its name is also its function's
    real_ingest = module.ingest

    def ingest_while_collecting(*args, **kwargs):  # the collector runs mid-command, as it does at any allocation
        _leak_a_file(tmp_path / "data.bin")
        gc.collect()
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(module, "ingest", ingest_while_collecting)
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "notes.xlsx"), str(tmp_path / "gone.xlsx"), "--out", str(tmp_path / "comments.csv")]
    )
    assert result.exit_code == 1
    assert "gone.xlsx" in result.output  # the command's own problems are still shown
    assert "unclosed" not in result.output and "ResourceWarning" not in result.output
