"""Token patterns that cannot be phrases, run only on comments that contain their required words.

A few codebook token patterns cannot be expanded into phrases (an open gap
such as ``{IS_PUNCT: false, OP: "{0,4}"}``, ``LIKE_NUM``, a case-sensitive
``ORTH``, or too many combinations). spaCy's ``Matcher`` checks them token by
token, which costs far more than tokenizing. Most comments cannot match them
anyway: each pattern has words it cannot match without (``what`` ... ``mean``),
so each pattern gets its own ``Matcher`` and runs only on the comments whose
lower-case words include at least one word of each of its required tokens.
The rule coder finds the candidates cheaply: each pattern's *gates* (the word sets of
its required tokens) are added to its phrase index, and a pattern is
checked only in comments where all its gates matched. The spans found
are exactly those of one ``Matcher`` over every comment.

``LEMMA`` constraints are rewritten as ``LOWER`` sets of the words with that
lemma (:func:`~tcs_themes.coding.rules.nlp.words_with_lemma`), so comments need no
lemmas; a ``LEMMA`` constraint that cannot be rewritten (``REGEX`` ...) makes
the comment be lemmatized before its pattern runs. ``REGEX`` values are
bounded (:func:`~tcs_themes.codebook.regex_checks.bounded_regex`): they never
run on a token longer than 100 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from tcs_themes.codebook.regex_checks import bounded_regex
from tcs_themes.coding.rules.nlp import make_nlp, words_with_lemma

_REPEAT = re.compile(r"\{(\d*)(?:,\d*)?\}")
_WORD_ATTRIBUTES = ("LOWER", "ORTH", "TEXT")


@dataclass(frozen=True)
class _Gated:
    """One pattern: its matcher, the hashes of its required words (one set per required token)."""

    matcher: Matcher
    required: tuple[frozenset[int], ...]
    needs_lemmas: bool
    longest: int | None  # most tokens a match can have (None: no bound)


class GatedTokenPatterns:
    """Matcher patterns, each run only on docs that contain a word of each of its required tokens.

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
        The vocabulary of the docs to match.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._patterns: dict[int, _Gated] = {}

    def __len__(self) -> int:
        """Return the number of patterns."""
        return len(self._patterns)

    def add(self, key: str, tokens: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[frozenset[str]]:
        """Add one token pattern under ``key`` (matched with ``greedy="LONGEST"``).

        Returns
        -------
        list of frozenset of str
            The pattern's gates: word sets such that every doc it matches
            contains a word of each (the words of each of its required
            tokens); empty when it has no required word.
        """
        rewritten = [_bounded_regexes(_lemma_as_lower(token)) for token in tokens]
        needs_lemmas = any(_attribute(token, "LEMMA") is not None for token in rewritten)
        matcher = Matcher(self.vocab)
        matcher.add(key, [rewritten], greedy="LONGEST")
        groups = [words for words in map(_required_words, rewritten) if words is not None]
        strings = self.vocab.strings
        required = tuple(frozenset(strings.add(word) for word in words) for words in groups)
        self._patterns[strings.add(key)] = _Gated(matcher, required, needs_lemmas, _longest(rewritten))
        return list(dict.fromkeys(frozenset(words) for words in groups))

    def reach(self, key: int) -> int | None:
        """Return the most tokens a match of the pattern ``key`` can have (None: no bound)."""
        return self._patterns[key].longest

    def __call__(self, doc: Doc, keys: Iterable[int]) -> list[tuple[int, int, int]]:
        """Return ``(match_id, start, end)`` for the matches in ``doc`` of the patterns ``keys`` (hashes)."""
        present: set[int] | None = None
        found: list[tuple[int, int, int]] = []
        lemmatized = False
        for key in sorted(keys):
            pattern = self._patterns[key]
            if pattern.required:
                if present is None:
                    present = set(doc.to_array(LOWER).tolist())
                if any(words.isdisjoint(present) for words in pattern.required):
                    continue
            if pattern.needs_lemmas and not lemmatized:
                make_nlp().get_pipe("lemmatizer")(doc)
                lemmatized = True
            found.extend(pattern.matcher(doc))
        return found


def _bounded_regexes(token: dict[str, Any]) -> dict[str, Any]:
    """The token with each ``REGEX`` value made to fail at once on overlong tokens (:func:`bounded_regex`)."""
    return {
        name: {**value, "REGEX": bounded_regex(value["REGEX"])}
        if isinstance(value, dict) and isinstance(value.get("REGEX"), str) else value
        for name, value in token.items()
    }


def _longest(tokens: list[dict[str, Any]]) -> int | None:
    """The most tokens a match of the pattern can have, or None when an operator makes it unbounded."""
    total = 0
    for token in tokens:
        operator = str(token.get("OP", "1"))
        if operator in ("1", "!", "?"):
            total += 1
            continue
        repeat = _REPEAT.fullmatch(operator)
        upper = operator.strip("{}").split(",")[-1] if repeat else ""
        if not upper:
            return None
        total += int(upper)
    return total


def _attribute(token: dict[str, Any], name: str) -> str | None:
    """The key of ``token`` that names attribute ``name`` (keys are case-insensitive), or None."""
    return next((key for key in token if key.upper() == name), None)


def lemmas_as_lower(tokens: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rewrite the ``LEMMA`` words and word sets of a token pattern as ``LOWER`` sets, as :meth:`GatedTokenPatterns.add` does.

    A rewritten pattern is kept as it is, so the rule coder caches rewritten
    patterns and adds them again without looking up a lemma.
    """
    return [_lemma_as_lower(token) for token in tokens]


def _lemma_as_lower(token: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a ``LEMMA`` word or word set as the ``LOWER`` words with that lemma, when it is one."""
    key = _attribute(token, "LEMMA")
    if key is None or _attribute(token, "LOWER") is not None:
        return token
    value = token[key]
    if isinstance(value, str):
        operator, lemmas = "IN", [value]
    elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
        operator, lemmas = next(iter(value.items()))
        if not isinstance(lemmas, list) or not all(isinstance(lemma, str) for lemma in lemmas):
            return token
    else:
        return token
    words = sorted(set().union(*(words_with_lemma(lemma) for lemma in lemmas)))
    rewritten = {name: part for name, part in token.items() if name != key}
    rewritten["LOWER"] = {operator: words}
    return rewritten


def _required_words(token: dict[str, Any]) -> set[str] | None:
    """The lower-case words one of which a token must match at least once, or None if there are none."""
    operator = token.get("OP")
    if operator not in (None, "+"):
        repeat = _REPEAT.fullmatch(str(operator))
        if repeat is None or not repeat.group(1) or int(repeat.group(1)) < 1:
            return None
    for name in _WORD_ATTRIBUTES:
        key = _attribute(token, name)
        if key is None:
            continue
        value = token[key]
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(word, str) for word in value["IN"]):
            return {word.lower() for word in value["IN"]}
    return None
