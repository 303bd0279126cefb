"""Turn simple token patterns into phrase lists, which the phrase index matches far faster.

spaCy's ``Matcher`` checks ``{"IN": [...]}`` sets with Python code for every
token of every comment, which makes a codebook of a few hundred such patterns
slow. Most codebook token patterns are only sequences of words written as
``LOWER`` or ``LEMMA`` values or sets, some of them optional (``OP: "?"``):
those are expanded into every word sequence they can match (a ``LEMMA`` into
all the words with that lemma, :func:`~tcs_themes.coding.rules.nlp.words_with_lemma`)
and matched by the rule coder's phrase index on lower-case words
(:mod:`tcs_themes.coding.rules.phrase_index`), which finds exactly the same spans. Patterns with other attributes or operators stay in the
``Matcher``.
"""

from __future__ import annotations

from typing import Any

from tcs_themes.coding.rules.nlp import words_with_lemma

#: Patterns that would expand to more phrases than this stay in the Matcher.
MAX_PHRASES = 100_000


def expand_to_phrases(tokens: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[tuple[str, ...]] | None:
    """Return every lower-case word sequence a token pattern matches, or None if it cannot be expanded.

    Parameters
    ----------
    tokens : sequence of dict
        A validated spaCy Matcher token pattern.

    Returns
    -------
    list of tuple of str or None
        The phrases (non-empty word sequences), or None when the pattern uses
        anything but ``LOWER``/``LEMMA`` words or sets (and ``ORTH``/``TEXT``
        without letters) with ``OP`` absent or ``"?"``, or would give more
        than :data:`MAX_PHRASES` phrases.

    Examples
    --------
    >>> expand_to_phrases([{"LOWER": "green"}, {"LOWER": {"IN": ["space", "spaces"]}}])
    [('green', 'space'), ('green', 'spaces')]
    """
    phrases: list[tuple[str, ...]] = [()]
    for token in tokens:
        operator = token.get("OP")
        words = _token_words(token)
        if words is None or operator not in (None, "?"):
            return None
        extended = [phrase + (word,) for phrase in phrases for word in sorted(words)]
        phrases = phrases + extended if operator == "?" else extended
        if len(phrases) > MAX_PHRASES:
            return None
    return [phrase for phrase in phrases if phrase]


def _token_words(token: dict[str, Any]) -> set[str] | None:
    """The lower-case words one token dict matches, or None if it is not a plain word constraint."""
    constraints = [key for key in token if key != "OP"]
    if len(constraints) != 1:
        return None
    attribute = constraints[0]
    value = token[attribute]
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(v, str) for v in value["IN"]):
        values = list(value["IN"])
    else:
        return None
    name = attribute.upper()
    if name == "LOWER":
        return set(values)
    if name == "LEMMA":
        return set().union(*(words_with_lemma(v) for v in values))
    if name in ("ORTH", "TEXT") and all(v.lower() == v.upper() for v in values):
        return set(values)
    return None
