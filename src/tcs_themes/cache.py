"""The user cache: things slow to build that depend only on their inputs.

A codebook's rule index, a checked model file's arrays, a validated codebook,
the static encoder's vectors and Faker's given names (see ``docs/coding.md``, *Start-up*).

Entries live in ``$XDG_CACHE_HOME/tcs-themes`` (``~/.cache/tcs-themes`` when
``XDG_CACHE_HOME`` is unset), or in the folder ``TCS_THEMES_CACHE_DIR`` names;
``TCS_THEMES_NO_CACHE=1`` turns the cache off (nothing read, nothing written).
Each entry is a NumPy ``.npz`` file of plain arrays, read without pickle, and
holds the key it was built for (a hash of everything it depends on). An entry
that is missing, stale, unreadable or damaged is ignored and rebuilt; a cache
that cannot be written slows the next run down but is never an error. Deleting
the folder is always safe. The cache is trusted as far as the user's own files
are: what is read is checked for shape and for keys the codebook has, not
recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from tcs_themes.atomic_write import atomic_path
from tcs_themes.errors import TcsError

if TYPE_CHECKING:
    import numpy as np

#: Environment variable: set to 1 (or true, yes, on) to build everything afresh and cache nothing.
NO_CACHE_VARIABLE = "TCS_THEMES_NO_CACHE"
#: Environment variable: a folder to cache in instead of the default.
CACHE_DIR_VARIABLE = "TCS_THEMES_CACHE_DIR"
#: Entries of one kind kept (the most recently written); older ones are deleted.
KEEP_ENTRIES = 8


def cache_dir() -> Path | None:
    """Return the cache folder, or None when the cache is turned off."""
    if os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on"):
        return None
    chosen = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "tcs-themes"
    try:
        return Path.home() / ".cache" / "tcs-themes"
    except RuntimeError:  # no home folder to be found: no cache
        return None


def cache_key(parts: dict[str, str]) -> str:
    """Return a SHA-256 of ``parts`` (everything an entry depends on)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def source_digest(folder: Path, names: tuple[str, ...]) -> str:
    """Return a SHA-256 of the source files ``names`` in ``folder``: the code an entry's content depends on."""
    code = hashlib.sha256()
    for name in names:
        code.update((folder / name).read_bytes())
    return code.hexdigest()


def _entry(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{key[:24]}.npz"


def read_arrays(kind: str, key: str) -> dict[str, np.ndarray] | None:
    """Return the arrays of the ``kind`` entry built for ``key``, or None (off, missing, stale or unreadable).

    The caller must still check the arrays make sense before it trusts them.
    """
    import numpy as np

    path = _entry(kind, key)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None
    stored = arrays.pop("cache_key", None)
    if stored is None or stored.shape != () or str(stored) != key:
        return None
    return arrays


def write_arrays(kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Store ``arrays`` as the ``kind`` entry for ``key`` (best effort), keeping the :data:`KEEP_ENTRIES` newest."""
    import numpy as np

    path = _entry(kind, key)
    if path is None:
        return
    try:
        with atomic_path(path) as temporary:
            np.savez(temporary, cache_key=np.str_(key), **arrays)
        entries = sorted(path.parent.glob(f"{kind}-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_ENTRIES:]:
            old.unlink(missing_ok=True)
    except (TcsError, OSError):
        pass
