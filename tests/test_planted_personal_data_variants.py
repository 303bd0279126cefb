"""More planted personal details, in layouts and places the first planted test does not use, never reach an output.

Run, then review export, quotes, count and the REFI-QDA export: every file they
write (tables, workbooks and their document properties, report, charts, logs,
manifest, the .qdpx project) is searched, whatever the case, spacing or phone
layout. Every detail is invented.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pandas as pd
import pytest
from _output_search import found_in, output_texts
from openpyxl import Workbook
from typer.testing import CliRunner

from tcs_themes.cli import app

PLANTED: list[tuple[str, str]] = [
    ("name", "Kwame Mensah"),           # file name in lower case with underscores, and the sheet "MENSAH Kwame"
    ("name", "Ngozi Eze"),              # workbook creator (document properties)
    ("name", "Tunde Bakare"),           # Speaker column
    ("name", "Rhiannon Pugh"),          # Submitted by column
    ("ip", "203.0.113.77"),             # IP address column
    ("handle", "@rhi_pugh_77"),         # Twitter handle column
    ("name", "Aoife Brennan"),          # lower-case names under an innocent header
    ("phone", "07700 900311"),          # Contact details column: "Tel: 07700 900 311"
    ("name", "Anjali Patel"),           # question: "What did Mrs A. Patel say?" and "Kind regards\n\nA. Patel"
    ("phone", "+44 (0)7700 900312"),
    ("phone", "07700900313"),           # "Mob:07700900313"
    ("phone", "01632 960314"),          # "T.01632 960314 x22"
    ("phone", "0044 1632 960315"),
    ("phone", "+353 87 123 4316"),
    ("email", "lola.adebayo at gmail.com"),
    ("email", "d.okoro at example dot co dot uk"),
    ("email", "zara @ example.org"),
    ("postcode", "ox4 7zz"),
    ("postcode", "SW1A1AA"),
    ("ni", "qq 12 34 56 c"),
    ("address", "12a Cherry Blossom Street"),  # after "Flat 3, "
    ("name", "Oluwaseun Adeyemi"),      # "Thank you,\nOluwaseun Adeyemi" (not in the given-name list)
    ("name", "Liam"),                   # "my son Liam"
    ("name", "Jo Bloggs"),              # "i am jo bloggs"
    ("name", "Kofi Boateng"),           # "Boateng, Kofi" alone in a cell (Kofi: a Twi name from Faker's tw_GH)
    ("name", "Tomasz Wisniewski"),      # CSV header "Notes from Tomasz Wisniewski"
    ("email", "tunde.bakare@example.org"),  # CSV header
    ("name", "Funmilayo Adeyemi-Cole"),  # From "ADEYEMI-COLE, Funmilayo Grace", signs "Grace Adeyemi-Cole"
    ("name", "Grace"),
    ("email", "f.cole@example.org"),
    ("name", "Chiamaka"),               # attachment "Chiamaka Obi reference.pdf"
    ("name", "Obi"),
    ("name", "Tomasz Nowak"),           # register session name "Drop-in run by tomasz nowak"
    # layouts a red-team found (tests/test_redaction_red_team.py); the names are in no given-name list
    ("address", "Kestrel House"),       # "Apartment 12, Kestrel House"
    ("address", "flat 3b"),             # "flat 3b Rowan Court"
    ("address", "12 mill lane"),        # lower case, after "I live at"
    ("phone", "07700 900321"),          # "0 7 7 0 0 9 0 0 3 2 1"
    ("spoken phone", "seven seven double oh nine double oh three two two"),
    ("phone", "07700 900323"),          # "(0)7700 900323"
    ("dob", "12/03/1980"),
    ("nhs", "943 476 5919"),
    ("bank", "40-47-84"),
    ("bank", "31926819"),
    ("vehicle", "AB12 CDE"),
    ("handle", "tendai_moyo77"),        # "@tendai_moyo77"
    ("handle", "chipo.nyasha.77"),      # "facebook.com/chipo.nyasha.77"
    ("email", "tariro at example.org"),  # after "email"
    ("name", "Tendai"),                 # "I'm Tendai"
    ("name", "Oyelaran"),               # "my neighbour Oyelaran"
    ("name", "Folasade Ogunleye"),      # signature block below the text, with a role and a phone below it
    ("phone", "07700 900325"),          # "Mob: 0 7700 900 325" in that block
    ("name", "Nwachukwu Obiora"),       # "Love from Nwachukwu Obiora"
    ("name", "Mutasa"),                 # "Surname: Mutasa" in an email body
    # an address, phone and NI number as Faker's en_GB provider makes them (hidden checks may use it)
    ("address", "Slater Rest"),         # "Studio 57\nSlater Rest\nSouth Sallyberg\nL6A 5YX"
    ("address", "South Sallyberg"),
    ("postcode", "L6A 5YX"),
    ("phone", "(0909) 8790836"),
    ("ni", "ZZ631706T"),
]

REGISTER = """\
strands:
  Strand 1: Strategic overview
sessions:
  - {id: S01, name: Drop-in run by tomasz nowak, strand: Strand 1, date: 2022-07-05}
emails:
  strand: Strand 1
"""

TEXTS = [
    "Ring me on +44 (0)7700 900312 about the library opening hours, which are too short.",
    "Mob:07700900313 or the office T.01632 960314 x22 about the youth club funding.",
    "Our cousin abroad on +353 87 123 4316, and home 0044 1632 960315: the buses are late.",
    "Email lola.adebayo at gmail.com or d.okoro at example dot co dot uk about the park lights.",
    "Write to zara @ example.org about the community centre, it needs repairs.",
    "We live at Flat 3, 12a Cherry Blossom Street, ox4 7zz, and SW1A1AA is my office; bins overflow.",
    "For the record my NI is qq 12 34 56 c and the housing repairs take months.",
    "The green space is lovely but dark at night.\nKind regards\n\nA. Patel",
    "The library needs longer opening hours for workers.\nThank you,\nOluwaseun Adeyemi",
    "My son Liam goes to the youth club and it needs more funding.",
    "i am jo bloggs and the buses to the hospital are always late",
    "Boateng, Kofi",
    "Apartment 12, Kestrel House has no lift and flat 3b Rowan Court is damp.",
    "I live at 12 mill lane and the drains smell in summer.",
    "Ring 0 7 7 0 0 9 0 0 3 2 1 or oh seven seven double oh nine double oh three two two, or (0)7700 900323.",
    "DOB 12/03/1980, NHS number 943 476 5919, and the surgery never answers.",
    "Refund to sort code 40-47-84 account 31926819 please; the car parked on the verge is AB12 CDE.",
    "Follow @tendai_moyo77 or facebook.com/chipo.nyasha.77 for photos of the flooding.",
    "email tariro at example.org about the allotments.",
    "I'm Tendai and my neighbour Oyelaran has had no heating since March.",
    "The play area is broken.\n\n--\nFolasade Ogunleye\nChair, Barton Residents Association\nMob: 0 7700 900 325",
    "Please fix the street lights. Love from Nwachukwu Obiora",
    "Please write to me at Studio 57\nSlater Rest\nSouth Sallyberg\nL6A 5YX or call (0909) 8790836; NI ZZ631706T.",
]


def _workbook(path: Path) -> None:
    book = Workbook()
    book.properties.creator = "Ngozi Eze"
    book.properties.lastModifiedBy = "Ngozi Eze"
    sheet = book.active
    sheet.title = "MENSAH Kwame"
    sheet.append(["Session", "Question", "Comment", "Speaker", "Submitted by", "IP address", "Twitter handle",
                  "Column G", "Contact details", "Ward"])  # fmt: skip
    people = ["aoife brennan", "sam jones", "priya shah", "kofi boateng"]
    for number, text in enumerate(TEXTS):
        first = number == 0
        sheet.append(["S01", "What did Mrs A. Patel say?", text, "Tunde Bakare" if first else "Ann Other", "Rhiannon Pugh" if first else "Jo Smith",
                      "203.0.113.77" if first else "198.51.100.1", "@rhi_pugh_77" if first else "@someone",
                      people[number % len(people)] if number else "aoife brennan",
                      "Tel: 07700 900 311" if first else "Tel: 07700 900 999", ["Cowley", "Barton", "Headington"][number % 3]])  # fmt: skip
    book.save(path)


def _csv(path: Path) -> None:
    pd.DataFrame({
        "Comment": ["Parking near the school is dangerous at pick-up time.", "More bins on the high street please."],
        "Notes from Tomasz Wisniewski": ["called back", "no answer"],
        "Comments to tunde.bakare@example.org": ["yes", "no"],
        "Session": ["S01", "S01"],
    }).to_csv(path, index=False)


def _email(path: Path) -> None:
    message = EmailMessage()
    message["From"] = '"ADEYEMI-COLE, Funmilayo Grace" <f.cole@example.org>'
    message["To"] = "consultation@council.example.gov.uk"
    message["Subject"] = "Response from Funmilayo Adeyemi-Cole"
    message["Date"] = "Tue, 19 Jul 2022 10:15:00 +0100"
    message["Message-ID"] = "<f.cole.reply@mail.example>"
    message.set_content(
        "Dear team,\n\nThe council should fund more community transport for older residents, "
        "as the buses to the hospital are always late.\n\nYours sincerely,\nGrace Adeyemi-Cole\n"
        "Surname: Mutasa (my married name)\n"
    )
    message.add_attachment(b"%PDF-1.4 invented", maintype="application", subtype="pdf",
                           filename="Chiamaka Obi reference.pdf")  # fmt: skip
    path.write_bytes(bytes(message))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "sessions.yaml").write_text(REGISTER, encoding="utf-8")
    (raw / "tcs-themes.yaml").write_text("register: sessions.yaml\n", encoding="utf-8")
    _workbook(raw / "notes_kwame_mensah.xlsx")
    _csv(raw / "responses.csv")
    _email(raw / "reply.eml")
    out = tmp_path_factory.mktemp("out")
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(raw), "--out", str(out)])
    assert result.exit_code == 0, result.output
    coded = str(out / "coded.parquet")
    for command in (
        ["review", "export", coded, "--out", str(out / "extra" / "review.xlsx")],
        ["quotes", coded, "--out", str(out / "extra" / "quotes.csv")],
        ["count", coded, "--by", "session", "--out", str(out / "extra" / "by-session.csv")],
        ["export", coded, "--format", "qdpx", "--out", str(out / "extra" / "project.qdpx")],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
    return out


def test_every_planted_detail_is_absent_from_every_output(out: Path) -> None:
    texts = output_texts(out)
    assert {Path(p).suffix for p in texts} >= {".csv", ".parquet", ".xlsx", ".html", ".docx", ".svg", ".json", ".qdpx"}
    leaks = [f"{kind} {value!r} in {Path(path).relative_to(out)}"
             for kind, value in PLANTED for path, text in texts.items() if found_in(kind, value, text)]
    assert leaks == [], "\n".join(leaks)


def test_the_comments_themselves_survive(out: Path) -> None:
    coded = pd.read_parquet(out / "coded.parquet")
    assert len(coded) == len(TEXTS) + 2 + 1  # the workbook's rows, the CSV's two, the email's one point
    assert "[NAME]" in set(coded["text"])  # "Boateng, Kofi": a name and nothing else, kept (nothing is lost)
    assert coded["text"].str.contains("library opening hours").any()
    assert set(coded["Ward"].dropna()) == {"Cowley", "Barton", "Headington"}
    log = pd.read_csv(out / "ingest-log.csv")
    dropped = log.loc[log["reason"] == "personal-column", "detail"]
    assert len(dropped) == 8 and dropped.str.contains("dropped").all()  # six named columns, Column G, a CSV header
