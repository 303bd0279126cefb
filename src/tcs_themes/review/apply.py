"""``tcs-themes review apply``: read an analyst's decisions back, log them, and correct the coded table.

Every data row of the Review sheet ends in exactly one of:

* **applied**: a new decision, appended to the decisions log;
* **unchanged**: no decision given (the row was skipped), or the very same
  decision from the same batch is already in the log (re-applying a workbook
  changes nothing);
* **problem**: a one-line message naming the sheet, the row and what to do
  (unknown theme, comment not in the coded table, edited comment text,
  ``change`` with no themes...). The good rows are applied all the same.

so ``rows == applied + unchanged + problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.coded_table import read_coded
from tcs_themes.coding.stream import write_coded_table
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.labels import ThemeResolver
from tcs_themes.review.log import DECISIONS, LOG_COLUMNS, append_log, apply_decisions, read_log, timestamp_now
from tcs_themes.review.workbook import REVIEW_SHEET, read_review_workbook, text_hash
from tcs_themes.schema import LIST_SEPARATOR, MACHINE_THEMES_COLUMN, UNCODED, split_list

LOG_NAME = "decisions.parquet"
_THEME_SPLIT = re.compile(r"[;\n]+")


def theme_labels(cell: str, resolver: ThemeResolver) -> list[str]:
    """Split a themes cell into theme labels: on ``;`` (and new lines), and on ``,`` unless the
    comma is part of a theme's name (``Children, young and older people``)."""
    labels: list[str] = []
    for part in (p.strip() for p in _THEME_SPLIT.split(cell)):
        if not part:
            continue
        labels.extend([part] if resolver.get(part) else [p.strip() for p in part.split(",") if p.strip()])
    return labels


@dataclass
class ReviewApplied:
    """What :func:`apply_review` did; ``rows == applied + unchanged + len(problems)``.

    Attributes
    ----------
    rows : int
        Data rows in the Review sheet.
    applied : int
        New decisions appended to the log.
    skipped : int
        Rows with no decision (not reviewed).
    already_applied : int
        Rows whose decision from this batch was already in the log.
    problems : list of str
        One line per refused row.
    by_decision : dict of str to int
        Applied decisions by kind (accept, change, reject).
    changed : int
        Applied decisions that changed the comment's themes.
    reviewed_in_table : int
        Comments of the corrected coded table whose codes come from a review (all batches).
    log_rows : int
        Decisions in the log after this one.
    outputs : dict of str to Path
        ``parquet``, ``csv``, ``uncoded`` (the corrected coded table), ``log`` and ``log_csv``.
    batch_id : str
    """

    rows: int = 0
    applied: int = 0
    skipped: int = 0
    already_applied: int = 0
    problems: list[str] = field(default_factory=list)
    by_decision: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    reviewed_in_table: int = 0
    log_rows: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    batch_id: str = ""

    @property
    def unchanged(self) -> int:
        """Rows that changed nothing: skipped or already applied."""
        return self.skipped + self.already_applied


def apply_review(
    review_path: str | Path,
    coded_path: str | Path,
    codebook: Codebook,
    *,
    reviewer: str | None = None,
    out_dir: str | Path | None = None,
    log_path: str | Path | None = None,
) -> ReviewApplied:
    """Apply a filled-in review workbook: log its decisions and write the corrected coded table.

    Parameters
    ----------
    review_path : str or Path
        The workbook from :func:`tcs_themes.review.export.export_review`, filled in.
    coded_path : str or Path
        The coded table the workbook was exported from (or a later coding of the same comments).
    codebook : Codebook
        The codebook in use; it must be the one the workbook was exported with.
    reviewer : str, optional
        The reviewer's name for rows whose ``reviewer`` cell is empty.
    out_dir : str or Path, optional
        Folder for the corrected coded.parquet, coded.csv and uncoded.csv (default: the coded table's folder).
    log_path : str or Path, optional
        The decisions log (default: ``decisions.parquet`` in ``out_dir``); created if missing, else appended to.

    Returns
    -------
    ReviewApplied

    Raises
    ------
    InputFileError
        If the workbook is not a review workbook, was exported with another codebook, or the
        coded table or log cannot be read. Problems with single rows do not raise.
    """
    source = Path(review_path)
    sheet = read_review_workbook(source)
    key = sheet.key
    if key.codebook_fingerprint != codebook.fingerprint():
        raise InputFileError(
            str(source),
            f"exported with codebook '{key.codebook}' ({key.codebook_fingerprint[:12]}), not the one in use "
            f"('{codebook.name}', {codebook.fingerprint()[:12]}); apply it with that codebook (--codebook)",
        )
    coded_file = Path(coded_path)
    coded = read_coded(coded_file)
    out = Path(out_dir) if out_dir is not None else coded_file.parent
    log_file = Path(log_path) if log_path is not None else out / LOG_NAME
    log = read_log(log_file)
    in_force = apply_decisions(coded, log).coded.drop_duplicates("comment_id").set_index("comment_id")
    done = set(zip(log["batch_id"], log["comment_id"], log["decision"], log["themes_after"], strict=True))
    exported = key.rows.drop_duplicates("comment_id").set_index("comment_id")
    resolver = ThemeResolver(codebook)
    result = ReviewApplied(rows=len(sheet.rows), batch_id=key.batch_id)
    stamp = timestamp_now()
    new_rows: list[dict[str, str]] = []
    for record in sheet.rows.itertuples(index=False):
        where = f"sheet {REVIEW_SHEET}, row {record.sheet_row}"

        def problem(message: str, where: str = where) -> None:
            result.problems.append(f"{source.name} ({where}): {message}")

        decision, themes_cell = record.decision.lower(), record.themes
        if record.unsaved_formulas:
            several = "," in record.unsaved_formulas
            problem(
                f"the {record.unsaved_formulas} cell{'s hold formulas' if several else ' holds a formula'} with no saved "
                "value; type the value itself (or open the workbook in Excel and save it) and apply it again"
            )
            continue
        if not decision and not themes_cell:
            result.skipped += 1
            continue
        comment_id = record.comment_id
        if comment_id not in exported.index:
            problem(f"comment id '{comment_id}' is not one this workbook was exported with; do not edit the comment_id column")
            continue
        expected = exported.loc[comment_id]
        if text_hash(record.comment) != expected["text_hash"]:
            problem("the comment text was edited; undo the edit (or export a new review workbook) and apply it again")
            continue
        if comment_id not in in_force.index:
            problem(f"comment id '{comment_id}' is not in {coded_file.name}; apply the workbook to the coded table it was exported from")
            continue
        current = in_force.loc[comment_id]
        if text_hash(current["text"]) != expected["text_hash"]:
            problem(f"the comment's text in {coded_file.name} differs from the exported one; export a new review workbook from it")
            continue
        if decision not in DECISIONS:
            hint = "set the decision to change" if not decision else f"'{record.decision}' is not a decision"
            problem(f"{hint}: choose accept, change or reject")
            continue
        labels = theme_labels(themes_cell, resolver)
        resolved = [resolver.get(label) for label in labels]
        unknown = [label for label, theme in zip(labels, resolved, strict=True) if theme is None]
        if unknown:
            problem(f"unknown theme '{unknown[0]}' in the themes cell; use the ids (or names) on the Themes sheet")
            continue
        if decision == "change" and not labels:
            problem("decision is change but the themes cell is empty; type the right themes, or choose accept or reject")
            continue
        if decision != "change" and labels:
            problem(f"decision is {decision} but themes are given; choose change to give themes, or clear the themes cell")
            continue
        name = record.reviewer or (reviewer or "").strip()
        if not name:
            problem("no reviewer: fill the reviewer cell, or give --reviewer NAME")
            continue
        if decision == "accept":
            after = split_list(expected["proposed"])
        elif decision == "change":
            after = list(dict.fromkeys(theme for theme in resolved if theme))
        else:
            after = []
        themes_after = LIST_SEPARATOR.join(t for t in after if t != UNCODED) or UNCODED
        if (key.batch_id, comment_id, decision, themes_after) in done:
            result.already_applied += 1
            continue
        done.add((key.batch_id, comment_id, decision, themes_after))
        themes_before = str(current["themes"])
        new_rows.append(
            {
                "batch_id": key.batch_id,
                "comment_id": comment_id,
                "decision": decision,
                "themes_before": themes_before,
                "themes_after": themes_after,
                "machine_themes": str(current[MACHINE_THEMES_COLUMN]),
                "reviewer": name,
                "note": record.note,
                "timestamp": stamp,
                "model_fingerprint": key.model_fingerprint,
                "codebook_fingerprint": key.codebook_fingerprint,
                "scores": str(expected["scores"]),
                "review_file": f"{source.name} ({where})",
                "text": _plain(current.get("text")),
                "question": _plain(current.get("question")),
                "session_id": _plain(current.get("session_id")),
            }
        )
        result.applied += 1
        result.by_decision[decision] = result.by_decision.get(decision, 0) + 1
        result.changed += int(set(split_list(themes_before)) != set(split_list(themes_after)))
    full_log = append_log(log_file, pd.DataFrame(new_rows, columns=list(LOG_COLUMNS)))
    corrected = apply_decisions(coded, full_log)
    written = write_coded_table(corrected.coded, out)
    result.reviewed_in_table = corrected.applied
    result.log_rows = len(full_log)
    result.outputs = {**written.outputs, "log": log_file, "log_csv": log_file.with_suffix(".csv")}
    return result


def _plain(value: object) -> str:
    """A cell as text for the log ("" when missing)."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
