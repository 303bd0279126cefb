"""Redact personal details from comment text: emails, UK phone numbers and postcodes, names.

Each detail is replaced by a placeholder (``[EMAIL]``, ``[PHONE]``,
``[POSTCODE]``, ``[NAME]``) and counted, so the comments table can record how
many redactions each comment had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
POSTCODE = "[POSTCODE]"
NAME = "[NAME]"

# Linear time: a match starts only where a run of address characters starts (the lookbehind), and the
# possessive repeats never give back characters, so a 100 KB run without a valid address is scanned once.
_EMAIL_RE = re.compile(r"(?<![\w.+'-])[\w.+'-]++@[\w-]++(?:\.[\w-]++)+")
# +44 or 0, then 9-10 more digits in groups separated by spaces or hyphens.
_PHONE_RE = re.compile(
    r"(?<![\w+/.])(?:\+44\s?(?:\(0\)\s?)?\d{2,5}|\(0\d{2,5}\)|0\d{2,5})(?:[\s-]?\d{2,4}){1,3}(?![\w/])"
)
_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?(\d[A-Z]{2})\b", re.IGNORECASE)
_ORDINALS = {"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "0th"}


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if match.group().startswith("+44"):
        digits = "0" + digits[2:].removeprefix("0")
    return PHONE if len(digits) in (10, 11) else match.group()


def _postcode(match: re.Match[str]) -> str:
    return match.group() if match.group(1).lower() in _ORDINALS else POSTCODE


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Full names first, then their single words (3+ letters), longest first."""
    wanted: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        wanted.add(name)
        wanted.update(word for word in re.findall(r"[^\W\d_][\w'-]*", name) if len(word) >= 3)
    return [
        re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
        for name in sorted(wanted, key=lambda n: (-len(n), n))
    ]


def _count_sub(pattern: re.Pattern[str], replace, text: str) -> tuple[str, int]:
    count = 0

    def counted(match: re.Match[str]) -> str:
        nonlocal count
        result = replace(match) if callable(replace) else replace
        if result != match.group():
            count += 1
        return result

    return pattern.sub(counted, text), count


def redact(text: str, names: Iterable[str] = ()) -> tuple[str, int]:
    """Replace personal details in ``text`` with placeholders; return the text and their count.

    Parameters
    ----------
    text : str
        The comment text.
    names : iterable of str, optional
        Names to remove (an email sender's own name): the full name and each of
        its words of three or more letters, matched case-sensitively as whole words.

    Returns
    -------
    tuple of (str, int)
        The redacted text and the number of details replaced.

    Examples
    --------
    >>> redact("Ring Sam Jones on 07700 900123 or sam@example.org, OX4 2XX", names=["Sam Jones"])
    ('Ring [NAME] on [PHONE] or [EMAIL], [POSTCODE]', 4)
    """
    total = 0
    has_digit = any(char.isdigit() for char in text)
    for pattern, replace, needed in (
        (_EMAIL_RE, EMAIL, "@" in text), (_PHONE_RE, _phone, has_digit), (_POSTCODE_RE, _postcode, has_digit)
    ):
        if needed:
            text, count = _count_sub(pattern, replace, text)
            total += count
    for pattern in _name_patterns(names):
        text, count = _count_sub(pattern, NAME, text)
        total += count
    return text, total
