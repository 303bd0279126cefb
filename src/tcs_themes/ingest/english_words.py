"""Everyday English words, to tell a name nobody listed ("Tendai", "Okonkwo") from an ordinary capitalised word.

The words are WordNet's lemmas and their inflected forms as spaCy's lookup
tables ship them (``en_lemma_index``, ``en_lemma_exc`` and ``en_lemma_lookup``
of spacy-lookups-data, a core dependency: about 120,000 words, read in a
fifth of a second). Function words ("the", "and") are not in WordNet; the name rules
list them themselves. WordNet lists some
famous people and places too ("Mitchell", "Oxford"), so a word found here is
not always an everyday one; a word not found here is rare in English, which is
what the name rules of :mod:`tcs_themes.ingest.person_names` ask. Local place
names are often rare words too ("Cowley", "Iffley"), so the rules use this only
where the context announces a person ("my son ...", "I'm ...", a signature).
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources

_TABLES = ("en_lemma_index", "en_lemma_exc", "en_lemma_lookup")


@functools.cache
def everyday_words() -> frozenset[str]:
    """Lower-case English words (WordNet's lemmas and their forms).

    >>> words = everyday_words()
    >>> "tired" in words, "british" in words, "tendai" in words
    (True, True, False)
    """
    words: set[str] = set()
    folder = resources.files("spacy_lookups_data").joinpath("data")
    for table in _TABLES:
        with folder.joinpath(f"{table}.json.gz").open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as file:
            data = json.load(file)
        for value in data.values() if table != "en_lemma_lookup" else [data.keys(), data.values()]:
            words.update(word.lower() for word in value if isinstance(word, str))
    return frozenset(word.replace("_", " ") for word in words)


def is_everyday_word(word: str) -> bool:
    """Whether ``word`` (any case; a possessive "'s" or a plural "s" ignored: "Meds", "GPs") is an English word.

    >>> is_everyday_word("Meds"), is_everyday_word("Tendai")
    (True, False)
    """
    lower = word.lower().replace("\u2019", "'")
    words = everyday_words()
    return lower in words or lower.removesuffix("'s") in words or (lower.endswith("s") and lower[:-1] in words)
