"""A small, deterministic corpus of consultation-like comments for the classifier tests."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pandas as pd
import skops.io as sio

PHRASES = {
    "clarity": [
        "the paper is full of jargon",
        "please write it in plain english",
        "what does thriving actually mean",
        "the document is far too long to read",
        "too many undefined terms",
    ],
    "green_spaces": [
        "our parks need more care",
        "green space matters for wellbeing",
        "protect nature and the meadows",
        "people should reach a park near home",
        "more trees along the river path",
    ],
    "funding_costs": [
        "how will this be funded",
        "small grants for community groups",
        "who pays for all of this",
        "the budget is not clear",
        "access to funds is hard for volunteers",
    ],
}
FILLER = [
    "I think",
    "honestly",
    "in my view",
    "as a resident",
    "to be fair",
    "overall",
    "we felt that",
    "at the session",
]


def corpus(n: int = 240, seed: int = 0) -> tuple[list[str], pd.DataFrame]:
    """Return ``n`` texts and their 0/1 codes (one column per theme; about 1 in 5 has two themes)."""
    rng = random.Random(seed)
    themes = list(PHRASES)
    texts, rows = [], []
    for i in range(n):
        chosen = {themes[i % len(themes)]}
        if rng.random() < 0.2:
            chosen.add(rng.choice(themes))
        parts = [rng.choice(FILLER)] + [rng.choice(PHRASES[t]) for t in sorted(chosen)]
        texts.append(", ".join(parts) + ".")
        rows.append({t: int(t in chosen) for t in themes})
    return texts, pd.DataFrame(rows, columns=themes)


def paired_corpus(
    n: int, seed: int, compose: Callable[[random.Random, str, str], tuple[str, set[str]]]
) -> tuple[list[str], pd.DataFrame]:
    """Return ``n`` texts and their 0/1 codes, each made by ``compose(rng, main, other)`` -> (text, themes coded):
    ``main`` cycles through the themes, ``other`` is another theme drawn at random."""
    rng = random.Random(seed)
    themes = list(PHRASES)
    texts, rows = [], []
    for i in range(n):
        main = themes[i % len(themes)]
        other = rng.choice([t for t in themes if t != main])
        text, coded = compose(rng, main, other)
        texts.append(text)
        rows.append({t: int(t in coded) for t in themes})
    return texts, pd.DataFrame(rows, columns=themes)


def saved_before(model: Any, names: tuple[str, ...], path: Path) -> Any:
    """Save a copy of a fitted model without the attributes ``names`` (what a model fitted before they existed
    holds) with skops at ``path``, and load it back."""
    old = copy.deepcopy(model)
    for name in names:
        del old.__dict__[name]
    sio.dump(old, path)
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


def round_trips(model: Any, codebook: Any, texts: list[str], folder: Path, names: tuple[str, ...]) -> Any:
    """Save a hybrid coder with ``model`` in ``folder``, check that loading it (from the file, then twice for
    scoring: the second time from the trusted cache) codes ``texts`` as the model does, and that the file keeps
    the attributes ``names``; return the model read from the cache (it keeps only what scoring needs)."""
    from tcs_themes.coding.hybrid import HybridCoder
    from tcs_themes.coding.model.model_io import load_model, save_model
    from tcs_themes.coding.model.predictor import ThemePredictor

    path = save_model(HybridCoder(codebook, model=model), folder / "model.skops")
    expected = HybridCoder(codebook, model=model).code(texts)
    loaded = load_model(path, codebook)
    assert all(getattr(loaded.model, name) == getattr(model, name) for name in names)
    assert loaded.code(texts).equals(expected)
    for _ in range(2):  # the second load reads the trusted cache, without skops
        scoring = load_model(path, codebook, for_scoring=True)
        assert scoring.code(texts).equals(expected)
    assert type(scoring.model) is ThemePredictor
    return scoring.model
