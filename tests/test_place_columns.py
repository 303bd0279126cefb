"""A column whose header says it holds places ("Ward", "Area", "Location", "Venue") is carried through, its cells
redacted, even when its values are given names too (Barton, Clifton, Preston are in Faker's US list); the ingest
log says so. Personal values other than a given name alone still drop it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from tcs_themes.ingest import ingest
from tcs_themes.ingest.ledger import PLACE_COLUMN
from tcs_themes.ingest.personal_columns import CARRIED, DROPPED, PLACE_REASON, decide_column

PLACES = ["Barton", "Easton", "Clifton", "Preston", "Headington", "Barton", "Clifton", "Preston"]


@pytest.mark.parametrize("header", ["Ward", "Area", "Neighbourhood", "Location", "Venue", "Ward name"])
def test_a_place_column_of_given_names_is_carried_with_a_reason(header: str) -> None:
    decision = decide_column(header, PLACES)
    assert (decision.action, decision.reason) == (CARRIED, PLACE_REASON)
    assert decide_column(header, ["Florence Park", "Rose Hill"]).reason == ""  # nothing to explain


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("Column F", PLACES),  # no header saying places: given names alone make it personal, as before
        ("Ward contact", ["Sam", "Priya", "Jo"]),  # a personal word beside the place word
        ("Location", ["jo bloggs", "priya shah", "kwame mensah"]),  # full names still count
        ("Venue", ["jo@example.org", "07700 900123", "priya@example.org"]),
    ],
)
def test_personal_values_still_drop_a_column(header: str, values: list[str]) -> None:
    assert decide_column(header, values).action == DROPPED


def test_a_ward_column_in_a_real_workbook_is_carried_and_logged(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Drop-in"
    sheet.append(["Comment", "Ward", "Name"])
    rows = [
        ("More buses to Headington please.", "Barton", "Priya Shah"),
        ("The library should open later.", "Easton", "Jo Bloggs"),
        ("Fix the lights by the pond. Ring 07700 900418.", "Clifton", "Kwame Mensah"),
        ("The play area floods.", "Preston", "Tendai Moyo"),
    ]
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "drop-in.xlsx"
    book.save(path)

    result = ingest([path])

    assert list(result.comments["Ward"]) == ["Barton", "Easton", "Clifton", "Preston"]
    assert "Name" not in result.comments.columns
    actions = dict(zip(result.columns["column"], result.columns["action"], strict=True))
    assert actions == {"Ward": CARRIED, "Name": DROPPED}
    place_lines = result.log[result.log["reason"] == PLACE_COLUMN]
    assert len(place_lines) == 1 and "'Ward' carried through" in place_lines["detail"].iloc[0]
    written = result.comments.astype(str).to_csv() + result.log.astype(str).to_csv()
    assert not any(detail in written for detail in ("Priya", "Bloggs", "Kwame", "Tendai", "900418"))
