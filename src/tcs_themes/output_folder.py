"""Check an output folder before writing into it, so a read-only or impossible path is one clear error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tcs_themes.errors import OutputError


def writable_folder(path: str | Path) -> Path:
    """Create the folder ``path`` if needed, check a file can be written in it, and return it.

    Raises
    ------
    OutputError
        If the folder cannot be created or written to (read-only, a file of that
        name exists, no permission, no space); the message names the folder.
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(str(folder), f"cannot write in this folder ({reason}); choose a folder you can write to") from None
    return folder
