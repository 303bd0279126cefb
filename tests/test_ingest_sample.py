"""The bundled sample consultation under data/raw ingests with no errors and no lost rows."""

from __future__ import annotations

from pathlib import Path

import tcs_themes
from tcs_themes.ingest import ingest

RAW = Path(__file__).parents[1] / "data" / "raw"


def test_sample_ingests_cleanly() -> None:
    result = ingest(RAW)
    assert result.errors == []
    files = result.files
    assert (files["rows_read"] == files["kept"] + files["blank"] + files["duplicates"] + files["failed"] + files["removed"]).all()
    assert files["failed"].sum() == 0
    emails = sorted(p.name for p in (RAW / "emails").glob("*.eml")) + sorted(p.name for p in (RAW / "emails").glob("*.mbox"))
    read = result.comments.loc[result.comments["source_kind"] == "email", "source_file"].str.rsplit("/", n=1).str[-1]
    assert sorted(set(read)) == sorted(emails)  # every email gave at least one comment
    spreadsheets = result.comments[result.comments["source_kind"] == "spreadsheet"]
    assert spreadsheets["session_id"].notna().all()  # every session note matched the register
    assert result.comments["comment_id"].is_unique
    assert result.log["reason"].isin(["blank", "not-comments", "attachment", "unsupported", "removed"]).all()


def test_public_api() -> None:
    assert set(tcs_themes.__all__) >= {"ingest", "IngestResult", "load_register", "SessionRegister", "redact",
                                       "load_settings", "Settings"}
    assert tcs_themes.ingest is ingest
