"""`ingest(comments_to=...)`: comments wait on disk in parts and are written a part at a time, the same table."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tcs_themes.ingest import comment_parts, ingest, ledger
from tcs_themes.tables import read_table, write_table

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_the_sample_written_in_parts_is_the_whole_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = ingest([str(RAW)])
    monkeypatch.setattr(ledger, "PACK_EVERY", 37)  # many parts, cut inside sessions and between sheets and emails
    target = tmp_path / "out" / "comments.parquet"
    parted = ingest([str(RAW)], comments_to=target)
    assert parted.comments.empty and list(parted.comments.columns) == list(whole.comments.columns)
    assert pq.ParquetFile(target).metadata.num_row_groups == 1  # however many parts
    assert target.read_bytes() == write_table(whole.comments, tmp_path / "whole.parquet").read_bytes()
    pd.testing.assert_frame_equal(parted.log, whole.log)
    assert [p.name for p in target.parent.iterdir()] == ["comments.parquet"]  # the parts' folder is gone


def test_row_groups_do_not_follow_the_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger, "PACK_EVERY", 37)
    monkeypatch.setattr(comment_parts, "ROW_GROUP_ROWS", 100)
    target = tmp_path / "comments.parquet"
    ingest([str(RAW)], comments_to=target)
    meta = pq.ParquetFile(target).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [100] * (meta.num_rows // 100) + [meta.num_rows % 100], sizes
    ingest([str(RAW)], comments_to=tmp_path / "dask" / "comments.parquet", row_group_size=30)  # run's Dask partitions
    meta = pq.ParquetFile(tmp_path / "dask" / "comments.parquet").metadata
    assert {meta.row_group(i).num_rows for i in range(meta.num_row_groups - 1)} == {30}


def test_no_pickle_in_the_toolkit() -> None:
    source = Path(__file__).resolve().parents[1] / "src"
    assert not [p for p in source.rglob("*.py") if "import pickle" in p.read_text(encoding="utf-8")]


def test_carried_columns_get_one_type_over_every_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A column of whole numbers in one part and decimals in another is float64 in both; text anywhere makes it text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet.append(["Session", "Comment", "Visits", "Ward", "Visited", "Only later"])
    for i in range(90):
        visits = i if i < 45 else i + 0.5  # whole numbers in the first parts only
        ward = 7 if i < 60 else "North"  # a number first, text later
        sheet.append([f"Session {i // 30}", f"Comment number {i} about the park.", visits, ward,
                      datetime.datetime(2022, 7, 1 + i % 28), "late" if i > 80 else None])  # fmt: skip
    source = tmp_path / "in" / "notes.xlsx"
    source.parent.mkdir()
    book.save(source)
    whole = ingest([str(source)])
    monkeypatch.setattr(ledger, "PACK_EVERY", 20)
    target = tmp_path / "comments.parquet"
    ingest([str(source)], comments_to=target)
    written = read_table(target)
    pd.testing.assert_frame_equal(written, whole.comments)
    carried = {c: str(written[c].dtype)[:10] for c in whole.comments.columns[-4:]}
    assert carried == {"Visits": "float64", "Ward": "string", "Visited": "datetime64", "Only later": "string"}, carried


def test_repeated_texts_are_found_after_the_digests_are_merged_into_arrays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The duplicate check keeps digests in sorted arrays (24 bytes a comment); merged every few, it finds the same repeats."""
    from tcs_themes.ingest import seen_texts

    rows = [(f"Session {i % 3}", f"Comment {i % 25} about the library opening hours.") for i in range(90)]
    notes = tmp_path / "notes.csv"
    pd.DataFrame(rows, columns=["Session", "Comment"]).to_csv(notes, index=False)
    whole = ingest([str(notes)])
    assert (whole.log["reason"] == "duplicate").sum() == 90 - 75  # 25 texts in each of 3 sessions: 75 kept
    monkeypatch.setattr(seen_texts, "MERGE_EVERY", 7)
    merged = ingest([str(notes)])
    pd.testing.assert_frame_equal(merged.log, whole.log)
    pd.testing.assert_frame_equal(merged.comments, whole.comments)
    seen = seen_texts.SeenTexts()
    keys = [bytes([n]) * 15 + b"\x00" for n in range(20)] + [bytes([n]) * 15 + b"\x01" for n in range(20)]  # trailing NULs kept
    for value, key in enumerate(keys):
        assert seen.get(key) is None
        seen.add(key, value)
    assert [seen.get(key) for key in keys] == list(range(len(keys))) and len(seen) == len(keys)
