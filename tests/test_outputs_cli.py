"""The publishing commands: count, quotes, export and report, driven through the CLI."""

from pathlib import Path

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, write_exercises
from openpyxl import load_workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.tables import write_table

REGISTER = """\
strands:
  Strand 1: Strategic overview
  Strand 2: Whole-system conversations
  Strand 3: Locality conversations
sessions:
  - {id: S01, name: Corporate management team, strand: Strand 1, date: 2022-07-05, format: online}
  - {id: S02, name: Policy officers' network, strand: Strand 1, date: 2022-07-14, format: online}
  - {id: S03, name: Community partners, strand: Strand 2, date: 2022-07-07, format: online}
  - {id: S04, name: Councillors' briefing, strand: Strand 2, date: 2022-07-13, format: online}
  - {id: S05, name: Voluntary sector forum, strand: Strand 2, date: 2022-08-03, format: in person}
  - {id: S06, name: Play day at Florence Park, strand: Strand 3, date: 2022-08-04, format: community event}
  - {id: S07, name: Eid celebration, strand: Strand 3, date: 2022-07-10, format: community event}
  - {id: S08, name: Lived experience advisory forum, strand: Strand 3, date: 2022-09-15, format: in person}
"""

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli")
    codebook = make_codebook()
    register = folder / "sessions.yaml"
    register.write_text(REGISTER, encoding="utf-8")
    return {
        "coded": write_table(make_coded(codebook), folder / "coded.parquet"),
        "codebook": write_codebook_yaml(codebook, folder / "codebook.yaml"),
        "register": register,
        "exercises": write_exercises(folder / "4ps.xlsx"),
        "folder": folder,
    }


def _run(*args: object):
    result = runner.invoke(app, [str(a) for a in args])
    return result


def test_count_prints_a_ranked_table_and_writes_csv(files) -> None:
    out = files["folder"] / "counts.csv"
    result = _run("count", files["coded"], "--codebook", files["codebook"], "--out", out)
    assert result.exit_code == 0, result.output
    assert "Comments per theme (main theme)" in result.stdout
    assert "Green spaces" in result.stdout and "Uncoded" in result.stdout
    table = pd.read_csv(out)
    assert table["comments"].sum() == 34


def test_count_by_strand_with_register_and_any_basis(files) -> None:
    result = _run("count", files["coded"], "--by", "strand", "--basis", "any", "--codebook", files["codebook"], "--register", files["register"])
    assert result.exit_code == 0, result.output
    assert "Comments per theme (any theme): Strand 3" in result.stdout
    assert "2 of 3" in result.stdout  # green spaces: raised in 2 of the 3 strand-3 sessions


def test_quotes_for_one_theme(files) -> None:
    result = _run("quotes", files["coded"], "--theme", "green_spaces", "--strand", "Strand 3", "--n", "2", "--codebook", files["codebook"])
    assert result.exit_code == 0, result.output
    assert "Green spaces (Strand 3)" in result.stdout
    assert result.stdout.count("\u201c") == 2
    unknown = _run("quotes", files["coded"], "--theme", "nope", "--codebook", files["codebook"])
    assert unknown.exit_code == 1 and "no theme with id 'nope'" in unknown.output


def test_export_writes_the_workbook(files) -> None:
    out = files["folder"] / "xl" / "theme-counts.xlsx"
    result = _run(
        "export", files["coded"], "--out", out, "--codebook", files["codebook"],
        "--register", files["register"], "--exercises", files["exercises"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert "4Ps choices" in book.sheetnames and "Strand 3" in book.sheetnames
    method = pd.read_excel(out, sheet_name="Method").set_index("Item")["Value"]
    assert method["inputs.register"] == str(files["register"])


def test_report_writes_html_and_docx(files) -> None:
    out = files["folder"] / "report"
    result = _run("report", files["coded"], "--out", out, "--codebook", files["codebook"], "--register", files["register"])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists() and (out / "report.docx").exists()
    assert (out / "charts" / "themes_overall.svg").exists()
    assert not (out / "theme-counts.xlsx").exists()


def test_errors_are_one_line(files) -> None:
    not_coded = write_table(pd.DataFrame({"comment_id": ["c1"], "text": ["x"]}), files["folder"] / "comments.csv")
    result = _run("count", not_coded, "--codebook", files["codebook"])
    assert result.exit_code == 1
    assert "not a coded table (no themes, primary_theme column)" in result.output
    bad = _run("export", files["coded"], "--out", files["folder"] / "x.csv", "--codebook", files["codebook"])
    assert bad.exit_code == 1 and "must end in .xlsx" in bad.output
    exercises = _run("export", files["coded"], "--out", files["folder"] / "y.xlsx", "--codebook", files["codebook"], "--exercises", files["folder"] / "none.xlsx")
    assert exercises.exit_code == 1 and "none.xlsx: file not found" in exercises.output


def test_a_minimal_coded_csv_still_publishes(files) -> None:
    minimal = files["folder"] / "minimal.csv"
    pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3"],
            "text": ["Parks need more benches for older people to rest.", "Too much jargon in the paper to follow.", "ok"],
            "themes": ["green_spaces", "clarity", "uncoded"],
            "primary_theme": ["green_spaces", "clarity", "uncoded"],
            "source_kind": ["spreadsheet", "email", "spreadsheet"],
        }
    ).to_csv(minimal, index=False)
    out = files["folder"] / "minimal"
    export = _run("export", minimal, "--out", out / "counts.xlsx", "--codebook", files["codebook"])
    assert export.exit_code == 0, export.output
    summary = pd.read_excel(out / "counts.xlsx", sheet_name="Summary", usecols="A:J", nrows=7).set_index("Theme")
    assert summary.loc["Uncoded", "Comments (main theme)"] == 1
