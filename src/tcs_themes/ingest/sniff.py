"""Tell what a file really is from its first bytes, so a wrongly named file gets a clear error."""

from __future__ import annotations

from pathlib import Path

from tcs_themes.errors import InputFileError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAGIC = {b"PK\x03\x04": "zip", _OLE_MAGIC: "ole", b"%PDF": "pdf"}

#: What each content kind is called in messages.
DESCRIPTIONS = {
    "zip": "an Excel workbook or other zip file",
    "ole": "an Office 97-2003 file (an old .xls, an Outlook .msg, or a password-protected workbook)",
    "encrypted": "a password-protected Office file",
    "pdf": "a PDF",
    "binary": "a binary file",
    "text": "a text file",
}


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``head`` is UTF-16 text without a byte-order mark, else None.

    Such text (Excel's "Unicode Text" from some tools) has a zero byte in every
    other place, after (LE) or before (BE) each ASCII character; binary data does not.

    >>> utf16_without_bom("Comment\r\nThe bus".encode("utf-16-le")), utf16_without_bom(b"PK\x03\x04\x00\x00")
    ('utf-16-le', None)
    """
    pairs = len(head) // 2
    if pairs < 2:
        return None
    for encoding, zeros, chars in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if zeros[:pairs].count(0) >= 0.9 * pairs and chars[:pairs].count(0) == 0:
            return encoding
    return None


def content_kind(path: Path) -> str:
    """Return ``"empty"``, ``"zip"``, ``"ole"``, ``"encrypted"``, ``"pdf"``, ``"text"`` or ``"binary"``."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head:
        return "empty"
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == "ole" and _ENCRYPTED in path.read_bytes():
                return "encrypted"
            return kind
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and utf16_without_bom(head) is None:
        return "binary"
    return "text"


def require_kind(path: Path, source_file: str, expected: str, fix: str) -> str:
    """Check that ``path`` holds ``expected`` content (``"zip"``, ``"ole"`` or ``"text"``).

    Raises
    ------
    InputFileError
        If the file is empty, password-protected or of another kind; ``fix``
        says what to do and ends the message.
    """
    kind = content_kind(path)
    if kind == expected:
        return kind
    if kind == "empty":
        raise InputFileError(source_file, "the file is empty; export or save it again")
    if kind == "encrypted":
        raise InputFileError(
            source_file, "the file is password-protected; open it, remove the password and save it again"
        )
    raise InputFileError(source_file, f"the file is really {DESCRIPTIONS[kind]}; {fix}")
