"""Find the comments in an email body: drop quotes, greetings, signatures and disclaimers, then split points.

An email that makes several points (numbered or bulleted items, or clearly
separate paragraphs) gives one comment per point. The sender's organisation is
read from the signature, else from the address's domain (webmail domains give none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_REPLY_MARKERS = (
    re.compile(r"^-{2,}\s*original message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^_{10,}$"),
    re.compile(r"^on\b.{0,200}\bwrote:$", re.IGNORECASE | re.DOTALL),
)
_OUTLOOK_HEADER = re.compile(r"^from:\s.+\n(?:.*\n){0,2}(?:sent|date):\s", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^(?:with\s+)?(?:(?:very\s+)?(?:kind|kindest|best|warm|warmest|many|all the)\s+)?"
    r"(?:regards|wishes|thanks|best)(?:\s+again|\s+and best wishes|\s+for your time)?[,.!]*$|"
    r"^(?:thanks|thank you|cheers|yours(?:\s+(?:sincerely|faithfully|truly))?|sincerely)[,.!]*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|to whom it may concern|to whoever)\b[^.?!\n]{0,60}[,:!]?$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"(?:this (?:e-?mail|message|communication)\b.{0,120}\b(?:confidential|intended (?:solely|only))|"
    r"if you (?:have received|are not the intended)|\bdisclaimer\b|views expressed .{0,80}\b(?:are those|do not)|"
    r"please consider the environment|scanned for (?:viruses|malware)|sent from my (?:iphone|ipad|android|mobile))",
    re.IGNORECASE | re.DOTALL,
)
_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)]|[-*\u2022\u2023\u2013\u00b7])\s+")
_LEAD_IN_WORDS = 15
_HEADING_WORDS = 4
_ORG_WORDS = re.compile(
    r"\b(?:council|house|bank|friends|trust|association|network|partnership|group|forum|charity|cic|foundation|society|"
    r"centre|center|ltd|limited|nhs|university|college|school|church|mosque|alliance|services|club|"
    r"collective|project|board|hub|federation|institute|agency|housing|cooperative|co-operative)\b",
    re.IGNORECASE,
)
_CONNECTORS = {"of", "for", "and", "the", "&", "at", "in", "on"}
WEBMAIL_DOMAINS = frozenset(
    "gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com live.com live.co.uk msn.com "
    "yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com sky.com talktalk.net "
    "virginmedia.com ntlworld.com protonmail.com proton.me gmx.com mail.com".split()
)


def _cut_quoted(lines: list[str]) -> list[str]:
    """Drop ``>`` lines and everything from the first reply header on."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        window = "\n".join(lines[index : index + 4])
        two_lines = " ".join(part.strip() for part in lines[index : index + 2])
        if any(marker.match(stripped) or marker.match(two_lines) for marker in _REPLY_MARKERS):
            break
        if _OUTLOOK_HEADER.match(window):
            break
        if not stripped.startswith(">"):
            kept.append(line)
    return kept


def split_signature(body: str, names: Sequence[str] = ()) -> tuple[str, str]:
    """Split ``body`` into the message and its signature (``""`` when none is found).

    The signature starts at the last sign-off line ("Kind regards", "Thanks",
    ...) before any ``--`` line, else at the ``--`` line, else at a last
    paragraph that starts with the sender's name (``names``).
    """
    lines = body.split("\n")
    dashes = next((i for i, line in enumerate(lines) if line.rstrip() in ("--", "-- ")), len(lines))
    sign_offs = [i for i, line in enumerate(lines[:dashes]) if _SIGN_OFF.match(line.strip())]
    if sign_offs:
        return "\n".join(lines[: sign_offs[-1]]), "\n".join(lines[sign_offs[-1] + 1 :])
    if dashes < len(lines):
        return "\n".join(lines[:dashes]), "\n".join(lines[dashes + 1 :])
    starts = [i for i, line in enumerate(lines) if line.strip() and (i == 0 or not lines[i - 1].strip())]
    if len(starts) > 1 and any(name and lines[starts[-1]].strip().startswith(name) for name in names):
        return "\n".join(lines[: starts[-1]]), "\n".join(lines[starts[-1] :])
    return body, ""


def _paragraphs(text: str) -> list[list[str]]:
    blocks = re.split(r"\n\s*\n", text)
    return [[line.strip() for line in block.split("\n") if line.strip()] for block in blocks if block.strip()]


def _is_heading(lines: list[str]) -> bool:
    """A one-line paragraph of a few words without closing punctuation, e.g. "Governance"."""
    return len(lines) == 1 and len(lines[0].split()) <= _HEADING_WORDS and not re.search(r"[.?!:;,)\"]$", lines[0])


def clean_body(body: str, names: Sequence[str] = ()) -> tuple[list[list[str]], str]:
    """Return the paragraphs (as lines) of ``body`` that carry comments, and the signature.

    Quoted earlier messages, greetings, sign-offs, signatures (``names``: the
    sender's names, to recognise a signature without a sign-off), disclaimers
    and headings are removed.
    """
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    message, signature = split_signature("\n".join(_cut_quoted(lines)), names)
    paragraphs = [p for p in _paragraphs(message) if not _DISCLAIMER.search(" ".join(p))]
    if paragraphs and _GREETING.match(paragraphs[0][0]):
        paragraphs[0] = paragraphs[0][1:]
    paragraphs = [p for i, p in enumerate(paragraphs) if p and not (_is_heading(p) and i + 1 < len(paragraphs))]
    return paragraphs, signature


def _is_lead_in(lines: list[str], followed_by_items: bool) -> bool:
    """A heading, or a short line ending with ":", right before list items."""
    text = " ".join(lines)
    short_intro = text.endswith(":") and len(text.split()) <= _LEAD_IN_WORDS
    return followed_by_items and (short_intro or _is_heading(lines))


def split_points(paragraphs: list[list[str]]) -> list[str]:
    """Split cleaned paragraphs into points: one per list item, else one per paragraph.

    Lines within a point are joined with spaces; item markers (``1.``, ``-``,
    ``•``) are removed; a heading or a short lead-in ending with ``:`` right
    before a list is dropped.
    """
    blocks: list[tuple[bool, list[str]]] = []  # (is_item, lines)
    for paragraph in paragraphs:
        current: list[str] = []
        is_item = False
        for line in paragraph:
            if _ITEM.match(line):
                if current:
                    blocks.append((is_item, current))
                current, is_item = [_ITEM.sub("", line, count=1)], True
            else:
                current.append(line)
        if current:
            blocks.append((is_item, current))
    points = []
    for index, (is_item, lines) in enumerate(blocks):
        next_is_item = index + 1 < len(blocks) and blocks[index + 1][0]
        if not is_item and _is_lead_in(lines, next_is_item):
            continue
        points.append(" ".join(lines))
    return points


def sender_org(address: str | None, signature: str) -> str | None:
    """Return the sender's organisation: a signature line that names one, else the address's domain.

    In a line such as "Project Manager, Eastside Youth Project" the part that
    names the organisation is kept. Webmail domains (gmail.com, ...) give
    ``None`` when the signature names no organisation.
    """
    for line in signature.split("\n"):
        for segment in reversed(line.split(",")):
            segment = segment.strip(" |-")
            if (
                segment[:1].isupper() and len(segment) <= 80 and _ORG_WORDS.search(segment)
                and "@" not in segment and "www" not in segment.lower() and not re.search(r"\d{3}", segment)
            ):
                return segment
    if address and "@" in address:
        domain = address.rsplit("@", 1)[1].strip().lower().rstrip(">")
        if domain and domain not in WEBMAIL_DOMAINS:
            return domain
    return None


def is_personal_name(name: str) -> bool:
    """Whether a From display name looks like a person's name rather than an organisation's.

    >>> is_personal_name("Maya Okonjo"), is_personal_name("Southfield Food Bank"), is_personal_name("Access For All")
    (True, False, False)
    """
    words = name.split()
    return (
        1 <= len(words) <= 4
        and all(re.fullmatch(r"[^\W\d_][\w'.-]*", word) and word[0].isupper() for word in words)
        and not any(word.lower() in _CONNECTORS for word in words)
        and not _ORG_WORDS.search(name)
    )
