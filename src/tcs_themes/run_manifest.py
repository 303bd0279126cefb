"""The run manifest: written last by ``tcs-themes run``, so a reader can tell a complete run from a broken one.

``run-manifest.json`` in the output folder lists the inputs (size and SHA-256
of each file read, and its row counts), the counts of the run, every output
with its size and SHA-256, the toolkit version, and the codebook's and model's
fingerprints. A run deletes the manifest of the previous run before it writes
anything and writes its own after every other output, so:

- no manifest: the run did not finish (or the folder was never a run), and the
  files in it may mix this run's outputs with an earlier run's;
- a manifest whose hashes match the files (:func:`check_run`): a complete run.

The manifest holds no clock time, so the same inputs give the same manifest; it
holds the generation date only when one was given (``--date`` or
``SOURCE_DATE_EPOCH``), and paths relative to the output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tcs_themes import __version__
from tcs_themes.atomic_write import cannot_write, write_bytes_atomic

MANIFEST_FILE = "run-manifest.json"
#: Version of the manifest's layout.
MANIFEST_FORMAT = 1


def file_digest(path: str | Path) -> dict[str, Any]:
    """Return ``{"bytes": size, "sha256": hex}`` of a file (read in blocks: bounded memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": os.path.getsize(path), "sha256": digest.hexdigest()}


def remove_manifest(out_dir: str | Path) -> None:
    """Delete the manifest of an earlier run in ``out_dir``, before a new run writes anything there.

    Raises
    ------
    OutputFileError
        If it exists and cannot be deleted (a read-only folder).
    """
    path = Path(out_dir) / MANIFEST_FILE
    try:
        path.unlink(missing_ok=True)
    except OSError as problem:
        raise cannot_write(path, problem) from None


def write_manifest(
    out_dir: str | Path,
    *,
    inputs: Sequence[Mapping[str, Any]],
    counts: Mapping[str, Any],
    outputs: Sequence[str | Path],
    settings: Mapping[str, Any],
) -> Path:
    """Write ``run-manifest.json`` in ``out_dir`` (last, atomically); return its path.

    Parameters
    ----------
    out_dir : path
        The run's output folder.
    inputs : sequence of mapping
        One entry per input file (``source_file``, ``kind``, ``bytes``, ``sha256``, row counts).
    counts : mapping
        The run's counts (comments, coded, uncoded, logged rows, files).
    outputs : sequence of path
        Every file the run wrote; each is listed relative to ``out_dir`` with its size and hash
        (a folder, such as the Parquet dataset of a Dask run, as each file in it).
    settings : mapping
        Toolkit version is added; codebook and model fingerprints, method, date.
    """
    folder = Path(out_dir)
    listed = {}
    files = {f for p in map(Path, outputs) for f in (sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p])}
    for path in sorted(files, key=lambda p: p.relative_to(folder).as_posix()):
        listed[path.relative_to(folder).as_posix()] = file_digest(path)
    manifest = {
        "format": MANIFEST_FORMAT,
        "complete": True,
        "toolkit": f"tcs-themes {__version__}",
        **settings,
        "counts": dict(counts),
        "inputs": list(inputs),
        "outputs": listed,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
    return write_bytes_atomic(folder / MANIFEST_FILE, text.encode("utf-8"))


def check_run(out_dir: str | Path) -> list[str]:
    """Return what is wrong with the run in ``out_dir``: [] for a complete run whose files are as written.

    Each problem is one line: no manifest (the run did not finish), an unreadable
    manifest, or an output that is missing or changed since the run.
    """
    folder = Path(out_dir)
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return [f"{path}: no run manifest, so the run in {folder} did not finish; run 'tcs-themes run' again"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = dict(manifest["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{path}: not a readable run manifest; run 'tcs-themes run' again"]
    problems = []
    for name, expected in listed.items():
        output = folder / name
        if not output.is_file():
            problems.append(f"{output}: listed in the run manifest but missing")
        elif file_digest(output) != expected:
            problems.append(f"{output}: changed since the run wrote it")
    return problems
