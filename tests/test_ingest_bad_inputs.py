"""Bad inputs give one-line errors naming the file and what to do; the good files are still read."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import _ingest_files as files
from tcs_themes.ingest import EMAIL_READERS, ingest

SECRET = "Confidential remark about Ms Example"


def _bad_files(folder: Path) -> dict[str, str]:
    """Write one bad file per kind of problem; return file name -> expected words of its error."""
    (folder / "empty.csv").write_bytes(b"")
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    # an encrypted workbook is an OLE2 container with an EncryptedPackage stream
    (folder / "protected.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    )
    (folder / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300))
    (folder / "really_csv.xlsx").write_text(f"Comment\n{SECRET}\n", encoding="utf-8")
    files.sheet_per_session(folder / "really_xlsx.csv")
    book = openpyxl.Workbook()
    book.active.append(["Colour", "Count"])
    book.active.append([SECRET, 3])
    book.save(folder / "no_text_column.xlsx")
    mixed = f"Comment\n{SECRET} caf\u00e9\n".encode() + "na\u00efve \u2019quote\u2019\n".encode("cp1252")
    (folder / "mixed_encoding.csv").write_bytes(mixed)
    (folder / "cyrillic.csv").write_bytes("Comment\n\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440\n".encode("cp1251"))
    (folder / "not_an_email.eml").write_text(f"{SECRET}\nJust some notes typed into a file.\n", encoding="utf-8")
    (folder / "binary.eml").write_bytes(b"%PDF-1.4\n" + bytes(50))
    (folder / "not_an_mbox.mbox").write_text("Subject: hello\n\nno From line\n", encoding="utf-8")
    (folder / "old_format.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300))
    return {
        "empty.csv": "the file is empty",
        "corrupt.xlsx": "the workbook is damaged and cannot be read",
        "protected.xlsx": "password-protected; open it, remove the password",
        "old.xlsx": "really an Office 97-2003 file",
        "really_csv.xlsx": "really a text file; save it as an Excel workbook (.xlsx) or give it its right extension",
        "really_xlsx.csv": "really an Excel workbook or other zip file",
        "no_text_column.xlsx": "no column looks like comment text",
        "mixed_encoding.csv": "mixes UTF-8 with another encoding",
        "cyrillic.csv": "cannot tell the file's encoding (not UTF-8 or Windows-1252",
        "not_an_email.eml": "not an email",
        "binary.eml": "really a PDF",
        "not_an_mbox.mbox": "not an mbox file",
        "old_format.xls": "is an Excel 97-2003 workbook; open it and save it as .xlsx",
    }


def test_each_bad_file_is_one_clear_error_and_good_files_still_ingest(tmp_path: Path) -> None:
    expected = _bad_files(tmp_path)
    files.csv_export(tmp_path / "good.csv", "utf-8")
    files.write_eml(tmp_path / "good.eml", files.PLAIN)
    result = ingest([tmp_path, tmp_path / "missing.xlsx"])
    assert len(result.comments) == 4  # 3 rows of good.csv and the good email
    assert set(result.comments["source_file"]) == {f"{tmp_path.as_posix()}/good.csv", f"{tmp_path.as_posix()}/good.eml"}
    assert len(result.errors) == len(expected) + 1
    for name, words in expected.items():
        [message] = [e for e in result.errors if e.startswith(f"{tmp_path.as_posix()}/{name}")]
        assert words in message, message
    assert f"{(tmp_path / 'missing.xlsx').as_posix()}: file or folder not found; check the path" in result.errors
    for message in result.errors:
        assert "\n" not in message
        assert SECRET not in message and "Ms Example" not in message
    assert not result.log["detail"].str.contains("Ms Example").any()
    failed = set(result.files.loc[result.files["error"].notna(), "source_file"])
    assert len(failed) == len(expected) + 1


def test_a_folder_with_other_files_logs_them_without_failing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("about the data", encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text("Comment\nx\n", encoding="utf-8")
    (tmp_path / "~$book.xlsx").write_bytes(b"lock")
    files.csv_export(tmp_path / "good.csv", "utf-8")
    result = ingest(tmp_path)
    assert result.errors == []
    assert result.log[["reason", "detail"]].values.tolist() == [["unsupported", "not a spreadsheet or email file (.md)"]]


def test_an_unsupported_file_named_directly_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    result = ingest(tmp_path / "notes.docx")
    assert result.errors == [f"{(tmp_path / 'notes.docx').as_posix()}: cannot read .docx; give .xlsx, .csv, .eml, .mbox or .msg files"]


def test_glob_that_matches_nothing(tmp_path: Path) -> None:
    result = ingest(str(tmp_path / "*.xlsx"))
    assert result.errors == [f"{(tmp_path / '*.xlsx').as_posix()}: no files match this pattern; check it"]


def test_unexpected_exceptions_are_contained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, source_file: str) -> list:
        raise RuntimeError(SECRET)

    monkeypatch.setitem(EMAIL_READERS, ".eml", broken)
    files.write_eml(tmp_path / "a.eml", files.PLAIN)
    files.csv_export(tmp_path / "good.csv", "utf-8")
    result = ingest(tmp_path)
    assert len(result.comments) == 3
    assert result.errors == [f"{tmp_path.as_posix()}/a.eml: unexpected RuntimeError while reading it; please report it"]
    assert isinstance(result.unexpected[0], RuntimeError)
