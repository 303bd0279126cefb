"""Read emails from .eml, .mbox and (with the ``outlook`` extra) Outlook .msg files.

Each message becomes a :class:`Mail`: who sent it, when, its body as plain
text (the plain part preferred, HTML converted otherwise) and the attachments
it carried (listed, never read).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import mailbox
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

from tcs_themes.errors import InputFileError, MissingExtraError
from tcs_themes.ingest.html_text import html_to_text
from tcs_themes.ingest.ids import content_hash
from tcs_themes.ingest.sniff import require_kind

_NOT_AN_EMAIL = "it has no From header, so it is not an email; export the message again as .eml"


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
    """

    location: str
    message_id: str
    sender_name: str | None
    sender_address: str | None
    date: pd.Timestamp | None
    body: str
    attachments: list[str] = field(default_factory=list)


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


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    return html_to_text(content) if part.get_content_subtype() == "html" else content


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
    return Mail(
        location=location,
        message_id=message_id,
        sender_name=name or None,
        sender_address=address or None,
        date=_parse_date(message.get("Date")),
        body=_body(message),
        attachments=_attachments(message) if message.is_multipart() else [],
    )


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def read_eml(path: Path, source_file: str) -> list[Mail]:
    """Read one .eml file.

    Raises
    ------
    InputFileError
        If the file is empty, binary, or has no From header.
    """
    require_kind(path, source_file, "text", "an .eml file is a saved email in text form; export the message again")
    raw = path.read_bytes()
    message = _parse(raw)
    if not message.get("From"):
        raise InputFileError(source_file, _NOT_AN_EMAIL)
    return [mail_from_message(message, Path(source_file).name, raw)]


def read_mbox(path: Path, source_file: str) -> list[Mail]:
    """Read every message of an .mbox file (numbered from 1 in their locations).

    Raises
    ------
    InputFileError
        If the file is empty, or does not start with an mbox ``From `` line.
    """
    require_kind(path, source_file, "text", "export the mailbox again as .mbox")
    with path.open("rb") as handle:
        if not handle.read(5) == b"From ":
            raise InputFileError(source_file, "is not an mbox file (it must start with a 'From ' line); export the mailbox again")
    box = mailbox.mbox(path, create=False)
    mails = []
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            raw = box.get_bytes(key)
            message = _parse(raw)
            location = f"{Path(source_file).name}:{number}"
            if not message.get("From"):
                raise InputFileError(source_file, _NOT_AN_EMAIL, where=f"message {number}")
            mails.append(mail_from_message(message, location, raw))
    finally:
        box.close()
    return mails


def read_msg(path: Path, source_file: str) -> list[Mail]:
    """Read an Outlook .msg file with the optional ``extract-msg`` package.

    Raises
    ------
    MissingExtraError
        If ``extract-msg`` is not installed.
    InputFileError
        If the file is not an Outlook message.
    """
    try:
        import extract_msg  # noqa: PLC0415 - optional extra, GPL-licensed
    except ImportError:
        raise MissingExtraError(
            f'{source_file}: reading Outlook .msg files needs an optional extra: pip install "tcs-themes[outlook]" '
            "(or save the messages as .eml from Outlook)"
        ) from None
    require_kind(path, source_file, "ole", "save the message from Outlook again as .msg or .eml")
    try:
        message = extract_msg.openMsg(str(path))
    except Exception as error:  # noqa: BLE001 - extract-msg raises many unrelated types
        raise InputFileError(source_file, f"is not a readable Outlook message ({type(error).__name__})") from None
    try:
        body = message.body or (html_to_text(_decode(message.htmlBody)) if message.htmlBody else "")
        name, address = email.utils.parseaddr(message.sender or "")
        attachments = [
            f"{a.longFilename or a.shortFilename or 'unnamed'} ({getattr(a, 'mimetype', None) or 'attachment'}, "
            f"{_size(len(a.data or b'') if isinstance(a.data, bytes) else 0)})"
            for a in message.attachments
        ]
        message_id = (message.messageId or "").strip().strip("<>") or f"sha-{content_hash(path.read_bytes())}"
        return [Mail(Path(source_file).name, message_id, name or None, address or None, _utc(message.date), body, attachments)]
    finally:
        message.close()


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
