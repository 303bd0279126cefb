"""Find the comments in an email body, and account for every line that is not one.

The body is cut into pieces (paragraphs; a list item, a greeting line or a
sign-off line is a piece of its own). Each piece either becomes a comment (a
"point") or is removed with its reason: a quoted earlier message, a greeting,
a heading or lead-in to a list, and, only at the end, the sign-off, the
signature block and a legal disclaimer recognised as a block. A postscript or a
paragraph of prose after the sign-off stays a comment. Removed pieces go to the
ingest log, so every line of the body is accounted for.

The sender's organisation is read from the signature, else from the address's
domain (webmail domains give none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
#: How a legal disclaimer opens, in words no resident's last point would use. Matched at the start of a
#: last paragraph, or of a paragraph after the sign-off; never elsewhere.
_DISCLAIMER = re.compile(
    r"\W*(?:disclaimer|confidential(?:ity)?\s+(?:notice|warning))\b(?=.{0,300}?\b(?:confidential|intended|recipient|"
    r"privileged|liability|viruses|monitored|addressee|e-?mail|message)\b)|"
    r"(?:the\s+)?(?:information\s+(?:in|contained\s+in)\s+)?this\s+(?:e-?mail|message|communication)\b.{0,200}?"
    r"\b(?:confidential|privileged|intended\s+(?:solely|only))|"
    r"if\s+you\s+(?:have\s+received\s+this\s+(?:e-?mail|message|communication)\s+(?:in\s+error|by\s+mistake)|"
    r"are\s+not\s+the\s+intended\s+recipient)|"
    r"(?:any|the)\s+(?:views|opinions)\s+(?:or\s+opinions\s+)?(?:expressed|contained|presented)\s+(?:in|within)\s+"
    r"this\s+(?:e-?mail|message|communication)|"
    r"please\s+consider\s+the\s+environment|"
    r"(?:this\s+\S+\s+(?:has\s+been|was)\s+)?scanned\s+for\s+(?:viruses|malware)",
    re.IGNORECASE | re.DOTALL,
)
#: Legal words that make a signature block a disclaimer (only looked for after the sign-off).
_LEGAL_WORDS = re.compile(
    r"\b(?:disclaimer|confidential|privileged|intended recipient|registered\s+(?:charity|in\s+england|office|company)|"
    r"(?:company|charity)\s+(?:no|number)|views\s+expressed)\b",
    re.IGNORECASE,
)
#: "Sent from my iPhone" and the like: a short footer line.
_MOBILE_FOOTER = re.compile(r"^(?:sent|get outlook) (?:from|for) (?:my )?\w+(?:\s+\w+){0,3}\W*$", re.IGNORECASE)
_POSTSCRIPT = re.compile(r"^p\.?\s?p?\.?\s?s\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)]|[-*\u2022\u2023\u2013\u00b7])\s+")
_LEAD_IN_WORDS = 15
_HEADING_WORDS = 4
_GREETING_WORDS = 8
#: A paragraph after the sign-off with at least this many words, in sentences, is prose and stays a comment.
_PROSE_WORDS = 12
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



#: Reasons a piece of an email body is not a comment (the ``detail`` of its ingest-log row).
QUOTED, GREETING, HEADING, LEAD_IN, SIGN_OFF, SIGNATURE, DISCLAIMER, FOOTER = (
    "quoted earlier message", "greeting", "heading", "lead-in to a list", "sign-off", "signature block at the end",
    "disclaimer at the end", "mobile footer at the end",
)


@dataclass
class Piece:
    """A run of body lines and what became of it.

    Attributes
    ----------
    first, last : int
        Its first and last line in the body, from 1.
    lines : list of str
        Its non-blank lines, stripped.
    removed : str or None
        Why it is not a comment (one of the reasons above), or None for a point.
    is_item : bool
        Whether it is a numbered or bulleted list item.
    """

    first: int
    last: int
    lines: list[str]
    removed: str | None = None
    is_item: bool = False

    @property
    def text(self) -> str:
        """Its lines joined with spaces, without a list marker."""
        text = " ".join(self.lines)
        return _ITEM.sub("", text, count=1) if self.is_item else text


@dataclass
class CleanBody:
    """An email body cut into pieces: the points (comments) and the removed pieces, in body order.

    Attributes
    ----------
    pieces : list of Piece
        Every non-blank line of the body is in exactly one piece.
    signature : str
        The signature block's text (to read the sender's organisation from).
    """

    pieces: list[Piece] = field(default_factory=list)
    signature: str = ""

    @property
    def points(self) -> list[str]:
        """The texts of the pieces that are comments."""
        return [piece.text for piece in self.pieces if piece.removed is None]

    @property
    def removed(self) -> list[Piece]:
        """The pieces that are not comments."""
        return [piece for piece in self.pieces if piece.removed is not None]


def _reply_start(lines: list[str]) -> int:
    """The index of the first line of a quoted earlier message (a reply header), else ``len(lines)``."""
    for index, line in enumerate(lines):
        two_lines = " ".join(part.strip() for part in lines[index : index + 2])
        if any(marker.match(line.strip()) or marker.match(two_lines) for marker in _REPLY_MARKERS):
            return index
        if _OUTLOOK_HEADER.match("\n".join(lines[index : index + 4])):
            return index
    return len(lines)


def _pieces(lines: list[str], offset: int) -> list[Piece]:
    """Cut lines into paragraphs at blank lines, at list items and where ``>`` quoting starts or stops."""
    pieces: list[Piece] = []
    current: Piece | None = None
    for number, line in enumerate(lines, start=offset + 1):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        quoted = stripped.startswith(">")
        is_item = not quoted and bool(_ITEM.match(stripped))
        if current is None or is_item or quoted != (current.removed == QUOTED):
            current = Piece(number, number, [], QUOTED if quoted else None, is_item)
            pieces.append(current)
        current.lines.append(stripped)
        current.last = number
    return pieces


def _split_line(pieces: list[Piece], index: int, line: int, reason: str) -> int:
    """Make line ``line`` of ``pieces[index]`` a piece of its own, removed for ``reason``; return its index."""
    piece = pieces[index]
    at = piece.first + line
    before = Piece(piece.first, at - 1, piece.lines[:line], piece.removed, piece.is_item)
    alone = Piece(at, at, [piece.lines[line]], reason)
    after = Piece(at + 1, piece.last, piece.lines[line + 1 :], piece.removed)
    pieces[index : index + 1] = [p for p in (before, alone, after) if p.lines]
    return index + bool(before.lines)


def _find_sign_off(pieces: list[Piece], names: Sequence[str]) -> tuple[int, int, str] | None:
    """Where the end of the message starts: (piece, line within it, reason of that line).

    The last sign-off line ("Kind regards", ...) before a ``--`` line, else the
    ``--`` line, else a last paragraph (not prose) that starts with the sender's name.
    """
    places = [(i, j) for i, piece in enumerate(pieces) if piece.removed is None for j in range(len(piece.lines))]
    dashes = next((n for n, (i, j) in enumerate(places) if pieces[i].lines[j] == "--"), len(places))
    sign_offs = [(i, j) for i, j in places[:dashes] if _SIGN_OFF.match(pieces[i].lines[j])]
    if sign_offs:
        return (*sign_offs[-1], SIGN_OFF)
    if dashes < len(places):
        return (*places[dashes], SIGNATURE)
    kept = [i for i, piece in enumerate(pieces) if piece.removed is None]
    last = pieces[kept[-1]] if kept else None
    if len(kept) > 1 and not _is_prose(last) and any(name and last.lines[0].startswith(name) for name in names):
        return kept[-1], 0, SIGNATURE
    return None


def _is_prose(piece: Piece) -> bool:
    """Sentences rather than signature lines: enough words, and a sentence ending."""
    words = len(piece.text.split())
    return words >= _PROSE_WORDS and words >= 6 * len(piece.lines) and bool(re.search(r"[.?!](?:\s|$)", piece.text))


def _end_of_message(pieces: list[Piece], start: int) -> list[str]:
    """Classify the pieces after the sign-off; return the signature's lines.

    A postscript and paragraphs of prose stay comments, unless they open like a
    disclaimer; footers are removed as such; everything else is the signature
    block (named a disclaimer when it has legal words).
    """
    signature: list[str] = []
    for piece in pieces[start:]:
        if piece.removed is not None or _POSTSCRIPT.match(piece.text):
            continue
        if _DISCLAIMER.match(piece.text):
            piece.removed = DISCLAIMER
        elif _MOBILE_FOOTER.match(piece.text):
            piece.removed = FOOTER
        elif _is_prose(piece):
            continue
        else:
            piece.removed = DISCLAIMER if _LEGAL_WORDS.search(piece.text) else SIGNATURE
            signature.extend(piece.lines)
    return signature


def _remove_trailing_disclaimers(pieces: list[Piece]) -> None:
    """Remove paragraphs that end the message and open like a disclaimer or footer."""
    for piece in reversed(pieces):
        if piece.removed is not None:
            continue
        if _DISCLAIMER.match(piece.text):
            piece.removed = DISCLAIMER
        elif _MOBILE_FOOTER.match(piece.text):
            piece.removed = FOOTER
        else:
            return


def _is_greeting(line: str) -> bool:
    """"Dear team," or "Hi all": a greeting word, a few words, ending the line (not a sentence after it)."""
    words = len(line.split())
    return bool(_GREETING.match(line)) and words <= _GREETING_WORDS and (words <= 4 or line.endswith((",", ":", "!")))


def _is_heading(piece: Piece) -> bool:
    """A one-line title of a few words, such as "Governance" or "Transport and Parking"."""
    line = piece.lines[0] if len(piece.lines) == 1 else ""
    words = line.split()
    return (
        0 < len(words) <= _HEADING_WORDS
        and not re.search(r"[.?!:;,)\"']$", line)
        and (line.isupper() or all(w[0].isupper() or w.lower() in _CONNECTORS for w in words))
    )


def _is_lead_in(piece: Piece) -> bool:
    """A short line ending with ":" ("Our points are:"), or a heading."""
    text = piece.text
    return (text.endswith(":") and len(text.split()) <= _LEAD_IN_WORDS) or _is_heading(piece)


def clean_body(body: str, names: Sequence[str] = ()) -> CleanBody:
    """Cut ``body`` into points and removed pieces, each non-blank line in exactly one piece.

    Removed: quoted earlier messages (``>`` lines and everything from a reply
    header on), a greeting line at the top, headings before a paragraph and
    lead-ins before a list, and at the end the sign-off, the signature block
    (``names``: the sender's names, to recognise a signature without a
    sign-off) and disclaimers or footers recognised as a block. A postscript or
    prose after the sign-off, and a short paragraph that is not a title, stay points.
    """
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    reply = _reply_start(lines)
    pieces = _pieces(lines[:reply], 0)
    for piece in _pieces(lines[reply:], reply):
        piece.removed, piece.is_item = QUOTED, False
        pieces.append(piece)
    first = next((i for i, piece in enumerate(pieces) if piece.removed is None), None)
    if first is not None and _is_greeting(pieces[first].lines[0]):
        _split_line(pieces, first, 0, GREETING)
    signature: list[str] = []
    end = _find_sign_off(pieces, names)
    if end is not None:
        start = _split_line(pieces, *end)
        if end[2] == SIGNATURE:
            signature.extend(pieces[start].lines)
        signature.extend(_end_of_message(pieces, start + 1))
    _remove_trailing_disclaimers(pieces)
    kept = [piece for piece in pieces if piece.removed is None]
    for piece, following in zip(kept, kept[1:]):
        if following.is_item and not piece.is_item and _is_lead_in(piece):
            piece.removed = LEAD_IN
        elif not piece.is_item and _is_heading(piece):
            piece.removed = HEADING
    return CleanBody(pieces, "\n".join(signature))


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
