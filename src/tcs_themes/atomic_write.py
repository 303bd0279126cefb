"""Write a file atomically: to a temporary name in the same folder, then rename it into place.

A reader never sees a half-written file, and a failed write leaves the old
file (if any) untouched and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tcs_themes.errors import InputFileError


def write_bytes_atomic(target: str | Path, data: bytes, error: type[InputFileError] = InputFileError) -> Path:
    """Write ``data`` to ``target`` via a temporary file in the same folder, then rename it; return the path.

    Parameters
    ----------
    target : str or Path
    data : bytes
    error : type, default InputFileError
        The exception raised when the folder or file cannot be written.

    Raises
    ------
    InputFileError
        (or ``error``) naming the file; ``target`` is then untouched.
    """
    path = Path(target)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError as failure:
        raise error(str(path), f"cannot write it ({failure.strerror or type(failure).__name__})") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return path
