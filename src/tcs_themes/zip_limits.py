"""Check a zip file (an .xlsx workbook, a .skops model) before a library unpacks it: no zip bombs.

A zip member's uncompressed size is declared in the archive's directory, and
Python's :mod:`zipfile` never returns more bytes than declared, so checking
the declared sizes bounds what any reader can unpack.
"""

from __future__ import annotations

import zipfile

#: Members smaller than this (1 MiB) may compress by any ratio (XML boilerplate compresses very well).
RATIO_FREE_BYTES = 1 << 20
#: Largest compression ratio (uncompressed / compressed) of a bigger member; real workbooks and models stay
#: far below it (about 4 for sheet XML), zip bombs far above.
MAX_COMPRESSION_RATIO = 100


def size_text(n: int) -> str:
    """``n`` bytes for a message: ``"45 MB"``, or ``"1,200 bytes"`` under a megabyte.

    >>> size_text(47_185_920), size_text(1_200)
    ('45 MB', '1,200 bytes')
    """
    return f"{n / (1 << 20):,.0f} MB" if n >= 1 << 20 else f"{n:,} bytes"


def zip_problem(archive: zipfile.ZipFile, max_total: int) -> str | None:
    """Say what is wrong with the sizes of ``archive``'s members, or return None.

    Parameters
    ----------
    archive : ZipFile
        The open archive (its directory has been read; nothing is unpacked).
    max_total : int
        Most bytes all members together may unpack to.
    """
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FREE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            return (
                f"its part {member.filename} unpacks to {size_text(member.file_size)} from {size_text(member.compress_size)} "
                f"(more than {MAX_COMPRESSION_RATIO} times smaller), which only a zip bomb does"
            )
    if total > max_total:
        return f"it unpacks to {size_text(total)}, more than the {size_text(max_total)} limit"
    return None
