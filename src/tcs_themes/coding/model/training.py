"""Train a coder on analyst-coded comments and describe it in a model card.

:func:`train_model` fits a :class:`HybridCoder` (with weak labels for rare
themes) and cross-validates it, folds grouped by session where the coded file
says which session each comment came from, so the card's figures say how well
the model codes sessions it has not seen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, KFold

from tcs_themes.analysis.evaluation import evaluate_coding
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.decisions import DEFAULT_RULE_WEIGHT
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.ingest.labels import CodedLabels
from tcs_themes.coding.model.embeddings import ENCODER_DISTRIBUTIONS, ENCODER_PACKAGES, sentence_encoder
from tcs_themes.coding.model.static_embeddings import STATIC_NAME
from tcs_themes.coding.model.model_card import ModelCard, ThemeCard, library_versions, training_data_hash


#: Named classifier settings for ``tcs-themes train --preset``. ``default``: word 1-2 n-grams plus each
#: comment's static sentence embedding (``static-minilm``: distilled from all-MiniLM-L6-v2, shipped
#: with the toolkit, NumPy only): meaning at nearly the speed of words. ``words``: word 1-2 n-grams
#: only (the default before; the fastest to train). ``accurate``: character 2-5 n-grams added, with C=0.1 (the C that
#: cross-validation inside the pxtextmining P1 training rows chose for them): more accurate on
#: real feedback, about 5x slower to train and 10x slower to code (docs/benchmarks.md). ``semantic``:
#: ``accurate`` plus each comment's sentence embedding (all-MiniLM-L6-v2, needs the ``embeddings``
#: extra): the most accurate by far on real feedback, but it codes about a hundred, not tens of
#: thousands, of comments a second. All choose between per-theme and shared thresholds inside the training
#: data (``threshold_mode="auto"``).
_ACCURATE: dict[str, Any] = {"char_ngrams": (2, 5), "C": 0.1}
PRESETS: dict[str, dict[str, Any]] = {
    "default": {"embeddings": STATIC_NAME},
    "words": {},
    "accurate": _ACCURATE,
    "semantic": {**_ACCURATE, "embeddings": "all-MiniLM-L6-v2"},
}


#: What the ``default`` preset adds when the training data gives the question each comment answers
#: (and no ``--context`` is given): the question one-hot and per-question copies of the word block at
#: 0.5, read only if that scores better on held-out rows inside the training data than without it
#: (``use_context="auto"``), so a consultation whose questions tell nothing about the themes keeps
#: the model without them. A comment with no question (emails, bare tables, training rows without one)
#: or a question unseen in training is read as the training data's average question
#: (``unknown_context="average"``), not as the training rows without a question.
QUESTION_CONTEXT: dict[str, Any] = {
    "context_columns": ("question",), "context_interactions": 0.5, "use_context": "auto", "unknown_context": "average",
}  # fmt: skip


def preset_model(
    preset: str,
    codebook: Codebook,
    context_columns: Sequence[str] = (),
    context_interactions: float = 0.0,
    question: bool = False,
) -> Any:
    """Return the unfitted classifier of a named preset (None: the coder's default classifier).

    Parameters
    ----------
    preset : str
        A key of :data:`PRESETS`.
    codebook : Codebook
    context_columns : sequence of str, default ()
        Columns besides the text the classifier reads, one-hot (e.g. ``question``).
    context_interactions : float, default 0.0
        Scale of the per-category copies of the word features (0: none); needs context columns.
    question : bool, default False
        Whether the training data gives each comment's question (a ``question`` column with
        values): the ``default`` preset, with no ``context_columns``, then adds
        :data:`QUESTION_CONTEXT` (the question read only where it helps inside the training data).

    Returns
    -------
    ThemeClassifier or None

    Raises
    ------
    ValueError
        For an unknown preset, or context interactions that are negative or without context columns.
    MissingExtraError
        For a preset that reads sentence embeddings when their packages are not installed (checked
        here, before any data is read; the encoder is loaded once per process).
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")
    if context_interactions < 0 or (context_interactions and not context_columns):
        raise ValueError(
            "context interactions must be 0 or more and need context columns "
            "(tcs-themes train: --context-interactions needs --context, e.g. --context question)"
        )
    if preset == "default" and not context_columns and not question:
        return None
    from tcs_themes.coding.model.classifier import ThemeClassifier

    context: dict[str, Any] = {}
    if context_columns:
        context = {"context_columns": tuple(context_columns), "context_interactions": context_interactions}
    elif question and preset == "default":
        context = dict(QUESTION_CONTEXT)
    if PRESETS[preset].get("embeddings") in ENCODER_PACKAGES:
        sentence_encoder(PRESETS[preset]["embeddings"])
    return ThemeClassifier(codebook=codebook, use_examples=False, **PRESETS[preset], **context)


def fold_indices(n: int, groups: Sequence[str] | None, cv: int, random_state: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return ``cv`` (train, test) index pairs: grouped by ``groups`` when there are enough groups.

    Returns
    -------
    list of (ndarray, ndarray)
    """
    index = np.arange(n)
    if groups is not None and len(set(groups)) >= cv:
        return list(GroupKFold(n_splits=cv).split(index, groups=list(groups)))
    return list(KFold(n_splits=cv, shuffle=True, random_state=random_state).split(index))


def cross_val_codes(
    coder: HybridCoder,
    texts: Sequence[str] | pd.DataFrame,
    Y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    variants: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, np.ndarray]:
    """Return out-of-fold 0/1 predictions for each variant of the coder (one fit per fold serves all).

    Parameters
    ----------
    coder : HybridCoder
        An unfitted coder (cloned for each fold).
    texts : sequence of str, or DataFrame
        The coder's input (:meth:`CodedLabels.inputs`).
    Y : ndarray of shape (n, k)
    folds : list of (train, test) index arrays
    variants : mapping of str to parameters, optional
        Name -> coding parameters that do not change the fit (``method``,
        ``rule_weight``); default ``{"hybrid": {"method": "hybrid"}}``.

    Returns
    -------
    dict of str to ndarray of shape (n, k)
    """
    variants = variants or {"hybrid": {"method": "hybrid"}}
    rows = texts.reset_index(drop=True) if isinstance(texts, pd.DataFrame) else pd.Series(list(texts), dtype=object)
    out = {name: np.zeros_like(Y, dtype=np.int8) for name in variants}
    for train, test in folds:
        fitted = clone(coder).set_params(method="hybrid").fit(_take(rows, train), Y[train])
        test_inputs = _take(rows, test)
        for name, params in variants.items():
            out[name][test] = fitted.set_params(**params).predict(test_inputs)
    return out


def _take(rows: pd.Series | pd.DataFrame, index: np.ndarray) -> list[str] | pd.DataFrame:
    """The coder's input for some rows: texts as a list, or a DataFrame with context."""
    picked = rows.iloc[index]
    return picked.reset_index(drop=True) if isinstance(picked, pd.DataFrame) else picked.tolist()


def _params(coder: HybridCoder) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return repr(value)

    params = {k: plain(v) for k, v in coder.get_params(deep=False).items() if k not in ("codebook", "model")}
    # the classifier's codebook is on the card already, and its weak labels hold comment texts
    model_params = coder.model_.get_params(deep=False)
    params["classifier"] = {k: plain(v) for k, v in model_params.items() if k not in ("codebook", "weak_labels")}
    params["classifier"]["weak_labels"] = len(model_params.get("weak_labels") or ())
    return params


def train_model(
    labels: CodedLabels,
    codebook: Codebook,
    *,
    model: Any = None,
    rule_weight: float = DEFAULT_RULE_WEIGHT,
    min_examples: int = 8,
    cv: int = 5,
    random_state: int = 0,
    training_files: Sequence[str] = (),
) -> tuple[HybridCoder, ModelCard]:
    """Train a hybrid coder on analyst codes and cross-validate it for the model card.

    Parameters
    ----------
    labels : CodedLabels
        Texts and codes, from :func:`tcs_themes.ingest.labels.read_labels`.
    codebook : Codebook
        The codebook the codes belong to.
    model : estimator, optional
        An unfitted classifier (default: ``ThemeClassifier()``).
    rule_weight, min_examples
        See :class:`HybridCoder`.
    cv : int, default 5
        Cross-validation folds for the card's figures (grouped by session when
        the labels have sessions); 0 skips cross-validation.
    random_state : int, default 0
        Seed for ungrouped folds.
    training_files : sequence of str
        The coded files, recorded on the card.

    Returns
    -------
    coder : HybridCoder
        Fitted on all the labels.
    card : ModelCard
    """
    Y = labels.Y[codebook.ids].to_numpy(dtype=np.int8)
    coder = HybridCoder(codebook, model=model, rule_weight=rule_weight, min_examples=min_examples)
    description = "not run"
    scores = None
    if cv:
        folds = fold_indices(len(labels), labels.groups, cv, random_state)
        grouped = labels.groups is not None and len(set(labels.groups)) >= cv
        description = f"{cv}-fold, " + ("folds grouped by session" if grouped else "comments shuffled") + ", hybrid method"
        predicted = cross_val_codes(coder, labels.inputs(), Y, folds)["hybrid"]
        scores = evaluate_coding(
            pd.DataFrame(Y, columns=codebook.ids), pd.DataFrame(predicted, columns=codebook.ids), codebook
        )
    coder.fit(labels.inputs(), Y)
    report = coder.weak_labels_
    thresholds = coder._thresholds()
    themes = []
    for i, theme in enumerate(codebook.themes):
        line = ThemeCard(
            theme_id=theme.id,
            name=theme.name,
            coded_examples=int(Y[:, i].sum()),
            weak_examples=report.examples.get(theme.id, 0),
            weak_rule_matches=report.rule_matches.get(theme.id, 0),
            support=int(Y[:, i].sum()),
            threshold=round(float(thresholds[i]), 4),
        )
        if scores is not None and line.support:
            row = scores.per_theme.iloc[i]
            line.precision, line.recall, line.f1 = (float(row["precision"]), float(row["recall"]), float(row["f1"]))
        themes.append(line)
    averages: dict[str, float] = {}
    if scores is not None:
        for average in ("micro", "macro"):
            for metric in ("precision", "recall", "f1"):
                averages[f"{average} {metric}"] = float(scores.averages.loc[average, metric])
    card = ModelCard(
        codebook_name=codebook.name,
        codebook_fingerprint=codebook.fingerprint(),
        training_files=[str(f) for f in training_files],
        training_hash=training_data_hash(labels.texts, Y, codebook.ids, labels.context),
        n_comments=len(labels),
        themes=themes,
        averages=averages,
        cross_validation=description,
        params=_params(coder),
        relative_cut=float(getattr(coder.model_, "relative_cut_", 0.0)),
        opening_weight=float(getattr(coder.model_, "opening_weight_", 0.0)),
        context_choice=_context_choice(coder.model_),
        versions=library_versions(
            ENCODER_DISTRIBUTIONS if getattr(coder.model_, "embeddings", None) in ENCODER_PACKAGES else ()
        ),
    )
    return coder, card


def _context_choice(model: Any) -> dict[str, Any] | None:
    """The card's record of a context chosen inside the training data (``use_context="auto"``), else None."""
    scores = getattr(model, "use_context_scores_", None)
    if not scores:
        return None
    return {
        "columns": list(model.context_columns),
        "used": bool(model.use_context_),
        "held_out_micro_macro_f1": {way: [round(float(v), 4) for v in pair] for way, pair in scores.items()},
    }
