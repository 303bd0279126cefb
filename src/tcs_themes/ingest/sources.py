"""Find the input files behind the paths given: files, folders (recursively) and globs.

Each file keeps the path as the user would write it (``source_file``) and its
path relative to the folder given (``relative``), which comment ids are built from.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
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
    skip_reason : str or None
        Why a link found in a folder is not read (:data:`LINKED_FOLDER`, :data:`LINK_OUTSIDE`).
    """

    path: Path
    source_file: str
    relative: str
    given: bool
    skip_reason: str | None = None

    @property
    def suffix(self) -> str:
        """The lower-case extension, e.g. ``".xlsx"``."""
        return self.path.suffix.lower()


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts)


#: Why a link found in a folder is not read (a file named directly is read wherever it points).
LINKED_FOLDER = "a link to a folder, which is not followed; give the folder it points to itself"
LINK_OUTSIDE = "a link to a file outside the folder given, which is not read; copy the file in or name it directly"


def _found(base: Path, paths: Iterable[Path], shown: Callable[[Path], str]) -> list[InputFile]:
    """The files among ``paths`` (found under ``base``) to ingest, in a stable order.

    Hidden files are left out. Links are not followed out of ``base``: a link to
    a folder, or to a file elsewhere, is returned with its ``skip_reason``, so
    the ingest log says why it was not read; a link to a file inside ``base`` is
    read once (the file itself).
    """
    found = []
    resolved_base = base.resolve()
    for path in sorted(paths):
        relative = path.relative_to(base)
        if _is_hidden(relative) or any((base / parent).is_symlink() for parent in relative.parents if parent.parts):
            continue  # hidden, or reached through a linked folder (the link itself is logged)
        item = InputFile(path, shown(path), relative.as_posix(), False)
        if path.is_symlink():
            if path.is_dir():
                found.append(replace(item, skip_reason=LINKED_FOLDER))
            elif not path.resolve().is_relative_to(resolved_base):
                found.append(replace(item, skip_reason=LINK_OUTSIDE))
            elif path.is_file():
                found.append(item)
        elif path.is_file():
            found.append(item)
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
    differ. Links found in a folder or by a glob are not followed out of it (see
    :func:`_found`). Returns the files and one error per path that matched nothing.
    """
    files: list[InputFile] = []
    errors: list[InputFileError] = []
    for given in paths:
        shown = Path(given).as_posix()
        path = Path(given)
        if path.is_file():
            files.append(InputFile(path, shown, path.name, True))
        elif path.is_dir():
            prefix = shown.rstrip("/")
            files.extend(_found(path, path.rglob("*"), lambda p, folder=path, prefix=prefix: f"{prefix}/{p.relative_to(folder).as_posix()}"))
        elif _GLOB_CHARS & set(str(given)):
            base = _glob_base(str(given))
            # pathlib's glob, unlike glob.glob, never descends into a linked folder (two links to a parent
            # folder would make glob.glob walk 2**40 paths)
            matches = sorted(base.glob(Path(given).relative_to(base).as_posix())) if base.is_dir() else []
            if not matches:
                errors.append(InputFileError(shown, "no files match this pattern; check it"))
            inner = [p for match in matches for p in (match.rglob("*") if match.is_dir() and not match.is_symlink() else [match])]
            files.extend(_found(base, inner, lambda p: p.as_posix()))
        else:
            errors.append(InputFileError(shown, "file or folder not found; check the path"))
    unique: dict[Path, InputFile] = {}
    for item in files:
        unique.setdefault(item.path if item.skip_reason else item.path.resolve(), item)
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
