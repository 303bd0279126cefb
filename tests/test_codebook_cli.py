"""``tcs-themes codebook validate | show | export | import`` through the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook

runner = CliRunner()


def test_validate_the_default_codebook() -> None:
    result = runner.invoke(app, ["codebook", "validate"])
    assert result.exit_code == 0, result.output
    assert "valid - 29 themes" in result.stdout


def test_validate_a_bad_codebook_gives_one_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("themes:\n  - id: parks\n    name: Parks\n  - id: parks\n    name: Again\n", encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 4, key parks.id" in lines[0] and "duplicate id 'parks'" in lines[0]


def test_validate_warns_about_unknown_keys_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("themes:\n  - id: parks\n    name: Parks\n    patern: [park]\n", encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 0
    assert "did you mean 'patterns'?" in result.stderr
    assert "1 theme(s) have no rule patterns" in result.stderr


def test_show_prints_a_tree_with_names_descriptions_and_counts() -> None:
    result = runner.invoke(app, ["codebook", "show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Thriving Communities Strategy consultation (29 themes)" in out
    assert "Community involvement and engagement" in out and "Terminology and jargon" in out
    clarity = load_codebook().theme("clarity")
    assert f"clarity - {len(clarity.patterns)} patterns, {len(clarity.exclusions)} exclusions" in out


def test_export_qdc_then_import_round_trips(tmp_path: Path) -> None:
    qdc, yaml_out = tmp_path / "tcs.qdc", tmp_path / "back.yaml"
    result = runner.invoke(app, ["codebook", "export", "--format", "qdc", "--out", str(qdc)])
    assert result.exit_code == 0, result.output
    assert "29 themes" in result.stdout and qdc.is_file()
    result = runner.invoke(app, ["codebook", "import", str(qdc), "--out", str(yaml_out)])
    assert result.exit_code == 0, result.output
    assert load_codebook(yaml_out).fingerprint() == load_codebook().fingerprint()


def test_export_yaml(tmp_path: Path) -> None:
    out = tmp_path / "copy.yaml"
    result = runner.invoke(app, ["codebook", "export", "--format", "yaml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_codebook(out).fingerprint() == load_codebook().fingerprint()


def test_import_of_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    bad, out = tmp_path / "bad.qdc", tmp_path / "out.yaml"
    bad.write_text("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", encoding="utf-8")
    result = runner.invoke(app, ["codebook", "import", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "not well-formed XML" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdc"]


def test_import_refuses_a_non_yaml_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "import", "x.qdc", "--out", str(tmp_path / "out.txt")])
    assert result.exit_code == 1 and "must end in .yaml" in result.stderr
