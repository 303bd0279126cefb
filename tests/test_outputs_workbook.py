"""The theme-count workbook: real tables, frozen headers, formats, charts, and safe cells."""

from pathlib import Path

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register, write_exercises
from openpyxl import load_workbook

from tcs_themes.formulas import starts_formula
from tcs_themes.analysis.counts import count_all
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.outputs.excel import safe_sheet_name, safe_text
from tcs_themes.outputs.workbook import write_workbook

SHEETS = [
    "Summary", "Themes by strand", "Strand 1", "Strand 2", "Strand 3", "No strand (emails)", "Themes by session",
    "Themes by question", "Themes by source", "Co-occurrence", "Sub-themes", "Session by theme", "Coded comments",
    "Comment themes (long)", "Theme matrix (0-1)", "Illustrative quotes", "Quotes to review", "What is missing",
    "Codebook", "Method", "4Ps choices", "4Ps statements",
]  # fmt: skip


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workbook")
    codebook, register = make_codebook(), make_register()
    coded = make_coded(codebook)
    exercises = load_exercises(write_exercises(folder / "4ps.xlsx"))
    info = {"inputs": {"coded table": "data/coded/coded.parquet"}, "model": {"name": "hybrid", "trained": "2026-11-20"}}
    path = write_workbook(folder / "out" / "theme-counts.xlsx", coded, codebook, register=register, exercises=exercises, method_info=info)
    return path, coded, codebook, register


def test_sheets_tables_and_frozen_headers(workbook) -> None:
    path, coded, *_ = workbook
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.tables, f"{sheet.title} has no Excel table"
        assert sheet.freeze_panes == "A2", sheet.title
    table = book["Coded comments"].tables["Coded_comments"]
    assert table.ref == f"A1:U{len(coded) + 1}"
    assert table.autoFilter is not None or table.tableStyleInfo is not None
    names = [name for sheet in book for name in sheet.tables]
    assert len(names) == len(set(names))


def test_numbers_match_the_counts_and_percentages_are_formatted(workbook) -> None:
    path, coded, codebook, register = workbook
    counts = count_all(coded, codebook, register)
    summary = pd.read_excel(path, sheet_name="Summary", usecols="A:J", nrows=len(counts.overall))
    assert summary["Theme"].tolist() == counts.overall["theme"].tolist()
    assert summary["Comments (main theme)"].tolist() == counts.overall["main_comments"].tolist()
    assert summary["Comments (main theme)"].sum() == len(coded)
    assert summary["Share (main theme)"].tolist() == pytest.approx(counts.overall["main_share"].tolist())
    sheet = load_workbook(path)["Summary"]
    assert sheet["D2"].number_format == "0.0%" and sheet["C2"].number_format == "#,##0"
    by_strand = pd.read_excel(path, sheet_name="Themes by strand")
    assert by_strand["Comments (main theme)"].sum() == len(coded)
    strand3 = pd.read_excel(path, sheet_name="Strand 3")
    assert strand3["Comments (main theme)"].iloc[0] == 3 and strand3["Theme"].iloc[0] == "Green spaces"


def test_question_and_source_sheets_add_up(workbook) -> None:
    path, coded, *_ = workbook
    by_source = pd.read_excel(path, sheet_name="Themes by source")
    assert set(by_source["Source"]) == {"Group sessions", "Emails"}
    assert by_source["Comments (main theme)"].sum() == len(coded)
    by_question = pd.read_excel(path, sheet_name="Themes by question")
    assert by_question["Comments (main theme)"].sum() == len(coded)
    assert "No question recorded" in set(by_question["Question"])


def test_uncoded_comments_are_shown(workbook) -> None:
    path, *_ = workbook
    summary = pd.read_excel(path, sheet_name="Summary", usecols="A:J", nrows=7).set_index("Theme")
    assert summary.loc["Uncoded", "Comments (main theme)"] == 5
    totals = pd.read_excel(path, sheet_name="Summary", usecols="L:M", nrows=6).set_index("Measure")["Value"]
    assert totals["Uncoded comments"] == 5 and totals["Comments"] == 34


def test_bar_charts_of_top_themes_overall_and_per_strand(workbook) -> None:
    path, *_ = workbook
    book = load_workbook(path)
    for title in ("Summary", "Strand 1", "Strand 2", "Strand 3"):
        charts = book[title]._charts
        assert len(charts) == 1, title
        assert charts[0].type == "bar"
    chart = book["Summary"]._charts[0]
    assert chart.x_axis.scaling.orientation == "maxMin"  # most common at the top


def test_comments_keep_their_source_and_formula_text_is_neutralised(workbook) -> None:
    path, coded, *_ = workbook
    book = load_workbook(path)
    comments = pd.read_excel(path, sheet_name="Coded comments")
    assert comments["Comment ID"].tolist() == coded["comment_id"].tolist()
    assert comments.loc[0, "Source file"] == "notes/strand_1.xlsx" and comments.loc[0, "Row"] == 2
    assert comments.loc[0, "Evidence"].startswith("clarity:")
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not starts_formula(cell.value), cell.coordinate
    texts = comments["Comment"].tolist()
    assert "'- more youth clubs please" in texts
    assert any(t.startswith("'=HYPERLINK(") for t in texts)


def test_method_records_codebook_fingerprint_and_model(workbook) -> None:
    path, _, codebook, _ = workbook
    method = pd.read_excel(path, sheet_name="Method").set_index("Item")["Value"]
    assert method["Codebook fingerprint (SHA-256)"] == codebook.fingerprint()
    assert method["model.name"] == "hybrid"
    assert method["inputs.coded table"] == "data/coded/coded.parquet"


def test_the_codebook_file_is_named_the_same_wherever_the_toolkit_or_project_sits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tcs_themes.codebook import default_codebook_path
    from tcs_themes.outputs.published import codebook_file_label

    monkeypatch.chdir(tmp_path)
    (tmp_path / "books").mkdir()
    mine = tmp_path / "books" / "ours.yaml"
    assert codebook_file_label(str(default_codebook_path())) == "codebooks/tcs.yaml (bundled with tcs-themes)"
    assert codebook_file_label(str(mine)) == "books/ours.yaml"  # inside the project: relative, not /home/...
    assert codebook_file_label("books/ours.yaml") == "books/ours.yaml"
    assert codebook_file_label(None) == "(not from a file)"


def test_exercise_sheets(workbook) -> None:
    path, *_ = workbook
    choices = pd.read_excel(path, sheet_name="4Ps choices").set_index("Event")
    assert choices.loc["All events", "People"] == 33 and choices.loc["Eid celebration", "Total"] == 43
    statements = pd.read_excel(path, sheet_name="4Ps statements")
    assert "Somewhere for the kids to go\nMore bins" in statements["Reasons"].tolist()


def test_any_strand_or_theme_name_gives_a_valid_workbook(tmp_path: Path) -> None:
    codebook = make_codebook()
    coded = make_coded(codebook)
    weird = {"Strand 1": "=cmd|' /C calc'!A0", "Strand 2": "Strand: 2/3 [north]*?", "Strand 3": "'x" + "y" * 40}
    coded["strand"] = coded["strand"].map(lambda s: weird.get(s, s))
    path = write_workbook(tmp_path / "weird.xlsx", coded, codebook)
    book = load_workbook(path)
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and not name.startswith("'")
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    strands = pd.read_excel(path, sheet_name="Themes by strand")["Strand"]
    assert "'=cmd|' /C calc'!A0" in set(strands)


def test_safe_helpers() -> None:
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("\tx") == "'\tx"
    assert safe_text("ok\x07") == "ok"
    assert safe_sheet_name("Summary", {"summary"}) == "Summary (2)"
    assert safe_sheet_name("a/b:c") == "a-b-c"
    assert len(safe_sheet_name("x" * 50, {"x" * 31})) == 31


def test_only_xlsx(tmp_path: Path) -> None:
    codebook = make_codebook()
    with pytest.raises(InputFileError, match=r"out\.xls: the workbook must end in \.xlsx"):
        write_workbook(tmp_path / "out.xls", make_coded(codebook), codebook)


def test_a_table_coded_before_code_source_existed_counts_as_machine_coded(tmp_path: Path) -> None:
    coded = make_coded().drop(columns=["code_source", "machine_themes"])
    path = write_workbook(tmp_path / "old.xlsx", coded, make_codebook())
    totals = pd.read_excel(path, sheet_name="Summary", usecols="L:M", nrows=9).set_index("Measure")["Value"]
    assert totals["Coded by the machine alone"] == len(coded) and totals["Coded by an analyst"] == 0
    comments = pd.read_excel(path, sheet_name="Coded comments")
    assert (comments["Code source"] == "machine").all() and comments["Machine's themes"].isna().all()


def test_long_table_matrix_subthemes_and_sessions_agree(workbook) -> None:
    path, coded, codebook, register = workbook
    from tcs_themes.analysis.counts import count_all
    from tcs_themes.schema import split_list

    counts = count_all(coded, codebook, register)
    long = pd.read_excel(path, sheet_name="Comment themes (long)")
    given = coded["themes"].astype(object).map(lambda v: split_list(v) or ["uncoded"])
    assert len(long) == int(given.map(len).sum())
    assert (long["Main theme"] == "yes").sum() == len(coded)
    matrix = pd.read_excel(path, sheet_name="Theme matrix (0-1)").set_index("Comment ID")
    assert list(matrix.index) == list(coded["comment_id"])
    pivot = long.pivot_table(index="Comment ID", columns="Theme", values="Order", aggfunc="count", fill_value=0).clip(upper=1)
    for theme in pivot.columns:
        assert (matrix.loc[pivot.index, theme] == pivot[theme]).all(), theme
    overall = counts.overall.set_index("theme")["any_comments"]
    for theme in matrix.columns:
        assert matrix[theme].sum() == overall[theme], theme
    subthemes = pd.read_excel(path, sheet_name="Sub-themes")
    assert list(subthemes["Comments"]) == list(counts.subthemes["comments"])
    sessions = pd.read_excel(path, sheet_name="Session by theme").set_index("Session")
    for row in counts.by_session.itertuples(index=False):
        if row.theme in sessions.columns:
            assert sessions.loc[row.session, row.theme] == row.any_comments


def test_four_ps_chart_missing_and_review_sheets(workbook) -> None:
    path, coded, *_ = workbook
    book = load_workbook(path)
    assert len(book["4Ps choices"]._charts) == 1
    missing = pd.read_excel(path, sheet_name="What is missing")
    assert {"Theme", "Comments", "Key phrases"} <= set(missing.columns)
    review = pd.read_excel(path, sheet_name="Quotes to review")
    assert list(review.columns) == ["Comment ID", "Kind", "Categories", "Words that showed it", "Approved for quoting", "Comment"]
    assert set(review["Comment ID"]) <= set(coded["comment_id"])
