"""The rule coder: match a codebook's patterns in comments with spaCy, keeping the evidence.

Comments are split into spaCy's tokens (exactly as ``nlp.tokenizer`` splits
them, each distinct word worked out once: :mod:`tcs_themes.coding.rules.chunk_tokens`)
and every pattern is matched on lower-case words, with one phrase index over
the whole batch (:mod:`tcs_themes.coding.rules.phrase_index`, what spaCy's
``PhraseMatcher`` with ``attr="LOWER"`` finds) wherever it can be: phrases as
written; lemma phrases and simple token patterns expanded into every word
sequence they match (a lemma into all the words with that lemma), see
:mod:`tcs_themes.coding.rules.phrase_expansion`. The few token patterns that cannot
be expanded are run with spaCy's ``Matcher``, each only on the comments that
contain its required words (:mod:`tcs_themes.coding.rules.token_patterns`). The spans
found are the same as matching lemma phrases on lemmas and token patterns with
the ``Matcher`` on every comment, many times faster, and comments need no
lemmatizer. For
each comment the coder returns every theme matched and, for each match, the
words, the pattern and the character offsets, so an analyst can check why a
comment was coded.

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
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from tcs_themes.codebook.model import Codebook, Pattern
from tcs_themes.coding.rules.chunk_tokens import ChunkTokenizer, TokenBatch
from tcs_themes.coding.rules.nlp import make_nlp, make_tokenizer_nlp
from tcs_themes.coding.rules.phrase_expansion import expand_to_phrases
from tcs_themes.coding.rules.phrase_index import PhraseIndex, PhraseMatches
from tcs_themes.coding.rules.rule_index_cache import TokenPattern, read_rule_index, rule_index_key, write_rule_index
from tcs_themes.coding.rules.token_patterns import GatedTokenPatterns, lemmas_as_lower


#: Prefix of the phrase-index keys of the token patterns' gate words.
_GATE = "\x00gate:"
#: Curly quotes to straight ones: same length, so character offsets are kept.
_STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"})


class RuleMatch(NamedTuple):
    """One rule pattern matched in one comment: the evidence for a theme (an immutable named tuple).

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
    described: str


class RuleCoder:
    """Code comments with a codebook's rule patterns.

    Parameters
    ----------
    codebook : Codebook
        The themes, sub-themes, patterns and exclusions to match.
    batch_size : int, default 1000
        Comments per tokenizer batch; it changes speed and memory, never results.

    Attributes
    ----------
    nlp : spacy.language.Language
        The pipeline the coder tokenizes with
        (:func:`tcs_themes.coding.rules.nlp.make_tokenizer_nlp`: tokens only), shared and cached.
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
        self.nlp: Language = make_tokenizer_nlp()
        self._rules: dict[int, _Rule] = {}
        self._tokenize = ChunkTokenizer(self.nlp, translate=_STRAIGHT_QUOTES)
        for theme in (*codebook.themes, *codebook.subthemes):
            top = theme.parent or theme.id
            sub = theme.id if theme.parent else None
            for exclusion, patterns in ((False, theme.patterns), (True, theme.exclusions)):
                for pattern in patterns:
                    rule = _Rule(top, sub, pattern, len(self._rules), exclusion, pattern.describe())
                    self._rules[self.nlp.vocab.strings.add(pattern.id)] = rule
        key = rule_index_key(codebook)
        cached = read_rule_index(key)
        if cached is None or not self._use_cached(*cached):
            self._build()
            write_rule_index(key, self._phrases, self._token_patterns)
        # the gates as arrays, for finding candidate comments of a whole batch at once
        self._gated = list(self._needed)  # token patterns, in order
        position = {key: i for i, key in enumerate(self._gated)}
        self._needed_gates = np.array([self._needed[k] for k in self._gated], dtype=np.int64)
        self._gate_keys = np.fromiter(self._gates, dtype=np.uint64, count=len(self._gates))
        self._gate_pattern = np.array([position[k] for k in self._gates.values()], dtype=np.int64)

    def _reset(self) -> None:
        self._phrases = PhraseIndex()
        self._tokens = GatedTokenPatterns(self.nlp.vocab)
        self._token_patterns: list[TokenPattern] = []  # what the Matcher runs, for the cache
        self._gates: dict[int, int] = {}  # gate phrase key -> the token pattern it gates
        self._needed: dict[int, int] = {}  # token pattern -> how many gates must match
        self._ungated: list[int] = []  # token patterns with no required word: run on every doc

    def _build(self) -> None:
        """Expand the patterns into the phrase index; the rest go to the Matcher, gated by phrases."""
        self._reset()
        strings = self.nlp.vocab.strings
        for key, rule in self._rules.items():
            pattern = rule.pattern
            if pattern.phrase is not None:
                self._phrases.add(key, [[token.lower for token in self.nlp.make_doc(pattern.phrase)]])
                continue
            tokens = pattern.tokens if pattern.lemmas is None else _lemma_tokens(pattern.lemmas)
            phrases = _phrase_keys(json.dumps(tokens, sort_keys=True))
            if phrases is not None:
                self._phrases.add(key, phrases)
                continue
            for gate_key, words in self._add_token_pattern(pattern.id, lemmas_as_lower(tokens or ())):
                self._phrases.add(gate_key, [[strings.add(word)] for word in sorted(words)])

    def _use_cached(self, phrases: PhraseIndex, token_patterns: list[TokenPattern]) -> bool:
        """Take a cached phrase index and Matcher patterns if they fit this codebook (else False: build afresh)."""
        self._reset()
        ids = {rule.pattern.id for rule in self._rules.values() if rule.pattern.phrase is None}
        if not {pattern_id for pattern_id, _ in token_patterns} <= ids:
            return False
        try:
            for pattern_id, tokens in token_patterns:
                self._add_token_pattern(pattern_id, tokens)
        except (ValueError, TypeError, KeyError):  # spaCy refused a token pattern
            return False
        if not phrases.keys() <= {*self._rules, *self._gates}:
            return False
        self._phrases = phrases
        return True

    def _add_token_pattern(self, pattern_id: str, tokens: list[dict[str, Any]]) -> list[tuple[int, frozenset[str]]]:
        """Give a token pattern (lemmas already as words) to the Matcher; return its gates' phrase keys and words."""
        strings = self.nlp.vocab.strings
        key = strings.add(pattern_id)
        gates = self._tokens.add(pattern_id, tokens)
        self._token_patterns.append((pattern_id, tokens))
        keyed = [(strings.add(f"{_GATE}{number}:{pattern_id}"), words) for number, words in enumerate(gates)]
        for gate_key, _ in keyed:
            self._gates[gate_key] = key
        self._needed[key] = len(gates)
        if not gates:
            self._ungated.append(key)
        return keyed

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
        # the tokenizer straightens quotes in each new word, and _match_tokens in the texts it reads
        for batch in minibatch(_as_texts(texts), self.batch_size):
            yield from self._match_tokens(self._tokenize(batch), batch)

    def docs(self, texts: Iterable[Any]) -> Iterator[Doc]:
        """Tokenize texts with :attr:`nlp` in batches, as the coder sees them.

        Curly quotes and apostrophes are straightened first (``’`` -> ``'``),
        which keeps every character offset, so "don’t" matches a pattern
        written "don't". The docs have no lemmas; they can be passed to
        :meth:`match_docs` or used by another coder (one pass of spaCy for both).
        """
        for batch in minibatch(_cleaned(texts), self.batch_size):
            yield from self.nlp.tokenizer.pipe(batch, batch_size=self.batch_size)

    def match_docs(self, docs: Iterable[Doc]) -> list[list[RuleMatch]]:
        """Match documents made by :meth:`docs` (or by ``nlp``); one list of matches per doc."""
        docs = list(docs)
        return self._match_tokens(TokenBatch.from_docs(docs), [doc.text for doc in docs])

    def _match_tokens(self, tokens: TokenBatch, texts: list[str]) -> list[list[RuleMatch]]:
        """Match a batch of tokenized texts (their curly quotes are straightened here, as in the tokens)."""
        found = self._phrases(tokens)
        is_gate = np.isin(found.key, self._gate_keys)
        gates = PhraseMatches(*(values[is_gate] for values in vars(found).values()))
        candidates = self._candidates(gates)
        found = PhraseMatches(*(values[~is_gate] for values in vars(found).values()))
        edges = np.searchsorted(found.text, np.arange(len(texts) + 1)).tolist()
        keys, starts, ends = found.key.tolist(), found.start.tolist(), found.end.tolist()
        results: list[list[RuleMatch]] = [[] for _ in texts]
        rows = range(len(texts)) if self._ungated else sorted({*np.flatnonzero(np.diff(edges)).tolist(), *candidates})
        for row in rows:
            a, b = edges[row], edges[row + 1]
            items = list(zip(keys[a:b], starts[a:b], ends[a:b]))
            first, last = int(tokens.bounds[row]), int(tokens.bounds[row + 1])
            runs = candidates.get(row, []) + [(key, 0, last - first) for key in self._ungated]
            text = _straightened(texts[row])
            for key, near_start, near_end in runs:
                items += self._token_pattern_matches(key, text, tokens, first, last, near_start, near_end)
            if items:
                results[row] = self._resolve(items, text, tokens.start[first:], tokens.end[first:])
        return results

    def _token_pattern_matches(
        self, key: int, text: str, tokens: TokenBatch, first: int, last: int, near_start: int, near_end: int
    ) -> list[tuple[int, int, int]]:
        """Run one token pattern on a text (tokens ``first:last``), only as near its rarest gate word as it can reach.

        A match of a pattern of bounded length contains a word of each of its
        gates, so it lies within that length of the occurrences of its rarest
        gate (tokens ``near_start:near_end`` of the text); the spaCy doc is
        built from those tokens only, with spaCy's own token texts.
        """
        reach = self._tokens.reach(key)
        start, end = 0, last - first
        if reach is not None:
            start, end = max(near_start - reach, 0), min(near_end + reach, end)
        starts = tokens.start[first + start : first + end].tolist()
        ends = tokens.end[first + start : first + end].tolist()
        words = [text[a:b] for a, b in zip(starts, ends)]
        spaces = [b < a for a, b in zip(starts[1:], ends)] + [False]
        doc = Doc(self.nlp.vocab, words=words, spaces=spaces)
        return [(match, a + start, b + start) for match, a, b in self._tokens(doc, [key])]

    def _candidates(self, gates: PhraseMatches) -> dict[int, list[tuple[int, int, int]]]:
        """Return, per text, the token patterns all of whose gates matched in it, with where to look.

        Each candidate is ``(pattern key, start, end)``: the token span from the
        first to the last occurrence of the pattern's rarest gate in the text.
        """
        if not len(gates.text):
            return {}
        n_gates, n_patterns = len(self._gate_keys), len(self._gated)
        pair = gates.text * n_gates + pd.Index(self._gate_keys).get_indexer(gates.key)
        order = np.argsort(pair, kind="stable")
        pair, first_token, end_token = pair[order], gates.start[order], gates.end[order]
        pairs, where, occurrences = np.unique(pair, return_index=True, return_counts=True)  # (text, gate)
        low, high = np.minimum.reduceat(first_token, where), np.maximum.reduceat(end_token, where)
        row, pattern = pairs // n_gates, self._gate_pattern[pairs % n_gates]
        combination = row * n_patterns + pattern
        by_rarity = np.lexsort((occurrences, combination))  # per (text, pattern): its rarest gate first
        combination, low, high = combination[by_rarity], low[by_rarity], high[by_rarity]
        groups, first, gate_count = np.unique(combination, return_index=True, return_counts=True)
        complete = gate_count == self._needed_gates[groups % n_patterns]
        candidates: dict[int, list[tuple[int, int, int]]] = {}
        for group, start, end in zip(groups[complete].tolist(), low[first[complete]].tolist(),
                                     high[first[complete]].tolist()):  # fmt: skip
            candidates.setdefault(group // n_patterns, []).append((self._gated[group % n_patterns], start, end))
        return candidates

    def _resolve(
        self, found: list[tuple[int, int, int]], text: str, starts: np.ndarray, ends: np.ndarray
    ) -> list[RuleMatch]:
        """Apply exclusions and drop redundant matches; ``starts``/``ends`` are the text's token offsets."""
        rules = self._rules
        items = [(rules[key], start, end) for key, start, end in found]
        exclusions = [item for item in items if item[0].exclusion]
        if exclusions:
            items = [item for item in items if not item[0].exclusion and not _excluded(item, exclusions)]
        if len(items) > 1 and len({item[0].theme_id for item in items}) < len(items):
            items = _drop_redundant(items)
        items.sort(key=lambda item: (item[1], item[2], item[0].order))  # token order is character order
        return [_to_match(text, rule, int(starts[start]), int(ends[end - 1])) for rule, start, end in items]

def _lemma_tokens(lemmas: str) -> tuple[dict[str, str], ...]:
    """The token pattern a lemma phrase stands for: one ``LEMMA`` per word of the phrase."""
    return tuple({"LEMMA": token.lemma_} for token in make_nlp()(lemmas))


@functools.cache
def _phrase_keys(tokens_json: str) -> tuple[tuple[int, ...], ...] | None:
    """The phrases a token pattern expands to, as ``LOWER`` hashes (None if it cannot be), made once per process.

    The phrase index takes these hash sequences; making a
    doc for each of tens of thousands of phrases would take seconds.
    """
    phrases = expand_to_phrases(json.loads(tokens_json))
    if phrases is None:
        return None
    add = make_tokenizer_nlp().vocab.strings.add
    hashes = {word: add(word) for word in {word for words in phrases for word in words}}
    return tuple(tuple(map(hashes.__getitem__, words)) for words in phrases)


def _as_texts(texts: Iterable[Any]) -> Iterator[str]:
    """The texts as strings."""
    if isinstance(texts, str):
        raise TypeError("pass a list of comment texts, not one string")
    return map(_as_text, texts)


def _cleaned(texts: Iterable[Any]) -> Iterator[str]:
    """The texts as strings, curly quotes straightened (offsets kept)."""
    return map(_straightened, _as_texts(texts))


def _straightened(text: str) -> str:
    """``text`` with curly quotes straightened (offsets kept)."""
    return text if text.isascii() else text.translate(_STRAIGHT_QUOTES)


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
    kept_by_theme: dict[str, list[tuple[_Rule, int, int]]] = {}
    for rule, start, end in ordered:
        same_theme = kept_by_theme.setdefault(rule.theme_id, [])
        redundant = any(
            other_start <= start
            and end <= other_end
            and (rule.subtheme_id is None or other.subtheme_id == rule.subtheme_id)
            for other, other_start, other_end in same_theme
        )
        if not redundant:
            same_theme.append((rule, start, end))
            kept.append((rule, start, end))
    return kept


def _to_match(text: str, rule: _Rule, first_char: int, end_char: int) -> RuleMatch:
    """The evidence of one match: the words from ``first_char`` to ``end_char`` of ``text``."""
    return RuleMatch(
        theme_id=rule.theme_id,
        subtheme_id=rule.subtheme_id,
        pattern_id=rule.pattern.id,
        pattern=rule.described,
        words=text[first_char:end_char],
        start=first_char,
        end=end_char,
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
    by_theme: dict[str, list[RuleMatch]] = {}
    for match in matches:
        by_theme.setdefault(match.theme_id, []).append(match)
    return {theme_id: rule_evidence(theme_matches) for theme_id, theme_matches in by_theme.items()}


def rule_evidence(matches: Iterable[RuleMatch]) -> str:
    """Return one evidence string for matches: ``'"parks" (green_spaces/4); "nature" (green_spaces/9)'``.

    Words are quoted as matched (runs of white space as one space, ``|`` as ``/``,
    double quotes as single ones).
    """
    return "; ".join(f'"{_quoted(match.words)}" ({match.pattern_id})' for match in matches)


def _quoted(words: str) -> str:
    return " ".join(words.split()).replace("|", "/").replace('"', "'")
