"""Nothing is lost: per file, rows read = kept + blank + duplicates + failed + removed, and the log agrees."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl

import _ingest_files as files
from tcs_themes.ingest import ingest


def test_counts_reconcile_with_comments_and_log(tmp_path: Path) -> None:
    files.write_register(tmp_path)
    (tmp_path / "tcs-themes.yaml").write_text("register: sessions.yaml\n", encoding="utf-8")
    files.sheet_per_session(tmp_path / "book.xlsx")
    files.titled_single_session(tmp_path / "cllrs_1.xlsx")
    files.csv_export(tmp_path / "export.csv", "cp1252")
    files.formulas_workbook(tmp_path / "formulas.xlsx")
    (tmp_path / "unknown.csv").write_text("Session,Comment\nNobody,x\nCMT,y\nCMT,\nCMT,y\n", encoding="utf-8")
    files.write_eml(tmp_path / "reply.eml", files.with_attachment(copy.deepcopy(files.REPLY)))
    files.write_mbox(tmp_path / "box.mbox", [files.POINTS, files.PLAIN, files.POINTS])
    empty_body = files._message("Empty", "a@b.org", "Kind regards\nA\n")
    files.write_eml(tmp_path / "empty_body.eml", empty_body)
    book = openpyxl.Workbook()
    book.active.append(["Comment"])
    book.save(tmp_path / "header_only.xlsx")

    result = ingest(tmp_path)
    read = result.files[result.files["kind"].isin(["spreadsheet", "email"])]
    assert read["rows_read"].sum() == 46
    for row in result.files.itertuples(index=False):
        assert row.rows_read == row.kept + row.blank + row.duplicates + row.failed + row.removed, row.source_file
        kept = result.comments[result.comments["source_file"] == row.source_file]
        assert len(kept) == row.kept, row.source_file
        assert kept["redactions"].sum() == row.redactions
        log = result.log[(result.log["source_file"] == row.source_file) & result.log["comment_id"].notna()]
        assert (log["reason"] == "blank").sum() == row.blank
        assert (log["reason"] == "duplicate").sum() == row.duplicates
        assert (log["reason"] == "error").sum() == row.failed
        assert (log["reason"] == "removed").sum() == row.removed
    # every row-level log entry and every comment has a distinct id: nothing counted twice
    ids = list(result.comments["comment_id"]) + list(result.log["comment_id"].dropna())
    assert len(ids) == len(set(ids)) == read["rows_read"].sum()
    by_file = result.files.set_index(result.files["source_file"].str.rsplit("/", n=1).str[-1])
    # each POINTS message: greeting, lead-in, sign-off and signature removed; PLAIN: greeting, sign-off, signature
    assert by_file.loc["box.mbox", ["rows_read", "kept", "duplicates", "removed"]].tolist() == [18, 4, 3, 11]
    assert by_file.loc["unknown.csv", ["rows_read", "kept", "blank", "duplicates", "failed"]].tolist() == [4, 1, 1, 1, 1]
    assert by_file.loc["empty_body.eml", ["rows_read", "kept", "removed"]].tolist() == [2, 0, 2]
    assert by_file.loc["header_only.xlsx", "rows_read"] == 0
    assert by_file["error"].notna().sum() == 2  # formulas.xlsx (unsaved formula) and unknown.csv (unknown session)
