"""Find the comments in an email body: drop quotes, greetings, signatures and disclaimers, then split points.

An email that makes several points (numbered or bulleted items, or clearly
separate paragraphs) gives one comment per point. The sender's organisation is
read from the signature, else from the address's domain (webmail domains give none).
"""

from __future__ import annotations

import re

_REPLY_MARKERS = (
    re.compile(r"^-{2,}\s*original message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^_{10,}$"),
    re.compile(r"^on\b.{0,200}\bwrote:$", re.IGNORECASE | re.DOTALL),
)
_OUTLOOK_HEADER = re.compile(r"^from:\s.+\n(?:.*\n){0,2}(?:sent|date):\s", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^(?:(?:kind|best|warm|warmest|many|with|all the best)?\s*(?:regards|wishes|thanks)|thanks|"
    r"thank you|many thanks|best|cheers|yours(?: sincerely| faithfully| truly)?|sincerely)"
    r"(?: again| and best wishes| for your time)?[,.!]*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|to whom it may concern)\b[^.?!\n]{0,60}[,:!]?$",
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
_ORG_WORDS = re.compile(
    r"\b(?:council|trust|association|network|partnership|group|forum|charity|cic|foundation|society|"
    r"centre|center|ltd|limited|nhs|university|college|school|church|mosque|alliance|services|club|"
    r"collective|project|board|hub|federation|institute|agency|housing|cooperative|co-operative)\b",
    re.IGNORECASE,
)
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


def split_signature(body: str) -> tuple[str, str]:
    """Split ``body`` into the message and its signature (``""`` when none is found).

    The signature starts at a ``-- `` line, else at the last sign-off line
    ("Kind regards", "Thanks", ...).
    """
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() == "--":
            return "\n".join(lines[:index]), "\n".join(lines[index + 1 :])
    sign_offs = [index for index, line in enumerate(lines) if _SIGN_OFF.match(line.strip())]
    if sign_offs:
        return "\n".join(lines[: sign_offs[-1]]), "\n".join(lines[sign_offs[-1] + 1 :])
    return body, ""


def _paragraphs(text: str) -> list[list[str]]:
    blocks = re.split(r"\n\s*\n", text)
    return [[line.strip() for line in block.split("\n") if line.strip()] for block in blocks if block.strip()]


def clean_body(body: str) -> tuple[list[list[str]], str]:
    """Return the paragraphs (as lines) of ``body`` that carry comments, and the signature.

    Quoted earlier messages, greetings, sign-offs, signatures and disclaimers are removed.
    """
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    message, signature = split_signature("\n".join(_cut_quoted(lines)))
    paragraphs = [p for p in _paragraphs(message) if not _DISCLAIMER.search(" ".join(p))]
    if paragraphs and _GREETING.match(paragraphs[0][0]):
        paragraphs[0] = paragraphs[0][1:]
    return [p for p in paragraphs if p], signature


def _is_lead_in(lines: list[str], followed_by_items: bool) -> bool:
    text = " ".join(lines)
    return followed_by_items and text.endswith(":") and len(text.split()) <= _LEAD_IN_WORDS


def split_points(paragraphs: list[list[str]]) -> list[str]:
    """Split cleaned paragraphs into points: one per list item, else one per paragraph.

    Lines within a point are joined with spaces; item markers (``1.``, ``-``,
    ``•``) are removed; a short lead-in ending with ``:`` right before a list is dropped.
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

    Webmail domains (gmail.com, ...) give ``None`` when the signature names no organisation.
    """
    for line in signature.split("\n"):
        line = line.strip(" |-")
        if line and len(line) <= 80 and "@" not in line and "www" not in line.lower() and _ORG_WORDS.search(line):
            if not re.search(r"\d{3}", line):
                return line
    if address and "@" in address:
        domain = address.rsplit("@", 1)[1].strip().lower().rstrip(">")
        if domain and domain not in WEBMAIL_DOMAINS:
            return domain
    return None
