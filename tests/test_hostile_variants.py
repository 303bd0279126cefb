"""More hostile inputs beside good ones: each bad file is one line naming it, the good files are read, counts reconcile.

Links out of the input folder, damaged base64 bodies, UTF-16 without a byte-order
mark, control characters in names and cells, multipart nested 1,000 deep, an
empty mbox, NUL bytes (removed and logged): `tcs-themes run` ends quickly, reads every good file,
logs every file it did not read, and writes no control character to any output.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.ingest import ingest
from tcs_themes.ingest.sources import LINK_OUTSIDE, LINKED_FOLDER, expand_paths

GOOD = "Comment,Session\nThe buses are late every morning.,S1\nMore benches in the park please.,S1\n"
OUTSIDE = "Comment\nA private file outside the input folder, never to be read.\n"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _nested_eml(depth: int) -> str:
    lines = ["From: Jo <jo@example.org>", "Subject: nested", "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="b0"', ""]
    for level in range(1, depth):
        lines += [f"--b{level - 1}", f'Content-Type: multipart/mixed; boundary="b{level}"', ""]
    lines += [f"--b{depth - 1}", "Content-Type: text/plain", "", "The library should open on Sundays.", f"--b{depth - 1}--"]
    lines += [f"--b{level}--" for level in range(depth - 2, -1, -1)]
    return "\n".join(lines)


def _mail(body_headers: str, body: str) -> str:
    return f"From: Sam <sam@example.org>\nSubject: views\nMIME-Version: 1.0\n{body_headers}\n\n{body}\n"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    raw, elsewhere = root / "raw", root / "elsewhere"
    raw.mkdir()
    elsewhere.mkdir()
    (elsewhere / "private.csv").write_text(OUTSIDE, encoding="utf-8")
    (raw / "good.csv").write_text(GOOD, encoding="utf-8")
    os.symlink(elsewhere / "private.csv", raw / "link.csv")
    os.symlink(root, raw / "loop")  # a link to a parent: followed, it would never end
    os.symlink(raw / "good.csv", raw / "same.csv")  # a link inside the folder: the file is read once
    (raw / "folder.csv").mkdir()  # a folder named like a file holds nothing to read
    (raw / "damaged.eml").write_text(
        _mail("Content-Type: text/plain\nContent-Transfer-Encoding: base64", "!!!@@@### not base64 at all ===\n" * 50)
    )
    (raw / "padded.eml").write_text(  # a missing "=" pad is harmless: the text is read
        _mail("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64", "VGhlIGJ1cyBpcyBsYXRlLg")
    )
    (raw / "nested.eml").write_text(_nested_eml(1000))
    (raw / "empty.mbox").write_bytes(b"")
    (raw / "nul.csv").write_bytes(b"Comment\nThe bus\x00 is late.\n")
    (raw / "utf16.csv").write_bytes("Comment,Session\nLes bus sont en retard.,S1\n".encode("utf-16-le"))  # no BOM
    (raw / "utf16be.csv").write_bytes("Comment,Session\nPlus de bancs.,S1\n".encode("utf-16-be"))
    (raw / "bad\x1b]0;title\x07name.csv").write_text("Comment\nStreet lights are broken.\n")
    (raw / "two\nlines.xlsx").write_text("Comment\nnot a workbook\n")  # a name with a line break, and wrong content
    (raw / "controls.csv").write_text(
        "Comment,Session,Ward\n\"The park\x0bneeds lights \x1b[31mnow\x1b[0m.\",S\x01one,Bar\x07ton\n", encoding="utf-8"
    )
    return raw, root


def test_links_are_not_followed_out_of_the_folder(folders: tuple[Path, Path]) -> None:
    raw, root = folders
    for given in (raw, f"{raw}/**/*.csv"):
        found, errors = expand_paths([given])
        assert not errors
        reasons = {item.relative: item.skip_reason for item in found}
        assert reasons["link.csv"] == LINK_OUTSIDE
        assert all("loop/" not in item.relative and "elsewhere" not in item.relative for item in found)
        assert len([item for item in found if item.skip_reason is None and item.path.resolve() == raw / "good.csv"]) == 1
    assert {item.relative: item.skip_reason for item in expand_paths([raw])[0]}["loop"] == LINKED_FOLDER


def test_each_bad_file_is_one_line_and_the_good_ones_are_read(folders: tuple[Path, Path]) -> None:
    raw, _ = folders
    start = time.perf_counter()
    result = ingest(raw)
    assert time.perf_counter() - start < 30
    errors = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line for line in result.errors}
    assert set(errors) == {"damaged.eml", "nested.eml", "empty.mbox", "two\\nlines.xlsx"}
    assert "declared base64 but holds other characters; export the message again" in errors["damaged.eml"]
    assert all("\n" not in line for line in result.errors)
    texts = set(result.comments["text"])
    assert {"The buses are late every morning.", "Les bus sont en retard.", "Plus de bancs.", "The bus is late.",
            "Street lights are broken."} <= texts  # fmt: skip
    assert not any("private file" in text for text in texts)
    nul = result.log[result.log["source_file"].str.endswith("/nul.csv")]  # its rows kept, the NUL removed and logged
    assert nul[["reason", "detail"]].values.tolist() == [
        ["decoded", "1 NUL byte removed (the first on line 2); the rest of the file read as it is"]
    ]
    assert result.comments["source_file"].str.endswith("/nul.csv").sum() == 1
    skipped = result.log[result.log["reason"] == "skipped"]
    assert set(skipped["source_file"].str.rsplit("/", n=1).str[-1]) == {"link.csv", "loop"}
    for row in result.files.itertuples(index=False):  # nothing lost
        assert row.rows_read == row.kept + row.blank + row.duplicates + row.failed + row.removed, row.source_file


def test_no_control_character_reaches_any_output(folders: tuple[Path, Path], tmp_path: Path) -> None:
    raw, _ = folders
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "Files read" in result.output  # files failed; the others were coded
    assert "Error: " + str(raw / "two\\nlines.xlsx: the file is really a text file") in result.output  # one line
    assert "bad\\x1b]0;title\\x07name.csv" not in result.output  # read fine: no error names it
    coded = pd.read_parquet(tmp_path / "coded.parquet")
    assert "The park\nneeds lights [31mnow[0m." in set(coded["text"])
    assert {"Sone", "Barton"} <= set(coded["session_name"].dropna()) | set(coded["Ward"].dropna())
    for path in tmp_path.rglob("*"):
        if path.suffix in (".csv", ".json", ".html", ".svg"):
            assert not _CONTROL.search(path.read_text(encoding="utf-8")), path.name
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                assert not any(_CONTROL.search(archive.read(n).decode()) for n in archive.namelist() if n.endswith(".xml"))


def _workbook_with_sheets(path: Path, count: int) -> Path:
    """A minimal .xlsx of ``count`` one-comment sheets, written as XML directly (openpyxl would take minutes)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    numbers = range(1, count + 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>' for n in numbers)
            + "</Types>"
        ))
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
                         f'Type="{relation}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{relation}"><sheets>'
                         + "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in numbers)
                         + "</sheets></workbook>")  # fmt: skip
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{package}">' + "".join(
            f'<Relationship Id="rId{n}" Type="{relation}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers
        ) + "</Relationships>")
        for n in numbers:
            archive.writestr(f"xl/worksheets/sheet{n}.xml", f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" '
                             f't="inlineStr"><is><t>Comment</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is>'
                             f"<t>The park needs lights {n}.</t></is></c></row></sheetData></worksheet>")  # fmt: skip
    return path


def test_a_workbook_of_too_many_sheets_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    many = _workbook_with_sheets(tmp_path / "many.xlsx", 3_000)
    start = time.perf_counter()
    result = ingest([many, tmp_path / "good.csv"])
    assert time.perf_counter() - start < 10  # openpyxl alone would take seconds, and minutes for 20,000 sheets
    assert result.errors == [f"{many.as_posix()}: refused: the workbook has 3,000 sheets, more than 1,000; "
                             "split it into several workbooks"]  # fmt: skip
    assert len(result.comments) == 2
    ten = ingest(_workbook_with_sheets(tmp_path / "ten.xlsx", 10))
    assert not ten.errors and len(ten.comments) == 10  # the hand-written workbook is a real one
