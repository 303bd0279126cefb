"""Open a REFI-QDA project archive (``.qdpx``) safely, without extracting anything to disk.

Checks, each a one-line :class:`~tcs_themes.errors.ProjectFileError` naming the file:

* it is a zip archive, with no encrypted entries;
* no entry name is absolute (``/x``, ``\\x``, ``C:x``) or has a ``..`` part
  (path traversal), and no entry is a symbolic link, even though nothing is ever extracted;
* at most :data:`MAX_ENTRIES` entries and :data:`MAX_TOTAL_BYTES` uncompressed
  in all (zip bombs): the sizes the archive declares are checked first, and
  the bytes actually inflated are counted while reading, so an archive that
  lies about its sizes is stopped too;
* no entry read over :data:`MAX_ENTRY_BYTES` (:class:`EntryTooBigError`, so a
  reader can log a source that big and read the others);
* it holds a ``project.qde`` (or exactly one ``*.qde``) at its top level.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tcs_themes.errors import ProjectFileError
from tcs_themes.zip_limits import size_text


class EntryTooBigError(ProjectFileError):
    """An entry of the archive is over :data:`MAX_ENTRY_BYTES`; refused before it is inflated."""

#: Most entries a project archive may hold.
MAX_ENTRIES = 10_000
#: Most bytes a project archive may inflate to, all entries together (512 MiB).
MAX_TOTAL_BYTES = 512 * 1024 * 1024
#: Most bytes one entry (the project XML, or a source's text) may inflate to (64 MiB: some 10 million words;
#: the project XML's tree takes about seven times its size, and 14 MB of it takes a second).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class ProjectArchive:
    """A checked ``.qdpx`` archive: read its entries with :meth:`read`.

    Attributes
    ----------
    path : str
        The archive, for messages.
    qde : str
        The name of the project XML entry.
    """

    path: str
    qde: str
    _zip: zipfile.ZipFile
    _names: dict[str, str] = field(default_factory=dict)  # lower-case name -> name
    _budget: int = MAX_TOTAL_BYTES

    def find(self, name: str) -> str | None:
        """Return the entry called ``name`` (case-insensitively: tools write ``sources/`` or ``Sources/``)."""
        return self._names.get(name.lower())

    def read(self, name: str) -> bytes:
        """Return the inflated bytes of entry ``name``, counting them against the size limits.

        Raises
        ------
        EntryTooBigError
            If the entry declares more than :data:`MAX_ENTRY_BYTES` (nothing is inflated).
        ProjectFileError
            If it inflates to more than it declares or than the archive's budget, or is damaged.
        """
        info = self._zip.getinfo(name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise EntryTooBigError(
                self.path, f"refused: the entry is {size_text(info.file_size)}, more than the "
                f"{size_text(MAX_ENTRY_BYTES)} one entry may have; split the project", name,
            )
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size or size > self._budget:
                        raise ProjectFileError(self.path, _too_big("inflates to more than it declares or"), name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise ProjectFileError(self.path, f"entry is damaged ({type(error).__name__}); export the project again", name) from None
        self._budget -= size
        return b"".join(chunks)

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()


def _too_big(prefix: str = "holds") -> str:
    return (
        f"refused: the archive {prefix} more than {MAX_TOTAL_BYTES // (1024 * 1024)} MiB uncompressed (a zip bomb, "
        "or a project too large to import at once); split the project"
    )


def _unsafe(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


def open_project(path: str | Path) -> ProjectArchive:
    """Open and check a ``.qdpx`` archive (see the module notes); return it.

    Raises
    ------
    ProjectFileError
        If the file is missing, not a zip, unsafe, over the limits, or has no ``.qde``.
    """
    source = str(path)
    if not Path(path).is_file():
        raise ProjectFileError(source, "file not found; check the path")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ProjectFileError(
            source, "not a REFI-QDA project: it is not a zip archive; export a .qdpx project from your QDA software"
        ) from None
    try:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ProjectFileError(source, f"refused: the archive has {len(infos)} entries, more than {MAX_ENTRIES}")
        for info in infos:
            if _unsafe(info.filename):
                raise ProjectFileError(
                    source, "refused: an entry's path is absolute or climbs out of the archive with '..'", info.filename
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ProjectFileError(
                    source, "refused: the entry is a symbolic link, which a project never holds; export the project again",
                    info.filename,
                )
            if info.flag_bits & 0x1:
                raise ProjectFileError(source, "refused: the entry is encrypted; export the project without a password", info.filename)
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise ProjectFileError(source, _too_big())
        names = {info.filename.lower(): info.filename for info in infos if not info.is_dir()}
        top = [name for name in names.values() if "/" not in name and name.lower().endswith(".qde")]
        qde = names.get("project.qde") or (top[0] if len(top) == 1 else None)
        if qde is None:
            raise ProjectFileError(
                source, "not a REFI-QDA project: the archive has no project.qde; export a .qdpx project from your QDA software"
            )
    except ProjectFileError:
        archive.close()
        raise
    return ProjectArchive(source, qde, archive, names)
