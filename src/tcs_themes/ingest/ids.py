"""Stable comment ids: the same input file and location always give the same id.

The id depends only on the file's path *relative to the folder given on the
command line* (or its bare name when the file itself was given) and the
location within it, never on absolute paths, the working directory or the
machine, so ids survive moving the project folder.
"""

from __future__ import annotations

import hashlib

ID_PREFIX = "c"
ID_HEX_DIGITS = 12


def comment_id(relative_path: str, location: str) -> str:
    """Return the stable id ``"c" + 12 hex digits`` of the comment at ``location``.

    Parameters
    ----------
    relative_path : str
        The file's path relative to the folder given (POSIX separators), or its
        name when a file was given directly.
    location : str
        Where the comment is in the file, e.g. ``"Sheet1!R12"`` or ``"email.eml#2"``.

    Examples
    --------
    >>> comment_id("notes/partners.xlsx", "Partners 1!R4")
    'c0305739d43c5'
    """
    key = f"{relative_path}\n{location}".encode()
    return ID_PREFIX + hashlib.sha256(key).hexdigest()[:ID_HEX_DIGITS]


def content_hash(data: bytes) -> str:
    """Return a short hex digest of ``data`` (used as a Message-ID when an email has none)."""
    return hashlib.sha256(data).hexdigest()[:16]
