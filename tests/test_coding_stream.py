"""code_files streams tables in batches, carries every input column through and never loses a row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook

from tcs_themes.coding.coded_table import coded_frame
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.stream import code_files
from tcs_themes.errors import CodingInputError
from tcs_themes.schema import CODED_COLUMNS
from tcs_themes.tables import read_table

TEXTS = CLARITY + GREEN + FUNDING


@pytest.fixture(scope="module")
def coder() -> HybridCoder:
    Y = np.zeros((30, 4), dtype=np.int8)
    Y[:10, 0] = Y[10:20, 1] = Y[20:, 2] = 1
    return HybridCoder(tiny_codebook()).fit(TEXTS, Y)


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    texts = [TEXTS[i % 30] for i in range(230)]
    texts[5], texts[77], texts[150] = "", "😀", "公园需要更多的树"
    return pd.DataFrame(
        {
            "comment_id": [f"c{i:012x}" for i in range(230)],
            "text": texts,
            "strand": ["Strand 2"] * 230,
            "themes": ["analyst's own column"] * 230,  # clashes with a coded column
            "votes": np.arange(230, dtype=np.int64),
        }
    )


def test_parquet_in_batches_equals_one_batch_and_two_workers(tmp_path: Path, coder, comments) -> None:
    source = tmp_path / "comments.parquet"
    comments.to_parquet(source, row_group_size=50)
    one = code_files([source], tmp_path / "one", coder, batch_size=10_000)
    small = code_files([source], tmp_path / "small", coder, batch_size=17)
    code_files([source], tmp_path / "two", coder, batch_size=33, workers=2)

    for name in ("coded.csv", "uncoded.csv"):
        reference = (tmp_path / "one" / name).read_bytes()
        assert (tmp_path / "small" / name).read_bytes() == reference, name
        assert (tmp_path / "two" / name).read_bytes() == reference, name
    reference = pd.read_parquet(tmp_path / "one" / "coded.parquet")  # row groups differ, content must not
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "small" / "coded.parquet"), reference)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "two" / "coded.parquet"), reference)
    assert one.comments == small.comments == 230
    assert one.uncoded == 3 and one.coded == 227
    assert sum(one.themes_per_comment.values()) == 230


def test_input_columns_are_carried_through_unchanged(tmp_path: Path, coder, comments) -> None:
    source = tmp_path / "comments.parquet"
    comments.to_parquet(source)
    code_files([source], tmp_path / "out", coder, batch_size=64)

    coded = pd.read_parquet(tmp_path / "out" / "coded.parquet")
    assert list(coded.columns[:5]) == ["comment_id", "text", "strand", "input_themes", "votes"]
    assert list(coded.columns[5 : 5 + len(CODED_COLUMNS)]) == list(CODED_COLUMNS)
    assert coded["text"].tolist() == comments["text"].tolist()
    assert coded["votes"].tolist() == list(range(230))
    uncoded = pd.read_csv(tmp_path / "out" / "uncoded.csv", encoding="utf-8-sig", keep_default_na=False)
    assert uncoded["comment_id"].tolist() == ["c000000000005", "c00000000004d", "c000000000096"]
    from_csv = read_table(tmp_path / "out" / "coded.csv")
    assert from_csv["comment_id"].tolist() == comments["comment_id"].tolist()
    assert from_csv["themes"].tolist() == coded["themes"].tolist()


def test_csv_table_in_chunks(tmp_path: Path, coder, comments) -> None:
    source = tmp_path / "comments.csv"
    comments.to_csv(source, index=False)
    summary = code_files([source], tmp_path / "out", coder, batch_size=40)
    assert summary.comments == 230
    coded = read_table(tmp_path / "out" / "coded.csv")
    assert coded["votes"].astype(int).tolist() == list(range(230))


def test_a_table_without_a_text_column_is_a_clear_error(tmp_path: Path, coder) -> None:
    source = tmp_path / "no_text.parquet"
    pd.DataFrame({"comment_id": ["c1"], "body": ["jargon"]}).to_parquet(source)
    with pytest.raises(CodingInputError, match="no 'text' column"):
        code_files([source], tmp_path / "out", coder)
    summary = code_files([source], tmp_path / "out", coder, text_column="body")
    assert summary.coded == 1


def test_an_empty_table_gives_empty_outputs_with_headers(tmp_path: Path, coder) -> None:
    source = tmp_path / "empty.parquet"
    pd.DataFrame({"text": pd.Series([], dtype="string")}).to_parquet(source)
    summary = code_files([source], tmp_path / "out", coder)
    assert summary.comments == 0
    assert "primary_theme" in (tmp_path / "out" / "coded.csv").read_text(encoding="utf-8-sig")


def test_coded_frame_checks_lengths() -> None:
    with pytest.raises(ValueError, match="2 comments but 1 rows"):
        coded_frame(pd.DataFrame({"text": ["a", "b"]}), pd.DataFrame({"themes": ["x"]}))


def test_csv_outputs_as_excel_reads_them(tmp_path: Path, coder, comments) -> None:
    """BOM, dates as YYYY-MM-DD, True/False, quoted commas, quotes and line breaks; uncoded.csv = the uncoded rows."""
    table = comments.head(40).copy()
    table["date"] = pd.to_datetime(["2025-03-04 00:00"] * 20 + ["2025-03-05 14:30"] * 20)
    table["flag"] = [True, False] * 20
    table.loc[3, "text"] = 'Plain English, "please"\nand more parks'
    source = tmp_path / "comments.parquet"
    table.to_parquet(source)
    code_files([source], tmp_path / "out", coder, batch_size=7, workers=2)
    raw = (tmp_path / "out" / "coded.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    back = pd.read_csv(tmp_path / "out" / "coded.csv", encoding="utf-8-sig", keep_default_na=False)
    assert back["date"].tolist() == ["2025-03-04"] * 20 + ["2025-03-05"] * 20
    assert back["flag"].astype(str).tolist() == ["True", "False"] * 20
    assert back.loc[3, "text"] == 'Plain English, "please"\nand more parks'
    assert back["comment_id"].tolist() == table["comment_id"].tolist()
    uncoded = pd.read_csv(tmp_path / "out" / "uncoded.csv", encoding="utf-8-sig", keep_default_na=False)
    assert uncoded["comment_id"].tolist() == back.loc[back["primary_theme"] == "uncoded", "comment_id"].tolist()
    assert len(uncoded) > 0
