"""Weak labels for themes with too few analyst-coded examples.

A theme an analyst used only a handful of times cannot be learned from those
alone. For such a theme the training data is topped up from two weaker
sources, and the model card records how many of each were used:

* the codebook's own **example comments** for the theme (and its sub-themes);
* **rule matches**: coded comments whose text the theme's rules match, but
  which the analyst did not code with it (at most ``min_examples`` of them per
  theme, in file order).

Both become weak ``(text, theme_id)`` examples, which the classifier trains
on with a lower weight than the analyst's codes.
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


def weak_label_pairs(
    texts: Sequence[str],
    Y: np.ndarray,
    codebook: Codebook,
    rule_counts: np.ndarray | None,
    min_examples: int,
) -> tuple[list[tuple[str, str]], WeakLabelReport]:
    """Return weak ``(text, theme_id)`` examples for the themes with too few coded examples.

    The classifier trains on them with a lower weight than analyst codes and
    never scores its cross-validation on them.

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
        Themes with fewer coded examples than this are topped up (0: none).

    Returns
    -------
    pairs : list of (str, str)
        Weak examples: codebook examples first, then rule-matched coded texts.
    report : WeakLabelReport
    """
    Y = np.asarray(Y, dtype=np.int8)
    counts = Y.sum(axis=0)
    report = WeakLabelReport(coded={t: int(c) for t, c in zip(codebook.ids, counts, strict=True)})
    pairs: list[tuple[str, str]] = []
    for column, theme in enumerate(codebook.themes):
        if counts[column] >= min_examples:
            continue
        examples = [*theme.examples, *(e for sub in codebook.subthemes_of(theme.id) for e in sub.examples)]
        pairs.extend((example, theme.id) for example in examples)
        if examples:
            report.examples[theme.id] = len(examples)
        if rule_counts is not None:
            candidates = np.flatnonzero((rule_counts[:, column] > 0) & (Y[:, column] == 0))[:min_examples]
            pairs.extend((texts[i], theme.id) for i in candidates)
            if len(candidates):
                report.rule_matches[theme.id] = int(len(candidates))
    return pairs, report
