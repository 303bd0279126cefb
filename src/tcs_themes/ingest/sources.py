"""Find the input files behind the paths given: files, folders (recursively) and globs.

Each file keeps the path as the user would write it (``source_file``) and its
path relative to the folder given (``relative``), which comment ids are built from.
"""

from __future__ import annotations

import fnmatch
import glob
from collections.abc import Iterable, Sequence
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from tcs_themes.errors import InputFileError

_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class InputFile:
    """A file to ingest.

    Attributes
    ----------
    path : Path
        Where it is on disk.
    source_file : str
        The path as given on the command line (joined with the found name), POSIX separators.
    relative : str
        Its path relative to the folder given, or its name when the file itself was given.
    given : bool
        Whether the file was named directly (not found in a folder or by a glob).
    """

    path: Path
    source_file: str
    relative: str
    given: bool

    @property
    def suffix(self) -> str:
        """The lower-case extension, e.g. ``".xlsx"``."""
        return self.path.suffix.lower()


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts)


def _in_folder(folder: Path, shown: str, files: Iterable[Path]) -> list[InputFile]:
    found = []
    for path in sorted(files):
        relative = path.relative_to(folder)
        if path.is_file() and not _is_hidden(relative):
            found.append(InputFile(path, f"{shown.rstrip('/')}/{relative.as_posix()}", relative.as_posix(), False))
    return found


def _glob_base(pattern: str) -> Path:
    """The folder part of a glob before its first wildcard (``data/raw`` for ``data/raw/**/*.csv``)."""
    fixed: list[str] = []
    for part in Path(pattern).parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[InputFile], list[InputFileError]]:
    """Expand files, folders and glob patterns into input files, in a stable order.

    Hidden files and Office lock files (``~$...``) in folders are left out; a
    file reached twice is read once; files of different folders with the same
    relative path keep their path as given as ``relative``, so their comment ids
    differ. Returns the files and one error per path that matched nothing.
    """
    files: list[InputFile] = []
    errors: list[InputFileError] = []
    for given in paths:
        shown = Path(given).as_posix()
        path = Path(given)
        if path.is_file():
            files.append(InputFile(path, shown, path.name, True))
        elif path.is_dir():
            files.extend(_in_folder(path, shown, path.rglob("*")))
        elif _GLOB_CHARS & set(str(given)):
            base = _glob_base(str(given))
            matches = [Path(m) for m in glob.glob(str(given), recursive=True)]
            if not matches:
                errors.append(InputFileError(shown, "no files match this pattern; check it"))
            for match in sorted(matches):
                inner = match.rglob("*") if match.is_dir() else [match]
                files.extend(
                    InputFile(p, Path(p).as_posix(), p.relative_to(base).as_posix(), False)
                    for p in sorted(inner)
                    if p.is_file() and not _is_hidden(p.relative_to(base))
                )
        else:
            errors.append(InputFileError(shown, "file or folder not found; check the path"))
    unique: dict[Path, InputFile] = {}
    for item in files:
        unique.setdefault(item.path.resolve(), item)
    return _distinct_relatives(list(unique.values())), errors


def _distinct_relatives(files: list[InputFile]) -> list[InputFile]:
    """Files from different folders with the same relative path are known by their path as given instead."""
    counts = Counter(item.relative for item in files)
    return [replace(item, relative=item.source_file) if counts[item.relative] > 1 else item for item in files]


def matches_any(item: InputFile, patterns: Sequence[str], folder: Path) -> str | None:
    """Return the first glob of ``patterns`` that ``item`` matches, relative to ``folder`` or by name."""
    try:
        relative = item.path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        relative = item.relative
    for pattern in patterns:
        if fnmatch.fnmatch(relative, pattern) or ("/" not in pattern and fnmatch.fnmatch(item.path.name, pattern)):
            return pattern
    return None
