"""Redaction of each kind of personal detail, the text it must leave alone, and its linear-time patterns.

Every number, name and address here is invented (Ofcom's drama ranges 07700 900xxx,
01632 960xxx, 020 7946 0xxx; HMRC's example NI prefix QQ).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from tcs_themes.ingest import person_names, redaction
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.ingest.person_names import display_name, name_spans
from tcs_themes.ingest.redaction import redact, redact_label
from tcs_themes.ingest.register import load_register

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

UK_PHONES = [
    "07700 900123", "07700900123", "077 0090 0123", "(07700) 900123", "01632 960123", "(01632) 960 123",
    "020 7946 0018", "0117 496 0123", "+44 7700 900123", "+447700900123", "+44 (0)20 7946 0018",
    "+44 (0) 7700 900 123", "+44-7700-900-123", "+44 20-7946-0018", "0044 7700 900123", "0044 (0)20 7946 0018",
    "00 44 7700 900123", "07700.900.123", "01632.960.123", "+44.7700.900123", "07700-900-123",
]
EXTENSIONS = ["01632 960123 x123", "01632 960123 ext. 12", "01632 960123 ext 4", "020 7946 0018 extn 456",
              "01632 960123, ext. 9", "01632 960123 #22"]
INTERNATIONAL = ["+33 1 23 45 67 89", "+1 (555) 010-4567", "+353 1 234 5678", "+91 98765 43210",
                 "+14155550123", "+49 30 12345678", "0033 1 23 45 67 89", "+61 2 9876 5432", "+234 803 123 4567"]


@pytest.mark.parametrize("number", UK_PHONES + INTERNATIONAL)
def test_phone_layouts_are_redacted(number: str) -> None:
    assert redact(f"Please ring {number} after six.") == ("Please ring [PHONE] after six.", 1)


@pytest.mark.parametrize("number", EXTENSIONS)
def test_phone_with_extension_is_redacted_with_its_extension(number: str) -> None:
    assert redact(f"Call {number} today") == ("Call [PHONE] today", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tel.01632 960123", "Tel.[PHONE]"),
        ("Tel:01632960123, Mob:07700900123", "Tel:[PHONE], Mob:[PHONE]"),
        ("T: 020 7946 0018 M: 07700 900461", "T: [PHONE] M: [PHONE]"),
        ("Left a number (07700 900461).", "Left a number ([PHONE])."),
        ("07700 900123 - 07700 900456", "[PHONE] - [PHONE]"),
        ("ring 07700 900123 8pm", "ring [PHONE] 8pm"),
        ("phone 01632/960123", "phone [PHONE]"),
    ],
)
def test_phones_in_context(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The 2022-2023 plan costs 3,000,000 and ref 0123",
        "on the A40 2nd junction, 01/07/2022 at 10:30",
        "scores 0.5 0.25 0.125 0.75 and 3.01632 960123",
        "Between 1990 and 2020 the number rose from 12 000 to 35 000",
        "Room 0.12, bus 4A, route 275 from 07:15",
        "Call the 111 service or 999",
        "It was sold at 250000 and on 123456 views, dated 01/07/2022",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == (text, 0)


@pytest.mark.parametrize(
    "number", ["QQ 12 34 56 C", "QQ123456C", "qq 123456 c", "AB-12-34-56-A", "JK 12 34 56", "QQ 123 456 C"]
)
def test_national_insurance_numbers(number: str) -> None:
    assert redact(f"My NI number is {number}.") == ("My NI number is [NI].", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail jo.b+tcs@council.example.gov.uk now", "Mail [EMAIL] now"),
        ("Write to jo@example.org.", "Write to [EMAIL]."),
        ("jo.bloggs [at] example [dot] com", "[EMAIL]"),
        ("jo(at)example.org or JO@EXAMPLE.ORG", "[EMAIL] or [EMAIL]"),
        ("write to jo.bloggs at example dot com today", "write to [EMAIL] today"),
    ],
)
def test_emails(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We live at OX4 2XX and ox1 1aa", "We live at [POSTCODE] and [POSTCODE]"),
        ("I live at 12 Acacia Avenue, Barton.", "I live at [ADDRESS], Barton."),
        ("post to Flat 2, 14a Lime Tree Close", "post to [ADDRESS]"),
        ("from 3 Station Rd and 221B Baker Street", "from [ADDRESS] and [ADDRESS]"),
        ("the 4 bus along Cowley Road is late", "the 4 bus along Cowley Road is late"),
    ],
)
def test_postcodes_and_addresses(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is Jo Bloggs and I live here", "My name is [NAME] and I live here"),
        ("my name is jo bloggs, a resident", "my name is [NAME], a resident"),
        ("Hello, I am Priya Shah. I am concerned about buses.", "Hello, I am [NAME]. I am concerned about buses."),
        ("I'm Siobhan and I am British and I am Disabled", "I'm [NAME] and I am British and I am Disabled"),
        ("Great event.\nBest wishes,\nJo Bloggs", "Great event.\nBest wishes,\n[NAME]"),
        ("Lovely day. Thanks, Jo", "Lovely day. Thanks, [NAME]"),
        ("Lovely day. Many thanks, Oluwaseun.", "Lovely day. Many thanks, [NAME]."),
        ("I am Oluwaseun Adeyemi, a carer", "I am [NAME], a carer"),
        ("Name: Tendai Moyo\nFrom: Wei Zhang", "Name: [NAME]\nFrom: [NAME]"),
        ("Please act now. Regards Tendai", "Please act now. Regards [NAME]"),
        ("MY NAME IS JO BLOGGS AND I AM ANGRY", "MY NAME IS [NAME] AND I AM ANGRY"),
        ("We are at B33 8TH and b33 8th", "We are at [POSTCODE] and [POSTCODE]"),
        ("Kind regards\nMohammed", "Kind regards\n[NAME]"),
        ("Mr Okafor and Cllr. Jones spoke; Dr J. Bloggs chaired", "Mr [NAME] and Cllr. [NAME] spoke; Dr [NAME] chaired"),
        ("Priya Shah from the youth club said", "[NAME] from the youth club said"),
        ("BLOGGS, Jo wrote in; Priya K. agreed", "[NAME] wrote in; [NAME]. agreed"),
    ],
)
def test_names_announced_by_their_context(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Rose Hill, Florence Park, Marston Ferry Road and Victoria Station need buses",
        "Will the council listen? May we have more benches? Grace Church helps.",
        "Thanks Council for listening. I love Oxford. We did the best Oxford could.",
        "Gypsy, Roma and Traveller families; Lady Margaret Hall; Jordan Hill Business Park",
        "I am Concerned that the Green Spaces Strategy ignores us",
        "I am Very Angry. Thanks Council for nothing. Many thanks, the Residents Group",
        "Kind regards to all the staff",
    ],
)
def test_places_and_ordinary_capitals_are_left_alone(text: str) -> None:
    assert redact(text) == (text, 0)


@pytest.mark.parametrize("sender", ["BLOGGS, Jo", "Jo Bloggs", "jo bloggs", "Bloggs, Jo (Resident)", '"Jo BLOGGS"'])
def test_sender_name_in_any_order_case_or_punctuation(sender: str) -> None:
    text = "I am Jo Bloggs. JO BLOGGS again, jo bloggs, and Bloggs, Jo. Wardrobe and Joanna stay."
    redacted, count = redact(text, names=[sender])
    assert "jo" not in re.sub(r"Joanna", "", redacted).lower().replace("[name]", "")
    assert "bloggs" not in redacted.lower()
    assert "Wardrobe and Joanna stay." in redacted


def test_sender_initial_and_title_leave_the_surname() -> None:
    assert redact("Bloggs here; BLOGGS again", names=["Mr J. Bloggs"]) == ("[NAME] here; [NAME] again", 2)


def test_display_name_turns_surname_first_round() -> None:
    assert display_name("BLOGGS, JO") == "Jo Bloggs"
    assert display_name('"Shah, Priya (Eastside Youth)"') == "Priya Shah"


def test_names_of_things_use_the_same_redaction() -> None:
    assert redact_label("notes/Jo_Bloggs_07700 900123.xlsx") == "notes/[NAME]_[PHONE].xlsx"
    assert redact_label("jo.bloggs@example.org notes.csv") == "[EMAIL] notes.csv"
    assert redact_label("Partners 1") == "Partners 1"
    assert redact_label(None) is None and redact_label(3) == 3
    assert redact_label("bloggs-family.co.uk", names=["BLOGGS, Jo"]) == "[NAME]-family.co.uk"
    assert redact_label("jo-bloggs-response.docx") == "[NAME]-response.docx"  # a given name and a surname, any case


def test_name_spans_are_in_order_and_do_not_overlap() -> None:
    text = "Mr Priya Shah met Priya Shah. My name is Sam Jones. Thanks,\nSam"
    spans = name_spans(text)
    assert [text[a:b] for a, b in spans] == ["Priya Shah", "Priya Shah", "Sam Jones", "Sam"]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def _nested_repeats(tree, inside: bool = False) -> list[str]:
    """The repeats found inside a group that can repeat, in a parsed pattern."""
    found = []
    for op, value in tree:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            if inside:
                found.append(f"{name}{{{low},{high}}}")
            found += _nested_repeats(sub, inside or high > 1)  # an optional group ("(...)?") cannot loop
        elif name == "SUBPATTERN":
            found += _nested_repeats(value[-1], inside)
        elif name == "BRANCH":
            for branch in value[1]:
                found += _nested_repeats(branch, inside)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found += _nested_repeats(value[1], inside)
    return found


@pytest.mark.parametrize("module", [redaction, person_names])
def test_patterns_have_no_nested_quantifiers(module) -> None:
    """Structurally linear: no repeated group holds another repeat, so no pattern can backtrack badly."""
    patterns = [value for value in vars(module).values() if isinstance(value, re.Pattern)]
    assert patterns
    for pattern in patterns:
        assert _nested_repeats(sre_parse.parse(pattern.pattern, pattern.flags)) == [], pattern.pattern


@pytest.mark.parametrize(
    "piece",
    ["a", "a.", "a@", "a@b.", "0", "0 ", "+4", "07700 ", "Mr ", "Jo ", "I am ", "Thanks,\n", "12 Acacia ", "QQ 12 "],
)
def test_pathological_100kb_texts_are_redacted(piece: str) -> None:
    """100 KB of repeated fragments that would make backtracking patterns explode complete and stay sane."""
    text = piece * (100_000 // len(piece))
    redacted, count = redact(text)
    assert count >= 0 and len(redacted) <= len(text) * 8


def test_register_shows_session_names_redacted_and_still_knows_them(tmp_path: Path) -> None:
    path = tmp_path / "sessions.yaml"
    path.write_text(
        "strands: {Strand 3: Talks hosted by Cllr Okafor}\n"
        "sessions:\n  - {id: S05, name: Coffee morning with Priya Shah, strand: Strand 3}\n",
        encoding="utf-8",
    )
    register = load_register(path)
    assert register.sessions["session_name"].tolist() == ["Coffee morning with [NAME]"]
    assert register.strands == {"Strand 3": "Talks hosted by Cllr [NAME]"}
    assert register.find("Coffee morning with Priya Shah.xlsx")["session_id"] == "S05"


def test_exercise_reasons_are_redacted(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Choices"
    book.active.append(["Event", "People", "Pride", "Place", "Progress"])
    book.active.append(["Fun day", 1, 2, 3, 4])
    statements = book.create_sheet("Statements")
    statements.append(["Event", "P", "Statement", "Stickers", "Reasons"])
    statements.append(["Fun day", "Place", "Safe parks", 3, "Ask Mr Okafor\nring 07700 900123\nMore bins"])
    book.save(tmp_path / "4ps.xlsx")
    reasons = load_exercises(tmp_path / "4ps.xlsx").statements["reasons"].iloc[0]
    assert reasons == ["Ask Mr [NAME]", "ring [PHONE]", "More bins"]


@pytest.mark.parametrize(
    "text",
    [
        "My name is Priya Raman and I live at 7 Wisteria Lane, OX3 9ZZ.",
        "I'm Siobhan Kelly; ring 07700 900123 or jo@example.org.\nBest wishes,\nOliver Bennett",
        "Name: Jo Bloggs, NI QQ 12 34 56 C, Tel.01632 960204 ext. 12",
    ],
)
def test_redacting_twice_changes_nothing(text: str) -> None:
    once, count = redact(text)
    assert count > 0
    assert redact(once) == (once, 0)  # a placeholder is never taken for a name ("My name is [NAME]")
