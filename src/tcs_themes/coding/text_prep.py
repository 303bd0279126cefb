"""Make comment texts safe to code: no control characters, bounded length.

Only the copy used for coding is changed; the coded table carries the original
text through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Texts longer than this are coded from their first ``MAX_CODED_CHARS`` characters.
MAX_CODED_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_HAS_WORD = re.compile(r"[^\W_]", re.UNICODE)
#: The end of a sentence: ``.``, ``!`` or ``?`` (one or more), then white space.
_SENTENCE_END = re.compile(r"[.!?]+\s")


def prepare_text(value: object) -> str:
    """Return ``value`` as a string fit for coding.

    Missing values become ``""``; control and zero-width characters become
    spaces; the text is cut to :data:`MAX_CODED_CHARS` characters.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if len(text) > MAX_CODED_CHARS:
        text = text[:MAX_CODED_CHARS]
    if text.isascii() and text.isprintable():  # the common case, tested cheaply: no control characters
        return text
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text


def has_words(text: str) -> bool:
    """Return True when ``text`` has at least one letter or digit (so it can be coded)."""
    return _HAS_WORD.search(text) is not None


#: The last batches split by :func:`whitespace_chunks`: (texts, chunks, chunks per text), newest last.
_SPLIT: list[tuple[list[str], list[str], np.ndarray]] = []


def whitespace_chunks(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Return the white-space-separated chunks of all ``texts`` in order, and how many each text has.

    The splits of the last two batches are remembered (scoring a batch also scores an empty
    text): a batch is split once for counting its words, its word features and the word pieces
    of its sentence embedding. Callers must not change the list returned (the array is read-only).
    """
    texts = list(texts)
    for known, chunks, per_text in reversed(_SPLIT):
        if known == texts:
            return chunks, per_text
    chunks = []
    per_text = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        pieces = text.split()
        chunks.extend(pieces)
        per_text[i] = len(pieces)
    per_text.flags.writeable = False
    _SPLIT[:] = [*_SPLIT[-1:], (texts, chunks, per_text)]
    return chunks, per_text


def first_sentences(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Return the texts that have more than one sentence, and the first sentence of each.

    A sentence ends at ``.``, ``!`` or ``?`` followed by white space, once it has a letter or
    digit; a text has more than one sentence when words follow its first. A one-sentence text's
    first sentence is the text itself, so it is not listed (its scores serve for both).

    Returns
    -------
    (rows, firsts)
        ``rows``: positions (int64) in ``texts`` of the texts with more than one sentence;
        ``firsts``: their first sentences, end mark included, in the same order.
    """
    rows: list[int] = []
    firsts: list[str] = []
    for i, text in enumerate(texts):
        for end in _SENTENCE_END.finditer(text):
            head = text[: end.end()]
            if has_words(head):
                if has_words(text[end.end() :]):
                    rows.append(i)
                    firsts.append(head.rstrip())
                break
    return np.array(rows, dtype=np.int64), firsts
