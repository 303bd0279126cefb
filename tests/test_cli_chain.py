"""Every table ``code`` writes is accepted by count, quotes, export and report (issue 13).

A plain CSV - with its own ``id`` column or without - goes through the whole
chain with the bundled codebook and model; the user's ``id`` column is carried
through unchanged and every row gets a ``comment_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Forty real comments of the sample consultation, one with a planted phone number."""
    comments = pd.read_parquet(ROOT / "data" / "coded" / "comments.parquet", columns=["text"])
    texts = comments["text"].iloc[::25].head(40).tolist()
    texts[3] = "Ring me on 07700 900123 about the park: it needs more trees and benches."
    texts[5] = texts[6]  # a repeated comment is still a row of its own
    return texts


def _run(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("own_id", [True, False], ids=["with-id-column", "without-id-column"])
def test_code_count_quotes_export_report_on_a_plain_csv(tmp_path: Path, texts: list[str], own_id: bool) -> None:
    table = pd.DataFrame({"text": texts})
    if own_id:
        table.insert(0, "id", [f"R-{n:03d}" for n in range(101, 101 + len(texts))])
    source = tmp_path / "feedback.csv"
    table.to_csv(source, index=False)

    _run("code", source, "--out", tmp_path / "coded")
    coded = read_table(tmp_path / "coded" / "coded.parquet")
    assert len(coded) == len(texts)
    assert coded["comment_id"].notna().all() and coded["comment_id"].is_unique
    assert coded["comment_id"].str.fullmatch(r"c[0-9a-f]{12}").all()
    assert ("id" in coded.columns) is own_id
    if own_id:
        assert coded["id"].tolist() == table["id"].tolist()
    assert "[PHONE]" in coded["text"].iloc[3] and "07700" not in " ".join(coded["text"])
    assert coded["location"].tolist()[:2] == ["feedback!R2", "feedback!R3"]  # every row kept, as the file numbers them
    assert read_table(tmp_path / "coded" / "coded.csv")["comment_id"].tolist() == coded["comment_id"].tolist()

    for written in ("coded.parquet", "coded.csv", "uncoded.csv"):
        assert "Comments per theme" in _run("count", tmp_path / "coded" / written)
    quotes = _run("quotes", tmp_path / "coded" / "coded.csv", "--out", tmp_path / "quotes.csv")
    assert set(read_table(tmp_path / "quotes.csv")["comment_id"]) <= set(coded["comment_id"])
    assert quotes.strip()
    _run("export", tmp_path / "coded" / "coded.parquet", "--out", tmp_path / "counts.xlsx")
    sheet = load_workbook(tmp_path / "counts.xlsx", read_only=True)["Coded comments"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(coded["comment_id"])
    _run("report", tmp_path / "coded" / "coded.csv", "--out", tmp_path / "report")
    assert (tmp_path / "report" / "report.html").stat().st_size > 0
    assert (tmp_path / "report" / "report.docx").stat().st_size > 0
