"""The spaCy pipeline every coder uses: a blank English tokenizer plus lookup lemmas.

Nothing is downloaded: the pipeline is ``spacy.blank("en")`` with spaCy's
lookup lemmatizer, whose table ships in the ``spacy-lookups-data`` package.
The lemmatizer looks words up in lower case and stores lower-case lemmas, so
"Parks", "parks" and "PARKS" all have the lemma ``park`` and codebook patterns
never depend on capitalisation.

The rule coder itself matches on lower-case words only (:func:`make_tokenizer_nlp`):
lemma patterns are expanded into the words with that lemma (:func:`words_with_lemma`),
which matches the same spans without lemmatizing every comment.
"""

from __future__ import annotations

import functools

import numpy
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.lang.en import English
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.util import load_language_data, registry

from tcs_themes.errors import TcsError

LEMMATIZER = "tcs_lookup_lemmatizer"


class LowercaseLookupLemmatizer(Lemmatizer):
    """spaCy's lookup lemmatizer, looking up and returning lower-case forms.

    The stock lookup lemmatizer is case-sensitive ("Parks" keeps the lemma
    "Parks"); consultation notes capitalise at random, so this one looks up
    ``token.lower_`` and caches the result per word.
    """

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token of ``doc``; return ``doc``.

        Read and written as arrays of string hashes (``to_array``/``from_array``): the same
        lemmas as setting each ``token.lemma_``, without making a Python object per token.
        """
        if not self._validated:
            self._validate_tables()
        table = self.lookups.get_table("lemma_lookup")
        strings, cache = doc.vocab.strings, self.cache  # lower-case word's hash -> its lemma's hash
        lowers = doc.to_array(LOWER).tolist()
        for lower in set(lowers).difference(cache):
            text = strings[lower]
            cache[lower] = strings.add(table.get(text, text))
        return doc.from_array([LEMMA], numpy.array([cache[lower] for lower in lowers], dtype=numpy.uint64))

    def lookup_lemmatize(self, token: Token) -> list[str]:
        """Return the lower-case lookup lemma of ``token`` (spaCy's per-token API)."""
        text = token.lower_
        return [self.lookups.get_table("lemma_lookup").get(text, text)]


@Language.factory(LEMMATIZER, default_config={"mode": "lookup", "overwrite": True})
def _make_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> LowercaseLookupLemmatizer:
    return LowercaseLookupLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


@functools.cache
def make_nlp() -> Language:
    """Return the shared pipeline: ``spacy.blank("en")`` plus lower-case lookup lemmas.

    The pipeline is built once per process and cached; it needs no network. It
    shares :func:`make_tokenizer_nlp`'s vocabulary and tokenizer.

    Returns
    -------
    spacy.language.Language
        A pipeline with one component, ``lemmatizer``.

    Raises
    ------
    TcsError
        If the lemma table of spacy-lookups-data is not installed.

    Examples
    --------
    >>> [t.lemma_ for t in make_nlp()("Parks and Community Centres")]
    ['park', 'and', 'community', 'centre']
    """
    tokens = make_tokenizer_nlp()
    nlp = English(vocab=tokens.vocab, create_tokenizer=lambda _: tokens.tokenizer)  # one tokenizer, built once
    nlp.add_pipe(LEMMATIZER, name="lemmatizer")
    try:
        nlp.initialize()
    except (ValueError, OSError) as error:
        raise TcsError(
            "spaCy's English lemma table is missing; install it with "
            f"'pip install spacy-lookups-data' ({type(error).__name__})"
        ) from None
    return nlp


@functools.cache
def make_tokenizer_nlp() -> Language:
    """Return a blank English pipeline: tokens only, no lemmas (``spacy.blank("en")``).

    The rule coder's pipeline (built once per process and cached); its docs can
    be lemmatized later by :func:`make_nlp`'s ``lemmatizer`` component, which
    shares its vocabulary. Building it does not read the lemma table, so a rule
    coder whose phrase index comes from the cache never loads it.

    Examples
    --------
    >>> make_tokenizer_nlp().pipe_names, make_tokenizer_nlp().vocab is make_nlp().vocab
    ([], True)
    """
    return spacy.blank("en")


@functools.cache
def lemma_forms() -> dict[str, frozenset[str]]:
    """Return, for each lemma, every lower-case word the pipeline gives that lemma.

    The inverse of the lookup table :func:`make_nlp` lemmatizes with (a word
    missing from the table is its own lemma, and is not listed here), read
    from spacy-lookups-data. The rule coder uses it to turn ``LEMMA`` token
    patterns into fast phrase lists.
    """
    raw = load_language_data(registry.lookups.get("en")["lemma_lookup"])
    forms: dict[str, set[str]] = {}
    for word, lemma in raw.items():
        if word == word.lower():
            forms.setdefault(lemma, set()).add(word)
    for lemma, words in forms.items():
        if raw.get(lemma, lemma) == lemma:
            words.add(lemma)
    return {lemma: frozenset(words) for lemma, words in forms.items()}


def words_with_lemma(lemma: str) -> frozenset[str]:
    """Return the lower-case words whose lemma is ``lemma`` (``park`` -> park, parks, parked ...)."""
    known = lemma_forms().get(lemma)
    if known is not None:
        return known
    return frozenset({lemma}) if _lemma_table().get(lemma, lemma) == lemma else frozenset()


def _lemma_table() -> dict[str, str]:
    return make_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
