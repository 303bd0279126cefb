"""A small, deterministic corpus of consultation-like comments for the classifier tests."""

from __future__ import annotations

import random

import pandas as pd

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
