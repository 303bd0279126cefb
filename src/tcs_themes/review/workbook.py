"""The review workbook: the queue of comments an analyst checks in Excel, and reading it back.

Sheets:

* **Review**: one row per queued comment, most worth reviewing first: the
  comment and its context (session, strand, question), the proposed themes with
  their scores, the themes that nearly made it, the evidence, and who coded it;
  then the cells the analyst fills in: ``decision`` (accept / change / reject,
  a drop-down), ``themes`` (a drop-down of theme ids; type several separated by
  ``;`` or ``,``), ``note`` and ``reviewer``. Only those four columns can be
  edited: the sheet is protected (without a password: it guards against slips,
  not against a determined editor, which the key below catches).
* **Themes**: the codebook's theme ids and names (the drop-down's list).
* **How to review**: the instructions.
* **Key** (very hidden, protected): the workbook's format, review-batch id, the
  model and codebook fingerprints, and per comment its id, a hash of its text
  and the proposed themes, so that applying it can tell an edited comment text
  or a file that is not a review workbook.

No cell holds a formula; text that starts like one is neutralised
(:func:`tcs_themes.outputs.excel.safe_text`).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from tcs_themes import __version__
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.coded_table import with_code_sources
from tcs_themes.errors import InputFileError
from tcs_themes.formulas import restore
from tcs_themes.ingest.workbooks import check_workbook
from tcs_themes.outputs.excel import add_table, safe_text
from tcs_themes.outputs.reproducible import generation_date, save_office_file
from tcs_themes.review.log import DECISIONS
from tcs_themes.run_manifest import file_digest
from tcs_themes.schema import CODE_SOURCE_COLUMN, LIST_SEPARATOR, UNCODED, score_column, split_list

REVIEW_FORMAT = "tcs-themes-review/1"
REVIEW_SHEET, THEMES_SHEET, HELP_SHEET, KEY_SHEET = "Review", "Themes", "How to review", "Key"
#: The cells an analyst fills in, in order.
EDITABLE = ("decision", "themes", "note", "reviewer")
#: The Review sheet's columns, in order.
REVIEW_COLUMNS = (
    "#",
    "comment_id",
    "session",
    "strand",
    "question",
    "comment",
    "proposed themes",
    "scores",
    "nearly given",
    "evidence",
    "coded by",
    *EDITABLE,
)
_KEY_FIELDS = ("format", "batch_id", "model_fingerprint", "codebook_fingerprint", "codebook", "strategy", "coded_file", "toolkit")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
#: The most rows a Review sheet may have (the largest ``review export --n``).
MAX_REVIEW_ROWS = 5000
#: How many not-given themes per comment to show as "nearly given" (those within reach of their threshold).
NEARLY_GIVEN = 2


def text_hash(text: object) -> str:
    """Return a short SHA-256 of a comment's text as the workbook holds it (to detect edits)."""
    value = "" if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA else str(text)
    return hashlib.sha256(safe_text(value).encode("utf-8")).hexdigest()[:16]


def file_fingerprint(path: str | Path) -> str:
    """Return a short SHA-256 of a file's bytes (the model fingerprint)."""
    return file_digest(path)["sha256"][:16]


@dataclass
class ReviewKey:
    """What a review workbook was made from (its Key sheet).

    Attributes
    ----------
    batch_id, model_fingerprint, codebook_fingerprint, codebook, strategy, coded_file : str
    rows : pandas.DataFrame
        Per queued comment: ``comment_id``, ``text_hash``, ``proposed`` (its themes when exported)
        and ``scores`` (the model's scores as JSON).
    """

    batch_id: str
    model_fingerprint: str
    codebook_fingerprint: str
    codebook: str
    strategy: str
    coded_file: str
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)


def batch_id_for(comment_ids: list[str], strategy: str, model_fingerprint: str, codebook_fingerprint: str) -> str:
    """Return the review-batch id: a hash of what was queued and how (the same export gives the same id)."""
    content = json.dumps([comment_ids, strategy, model_fingerprint, codebook_fingerprint])
    return "rb-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]


def _scores_json(row: pd.Series, theme_ids: list[str]) -> str:
    return json.dumps({t: round(float(row[score_column(t)]), 4) for t in theme_ids}, separators=(",", ":"))


def review_rows(queued: pd.DataFrame, codebook: Codebook, thresholds: np.ndarray) -> pd.DataFrame:
    """Return the Review sheet's rows (without the editable cells) for the queued coded rows, in order."""
    ids = list(codebook.ids)
    scores = queued[[score_column(t) for t in ids]].to_numpy(dtype=np.float64, na_value=0.0)
    proposed = [split_list(v) for v in queued["themes"]]
    near = []
    for row, given in zip(scores, proposed, strict=True):
        ratio = row / np.clip(thresholds, 1e-6, None)
        order = [i for i in np.argsort(-ratio, kind="stable") if ids[i] not in given and ratio[i] >= 0.5]
        near.append(LIST_SEPARATOR.join(f"{ids[i]} {row[i]:.3f} (needs {thresholds[i]:.3f})" for i in order[:NEARLY_GIVEN]))
    position = {t: i for i, t in enumerate(ids)}
    shown = [
        LIST_SEPARATOR.join(f"{t} {row[position[t]]:.2f}" for t in given if t in position)
        for row, given in zip(scores, proposed, strict=True)
    ]

    def column(name: str) -> list[object]:
        return queued[name].tolist() if name in queued.columns else [None] * len(queued)

    session = [i if pd.isna(s) else s for s, i in zip(column("session_name"), column("session_id"), strict=True)]
    return pd.DataFrame(
        {
            "#": np.arange(1, len(queued) + 1),
            "comment_id": column("comment_id"),
            "session": session,
            "strand": column("strand"),
            "question": column("question"),
            "comment": column("text"),
            "proposed themes": [LIST_SEPARATOR.join(p) or UNCODED for p in proposed],
            "scores": shown,
            "nearly given": near,
            "evidence": column("evidence"),
            "coded by": column(CODE_SOURCE_COLUMN),
            **{name: [None] * len(queued) for name in EDITABLE},
        },
        columns=list(REVIEW_COLUMNS),
    )


def write_review_workbook(
    path: str | Path,
    queued: pd.DataFrame,
    codebook: Codebook,
    thresholds: np.ndarray,
    *,
    model_fingerprint: str,
    strategy: str,
    coded_file: str,
) -> ReviewKey:
    """Write the review workbook for the queued coded rows (in queue order); return its key.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file (written to a temporary name, then renamed into place).
    queued : pandas.DataFrame
        The coded rows to review, most worth reviewing first.
    codebook : Codebook
    thresholds : ndarray
        The model's threshold per theme (codebook order).
    model_fingerprint, strategy, coded_file : str
        Recorded in the Key sheet.

    Raises
    ------
    InputFileError
        If ``path`` does not end in ``.xlsx`` or cannot be written.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputFileError(str(target), "the review workbook must end in .xlsx")
    queued = with_code_sources(queued).reset_index(drop=True)
    ids = [str(c) for c in queued["comment_id"]]
    key = ReviewKey(
        batch_id=batch_id_for(ids, strategy, model_fingerprint, codebook.fingerprint()),
        model_fingerprint=model_fingerprint,
        codebook_fingerprint=codebook.fingerprint(),
        codebook=codebook.name,
        strategy=strategy,
        coded_file=coded_file,
        rows=pd.DataFrame(
            {
                "comment_id": ids,
                "text_hash": [text_hash(t) for t in queued["text"]],
                "proposed": [LIST_SEPARATOR.join(split_list(v)) or UNCODED for v in queued["themes"]],
                "scores": [_scores_json(row, list(codebook.ids)) for _, row in queued.iterrows()],
            }
        ),
    )
    book = Workbook()
    _review_sheet(book, review_rows(queued, codebook, thresholds), len(codebook.ids))
    _themes_sheet(book, codebook)
    _help_sheet(book, key)
    _key_sheet(book, key)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.title = safe_text(f"Review: {codebook.name} ({key.batch_id})")
    book.properties.creator = f"tcs-themes {__version__}"
    save_office_file(book.save, target, generation_date())
    return key


def _review_sheet(book: Workbook, rows: pd.DataFrame, n_themes: int) -> None:
    sheet = book.active
    sheet.title = REVIEW_SHEET
    first, last = add_table(
        sheet, rows, "Review", formats={"#": "0"}, wrap=("comment", "evidence")
    )
    columns = {name: i + 1 for i, name in enumerate(REVIEW_COLUMNS)}
    for name in ("proposed themes", "scores", "nearly given"):
        sheet.column_dimensions[get_column_letter(columns[name])].width = 30
    for name, width in (("decision", 12), ("themes", 34), ("note", 30), ("reviewer", 14)):
        sheet.column_dimensions[get_column_letter(columns[name])].width = width
    editable = [columns[name] for name in EDITABLE]
    for column in editable:
        sheet.cell(row=1, column=column).fill = _EDIT_FILL
        for row in range(first, first + len(rows)):
            cell = sheet.cell(row=row, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = _EDIT_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(rows):
        decision = DataValidation(type="list", formula1="\"" + ",".join(DECISIONS) + "\"", allow_blank=True, showErrorMessage=True)
        decision.error = "Choose accept, change or reject."
        decision.errorTitle = "Decision"
        decision.prompt = "accept: the proposed themes are right. change: type the right themes. reject: no theme fits."
        decision.promptTitle = "Decision"
        themes = DataValidation(
            type="list", formula1=f"={THEMES_SHEET}!$A$2:$A${n_themes + 1}", allow_blank=True, showErrorMessage=False
        )
        themes.prompt = "Pick a theme id, or type several separated by ; or , (ids or names from the Themes sheet)."
        themes.promptTitle = "Themes"
        for validation, name in ((decision, "decision"), (themes, "themes")):
            letter = get_column_letter(columns[name])
            validation.showInputMessage = True
            validation.add(f"{letter}{first}:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _themes_sheet(book: Workbook, codebook: Codebook) -> None:
    sheet = book.create_sheet(THEMES_SHEET)
    frame = pd.DataFrame(
        {"theme id": [t.id for t in codebook.themes], "name": [t.name for t in codebook.themes],
         "description": [t.description or "" for t in codebook.themes]}
    )  # fmt: skip
    add_table(sheet, frame, "Themes", wrap=("description",))
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False


def _help_sheet(book: Workbook, key: ReviewKey) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    lines = [
        "How to review these comments",
        "",
        "Work down the Review sheet: the comments most worth a look come first. For each comment, in the yellow cells:",
        "decision: accept (the proposed themes are right), change (type the right themes in the themes cell) or "
        "reject (no theme of the codebook fits; the comment becomes uncoded).",
        "themes: with change, the right themes: pick one from the drop-down, or type several theme ids (or names) "
        "separated by ; or , (see the Themes sheet). Leave it empty for accept and reject.",
        "note: anything worth recording (optional). reviewer: your name or initials (or give --reviewer when applying).",
        "Leave a row's decision empty to skip it. Do not edit the other cells: rows whose comment text changed are refused.",
        "",
        "Then apply it: tcs-themes review apply THIS-FILE.xlsx --coded CODED.parquet --reviewer NAME",
        "",
        f"Review batch {key.batch_id}, strategy {key.strategy}, from {key.coded_file}; codebook '{key.codebook}'.",
    ]
    for row, line in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=safe_text(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    sheet.protection.sheet = True


def _key_sheet(book: Workbook, key: ReviewKey) -> None:
    sheet = book.create_sheet(KEY_SHEET)
    values = {
        "format": REVIEW_FORMAT,
        "batch_id": key.batch_id,
        "model_fingerprint": key.model_fingerprint,
        "codebook_fingerprint": key.codebook_fingerprint,
        "codebook": key.codebook,
        "strategy": key.strategy,
        "coded_file": key.coded_file,
        "toolkit": f"tcs-themes {__version__}",
    }
    for row, name in enumerate(_KEY_FIELDS, start=1):
        sheet.cell(row=row, column=1, value=name)
        sheet.cell(row=row, column=2, value=safe_text(str(values[name])))
    top = len(_KEY_FIELDS) + 2
    for offset, name in enumerate(key.rows.columns):
        sheet.cell(row=top, column=1 + offset, value=name)
    for r, record in enumerate(key.rows.itertuples(index=False), start=top + 1):
        for c, value in enumerate(record, start=1):
            sheet.cell(row=r, column=c, value=safe_text(str(value)))
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


@dataclass
class ReviewSheet:
    """A review workbook read back: its key and the Review sheet's rows.

    Attributes
    ----------
    key : ReviewKey
    rows : pandas.DataFrame
        One row per data row of the Review sheet: ``sheet_row`` (as Excel numbers it),
        ``comment_id``, ``comment`` and the editable cells, as text ("" when empty), and
        ``unsaved_formulas``: the decision, themes or reviewer cells holding a formula with no
        saved value (comma-separated names, "" for none), which are refused, not read as empty
        (a note holding one is read as the formula's text).
    """

    key: ReviewKey
    rows: pd.DataFrame


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_review_workbook(path: str | Path) -> ReviewSheet:
    """Read a review workbook written by :func:`write_review_workbook`.

    Raises
    ------
    InputFileError
        If the file is missing, not a workbook, or not a review workbook (no Key
        sheet of the right format, or no Review sheet with its columns).
    """
    source = Path(path)
    if not source.is_file():
        raise InputFileError(str(source), "file not found; check the path")
    refuse = "not a review workbook from 'tcs-themes review export'; export one and fill that in"
    if zipfile.is_zipfile(source):
        check_workbook(source, str(source))  # a zip bomb or too many sheets is refused before openpyxl unpacks it
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for files that are not workbooks
        raise InputFileError(str(source), refuse) from None
    try:
        if KEY_SHEET not in book.sheetnames or REVIEW_SHEET not in book.sheetnames:
            raise InputFileError(str(source), refuse)
        key_cells = [[_text(v) for v in row] for row in book[KEY_SHEET].iter_rows(values_only=True)]
        fields = {row[0]: row[1] for row in key_cells[: len(_KEY_FIELDS)] if len(row) >= 2}
        if fields.get("format") != REVIEW_FORMAT:
            raise InputFileError(str(source), refuse)
        header = key_cells[len(_KEY_FIELDS) + 1][:4] if len(key_cells) > len(_KEY_FIELDS) + 1 else []
        if header != ["comment_id", "text_hash", "proposed", "scores"]:
            raise InputFileError(str(source), f"{refuse} (its Key sheet is damaged)")
        key_rows = pd.DataFrame([row[:4] for row in key_cells[len(_KEY_FIELDS) + 2 :] if row and row[0]], columns=header)
        grid = []
        for values in book[REVIEW_SHEET].iter_rows(values_only=True):
            grid.append(values)
            if len(grid) > MAX_REVIEW_ROWS + 1:
                raise InputFileError(
                    str(source), f"the Review sheet has more than {MAX_REVIEW_ROWS:,} rows; {refuse}", "sheet Review"
                )
    finally:
        book.close()
    headers = [_text(v) for v in grid[0]] if grid else []
    missing = [name for name in ("comment_id", "comment", *EDITABLE) if name not in headers]
    if missing:
        raise InputFileError(str(source), f"the Review sheet has no {', '.join(missing)} column; {refuse}", "sheet Review")
    where = {name: headers.index(name) for name in ("comment_id", "comment", *EDITABLE)}
    formulas = _unsaved_formulas(source, grid, [where[name] for name in EDITABLE])
    records = []
    for number, values in enumerate(grid[1:], start=2):
        cells = list(values) + [None] * (len(headers) - len(values))
        if all(v is None for v in cells) and number not in formulas:
            continue
        record = {"sheet_row": number, **{name: _raw(cells[i], name) for name, i in where.items()}}
        unsaved = formulas.get(number, {})
        if "note" in unsaved:  # a note is kept as written; a decision, theme or reviewer must be a value
            record["note"] = unsaved.pop("note")
        records.append({**record, "unsaved_formulas": ", ".join(unsaved)})
    rows = pd.DataFrame(records, columns=["sheet_row", "comment_id", "comment", *EDITABLE, "unsaved_formulas"])
    key = ReviewKey(
        batch_id=fields.get("batch_id", ""),
        model_fingerprint=fields.get("model_fingerprint", ""),
        codebook_fingerprint=fields.get("codebook_fingerprint", ""),
        codebook=fields.get("codebook", ""),
        strategy=fields.get("strategy", ""),
        coded_file=fields.get("coded_file", ""),
        rows=key_rows,
    )
    return ReviewSheet(key=key, rows=rows)


def _unsaved_formulas(source: Path, grid: list[tuple[object, ...]], columns: list[int]) -> dict[int, dict[str, str]]:
    """The editable cells of the Review sheet that hold a formula with no saved value: by sheet row, column name -> formula.

    openpyxl reads such a cell (typed in another program that saves no values, or
    never recalculated) as empty, so a decision written as a formula would be lost
    without a word; the sheet is read a second time, formulas as written, only
    when some editable cell is empty.
    """
    if all(len(row) > i and row[i] is not None for row in grid[1:] for i in columns):
        return {}
    book = load_workbook(source, read_only=True, data_only=False)
    found: dict[int, dict[str, str]] = {}
    try:
        for number, values in enumerate(book[REVIEW_SHEET].iter_rows(min_row=2, max_row=len(grid), values_only=True), start=2):
            saved = grid[number - 1]
            for name, i in zip(EDITABLE, columns, strict=True):
                written = values[i] if i < len(values) else None
                if isinstance(written, str) and written.startswith("=") and (i >= len(saved) or saved[i] is None):
                    found.setdefault(number, {})[name] = written
    finally:
        book.close()
    return found


def _raw(value: object, name: str) -> object:
    """The comment cell as written (the formula guard undone, to hash it); the other cells as trimmed text."""
    if name == "comment":
        return restore(value) if isinstance(value, str) else value
    return _text(value)
