"""Lists of given names, and of words that are or look like names, for the name rules.

Given names come from the person providers of the Faker package (MIT licence; about 13,600 names from the
locales in :data:`LOCALES`), cached per Faker release. Names that are also everyday words ("Will", "May",
"Grace") are in ``data/common_word_names.txt``, names used nearly as often as words ("Rose", "Jack") in
``data/word_like_names.txt``, and English words written mostly capitalised ("Wei", "Chen") in
``data/name_like_words.txt``; all three are built by ``scripts/build_common_word_names.py``.
"""

from __future__ import annotations

import functools
import importlib
import re
from importlib import resources

from tcs_themes.ingest.name_words import NEVER_NAMES

#: Faker locales whose given names are used (Latin-script names of people living in the UK).
LOCALES = (
    "en", "en_GB", "en_IE", "en_IN", "en_PK", "en_NG", "en_KE", "en_NZ", "ga_IE", "pl_PL", "ro_RO", "pt_PT",
    "es_ES", "it_IT", "fr_FR", "de_DE", "tr_TR", "nl_NL", "sw", "cs_CZ", "hu_HU", "lt_LT", "yo_NG", "ig_NG", "ha_NG",
    "tw_GH", "zu_ZA", "sv_SE",
)
NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def faker_given_names() -> frozenset[str]:
    """Every given name of the Faker person providers of :data:`LOCALES` (two letters or more)."""
    return _faker_given_names()[0]


def widely_listed_names() -> frozenset[str]:
    """The given names of :func:`faker_given_names` that a locale other than the US one ("en") lists too. The
    US list is long and has many towns' and surnames' names ("Barton", "Clifton", "Preston"), so a name alone
    in running text without a verb saying a person is meant is taken only from these ("thanks to Priya")."""
    return _faker_given_names()[1]


@functools.cache
def _faker_given_names() -> tuple[frozenset[str], frozenset[str]]:
    """The names and the widely listed ones, from the user cache when this Faker release's were read before
    (importing Faker scans all its providers: a tenth of a second of every run that redacts)."""
    from importlib.metadata import PackageNotFoundError, version

    from tcs_themes.cache import cache_key, read_arrays, write_arrays

    try:
        faker_version = version("faker")
    except PackageNotFoundError:
        faker_version = "none"
    key = cache_key({"faker": faker_version, "locales": ",".join(LOCALES), "lists": ",".join(NAME_LISTS),
                     "pattern": WORD.pattern, "widely": "not en"})  # fmt: skip
    cached = read_arrays("names", key)
    if cached is not None and {"names", "widely"} <= set(cached) and cached["names"].dtype.kind == "U":
        return frozenset(cached["names"].tolist()), frozenset(cached["widely"].tolist())
    names: set[str] = set()
    widely: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in NAME_LISTS:
            listed = [str(name) for name in getattr(provider, attribute, ()) or ()]
            names.update(listed)
            if locale != "en":
                widely.update(listed)
    found = frozenset(name for name in names if len(name) >= 2 and WORD.fullmatch(name) and name[0].isupper())
    import numpy as np

    write_arrays("names", key, {"names": np.array(sorted(found), dtype=str),
                                "widely": np.array(sorted(found & widely), dtype=str)})  # fmt: skip
    return found, found & widely


def _read_list(file_name: str) -> frozenset[str]:
    """The lines of ``data/<file_name>`` but blank lines and ``#`` comments."""
    text = resources.files("tcs_themes.ingest").joinpath(f"data/{file_name}").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.cache
def common_word_names() -> frozenset[str]:
    """Given names that are also everyday words (trusted only where a context announces a name)."""
    return _read_list("common_word_names.txt")


@functools.cache
def word_like_names() -> frozenset[str]:
    """Given names used nearly as often as English words ("Rose", "Ruby", "Jack"), not taken alone without a
    verb or relative saying a person is meant ("Rose said" is; "thanks to Rose", "Rose's" are not)."""
    return _read_list("word_like_names.txt")


@functools.cache
def name_like_words() -> frozenset[str]:
    """English words, in lower case, that no given-name list has and that are written capitalised more often
    than not, rare in lower case ("wei", "chen", "jun", "westminster"): taken as a name only inside a sentence with
    a verb of speech after it or of talking before it ("Then Wei said", "I spoke to Chen")."""
    return _read_list("name_like_words.txt")


@functools.cache
def given_names() -> frozenset[str]:
    """Given names trusted on their own: Faker's, less everyday words and words that are never names here."""
    return frozenset(
        name for name in faker_given_names()
        if name not in common_word_names() and name.lower() not in NEVER_NAMES
    )


@functools.cache
def lone_names() -> frozenset[str]:
    """Given names taken alone in running text ("thanks to Priya", "Sam's idea"): :func:`given_names` that a
    locale other than the US one lists (:func:`widely_listed_names`) and that are not :func:`word_like_names`."""
    return (given_names() & widely_listed_names()) - word_like_names()
