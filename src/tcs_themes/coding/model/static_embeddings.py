"""Static sentence embeddings: a comment's meaning from one stored vector per word piece, with NumPy only.

The vectors were distilled once from the all-MiniLM-L6-v2 sentence encoder
(Apache-2.0; see ``static/NOTICE`` and ``scripts/distil_static_embeddings.py``):
each word piece of its vocabulary was encoded alone by the encoder, the 384
numbers reduced to 256 by PCA and weighted down for frequent pieces
(model2vec's recipe). A comment's embedding is then the unit-length sum of its
word pieces' vectors: no PyTorch, no download, about 15 microseconds of CPU for
a 50-word comment. It reads words like the encoder's vocabulary does, so
"staff were kind" and "the nurse was lovely" land near each other, but word
order and context are lost.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import chain

import numpy as np
import scipy.sparse as sp

from tcs_themes.coding.rules.chunk_tokens import ChunkTable
from tcs_themes.coding.text_prep import whitespace_chunks

#: The name a classifier gives (``ThemeClassifier(embeddings=STATIC_NAME)``).
STATIC_NAME = "static-minilm"
#: The package data file holding ``vectors`` (float16, one row per word piece) and ``vocab``.
DATA_FILE = "minilm_static.npz"
#: Whitespace-separated words remembered with their word pieces (then the memory starts again).
WORD_CACHE_SIZE = 200_000
#: Changed whenever :func:`static_encoder` keeps other pieces, so cached copies are rebuilt.
_FILTER_VERSION = "ascii-pieces/1"
#: Longest word (in characters) split into pieces; longer ones are unknown, as in BERT.
MAX_WORD_CHARS = 100

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _non_ascii_char(char: str) -> str:
    """Return a non-ASCII character as BERT's basic tokenizer sees it: accents dropped, punctuation apart."""
    category = unicodedata.category(char)
    if category == "Mn":
        return ""
    if category.startswith("P") or "\u4e00" <= char <= "\u9fff":
        return f" {char} "
    return " " if category.startswith("Z") or category in ("Cc", "Cf") else char


def basic_words(text: str) -> list[str]:
    """Return BERT's (uncased) basic tokens of ``text``: lower case, accents stripped, punctuation apart."""
    text = text.lower()
    if not text.isascii():
        text = "".join(_non_ascii_char(char) if ord(char) > 127 else char for char in unicodedata.normalize("NFD", text))
    return _ASCII_PUNCTUATION.sub(r" \1 ", text).split()


class StaticEncoder:
    """Encode texts as unit-length static sentence embeddings (the same interface as ``SentenceEncoder``).

    Parameters
    ----------
    vectors : ndarray of shape (pieces, dimension)
        One vector per word piece (already frequency-weighted).
    vocab : sequence of str
        The word pieces, in row order (continuations start with ``##``).
    name : str, default :data:`STATIC_NAME`
    """

    def __init__(self, vectors: np.ndarray, vocab: Sequence[str], name: str = STATIC_NAME) -> None:
        if len(vectors) != len(vocab):
            raise ValueError("vectors and vocab must have the same length")
        self.name = name
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.dimension = int(self.vectors.shape[1])
        self._ids = {piece: row for row, piece in enumerate(vocab)}
        self._words = ChunkTable(self._word_pieces, [np.int32], max_chunks=WORD_CACHE_SIZE)
        self._last: tuple[list[str], np.ndarray] | None = None  # the last batch: scoring then explaining it encodes once

    def pieces(self, word: str) -> tuple[int, ...]:
        """Return the word-piece rows of one basic token (greedy longest match; unknown words give none)."""
        if len(word) > MAX_WORD_CHARS:
            return ()
        found, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                row = self._ids.get(piece)
                if row is not None:
                    found.append(row)
                    break
                end -= 1
            else:
                return ()  # BERT reads the whole word as [UNK]: no meaning to add
            start = end
        return tuple(found)

    def _word_pieces(self, words: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Split new whitespace-separated words into word-piece rows (for :class:`ChunkTable`)."""
        found = [[row for token in basic_words(word) for row in self.pieces(token)] for word in words]
        items = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        return items, [np.fromiter(chain.from_iterable(found), dtype=np.int32, count=int(items.sum()))]

    def piece_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return how often each word piece occurs in each text, shape (n, pieces), float32.

        Each distinct whitespace-separated word is split into pieces once and remembered; a batch's
        pieces are then gathered with array operations.
        """
        words, per_text = whitespace_chunks(texts)
        items, (indices,) = self._words.gather(self._words.rows(words))
        pieces_before = np.concatenate([[0], np.cumsum(items)])  # per word
        indptr = pieces_before[np.concatenate([[0], np.cumsum(per_text)])]
        data = np.ones(len(indices), dtype=np.float32)
        counts = sp.csr_matrix((data, indices, indptr), (len(texts), len(self.vectors)))
        counts.sum_duplicates()
        return counts

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length embedding per text, shape (n, dimension), float32.

        A text with no known word piece (empty, white space, unknown symbols) gets zeros.
        A text's embedding does not depend on the texts encoded with it.
        """
        texts = list(texts)
        if self._last is not None and self._last[0] == texts:
            return self._last[1].copy()
        summed = np.asarray(self.piece_counts(texts) @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        vectors = np.divide(summed, norms, out=np.zeros_like(summed), where=norms > 0)
        self._last = (texts, vectors)
        return vectors.copy()

    def forget(self) -> None:
        """Forget the words split so far and the last batch encoded."""
        self._words.clear()
        self._last = None


@cache
def static_encoder() -> StaticEncoder:
    """Return the process's one static encoder, read from the package data (no pickle).

    Only the ASCII word pieces are kept (letters, digits, punctuation; accents are stripped
    before look-up): the encoder learnt English, and its vectors for single characters of other
    scripts (Chinese, emoji...) carry noise, not meaning. A comment written only in them gets no
    embedding, so it stays uncoded as unreadable rather than get a theme by chance.

    The kept pieces and their float32 vectors are also written, uncompressed, to the user cache
    (:mod:`tcs_themes.cache`) under the SHA-256 of the data file, and read from there next time:
    inflating and filtering the package's compressed file takes a tenth of a second.
    """
    from tcs_themes.cache import cache_key, read_arrays, write_arrays

    data_file = resources.files("tcs_themes.coding.model").joinpath("static", DATA_FILE)
    key = cache_key({"data": hashlib.sha256(data_file.read_bytes()).hexdigest(), "code": _FILTER_VERSION})
    cached = read_arrays("static", key)
    if cached is not None and cached.keys() == {"vectors", "vocab"} and cached["vocab"].dtype.kind == "U":
        vectors, vocab = cached["vectors"], cached["vocab"]
        if vectors.dtype == np.float32 and vectors.ndim == 2 and len(vectors) == len(vocab):
            return StaticEncoder(vectors, vocab.tolist())
    with data_file.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        vocab = [str(piece) for piece in data["vocab"]]
        keep = np.array([piece.isascii() for piece in vocab])
        kept = [piece for piece, ascii_piece in zip(vocab, keep) if ascii_piece]
        encoder = StaticEncoder(data["vectors"][keep], kept)
    write_arrays("static", key, {"vectors": encoder.vectors, "vocab": np.array(kept, dtype=str)})
    return encoder
