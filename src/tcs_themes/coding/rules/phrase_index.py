"""Find every occurrence of many phrases in a whole batch of tokenized texts at once.

:class:`PhraseIndex` does what spaCy's ``PhraseMatcher`` does on the
``LOWER`` attribute (every match of every phrase, overlapping and nested
ones included), but over the flat token arrays of a batch
(:class:`~tcs_themes.coding.rules.chunk_tokens.TokenBatch`) with array
operations: each token is looked up once in the phrases' vocabulary, each
window of ``n`` known tokens gets a rolling 64-bit code, and the codes are
looked up among the beginnings of the phrases of ``n`` or more words; only
the windows that begin a phrase are lengthened, and those that are a whole
phrase are checked word by word, so a hash collision can never make a false
match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tcs_themes.coding.rules.chunk_tokens import TokenBatch

#: Multipliers of the rolling code (odd 64-bit constants); the next is tried if one gives two phrases one code.
_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)


@dataclass(frozen=True)
class _Length:
    """The phrases of one length: their words (vocabulary positions), codes and keys."""

    words: np.ndarray  # (m, length) int64
    codes: pd.Index  # (m,) uint64, unique
    key_start: np.ndarray  # (m + 1,) CSR pointer into keys
    keys: np.ndarray  # uint64


@dataclass(frozen=True)
class PhraseMatches:
    """Matches in a batch, sorted by text then start then end.

    Attributes
    ----------
    text : ndarray of int64
        The text (row of the batch) of each match.
    key, start, end : ndarray
        The key (uint64) the phrase was added under, and its token span in its text.
    """

    text: np.ndarray
    key: np.ndarray
    start: np.ndarray
    end: np.ndarray


class PhraseIndex:
    """Phrases (sequences of ``LOWER`` hashes) under keys; matched over a :class:`TokenBatch`.

    Examples
    --------
    >>> from tcs_themes.coding.rules.chunk_tokens import ChunkTokenizer
    >>> from tcs_themes.coding.rules.nlp import make_tokenizer_nlp
    >>> nlp = make_tokenizer_nlp()
    >>> index = PhraseIndex()
    >>> index.add(1, [[t.lower for t in nlp.make_doc("green space")]])
    >>> found = index(ChunkTokenizer(nlp)(["More green space please"]))
    >>> found.key.tolist(), found.start.tolist(), found.end.tolist()
    ([1], [1], [3])
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._compiled: tuple[pd.Index, dict[int, _Length], int] | None = None
        self._beginnings: dict[int, tuple[pd.Index, np.ndarray]] | None = None

    def __len__(self) -> int:
        """Return the number of distinct phrases."""
        if self._compiled is not None:
            return sum(len(phrases.codes) for phrases in self._compiled[1].values())
        return len(self._keys)

    def add(self, key: int, phrases: Iterable[Sequence[int]]) -> None:
        """Add phrases (each a sequence of ``LOWER`` hashes, non-empty) under ``key``."""
        if self._compiled is not None and not self._keys and len(self):
            raise RuntimeError("a phrase index made by from_arrays cannot take more phrases")
        key = int(key)
        table = self._keys
        for phrase in phrases:
            words = phrase if type(phrase) is tuple else tuple(map(int, phrase))
            if not words:
                continue
            keys = table.get(words)
            if keys is None:
                table[words] = (key,)  # tuples of ints: the garbage collector stops tracking them
            elif key not in keys:
                table[words] = (*keys, key)
        self._compiled = self._beginnings = None

    def _compile(self) -> tuple[pd.Index, dict[int, _Length], int]:
        vocabulary = pd.Index(np.unique(np.fromiter((w for p in self._keys for w in p), dtype=np.uint64)))
        by_length: dict[int, list[tuple[int, ...]]] = {}
        for phrase in self._keys:
            by_length.setdefault(len(phrase), []).append(phrase)
        for multiplier in _MULTIPLIERS:
            lengths = {}
            for length, phrases in by_length.items():
                words = vocabulary.get_indexer(np.array(phrases, dtype=np.uint64).ravel()).reshape(len(phrases), length)
                codes = pd.Index(_codes(words, multiplier))
                if not codes.is_unique:
                    break
                keys = [self._keys[p] for p in phrases]
                sizes = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
                lengths[length] = _Length(
                    words=words,
                    codes=codes,
                    key_start=np.concatenate([[0], np.cumsum(sizes)]),
                    keys=np.fromiter((k for ks in keys for k in ks), dtype=np.uint64, count=int(sizes.sum())),
                )
            else:
                return vocabulary, lengths, multiplier
        raise RuntimeError("phrase codes collide under every multiplier")  # practically impossible

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Return the compiled index as named arrays (for ``numpy.savez``; no Python objects)."""
        if self._compiled is None:
            self._compiled = self._compile()
        vocabulary, lengths, multiplier = self._compiled
        arrays = {"vocabulary": vocabulary.to_numpy(dtype=np.uint64), "multiplier": np.uint64(multiplier)}
        for length, phrases in lengths.items():
            arrays |= {f"{length}_words": phrases.words, f"{length}_codes": phrases.codes.to_numpy(dtype=np.uint64),
                       f"{length}_key_start": phrases.key_start, f"{length}_keys": phrases.keys}  # fmt: skip
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> PhraseIndex:
        """Rebuild an index from :meth:`to_arrays`, checking every array; it matches, but takes no more phrases.

        Raises
        ------
        ValueError
            If an array is missing or inconsistent with the others (a damaged file).
        """
        vocabulary = np.asarray(arrays["vocabulary"])
        multiplier = int(arrays["multiplier"])
        if vocabulary.dtype != np.uint64 or vocabulary.ndim != 1 or not (np.diff(vocabulary) > 0).all():
            raise ValueError("the vocabulary is not sorted unique hashes")
        if multiplier not in _MULTIPLIERS:
            raise ValueError("unknown multiplier")
        lengths = {}
        for name in arrays:
            if not name.endswith("_words"):
                continue
            length = int(name.removesuffix("_words"))
            words, codes, key_start, keys = (np.asarray(arrays[f"{length}_{part}"])
                                             for part in ("words", "codes", "key_start", "keys"))  # fmt: skip
            count = len(codes)
            if (
                words.dtype != np.int64 or words.shape != (count, length) or codes.dtype != np.uint64
                or key_start.dtype != np.int64 or key_start.shape != (count + 1,) or keys.dtype != np.uint64
                or (count and (words.min() < 0 or words.max() >= len(vocabulary)))
                or key_start[0] != 0 or (np.diff(key_start) < 1).any() or key_start[-1] != len(keys)
                or not np.array_equal(_codes(words, multiplier), codes)
            ):
                raise ValueError(f"the phrases of length {length} are inconsistent")
            lengths[length] = _Length(words=words, codes=pd.Index(codes), key_start=key_start, keys=keys)
        if any(not phrases.codes.is_unique for phrases in lengths.values()):
            raise ValueError("two phrases have one code")
        index = cls()
        index._compiled = (pd.Index(vocabulary), lengths, multiplier)
        return index

    def keys(self) -> set[int]:
        """Return every key phrases were added under."""
        if self._compiled is None:
            return {key for keys in self._keys.values() for key in keys}
        return {key for phrases in self._compiled[1].values() for key in phrases.keys.tolist()}

    def __call__(self, tokens: TokenBatch) -> PhraseMatches:
        """Return every phrase match in the batch."""
        if self._compiled is None:
            self._compiled = self._compile()
        vocabulary, lengths, multiplier = self._compiled
        if self._beginnings is None:
            self._beginnings = _beginnings(lengths, multiplier)
        words = vocabulary.get_indexer(tokens.lower) if len(tokens.lower) else np.zeros(0, np.int64)
        text_of = np.repeat(np.arange(len(tokens.bounds) - 1), np.diff(tokens.bounds))
        found: list[tuple[np.ndarray, np.ndarray, int]] = []  # (first token, key) per length
        mult = np.uint64(multiplier)
        first = np.flatnonzero(words >= 0)  # the windows that begin a phrase, by their first token
        code = np.zeros(len(first), dtype=np.uint64)
        for length in range(1, max(lengths, default=0) + 1):
            last = first + (length - 1)  # lengthen each window by its next token, in the same text
            if length > 1:
                same = last < len(words)
                first, code, last = first[same], code[same], last[same]
                same = (words[last] >= 0) & (text_of[last] == text_of[first])
                first, code, last = first[same], code[same], last[same]
            code = code * mult + (words[last] + 1).astype(np.uint64)
            beginnings, whole = self._beginnings[length]
            position = beginnings.get_indexer(code)
            begins = position >= 0
            first, code, phrase = first[begins], code[begins], whole[position[begins]]
            if not len(first):
                break
            phrases = lengths.get(length)
            if phrases is None:
                continue
            start, phrase = first[phrase >= 0], phrase[phrase >= 0]  # the windows that are a whole phrase
            exact = (words[start[:, None] + np.arange(length)] == phrases.words[phrase]).all(axis=1)
            start, phrase = start[exact], phrase[exact]
            count = phrases.key_start[phrase + 1] - phrases.key_start[phrase]
            within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            found.append((np.repeat(start, count), phrases.keys[np.repeat(phrases.key_start[phrase], count) + within], length))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return PhraseMatches(empty, np.zeros(0, dtype=np.uint64), empty, empty)
        first = np.concatenate([f for f, _, _ in found])
        key = np.concatenate([k for _, k, _ in found])
        end = first + np.concatenate([np.full(len(f), n) for f, _, n in found])
        text = text_of[first]
        order = np.lexsort((end, first, text))
        base = tokens.bounds[text]
        return PhraseMatches(text[order], key[order], (first - base)[order], (end - base)[order])


def _beginnings(lengths: Mapping[int, _Length], multiplier: int) -> dict[int, tuple[pd.Index, np.ndarray]]:
    """Per length ``n``: the codes of the first ``n`` words of every phrase of ``n`` or more words, and
    for each of those codes the phrase of exactly ``n`` words it is (its row in ``lengths[n]``), or -1."""
    found = {}
    for length in range(1, max(lengths, default=0) + 1):
        parts = [_codes(phrases.words[:, :length], multiplier) for n, phrases in lengths.items() if n >= length]
        codes = np.unique(np.concatenate(parts))
        whole = lengths[length].codes.get_indexer(codes) if length in lengths else np.full(len(codes), -1, np.int64)
        found[length] = (pd.Index(codes), whole)
    return found


def _codes(words: np.ndarray, multiplier: int) -> np.ndarray:
    """The rolling code of each row of vocabulary positions (as :meth:`PhraseIndex.__call__` computes it)."""
    code = np.zeros(len(words), dtype=np.uint64)
    mult = np.uint64(multiplier)
    for column in range(words.shape[1]):
        code = code * mult + (words[:, column] + 1).astype(np.uint64)
    return code
