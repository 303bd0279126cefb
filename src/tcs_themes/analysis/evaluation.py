"""Compare machine codes with an analyst's: per-theme precision, recall, F1, kappa and confusions.

The analyst's codes are the reference. Both sides are 0/1 matrices with one
column per theme (several themes per comment allowed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from tcs_themes.codebook.model import Codebook


@dataclass
class Evaluation:
    """The result of :func:`evaluate_coding`.

    Attributes
    ----------
    per_theme : pandas.DataFrame
        One row per theme: ``theme_id``, ``theme``, ``precision``, ``recall``,
        ``f1``, ``support`` (analyst-coded comments), ``predicted`` (machine-coded
        comments), ``kappa`` (Cohen's kappa of the theme's yes/no decisions).
    averages : pandas.DataFrame
        Rows ``micro``, ``macro``, ``samples`` (per comment) and ``weighted``
        with ``precision``, ``recall``, ``f1``; plus ``kappa`` rows for all
        theme decisions pooled and, when both sides give a primary theme, for the
        primary theme.
    confusions : pandas.DataFrame
        The most confused theme pairs: ``analyst_theme`` (coded by the analyst,
        missed by the machine), ``machine_theme`` (given by the machine, not by
        the analyst) and ``comments``, most frequent first.
    n_comments : int
        Comments compared.
    warnings : list of str
        One line per analyst file whose themes outside the codebook were ignored.
    """

    per_theme: pd.DataFrame
    averages: pd.DataFrame
    confusions: pd.DataFrame
    n_comments: int
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the three tables by name (``per_theme``, ``averages``, ``confusions``)."""
        return {"per_theme": self.per_theme, "averages": self.averages, "confusions": self.confusions}


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    if len(np.unique(np.concatenate([a, b]))) < 2:
        return 1.0 if np.array_equal(a, b) else 0.0
    value = cohen_kappa_score(a, b)
    return float(value) if np.isfinite(value) else 0.0


def confused_pairs(human: np.ndarray, machine: np.ndarray, theme_ids: list[str], top: int = 10) -> pd.DataFrame:
    """Count (analyst theme missed, machine theme given instead) pairs over comments; most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    missed = (human == 1) & (machine == 0)
    extra = (machine == 1) & (human == 0)
    for row in np.flatnonzero(missed.any(axis=1) & extra.any(axis=1)):
        for h in np.flatnonzero(missed[row]):
            for m in np.flatnonzero(extra[row]):
                counts[(theme_ids[h], theme_ids[m])] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return pd.DataFrame(
        [(h, m, n) for (h, m), n in ranked], columns=["analyst_theme", "machine_theme", "comments"]
    ).astype({"comments": "int64"})


def evaluate_coding(
    human: pd.DataFrame,
    machine: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    human_primary: list[str] | None = None,
    machine_primary: list[str] | None = None,
    top_confusions: int = 10,
) -> Evaluation:
    """Score machine codes against an analyst's codes.

    Parameters
    ----------
    human, machine : pandas.DataFrame
        0/1 matrices, one row per comment (same order), one column per theme id.
        ``machine`` must have every column of ``human``.
    codebook : Codebook, optional
        Supplies theme names for the per-theme table.
    human_primary, machine_primary : list of str, optional
        Each side's main theme per comment; when both are given, the kappa of
        the main theme is reported too.
    top_confusions : int, default 10
        How many confused pairs to list.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> ev = evaluate_coding(human_Y, machine_Y, codebook)  # doctest: +SKIP
    >>> ev.averages.loc["macro", "f1"]  # doctest: +SKIP
    """
    if len(human) != len(machine):
        raise ValueError(f"human and machine codes differ in length ({len(human)} and {len(machine)})")
    theme_ids = [str(c) for c in human.columns]
    missing = [t for t in theme_ids if t not in machine.columns]
    if missing:
        raise ValueError(f"machine codes lack the themes {', '.join(missing)}")
    h = human[theme_ids].to_numpy(dtype=np.int8)
    m = machine[theme_ids].to_numpy(dtype=np.int8)
    precision, recall, f1, support = precision_recall_fscore_support(h, m, average=None, zero_division=0)
    per_theme = pd.DataFrame(
        {
            "theme_id": theme_ids,
            "theme": [codebook.name_of(t) if codebook else t for t in theme_ids],
            "precision": precision.round(4),
            "recall": recall.round(4),
            "f1": f1.round(4),
            "support": support.astype("int64"),
            "predicted": m.sum(axis=0).astype("int64"),
            "kappa": [round(_kappa(h[:, i], m[:, i]), 4) for i in range(len(theme_ids))],
        }
    )
    rows = {}
    for average in ("micro", "macro", "samples", "weighted"):
        if average == "samples" and not len(h):
            continue
        p, r, f, _ = precision_recall_fscore_support(h, m, average=average, zero_division=0)
        rows[average] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}
    averages = pd.DataFrame.from_dict(rows, orient="index")
    averages["kappa"] = np.nan
    averages.loc["all theme decisions", "kappa"] = round(_kappa(h.ravel(), m.ravel()), 4)
    if human_primary is not None and machine_primary is not None:
        averages.loc["primary theme", "kappa"] = round(
            _kappa(np.asarray(human_primary, dtype=object).astype(str), np.asarray(machine_primary, dtype=object).astype(str)),
            4,
        )
    return Evaluation(per_theme, averages, confused_pairs(h, m, theme_ids, top_confusions), len(h))
