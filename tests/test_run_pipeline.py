"""`tcs-themes run`: the main job from raw files to the published outputs, on part of the sample."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app

from _run_inputs import copy_sample_parts

@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path, Path]:
    raw = copy_sample_parts(tmp_path_factory.mktemp("raw"))
    out = tmp_path_factory.mktemp("coded")
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out)])
    return result, raw, out


def test_run_writes_every_output(run: tuple) -> None:
    result, _, out = run
    assert result.exit_code == 0, result.output
    for name in ("comments.parquet", "ingest-log.csv", "coded.csv", "coded.parquet", "uncoded.csv",
                 "theme-counts.xlsx", "report.html", "report.docx"):
        assert (out / name).is_file(), name
    assert list((out / "charts").glob("*.png"))
    assert "Comments" in result.stdout and "Wrote" in result.stdout


def test_every_row_is_coded_or_logged(run: tuple) -> None:
    _, _, out = run
    comments = pd.read_parquet(out / "comments.parquet")
    coded = pd.read_parquet(out / "coded.parquet")
    log = pd.read_csv(out / "ingest-log.csv")
    assert coded["comment_id"].tolist() == comments["comment_id"].tolist()
    assert coded["themes"].notna().all()
    uncoded = pd.read_csv(out / "uncoded.csv")
    assert len(uncoded) == int((coded["primary_theme"] == "uncoded").sum())
    assert set(log["reason"]) <= {"blank", "not-comments", "unsupported", "attachment", "duplicate", "removed"}
    # the strand 1 session, with its register name and strand, and two emails split into points
    assert set(coded.loc[coded["source_kind"] == "spreadsheet", "session_id"]) == {"S01"}
    assert coded.loc[coded["source_kind"] == "email", "message_id"].nunique() == 2


def test_no_unredacted_personal_data_in_outputs(run: tuple) -> None:
    _, _, out = run
    coded = pd.read_parquet(out / "coded.parquet")
    assert coded["redactions"].sum() > 0
    address = r"[\w.+-]+@[\w-]+\.[\w.]+"
    assert not coded["text"].str.contains(address).any()
    assert not coded["text"].str.contains("07700").any()
    report = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(address, report)
    assert "07700" not in report
