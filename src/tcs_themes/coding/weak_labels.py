"""Weak labels for themes with too few analyst-coded examples.

A theme an analyst used only a handful of times cannot be learned from those
alone. For such a theme the training data is topped up from two weaker
sources, and the model card records how many of each were used:

* the codebook's own **example comments** for the theme (and its sub-themes),
  added as extra training rows coded with that theme only;
* **rule matches**: coded comments whose text the theme's rules match, but
  which the analyst did not code with it, get the theme added (at most
  ``min_examples`` of them per theme, in file order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tcs_themes.codebook.model import Codebook


@dataclass
class WeakLabelReport:
    """What weak labelling added, per theme id.

    Attributes
    ----------
    coded : dict of str to int
        Analyst-coded examples per theme.
    examples : dict of str to int
        Codebook example comments added as rows, per theme that was topped up.
    rule_matches : dict of str to int
        Coded comments given the theme because its rules matched, per theme topped up.
    """

    coded: dict[str, int] = field(default_factory=dict)
    examples: dict[str, int] = field(default_factory=dict)
    rule_matches: dict[str, int] = field(default_factory=dict)

    def used(self, theme_id: str) -> bool:
        """Return True when weak labels were added for ``theme_id``."""
        return bool(self.examples.get(theme_id) or self.rule_matches.get(theme_id))


def add_weak_labels(
    texts: Sequence[str],
    Y: np.ndarray,
    codebook: Codebook,
    rule_counts: np.ndarray | None,
    min_examples: int,
) -> tuple[list[str], np.ndarray, WeakLabelReport]:
    """Return texts and labels topped up with weak labels for rare themes.

    Parameters
    ----------
    texts : sequence of str
        The coded texts.
    Y : ndarray of shape (n, k)
        0/1 analyst codes, columns in ``codebook.ids`` order.
    codebook : Codebook
        Supplies the example comments.
    rule_counts : ndarray of shape (n, k), or None
        Rule matches per text and theme (None: do not use rule matches).
    min_examples : int
        Themes with fewer coded examples than this are topped up.

    Returns
    -------
    texts : list of str
        The input texts followed by the added example comments.
    Y : ndarray of shape (n + added, k)
        The labels, with rule-matched weak labels set and rows for the examples.
    report : WeakLabelReport
    """
    Y = np.array(Y, dtype=np.int8, copy=True)
    counts = Y.sum(axis=0)
    report = WeakLabelReport(coded={t: int(c) for t, c in zip(codebook.ids, counts, strict=True)})
    extra_texts: list[str] = []
    extra_rows: list[np.ndarray] = []
    for column, theme in enumerate(codebook.themes):
        if counts[column] >= min_examples:
            continue
        if rule_counts is not None:
            candidates = np.flatnonzero((rule_counts[:, column] > 0) & (Y[:, column] == 0))[:min_examples]
            Y[candidates, column] = 1
            if len(candidates):
                report.rule_matches[theme.id] = int(len(candidates))
        examples = [*theme.examples, *(e for sub in codebook.subthemes_of(theme.id) for e in sub.examples)]
        for example in examples:
            row = np.zeros(len(codebook.ids), dtype=np.int8)
            row[column] = 1
            extra_texts.append(example)
            extra_rows.append(row)
        if examples:
            report.examples[theme.id] = len(examples)
    if extra_rows:
        Y = np.vstack([Y, np.array(extra_rows, dtype=np.int8)])
    return [*texts, *extra_texts], Y, report
