"""Layouts of personal details a tester typed that earlier rules missed, and ordinary text they must leave alone.

Every name, number and address here is invented.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcs_themes.ingest.personal_columns import CARRIED, DROPPED, decide_column, header_is_personal
from tcs_themes.ingest.redaction import redact, redact_label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jo @ example.com today", "mail [EMAIL] today"),
        ("jo@ example.org or jo @example.org", "[EMAIL] or [EMAIL]"),
        ("jo at example dot co dot uk", "[EMAIL]"),
        ("jo [at] example [dot] co [dot] uk", "[EMAIL]"),
        ("jo (at) example (dot) org (dot) uk now", "[EMAIL] now"),
        ("jo dot bloggs at example dot org", "[EMAIL]"),
        ("jo.bloggs at example.org", "[EMAIL]"),
        ("j_bloggs at example.co.uk please", "[EMAIL] please"),
        ("email jo at gmail.com or sam at hotmail.co.uk", "email [EMAIL] or [EMAIL]"),
    ],
)
def test_obfuscated_and_spaced_emails(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kind regards\n\nJ. Bloggs", "Kind regards\n\n[NAME]"),
        ("Kind regards\n\nJ Bloggs", "Kind regards\n\n[NAME]"),
        ("Yours sincerely\n\nMrs A. Patel", "Yours sincerely\n\n[NAME]"),  # the title goes with the name
        ("I spoke to Mrs A Patel and Mr I Khan.", "I spoke to Mrs [NAME] and Mr [NAME]."),
        ("Mr. J. R. Hartley wrote in.", "Mr. [NAME] wrote in."),
        ("Thank you,\nOluwaseun Adeyemi\nChair, Residents Association", "Thank you,\n[NAME]\nChair, Residents Association"),
        ("Yours,\nJo", "Yours,\n[NAME]"),
        ("Mensah, Kwame", "[NAME]"),
        ("MENSAH Kwame", "[NAME]"),
        ("More parks please.\n- Kwame", "More parks please.\n- [NAME]"),
        ("More parks please.\nKwame x", "More parks please.\n[NAME] x"),
        ("i am jo bloggs and i live in Barton", "i am [NAME] and i live in Barton"),
        ("My son Liam goes to the school.", "My son [NAME] goes to the school."),
        ("My daughter, Aisha, walks there.", "My daughter, [NAME], walks there."),
        ("our neighbour Grace Okafor is 90", "our neighbour [NAME] is 90"),
        ("Talk to Jean-Luc Picard about it.", "Talk to [NAME] about it."),
        ("Talk to Mary-Kate O'Neill-Byrne.", "Talk to [NAME]."),
        ("On Mon, 1 Jan 2024 at 10:00, Hywel Rees <h.rees@example.org> wrote:",
         "On Mon, 1 Jan 2024 at 10:00, [NAME] <[EMAIL]> wrote:"),  # a name no list has, before an address
        ("Cc: Cerys Jones\nAttn: Cerys Jones", "Cc: [NAME]\nAttn: [NAME]"),
        ("Dear Cerys,\nHi Sam, the buses are late", "Dear [NAME],\nHi [NAME], the buses are late"),
    ],
)
def test_names_in_more_contexts(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I am A Level student and This is A Big Problem",
        "Thank you for listening.\nMore buses please",
        "Thank you.\nThe council should act",
        "it is yours.\nThe end of the matter",
        "URGENT Sarah please call back",  # a word in capitals before a given name mid-line is no surname
        "our neighbour Tesco and my son Year 6",
        "look at www.gov.uk for details; the site at gov.uk; meet @ 5pm",
        "Cowley, Oxford",
        "Dear Sir/Madam,\nHi all, hello everyone! Dear Team, Dear Council, Hi there, the park is dark",
    ],
)
def test_ordinary_text_stays(text: str) -> None:
    assert redact(text) == (text, 0)


def test_control_characters_go_and_vertical_tabs_become_line_breaks() -> None:
    assert redact("The bus\x07 is late \x1b[31mred\x1b[0m.\x0bNext\x85") == ("The bus is late [31mred[0m.\nNext", 0)
    assert redact("tab\tand\r\nline") == ("tab\tand\r\nline", 0)
    assert redact_label("bad\x1b]0;title\x07name.xlsx") == "bad]0;titlename.xlsx"


GIVEN = ["Jo", "Priya", "Kwame", "Siobhan", "Tomasz", "Aisha", "Liam", "Hamza", "Mohammed", "Chloe"]
SURNAMES = ["Bloggs", "Shah", "Mensah", "O'Neill", "Nowak", "Bello-Okafor", "Khan", "MacDonald"]
CONTEXTS = [
    "My name is {g} {s} and the park is dark.",
    "i am {gl} {sl} and the park is dark.",
    "I'm {g} {s}, the park is dark.",
    "This is {g} from the tenants group.",
    "The park is dark.\nKind regards\n\n{i}. {s}",
    "The park is dark.\nThank you,\n{g} {s}",
    "The park is dark.\nRegards, {g} {s}",
    "Dr {i}. {s} and Mrs {g} {s} spoke.",
    "{S}, {g}",
    "{s}, {g}",
    "My daughter {g} says the park is dark.",
    "The park is dark.\n- {g}",
    "Ring {g} {s} on 07700 900123 or {gl}.{sl} at example dot co dot uk",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(GIVEN), st.sampled_from(SURNAMES), st.sampled_from(CONTEXTS))
def test_any_name_in_any_context_is_redacted(given_name: str, surname: str, context: str) -> None:
    text = context.format(g=given_name, s=surname, gl=given_name.lower(), sl=surname.lower(), S=surname.upper(),
                          i=given_name[0])  # fmt: skip
    redacted = redact(text)[0]
    words = set(re.findall(r"[\w'-]+", redacted.lower()))
    assert given_name.lower() not in words and surname.lower() not in words, (text, redacted)
    assert "park is dark" in redacted or "tenants group" in redacted or "spoke" in redacted or "[NAME]" in redacted


@pytest.mark.parametrize(
    "header",
    ["Speaker", "Submitted by", "Completed by", "Who said it", "Username", "Twitter handle", "Facilitator",
     "Note taker", "Notetaker", "Interviewer", "Your details", "IP address", "Your name (optional)", "Contact details",
     "Tel", "E-mail address", "Full name"],
)
def test_more_personal_headers(header: str) -> None:
    assert header_is_personal(header)
    assert decide_column(header, ["x", "y"]).action == DROPPED


@pytest.mark.parametrize("header", ["Submitted date", "Web address", "Speaker notes type", "Handle type", "Ward"])
def test_more_ordinary_headers(header: str) -> None:
    assert not header_is_personal(header)


@pytest.mark.parametrize(
    "values",
    [
        ["jo bloggs", "priya shah", "KWAME MENSAH", "n/a"],  # names in any case under an innocent header
        ["MENSAH, Kwame", "Shah, Priya", "Bloggs, Jo"],
        ["Mr J Bloggs", "Mrs P Shah", "Dr K Mensah"],
        ["jo at example dot com", "priya[at]example.co.uk", "kwame @ example.org"],
        ["ox4 2xx", "OX42XX", "sw1a 1aa"],
    ],
)
def test_personal_content_under_an_innocent_header_drops_the_column(values: list[str]) -> None:
    assert decide_column("Column F", values).action == DROPPED


def test_ordinary_content_is_carried() -> None:
    values = ["Florence Park", "Grace Church", "Will attend", "Barton and Sandhills", "Rose Hill"]
    assert decide_column("Venue", values).action == CARRIED
    assert decide_column("Column F", values).action == CARRIED


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Mensah, Kwame - response.eml", "[NAME] - response.eml"),
        ("MENSAH Kwame response.xlsx", "[NAME] response.xlsx"),
        ("notes_kwame_mensah.xlsx", "notes_[NAME].xlsx"),
        ("jo bloggs.csv", "[NAME].csv"),
        ("Session with Mrs A. Patel", "Session with Mrs [NAME]"),
        ("Tel 07700900461.csv", "Tel [PHONE].csv"),
        ("ox42xx.csv", "[POSTCODE].csv"),
        ("QQ123456C.csv", "[NI].csv"),
        # places that are also given names stay: a given name alone is no name in a label
        ("emails/09_resident-barton.eml", "emails/09_resident-barton.eml"),
        ("Barton drop-in", "Barton drop-in"),
        ("Play day at Florence Park", "Play day at Florence Park"),
        ("victoria notes.xlsx", "victoria notes.xlsx"),
    ],
)
def test_names_of_things(label: str, expected: str) -> None:
    assert redact_label(label) == expected


@pytest.mark.parametrize(
    "number", ["０７７００ ９００１２３", "０７７００９００１２３", "＋４４ ７７００ ９００１２３", "٠٧٧٠٠٩٠٠١٢٣", "+44 (0) 1865-123456",
               "(+44) 7700 900123", "00-44-7700-900123", "07700 900123x5", "+1.202.555.0143", "07700\u00a0900123"],
)
def test_phones_in_more_layouts_and_in_other_scripts_digits(number: str) -> None:
    assert redact(f"ring {number} now") == ("ring [PHONE] now", 1)


def test_other_scripts_digits_that_are_no_phone_stay() -> None:
    assert redact("scores ０.５ and ２０２２, room ٣") == ("scores ０.５ and ２０２２, room ٣", 0)
