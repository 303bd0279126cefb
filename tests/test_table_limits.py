"""The toolkit's own tables and analyst-coded files are read within the limits ingest keeps (docs/ingest.md#limits).

Parquet: the footer is checked before any row is read (file size, first bytes,
declared rows, columns and row-group bytes), so a file that claims five billion
rows is refused at once. CSV: size before reading, encoding, line length, rows
and columns, through ingest's own reader. Limits are lowered with monkeypatch
where a real over-limit file would be slow to make; the five-billion-row claim
is a real crafted footer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import _hostile_files as hostile
from tcs_themes.cli import app
from tcs_themes.coding.stream import count_rows
from tcs_themes.errors import InputFileError, LabelsError
from tcs_themes.codebook import load_codebook
from tcs_themes.ingest import csv_files, limits
from tcs_themes.ingest.labels import read_labels
from tcs_themes.tables import read_table, read_table_batches, table_columns, write_table

FRAME = pd.DataFrame({"comment_id": ["c1", "c2", "c3"], "text": list(hostile.GOOD_TEXTS), "themes": "clarity"})


def _refused(path: Path, words: str) -> None:
    """Every reader of ``path`` refuses it with one line naming it and saying ``words``."""
    for read in (read_table, lambda p: list(read_table_batches(p)), table_columns):
        if path.suffix == ".csv" and read is not read_table:
            continue
        with pytest.raises(InputFileError) as raised:
            read(path)
        message = str(raised.value)
        assert message.startswith(str(path)) and words in message and "\n" not in message, message
        assert "Priya" not in message


def _each_limit_refuses(path: Path, module: object, cases: dict[str, tuple[int, str]]) -> None:
    """Lower each limit of ``module`` in turn (the others as they are): ``path`` is refused, saying the words given."""
    for name, (value, words) in cases.items():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(module, name, value)
            _refused(path, words)
    read_table(path)  # within every limit again


def test_a_footer_claiming_five_billion_rows_is_refused_before_reading(tmp_path: Path) -> None:
    path = hostile.parquet_claiming_rows(tmp_path / "claims.parquet")
    _refused(path, "declares 5,000,000,000 rows, more than the 10,000,000")
    assert count_rows([path]) is None  # the progress bar's count does not trust it either


def test_parquet_rows_columns_row_groups_and_size_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_table(FRAME, tmp_path / "coded.parquet")
    assert len(read_table(path)) == 3
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 2)
    _refused(path, "declares 3 rows, more than the 2")
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)
    folder = tmp_path / "dataset.parquet"
    folder.mkdir()
    write_table(FRAME, folder / "part-0.parquet")
    write_table(FRAME, folder / "part-1.parquet")  # 6 rows together, 3 each
    with pytest.raises(InputFileError, match="declares 6 rows"):
        read_table(folder)
    _each_limit_refuses(path, limits, {
        "MAX_COLUMNS": (2, "has 3 columns, more than 2"),
        "MAX_ROW_GROUP_BYTES": (100, "row group 1 declares"),
        "MAX_PARQUET_BYTES": (100, "more than the 100 bytes a Parquet file may have"),
    })  # fmt: skip


def test_a_parquet_that_is_not_parquet_says_what_it_really_is(tmp_path: Path) -> None:
    _refused(hostile.text_named_parquet(tmp_path / "text.parquet"), "really a text file")
    (tmp_path / "empty.parquet").write_bytes(b"")
    _refused(tmp_path / "empty.parquet", "the file is empty")
    picture = tmp_path / "zip.parquet"
    picture.write_bytes(hostile.bytes_of_zip({"a.txt": b"x"}))
    _refused(picture, "really an Excel workbook or other zip file")


def test_csv_tables_are_read_as_ingest_reads_csv(tmp_path: Path) -> None:
    path = write_table(FRAME, tmp_path / "coded.csv")
    assert read_table(path)["text"].tolist() == list(hostile.GOOD_TEXTS)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(path.read_text(encoding="utf-8-sig").encode("utf-16"))
    assert read_table(utf16).equals(read_table(path))
    _refused(hostile.long_line_csv(tmp_path / "long.csv", megabytes=2), "line 2 is longer than 1,048,576 characters")
    _each_limit_refuses(path, csv_files, {
        "MAX_ROWS": (2, "more than 2 rows"),
        "MAX_COLUMNS": (2, "more than 2 columns"),
        "MAX_CSV_BYTES": (50, "refused: the file is"),
    })  # fmt: skip


def test_analyst_coded_csv_is_bounded_and_read_in_any_encoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_codebook()
    good = hostile.good_csv(tmp_path / "good.csv")
    for path in (hostile.utf16_csv(tmp_path / "utf16.csv"), hostile.nul_csv(tmp_path / "nul.csv")):
        labels = read_labels(path, book)
        assert labels.texts == list(hostile.GOOD_TEXTS) and labels.comment_ids == ["g1", "g2", "g3"]
    monkeypatch.setattr(csv_files, "MAX_ROWS", 2)
    with pytest.raises(LabelsError, match=r"good\.csv: the file has more than can be read from one file: more than 2 rows"):
        read_labels(good, book)
    errors: list[str] = []
    labels = read_labels([good, hostile.coded_workbook(tmp_path / "coded.xlsx")], book, errors=errors)
    assert len(labels) == 3 and len(errors) == 1 and errors[0].startswith(str(good))


def test_code_refuses_an_over_limit_table_and_codes_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = write_table(FRAME, tmp_path / "good.parquet")
    claims = hostile.parquet_claiming_rows(tmp_path / "claims.parquet")
    monkeypatch.setattr(limits, "MAX_ROWS", 2)  # the row limit of a streamed CSV
    many = write_table(FRAME.assign(comment_id=["m1", "m2", "m3"]), tmp_path / "many.csv")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["code", str(good), str(claims), str(many), "--out", str(out), "--method", "rules"])
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert [line.split(":")[1].strip() for line in errors] == [str(claims), str(many)], errors
    assert "declares 5,000,000,000 rows" in errors[0] and "more than 2 rows" in errors[1]
    assert "Priya" not in result.stdout + result.stderr
    assert sorted(pd.read_parquet(out / "coded.parquet")["comment_id"]) == ["c1", "c2", "c3"]


def test_a_quoted_cell_of_many_short_lines_is_bounded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "coded.csv"
    path.write_text('comment_id,text,themes\nc1,"' + "a short line\n" * 20 + '",clarity\nc2,fine,clarity\n', encoding="utf-8")
    assert len(read_table(path)) == 2
    monkeypatch.setattr(csv_files, "MAX_CSV_LINE_CHARS", 100)  # each line is within it, the cell is not
    _refused(path, "the cell in column 'text' of row 2 is longer than 100 characters")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["code", str(path), "--out", str(out), "--method", "rules"])
    assert result.exit_code == 1 and "the cell in column 'text' of row 2" in result.stderr


def test_a_table_refused_part_way_says_how_many_of_its_rows_were_coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [f"p{n},Comment number {n} about the park.,clarity" for n in range(1, 6)]
    rows[3] = 'p4,"' + "a short line\n" * 20 + '",clarity'
    damaged = tmp_path / "damaged.csv"
    damaged.write_text("comment_id,text,themes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    good = write_table(FRAME, tmp_path / "good.parquet")
    monkeypatch.setattr(csv_files, "MAX_CSV_LINE_CHARS", 100)
    out = tmp_path / "out"
    args = ["code", str(damaged), str(good), "--out", str(out), "--method", "rules", "--batch-size", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "the cell in column 'text' of row 5" in errors[0], errors
    assert errors[0].endswith("(its first 2 rows were coded, the rest not)")
    assert sorted(pd.read_parquet(out / "coded.parquet")["comment_id"]) == ["c1", "c2", "c3", "p1", "p2"]


def test_a_parquet_column_of_lists_is_refused_by_name_and_the_others_are_coded(tmp_path: Path) -> None:
    good = write_table(FRAME, tmp_path / "good.parquet")
    nested = tmp_path / "nested.parquet"
    FRAME.assign(comment_id=["n1", "n2", "n3"], tags=[["a", "b"], [], ["Priya"]]).to_parquet(nested)
    _refused(nested, "column 'tags' holds lists or records")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["code", str(good), str(nested), "--out", str(out), "--method", "rules"])
    assert result.exit_code == 1 and "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(nested) in errors[0] and "flatten it to text or drop it" in errors[0], errors
    assert sorted(pd.read_parquet(out / "coded.parquet")["comment_id"]) == ["c1", "c2", "c3"]
