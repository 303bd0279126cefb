"""Write output files so that nobody ever sees half of one: to a temporary name, then renamed into place.

Every file the toolkit writes (tables, logs, workbooks, reports, charts,
codebooks, models, the run manifest) goes through :func:`atomic_path`: the
writer writes a temporary file in the target's folder, and only a complete
file is renamed over the target (an atomic rename on one file system). A run
killed mid-way leaves the previous file, or none, never a truncated one that
parses as complete; a stray temporary file is named ``.<name>.<random>.tmp<suffix>``.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tcs_themes.errors import InputFileError, OutputFileError


@contextmanager
def atomic_path(target: str | Path, *, error: type[InputFileError] = OutputFileError) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block succeeds, rename it to ``target``.

    The temporary name keeps ``target``'s suffix (writers such as matplotlib
    choose the format by it). The folder is created if needed. If the block
    raises, the temporary file is removed and ``target`` is untouched.

    Parameters
    ----------
    target : path
        The file to write.
    error : InputFileError subclass, default OutputFileError
        Raised, naming ``target``, when the folder or file cannot be written.

    Examples
    --------
    >>> with atomic_path("out/coded.csv") as temporary:   # doctest: +SKIP
    ...     frame.to_csv(temporary)
    """
    target = Path(target)
    temporary = temporary_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield temporary
        os.replace(temporary, target)
    except OSError as problem:
        raise cannot_write(target, problem, error) from None
    finally:
        with suppress(OSError):  # nothing to clean up where nothing could be written
            temporary.unlink(missing_ok=True)


def temporary_path(target: Path) -> Path:
    """Return a fresh temporary name beside ``target`` (same folder and suffix), for writers that stream."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp{target.suffix}")


def cannot_write(target: Path, problem: OSError, error: type[InputFileError] = OutputFileError) -> InputFileError:
    """Return the one-line error for ``target`` that could not be written."""
    return error(str(target), f"cannot write it ({problem.strerror or type(problem).__name__}); "
                 "check the folder is writable and the file is not open in another program")


def write_bytes_atomic(target: str | Path, data: bytes, error: type[InputFileError] = OutputFileError) -> Path:
    """Write ``data`` to ``target`` through :func:`atomic_path`; return the path.

    Raises
    ------
    OutputFileError
        (or ``error``) naming the file; ``target`` is then untouched.
    """
    with atomic_path(target, error=error) as temporary:
        temporary.write_bytes(data)
    return Path(target)


def writable_folder(path: str | Path) -> Path:
    """Create the folder ``path`` if needed, check a file can be written in it, and return it.

    For writers that stream many files (a run, the coded tables, a workbook's
    sheets), so a read-only or impossible folder is one error before any work.

    Raises
    ------
    OutputFileError
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
        raise OutputFileError(str(folder), f"cannot write in this folder ({reason}); choose a folder you can write to") from None
    return folder
