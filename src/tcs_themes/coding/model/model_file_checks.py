"""Check a .skops model file's zip and array headers before skops unpacks anything.

A skops file is a zip holding ``schema.json`` and one ``.npy`` file per array.
A crafted file can declare members that unpack to gigabytes, or a 100-byte
``.npy`` whose header declares an array of gigabytes (numpy allocates the
declared shape before reading). :func:`model_file_problem` reads only the zip
directory and the ``.npy`` headers, so such a file is refused in milliseconds.
"""

from __future__ import annotations

import math
import zipfile

import numpy as np
import numpy.lib.format as npy_format

from tcs_themes.zip_limits import zip_problem

#: Most bytes a model file may unpack to, and most bytes its arrays may take together (1 GiB).
MAX_MODEL_BYTES = 1 << 30
_ARRAY_SUFFIXES = (".npy", ".npz")


def model_file_problem(archive: zipfile.ZipFile) -> str | None:
    """Say why the skops zip ``archive`` is refused before loading, or return None.

    Refused: members unpacking to more than :data:`MAX_MODEL_BYTES` (or zip-bomb
    ratios), a missing ``schema.json``, and arrays whose declared shapes need more
    than :data:`MAX_MODEL_BYTES` together, or whose headers cannot be read.
    """
    problem = zip_problem(archive, MAX_MODEL_BYTES)
    if problem:
        return problem
    if "schema.json" not in archive.namelist():
        return "it has no schema.json, so it is not a skops file"
    total = 0
    for name in archive.namelist():
        if not name.endswith(_ARRAY_SUFFIXES):
            continue
        try:
            total += _declared_bytes(archive, name)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, OverflowError) as error:
            return f"the array {name} has an unreadable header ({type(error).__name__})"
        if total > MAX_MODEL_BYTES:
            return f"its arrays declare more than {MAX_MODEL_BYTES >> 20:,} MB"
    return None


def _declared_bytes(archive: zipfile.ZipFile, name: str) -> int:
    """Bytes the array(s) in member ``name`` would take, from their headers only."""
    if name.endswith(".npz"):
        with archive.open(name) as member, zipfile.ZipFile(member) as inner:
            problem = zip_problem(inner, MAX_MODEL_BYTES)
            if problem:
                raise ValueError(problem)
            return sum(_declared_bytes(inner, member) for member in inner.namelist() if member.endswith(".npy"))
    with archive.open(name) as handle:
        major, _minor = npy_format.read_magic(handle)
        if major not in (1, 2):
            raise ValueError(f"unsupported .npy version {major}")
        read_header = npy_format.read_array_header_1_0 if major == 1 else npy_format.read_array_header_2_0
        shape, _fortran, dtype = read_header(handle)
    return math.prod(shape) * np.dtype(dtype).itemsize
