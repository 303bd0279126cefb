"""Publishing stays bounded in memory: sparse quote vectors, streamed per-comment sheets split at Excel's row limit."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner
from sklearn.feature_extraction.text import TfidfVectorizer

from tcs_themes.analysis.counts import count_all
from tcs_themes.analysis.quotes import quotes_by_scope
from tcs_themes import console
from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook
from tcs_themes.outputs import workbook as workbook_module
from tcs_themes.outputs.excel import sheet_names
from tcs_themes.outputs.workbook import COMMENT_SHEETS, split_note, split_sheets, write_workbook

CODED = Path(__file__).resolve().parents[1] / "data" / "coded" / "coded.parquet"


def _many(copies: int) -> pd.DataFrame:
    """The sample's coded comments repeated ``copies`` times, each copy with its own ids and sessions."""
    coded = pd.read_parquet(CODED)
    parts = []
    for k in range(copies):
        part = coded.copy()
        part["comment_id"] = [f"c{k:04d}{i:08d}" for i in range(len(part))]
        part["session_id"] = part["session_id"].astype("string") + f"-{k}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def test_quote_selection_memory_does_not_grow_with_the_vocabulary_squared() -> None:
    coded = _many(6)  # 6,402 comments, 2,887 words: a dense TF-IDF matrix of them alone would take 148 MB
    codebook = load_codebook()
    dense = len(coded) * len(TfidfVectorizer(stop_words="english").fit(coded["text"]).vocabulary_) * 8
    tracemalloc.start()
    try:
        quotes = quotes_by_scope(coded, codebook)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(quotes) > 0 and not quotes.duplicated(["scope", "theme_id", "comment_id"]).any()
    assert peak < dense / 5, f"quote selection peaked at {peak / 1e6:.0f} MB; a dense matrix is {dense / 1e6:.0f} MB"


def test_quotes_do_not_depend_on_row_order() -> None:
    coded = _many(1)
    codebook = load_codebook()
    shuffled = coded.iloc[np.random.default_rng(0).permutation(len(coded))]
    pd.testing.assert_frame_equal(quotes_by_scope(coded, codebook), quotes_by_scope(shuffled, codebook))


def test_comments_beyond_a_sheet_continue_on_further_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "ROWS_PER_SHEET", 400)
    monkeypatch.setattr(workbook_module, "_CHUNK", 100)
    coded = pd.read_parquet(CODED)  # 1,067 comments: 400 + 400 + 267
    codebook = load_codebook()
    path = write_workbook(tmp_path / "book.xlsx", coded, codebook, counts=count_all(coded, codebook), quotes=quotes_by_scope(coded, codebook))
    book = openpyxl.load_workbook(path)
    sheets = ["Coded comments", "Coded comments (2)", "Coded comments (3)"]
    assert [name for name in book.sheetnames if name.startswith("Coded comments")] == sheets
    ids = []
    for name, table, rows in zip(sheets, ["Coded_comments", "Coded_comments_2", "Coded_comments_3"], [400, 400, 267], strict=True):
        sheet = book[name]
        assert sheet.tables[table].ref == f"A1:U{rows + 1}"  # 21 columns, code source and machine themes included
        assert [c.name for c in sheet.tables[table].tableColumns] == [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2"
        ids += [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        rows_column = [cell for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4) if cell.value is not None]
        assert rows_column and all(cell.number_format == "0" for cell in rows_column)
        assert all(cell.alignment.wrap_text for (cell,) in sheet.iter_rows(min_row=2, min_col=11, max_col=11))
    assert ids == coded["comment_id"].tolist()  # every comment once, in order


def test_long_and_matrix_sheets_are_streamed_from_batches_and_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "ROWS_PER_SHEET", 400)
    coded = pd.read_parquet(CODED)  # 1,067 comments, more than 1,067 (comment, theme) rows
    codebook = load_codebook()
    batches = []

    def comment_batches():  # what `run` passes: the coded table read back in batches
        batches.append(1)
        return (coded.iloc[start : start + 250] for start in range(0, len(coded), 250))

    path = write_workbook(
        tmp_path / "book.xlsx", coded[["comment_id", "text", "themes", "primary_theme", "session_id", "session_name", "strand",
                                       "date", "question", "source_kind", "message_id", "sources", "subthemes"]],
        codebook, counts=count_all(coded, codebook), quotes=quotes_by_scope(coded, codebook), comment_batches=comment_batches,
    )  # fmt: skip
    assert len(batches) == 3  # comments, long, matrix
    book = openpyxl.load_workbook(path)
    given = coded["themes"].map(lambda v: [t for t in str(v).split("; ") if t and v == v] or ["uncoded"])
    for title, expected in (("Comment themes (long)", int(given.map(len).sum())), ("Theme matrix (0-1)", len(coded))):
        sheets = [name for name in book.sheetnames if name.startswith(title)]
        assert len(sheets) == -(-expected // 400) and sheets[1] == f"{title} (2)"
        rows = [book[name].max_row - 1 for name in sheets]
        assert rows[:-1] == [400] * (len(sheets) - 1) and sum(rows) == expected  # every row once, none cut off
        ids = [row[0] for name in sheets for row in book[name].iter_rows(min_row=2, values_only=True)]
        assert list(dict.fromkeys(ids)) == coded["comment_id"].tolist()
        assert all(len(book[name].tables) == 1 for name in sheets)
    split = split_sheets(sheet_names(path))
    assert set(split) == set(COMMENT_SHEETS) and split["Coded comments"] == 3
    method = {row[0]: row[1] for row in book["Method"].iter_rows(min_row=2, values_only=True)}
    assert method["Sheets split at Excel's row limit"] == split_note(split)


def test_run_says_when_a_sheet_was_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "ROWS_PER_SHEET", 2)
    monkeypatch.setattr(console.stdout, "width", 400)  # the summary's rows on one line each
    notes = tmp_path / "notes"
    notes.mkdir()
    pd.DataFrame({
        "Session": ["Session 1"] * 5, "Strand": ["Strand 1"] * 5, "Question": ["What matters most?"] * 5,
        "Comment": ["More youth clubs in the evenings please.", "The bus to the hospital is too rare and too dear.",
                    "Parks need more benches and bins.", "Cheaper rents for local shops on the high street.",
                    "Keep the library open on Saturdays."],
    }).to_csv(notes / "notes.csv", index=False)  # fmt: skip
    result = CliRunner().invoke(app, ["run", str(notes), "--out", str(tmp_path / "out"), "--method", "rules"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "split at Excel's row limit" in line)
    assert '"Coded comments" over 3 sheets' in line and '"Theme matrix (0-1)" over 3 sheets' in line
    assert [n for n in sheet_names(tmp_path / "out" / "theme-counts.xlsx") if n.startswith("Coded comments")] == [
        "Coded comments", "Coded comments (2)", "Coded comments (3)"
    ]


def test_office_files_are_copied_piece_by_piece_to_the_same_bytes(tmp_path: Path) -> None:
    """save_office_file streams big zip members (never read whole): the bytes are those of copying each member at once."""
    import datetime as dt
    import io
    import zipfile

    from tcs_themes.outputs import reproducible

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Big")
    for i in range(60_000):  # a sheet part of several MB: many pieces
        sheet.append([f"c{i:08d}", f"comment number {i} about buses, parks and youth clubs", i * 0.5])
    when = dt.date(2022, 10, 31)
    path = reproducible.save_office_file(book.save, tmp_path / "big.xlsx", when)
    with zipfile.ZipFile(path) as archive:
        assert max(m.file_size for m in archive.infolist()) > 5 * reproducible._PIECE
        expected = io.BytesIO()
        with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as copy:  # each member read whole and written at once
            for member in archive.infolist():
                info = zipfile.ZipInfo(member.filename, date_time=member.date_time)
                copy.writestr(info, archive.read(member.filename), compress_type=zipfile.ZIP_DEFLATED)
    assert path.read_bytes() == expected.getvalue()


def test_the_digest_from_batches_is_the_digest_of_the_whole_table() -> None:
    """`run` publishes from a digest gathered batch by batch: it is what the whole table gives."""
    from dataclasses import fields

    from tcs_themes.outputs.coded_digest import coded_digest
    from tcs_themes.tables import read_table_batches

    codebook, coded = load_codebook(), pd.read_parquet(CODED)
    approved = [str(coded["comment_id"].iloc[0])]
    whole = coded_digest([coded], codebook, approved=approved)
    parts = coded_digest(read_table_batches(CODED, batch_size=50), codebook, approved=approved)
    for name in [f.name for f in fields(whole)]:
        mine, theirs = getattr(parts, name), getattr(whole, name)
        if isinstance(theirs, pd.DataFrame | pd.Series):
            pd.testing.assert_frame_equal(pd.DataFrame(mine), pd.DataFrame(theirs), obj=name, check_dtype=False)  # str or object
        else:
            assert mine == theirs, name
    assert whole.comments == len(coded) and len(whole.sessions) > 10 and whole.phrases and not whole.missing.empty


def test_publishing_from_batches_writes_the_files_the_whole_table_gives(tmp_path: Path) -> None:
    """What `run` does (counts, quote pool and digest from batches, no table held) gives the same bytes as the whole table."""
    from tcs_themes.analysis.counts import count_batches
    from tcs_themes.analysis.quote_pool import quote_pool
    from tcs_themes.ingest.register import load_register
    from tcs_themes.outputs.coded_digest import coded_digest
    from tcs_themes.outputs.publish import publish
    from tcs_themes.tables import read_table, read_table_batches

    codebook = load_codebook()
    register = load_register(CODED.parents[1] / "raw" / "sessions.yaml")

    def batches():
        return read_table_batches(CODED, batch_size=100)

    whole = publish(read_table(CODED), codebook, tmp_path / "whole", register=register, date="2022-10-31")
    parts = publish(  # the comment sheets' column widths come from their first batch: those batches as run reads them
        None, codebook, tmp_path / "parts", register=register, date="2022-10-31", comment_batches=lambda: read_table_batches(CODED),
        candidates=quote_pool(batches(), codebook.ids), counts=count_batches(batches(), codebook, register),
        digest=coded_digest(batches(), codebook),
    )  # fmt: skip
    assert whole.keys() == parts.keys()
    for name in ("workbook", "html", "docx"):
        assert whole[name].read_bytes() == parts[name].read_bytes(), name
