"""Spreadsheets in several layouts and CSV exports in three encodings become comments."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import _ingest_files as files
from tcs_themes.ingest import ingest
from tcs_themes.schema import COMMENT_COLUMNS


@pytest.fixture()
def register(tmp_path: Path) -> Path:
    return files.write_register(tmp_path)


def test_sheet_per_session_workbook(tmp_path: Path, register: Path) -> None:
    result = ingest(files.sheet_per_session(tmp_path / "book.xlsx"), register=register)
    comments = result.comments
    assert list(comments.columns[: len(COMMENT_COLUMNS)]) == list(COMMENT_COLUMNS)
    assert {name: str(comments[name].dtype) for name in COMMENT_COLUMNS} == COMMENT_COLUMNS
    by_location = comments.set_index("location")
    assert by_location.loc["Partners 1!R2", "session_id"] == "S04"
    assert by_location.loc["Partners 1!R2", "strand"] == "Strand 2"
    assert by_location.loc["Partners 1!R2", "question"] == "What have we missed?"
    assert by_location.loc["Partners 1!R4", "text"] == "Line one\nline two of the same note"
    assert by_location.loc["Partners 1!R7", "text"] == "42"  # a number in the text column
    assert by_location.loc["CMT!R2", "session_id"] == "S01"
    assert by_location.loc["CMT!R2", "date"] == pd.Timestamp("2022-07-05")  # "05/07/2022" read day first
    # the same text in another session is kept; within a session it is merged
    assert (comments["text"] == "Go to where people already are").sum() == 2
    duplicate = result.log[result.log["reason"] == "duplicate"].iloc[0]
    assert duplicate["location"] == "Partners 1!R5"
    assert duplicate["detail"].startswith(f"duplicate-of {by_location.loc['Partners 1!R2', 'comment_id']}")
    # the analyst's codes (Theme, Other themes) in analyst_codes as written, main theme first
    assert by_location.loc["Partners 1!R2", "analyst_codes"] == "community_involvement; communication"
    assert "Theme" not in comments.columns and "Other themes" not in comments.columns
    # the cover sheet is skipped with a warning, not an error
    assert result.errors == []
    assert any("Read me" in warning for warning in result.warnings)
    assert ((result.log["location"] == "Read me") & (result.log["reason"] == "skipped")).any()


def test_title_row_merged_cells_and_header_below(tmp_path: Path, register: Path) -> None:
    result = ingest(files.titled_single_session(tmp_path / "notes.xlsx"), register=register)
    comments = result.comments
    assert comments["row"].tolist() == [4, 5, 6]
    # the session comes from the merged title above the header
    assert set(comments["session_id"]) == {"S06"}
    # the question merged over three rows applies to each
    assert set(comments["question"]) == {"How can you work with us?"}
    assert comments["text"].tolist() == ["Use the ward forums", "2022-07-13", "A third  note"]
    assert comments["analyst_codes"].tolist()[0] == "partnership_working"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_three_encodings(tmp_path: Path, register: Path, encoding: str) -> None:
    result = ingest(files.csv_export(tmp_path / "export.csv", encoding), register=register)
    assert result.errors == []
    texts = result.comments["text"].tolist()
    assert texts == [
        "\u201cThriving\u201d means what \u2013 exactly?",
        "Two lines,\nwith a comma",
        "Caf\u00e9s and the \u00a35 entry fee matter",
    ]
    assert result.comments["session_id"].tolist() == ["S06", "S01", "S04"]
    assert result.comments["sheet"].tolist() == ["export"] * 3
    assert result.comments["location"].tolist() == ["export!R2", "export!R3", "export!R4"]
    # the session's date fills in when the row has none
    assert result.comments["date"].tolist() == [pd.Timestamp(d) for d in ("2022-07-13", "2022-07-05", "2022-07-07")]


def test_semicolon_csv_without_register(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Session;Strand;Notes\nMy group;Strand 9;First\n;;\nOther group;;Second\n", encoding="utf-8")
    result = ingest(path)
    assert result.comments["text"].tolist() == ["First", "Second"]
    assert result.comments["session_name"].tolist() == ["My group", "Other group"]
    assert result.comments["session_id"].isna().all()
    assert result.comments["strand"].tolist()[0] == "Strand 9"
    assert result.files.iloc[0]["blank"] == 1


def test_formula_values_are_read_and_unsaved_formulas_reported(tmp_path: Path) -> None:
    result = ingest(files.formulas_workbook(tmp_path / "formulas.xlsx"))
    assert result.comments["text"].tolist() == ["Joined up thinking"]
    assert len(result.errors) == 1
    assert "formulas.xlsx (sheet Partners 1, row 3)" in result.errors[0]
    assert "save it" in result.errors[0]


def test_explicit_column_mapping_and_synonyms_from_settings(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Who", "Said", "Verbatim"])  # "Verbatim" is a synonym; "Said" is not
    book.active.append(["CMT", "Mapped text", "Synonym text"])
    book.save(tmp_path / "odd.xlsx")
    assert ingest(tmp_path / "odd.xlsx").comments["text"].tolist() == ["Synonym text"]
    mapped = ingest(tmp_path / "odd.xlsx", columns={"text": "said"})
    assert mapped.comments["text"].tolist() == ["Mapped text"]
    assert mapped.comments["Verbatim"].tolist() == ["Synonym text"]
    settings = tmp_path / "tcs-themes.yaml"
    settings.write_text("columns: {text: Said}\ncolumn_synonyms: {session: [Who]}\n", encoding="utf-8")
    from_settings = ingest(tmp_path / "odd.xlsx", settings=settings)
    assert from_settings.comments["text"].tolist() == ["Mapped text"]
    assert from_settings.comments["session_name"].tolist() == ["CMT"]


def test_chosen_sheets_only(tmp_path: Path, register: Path) -> None:
    book = files.sheet_per_session(tmp_path / "book.xlsx")
    result = ingest(book, register=register, sheets=["cmt"])
    assert set(result.comments["sheet"]) == {"CMT"}
    skipped = result.log[result.log["reason"] == "skipped"]["location"].tolist()
    assert skipped == ["Read me", "Partners 1"]
    missing = ingest(book, register=register, sheets=["Nope"])
    assert missing.errors == ["no workbook has a sheet named 'Nope'; check --sheet / 'sheets:'"]


def test_unknown_session_is_an_error_listing_close_matches(tmp_path: Path, register: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Session,Comment\nCllrs 2,one\nCllrs 2,two\nCMT,three\n", encoding="utf-8")
    result = ingest(path, register=register)
    assert result.comments["text"].tolist() == ["three"]
    assert result.errors == [
        f"{path.as_posix()} (rows 2-3): session 'Cllrs 2' is not in the register (close matches: "
        "S06 Councillors' briefing 1); add it (or an alias) to the register or correct the name"
    ]
    assert result.files.iloc[0]["failed"] == 2


def test_sheet_that_matches_no_session(tmp_path: Path, register: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["Comment"])
    book.active.append(["Some text"])
    book.save(tmp_path / "untitled.xlsx")
    result = ingest(tmp_path / "untitled.xlsx", register=register)
    assert result.comments.empty
    assert "cannot tell which session" in result.errors[0]
    assert "(sheet Sheet1, row 2)" in result.errors[0]
