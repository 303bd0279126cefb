"""Same inputs, same date: `tcs-themes run` writes byte-identical files, whatever folder they go to, and lists them last."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.run_manifest import check_run

from _run_inputs import copy_sample_parts

DATE = "2022-09-30"
EPOCH = "1664541000"  # 2022-09-30 12:30 UTC


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One run with --date, one with SOURCE_DATE_EPOCH on the same day, into two folders."""
    raw = copy_sample_parts(tmp_path_factory.mktemp("raw"))
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second") / "nested"
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(raw), "--out", str(first), "--date", DATE], env={"SOURCE_DATE_EPOCH": None})
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["run", str(raw), "--out", str(second)], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    return first, second


def test_two_runs_give_byte_identical_files(runs: tuple[Path, Path]) -> None:
    first, second = _files(runs[0]), _files(runs[1])
    assert {"report.html", "report.docx", "theme-counts.xlsx", "coded.csv", "coded.parquet", "uncoded.csv",
            "comments.parquet", "ingest-log.csv", "run-manifest.json", "charts/themes_overall.svg"} <= set(first)  # fmt: skip
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_the_outputs_carry_the_date_given(runs: tuple[Path, Path]) -> None:
    folder = runs[0]
    assert f"Generated {DATE} by tcs-themes" in (folder / "report.html").read_text(encoding="utf-8")
    for name in ("report.docx", "theme-counts.xlsx"):
        with zipfile.ZipFile(folder / name) as office:
            assert {member.date_time for member in office.infolist()} == {(2022, 9, 30, 0, 0, 0)}, name
            core = office.read("docProps/core.xml").decode("utf-8")
        assert core.count(f"{DATE}T00:00:00Z") == 2, name  # created and modified
    assert json.loads((folder / "run-manifest.json").read_text(encoding="utf-8"))["date"] == DATE


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--date", "30/09/2022"], {}, "--date '30/09/2022' is not a date; write it as YYYY-MM-DD"),
        ([], {"SOURCE_DATE_EPOCH": "yesterday"}, "SOURCE_DATE_EPOCH='yesterday' is not a Unix time"),
    ],
)
def test_a_bad_date_is_a_one_line_error(tmp_path: Path, args: list[str], env: dict[str, str], message: str) -> None:
    result = CliRunner().invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "out"), *args], env=env)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_manifest_lists_every_output_with_its_hash(runs: tuple[Path, Path], tmp_path: Path) -> None:
    folder = runs[0]
    manifest = json.loads((folder / "run-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == set(_files(folder)) - {"run-manifest.json"}
    assert manifest["counts"]["comments"] == manifest["counts"]["coded"] + manifest["counts"]["uncoded"] > 0
    assert {entry["source_file"].rsplit("/", 1)[-1] for entry in manifest["inputs"]} >= {"01_youth-charity.eml", "sessions.yaml"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["inputs"])
    assert manifest["codebook"]["fingerprint"] and manifest["model"]["sha256"]
    assert check_run(folder) == []
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "coded.csv").write_bytes((copy / "coded.csv").read_bytes()[:-200])  # as a killed copy would leave it
    (copy / "report.docx").unlink()
    problems = check_run(copy)
    assert len(problems) == 2 and "coded.csv: changed since the run wrote it" in problems[0] + problems[1]
