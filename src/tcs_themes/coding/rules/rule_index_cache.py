"""The rule coder's compiled phrase index, cached on disk per codebook (see :mod:`tcs_themes.cache`).

Expanding a codebook's lemma and token patterns into phrases and compiling the
phrase index takes most of a second for the bundled codebook; the result depends
only on the codebook, the toolkit, spaCy and its lemma tables, so it is built
once and read back (in milliseconds) by later runs. The entry holds the index's
arrays and the token patterns that stay in spaCy's ``Matcher`` (as JSON). The
entry's key covers the codebook's fingerprint, the versions of the toolkit,
spaCy and spacy-lookups-data, and the source of the modules that build the
index, so a change to any of them builds a new one. What is read is checked
(:meth:`~tcs_themes.coding.rules.phrase_index.PhraseIndex.from_arrays`, and the
rule coder checks its keys) before it is used.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import spacy

from tcs_themes import __version__
from tcs_themes.cache import cache_key, read_arrays, source_digest, write_arrays
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.rules.phrase_index import PhraseIndex

#: The modules whose code decides what the index holds.
_BUILDERS = ("coder.py", "chunk_tokens.py", "nlp.py", "phrase_expansion.py", "phrase_index.py", "token_patterns.py")
_KIND = "rules"

#: A token pattern kept for the Matcher: its pattern id and its tokens.
TokenPattern = tuple[str, list[dict[str, Any]]]


def rule_index_key(codebook: Codebook) -> str:
    """Return the cache key of ``codebook``'s rule index."""
    try:
        lookups = version("spacy-lookups-data")
    except PackageNotFoundError:
        lookups = "none"
    parts = {"codebook": codebook.fingerprint(), "toolkit": __version__, "spacy": spacy.__version__,
             "spacy-lookups-data": lookups, "code": source_digest(Path(__file__).parent, _BUILDERS)}  # fmt: skip
    return cache_key(parts)


def read_rule_index(key: str) -> tuple[PhraseIndex, list[TokenPattern]] | None:
    """Return the cached phrase index and Matcher token patterns for ``key``, or None to build them."""
    arrays = read_arrays(_KIND, key)
    if arrays is None:
        return None
    try:
        patterns = json.loads(str(arrays.pop("token_patterns")))
        if not isinstance(patterns, list) or not all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], list)
            and all(isinstance(token, dict) for token in p[1])
            for p in patterns
        ):  # fmt: skip
            return None
        return PhraseIndex.from_arrays(arrays), [(pattern_id, tokens) for pattern_id, tokens in patterns]
    except (KeyError, ValueError, TypeError):
        return None


def write_rule_index(key: str, index: PhraseIndex, token_patterns: list[TokenPattern]) -> None:
    """Cache ``index`` (compiling it) and the Matcher token patterns under ``key`` (best effort)."""
    write_arrays(_KIND, key, {**index.to_arrays(), "token_patterns": np.str_(json.dumps(token_patterns))})
