"""Redact personal details from text: emails, phone numbers, National Insurance numbers, postcodes, addresses, names.

Each detail is replaced by a placeholder (``[EMAIL]``, ``[PHONE]``, ``[NI]``,
``[POSTCODE]``, ``[ADDRESS]``, ``[NAME]``) and counted, so the comments table
can record how many redactions each comment had. Control characters go too
(vertical tab and form feed become line breaks): no output can show them, xlsx
and docx cannot hold them, and in a file name they can drive a terminal. :func:`redact` is applied to
the comment text and every other cell that reaches an output; :func:`redact_label`
to the names of things (files, sheets, sessions, questions, attachments).

Every pattern is a flat regular expression (no quantified group holds another
quantifier) with bounded repeats, and phone numbers are checked digit group by
digit group in Python, so redaction takes time linear in the length of the text.
See ``docs/ingest.md`` for what is recognised and the known limits.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from tcs_themes.ingest.person_names import name_spans, sender_words

EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
NI_NUMBER = "[NI]"
POSTCODE = "[POSTCODE]"
ADDRESS = "[ADDRESS]"
NAME = "[NAME]"
#: Every placeholder redaction writes.
PLACEHOLDERS = (EMAIL, PHONE, NI_NUMBER, POSTCODE, ADDRESS, NAME)
_PLACEHOLDER_RE = re.compile("|".join(re.escape(placeholder) for placeholder in PLACEHOLDERS))
#: C0 controls but tab and line breaks, DEL and C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\t\r\n\x0b\x0c\x85\u2028\u2029]")

#: Web mail domains: "jo at gmail.com" is an address even without a dot or digit in "jo".
_MAIL_PROVIDERS = "gmail|googlemail|hotmail|outlook|live|yahoo|icloud|me|aol|btinternet|sky|virginmedia|talktalk|protonmail|proton"
# user@host.tld (the tail trimmed in _email), "user @ host.tld", "user [at] host [dot] tld", "user(at)host.org",
# "user at host dot com", "jo.bloggs at host.org", "jo at gmail.com".
_EMAIL_RE = re.compile(
    r"[\w.+'-]{1,64}@[\w-]{1,63}\.[\w.-]{1,190}"
    r"|[\w.+'-]{1,64}[ \t]{1,2}@[ \t]{0,2}[\w-]{1,63}\.[a-z]{2,6}\b|[\w.+'-]{1,64}@[ \t]{1,2}[\w-]{1,63}\.[a-z]{2,6}\b"
    r"|[\w.+'-]{1,64}[ \t]?[\[(]at[\])][ \t]?[\w-]{1,63}(?:\.|[ \t]?[\[(]dot[\])][ \t]?)[\w.-]{2,190}"
    r"|[\w.+'-]{1,64}[ \t]at[ \t][\w-]{1,63}[ \t]dot[ \t][a-z]{2,6}\b"
    r"|\b[a-z]{1,30}[._\d][\w.+'-]{0,63}[ \t]at[ \t][\w-]{1,63}\.[a-z]{2,6}(?:\.[a-z]{2})?\b"
    rf"|\b[\w'-]{{1,64}}[ \t]at[ \t](?:{_MAIL_PROVIDERS})\.[a-z]{{2,6}}(?:\.[a-z]{{2}})?\b",
    re.IGNORECASE,
)
#: A further "dot uk" after an obfuscated address ("jo at example dot co dot uk"), or a "jo dot" before one
#: ("jo dot bloggs at example dot org"); applied up to three times.
_EMAIL_ENDS = re.compile(
    r"\[EMAIL\](?:[ \t]?[\[(]dot[\])][ \t]?|[ \t]dot[ \t])[a-z]{2,6}\b"
    r"|\b[\w'-]{1,30}(?:[ \t]?[\[(]dot[\])][ \t]?|[ \t]dot[ \t])\[EMAIL\]",
    re.IGNORECASE,
)
# A run of digits and the separators people type inside phone numbers; checked by _phone_end.
_PHONE_RE = re.compile(r"[+(\uff0b]{0,2}\d[\d \t\u00a0.()/\-]{5,26}\d")  # \d: any script's digits ("０７７００")
_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_AT = re.compile(r"[\[(]at[\])]|[ \t]at[ \t](?:.{1,64}[ \t]dot[ \t]|[\w-]{1,63}\.[a-z]{2,6}\b)", re.IGNORECASE)
_EXTENSION = re.compile(r"[ \t]{0,3},?[ \t]{0,3}(?:x|ext|extn|extension)\.?[ \t]{0,3}\d{1,5}\b|[ \t]{0,3}#\d{1,5}\b", re.I)
# Two letters, six digits (spaced in any way), a letter A-D; in lower case only with that last letter ("at 250000").
_NI_DIGITS = r"[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?"
_NI_RE = re.compile(
    rf"\b[A-CEGHJ-TW-Z][A-CEGHJ-NP-TW-Z]{_NI_DIGITS}[A-D]?\b|(?i:\b[a-ceghj-tw-z][a-ceghj-np-tw-z]{_NI_DIGITS}[a-d]\b)"
)
_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_LABEL_SEPARATORS = str.maketrans("_.-", "   ")
_ORDINALS = {"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "0th"}
_STREET_TYPES = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|terrace|place|pl|gardens|gdns|"
    "court|ct|grove|square|sq|row|walk|mews|rise|parade|boulevard|wharf|yard|hill|park|green|view|end"
)
# A house number (12, 12a, 12-14) then up to 40 characters of capitalised street name, then a street type.
_ADDRESS_RE = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?[ \t]{{1,3}}[A-Z][A-Za-z' \t-]{{0,40}}?[ \t]((?i:{_STREET_TYPES}))\b",
)


def _control(match: re.Match[str]) -> str:
    """A vertical tab or form feed (a line break in some spreadsheet exports) becomes one; other controls go."""
    return "\n" if match.group() in "\x0b\x0c" else ""


def _email(match: re.Match[str]) -> str:
    """The placeholder, then what the match took beyond the address ("jo@x.org." ends a sentence)."""
    found = match.group()
    address = found.rstrip(".-")
    return EMAIL + found[len(address) :]


def _phone_span(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Where the phone number in ``match`` starts and ends, or None when it is not one.

    Digit groups are added one at a time while the digits so far can be a UK
    number (0 then 10 or 11 digits, +44/0044 then 9 or 10) or an international
    one (+ or 00 then 8 to 15 digits); the longest such prefix wins.
    """
    start = match.start()
    before = text[max(0, start - 2) : start]
    if before[-1:].isdigit() or re.fullmatch(r"\d[.,]", before):
        return None  # inside a longer number or a decimal
    candidate = match.group()
    international = candidate.lstrip("(").startswith(("+", "\uff0b"))
    groups = list(_DIGITS.finditer(candidate))
    digits, best = "", None
    for position, group in enumerate(groups):
        digits += group.group() if group.group().isascii() else "".join(str(unicodedata.digit(c)) for c in group.group())
        if position == 0 and not international and not digits.startswith("0"):
            return None
        if not international and not digits.startswith("00"):
            if len(groups[0].group()) < 3:
                return None  # "0.5 0.25 ...": UK numbers start with a group of 3 or more digits
            if len(group.group()) < 2:
                break  # and go on in groups of 2 or more ("07700 900123 8pm")
        if _is_phone(digits, international):
            best = group.end()
    if best is None:
        return None
    opened = len(candidate) - len(candidate.lstrip("(+")) if ")" not in candidate[:best] else 0
    return start + candidate[:opened].count("("), start + best  # "(07700 900461)": the bracket stays


def _is_phone(digits: str, international: bool) -> bool:
    if international or digits.startswith("00"):
        rest = digits if international else digits[2:]
        if rest.startswith("44"):
            return len(rest[2:].removeprefix("0")) in (9, 10)
        return 8 <= len(rest) <= 15
    return len(digits) in (10, 11)


def _redact_phones(text: str) -> tuple[str, int]:
    parts: list[str] = []
    count, position = 0, 0
    search_from = 0
    while (match := _PHONE_RE.search(text, search_from)) is not None:
        span = _phone_span(text, match)
        if span is None:
            first_group = _DIGITS.search(text, match.start())
            search_from = first_group.end() if first_group else match.end()
            continue
        start, end = span
        extension = _EXTENSION.match(text, end)
        end = extension.end() if extension else end
        parts += [text[position:start], PHONE]
        count += 1
        position = search_from = end
    parts.append(text[position:])
    return "".join(parts), count


def _postcode(match: re.Match[str]) -> str:
    """A postcode, unless it is a road and an ordinal in mixed case ("A40 2nd"; "B33 8TH" is a postcode)."""
    found = match.group()
    mixed = not (found.isupper() or found.islower())
    return found if mixed and match.group(1).lower() in _ORDINALS else POSTCODE


def _address(match: re.Match[str]) -> str:
    street = match.group()[: match.start(1) - match.start()].split(None, 1)[-1]
    words = street.split()
    return ADDRESS if all(word[0].isupper() for word in words) and len(words) <= 4 else match.group()


def _count_sub(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> tuple[str, int]:
    count = 0

    def counted(match: re.Match[str]) -> str:
        nonlocal count
        result = replace(match)
        count += result != match.group()
        return result

    return pattern.sub(counted, text), count


def _redact_names(text: str, sender: frozenset[str], *, label: bool = False) -> tuple[str, int]:
    """Replace names; in a label ``_``, ``.`` and ``-`` separate words ("Jo_Bloggs_notes.xlsx", "bloggs-family.org")."""
    spans = name_spans(text.translate(_LABEL_SEPARATORS) if label else text, sender, loose=label)
    if "[" in text:  # a placeholder already there ("My name is [NAME]") is no name: redacting twice changes nothing
        held = [match.span() for match in _PLACEHOLDER_RE.finditer(text)]
        spans = [(a, b) for a, b in spans if not any(a < end and start < b for start, end in held)]
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans)


def redact(text: str, names: Iterable[str] = (), *, label: bool = False) -> tuple[str, int]:
    """Replace personal details in ``text`` with placeholders; return the text and their count.

    Parameters
    ----------
    text : str
        Any text: a comment, a cell, a header, a file or sheet name.
    names : iterable of str, optional
        The sender's own names (an email's From name, in any order, case or
        punctuation, e.g. ``"BLOGGS, Jo"``): found as whole words anywhere.
    label : bool, default False
        The text names a thing (a file, a sheet, a domain): ``_``, ``.`` and ``-``
        also separate words, and one word of the sender's name counts in lower case.

    Returns
    -------
    tuple of (str, int)
        The redacted text and the number of details replaced.

    Examples
    --------
    >>> redact("Ring Sam Jones on 07700 900123 or sam@example.org, OX4 2XX", names=["JONES, Sam"])
    ('Ring [NAME] on [PHONE] or [EMAIL], [POSTCODE]', 4)
    >>> redact("My name is Priya Shah, NI QQ 12 34 56 C, I live at 12 Acacia Avenue.")
    ('My name is [NAME], NI [NI], I live at [ADDRESS].', 3)
    """
    total = 0
    if not text.isprintable() and _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(_control, text)
    if "@" in text or _AT.search(text):
        text, count = _count_sub(_EMAIL_RE, _email, text)
        total += count
        for _ in range(3):
            text, tails = _EMAIL_ENDS.subn(EMAIL, text)
            if not tails:
                break
    if _DIGIT.search(text):
        for step in (_redact_phones, lambda t: _count_sub(_NI_RE, lambda _m: NI_NUMBER, t),
                     lambda t: _count_sub(_POSTCODE_RE, _postcode, t), lambda t: _count_sub(_ADDRESS_RE, _address, t)):
            text, count = step(text)
            total += count
    text, count = _redact_names(text, sender_words(names), label=label)
    return text, total + count


@functools.lru_cache(maxsize=65536)
def _label(text: str, names: tuple[str, ...]) -> str:
    return redact(text, names, label=True)[0]


def redact_label(value: object, names: Iterable[str] = ()) -> object:
    """Redact the name of a thing (file, sheet, session, question, column, attachment); other values pass.

    Strings are redacted like comment text (results are cached, as the same
    labels repeat on every row), their line breaks and tabs made spaces;
    ``None``, numbers and dates are returned as given.

    >>> redact_label("notes/Jo Bloggs 07700 900123.xlsx")
    'notes/[NAME] [PHONE].xlsx'
    """
    if not isinstance(value, str) or not value:
        return value
    return _label(_LINE_BREAKS.sub(" ", value), tuple(names))  # a name is one line
