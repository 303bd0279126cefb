"""``code`` given a raw spreadsheet and plain tables together: one coded table, every row in it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from coding_support import tiny_codebook
from openpyxl import Workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import write_codebook_yaml
from tcs_themes.schema import COMMENT_COLUMNS
from tcs_themes.tables import read_table

runner = CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Session notes that need ingest, a plain CSV and a plain Parquet table, and a codebook."""
    write_codebook_yaml(tiny_codebook(), tmp_path / "tiny.yaml")
    book = Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet.append(["Session", "Comment", "Question"])
    sheet.append(["Board", "The jargon is impenetrable", "What have we missed?"])
    sheet.append(["Board", "Fix the park benches", None])
    sheet.append(["Board", "Nothing to add", None])
    book.save(tmp_path / "notes.xlsx")
    pd.DataFrame({"text": ["More parks please", "Too much jargon"], "ward": ["North", "South"]}).to_csv(
        tmp_path / "plain.csv", index=False
    )
    pd.DataFrame({"text": ["Cut the costs", "Plain English please", "ok"], "ward": [1, 2, 3]}).to_parquet(
        tmp_path / "plain.parquet"
    )
    return {"notes": tmp_path / "notes.xlsx", "csv": tmp_path / "plain.csv", "parquet": tmp_path / "plain.parquet",
            "codebook": tmp_path / "tiny.yaml"}  # fmt: skip


def _code(inputs: dict[str, Path], out: Path, *extra: str):
    args = ["code", str(inputs["csv"]), str(inputs["notes"]), str(inputs["parquet"]), "--out", str(out),
            "--codebook", str(inputs["codebook"]), "--method", "rules", *extra]  # fmt: skip
    return runner.invoke(app, args)


def test_a_raw_spreadsheet_and_plain_tables_make_one_coded_table(inputs: dict[str, Path], tmp_path: Path) -> None:
    result = _code(inputs, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "different columns" not in result.output
    coded = read_table(tmp_path / "out" / "coded.parquet")
    assert len(coded) == 3 + 2 + 3  # every row of every input
    assert coded["comment_id"].is_unique
    # the raw input's rows first (ingested together), then the tables in the order given
    assert coded["location"].tolist() == [
        "Notes!R2", "Notes!R3", "Notes!R4", "plain!R2", "plain!R3", "plain!R1", "plain!R2", "plain!R3",
    ]  # fmt: skip
    assert coded["text"].tolist()[3:5] == ["More parks please", "Too much jargon"]
    # every standard comment column, then the tables' own column, then the codes
    columns = coded.columns.tolist()
    assert columns[: len(COMMENT_COLUMNS)] == list(COMMENT_COLUMNS)
    assert columns[len(COMMENT_COLUMNS)] == "ward"
    assert columns.index("ward") < columns.index("themes")
    # a column an input lacked is empty for its rows; one typed differently (text, whole numbers) is text
    assert coded["source_file"].iloc[:3].notna().all() and coded["source_file"].iloc[3:].isna().all()
    assert coded["ward"].iloc[:3].isna().all()
    assert coded["ward"].iloc[3:].tolist() == ["North", "South", "1", "2", "3"]
    assert coded["primary_theme"].tolist()[:2] == ["clarity", "green_spaces"]
    # the CSV holds the same rows and columns, the uncoded list the uncoded ones
    csv = read_table(tmp_path / "out" / "coded.csv")
    assert csv.columns.tolist() == columns and csv["comment_id"].tolist() == coded["comment_id"].tolist()
    uncoded = read_table(tmp_path / "out" / "uncoded.csv")
    assert uncoded["comment_id"].tolist() == coded.loc[coded["themes"] == "uncoded", "comment_id"].tolist()
    # the printed counts reconcile with the table: comments, coded, uncoded
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("│") and "8" in line)
    comments, n_coded, n_uncoded = (int(cell) for cell in row.strip("│ ").split("│")[:3])
    assert (comments, n_coded + n_uncoded, n_uncoded) == (8, 8, len(uncoded))
    assert not list((tmp_path / "out").glob(".*tmp*"))  # no temporary segment left behind


def test_mixed_inputs_give_the_same_tables_whatever_the_batch_size(inputs: dict[str, Path], tmp_path: Path) -> None:
    assert _code(inputs, tmp_path / "whole").exit_code == 0
    result = _code(inputs, tmp_path / "ones", "--batch-size", "1")
    assert result.exit_code == 0, result.output
    for name in ("coded.csv", "uncoded.csv"):
        assert (tmp_path / "ones" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
    pd.testing.assert_frame_equal(
        read_table(tmp_path / "ones" / "coded.parquet"), read_table(tmp_path / "whole" / "coded.parquet")
    )
