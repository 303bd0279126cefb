"""The review loop end to end on the sample's coded table: export a real workbook, fill it in with
openpyxl as an analyst would, apply it, re-apply it, supersede a decision, and re-code with the log."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook
from tcs_themes.coding.model.model_io import load_model
from tcs_themes.errors import UsageError
from tcs_themes.ingest.labels import read_labels
from tcs_themes.review.log import LOG_COLUMNS, apply_decisions, decision_labels, read_log, timestamp_now, with_decisions
from tcs_themes.review.queue import expected_errors, select_for_review
from tcs_themes.review.workbook import EDITABLE, KEY_SHEET, REVIEW_COLUMNS, REVIEW_SHEET
from tcs_themes.schema import score_column, split_list

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CODED = ROOT / "data" / "coded" / "coded.parquet"
runner = CliRunner()
COLUMN = {name: i + 1 for i, name in enumerate(REVIEW_COLUMNS)}
FORMULA = "=HYPERLINK(\"http://x\",\"click\") please fund the parks"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's coded table (one comment made to start like a formula) and a 40-row review workbook of it."""
    folder = tmp_path_factory.mktemp("review")
    coded = pd.read_parquet(SAMPLE_CODED)
    top = select_for_review(coded, load_codebook().ids, _thresholds(), n=1)[0]
    coded.loc[top, "text"] = FORMULA
    coded.to_parquet(folder / "coded.parquet", index=False)
    result = runner.invoke(app, ["review", "export", str(folder / "coded.parquet"), "--out", str(folder / "review.xlsx"), "--n", "40"])
    assert result.exit_code == 0, result.output
    assert "Queued 40 of 366 comments (active): 40 coded by the machine" in result.output  # the 701 analyst-coded ones are not queued
    return folder


@functools.cache
def _thresholds() -> np.ndarray:
    return np.asarray(load_model(None, load_codebook()).model.thresholds_)


def _fill(source: Path, target: Path, edits: dict[tuple[int, str], str]) -> None:
    """Fill cells of the Review sheet by (sheet row, column name), as an analyst in Excel would."""
    book = load_workbook(source)
    sheet = book[REVIEW_SHEET]
    for (row, name), value in edits.items():
        sheet.cell(row=row, column=COLUMN[name], value=value)
    book.save(target)


def _apply(folder: Path, workbook: Path, *extra: str, env: dict[str, str] | None = None):  # noqa: ANN202
    args = ["review", "apply", str(workbook), "--coded", str(folder / "coded.parquet"), "--out", str(folder / "out"), *extra]
    return runner.invoke(app, args, env=env or {"SOURCE_DATE_EPOCH": "1790000000"})


def test_workbook_is_safe_protected_and_keyed(exported: Path) -> None:
    book = load_workbook(exported / "review.xlsx")
    assert book.sheetnames == [REVIEW_SHEET, "Themes", "How to review", KEY_SHEET]
    assert book[KEY_SHEET].sheet_state == "veryHidden" and book[KEY_SHEET].protection.sheet
    assert book.security.lockStructure
    sheet = book[REVIEW_SHEET]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[1]] == list(REVIEW_COLUMNS)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            header = REVIEW_COLUMNS[cell.column - 1]
            assert cell.protection.locked == (header not in EDITABLE), cell.coordinate
    comments = [sheet.cell(row=r, column=COLUMN["comment"]).value for r in range(2, 42)]
    assert "'" + FORMULA in comments
    assert not any(isinstance(c, str) and c.startswith("=") for row in sheet.iter_rows(values_only=True) for c in row)
    ranges = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert ranges["L2:L41"].formula1 == '"accept,change,reject"'
    assert ranges["M2:M41"].formula1 == "=Themes!$A$2:$A$30" and not ranges["M2:M41"].showErrorMessage
    themes = [row[0] for row in book["Themes"].iter_rows(min_row=2, values_only=True)]
    assert themes == list(load_codebook().ids)


def test_active_queue_mixes_uncoded_and_skips_human_codes(exported: Path) -> None:
    coded = pd.read_parquet(exported / "coded.parquet")
    rows = select_for_review(coded, load_codebook().ids, _thresholds(), n=40)
    assert len(set(rows)) == 40
    unsure = ((coded["themes"] == "uncoded") | coded["low_confidence"]).iloc[rows].sum()
    assert 8 <= unsure < 40  # UNCODED_SHARE of the queue (uncoded or low confidence), not all of it
    coded["code_source"] = "machine"
    coded.loc[rows[:5], "code_source"] = "analyst"
    coded["machine_themes"] = coded["themes"]
    again = select_for_review(coded, load_codebook().ids, _thresholds(), n=40)
    assert not set(again) & set(rows[:5])
    coded.loc[rows[0], "themes"] = "clarity"
    assert list(select_for_review(coded, load_codebook().ids, _thresholds(), n=40, strategy="disagree")) == [rows[0]]


def test_active_queue_is_diverse_where_uncertainty_is_not() -> None:
    """Thirty copies of the most uncertain comment: uncertainty order takes them all, active only one or two."""
    coded = pd.read_parquet(SAMPLE_CODED)
    ids = load_codebook().ids
    thresholds = _thresholds()
    top = select_for_review(coded, ids, thresholds, n=1, strategy="uncertain")[0]
    copies = pd.concat([coded.iloc[[top]]] * 30, ignore_index=True).assign(comment_id=[f"dup{i}" for i in range(30)])
    table = pd.concat([copies, coded], ignore_index=True)
    uncertain = select_for_review(table, ids, thresholds, n=20, strategy="uncertain")
    active = select_for_review(table, ids, thresholds, n=20)
    assert (uncertain < 30).sum() == 20
    assert (active < 30).sum() <= 2


def test_active_ranks_by_expected_wrong_decisions() -> None:
    """A theme given at 0.9 is wrong with chance 0.1, one withheld at 0.4 with chance 0.4: every theme counts."""
    scores = np.array([[0.9, 0.1, 0.0], [0.6, 0.4, 0.3], [0.3, 0.0, 0.0]])
    given = np.array([[1, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert np.allclose(expected_errors(scores, given), [0.2, 1.1, 0.3])
    coded = pd.read_parquet(SAMPLE_CODED)
    ids = load_codebook().ids
    coded = coded[coded["code_source"] == "machine"].reset_index(drop=True)
    machine = np.zeros((len(coded), len(ids)), dtype=bool)
    for row, value in enumerate(coded["machine_themes"]):
        machine[row, [ids.index(t) for t in split_list(value) if t in ids]] = True
    errors = expected_errors(coded[[score_column(t) for t in ids]].to_numpy(float), machine)
    queued = select_for_review(coded, ids, _thresholds(), n=30, strategy="uncertain")
    assert errors[queued].mean() > np.quantile(errors, 0.9)  # the smallest-margin order of before: about the 75th


def test_active_queue_skips_comments_like_reviewed_ones() -> None:
    """The comment active would queue first drops out of the top once a copy of it has been reviewed."""
    coded = pd.read_parquet(SAMPLE_CODED)
    ids = load_codebook().ids
    first = select_for_review(coded, ids, _thresholds(), n=5)[0]
    reviewed = coded.iloc[[first]].assign(comment_id="copy", code_source="review")
    again = select_for_review(pd.concat([coded, reviewed], ignore_index=True), ids, _thresholds(), n=5)
    assert first not in again


def test_apply_accounts_for_every_row_and_reports_bad_ones(exported: Path) -> None:
    filled = exported / "filled.xlsx"
    _fill(
        exported / "review.xlsx",
        filled,
        {
            (2, "decision"): "change", (2, "themes"): "clarity, Community involvement",
            (3, "decision"): "accept", (3, "reviewer"): "AB",
            (4, "decision"): "reject", (4, "note"): "=not a formula",
            (5, "decision"): "change",
            (6, "decision"): "change", (6, "themes"): "not_a_theme",
            (7, "decision"): "accept", (7, "comment"): "an edited comment",
            (8, "themes"): "clarity",
            (9, "decision"): "reject", (9, "themes"): "clarity",
        },
    )  # fmt: skip
    result = _apply(exported, filled, "--reviewer", "JS")
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if line.startswith("Row refused")]
    assert len(refused) == 5
    for row, words in ((5, "themes cell is empty"), (6, "unknown theme 'not_a_theme'"), (7, "comment text was edited"),
                       (8, "set the decision to change"), (9, "decision is reject but themes are given")):  # fmt: skip
        assert any(f"(sheet Review, row {row}): " in line and words in line for line in refused), (row, refused)
    assert re.search(r"Rows in the workbook\s+│\s+40", result.stdout)
    assert re.search(r"Applied\s+│\s+3 \(1 accept, 1 change, 1 reject", result.stdout)
    assert re.search(r"Unchanged\s+│\s+32 \(32 without a decision, 0 already", result.stdout)
    assert re.search(r"Refused \(see above\)\s+│\s+5", result.stdout)

    log = read_log(exported / "out" / "decisions.parquet")
    assert list(log.columns) == list(LOG_COLUMNS) and len(log) == 3
    assert set(log["timestamp"]) == {"2026-09-21T14:13:20Z"}
    assert list(log["reviewer"]) == ["JS", "AB", "JS"]
    assert log["themes_after"].iloc[0] == "clarity; community_involvement"
    assert log["themes_after"].iloc[2] == "uncoded"
    assert (exported / "out" / "decisions.csv").read_text(encoding="utf-8-sig").count("\n") >= 4
    corrected = pd.read_parquet(exported / "out" / "coded.parquet")
    reviewed = corrected.set_index("comment_id").loc[log["comment_id"]]
    assert list(reviewed["code_source"]) == ["review"] * 3
    assert reviewed["sources"].iloc[0] == "analyst; analyst"
    assert list(reviewed["machine_themes"]) == list(log["machine_themes"])
    assert reviewed["themes"].iloc[2] == "uncoded" and reviewed["n_themes"].iloc[2] == 0
    before = pd.read_parquet(exported / "coded.parquet")
    assert corrected["code_source"].value_counts().to_dict() == {
        **before["code_source"].value_counts().to_dict(), "machine": int((before["code_source"] == "machine").sum()) - 3, "review": 3
    }  # only the three reviewed comments changed source; the analyst's stay the analyst's
    assert len(pd.read_csv(exported / "out" / "uncoded.csv")) == (corrected["themes"] == "uncoded").sum()


def test_reapplying_changes_nothing_and_a_later_decision_supersedes(exported: Path) -> None:
    filled = exported / "once.xlsx"
    _fill(
        exported / "review.xlsx", filled,
        {(10, "decision"): "change", (10, "themes"): "governance", (11, "decision"): "change", (11, "themes"): "Children, young and older people; clarity"},
    )  # fmt: skip
    assert _apply(exported, filled, "--reviewer", "JS", "--log", str(exported / "once" / "log.parquet")).exit_code == 0
    log_file = exported / "once" / "log.parquet"
    first = read_log(log_file)
    table = (exported / "out" / "coded.parquet").read_bytes()
    again = _apply(exported, filled, "--reviewer", "JS", "--log", str(log_file))
    assert again.exit_code == 0
    assert re.search(r"Unchanged\s+│\s+40 \(38 without a decision, 2 already", again.stdout)
    assert read_log(log_file).equals(first)
    assert first["themes_after"].iloc[1] == "young_older_people; clarity"
    assert pd.read_parquet(exported / "out" / "coded.parquet").equals(pd.read_parquet(pd.io.common.BytesIO(table)))

    later = exported / "later.xlsx"
    _fill(filled, later, {(10, "themes"): "transparency; governance"})
    assert _apply(exported, later, "--reviewer", "KL", "--log", str(log_file)).exit_code == 0
    log = read_log(log_file)
    assert len(log) == 3
    comment = log["comment_id"].iloc[0]
    assert list(log.loc[log["comment_id"] == comment, "themes_after"]) == ["governance", "transparency; governance"]
    row = pd.read_parquet(exported / "out" / "coded.parquet").set_index("comment_id").loc[comment]
    assert row["themes"] == "transparency; governance" and "by KL" in row["evidence"]


def test_refuses_foreign_files_and_comments_not_in_the_table(exported: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "theme-counts.xlsx"
    book = Workbook()
    book.active.append(["comment_id", "comment", "decision", "themes", "note", "reviewer"])
    book.save(foreign)
    for path in (foreign, ROOT / "README.md"):
        result = runner.invoke(app, ["review", "apply", str(path), "--coded", str(exported / "coded.parquet"), "--reviewer", "JS"])
        assert result.exit_code == 1
        assert "not a review workbook" in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1
    filled = tmp_path / "filled.xlsx"
    _fill(exported / "review.xlsx", filled, {(2, "decision"): "accept", (3, "decision"): "accept"})
    coded = pd.read_parquet(exported / "coded.parquet")
    first = load_workbook(filled)[REVIEW_SHEET].cell(row=2, column=COLUMN["comment_id"]).value
    shutil.copy(exported / "coded.parquet", tmp_path / "backup.parquet")
    coded[coded["comment_id"] != first].to_parquet(tmp_path / "coded.parquet", index=False)
    result = runner.invoke(
        app, ["review", "apply", str(filled), "--coded", str(tmp_path / "coded.parquet"), "--reviewer", "JS"]
    )
    assert result.exit_code == 1
    assert f"(sheet Review, row 2): comment id '{first}' is not in coded.parquet" in result.stderr
    assert len(read_log(tmp_path / "decisions.parquet")) == 1


def test_code_keeps_corrections_and_train_learns_from_them(exported: Path, tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    _fill(exported / "review.xlsx", filled, {(2, "decision"): "change", (2, "themes"): "green_spaces", (3, "decision"): "reject"})
    assert _apply(exported, filled, "--reviewer", "JS", "--log", str(tmp_path / "log.parquet")).exit_code == 0
    log = read_log(tmp_path / "log.parquet")
    comments = pd.read_parquet(exported / "coded.parquet")
    subset = comments[comments["comment_id"].isin(log["comment_id"]) | (comments.index < 20)]
    subset[[c for c in subset.columns if c in ("comment_id", "text", "session_id", "question")]].to_parquet(
        tmp_path / "comments.parquet", index=False
    )
    result = runner.invoke(
        app, ["code", str(tmp_path / "comments.parquet"), "--out", str(tmp_path / "coded"), "--decisions", str(tmp_path / "log.parquet")]
    )
    assert result.exit_code == 0, result.output
    assert "2 comments' codes come from review decisions" in result.stdout
    recoded = pd.read_parquet(tmp_path / "coded" / "coded.parquet").set_index("comment_id")
    assert list(recoded.loc[log["comment_id"], "themes"]) == ["green_spaces", "uncoded"]
    assert (recoded["code_source"] == "review").sum() == 2

    codebook = load_codebook()
    decided = decision_labels(log, codebook)
    assert decided.Y.loc[0, "green_spaces"] == 1 and decided.Y.loc[1].sum() == 0
    notes = read_labels(ROOT / "data" / "raw" / "notes", codebook)
    merged = with_decisions(notes, decided)
    assert len(merged) - len(decided) == len(notes) - sum(t in set(decided.texts) for t in notes.texts)
    assert merged.texts[-2:] == decided.texts


def test_apply_decisions_reads_tables_without_code_source() -> None:
    coded = pd.read_parquet(SAMPLE_CODED).drop(columns=["code_source", "machine_themes"])  # as coded before they existed
    log = pd.DataFrame(
        [{name: "" for name in LOG_COLUMNS} | {"comment_id": coded["comment_id"][0], "themes_after": "clarity", "decision": "change"},
         {name: "" for name in LOG_COLUMNS} | {"comment_id": "c-not-here", "themes_after": "clarity", "decision": "change"}]
    )  # fmt: skip
    result = apply_decisions(coded, log)
    assert (result.applied, result.not_in_table) == (1, 1)
    assert result.coded["machine_themes"].tolist()[1:] == coded["themes"].tolist()[1:]
    assert split_list(result.coded["themes"][0]) == ["clarity"]
    assert result.coded[score_column("clarity")].equals(coded[score_column("clarity")])


def test_timestamp_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert timestamp_now() == "1970-01-01T00:00:00Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", timestamp_now())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # refused, as for the outputs' date, not ignored
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH='yesterday' is not a Unix time"):
        timestamp_now()


def test_refuses_a_table_that_is_not_coded_and_a_bad_n(exported: Path, tmp_path: Path) -> None:
    comments = ROOT / "data" / "coded" / "comments.parquet"
    result = runner.invoke(app, ["review", "export", str(comments), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1 and "not a coded table for this codebook" in result.stderr
    result = runner.invoke(app, ["review", "export", str(SAMPLE_CODED), "--out", str(tmp_path / "r.xlsx"), "--n", "0"])
    assert result.exit_code == 1 and "--n must be between 1 and 5000" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()
    result = runner.invoke(app, ["review", "apply", str(exported / "review.xlsx"), "--coded", str(comments), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "comments.parquet: not a coded table" in result.stderr


def test_review_rows_name_the_session_or_its_id() -> None:
    from tcs_themes.review.workbook import review_rows

    coded = pd.read_parquet(SAMPLE_CODED).head(3).astype({"session_name": "string", "session_id": "string"})
    coded.loc[0, "session_name"] = pd.NA
    coded.loc[0, "session_id"] = "S9"
    coded.loc[1, ["session_name", "session_id"]] = pd.NA
    coded.loc[2, "session_name"] = "Youth forum"
    rows = review_rows(coded, load_codebook(), _thresholds())
    assert rows["session"].iloc[0] == "S9" and pd.isna(rows["session"].iloc[1]) and rows["session"].iloc[2] == "Youth forum"
