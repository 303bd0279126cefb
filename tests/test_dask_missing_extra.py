"""Without Dask installed, --dask says in one line what to install (runs whether Dask is installed or not)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.coding.dask_cluster import parse_scheduler
from tcs_themes.errors import UsageError

runner = CliRunner()


@pytest.mark.parametrize("command", ["code", "run"])
def test_dask_without_the_extra_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it raises ImportError
    (tmp_path / "notes.csv").write_text("text\nMore trees in the park please\n", encoding="utf-8")
    result = runner.invoke(app, [command, str(tmp_path / "notes.csv"), "--out", str(tmp_path / "out"), "--dask", "local:2"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and 'pip install "tcs-themes[dask]"' in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out" / "coded.csv").exists()


def test_scheduler_specs() -> None:
    assert parse_scheduler("local:3") == 3
    assert parse_scheduler("local") >= 1
    assert parse_scheduler(" tcp://10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"
    for bad in ("local:0", "local:two", "local:", "", "local:100000"):
        with pytest.raises(UsageError, match="--dask"):
            parse_scheduler(bad)
