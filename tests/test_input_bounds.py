"""Every input is bounded: an email, an mbox message, a CSV or a YAML file over a limit is one line naming it, and the rest is read.

The files are real (written with ``email``, ``openpyxl``, ``zipfile``); where a
limit is large, the test lowers the constant rather than writing 100 MB files.
Each test checks the one-line error or log entry, that the good files (or
messages) beside the bad one are read, and that the counts reconcile.
"""

from __future__ import annotations

import re
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

import _ingest_files as files
from tcs_themes.codebook import load_codebook
from tcs_themes.errors import CodebookError, SessionRegisterError, SettingsError
from tcs_themes.ingest import csv_files, emails, ingest, load_register, workbooks
from tcs_themes.ingest.html_text import html_to_text
from tcs_themes.ingest.limits import MAX_EMAIL_PARTS
from tcs_themes import config, yaml_limits

GOOD_CSV = "Comment\nThe buses to Barton are late every morning.\nMore benches in the park please.\n"


def _good_csv(folder: Path) -> Path:
    path = folder / "good.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    return path


def _mail(subject: str, body: str | None = None, html: str | None = None) -> EmailMessage:
    return files._message(subject, "Sam Lee <sam@example.org>", body, html)


def _reconciles(result) -> None:
    for row in result.files.itertuples(index=False):  # nothing lost: every row or part counted once
        assert row.rows_read == row.kept + row.blank + row.duplicates + row.failed + row.removed, row.source_file


def _good_ones_read(result) -> None:
    texts = set(result.comments["text"])
    assert {"The buses to Barton are late every morning.", "More benches in the park please."} <= texts
    assert all("\n" not in line for line in result.errors)
    _reconciles(result)


def _one_error_beside_a_good_csv(folder: Path, bad: Path, problem: str):
    """Ingest ``folder`` with a good CSV added: ``bad`` is the only error, with ``problem``; the good files are read."""
    _good_csv(folder)
    result = ingest(folder)
    assert result.errors == [f"{bad.as_posix()}: {problem}"]
    _good_ones_read(result)
    return result


# -- HTML ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<!--" * 100_000 + "<p>hidden</p>", ""),  # html.parser: quadratic, about 2 minutes
        ("</" * 200_000 + "<p>The park</p>", "</" * 200_000 + "\n\nThe park"),
        ("<?" * 200_000, "<?" * 200_000),
        ("<![CDATA[" * 50_000 + "x", "<![CDATA[" * 50_000 + "x"),
        ("<div>" * 100_000 + "Deep text" + "</div>" * 100_000, "Deep text"),
        ('<p class="' + "a" * 2_000_000 + '">After a 2 MB attribute</p>', "After a 2 MB attribute"),
        ("<b>x</b>" * 200_000, "x" * 200_000),
        ('<p title="a > b">Quoted &gt; kept</p><script>if (a<b) {}</script><p>end', "Quoted > kept\n\nend"),
    ],
    ids=["open-comments", "open-end-tags", "open-instructions", "open-cdata", "deep", "huge-attribute", "many-tags", "quotes"],
)
def test_pathological_html_converts_in_linear_time(markup: str, expected: str) -> None:
    start = time.perf_counter()
    text = html_to_text(markup)
    assert time.perf_counter() - start < 3
    assert text == expected


# -- emails ----------------------------------------------------------------------------------------------------------


def test_an_email_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(emails, "MAX_EMAIL_BYTES", 60_000)
    _good_csv(tmp_path)
    files.write_eml(tmp_path / "small.eml", _mail("Small", "The library should open on Sundays."))
    big = _mail("Big", "The swimming pool is too expensive.")
    big.add_attachment(bytes(range(256)) * 400, maintype="application", subtype="pdf", filename="scan.pdf")
    path = files.write_eml(tmp_path / "big.eml", big)
    result = _one_error_beside_a_good_csv(tmp_path, path, (
        f"refused: the email is {path.stat().st_size:,} bytes, more than the 60,000 bytes one email may have; "
        "save it again without its attachments (they are not read)"
    ))
    assert "The library should open on Sundays." in set(result.comments["text"])


def test_an_email_of_too_many_parts_is_refused_at_once(tmp_path: Path) -> None:
    many = _mail("Many", "The park needs lights.")
    for number in range(MAX_EMAIL_PARTS + 200):
        many.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=f"{number}.bin")
    path = files.write_eml(tmp_path / "many.eml", many)
    start = time.perf_counter()
    _one_error_beside_a_good_csv(tmp_path, path, (
        "refused: the email has more than 1,000 MIME parts (attachments and alternative bodies); save it again "
        "without its attachments (they are not read)"
    ))
    assert time.perf_counter() - start < 10  # parsing 10,000 parts took 4 s before, and grew with the parts


def _raw_mbox(path: Path, messages: list[bytes]) -> Path:
    """An mbox written as bytes, so a body line starting "From " stays unescaped, as some exporters leave it."""
    path.write_bytes(b"".join(b"From sender@example.org Tue Jul 19 10:15:00 2022\n" + raw + b"\n\n" for raw in messages))
    return path


def test_mbox_messages_over_a_limit_are_logged_and_the_others_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(emails, "MAX_EMAIL_BODY_BYTES", 20_000)
    monkeypatch.setattr(emails, "MAX_EMAIL_BYTES", 100_000)
    long_html = _mail("Long", html="<p>" + "The bins are not collected. " * 1_000 + "</p>")
    heavy = _mail("Heavy", "The market needs more stalls.")
    heavy.add_attachment(bytes(range(256)) * 600, maintype="application", subtype="pdf", filename="plan.pdf")
    split = bytes(_mail("Split", "Our first point is about parking.\n\nFrom the council we want answers.\n\nRegards,\nSam\n"))
    box = _raw_mbox(tmp_path / "box.mbox", [
        bytes(_mail("First", "The library should open on Sundays.")), bytes(long_html), bytes(heavy), split,
    ])
    _good_csv(tmp_path)
    result = ingest(tmp_path)
    name = box.as_posix()
    # _raw_mbox ends each message with two line breaks; the mbox split takes one of them
    body_size = len(long_html.get_body().get_payload(decode=True)) + 1
    heavy_size = len(bytes(heavy)) + 1
    assert result.errors == [
        f"{name} (box.mbox:2): refused: its body is {body_size:,} bytes, "
        "more than the 20,000 bytes one email body may have; if it is one response, save its text in a CSV, "
        "a paragraph a row, and ingest that",
        f"{name} (box.mbox:3): refused: the email is {heavy_size:,} bytes, more than the 100,000 bytes one email "
        "may have; save it again without its attachments (they are not read)",
    ]
    failed = result.log[(result.log["source_file"] == name) & (result.log["reason"] == "error")]
    assert failed["location"].tolist() == ["box.mbox:2", "box.mbox:3"] and failed["comment_id"].notna().all()
    mailed = result.comments[result.comments["source_file"] == name]
    assert mailed["text"].tolist() == [
        "The library should open on Sundays.", "Our first point is about parking.", "From the council we want answers.",
    ]  # the unescaped "From " line is joined back to its message, not read as a message of its own
    report = result.files.set_index("source_file").loc[name]
    assert (report["failed"], report["kept"]) == (2, 3)
    _good_ones_read(result)


def test_an_mbox_is_read_up_to_its_message_limit_and_the_rest_is_one_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(emails, "MAX_MBOX_MESSAGES", 3)
    subjects = ["One", "Two", "Three", "Four", "Five"]
    box = files.write_mbox(tmp_path / "box.mbox", [_mail(s, f"Point number {s.lower()} about the parks.") for s in subjects])
    result = ingest(box)
    assert result.comments["text"].tolist() == [f"Point number {s} about the parks." for s in ("one", "two", "three")]
    assert result.errors == [
        f"{box.as_posix()} (box.mbox:4): refused: the mailbox has more than 3 messages; this one and those after "
        "it are not read: split the mailbox"
    ]
    _reconciles(result)


# -- CSV -------------------------------------------------------------------------------------------------------------


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(csv_files, "MAX_CSV_BYTES", 10_000)
    big = tmp_path / "big.csv"
    big.write_text("Comment\n" + "The bins are not collected on time.\n" * 400, encoding="utf-8")
    _one_error_beside_a_good_csv(tmp_path, big, (
        "refused: the file is 14,408 bytes, more than the 10,000 bytes one CSV may have; split it into several files"
    ))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Comment\n" + "word " * 1_000 + "\nanother row\n", "line 2 is longer than 2,000 characters"),
        ('Comment\n"An unclosed quote\n' + "and more lines after it\n" * 200, "a cell starting on line 2 is longer than 2,000 characters"),
        ("x" * 3_000, "line 1 is longer than 2,000 characters"),
    ],
    ids=["one-long-line", "unclosed-quote", "no-line-break"],
)
def test_a_csv_line_or_cell_over_the_limit_is_an_error_naming_it(tmp_path: Path, monkeypatch, content: str, problem: str) -> None:
    monkeypatch.setattr(csv_files, "MAX_CSV_LINE_CHARS", 2_000)
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    _one_error_beside_a_good_csv(tmp_path, bad, (
        f"{problem}, which no table's row is (an unclosed quote makes the rest of the file one cell); check the "
        "quotes on that line, or split the text"
    ))


def test_nul_bytes_in_a_csv_are_removed_and_logged_but_binary_files_are_refused(tmp_path: Path) -> None:
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"Comment,Ward\nThe park\x00 needs lights.,North\n\x00\x00Fix the potholes.,South\n")
    picture = tmp_path / "picture.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    result = _one_error_beside_a_good_csv(tmp_path, picture, (
        "the file is really a binary file; give it its right extension (.xlsx, .eml, ...) or export it as CSV"
    ))
    assert {"The park needs lights.", "Fix the potholes."} <= set(result.comments["text"])
    logged = result.log[result.log["source_file"] == nul.as_posix()]
    assert logged[["reason", "detail"]].values.tolist() == [
        ["decoded", "3 NUL bytes removed (the first on line 2); the rest of the file read as it is"]
    ]


# -- workbooks -------------------------------------------------------------------------------------------------------


def test_a_styles_bomb_is_refused_before_openpyxl_builds_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workbooks, "MAX_CELL_FORMATS", 500)
    path = tmp_path / "styles.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Comment"])
    book.active.append(["A real comment"])
    book.save(path)
    contents = files.zip_members(path)
    styles = contents["xl/styles.xml"].decode()
    formats = "".join(f'<xf numFmtId="{n % 50}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for n in range(600))
    contents["xl/styles.xml"] = re.sub(r'<cellXfs count="\d+">', f'<cellXfs count="601">{formats}', styles).encode()
    files.write_zip(path, contents, zipfile.ZIP_DEFLATED).close()
    _one_error_beside_a_good_csv(tmp_path, path, (
        "refused: its styles hold more than 500 cell formats or 200,000 elements (Excel's own limit is 65,490 "
        "formats); clear the formats in Excel (Home, Clear, Clear Formats) and save it again"
    ))
    monkeypatch.setattr(workbooks, "MAX_CELL_FORMATS", 1_000)  # within the limit: the same workbook is read
    assert ingest(path).comments["text"].tolist() == ["A real comment"]


# -- YAML ------------------------------------------------------------------------------------------------------------


def test_yaml_files_over_the_size_limit_or_not_utf8_are_one_line_errors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(yaml_limits, "MAX_YAML_BYTES", 2_000)
    big = "name: t\nsynonyms:\n" + "".join(f"  - word{n}\n" for n in range(300))
    for name, loader, error in (
        ("codebook.yaml", load_codebook, CodebookError),
        ("sessions.yaml", load_register, SessionRegisterError),
        ("settings.yaml", config.load_settings, SettingsError),
    ):
        path = tmp_path / name
        path.write_text(big, encoding="utf-8")
        with pytest.raises(error) as raised:
            loader(path)
        kind = "codebook" if name == "codebook.yaml" else "file"
        assert str(raised.value) == (
            f"{path}: refused: the {kind} is {len(big):,} bytes, more than the 2,000 bytes a settings, register or "
            "codebook file may have; check it is the right file"
        )
        path.write_bytes("register: caf\xe9.yaml\n".encode("latin-1"))
        with pytest.raises(error, match=r"is not UTF-8 text; save it as UTF-8$"):
            loader(path)
