"""The sessions register and the project settings file: loading, matching, clear errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import _ingest_files as files
from tcs_themes.config import load_settings
from tcs_themes.errors import SessionRegisterError, SettingsError, SettingsWarning, UsageError
from tcs_themes.ingest import ingest, load_register

SAMPLE_REGISTER = Path(__file__).parents[1] / "data" / "raw" / "sessions.yaml"
SAMPLE_SETTINGS = Path(__file__).parents[1] / "data" / "raw" / "tcs-themes.yaml"


def test_sample_register_loads() -> None:
    register = load_register(SAMPLE_REGISTER)
    assert list(register.sessions.columns) == ["session_id", "session_name", "strand", "date", "format"]
    assert len(register.sessions) == 27
    assert register.sessions["strand"].value_counts().to_dict() == {"Strand 2": 19, "Strand 3": 5, "Strand 1": 3}
    assert register.strands["Strand 3"] == "Locality conversations"
    assert register.email_strand is None
    assert register.sessions["date"].dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    ("name", "session_id"),
    [
        ("S04", "S04"),
        ("community AND cultural partners-1", "S04"),  # case and punctuation
        ("Partners 1", "S04"),  # alias
        ("Councillors briefing 1", "S06"),  # apostrophe left out
        ("S23_play_day_notes.xlsx", "S23"),  # file name
        ("Eid celebration - notes, 10 July", "S26"),  # title text
    ],
)
def test_match_by_id_name_alias_file_or_title(name: str, session_id: str) -> None:
    assert load_register(SAMPLE_REGISTER).match(name)["session_id"] == session_id


def test_unknown_session_lists_close_matches() -> None:
    with pytest.raises(SessionRegisterError) as caught:
        load_register(SAMPLE_REGISTER).match("Councilors briefing 3")
    assert "Councillors' briefing 2" in str(caught.value) and "Councillors' briefing 1" in str(caught.value)
    assert str(caught.value).startswith(f"{SAMPLE_REGISTER}: session 'Councilors briefing 3' is not in the register")


def test_csv_register(tmp_path: Path) -> None:
    path = tmp_path / "sessions.csv"
    path.write_text("id,name,strand,date,format,aliases\nA1,Youth forum,Strand 3,15/09/2022,in person,Youth; YF\n", encoding="utf-8")
    register = load_register(path)
    assert register.match("yf")["session_name"] == "Youth forum"
    assert register.sessions["date"].tolist() == [pd.Timestamp("2022-09-15")]
    assert register.strands == {"Strand 3": ""}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sessions: [{id: A, name: B}]", "(session 1): each session needs an id, a name and a strand"),
        ("strands: {Strand 1: x}\nsessions: [{id: A, name: B, strand: Strand 2}]", "strand 'Strand 2' is not under 'strands'"),
        ("sessions: [{id: A, name: B, strand: S, date: soon}]", "the date is not a date"),
        ("sessions:\n  - {id: A, name: B, strand: S}\n  - {id: A, name: C, strand: S}", "(session 2): session id A is used twice"),
        ("sessions:\n  - {id: A, name: B, strand: S}\n  - {id: C, name: b, strand: S}", "is used by both A and C"),
        ("sessions: [unclosed", "is not valid YAML"),
        ("just: text", "must be a mapping with a 'sessions:' list"),
    ],
)
def test_malformed_register(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "sessions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SessionRegisterError, match="sessions.yaml") as caught:
        load_register(path)
    assert words in str(caught.value)


def test_sample_settings() -> None:
    settings = load_settings(SAMPLE_SETTINGS)
    assert settings.register == SAMPLE_SETTINGS.parent / "sessions.yaml"
    assert settings.exercises == ("four_ps_exercise.xlsx",)


def test_unknown_settings_key_warns_with_close_match(tmp_path: Path) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text("registr: sessions.yaml\nemails: {strnd: x}\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_settings(path)
    messages = [str(w.message) for w in caught if issubclass(w.category, SettingsWarning)]
    assert messages == [
        f"{path}: unknown key 'registr' ignored; did you mean 'register'?",
        f"{path}: unknown key 'emails.strnd' ignored; did you mean 'strand'?",
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("register: [a, b]", "(register)"),
        ("columns: {txt: Notes}", "(columns): unknown role 'txt'; did you mean 'text'?"),
        ("columns: [Notes]", "(columns)"),
        ("skip: {a: b}", "(skip)"),
        ("column_synonyms: {text: {a: b}}", "(column_synonyms.text)"),
        ("emails: [x]", "(emails)"),
        ("- a list", "must be a mapping"),
    ],
)
def test_bad_settings_values(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(str(path))
    assert where in str(caught.value)
    assert "\n" not in str(caught.value)


def test_settings_found_in_the_folder_given(tmp_path: Path) -> None:
    files.write_register(tmp_path)
    (tmp_path / "tcs-themes.yaml").write_text(
        "register: sessions.yaml\nexercises: [four_ps*.xlsx]\nskip: [drafts/*]\n", encoding="utf-8"
    )
    files.csv_export(tmp_path / "export.csv", "utf-8")
    files.sheet_per_session(tmp_path / "four_ps_exercise.xlsx")
    (tmp_path / "drafts").mkdir()
    files.csv_export(tmp_path / "drafts" / "old.csv", "utf-8")
    result = ingest(tmp_path)
    assert result.errors == []
    assert set(result.comments["session_id"]) == {"S01", "S04", "S06"}
    reasons = dict(zip(result.files["source_file"].str.rsplit("/", n=1).str[-1], result.files["kind"], strict=True))
    assert reasons == {
        "old.csv": "skipped", "export.csv": "spreadsheet", "four_ps_exercise.xlsx": "not-comments",
        "sessions.yaml": "not-comments", "tcs-themes.yaml": "not-comments",
    }


def test_unknown_column_role_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="column role 'txt' is unknown"):
        ingest(tmp_path, columns={"txt": "Notes"})
