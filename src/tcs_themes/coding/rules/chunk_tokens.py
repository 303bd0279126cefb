"""spaCy's tokens of a batch of comments, worked out once per distinct word.

spaCy's tokenizer splits a text on white space and then tokenizes each
non-space chunk on its own (prefixes, suffixes, infixes, special cases): the
tokens of a text are the tokens of its chunks, in order. :class:`ChunkTokenizer`
therefore asks spaCy for the tokens of each distinct chunk once, keeps them
in a table, and assembles a whole batch into flat arrays (lower-case hash,
character offsets) with array operations. The tokens are exactly those of
``nlp.tokenizer`` (tested on every comment of the sample and of the
pxtextmining data), at a fraction of the cost, because a consultation's
words repeat. Texts with irregular white space (leading or trailing space,
two spaces in a row, tabs, line breaks), where spaCy makes white-space
tokens, are tokenized by spaCy whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc

from tcs_themes.coding.text_prep import whitespace_chunks

#: White space other than single spaces between words: spaCy makes tokens of it.
_IRREGULAR_SPACE = re.compile(r"[^\S ]|  |^ | $")


def _irregular(text: str) -> bool:
    """Whether ``text`` has white space other than single spaces between words (a cheap test for
    printable ASCII texts, which have no white space but spaces); spaCy makes tokens of it."""
    if text.isascii() and text.isprintable():
        return text[0] == " " or text[-1] == " " or "  " in text
    return _IRREGULAR_SPACE.search(text) is not None


@dataclass(frozen=True)
class TokenBatch:
    """The tokens of a batch of texts, flat.

    Attributes
    ----------
    lower : ndarray of uint64, shape (t,)
        Each token's ``LOWER`` hash (spaCy's ``token.lower``).
    start, end : ndarray of int64, shape (t,)
        Each token's character offsets in its own text.
    bounds : ndarray of int64, shape (n + 1,)
        Text ``i``'s tokens are ``bounds[i]:bounds[i + 1]``.
    """

    lower: np.ndarray
    start: np.ndarray
    end: np.ndarray
    bounds: np.ndarray

    @classmethod
    def from_docs(cls, docs: Sequence[Doc]) -> TokenBatch:
        """Return the tokens of spaCy docs."""
        parts = [_doc_arrays(doc) for doc in docs]
        lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
        return cls(
            *(np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, d) for i, d in enumerate(_DTYPES)),
            bounds=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        )


_DTYPES = (np.uint64, np.int64, np.int64)


def _doc_arrays(doc: Doc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A doc's LOWER hashes, token starts and token ends."""
    start = np.array([token.idx for token in doc], dtype=np.int64)
    length = np.array([len(token) for token in doc], dtype=np.int64)
    return doc.to_array(LOWER).astype(np.uint64), start, start + length


class _ChunkNumbers:
    """Numbers for the distinct chunks of the process, shared by every :class:`ChunkTable`.

    The rule tokenizer, the word features and the word pieces of the sentence embedding
    read the same chunks of a batch: each chunk is looked up in one dictionary once per
    batch (the last two lists numbered are remembered, as :func:`whitespace_chunks` remembers
    two batches: scoring a batch also scores an empty text; they must not be changed), and
    each table maps the numbers to its rows with array operations. Each chunk's length is
    kept by its number (:meth:`lengths`). When ``limit`` chunks are numbered, the numbering
    starts again (``era`` counts the restarts; the tables then start again too).
    """

    def __init__(self, limit: int = 600_000) -> None:
        self.limit = limit
        self.era = 0
        self._numbers: dict[str, int] = {}
        self._lengths = np.zeros(0, dtype=np.int64)  # number -> the chunk's length in characters
        self._recent: list[tuple[list[str], np.ndarray]] = []  # the last two lists numbered, newest last

    def __len__(self) -> int:
        return len(self._numbers)

    def __call__(self, chunks: list[str]) -> np.ndarray:
        """Return each chunk's number (read-only), numbering the new ones."""
        for known, numbers in self._recent:
            if known is chunks:
                return numbers
        number = np.fromiter(map(self._numbers.get, chunks, repeat(-1)), dtype=np.int64, count=len(chunks))
        unknown = np.flatnonzero(number < 0)
        if len(unknown):
            new = list(dict.fromkeys(chunks[i] for i in unknown.tolist()))
            if len(self._numbers) + len(new) > self.limit:
                self._numbers.clear()
                self._lengths = self._lengths[:0]
                self._recent = []  # their numbers belong to the last era
                self.era += 1
                unknown, new = np.arange(len(chunks)), list(dict.fromkeys(chunks))
            self._numbers.update(zip(new, range(len(self._numbers), len(self._numbers) + len(new))))
            self._lengths = np.concatenate([self._lengths, np.fromiter(map(len, new), dtype=np.int64, count=len(new))])
            number[unknown] = [self._numbers[chunks[i]] for i in unknown.tolist()]
        number.flags.writeable = False
        self._recent = [*self._recent[-1:], (chunks, number)]
        return number

    def lengths(self, chunks: list[str]) -> np.ndarray:
        """Return each chunk's length in characters (``len``), numbering the new ones."""
        number = self(chunks)  # first: it may number new chunks
        return self._lengths[number]


_NUMBERS = _ChunkNumbers()


class ChunkTable:
    """Integer columns with a variable number of items per distinct chunk of text, remembered.

    A chunk's items are computed once, the first time a batch has it, for all
    the batch's new chunks at once; later batches gather them with array
    operations. Chunks are found by their process-wide number (:class:`_ChunkNumbers`).
    Memory stays bounded: the table is emptied when it would pass
    ``max_chunks`` chunks.

    Parameters
    ----------
    compute : callable
        ``compute(chunks)`` -> (items per chunk, one array per column holding
        the items of all the chunks in order).
    dtypes : sequence of numpy dtypes
        The dtype of each column.
    max_chunks : int, default 300_000
    """

    def __init__(
        self,
        compute: Callable[[list[str]], tuple[np.ndarray, list[np.ndarray]]],
        dtypes: Sequence[Any],
        *,
        max_chunks: int = 300_000,
    ) -> None:
        self.compute = compute
        self.dtypes = tuple(dtypes)
        self.max_chunks = max_chunks
        self._reset()

    def __len__(self) -> int:
        """Return the number of chunks remembered."""
        return len(self._first) - 1

    def clear(self) -> None:
        """Forget every chunk remembered."""
        self._reset()

    def _reset(self) -> None:
        self._era = _NUMBERS.era
        self._row_of = np.full(len(_NUMBERS), -1, dtype=np.int64)  # chunk number -> its row (-1: not here)
        self._first = [0]  # row -> its first item in the columns (CSR pointer)
        self._columns = [np.zeros(0, d) for d in self.dtypes]
        self._pointer: np.ndarray | None = None

    def rows(self, chunks: list[str], kept: np.ndarray | None = None) -> np.ndarray:
        """Return each chunk's row in the table, computing the chunks not in it yet.

        ``chunks`` must not be changed afterwards (its numbers are remembered). ``kept``, when
        given (a boolean per chunk), restricts this to those chunks: the rows of the kept ones.
        """
        number = _NUMBERS(chunks)
        position = None
        if kept is not None:
            position = np.flatnonzero(kept)
            number = number[position]
        if self._era != _NUMBERS.era:
            self._reset()
        if len(self._row_of) < len(_NUMBERS):
            self._row_of = np.concatenate([self._row_of, np.full(len(_NUMBERS) - len(self._row_of), -1, np.int64)])
        row = self._row_of[number]
        unknown = np.flatnonzero(row < 0)
        if len(unknown):
            _, first = np.unique(number[unknown], return_index=True)
            new = unknown[np.sort(first)]  # one position of each new chunk, in order of appearance
            if len(self) + len(new) > self.max_chunks:
                self._reset()
                _, first = np.unique(number, return_index=True)
                new = np.sort(first)
            self._row_of[number[new]] = np.arange(len(self), len(self) + len(new))
            self._learn([chunks[i] for i in (new if position is None else position[new]).tolist()])
            row = self._row_of[number]
        return row

    def _learn(self, chunks: list[str]) -> None:
        items, columns = self.compute(chunks)
        self._columns = [np.concatenate([old, new.astype(old.dtype)]) for old, new in zip(self._columns, columns)]
        self._first.extend((self._first[-1] + np.cumsum(items)).tolist())
        self._pointer = None

    def gather(self, row: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Return the items per chunk of ``row`` and each column's items of those rows, in order."""
        if self._pointer is None:
            self._pointer = np.array(self._first, dtype=np.int64)
        first = self._pointer[row]
        items = self._pointer[row + 1] - first
        take = np.repeat(first - (np.cumsum(items) - items), items) + np.arange(int(items.sum()))
        return items, [column[take] for column in self._columns]


class ChunkTokenizer:
    """Tokenize batches of texts exactly as ``nlp.tokenizer`` does, remembering each chunk's tokens.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline whose tokenizer (and vocabulary) to reproduce.
    max_chunks : int, default 300_000
        Distinct chunks remembered (see :class:`ChunkTable`).
    translate : dict, optional
        A ``str.maketrans`` table of characters that each become one other character (no white
        space either way): the tokens are those of each text translated, at the same offsets.
        Only the new chunks are translated, as they are learnt.
    """

    def __init__(self, nlp: Language, *, max_chunks: int = 300_000, translate: dict[int, Any] | None = None) -> None:
        self.nlp = nlp
        self.translate = translate
        self.table = ChunkTable(self._tokens, _DTYPES, max_chunks=max_chunks)

    def _as_read(self, text: str) -> str:
        return text if self.translate is None or text.isascii() else text.translate(self.translate)

    def _tokens(self, chunks: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """The tokens of new chunks: one spaCy call over them joined by single spaces."""
        lower, start, end = _doc_arrays(self.nlp.tokenizer(self._as_read(" ".join(chunks))))
        width = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks)) + 1
        begin = np.cumsum(width) - width
        first = np.searchsorted(start, begin)
        items = np.diff(np.append(first, len(start)))
        owner_begin = np.repeat(begin, items)
        return items, [lower, start - owner_begin, end - owner_begin]

    def __call__(self, texts: Sequence[str]) -> TokenBatch:
        """Return the tokens of ``texts`` (strings) as one :class:`TokenBatch`."""
        # texts with irregular white space: spaCy tokenizes them whole; the others' chunks are
        # their words split at white space (single spaces only), shared with the model's features
        whole = [i for i, text in enumerate(texts) if text and _irregular(text)]
        chunks, per_text = whitespace_chunks(texts)
        # each chunk's offset in its text: the lengths (plus one space) of the chunks before it
        width = _NUMBERS.lengths(chunks) + 1
        kept = None
        if whole:
            regular = np.ones(len(texts), dtype=bool)
            regular[whole] = False
            kept = np.repeat(regular, per_text)
            width, per_text = width[kept], np.where(regular, per_text, 0)
        tokens, (lower, start, end) = self.table.gather(self.table.rows(chunks, kept))
        before = np.cumsum(width) - width
        shift = np.repeat(before - before[np.repeat(np.cumsum(per_text) - per_text, per_text)], tokens)
        text_of_chunk = np.repeat(np.arange(len(texts)), per_text)
        per_text_tokens = np.bincount(text_of_chunk, weights=tokens, minlength=len(texts)).astype(np.int64)
        batch = TokenBatch(
            lower=lower,
            start=start + shift,
            end=end + shift,
            bounds=np.concatenate([[0], np.cumsum(per_text_tokens)]).astype(np.int64),
        )
        return _with_whole_texts(batch, whole, [self._as_read(texts[i]) for i in whole], self.nlp)


def _with_whole_texts(batch: TokenBatch, rows: list[int], texts: list[str], nlp: Language) -> TokenBatch:
    """Insert the tokens of the texts at ``rows`` (absent from ``batch``), tokenized by spaCy whole."""
    if not rows:
        return batch
    counts = np.diff(batch.bounds)
    inserted = [_doc_arrays(doc) for doc in nlp.tokenizer.pipe(texts)]
    counts[rows] = [len(arrays[0]) for arrays in inserted]
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    # the batch's own tokens keep their order; each text's block moves to its new start
    own = np.diff(batch.bounds)
    destination = np.repeat(bounds[:-1] - batch.bounds[:-1], own) + np.arange(int(own.sum()))
    columns = []
    for column, values in enumerate((batch.lower, batch.start, batch.end)):
        merged = np.empty(int(bounds[-1]), dtype=values.dtype)
        merged[destination] = values
        for row, arrays in zip(rows, inserted, strict=True):
            merged[bounds[row] : bounds[row + 1]] = arrays[column]
        columns.append(merged)
    return TokenBatch(*columns, bounds=bounds)
