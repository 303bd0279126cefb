"""Planted personal details never reach any output of `tcs-themes run`.

Over 40 invented details of every kind (names, emails, phones in every layout,
postcodes, NI numbers, addresses) are planted in every place an input can hold
them: comment text, extra columns, headers, sheet names, file names, the
sessions register, questions, email From headers, bodies, sign-offs and
attachment names. After `run`, every output file is read (CSV, Parquet, the
XML inside the xlsx and docx, HTML, SVG, JSON and logs) and searched with case,
spacing and phone layout normalised away.
"""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from _output_search import found_in, output_texts
from typer.testing import CliRunner

from tcs_themes.cli import app

# (kind, value): every value is invented.
PLANTED: list[tuple[str, str]] = [
    ("name", "Tomasz Nowak"),            # file name
    ("name", "Hannah Clarke"),           # sheet name
    ("name", "Fatima Hussain"),          # register session name
    ("name", "Ahmed Khan"),              # question
    ("name", "Eleanor Whitfield"),       # Name column
    ("email", "eleanor.w@example.org"),  # Email column
    ("phone", "01632 960111"),           # Telephone column
    ("address", "14 Larkspur Crescent"),  # Address column
    ("postcode", "OX4 7QZ"),             # Postcode column
    ("name", "Gareth Pryce"),            # Contact column
    ("name", "Imogen Stafford"),         # Respondent column
    ("email", "stafford.family@example.net"),  # unnamed column whose values are emails
    ("name", "Declan Murphy"),           # header of a carried column
    ("phone", "+44-7700-900-201"),       # comment text, layouts people type
    ("phone", "0044 7700 900202"),
    ("phone", "07700.900.203"),
    ("phone", "01632 960204"),           # glued: Tel.01632 960204
    ("phone", "01632 960205"),           # with an extension
    ("phone", "+33 1 23 45 67 89"),      # international
    ("phone", "+1 (555) 010-4567"),
    ("phone", "+14155550134"),
    ("phone", "(020) 7946 0206"),
    ("ni", "QQ 12 34 56 C"),
    ("ni", "QQ654321A"),
    ("email", "jo.bloggs@example.com"),
    ("email", "r.singh [at] example [dot] org"),
    ("postcode", "OX3 9ZZ"),
    ("address", "7 Wisteria Lane"),
    ("name", "Priya Raman"),             # "my name is"
    ("name", "Siobhan Kelly"),           # "I'm"
    ("name", "Oliver Bennett"),          # sign-off on its own line
    ("name", "Rosalind Fairweather"),    # title: Cllr Fairweather (surname only)
    ("name", "Marcus Holloway"),         # given name + surname in running text
    ("phone", "07700 900207"),           # CSV file name
    ("name", "Bartholomew Quill"),       # CSV: Full name column
    ("phone", "07700 900208"),           # CSV: Mobile no. column
    ("email", "b.quill@example.co.uk"),  # CSV: E-mail column
    ("name", "Chidi Okonkwo"),           # email From "OKONKWO, Chidi", signs "I am Chidi Okonkwo"
    ("email", "chidi.okonkwo@example.org"),
    ("phone", "+44 20 7946 0209"),       # email body
    ("name", "Nkechi Obi"),              # attachment file name "Nkechi Obi CV.pdf"
    ("name", "Sophie Turner"),           # mbox sender, signs "Thanks, Sophie", in the Message-ID
    ("phone", "0117 496 0210"),          # mbox body, after "Tel:"
    ("postcode", "BS1 4ZZ"),
    ("address", "221 Mulberry Road"),
]

REGISTER = """\
strands:
  Strand 1: Strategic overview
  Strand 3: Communities
emails:
  strand: Strand 3
sessions:
  - {id: S01, name: Corporate management team, strand: Strand 1, date: 2022-07-05}
  - {id: S02, name: Listening event with Fatima Hussain, strand: Strand 3, date: 2022-07-12}
"""


def _workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Notes Hannah Clarke"
    sheet.append([
        "Session", "Question", "Comment", "Name", "Email", "Telephone", "Address", "Postcode", "Contact",
        "Respondent", "Column K", "Notes from Declan Murphy", "Theme", "Respondent type", "Ward",
    ])
    rows = [
        ("S01", "What would you ask Mr Ahmed Khan?",
         "Ring me on +44-7700-900-201 or 0044 7700 900202 about the bus plan."),
        ("S01", "Any other views?", "My landline is 07700.900.203 and the office Tel.01632 960204 works."),
        ("S02", "Any other views?", "Call 01632 960205 ext. 12 or +33 1 23 45 67 89, or +1 (555) 010-4567."),
        ("S02", "Any other views?", "My cousin abroad is on +14155550134; our hall (020) 7946 0206."),
        ("S02", "Any other views?", "For the record my NI number is QQ 12 34 56 C and hers QQ654321A."),
        ("S02", "Any other views?", "Email jo.bloggs@example.com or r.singh [at] example [dot] org for the rota."),
        ("S02", "Any other views?", "We live at 7 Wisteria Lane, OX3 9ZZ, near the shops and the park."),
        ("S02", "Any other views?", "My name is Priya Raman and the youth club needs funding."),
        ("S02", "Any other views?", "I'm Siobhan Kelly, and the library hours are too short for workers."),
        ("S02", "Any other views?", "The green space is lovely but dark at night.\nBest wishes,\nOliver Bennett"),
        ("S02", "Any other views?", "Cllr Fairweather promised benches on the estate and they never came."),
        ("S02", "Any other views?", "Marcus Holloway from the tenants group says repairs take months."),
    ]
    extras = [
        ("Eleanor Whitfield", "eleanor.w@example.org", "01632 960111", "14 Larkspur Crescent", "OX4 7QZ",
         "Gareth Pryce", "Imogen Stafford", "stafford.family@example.net", "private note", "Green spaces",
         "Resident", "Barton"),
    ] + [
        ("Ann Other", "ann@example.org", "07700 900999", "1 High Street", "OX1 1AA", "Sam", "Jo",
         "someone@example.org", "private note", "funding_costs", "Business", "Cowley"),
    ] * (len(rows) - 1)
    for row, extra in zip(rows, extras, strict=True):
        sheet.append([*row, *extra])
    book.save(path)


def _csv(path: Path) -> None:
    frame = pd.DataFrame({
        "Comment": ["Parking near the school is dangerous at pick-up time.", "More bins on the high street please."],
        "Full name": ["Bartholomew Quill", "Ann Other"],
        "Mobile no.": ["07700 900208", "07700 900998"],
        "E-mail": ["b.quill@example.co.uk", "ann@example.org"],
        "Session": ["S02", "S02"],
    })
    frame.to_csv(path, index=False)


def _mail(sender: str, body: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "consultation@council.example.gov.uk"
    message["Subject"] = "Consultation response"
    message["Date"] = "Tue, 19 Jul 2022 10:15:00 +0100"
    message["Message-ID"] = f"<{message_id}@mail.example>"
    message.set_content(body)
    return message


def _emails(folder: Path) -> None:
    first = _mail(
        '"OKONKWO, Chidi" <chidi.okonkwo@example.org>',
        "Dear team,\n\nI am Chidi Okonkwo and I run the food bank. Okonkwo is my family name, and CHIDI OKONKWO "
        "is how the paperwork spells it. Call me on +44 20 7946 0209 about volunteers.\n\n"
        "The council should fund more community transport for older residents.\n\nKind regards,\nChidi\n",
        "response-one",
    )
    first.add_attachment(b"%PDF-1.4 invented", maintype="application", subtype="pdf", filename="Nkechi Obi CV.pdf")
    (folder / "response.eml").write_bytes(bytes(first))
    box = mailbox.mbox(folder / "more.mbox")
    box.add(_mail(
        "Sophie Turner <s.turner@example.net>",
        "Hello,\n\nThe bus to the hospital is always late. Tel: 0117 496 0210, post to 221 Mulberry Road, "
        "BS1 4ZZ.\n\nThanks, Sophie\n",
        "sophie.turner.reply",  # a Message-ID that names the sender
    ))
    box.flush()
    box.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "sessions.yaml").write_text(REGISTER, encoding="utf-8")
    (raw / "tcs-themes.yaml").write_text("register: sessions.yaml\n", encoding="utf-8")
    _workbook(raw / "Feedback from Tomasz Nowak.xlsx")
    _csv(raw / "responses 07700 900207.csv")
    _emails(raw)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out)])
    return result, out


def test_at_least_forty_details_of_every_kind_are_planted() -> None:
    assert len(PLANTED) >= 40
    assert {kind for kind, _ in PLANTED} == {"name", "email", "phone", "address", "postcode", "ni"}


def test_run_reads_every_file(run: tuple) -> None:
    result, out = run
    assert result.exit_code == 0, result.output
    assert "Columns dropped (personal data)" in result.output and "12 (listed in" in result.output
    coded = pd.read_parquet(out / "coded.parquet")
    assert len(coded) >= 16
    assert set(coded["source_kind"]) == {"spreadsheet", "email"}


def test_no_planted_detail_appears_in_any_output(run: tuple) -> None:
    _, out = run
    texts = output_texts(out)
    assert {Path(p).suffix for p in texts} >= {".csv", ".parquet", ".xlsx", ".html", ".docx", ".svg"}
    leaks = [f"{kind} {value!r} in {Path(path).relative_to(out)}"
             for kind, value in PLANTED for path, text in texts.items() if found_in(kind, value, text)]
    assert leaks == []


def test_personal_columns_are_dropped_and_analyst_columns_survive(run: tuple) -> None:
    _, out = run
    coded = pd.read_parquet(out / "coded.parquet")
    for gone in ("Name", "Email", "Telephone", "Address", "Postcode", "Contact", "Respondent", "Column K",
                 "Full name", "Mobile no.", "E-mail"):
        assert gone not in coded.columns
    assert {"Respondent type", "Ward"} <= set(coded.columns)
    analyst = coded[coded["code_source"] == "analyst"]  # the workbook's Theme column holds the analyst's codes
    assert len(analyst) == 12 and set(analyst["primary_theme"]) == {"green_spaces", "funding_costs"}
    assert set(coded["Ward"].dropna()) == {"Barton", "Cowley"}
    assert set(coded.loc[coded["source_kind"] == "spreadsheet", "session_id"]) == {"S01", "S02"}
    log = pd.read_csv(out / "ingest-log.csv")
    dropped = log[log["reason"] == "personal-column"]
    assert len(dropped) == 12
    assert dropped["detail"].str.contains("dropped").all()
