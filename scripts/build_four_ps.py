"""Build the sample 4Ps community-event exercise workbook.

Reads ``scripts/sample_source/four_ps_exercise.yaml`` (invented sticker counts
and written reasons from the strand 3 community events) and writes
``data/raw/four_ps_exercise.xlsx`` with two sheets:

- ``Choices``: ``Event | People | Pride | Place | Progress``, one row per event,
  each cell the number of stickers choosing that P as mattering most;
- ``Statements``: ``Event | P | Statement | Stickers | Reasons``, one row per
  event and statement; ``Reasons`` holds the written reasons one per line
  (empty when nobody wrote one).

Run from the repository root::

    python scripts/build_four_ps.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tcs_themes.outputs.reproducible import save_office_file

#: The time written into the sample workbooks (zip members and properties), so rebuilding gives the same bytes.
SAMPLE_TIME = dt.datetime(2022, 9, 30, 12, 0, 0)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "scripts" / "sample_source" / "four_ps_exercise.yaml"
TARGET = ROOT / "data" / "raw" / "four_ps_exercise.xlsx"
PS = ("People", "Pride", "Place", "Progress")


def load_exercise(path: Path = SOURCE) -> dict:
    """Read and check the exercise data.

    Parameters
    ----------
    path : Path
        The YAML source file.

    Returns
    -------
    dict
        With keys ``events``, ``choices`` and ``statements`` as in the file.

    Raises
    ------
    ValueError
        If an event lacks a count for some P or some statement, or a P is unknown.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    events = data["events"]
    for event in events:
        missing = [p for p in PS if p not in data["choices"].get(event, {})]
        if missing:
            raise ValueError(f"{path}: choices for {event!r} lack {missing}")
    for p, statements in data["statements"].items():
        if p not in PS:
            raise ValueError(f"{path}: unknown P {p!r} under statements")
        for statement, by_event in statements.items():
            absent = [event for event in events if event not in by_event]
            if absent:
                raise ValueError(f"{path}: statement {statement!r} has no counts for {absent}")
    return data


def build_workbook(data: dict) -> Workbook:
    """Lay the exercise data out as the ``Choices`` and ``Statements`` sheets.

    Parameters
    ----------
    data : dict
        As returned by :func:`load_exercise`.

    Returns
    -------
    Workbook
        The workbook, ready to save.
    """
    book = Workbook()
    book.properties.creator = "Community engagement team"
    bold = Font(bold=True)

    choices = book.active
    choices.title = "Choices"
    choices.append(["Event", *PS])
    for event in data["events"]:
        choices.append([event, *(data["choices"][event][p] for p in PS)])
    choices.column_dimensions["A"].width = 38

    statements = book.create_sheet("Statements")
    statements.append(["Event", "P", "Statement", "Stickers", "Reasons"])
    for event in data["events"]:
        for p in PS:
            for statement, by_event in data["statements"][p].items():
                entry = by_event[event]
                reasons = "\n".join(entry.get("reasons") or []) or None
                statements.append([event, p, statement, entry["stickers"], reasons])
    for column, width in zip("ABCDE", (38, 10, 62, 10, 60)):
        statements.column_dimensions[column].width = width
    for row in statements.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    for sheet in (choices, statements):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    return book


def main() -> None:
    """Build the workbook from the YAML source and save it."""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    save_office_file(build_workbook(load_exercise()).save, TARGET, SAMPLE_TIME)
    print(TARGET)


if __name__ == "__main__":
    main()
