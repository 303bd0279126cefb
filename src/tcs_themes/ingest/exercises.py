"""Read and validate the 4Ps community-event exercise workbook.

At community events people put stickers against which of the strategy's 4Ps
(People, Pride, Place, Progress) matters most to them, and against statements
under each P, sometimes writing why. The workbook has two sheets:

* ``Choices``: ``Event | People | Pride | Place | Progress``, sticker counts, one
  row per event (the event is a session name in the register);
* ``Statements``: ``Event | P | Statement | Stickers | Reasons``; ``Reasons`` holds
  one written reason per line of a multi-line cell and may be empty.

Headers are matched ignoring case and surrounding spaces. Every problem is
raised as :class:`~tcs_themes.errors.ExerciseFileError` naming the file, sheet
and row; messages never quote the written reasons.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tcs_themes.errors import ExerciseFileError, InputFileError
from tcs_themes.ingest.redaction import redact, redact_label
from tcs_themes.ingest.workbooks import check_workbook

FOUR_PS: tuple[str, ...] = ("People", "Pride", "Place", "Progress")
CHOICES_SHEET = "Choices"
STATEMENTS_SHEET = "Statements"
STATEMENT_HEADERS: tuple[str, ...] = ("Event", "P", "Statement", "Stickers", "Reasons")


@dataclass(frozen=True)
class Exercises:
    """The 4Ps exercise results.

    Attributes
    ----------
    choices : DataFrame
        ``event, p, stickers``: one row per event and P, events in workbook order, Ps in
        ``FOUR_PS`` order.
    statements : DataFrame
        ``event, p, statement, stickers, reasons``: ``reasons`` is a list of strings.
    source : str
        The workbook's path.
    """

    choices: pd.DataFrame
    statements: pd.DataFrame
    source: str

    @property
    def events(self) -> list[str]:
        """The events, in workbook order."""
        return list(dict.fromkeys([*self.choices["event"], *self.statements["event"]]))

    def choice_totals(self) -> pd.DataFrame:
        """Stickers per P over all events: ``p, stickers, share``, in ``FOUR_PS`` order."""
        totals = self.choices.groupby("p", sort=False)["stickers"].sum().reindex(list(FOUR_PS), fill_value=0)
        table = totals.rename_axis("p").reset_index()
        whole = table["stickers"].sum()
        table["share"] = table["stickers"] / whole if whole else 0.0
        return table

    def statement_totals(self) -> pd.DataFrame:
        """Stickers and reasons per statement over all events: ``p, statement, stickers, reasons``.

        Ordered by P (``FOUR_PS`` order) then by stickers, most first.
        """
        grouped = self.statements.groupby(["p", "statement"], sort=False)
        table = grouped.agg(stickers=("stickers", "sum"), reasons=("reasons", "sum")).reset_index()
        table["_p"] = table["p"].map(FOUR_PS.index)
        table = table.sort_values(["_p", "stickers", "statement"], ascending=[True, False, True])
        return table.drop(columns="_p").reset_index(drop=True)


def _sheet_rows(path: Path, book, name: str, headers: tuple[str, ...]) -> list[tuple[int, dict[str, object]]]:
    sheets = {sheet.strip().lower(): sheet for sheet in book.sheetnames}
    if name.lower() not in sheets:
        raise ExerciseFileError(str(path), f"no sheet named '{name}'; the workbook needs sheets Choices and Statements")
    sheet = book[sheets[name.lower()]]
    sheet.reset_dimensions()  # rows end at their last cell, not at a declared XFD1048576
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    found = {str(cell).strip().lower(): i for i, cell in enumerate(header) if cell is not None}
    missing = [h for h in headers if h.lower() not in found]
    if missing:
        raise ExerciseFileError(
            str(path), f"missing column(s) {', '.join(missing)}; expected {' | '.join(headers)}", f"sheet {name}, row 1"
        )
    out = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        record = {h: (values[found[h.lower()]] if found[h.lower()] < len(values) else None) for h in headers}
        out.append((number, record))
    return out


def _count(path: Path, value: object, where: str, column: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or number < 0:
        raise ExerciseFileError(str(path), f"{column} must be a whole number of stickers (0 or more)", where)
    return number


def _text(path: Path, value: object, where: str, column: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise ExerciseFileError(str(path), f"{column} is empty; fill it in or delete the row", where)
    return text


def _p(path: Path, value: object, where: str) -> str:
    text = _text(path, value, where, "P")
    for p in FOUR_PS:
        if text.lower() == p.lower():
            return p
    raise ExerciseFileError(str(path), f"P must be one of {', '.join(FOUR_PS)}", where)


def _reasons(value: object) -> list[str]:
    """The written reasons, one per line, redacted like comment text."""
    if value is None:
        return []
    return [redact(line.strip(" \t-•"))[0] for line in str(value).splitlines() if line.strip(" \t-•")]


def load_exercises(path: str | Path, events: list[str] | None = None) -> Exercises:
    """Read and validate the 4Ps exercise workbook.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` workbook with sheets ``Choices`` and ``Statements``.
    events : list of str, optional
        The session names the events must be among (e.g. the register's
        ``sessions["session_name"]``); matched ignoring case, and returned spelled as here.

    Returns
    -------
    Exercises

    Raises
    ------
    ExerciseFileError
        If the file is missing or not a workbook, a sheet or column is missing, a count
        is not a whole number, a P is not one of the 4Ps, an event is empty, unknown or
        listed twice in Choices.
    """
    source = Path(path)
    if not source.is_file():
        raise ExerciseFileError(str(source), "file not found; check the path")
    try:
        if zipfile.is_zipfile(source):
            check_workbook(source, str(source))
    except InputFileError as error:
        raise ExerciseFileError(error.path, error.problem) from None
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ExerciseFileError(str(source), "cannot open it as an Excel workbook; save it as .xlsx") from None
    try:
        known = {e.strip().lower(): e for e in events} if events is not None else None

        def event_name(value: object, where: str) -> str:
            name = str(redact_label(_text(source, value, where, "Event")))  # as the register shows it
            if known is None:
                return name
            if name.lower() not in known:
                raise ExerciseFileError(
                    str(source), f"event '{name}' is not a session in the register; use the session's name", where
                )
            return known[name.lower()]

        choice_rows, seen = [], set()
        for number, record in _sheet_rows(source, book, CHOICES_SHEET, ("Event", *FOUR_PS)):
            where = f"sheet {CHOICES_SHEET}, row {number}"
            event = event_name(record["Event"], where)
            if event in seen:
                raise ExerciseFileError(str(source), f"event '{event}' is listed twice; give one row per event", where)
            seen.add(event)
            for p in FOUR_PS:
                choice_rows.append({"event": event, "p": p, "stickers": _count(source, record[p], where, p)})
        statement_rows = []
        for number, record in _sheet_rows(source, book, STATEMENTS_SHEET, STATEMENT_HEADERS):
            where = f"sheet {STATEMENTS_SHEET}, row {number}"
            statement_rows.append(
                {
                    "event": event_name(record["Event"], where),
                    "p": _p(source, record["P"], where),
                    "statement": str(redact_label(_text(source, record["Statement"], where, "Statement"))),
                    "stickers": _count(source, record["Stickers"], where, "Stickers"),
                    "reasons": _reasons(record["Reasons"]),
                }
            )
    finally:
        book.close()
    choices = pd.DataFrame(choice_rows, columns=["event", "p", "stickers"]).astype({"stickers": "int64"})
    statements = pd.DataFrame(statement_rows, columns=["event", "p", "statement", "stickers", "reasons"])
    return Exercises(choices=choices, statements=statements.astype({"stickers": "int64"}), source=str(source))
