"""Decide what happens to a column besides the comment text: carried through redacted, dropped, or kept.

A column is personal, and dropped, when its header names a personal detail
("Name", "Email address", "Phone", "Postcode", "Contact", "Respondent",
"Speaker", "Submitted by", ... but not "Session name", "Contact preference"
or "Respondent type"), when its
header itself holds a personal detail, or when most of its values are personal
details (emails, phone numbers, postcodes, names) whatever its header says.
Other columns are carried through with every cell redacted like the text.
The settings file's ``keep_columns`` keeps a named column as it is.
A column whose header says it holds places ("Ward", "Area", "Location",
"Venue") is not dropped for values that are given names too ("Barton",
"Clifton", "Preston"): it is carried through, every cell redacted, and the
ingest log says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tcs_themes.ingest.columns import header_key
from tcs_themes.ingest.name_lists import given_names
from tcs_themes.ingest.person_names import is_title, looks_like_full_name
from tcs_themes.ingest.redaction import PLACEHOLDERS, redact

#: What can be done with a column.
CARRIED, DROPPED, KEPT = "carried, redacted", "dropped", "kept as the settings ask"
#: Header words that name a personal detail.
PERSONAL_WORDS = frozenset(
    """name names fullname firstname forename forenames surname surnames lastname givenname initials email emails
    mail e-mail phone phones telephone tel mobile mob landline fax address addresses postcode postcodes zip zipcode
    contact contacts respondent participant attendee interviewee author sender signature resident dob birth
    birthday ni nino insurance speaker username handle twitter instagram facebook facilitator facilitators
    notetaker taker interviewer submitter caller applicant claimant""".split()
)
#: Header phrases that name a person without a personal word ("Submitted by", "Who said it").
PERSONAL_PHRASES = ("submitted by", "completed by", "written by", "said by", "entered by", "who said", "your details",
                    "personal details")
#: Header words that make a personal word mean something else ("session name", "contact preference").
QUALIFIERS = frozenset(
    """session event meeting workshop strand theme themes code codes subtheme tag label category categories group
    organisation organization org company business file sheet venue place street road project team question
    ward area location site service school document type kind role status method preference preferences channel
    consent count number_of web website""".split()
)
#: Header words that say a column holds places, whose values are often given names too ("Barton", "Preston").
PLACE_WORDS = frozenset(
    """ward wards area areas neighbourhood neighbourhoods neighborhood neighborhoods location locations venue venues
    locality district districts town towns village villages parish parishes borough boroughs place places site sites
    estate estates suburb suburbs city county region constituency division""".split()
)
#: The reason given for a place column whose values would have made it personal.
PLACE_REASON = "its header names a place, so values that are also given names are taken as places; each cell redacted"
#: Share of non-empty values that must be personal details for the content alone to make a column personal.
CONTENT_SHARE = 0.5


@dataclass(frozen=True)
class ColumnDecision:
    """What is done with one column, and why."""

    column: str
    action: str
    reason: str


def _key(header: str) -> str:
    """:func:`header_key` with the spellings of one idea made one word ("e-mail", "post code")."""
    key = f" {header_key(header)} "
    for spelling, word in ((" e mail ", " email "), (" post code ", " postcode "), (" date of birth ", " dob ")):
        key = key.replace(spelling, word)
    return key.strip()


def header_is_personal(header: str) -> bool:
    """Whether a header names a personal detail.

    >>> [header_is_personal(h) for h in ("Email address", "Tel.", "Session name", "Respondent type", "Contact")]
    [True, True, False, False, True]
    """
    key = _key(header)
    words = set(key.split())
    if ("national" in words and "insurance" in words) or any(phrase in key for phrase in PERSONAL_PHRASES):
        return True
    return bool(words & PERSONAL_WORDS) and not words & QUALIFIERS


def header_names_a_place(header: str) -> bool:
    """Whether a header says its column holds places, and names no personal detail but the place's name ("Ward
    name" is a place, "Ward contact" is not).

    >>> [header_names_a_place(h) for h in ("Ward", "Neighbourhood area", "Venue name", "Ward contact", "Theme")]
    [True, True, True, False, False]
    """
    words = set(_key(header).split())
    return not PLACE_WORDS.isdisjoint(words) and (PERSONAL_WORDS - {"name", "names"}).isdisjoint(words) and not any(
        phrase in _key(header) for phrase in PERSONAL_PHRASES
    )


def _personal_value(value: str) -> tuple[bool, bool]:
    """Whether a cell is nothing but personal details ("jo@x.org", "07700 900123", "Jo Bloggs", "Mr [NAME]") other
    than a given name alone, and whether it is a given name alone ("Sam"; in a column of places "Barton", "Preston")."""
    redacted, count = redact(value)
    if count == 0:  # a given name alone ("Sam"), or a name in lower case ("jo bloggs"), as in a respondent column
        full = looks_like_full_name(value)
        return full, not full and value.title() in given_names()
    for placeholder in PLACEHOLDERS:
        redacted = redacted.replace(placeholder, " ")
    return not any(char.isalnum() for word in redacted.split() if not is_title(word) for char in word), False


def _looks_like_stored_phone(value: object) -> bool:
    """A whole number that is a UK phone number whose leading 0 the spreadsheet dropped (1865123456)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value and (
        re.fullmatch(r"[1-37]\d{8,9}", str(int(value))) is not None
    )


def _personal_counts(values: Iterable[object]) -> tuple[int, int, int]:
    """Non-empty values, those that are personal details other than a given name alone, and given names alone."""
    total = details = names = 0
    for value in values:
        if isinstance(value, str) and value.strip():
            total += 1
            detail, name = _personal_value(value.strip())
            details += detail
            names += name
        elif isinstance(value, int | float) and not isinstance(value, bool) and value == value:
            total += 1
            details += _looks_like_stored_phone(value)
    return total, details, names


def _most(personal: int, total: int) -> bool:
    return total > 0 and personal >= CONTENT_SHARE * total


def content_is_personal(values: Iterable[object], *, given_name_alone: bool = True) -> bool:
    """Whether most non-empty values are personal details (at least :data:`CONTENT_SHARE` of them); without
    ``given_name_alone`` a given name alone is no detail (a column of places: "Barton", "Preston")."""
    total, details, names = _personal_counts(values)
    return _most(details + names * given_name_alone, total)


def decide_column(header: str, values: Sequence[object], keep: Iterable[str] = ()) -> ColumnDecision:
    """Decide what to do with a column besides the text, by its header and its values.

    Parameters
    ----------
    header : str
        The column's header as the file has it.
    values : sequence
        The column's cells below the header.
    keep : iterable of str
        Headers the settings' ``keep_columns`` names (compared ignoring case and punctuation).

    Returns
    -------
    ColumnDecision
        ``column`` is the header redacted (so the summary never shows a detail).
    """
    shown, count = redact(header)
    if _key(header) in {_key(name) for name in keep}:
        return ColumnDecision(shown, KEPT, "named under 'keep_columns' in the settings")
    if count:
        return ColumnDecision(shown, DROPPED, "its header holds a personal detail")
    if header_is_personal(header):
        return ColumnDecision(shown, DROPPED, "its header names a personal detail")
    place = header_names_a_place(header)
    total, details, names = _personal_counts(values)  # each value redacted once
    if _most(details + names * (not place), total):
        return ColumnDecision(shown, DROPPED, "most of its values are personal details")
    if place and _most(details + names, total):
        return ColumnDecision(shown, CARRIED, PLACE_REASON)  # "Ward": Barton, Clifton, Preston
    return ColumnDecision(shown, CARRIED, "")
