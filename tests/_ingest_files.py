"""Build real input files for the ingest tests: workbooks in several layouts, CSVs, emails, mboxes."""

from __future__ import annotations

import datetime
import mailbox
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl

REGISTER_YAML = """\
strands:
  Strand 1: Strategic overview
  Strand 2: Whole-system conversations
emails:
  strand: Emails
sessions:
  - {id: S01, name: Corporate management team, strand: Strand 1, date: 2022-07-05, format: online, aliases: [CMT]}
  - {id: S04, name: Community and cultural partners 1, strand: Strand 2, date: 2022-07-07, format: online, aliases: [Partners 1]}
  - {id: S06, name: "Councillors' briefing 1", strand: Strand 2, date: 2022-07-13, format: online, aliases: [Cllrs 1]}
"""


def write_register(folder: Path) -> Path:
    path = folder / "sessions.yaml"
    path.write_text(REGISTER_YAML, encoding="utf-8")
    return path


def sheet_per_session(path: Path) -> Path:
    """One sheet per session, header on row 1, a cover sheet, blank rows, a duplicate, analyst codes."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Read me"
    cover["A1"] = "Notes from the City Conversation sessions"
    partners = book.create_sheet("Partners 1")
    partners.append(["Date", "Question", "Comment", "Theme", "Other themes"])
    partners.append([datetime.datetime(2022, 7, 7), "What have we missed?", "Go to where people already are", "community_involvement", "communication"])
    partners.append([None, None, None, None, None])
    partners.append([datetime.datetime(2022, 7, 7), "What have we missed?", "Line one\nline two of the same note", "clarity", None])
    partners.append([datetime.datetime(2022, 7, 7), None, "Go to where people already are", "community_involvement", None])
    partners.append([datetime.datetime(2022, 7, 7), None, None, "clarity", None])
    partners.append([datetime.datetime(2022, 7, 7), None, 42, None, None])
    cmt = book.create_sheet("CMT")
    cmt.append(["Date", "Question", "Comment", "Theme", "Other themes"])
    cmt.append(["05/07/2022", "What does success look like?", "Go to where people already are", "measuring_outcomes", None])
    cmt.append([None, None, "Email me at someone@example.org", "communication", None])
    book.save(path)
    return path


def titled_single_session(path: Path) -> Path:
    """A title row merged across the columns, a blank row, the header on row 3, a question merged down."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet["A1"] = "Councillors' briefing 1 - 13 July 2022"
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Question discussed", "What was said", "Theme"])
    sheet.append(["How can you work with us?", "Use the ward forums", "partnership_working"])
    sheet.append([None, datetime.datetime(2022, 7, 13), None])
    sheet.append([None, "A third  note ", "governance"])
    sheet.merge_cells("A4:A6")
    book.save(path)
    return path


def csv_export(path: Path, encoding: str) -> Path:
    """A CSV export with a session column, UK dates and typographic characters."""
    text = (
        "Session name,Date,Feedback,Theme\r\n"
        "Cllrs 1,13/07/2022,\u201cThriving\u201d means what \u2013 exactly?,clarity\r\n"
        'CMT,05/07/2022,"Two lines,\r\nwith a comma",governance\r\n'
        "Partners 1,,Caf\u00e9s and the \u00a35 entry fee matter,cost_of_living\r\n"
    )
    path.write_bytes(text.encode(encoding))
    return path


def zip_members(path: Path) -> dict[str, bytes]:
    """The members of a zip file (a workbook, a model) by name."""
    with zipfile.ZipFile(path) as source:
        return {name: source.read(name) for name in source.namelist()}


def write_zip(path: Path, contents: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> zipfile.ZipFile:
    """Write ``contents`` as the zip ``path``; return the archive still open, to add members, and to close."""
    target = zipfile.ZipFile(path, "w", compression)
    for name, data in contents.items():
        target.writestr(name, data)
    return target


def with_cached_formula(path: Path, sheet_xml: str, cell: str, value: str) -> None:
    """Give the formula in ``cell`` a saved value, as Excel does when it saves (openpyxl cannot)."""
    contents = zip_members(path)
    xml = contents[sheet_xml].decode()
    xml = re.sub(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
        rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v></c>',
        xml,
    )
    contents[sheet_xml] = xml.encode()
    write_zip(path, contents).close()


def formulas_workbook(path: Path) -> Path:
    """Text built by formulas: one with a saved value, one never calculated."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Partners 1"
    sheet.append(["Comment", "Part A", "Part B"])
    sheet.append(['=B2&" "&C2', "Joined up", "thinking"])
    sheet.append(['=B3&" "&C3', "Never", "saved"])
    book.save(path)
    with_cached_formula(path, "xl/worksheets/sheet1.xml", "A2", "Joined up thinking")
    return path


def _message(subject: str, sender: str, body: str | None = None, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "consultation@council.example.gov.uk"
    message["Subject"] = subject
    message["Date"] = "Tue, 19 Jul 2022 10:15:00 +0100"
    slug = re.sub(r"\W+", "-", subject.lower())
    message["Message-ID"] = f"<{slug}@mail.example>"
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message


PLAIN = _message(
    "Views on the paper",
    "Priya Patel <priya.patel@riverside-trust.org.uk>",
    "Hello,\n\nThe paper reads well but needs a plan for how\nwe will know it has worked.\n\nKind regards,\nPriya Patel\n"
    "Riverside Community Trust\n",
)
HTML_ONLY = _message(
    "Our response",
    "Sam Okafor <sam@gmail.com>",
    html="<html><body><p>Dear team,</p><p>As a resident I think the <b>parks</b> need more benches.</p>"
    "<p>Thanks</p></body></html>",
)
REPLY = _message(
    "RE: Consultation",
    "Alex Moreno <alex.moreno@county.example.gov.uk>",
    "Please count our officers in for the next round of sessions.\n\nBest wishes\nAlex Moreno\nPublic Health Team\n"
    "Oxfordshire County Council\nTel: 01865 000111\n\nThis email is confidential and intended solely for the addressee."
    "\n\n-----Original Message-----\nFrom: Consultation\nSent: 18 July 2022\nSubject: Consultation\n\n"
    "We would welcome your views on the attached paper.\n",
)
POINTS = _message(
    "Three points",
    "Jo Bloggs <jo.bloggs@arts-network.org>",
    "Hi,\n\nOur points are:\n\n1. Define 'thriving' in plain English.\n2. Ring Jo Bloggs on 07700 900123 about the\n"
    "   venue list.\n3. Publish the action plan.\n\nThanks,\nJo\n",
)


def with_attachment(message: EmailMessage) -> EmailMessage:
    message.add_attachment(b"%PDF-1.4 fake report", maintype="application", subtype="pdf", filename="report.pdf")
    return message


def write_eml(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(bytes(message))
    return path


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path
