"""Columns besides the text: dropped when personal by header or content, kept when the settings say so."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.config import load_settings
from tcs_themes.ingest import ingest
from tcs_themes.ingest.personal_columns import CARRIED, DROPPED, KEPT, content_is_personal, decide_column, header_is_personal


@pytest.mark.parametrize(
    "header",
    ["Name", "Full name", "First name", "Surname", "Participant name", "Your name", "Email", "E-mail address",
     "email_address", "Phone", "Telephone", "Tel.", "Mobile no.", "Contact number", "Contact", "Address",
     "Home address", "Postcode", "Post code", "Respondent", "Attendee", "Date of birth", "DOB",
     "National Insurance number", "NI number"],
)
def test_personal_headers(header: str) -> None:
    assert header_is_personal(header)


@pytest.mark.parametrize(
    "header",
    ["Session name", "Event name", "Theme", "Main theme", "Other themes", "Strand", "Date", "Question",
     "Respondent type", "Contact preference", "Organisation name", "Street name", "Ward", "Notes", "Consent to contact"],
)
def test_ordinary_headers(header: str) -> None:
    assert not header_is_personal(header)


def test_content_decides_whatever_the_header() -> None:
    assert content_is_personal(["jo@example.org", "sam@example.net", "", None, "n/a"])
    assert content_is_personal(["07700 900123", "+44 20 7946 0018"])
    assert content_is_personal(["Jo Bloggs", "Priya Shah", "Sam"])
    assert content_is_personal([1632960123, 7700900124])  # phones whose leading 0 the spreadsheet dropped
    assert not content_is_personal(["transport", "housing; health", "Barton", "Resident"])
    assert not content_is_personal([2022, 3, 14])
    assert not content_is_personal([])


def test_decisions_name_their_reason() -> None:
    assert decide_column("Email", ["transport"]).action == DROPPED
    assert decide_column("Column 9", ["jo@example.org"]).reason == "most of its values are personal details"
    header = decide_column("Notes by jo@example.org", ["fine"])
    assert (header.column, header.action) == ("Notes by [EMAIL]", DROPPED)
    assert decide_column("Email", ["jo@example.org"], keep=["e-mail"]).action == KEPT
    assert decide_column("Theme", ["transport"]) == decide_column("Theme", ["transport"], keep=["Ward"])
    assert decide_column("Theme", ["transport"]).action == CARRIED


def _book(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Partners 1"
    sheet.append(["Session", "Date", "Question", "Strand", "Comment", "Name", "Contact preference", "Topic", "Notes 2"])
    sheet.append(["Drop-in", "05/07/2022", "What matters?", "Strand 3", "More buses please, call 07700 900123.",
                  "Jo Bloggs", "email", "transport", "ring Sam on 07700 900456"])
    sheet.append(["Drop-in", "05/07/2022", "What matters?", "Strand 3", "Cleaner parks.", "Priya Shah", "phone",
                  "environment", "fine"])
    path = folder / "notes.xlsx"
    book.save(path)
    return path


def test_ingest_drops_personal_columns_and_says_so(tmp_path: Path) -> None:
    result = ingest([_book(tmp_path)])
    comments = result.comments
    assert "Name" not in comments.columns and "Contact preference" in comments.columns
    assert comments["text"].tolist() == ["More buses please, call [PHONE].", "Cleaner parks."]
    assert comments["Notes 2"].tolist() == ["ring [NAME] on [PHONE]", "fine"]  # a name just before a number
    assert comments["redactions"].tolist() == [3, 0]  # the phone in the text, and the name and phone in Notes 2
    assert comments[["session_name", "question", "strand"]].iloc[0].tolist() == ["Drop-in", "What matters?", "Strand 3"]
    columns = result.columns.set_index("column")["action"].to_dict()
    assert columns == {"Name": DROPPED, "Contact preference": CARRIED, "Topic": CARRIED, "Notes 2": CARRIED}
    logged = result.log[result.log["reason"] == "personal-column"]
    assert logged["detail"].tolist() == [
        "column 'Name' dropped: its header names a personal detail; keep it with 'keep_columns' in the settings"
    ]


def test_keep_columns_setting_keeps_a_column_as_it_is(tmp_path: Path) -> None:
    _book(tmp_path)
    (tmp_path / "tcs-themes.yaml").write_text("keep_columns: [name, Notes 2]\n", encoding="utf-8")
    assert load_settings(tmp_path / "tcs-themes.yaml").keep_columns == ("name", "Notes 2")
    comments = ingest([tmp_path]).comments
    assert comments["Name"].tolist() == ["Jo Bloggs", "Priya Shah"]
    assert comments["Notes 2"].tolist() == ["ring Sam on 07700 900456", "fine"]
    assert comments["redactions"].tolist() == [1, 0]


def test_cli_ingest_lists_the_dropped_columns(tmp_path: Path) -> None:
    _book(tmp_path)
    out = tmp_path / "comments.csv"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "notes.xlsx"), "--out", str(out)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Columns with personal data" in result.output
    table = result.output.split("Columns with personal data", 1)[1]
    assert {"Name", "dropped", "header", "personal"} <= set(re.findall(r"\w+", table))
    assert "3 other columns besides the text were carried through" in result.output
    written = pd.read_csv(out)
    assert "Name" not in written.columns and "Jo Bloggs" not in out.read_text(encoding="utf-8")
