"""The texts ingest has kept so far, as digests in sorted arrays: what finds a repeated comment.

A million comments must not mean a million small Python objects (they cost far
more than their size, pinning memory the allocator could otherwise give back):
:class:`SeenTexts` keeps each text's 16-byte digest and its first comment's id
in NumPy arrays, 24 bytes a comment, with the latest few thousand in a dict
until they are merged in.
"""

from __future__ import annotations

import numpy as np

#: Digests held in the dict before they are merged into the sorted arrays.
MERGE_EVERY = 50_000


class SeenTexts:
    """A mapping of 16-byte digests to numbers (a comment id's hex digits), kept in sorted arrays.

    >>> seen = SeenTexts()
    >>> seen.add(b"0123456789abcdef", 42)
    >>> seen.get(b"0123456789abcdef"), seen.get(b"fedcba9876543210")
    (42, None)
    """

    def __init__(self) -> None:
        self._recent: dict[bytes, int] = {}
        self._keys = np.empty(0, dtype="V16")  # raw bytes: no NUL is ever stripped
        self._values = np.empty(0, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._recent) + len(self._keys)

    def get(self, key: bytes) -> int | None:
        """The number kept for ``key``, or None."""
        found = self._recent.get(key)
        if found is not None or not len(self._keys):
            return found
        probe = np.frombuffer(key, dtype="V16")
        i = int(np.searchsorted(self._keys, probe[0]))
        return int(self._values[i]) if i < len(self._keys) and self._keys[i] == probe[0] else None

    def add(self, key: bytes, value: int) -> None:
        """Keep ``value`` for the 16-byte ``key`` (not already kept)."""
        self._recent[key] = value
        if len(self._recent) >= MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate([self._keys, np.frombuffer(b"".join(self._recent), dtype="V16")])
        values = np.concatenate([self._values, np.fromiter(self._recent.values(), dtype=np.uint64, count=len(self._recent))])
        order = np.argsort(keys, kind="stable")
        self._keys, self._values = keys[order], values[order]
        self._recent = {}
