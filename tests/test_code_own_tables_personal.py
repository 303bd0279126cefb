"""`tcs-themes code` on a user's own table drops its personal columns and redacts the others, as ingest does.

Every detail is invented.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.ingest.plain_tables import identify_rows, personal_headers
from tcs_themes.tables import read_table

runner = CliRunner()
TEXTS = CLARITY + GREEN + FUNDING
PLANTED = ["Kwame Mensah", "kwame@example.org", "07700 900461", "07700 900462", "OX4 2XX", "Priya Shah"]


def _feedback(path: Path, rows: int = 30) -> Path:
    pd.DataFrame({
        "id": range(rows),
        "Comment": [TEXTS[i % len(TEXTS)] for i in range(rows)],
        "Full name": ["Kwame Mensah"] * rows,
        "E-mail address": ["kwame@example.org"] * rows,
        "Tel": ["07700 900461"] * rows,
        "Notes": ["ring 07700 900462 after six, lives at OX4 2XX"] * rows,
        "Interviewer": ["Priya Shah"] * rows,
        "Ward": ["Barton", "Cowley", "Rose Hill"] * (rows // 3),
    }).to_csv(path, index=False)  # fmt: skip
    return path


def test_personal_headers_are_decided_by_header_alone() -> None:
    columns = ["id", "text", "Full name", "E-mail address", "Tel", "Notes", "Interviewer", "Ward", "Notes from Jo Bloggs"]
    assert personal_headers(columns) == ["Full name", "E-mail address", "Tel", "Interviewer", "Notes from Jo Bloggs"]
    assert personal_headers(columns, keep=["Tel"]) == ["Full name", "E-mail address", "Interviewer", "Notes from Jo Bloggs"]
    frame = pd.DataFrame({"text": ["Call 07700 900461"], "Notes": ["jo@example.org"], "Name": ["Jo"], "n": [3]})
    out = identify_rows(frame, "own.csv", 2)
    assert list(out.columns) == ["comment_id", "location", "text", "Notes", "n", "redactions"]
    assert out.loc[0, ["text", "Notes", "n"]].tolist() == ["Call [PHONE]", "[EMAIL]", 3]


def test_code_drops_and_redacts_and_says_so(tmp_path: Path) -> None:
    source = _feedback(tmp_path / "feedback.csv")
    result = runner.invoke(app, ["code", str(source), "--text-column", "Comment", "--method", "rules",
                                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "columns dropped as personal data: 'Full name', 'E-mail address', 'Tel', 'Interviewer'" in result.output
    coded = read_table(tmp_path / "out" / "coded.parquet")
    assert len(coded) == 30 and {"Ward", "Notes", "id"} <= set(coded.columns)
    assert set(coded["Notes"]) == {"ring [PHONE] after six, lives at [POSTCODE]"}
    for name in ("coded.csv", "uncoded.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8-sig")
        assert not [detail for detail in PLANTED if detail in text], name


def test_on_dask_the_same_columns_go(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from tcs_themes.coding.dask_cluster import connect

    _feedback(tmp_path / "notes-1.csv")
    _feedback(tmp_path / "notes-2.csv")
    args = ["code", str(tmp_path / "notes-*.csv"), "--text-column", "Comment", "--method", "rules"]
    one = runner.invoke(app, [*args, "--out", str(tmp_path / "one")])
    with connect("local:2") as client:
        on_dask = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--dask", client.scheduler.address])
    assert one.exit_code == 0 and on_dask.exit_code == 0, on_dask.output
    assert (tmp_path / "dask" / "coded.csv").read_bytes() == (tmp_path / "one" / "coded.csv").read_bytes()
    assert "Full name" not in read_table(tmp_path / "dask" / "coded.parquet").columns
