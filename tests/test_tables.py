"""Tables round-trip through CSV and Parquet with the schema's dtypes."""

from pathlib import Path

import pandas as pd
import pytest

from tcs_themes.errors import InputFileError
from tcs_themes.schema import conform_comments
from tcs_themes.tables import read_table, read_table_batches, table_columns, write_table


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip_keeps_dtypes(tmp_path: Path, suffix: str) -> None:
    frame = conform_comments(
        pd.DataFrame(
            {
                "comment_id": ["c000000000001", "c000000000002"],
                "text": ["First, with a comma", "Second\nline"],
                "row": [3, 4],
                "date": ["2022-07-05", None],
                "Theme": ["clarity", "governance"],
            }
        )
    )
    path = write_table(frame, tmp_path / f"comments{suffix}")
    back = read_table(path)
    assert back["comment_id"].tolist() == ["c000000000001", "c000000000002"]
    assert back["text"].tolist() == ["First, with a comma", "Second\nline"]
    assert back["row"].tolist() == [3, 4]
    assert back["date"].iloc[0] == pd.Timestamp("2022-07-05")
    assert pd.isna(back["date"].iloc[1])
    assert back["Theme"].tolist() == ["clarity", "governance"]


def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"comments\.txt: .*\.parquet or \.csv"):
        write_table(pd.DataFrame(), tmp_path / "comments.txt")


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="nope.csv: file not found"):
        read_table(tmp_path / "nope.csv")


def test_columns_can_be_left_out_and_parquet_read_in_batches(tmp_path: Path) -> None:
    frame = conform_comments(pd.DataFrame({"comment_id": [f"c{i:012d}" for i in range(7)], "text": [f"comment {i}" for i in range(7)]}))
    path = write_table(frame, tmp_path / "comments.parquet")
    csv = write_table(frame, tmp_path / "comments.csv")
    assert "text" not in read_table(path, exclude=["text", "no such column"]).columns
    assert read_table(csv, exclude=["text"]).columns.tolist() == [c for c in frame.columns if c != "text"]
    batches = list(read_table_batches(path, batch_size=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), read_table(path))
    with pytest.raises(InputFileError, match=r"comments\.csv: .*\.parquet"):
        next(read_table_batches(csv))
    assert table_columns(path) == frame.columns.tolist()
    empty = write_table(frame.iloc[:0], tmp_path / "empty.parquet")
    assert [b.columns.tolist() for b in read_table_batches(empty)] == [frame.columns.tolist()]  # one empty batch: the columns
