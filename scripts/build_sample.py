"""Build the sample consultation's session notes from the authoring files.

The sample consultation is invented for tcs-themes. Its comments are written
in ``scripts/sample_source/sessions/<session id>.yaml`` (text, question and the
analyst's codes); this script lays them out the way different note-takers kept
them, so that ingestion meets realistic variety:

* ``data/raw/notes/whole_system_sessions.xlsx``: one workbook, one sheet per
  session (strand 2, S04-S16), the sheet named by the note-taker's shorthand,
  blank rows between questions, dates as Excel dates.
* ``data/raw/notes/<session name>.xlsx``: one workbook per strand 1 session,
  named after the session; the first has a merged title row above the header.
* ``data/raw/notes/session_notes_export.csv``: a Windows-1252 CSV export with a
  session column (S17-S27), dates as dd/mm/yyyy.

The analyst coded whole sessions first: codes are written only for the
sessions in ``CODED_SESSIONS``; the other sessions' codes stay in the authoring
files as a held-out check and never reach the spreadsheets.

Run ``python scripts/build_sample.py`` from the repository root; it is
deterministic (same authoring files, same spreadsheets, byte for byte apart
from the xlsx zip timestamps, which are fixed too).
"""

from __future__ import annotations

import datetime as dt
import argparse
import csv
import io
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tcs_themes.outputs.reproducible import save_office_file

#: The time written into the sample workbooks (zip members and properties), so rebuilding gives the same bytes.
SAMPLE_TIME = dt.datetime(2022, 9, 30, 12, 0, 0)

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = {
    "missed": "What have we missed?",
    "work_with_us": "How can you work with us to achieve the aims?",
    "success": "What does success look like and how do we measure it?",
}
STRAND1_WORKBOOKS = ("S01", "S02", "S03")
SHEET_PER_SESSION = tuple(f"S{n:02d}" for n in range(4, 17))
CSV_EXPORT = tuple(f"S{n:02d}" for n in range(17, 28))
CODED_SESSIONS = frozenset(STRAND1_WORKBOOKS + SHEET_PER_SESSION + ("S23", "S24", "S25"))


def load_sessions(source: Path) -> dict[str, list[dict]]:
    """Read every authoring file: session id -> list of comments (text, q, theme, also)."""
    sessions = {}
    for path in sorted((source / "sessions").glob("S*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sessions[data["session"]] = data["comments"]
    return sessions


def load_register() -> dict[str, dict]:
    """Read data/raw/sessions.yaml: session id -> its entry."""
    data = yaml.safe_load((ROOT / "data/raw/sessions.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["sessions"]}


def codes(session_id: str, comment: dict) -> tuple[str, str]:
    """Return (main theme, further themes) as written in the notes: blank when not coded."""
    if session_id not in CODED_SESSIONS:
        return "", ""
    return comment["theme"], "; ".join(comment.get("also") or [])


def question_of(comment: dict) -> str:
    """Return the question's wording, or "" for open discussion."""
    return QUESTIONS.get(comment.get("q") or "open", "")


def _fixed_workbook() -> Workbook:
    workbook = Workbook()
    workbook.properties.creator = "Consultation note-taker"
    return workbook


def build_sheet_per_session(sessions: dict, register: dict, out: Path) -> Path:
    """Write the strand 2 workbook with one sheet per session."""
    workbook = _fixed_workbook()
    workbook.remove(workbook.active)
    for session_id in SHEET_PER_SESSION:
        entry = register[session_id]
        sheet = workbook.create_sheet(entry["aliases"][0])
        sheet.append(["Date", "Question", "Comment", "Theme", "Other themes"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        previous_question = None
        for comment in sessions[session_id]:
            question = question_of(comment)
            if previous_question is not None and question != previous_question:
                sheet.append([])
            previous_question = question
            sheet.append([entry["date"], question or None, comment["text"], *codes(session_id, comment)])
            sheet.cell(sheet.max_row, 1).number_format = "dd/mm/yyyy"
            sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["B"].width = 30
        sheet.column_dimensions["C"].width = 80
        sheet.freeze_panes = "A2"
    path = out / "whole_system_sessions.xlsx"
    save_office_file(workbook.save, path, SAMPLE_TIME)
    return path


def build_single_session(session_id: str, comments: list, entry: dict, out: Path, title_row: bool) -> Path:
    """Write one strand 1 session's workbook, named after the session."""
    workbook = _fixed_workbook()
    sheet = workbook.active
    sheet.title = "Notes"
    if title_row:
        sheet.append([f"City Conversation - {entry['name']} - {entry['date']:%d %B %Y}"])
        sheet.merge_cells("A1:D1")
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
    sheet.append(["What was said", "Discussion question", "Main theme", "Secondary themes"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for comment in comments:
        sheet.append([comment["text"], question_of(comment) or None, *codes(session_id, comment)])
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 80
    name = entry["name"].replace("'", "")
    path = out / f"{name}.xlsx"
    save_office_file(workbook.save, path, SAMPLE_TIME)
    return path


def build_csv_export(sessions: dict, register: dict, out: Path) -> Path:
    """Write the Windows-1252 CSV export holding strand 2 (S17-S22) and strand 3 sessions."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Session", "Session date", "Prompt", "Feedback", "Theme", "Other themes"])
    for session_id in CSV_EXPORT:
        entry = register[session_id]
        for comment in sessions[session_id]:
            writer.writerow(
                [entry["name"], f"{entry['date']:%d/%m/%Y}", question_of(comment), comment["text"],
                 *codes(session_id, comment)]
            )
    path = out / "session_notes_export.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def main() -> None:
    """Build every notes file of the sample consultation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "scripts/sample_source")
    parser.add_argument("--out", type=Path, default=ROOT / "data/raw/notes")
    args = parser.parse_args()
    sessions = load_sessions(args.source)
    register = load_register()
    missing = sorted(set(register) - set(sessions))
    if missing:
        raise SystemExit(f"no authoring file for sessions: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    written = [build_sheet_per_session(sessions, register, args.out)]
    for index, session_id in enumerate(STRAND1_WORKBOOKS):
        written.append(
            build_single_session(session_id, sessions[session_id], register[session_id], args.out, index == 0)
        )
    written.append(build_csv_export(sessions, register, args.out))
    total = sum(len(c) for c in sessions.values())
    coded = sum(len(c) for s, c in sessions.items() if s in CODED_SESSIONS)
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"{total} comments in {len(sessions)} sessions; {coded} coded by the analyst")


if __name__ == "__main__":
    main()
