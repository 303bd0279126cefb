"""Read emails from .eml, .mbox and (with the ``outlook`` extra) Outlook .msg files.

Each message becomes a :class:`Mail`: who sent it, when, its body as plain
text (the plain part preferred, HTML converted otherwise) and the attachments
it carried (listed, never read). A body whose charset is missing, unknown or
wrong is decoded by :func:`~tcs_themes.ingest.charsets.decode_declared`, which
says how. An mbox is read message by message, streamed from the file: a message
that cannot be read is a :class:`Mail` with a ``problem``, and the others are
still read.

Bounds (see :mod:`tcs_themes.ingest.limits`): an email over ``MAX_EMAIL_BYTES``
or with more than ``MAX_EMAIL_PARTS`` MIME parts is refused before it is parsed,
and one whose body is over ``MAX_EMAIL_BODY_BYTES`` before its body is
converted; an mbox is read up to ``MAX_MBOX_MESSAGES`` messages. Each refusal
is a problem for that message alone.
"""

from __future__ import annotations

import email
import email.errors
import email.parser
import email.policy
import email.utils
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from tcs_themes.errors import InputFileError, MissingExtraError
from tcs_themes.ingest.charsets import decode_declared
from tcs_themes.ingest.html_text import html_to_text
from tcs_themes.ingest.ids import content_hash
from tcs_themes.ingest.limits import MAX_EMAIL_BODY_BYTES, MAX_EMAIL_BYTES, MAX_EMAIL_PARTS, MAX_MBOX_MESSAGES
from tcs_themes.ingest.sniff import require_kind
from tcs_themes.zip_limits import size_text

_MESSAGE_HEADERS = frozenset(
    {"from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version", "content-type"}
)
_HEADERS_ONLY = email.parser.BytesParser(policy=email.policy.compat32)
_EXPORT = "export the message again as .eml"
_NOT_AN_EMAIL = f"it has no From header, so it is not an email; {_EXPORT}"


@dataclass
class Mail:
    """One email message.

    Attributes
    ----------
    location : str
        ``"name.eml"``, or ``"name.mbox:3"`` for the third message of an mbox.
    message_id : str
        The Message-ID without angle brackets, or a hash of the message when it has none.
    sender_name, sender_address : str or None
        From the From header.
    date : Timestamp or None
        The Date header, in UTC without a time zone.
    body : str
        Plain-text body.
    attachments : list of str
        ``"name (type, size)"`` for each attachment.
    decoding_note : str or None
        How the body was decoded when its declared charset did not fit (see
        :func:`~tcs_themes.ingest.charsets.decode_declared`).
    problem : str or None
        Why the message cannot be read (then the other fields are empty).
    """

    location: str
    message_id: str
    sender_name: str | None
    sender_address: str | None
    date: pd.Timestamp | None
    body: str
    attachments: list[str] = field(default_factory=list)
    decoding_note: str | None = None
    problem: str | None = None

    @classmethod
    def unreadable(cls, location: str, problem: str) -> Mail:
        """A message that cannot be read, at ``location``, and why."""
        return cls(location, "", None, None, None, "", problem=problem)


def _utc(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def _parse_date(header: str | None) -> pd.Timestamp | None:
    if not header:
        return None
    try:
        return _utc(email.utils.parsedate_to_datetime(str(header)))
    except (TypeError, ValueError, IndexError):
        return None


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


class _DamagedBody(ValueError):
    """The body's transfer encoding is broken: decoding it would give text nobody wrote."""


class _LongBody(ValueError):
    """The body is longer than :data:`MAX_EMAIL_BODY_BYTES`; ``args[0]`` is its size in bytes."""


def _too_big(size: int) -> str:
    return (
        f"refused: the email is {size_text(size)}, more than the {size_text(MAX_EMAIL_BYTES)} one email may have; "
        "save it again without its attachments (they are not read)"
    )


def _too_many_parts() -> str:
    return (
        f"refused: the email has more than {MAX_EMAIL_PARTS:,} MIME parts (attachments and alternative bodies); "
        "save it again without its attachments (they are not read)"
    )


def _long_body(size: int) -> str:
    return (
        f"refused: its body is {size_text(size)}, more than the {size_text(MAX_EMAIL_BODY_BYTES)} one email body may "
        "have; if it is one response, save its text in a CSV, a paragraph a row, and ingest that"
    )


#: Defects of a base64 body that mean its bytes are not what was sent (a missing "=" pad is harmless).
_DAMAGED_BASE64 = (email.errors.InvalidBase64CharactersDefect, email.errors.InvalidBase64LengthDefect)


def _body(message: EmailMessage) -> tuple[str, str | None]:
    """The plain-text body (HTML converted), and a note when its charset did not fit.

    Raises
    ------
    _DamagedBody
        If the body declares base64 but holds other characters (Python's decoder would skip them
        and turn the rest into bytes nobody wrote).
    _LongBody
        If the body is over :data:`MAX_EMAIL_BODY_BYTES`.
    """
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return "", None
    if len(payload) > MAX_EMAIL_BODY_BYTES:
        raise _LongBody(len(payload))
    if any(isinstance(defect, _DAMAGED_BASE64) for defect in part.defects):
        raise _DamagedBody
    content, note = decode_declared(payload, part.get_content_charset())
    return (html_to_text(content) if part.get_content_subtype() == "html" else content), note


def _attachments(message: EmailMessage) -> list[str]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        name = part.get_filename() or "unnamed"
        found.append(f"{name} ({part.get_content_type()}, {_size(len(payload))})")
    return found


def mail_from_message(message: EmailMessage, location: str, raw: bytes) -> Mail:
    """Build a :class:`Mail` from a parsed message; ``raw`` gives the id when there is no Message-ID."""
    name, address = email.utils.parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip().strip("<>") or f"sha-{content_hash(raw)}"
    body, note = _body(message)
    return Mail(
        location=location,
        message_id=message_id,
        sender_name=name or None,
        sender_address=address or None,
        date=_parse_date(message.get("Date")),
        body=body,
        attachments=_attachments(message) if message.is_multipart() else [],
        decoding_note=note,
    )


def _read_message(raw: bytes, location: str) -> Mail:
    """Parse one message; a message without a From header, over a limit, or that the email parser fails on, gets a problem.

    The parts are counted from the boundary lines (``--...``) before the parser
    (0.4 ms a part) sees them: each part has one, and few other lines start so.
    """
    if raw.count(b"\n--") > MAX_EMAIL_PARTS:
        return Mail.unreadable(location, _too_many_parts())
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if not message.get("From"):
            return Mail.unreadable(location, _NOT_AN_EMAIL)
        return mail_from_message(message, location, raw)  # type: ignore[arg-type]
    except _DamagedBody:
        return Mail.unreadable(location, f"its body is damaged: it is declared base64 but holds other characters; {_EXPORT}")
    except _LongBody as long:
        return Mail.unreadable(location, _long_body(long.args[0]))
    except Exception as error:  # noqa: BLE001 - the email package raises many types on malformed headers
        return Mail.unreadable(location, f"the message cannot be parsed ({type(error).__name__}); {_EXPORT}")


def read_eml(path: Path, source_file: str) -> list[Mail]:
    """Read one .eml file.

    Raises
    ------
    InputFileError
        If the file is empty, binary, over a limit, has no From header or cannot be parsed.
    """
    require_kind(path, source_file, "text", "an .eml file is a saved email in text form; export the message again")
    size = path.stat().st_size
    if size > MAX_EMAIL_BYTES:
        raise InputFileError(source_file, _too_big(size))
    mail = _read_message(path.read_bytes(), Path(source_file).name)
    if mail.problem is not None:
        raise InputFileError(source_file, mail.problem)
    return [mail]


#: Most bytes kept of a message over MAX_EMAIL_BYTES (its headers, to tell a message from a split one).
_HEAD_BYTES = 64 << 10
_PIECE = 1 << 20


def _mbox_pieces(handle: BinaryIO) -> Iterator[tuple[bytes, bytes, int]]:
    """Each ``From `` line of an mbox, the message after it (without its final blank line) and the message's size.

    Split as :class:`mailbox.mbox` splits, at every line starting "From ", but
    streamed: lines are read a megabyte at most at a time, and of a message over
    :data:`MAX_EMAIL_BYTES` only its first :data:`_HEAD_BYTES` are kept.
    """
    separator: bytes | None = None
    kept = bytearray()
    size = 0
    last_empty = in_separator = False
    at_line_start = True
    while piece := handle.readline(_PIECE):
        starts_line, at_line_start = at_line_start, piece.endswith(b"\n")
        if in_separator:  # the rest of a "From " line longer than a piece
            in_separator = not at_line_start
            continue
        if starts_line and piece.startswith(b"From "):
            if separator is not None:
                yield separator, bytes(kept[: len(kept) - last_empty]), size - last_empty
            separator, kept, size, last_empty = piece[:_HEAD_BYTES], bytearray(), 0, False
            in_separator = not at_line_start
            continue
        size += len(piece)
        if size <= MAX_EMAIL_BYTES:
            kept += piece
        elif len(kept) > _HEAD_BYTES:
            del kept[_HEAD_BYTES:]
        last_empty = starts_line and piece == b"\n"
    if separator is not None:
        yield separator, bytes(kept[: len(kept) - last_empty]), size - last_empty


def _is_split(raw: bytes) -> bool:
    """Whether ``raw`` has none of the usual message headers: a body line starting "From " split it from the one before."""
    headers = {name.lower() for name in _HEADERS_ONLY.parsebytes(raw[:_HEAD_BYTES], headersonly=True).keys()}
    return not headers & _MESSAGE_HEADERS


def _mbox_messages(path: Path) -> Iterator[tuple[bytes, int]]:
    """The messages of an mbox one at a time, as bytes without their ``From `` line, and their sizes.

    A body line starting "From " that its writer did not escape splits a
    message in two: a part without any of the usual message headers is such a
    split, and is joined back, with its "From " line, to the message before it.
    A message over :data:`MAX_EMAIL_BYTES` comes with only its first bytes.
    """
    pending: tuple[bytes, int] | None = None
    with path.open("rb") as handle:
        for separator, raw, size in _mbox_pieces(handle):
            if pending is not None and _is_split(raw):
                joined = pending[0].rstrip(b"\n") + b"\n\n" + separator + raw
                size += pending[1] + len(separator) + 1
                pending = (joined if size <= MAX_EMAIL_BYTES else joined[:_HEAD_BYTES], size)
                continue
            if pending is not None:
                yield pending
            pending = (raw, size)
    if pending is not None:
        yield pending


def read_mbox(path: Path, source_file: str) -> Iterator[Mail]:
    """Read the messages of an .mbox file one at a time (numbered from 1 in their locations).

    A message that cannot be read, or is over a limit, is returned with its
    ``problem`` set; the others are read as usual. After
    :data:`MAX_MBOX_MESSAGES` messages, one last :class:`Mail` says the rest are not read.

    Raises
    ------
    InputFileError
        If the file is empty, or does not start with an mbox ``From `` line (raised at once).
    """
    require_kind(path, source_file, "text", "export the mailbox again as .mbox")
    with path.open("rb") as handle:
        if not handle.read(5) == b"From ":
            raise InputFileError(source_file, "is not an mbox file (it must start with a 'From ' line); export the mailbox again")
    return _mbox_mails(path, Path(source_file).name)


def _mbox_mails(path: Path, name: str) -> Iterator[Mail]:
    for number, (raw, size) in enumerate(_mbox_messages(path), start=1):
        location = f"{name}:{number}"
        if number > MAX_MBOX_MESSAGES:
            problem = (
                f"refused: the mailbox has more than {MAX_MBOX_MESSAGES:,} messages; this one and those after it are "
                "not read: split the mailbox"
            )
            yield Mail.unreadable(location, problem)
            return
        if size > MAX_EMAIL_BYTES:
            yield Mail.unreadable(location, _too_big(size))
        else:
            yield _read_message(raw, location)


def read_msg(path: Path, source_file: str) -> list[Mail]:
    """Read an Outlook .msg file with the optional ``extract-msg`` package.

    Raises
    ------
    MissingExtraError
        If ``extract-msg`` is not installed.
    InputFileError
        If the file is not an Outlook message, or is over :data:`MAX_EMAIL_BYTES` or its body over
        :data:`MAX_EMAIL_BODY_BYTES`.
    """
    try:
        import extract_msg  # noqa: PLC0415 - optional extra, GPL-licensed
    except ImportError:
        raise MissingExtraError(
            f'{source_file}: reading Outlook .msg files needs an optional extra: pip install "tcs-themes[outlook]" '
            "(or save the messages as .eml from Outlook)"
        ) from None
    require_kind(path, source_file, "ole", "save the message from Outlook again as .msg or .eml")
    size = path.stat().st_size
    if size > MAX_EMAIL_BYTES:
        raise InputFileError(source_file, _too_big(size))
    try:
        message = extract_msg.openMsg(str(path))
    except Exception as error:  # noqa: BLE001 - extract-msg raises many unrelated types
        raise InputFileError(source_file, f"is not a readable Outlook message ({type(error).__name__})") from None
    try:
        chosen = message.body or message.htmlBody or ""
        size = len(chosen.encode("utf-8", "surrogatepass")) if isinstance(chosen, str) else len(chosen)
        if size > MAX_EMAIL_BODY_BYTES:
            raise InputFileError(source_file, _long_body(size))
        note = None
        if message.body:
            body = message.body
        elif isinstance(message.htmlBody, bytes):
            html, note = decode_declared(message.htmlBody, None)
            body = html_to_text(html)
        else:
            body = html_to_text(message.htmlBody or "")
        name, address = email.utils.parseaddr(message.sender or "")
        attachments = [
            f"{a.longFilename or a.shortFilename or 'unnamed'} ({getattr(a, 'mimetype', None) or 'attachment'}, "
            f"{_size(len(a.data or b'') if isinstance(a.data, bytes) else 0)})"
            for a in message.attachments
        ]
        message_id = (message.messageId or "").strip().strip("<>") or f"sha-{content_hash(path.read_bytes())}"
        return [Mail(
            Path(source_file).name, message_id, name or None, address or None, _utc(message.date), body, attachments,
            decoding_note=note,
        )]
    finally:
        message.close()
