"""The 4Ps exercise workbook is read and validated like the other inputs."""

from pathlib import Path

import pytest
import yaml
from _outputs_fixtures import make_register, write_exercises
from openpyxl import load_workbook

from tcs_themes.errors import ExerciseFileError
from tcs_themes.ingest.exercises import FOUR_PS, load_exercises

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw" / "four_ps_exercise.xlsx"
REGISTER = Path(__file__).resolve().parents[1] / "data" / "raw" / "sessions.yaml"


def test_reads_choices_statements_and_reasons(tmp_path: Path) -> None:
    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    assert exercises.events == ["Play day at Florence Park", "Eid celebration"]
    play = exercises.choices[exercises.choices["event"] == "Play day at Florence Park"]
    assert play["p"].tolist() == list(FOUR_PS)
    assert play["stickers"].tolist() == [14, 6, 21, 3]
    totals = exercises.choice_totals().set_index("p")
    assert totals.loc["People", "stickers"] == 33
    assert totals["share"].sum() == pytest.approx(1.0)
    statements = exercises.statement_totals().set_index("statement")
    assert statements.loc["Everyone can take part in community life", "stickers"] == 16
    assert statements.loc["Parks and play areas are safe and clean", "reasons"] == ["Somewhere for the kids to go", "More bins"]
    assert statements.loc["Good jobs and skills for local people", "reasons"] == []


def test_reads_the_sample_workbook_against_the_register() -> None:
    names = [s["name"] for s in yaml.safe_load(REGISTER.read_text())["sessions"]]
    exercises = load_exercises(SAMPLE, events=names)
    assert set(exercises.events) <= set(names)
    assert len(exercises.events) >= 3
    assert (exercises.choices["stickers"] >= 0).all()
    assert exercises.statements["reasons"].map(len).sum() > 0


def _break(path: Path, sheet: str, cell: str, value: object) -> Path:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "message"),
    [
        ("Statements", "B3", "Prosperity", r"4ps\.xlsx \(sheet Statements, row 3\): P must be one of People, Pride, Place, Progress"),
        ("Choices", "C2", -4, r"\(sheet Choices, row 2\): Pride must be a whole number"),
        ("Statements", "D4", "lots", r"\(sheet Statements, row 4\): Stickers must be a whole number"),
        ("Choices", "A3", "Play day at Florence Park", r"\(sheet Choices, row 3\): event 'Play day at Florence Park' is listed twice"),
        ("Statements", "C2", None, r"\(sheet Statements, row 2\): Statement is empty"),
        ("Choices", "E1", "Progression", r"\(sheet Choices, row 1\): missing column\(s\) Progress"),
    ],
)
def test_errors_name_file_sheet_and_row(tmp_path: Path, sheet: str, cell: str, value: object, message: str) -> None:
    path = _break(write_exercises(tmp_path / "4ps.xlsx"), sheet, cell, value)
    with pytest.raises(ExerciseFileError, match=message):
        load_exercises(path)


def test_unknown_event_is_an_error_when_the_register_is_given(tmp_path: Path) -> None:
    path = _break(write_exercises(tmp_path / "4ps.xlsx"), "Choices", "A2", "Street party")
    names = list(make_register().sessions["session_name"])
    with pytest.raises(ExerciseFileError, match=r"\(sheet Choices, row 2\): event 'Street party' is not a session"):
        load_exercises(path, events=names)


def test_missing_sheet_missing_file_and_not_a_workbook(tmp_path: Path) -> None:
    path = write_exercises(tmp_path / "4ps.xlsx")
    book = load_workbook(path)
    del book["Statements"]
    book.save(path)
    with pytest.raises(ExerciseFileError, match="no sheet named 'Statements'"):
        load_exercises(path)
    with pytest.raises(ExerciseFileError, match="nope.xlsx: file not found"):
        load_exercises(tmp_path / "nope.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(ExerciseFileError, match="fake.xlsx: cannot open it as an Excel workbook"):
        load_exercises(fake)


def test_errors_never_quote_the_written_reasons(tmp_path: Path) -> None:
    path = _break(write_exercises(tmp_path / "4ps.xlsx"), "Statements", "D2", "many")
    with pytest.raises(ExerciseFileError) as error:
        load_exercises(path)
    assert "kids" not in str(error.value)
