"""A YAML codebook that validated cleanly, cached as JSON, so later runs skip parsing and validating it.

Parsing the bundled codebook and checking its patterns (with spaCy's tokenizer
and lemma table) takes a fifth of a second, every command that codes pays it,
and the answer depends only on the file's text and the code that checks it.
After a codebook has loaded with no problem and no warning, its themes are
written to the user cache (:mod:`tcs_themes.cache`) under a key covering the
SHA-256 of the text, the file's name, the toolkit's version, the versions of spaCy and
spacy-lookups-data, and the source of the modules that read and check a
codebook; a later load of the same text builds the same :class:`Codebook`
from the entry. Nothing is cached for a codebook with warnings (they are given
again at every load), and an entry is used only if the codebook built from it
has the fingerprint recorded with it.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tcs_themes import __version__
from tcs_themes.cache import cache_key, read_arrays, source_digest, write_arrays
from tcs_themes.codebook.model import Codebook, Pattern, Theme, plain_fields

_KIND = "codebook"
#: The modules whose code decides whether a codebook text is valid and what it holds.
_MODULES = ("codebook_cache.py", "load.py", "model.py", "pattern_checks.py", "validation.py", "yaml_source.py",
            "../yaml_limits.py")  # fmt: skip


def _entry_key(text: str, default_name: str) -> str:
    parts = {"text": hashlib.sha256(text.encode("utf-8")).hexdigest(), "default_name": default_name,
             "toolkit": __version__, "code": source_digest(Path(__file__).parent, _MODULES)}  # fmt: skip
    for package in ("spacy", "spacy-lookups-data"):
        try:
            parts[package] = version(package)
        except PackageNotFoundError:
            parts[package] = "none"
    return cache_key(parts)


def _theme(plain: dict[str, Any]) -> Theme:
    patterns = {key: tuple(_pattern(p) for p in plain[key]) for key in ("patterns", "exclusions")}
    return Theme(id=plain["id"], name=plain["name"], description=plain["description"], parent=plain["parent"],
                 colour=plain["colour"], examples=tuple(plain["examples"]), **patterns)  # fmt: skip


def _pattern(plain: dict[str, Any]) -> Pattern:
    tokens = None if plain["tokens"] is None else tuple(plain["tokens"])
    return Pattern(id=plain["id"], phrase=plain["phrase"], tokens=tokens, lemmas=plain["lemmas"], scope=plain["scope"])


def _codebook(document: dict[str, Any]) -> Codebook:
    return Codebook(
        name=document["name"],
        themes=tuple(_theme(t) for t in document["themes"]),
        subthemes=tuple(_theme(t) for t in document["subthemes"]),
    )


def write_cached_codebook(text: str, default_name: str, codebook: Codebook) -> None:
    """Cache ``codebook``, loaded from ``text`` (the file's stem ``default_name``) with no problem and no warning.

    Best effort.

    Not cached if its JSON form does not give back an equal codebook.
    """
    document = {
        "name": codebook.name,
        "themes": codebook.themes,
        "subthemes": codebook.subthemes,
        "fingerprint": codebook.fingerprint(),
    }
    try:
        serialised = json.dumps(document, ensure_ascii=False, default=plain_fields)
        if _codebook(json.loads(serialised)) != codebook:
            return
    except (TypeError, ValueError):
        return
    import numpy as np

    write_arrays(_KIND, _entry_key(text, default_name), {"document": np.str_(serialised)})


def read_cached_codebook(text: str, default_name: str) -> Codebook | None:
    """Return the codebook cached for the YAML ``text`` of a file named ``default_name``
    (without the suffix; the name of a codebook that gives none), ``source`` unset; or None: load and validate it."""
    arrays = read_arrays(_KIND, _entry_key(text, default_name))
    if arrays is None:
        return None
    try:
        document = json.loads(str(arrays["document"]))
        codebook = _codebook(document)
        return codebook if codebook.fingerprint() == document["fingerprint"] else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
