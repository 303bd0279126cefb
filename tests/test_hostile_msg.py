"""Outlook .msg files (the optional ``outlook`` extra) within the email limits: a body over
MAX_EMAIL_BODY_BYTES is one error line for its file, the other messages are read.

The .msg files are real OLE compound files written with extract-msg's own
``OleWriter``: the message class, subject, sender, message id and a UTF-16 body,
with their property stream. Skipped when extract-msg is not installed.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import _hostile_files as hostile
from tcs_themes.cli import app

extract_msg = pytest.importorskip("extract_msg")
ole_writer = pytest.importorskip("extract_msg.ole_writer")

_STRINGS = {"subject": 0x0037001F, "body": 0x1000001F, "class": 0x001A001F, "sender": 0x0C1A001F, "id": 0x1035001F}


def write_msg(path: Path, body: str, message_id: str) -> Path:
    """A real Outlook message: its strings as UTF-16 property streams, listed in ``__properties_version1.0``."""
    writer = ole_writer.OleWriter()
    values = {"subject": "Views on the library", "body": body, "class": "IPM.Note", "sender": "Sam Jones", "id": f"<{message_id}>"}
    listed = b""
    for key, tag in _STRINGS.items():
        data = values[key].encode("utf-16-le")
        writer.addEntry(f"__substg1.0_{tag:08X}", data)
        listed += struct.pack("<IIII", tag, 6, len(data) + 2, 0)  # tag, readable+writable, size with the terminator
    writer.addEntry("__properties_version1.0", bytes(8) + struct.pack("<IIII", 0, 0, 0, 0) + bytes(8) + listed)
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(["__nameid_version1.0", stream], b"")
    writer.write(str(path))
    return path


def test_a_msg_body_over_the_limit_is_one_error_and_the_other_messages_are_read(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_msg(raw / "good.msg", "The library should open on Sundays.", "m1@example.org")
    long_body = hostile.SECRET + " " + "The park needs benches. " * 220_000  # 5.3 MB, over the 4 MiB limit
    write_msg(raw / "long.msg", long_body, "m2@example.org")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["ingest", str(raw), "--out", str(out / "comments.csv")])
    output = result.stdout + result.stderr
    assert result.exit_code == 1 and "Traceback" not in output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "long.msg" in errors[0] and "body" in errors[0], errors
    assert not [part for part in ("Priya", "07700", "priya.r@") if part in output]
    comments = pd.read_csv(out / "comments.csv")
    assert comments["text"].tolist() == ["The library should open on Sundays."]
    assert not list(tmp_path.glob("*.csv"))  # nothing beside --out's folder
