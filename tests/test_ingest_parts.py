"""`ingest(comments_to=...)`: comments wait on disk in parts and are written a part at a time, the same table."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tcs_themes.ingest import ingest, ledger
from tcs_themes.tables import read_table

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_the_sample_written_in_parts_is_the_whole_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = ingest([str(RAW)])
    monkeypatch.setattr(ledger, "PACK_EVERY", 37)  # many parts, cut inside sessions and between sheets and emails
    target = tmp_path / "out" / "comments.parquet"
    parted = ingest([str(RAW)], comments_to=target)
    assert parted.comments.empty and list(parted.comments.columns) == list(whole.comments.columns)
    assert pq.ParquetFile(target).metadata.num_row_groups == -(-len(whole.comments) // 37)
    pd.testing.assert_frame_equal(read_table(target), whole.comments)
    pd.testing.assert_frame_equal(parted.log, whole.log)
    assert [p.name for p in target.parent.iterdir()] == ["comments.parquet"]  # the parts' folder is gone


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
