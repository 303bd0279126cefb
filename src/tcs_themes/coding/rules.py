"""The rule coder: match a codebook's patterns in comments with spaCy, keeping the evidence.

Each theme's patterns become spaCy matchers: phrases on lower-case text
(``PhraseMatcher(attr="LOWER")``), lemma phrases (``PhraseMatcher(attr="LEMMA")``)
and token patterns (``Matcher``; simple word-sequence patterns are expanded into
phrases first, see :mod:`tcs_themes.coding.phrase_expansion`, because that is
many times faster and matches the same spans). For each comment the coder returns every
theme matched and, for each match, the words, the pattern and the character
offsets, so an analyst can check why a comment was coded.

Rules, in order (see ``docs/codebook.md``):

1. Exclusions. An exclusion of a theme with ``scope: comment`` cancels all
   the theme's matches in the comment; with ``scope: overlap`` it cancels the
   matches it overlaps. A theme's exclusions also apply to its sub-themes.
2. No negation. "No mention of green spaces" is a comment about green spaces
   (answers to "What have we missed?" are mostly of that form), so a negated
   mention still counts.
3. Redundant matches are dropped: a match inside a longer match of the same
   theme and sub-theme, and a theme-level match inside a sub-theme match.

Matching is a pure function of the text and the codebook: the result does
not depend on the batch size or on the other comments in the batch.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from tcs_themes.codebook.model import Codebook, Pattern
from tcs_themes.coding.nlp import make_nlp
from tcs_themes.coding.phrase_expansion import expand_to_phrases


#: Curly quotes to straight ones: same length, so character offsets are kept.
_STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"})


@dataclass(frozen=True)
class RuleMatch:
    """One rule pattern matched in one comment: the evidence for a theme.

    Attributes
    ----------
    theme_id : str
        The top-level theme the match is evidence for.
    subtheme_id : str or None
        The sub-theme, when the pattern belongs to one.
    pattern_id : str
        The pattern's id in the codebook (``"green_spaces/3"``).
    pattern : str
        The pattern, human-readable (``'"green space"'``).
    words : str
        The matched text (curly quotes straightened, see :meth:`RuleCoder.docs`).
    start, end : int
        Character offsets of ``words`` in the comment (``text[start:end] == words``).
    """

    theme_id: str
    subtheme_id: str | None
    pattern_id: str
    pattern: str
    words: str
    start: int
    end: int


@dataclass(frozen=True)
class _Rule:
    """What the coder knows about one pattern id."""

    theme_id: str
    subtheme_id: str | None
    pattern: Pattern
    order: int
    exclusion: bool


class RuleCoder:
    """Code comments with a codebook's rule patterns.

    Parameters
    ----------
    codebook : Codebook
        The themes, sub-themes, patterns and exclusions to match.
    batch_size : int, default 1000
        Comments per ``nlp.pipe`` batch; it changes speed and memory, never results.

    Attributes
    ----------
    nlp : spacy.language.Language
        The pipeline (:func:`tcs_themes.coding.nlp.make_nlp`), shared and cached.
    codebook : Codebook

    Examples
    --------
    >>> from tcs_themes.codebook import load_codebook
    >>> coder = RuleCoder(load_codebook())
    >>> [m.theme_id for m in coder.match(["More benches in the parks please"])[0]]
    ['green_spaces']
    """

    def __init__(self, codebook: Codebook, *, batch_size: int = 1000) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.codebook = codebook
        self.batch_size = batch_size
        self.nlp: Language = make_nlp()
        self._rules: dict[str, _Rule] = {}
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._tokens = Matcher(self.nlp.vocab)
        for theme in (*codebook.themes, *codebook.subthemes):
            top = theme.parent or theme.id
            sub = theme.id if theme.parent else None
            for exclusion, patterns in ((False, theme.patterns), (True, theme.exclusions)):
                for pattern in patterns:
                    self._add(pattern, _Rule(top, sub, pattern, len(self._rules), exclusion))
        self._matchers = [m for m in (self._lower, self._lemma, self._tokens) if len(m)]

    def _add(self, pattern: Pattern, rule: _Rule) -> None:
        self._rules[pattern.id] = rule
        if pattern.phrase is not None:
            self._lower.add(pattern.id, [self.nlp.make_doc(pattern.phrase)])
        elif pattern.lemmas is not None:
            self._lemma.add(pattern.id, [self.nlp(pattern.lemmas)])
        else:
            phrases = _phrase_docs(json.dumps(pattern.tokens, sort_keys=True))
            if phrases is None:
                self._tokens.add(pattern.id, [list(pattern.tokens or ())], greedy="LONGEST")
            else:
                self._lower.add(pattern.id, list(phrases))

    def __len__(self) -> int:
        """Return the number of patterns and exclusions the coder matches."""
        return len(self._rules)

    def match(self, texts: Iterable[Any]) -> list[list[RuleMatch]]:
        """Match every text; return one list of :class:`RuleMatch` per text, in input order.

        Parameters
        ----------
        texts : iterable of str
            Comment texts. None and missing values (NaN, ``pd.NA``) count as empty.

        Returns
        -------
        list of list of RuleMatch
            Per text, its matches sorted by position (then codebook order).
        """
        return list(self.iter_match(texts))

    def iter_match(self, texts: Iterable[Any]) -> Iterator[list[RuleMatch]]:
        """Like :meth:`match`, but yield each comment's matches as its batch is done (bounded memory)."""
        for doc in self.docs(texts):
            yield self._match_doc(doc)

    def docs(self, texts: Iterable[Any]) -> Iterator[Doc]:
        """Process texts with :attr:`nlp` in batches, as the coder sees them.

        Curly quotes and apostrophes are straightened first (``’`` -> ``'``),
        which keeps every character offset, so "don’t" matches a pattern
        written "don't". The docs can be passed to :meth:`match_docs` or used
        by another coder (one pass of spaCy for both).
        """
        if isinstance(texts, str):
            raise TypeError("pass a list of comment texts, not one string")
        cleaned = (_as_text(text).translate(_STRAIGHT_QUOTES) for text in texts)
        yield from self.nlp.pipe(cleaned, batch_size=self.batch_size)

    def match_docs(self, docs: Iterable[Doc]) -> list[list[RuleMatch]]:
        """Match documents made by :meth:`docs`; one list of matches per doc."""
        return [self._match_doc(doc) for doc in docs]

    def _match_doc(self, doc: Doc) -> list[RuleMatch]:
        strings = self.nlp.vocab.strings
        found: list[tuple[_Rule, int, int]] = []
        for matcher in self._matchers:
            for key, start, end in matcher(doc):
                found.append((self._rules[strings[key]], start, end))
        positives = [item for item in found if not item[0].exclusion]
        exclusions = [item for item in found if item[0].exclusion]
        kept = _drop_redundant([item for item in positives if not _excluded(item, exclusions)])
        kept.sort(key=lambda item: (doc[item[1]].idx, item[2], item[0].order))
        return [_to_match(doc, rule, start, end) for rule, start, end in kept]


@functools.cache
def _phrase_docs(tokens_json: str) -> tuple[Doc, ...] | None:
    """The phrase docs a token pattern expands to (None if it cannot be), made once per process."""
    phrases = expand_to_phrases(json.loads(tokens_json))
    if phrases is None:
        return None
    vocab = make_nlp().vocab
    return tuple(Doc(vocab, words=list(words)) for words in phrases)


def _as_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    try:
        missing = text is None or bool(pd.isna(text))
    except (TypeError, ValueError):
        missing = False
    if missing:
        return ""
    raise TypeError(f"comment texts must be strings, not {type(text).__name__}")


def _excluded(item: tuple[_Rule, int, int], exclusions: list[tuple[_Rule, int, int]]) -> bool:
    rule, start, end = item
    for exclusion, ex_start, ex_end in exclusions:
        applies = exclusion.theme_id == rule.theme_id and exclusion.subtheme_id in (None, rule.subtheme_id)
        if not applies:
            continue
        if exclusion.pattern.scope != "overlap" or (ex_start < end and start < ex_end):
            return True
    return False


def _drop_redundant(items: list[tuple[_Rule, int, int]]) -> list[tuple[_Rule, int, int]]:
    """Drop matches inside a longer (or sub-theme) match of the same theme that says as much."""
    ordered = sorted(items, key=lambda i: (-(i[2] - i[1]), i[0].subtheme_id is None, i[1], i[0].order))
    kept: list[tuple[_Rule, int, int]] = []
    for rule, start, end in ordered:
        redundant = any(
            other.theme_id == rule.theme_id
            and other_start <= start
            and end <= other_end
            and (rule.subtheme_id is None or other.subtheme_id == rule.subtheme_id)
            for other, other_start, other_end in kept
        )
        if not redundant:
            kept.append((rule, start, end))
    return kept


def _to_match(doc: Doc, rule: _Rule, start: int, end: int) -> RuleMatch:
    span = doc[start:end]
    return RuleMatch(
        theme_id=rule.theme_id,
        subtheme_id=rule.subtheme_id,
        pattern_id=rule.pattern.id,
        pattern=rule.pattern.describe(),
        words=span.text,
        start=span.start_char,
        end=span.end_char,
    )


def evidence_by_theme(matches: Iterable[RuleMatch]) -> dict[str, str]:
    """Summarise one comment's matches as one evidence string per theme.

    Parameters
    ----------
    matches : iterable of RuleMatch
        The matches of one comment.

    Returns
    -------
    dict
        Theme id -> ``'"parks" (green_spaces/4); "nature" (green_spaces/9)'``, in
        order of first match. Words are quoted as matched; ``|`` is replaced by
        ``/`` so the strings can be joined with " | ".

    Examples
    --------
    >>> evidence_by_theme([RuleMatch("green_spaces", None, "green_spaces/4", '"parks"', "parks", 10, 15)])
    {'green_spaces': '"parks" (green_spaces/4)'}
    """
    evidence: dict[str, list[str]] = {}
    for match in matches:
        words = " ".join(match.words.split()).replace("|", "/").replace('"', "'")
        evidence.setdefault(match.theme_id, []).append(f'"{words}" ({match.pattern_id})')
    return {theme_id: "; ".join(parts) for theme_id, parts in evidence.items()}
