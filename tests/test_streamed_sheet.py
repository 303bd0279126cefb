"""Streamed sheets write the very bytes openpyxl's own write-only sheets write, styled cells and all."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from tcs_themes.outputs.excel import DECIMAL, StagedWorkbook, stream_table

CODED = Path(__file__).resolve().parents[1] / "data" / "coded" / "coded.parquet"


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml")


def test_streamed_sheet_bytes_are_openpyxls(tmp_path: Path) -> None:
    coded = pd.read_parquet(CODED).head(300)
    frame = coded[["comment_id", "row", "date", "text", "confidence", "redactions"]].assign(count=range(len(coded)))
    formats = {"confidence": DECIMAL, "count": "0", "date": "yyyy-mm-dd"}
    written = {}
    for name in ("ours", "openpyxl"):
        book = StagedWorkbook()
        sheet = book.create_streamed_sheet("Comments") if name == "ours" else book.book.create_sheet("Comments")
        assert type(sheet).__name__ == ("_StreamedSheet" if name == "ours" else "WriteOnlyWorksheet")
        stream_table(sheet, [frame.iloc[:150], frame.iloc[150:]], "Comments", formats=formats, wrap=("text",), style_empty=True)
        book.save(tmp_path / f"{name}.xlsx")
        written[name] = _sheet_xml(tmp_path / f"{name}.xlsx")
    assert written["ours"] == written["openpyxl"]
    assert b' s="' in written["ours"] and b"<v>" in written["ours"]  # styled cells and values were written
