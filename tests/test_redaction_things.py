"""Names of things that start with a given name (events, buildings, a dog, a book), and names the English word
list knows ("Then Wei said").

Each carve-out is tested both ways: the thing stays, and a person's name in the same shape is still redacted.
Every name is invented or a well-known thing's.
"""

from __future__ import annotations

import pytest

from tcs_themes.ingest.redaction import redact

#: Comments naming a thing that a given name starts: all must come out unchanged.
THINGS = [
    "We loved the Chelsea Flower Show this year and want a local one.",
    "Alexandra Palace was busy, so the buses were full.",
    "The library shut on Martin Luther King Day, which is not even a UK holiday.",
    "The Elizabeth Line is great but the stations have no toilets.",
    "My son loves Harry Potter books and the library had none.",
    "A Jack Russell bit me in the park and nobody had it on a lead.",
    "The Florence Nightingale Hospice shop is a lifeline.",
    "Marie Curie nurses were wonderful with my dad.",
    "The Grace Darling Trust ran a stall at the fun day.",
    "We had a St George's Day parade down the high street.",
    "Ronald McDonald House looked after us while our son was in hospital.",
    "A Victoria Cross holder opened the new pavilion.",
    "Victoria Park needs toilets, and so does St George's Park.",
    "Someone had a Stanley knife at the bus stop.",
    "Morris dancing at the fair was fun.",
    "The Albert Dock was packed and Martin Luther King was on a poster.",
]

#: Comments naming a person in the same shapes: the name must be gone.
PEOPLE = [
    ("Jo Bloggs said the bus was late again.", ["Jo", "Bloggs"]),
    ("I spoke with Priya Shah yesterday about the show.", ["Priya", "Shah"]),
    ("Mark Holland said it was fine.", ["Mark", "Holland"]),
    ("Jo Day said the bins were full.", ["Jo Day"]),
    ("Ask Sarah Day at the desk.", ["Sarah Day"]),
    ("Kind regards, Jo Bloggs Barton Show Society", ["Bloggs"]),  # a surname no word list has: a person
    ("Thanks to Priya Shah and the Victoria Line staff.", ["Priya", "Shah"]),
    ("Stephanie Wood said the pavilion roof leaks.", ["Stephanie"]),
    ("My name is Jack Russell and I walk my dog there.", ["Jack Russell"]),  # a context announces a name
    ("The park is lovely.\nBest wishes,\nJack Russell", ["Jack", "Russell"]),
    ("Cllr Marie Curie said the bins would be fixed.", ["Marie", "Curie"]),
    ("Regards, Sarah Black Line Manager", ["Sarah", "Black"]),  # a job after a name, not the Black Line
    ("Sarah Little Programme Lead said the fund had gone.", ["Sarah", "Little"]),
    ("Ted Baker said the café would reopen.", ["Ted", "Baker"]),  # a brand, but a name too: not carved out
]

#: A verb of speech after, or of talking before, an English word rare in lower case and mostly capitalised.
WORD_NAMES = [
    ("Then Wei said the lift was broken again.", ["Wei"]),
    ("I spoke to Chen at the front desk about the grant.", ["Chen"]),
    ("Then Jun told me to come back on Monday.", ["Jun"]),
    ("I talked to Lin about the bus times.", ["Lin"]),
]

#: The same shapes with words, or without the context: unchanged.
WORDS_STAY = [
    "Then Housing said no, and the council agreed.",
    "Then Mum said we could go to the park.",
    "Then Shelter said they could help with the deposit.",
    "The Ming vase at the museum was lovely.",
    "Wei said it was fine.",  # at the start of a sentence, as for a word no list has: an organisation may speak
    "We visited Chen's garden centre.",
]


@pytest.mark.parametrize("text", THINGS)
def test_a_thing_named_with_a_given_name_stays(text: str) -> None:
    assert redact(text) == (text, 0)


@pytest.mark.parametrize(("text", "details"), PEOPLE + WORD_NAMES)
def test_a_person_in_the_same_shape_is_redacted(text: str, details: list[str]) -> None:
    redacted, count = redact(text)
    assert count >= 1 and "[NAME]" in redacted
    assert not any(detail in redacted for detail in details)


@pytest.mark.parametrize("text", WORDS_STAY)
def test_words_without_a_strong_context_stay(text: str) -> None:
    assert redact(text) == (text, 0)
