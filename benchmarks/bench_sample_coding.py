"""How well the sample consultation is coded: rules alone, model alone and hybrid, cross-validated.

Reads the analyst-coded sessions of the sample (``data/raw/notes/``), splits
them into 5 folds grouped by session (a session's comments are never in both
the training and the test fold), trains on 4 folds and codes the fifth with
each method, and scores the out-of-fold codes against the analyst's with
:func:`tcs_themes.analysis.evaluation.evaluate_coding`. It also reports the
hybrid method for a few values of ``rule_weight`` and with the classifier of
each ``tcs-themes train --preset``.

Writes the ``sample-coding`` section of docs/benchmarks.md. To compare only some candidate models
in the hybrid coder (no method tables, baseline, rules-only rows or held-out test), name them; that
writes the ``sample-coding-candidates`` section instead. Usage::

    python benchmarks/bench_sample_coding.py
    python benchmarks/bench_sample_coding.py --candidates "preset default" "preset words"
    python benchmarks/bench_sample_coding.py --list
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import build_sample  # noqa: E402
from _baseline import BASELINE_NAME, baseline_decide, fit_baseline  # noqa: E402
from _ensemble import MeanOfWordsAndMeaning  # noqa: E402
from _report import write_section  # noqa: E402

from tcs_themes.analysis.evaluation import evaluate_coding  # noqa: E402
from tcs_themes.codebook import load_codebook  # noqa: E402
from tcs_themes.coding.hybrid import HybridCoder  # noqa: E402
from tcs_themes.coding.coded_table import themes_matrix  # noqa: E402
from tcs_themes.ingest.labels import labels_from_frame, read_labels  # noqa: E402
from tcs_themes.coding.model.classifier import ThemeClassifier  # noqa: E402
from tcs_themes.coding.model.model_io import codebook_coder, load_model  # noqa: E402
from tcs_themes.errors import MissingExtraError  # noqa: E402
from tcs_themes.coding.model.training import (  # noqa: E402
    PRESETS, QUESTION_CONTEXT, cross_val_codes, fold_indices, preset_model,
)

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "data" / "raw" / "notes"
METHODS = ("rules", "model", "hybrid")
RULE_WEIGHTS = (0.0, 0.15, 0.3, 0.5)


def held_out(codebook):  # noqa: ANN001, ANN201 - a Codebook -> an Evaluation
    """Score the default model on the sessions the analyst had not coded (codes from the authoring files)."""
    sessions = build_sample.load_sessions(ROOT / "scripts" / "sample_source")
    rows = [
        {"session": sid, "text": c["text"], "theme": c["theme"], "further themes": "; ".join(c.get("also") or [])}
        for sid, comments in sessions.items()
        if sid not in build_sample.CODED_SESSIONS
        for c in comments
    ]
    labels = labels_from_frame(pd.DataFrame(rows), codebook, source="held-out sessions")
    codes = load_model(None, codebook).code(labels.texts)
    machine = pd.DataFrame(themes_matrix(codes, codebook.ids), columns=codebook.ids)
    return evaluate_coding(labels.Y, machine, codebook), len(labels), len(set(labels.groups or []))


#: Classifiers compared as the hybrid coder's model beside each ``tcs-themes train --preset`` (``estimator``: the
#: model class, default ``ThemeClassifier``).
EXTRA_CANDIDATES = {
    "preset default, no relative cut (`relative_cut=0`: the default before the cut)": {
        "embeddings": "static-minilm", "relative_cut": 0.0,
    },
    "preset default, first sentence off (`opening_weight=0`: the default before it)": {
        "embeddings": "static-minilm", "opening_weight": 0.0,
    },
    "accurate + static embeddings": {"char_ngrams": (2, 5), "C": 0.1, "embeddings": "static-minilm"},
    "preset default, question off (the default before it reads the question)": {"embeddings": "static-minilm"},
    "preset default, a blank or unseen question read as no question (the default before `unknown_context`)": {
        "embeddings": "static-minilm", **QUESTION_CONTEXT, "unknown_context": "blank",
    },
    "preset default, question always read (`use_context=True`)": {
        "embeddings": "static-minilm", **QUESTION_CONTEXT, "use_context": True,
    },
    "words model and static-embedding model, probabilities averaged": {"estimator": MeanOfWordsAndMeaning},
}


def candidates(codebook, names: list[str] | None = None, question: bool = False) -> dict:  # noqa: ANN001
    """Each preset's classifier as ``tcs-themes train`` makes it (None: the coder's default; presets whose extra is
    missing are left out; ``question``: the training data gives the question) and the extra candidates;
    ``names``: those only."""
    found = {}
    for preset in PRESETS:
        if names is not None and f"preset {preset}" not in names:
            continue
        try:
            found[f"preset {preset}"] = preset_model(preset, codebook, question=question)
        except MissingExtraError:
            print(f"preset {preset}: left out, its extra is not installed", file=sys.stderr)
    for name, params in EXTRA_CANDIDATES.items():
        if names is not None and name not in names:
            continue
        params = dict(params)
        estimator = params.pop("estimator", ThemeClassifier)
        found[name] = estimator(codebook=codebook, use_examples=False, **params)
    return found


def _figures(human: pd.DataFrame, given: np.ndarray, codebook, primary: list[str], main: list[str]) -> dict:  # noqa: ANN001
    """micro-F1/precision, macro-F1, kappa, and main-theme agreement with the analyst, of out-of-fold codes."""
    averages = evaluate_coding(human, pd.DataFrame(given, columns=codebook.ids), codebook).averages
    return {
        "micro F1": averages.loc["micro", "f1"],
        "micro P": averages.loc["micro", "precision"],
        "macro F1": averages.loc["macro", "f1"],
        "kappa": averages.loc["all theme decisions", "kappa"],
        "main theme": float(np.mean([a == b for a, b in zip(primary, main, strict=True)])),
        "uncoded": float(np.mean(given.sum(axis=1) == 0)),
    }


def compare_candidates(codebook, labels, folds, names: list[str] | None = None) -> list[str]:  # noqa: ANN001
    """Cross-validate each candidate model in the hybrid coder and the plain baseline on the same folds.

    Each candidate codes every test fold twice: as ``code`` does (a comment of four or more words
    no theme reaches gets its most probable theme, flagged low confidence) and with such comments
    left uncoded (``every_comment=False``). The main theme is ``primary_theme`` (the analyst's:
    the notes' main-theme column). ``names``: only these candidates, without the baseline and the
    coding with no model.
    """
    human = labels.Y[codebook.ids]
    Y = human.to_numpy()
    texts = np.array(labels.texts, dtype=object)
    inputs = pd.DataFrame({"text": labels.texts, **{k: v or [""] * len(labels) for k, v in labels.context.items()}})
    blank = (inputs["question"] == "").to_numpy() if "question" in inputs else np.ones(len(inputs), dtype=bool)
    rows = []
    for name, model in candidates(codebook, names, question=bool(labels.context)).items():
        started = time.perf_counter()
        out = {flag: (np.zeros_like(Y), np.empty(len(Y), dtype=object)) for flag in (True, False)}
        low = np.zeros(len(Y), dtype=bool)
        for train, test in folds:
            coder = HybridCoder(codebook, model=model).fit(inputs.iloc[train], Y[train])
            chosen = {"relative cut": "relative_cut_", "opening weight": "opening_weight_", "question read": "use_context_"}
            print(f"{name}: " + ", ".join(f"{what} {getattr(coder.model_, attribute, None)}"
                                          for what, attribute in chosen.items()), file=sys.stderr, flush=True)
            for flag in (True, False):
                coded = coder.set_params(every_comment=flag).code(inputs.iloc[test])
                out[flag][0][test] = themes_matrix(coded, codebook.ids)
                out[flag][1][test] = coded["primary_theme"].to_numpy(dtype=object)
                if flag:
                    low[test] = coded["low_confidence"].to_numpy(dtype=bool)
        seconds = time.perf_counter() - started
        for flag in (True, False):
            figures = _figures(human, out[flag][0], codebook, labels.primary, list(out[flag][1]))
            figures["low confidence"] = float(low.mean()) if flag else 0.0
            label = name + ("" if flag else ", comments no theme reaches left uncoded")
            rows.append((label, figures, seconds))
            if flag and names is not None and not blank.all() and blank.any():
                # the comments that answer no question (as emails do), and the others, coded as `code` does
                for rows_of, what in ((blank, "with no question"), (~blank, "with a question")):
                    part = _figures(human[rows_of].reset_index(drop=True), out[flag][0][rows_of], codebook,
                                    [p for p, b in zip(labels.primary, rows_of) if b], list(out[flag][1][rows_of]))
                    part["low confidence"] = float(low[rows_of].mean())
                    rows.append((f"{name}: only the {int(rows_of.sum())} comments {what}", part, seconds))
            log_line = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
            print(f"{label}: {log_line} ({seconds:.0f} s)", file=sys.stderr, flush=True)
    if names is not None:
        return _candidate_table(rows, "Candidate models in the hybrid coder, on the same session-grouped folds")
    started = time.perf_counter()
    given, main, notes = np.zeros_like(Y), np.empty(len(Y), dtype=object), []
    for train, test in folds:
        model, note = fit_baseline(texts[train].tolist(), Y[train], multi_label=True)
        proba = model.predict_proba(texts[test].tolist())
        given[test] = baseline_decide(proba)
        main[test] = np.array(codebook.ids, dtype=object)[proba.argmax(axis=1)]
        notes.append(note)
    rows.append((BASELINE_NAME, {**_figures(human, given, codebook, labels.primary, list(main)), "low confidence": 0.0},
                 time.perf_counter() - started))  # fmt: skip
    for name, coder in (("rules alone (no model)", HybridCoder(codebook, method="rules")),
                        ("codebook only: rules + similarity to the codebook (no model, `--method codebook`)",
                         codebook_coder(codebook))):  # fmt: skip
        started = time.perf_counter()
        coded = coder.code(labels.texts)
        figures = _figures(human, themes_matrix(coded, codebook.ids), codebook, labels.primary, coded["primary_theme"].tolist())
        figures["low confidence"] = float(coded["low_confidence"].mean())
        rows.append((name, figures, time.perf_counter() - started))
        print(f"{name}: {figures}", file=sys.stderr, flush=True)
    return _candidate_table(
        rows,
        "Candidate models in the hybrid coder (each `tcs-themes train --preset`, whose extra is installed, and more), "
        "the plain baseline, on the same session-grouped folds, and coding with no model (rules alone; the codebook "
        "only) on all the comments",
        "; the baseline's C chosen by 3-fold CV inside each training fold: " + "; ".join(notes),
    )


def _candidate_table(rows: list, what: str, more: str = "") -> list[str]:
    """The candidates' table: one row per (name, figures, seconds)."""
    columns = ("micro F1", "micro P", "macro F1", "kappa", "main theme", "uncoded", "low confidence")
    return [
        f"{what} (main theme: the coded table's `primary_theme` against the analyst's main theme; uncoded and low "
        f"confidence: shares of all comments{more}):",
        "",
        "| model | " + " | ".join(columns) + " | seconds |",
        "|---|" + "---:|" * (len(columns) + 1),
        *(
            f"| {name} | " + " | ".join(f"{figures[c]:.3f}" for c in columns) + f" | {seconds:.0f} |"
            for name, figures, seconds in rows
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", nargs="+", metavar="NAME", help="compare only these candidates (see --list)")
    parser.add_argument("--list", action="store_true", help="list the candidates and stop")
    args = parser.parse_args()
    codebook = load_codebook()
    known = [f"preset {preset}" for preset in PRESETS] + list(EXTRA_CANDIDATES)
    if args.list:
        print("\n".join(known))
        return
    unknown = [name for name in args.candidates or () if name not in known]
    if unknown:
        parser.error(f"unknown candidate(s) {', '.join(map(repr, unknown))}; see --list")
    files = sorted(p for p in NOTES.iterdir() if p.suffix in (".xlsx", ".csv"))
    labels = read_labels(NOTES, codebook, optional_context_columns=QUESTION_CONTEXT["context_columns"])
    Y = labels.Y[codebook.ids].to_numpy()
    folds = fold_indices(len(labels), labels.groups, cv=5)
    print(f"{len(labels)} coded comments in {len(set(labels.groups or []))} sessions; 5 folds by session")
    if args.candidates:
        started = time.perf_counter()
        table = compare_candidates(codebook, labels, folds, args.candidates)
        markdown = "\n".join([
            "## Sample consultation coding: some candidates (`benchmarks/bench_sample_coding.py --candidates`)",
            "",
            f"{len(labels)} analyst-coded comments of the sample, 5-fold cross-validation with folds grouped by "
            f"session, the hybrid coder as `code` runs it; only the candidates named ({time.perf_counter() - started:.0f} s "
            "in all). The full run's section is `sample-coding`.",
            "",
            *table,
        ])  # fmt: skip
        print(markdown)
        print(f"wrote {write_section('sample-coding-candidates', markdown)}")
        return
    started = time.perf_counter()
    coder = HybridCoder(codebook)
    variants = {m: {"method": m, "rule_weight": coder.rule_weight} for m in METHODS}
    variants.update({f"hybrid {w}": {"method": "hybrid", "rule_weight": w} for w in RULE_WEIGHTS})
    predicted = cross_val_codes(coder, labels.texts, Y, folds, variants)
    seconds = time.perf_counter() - started
    human = pd.DataFrame(Y, columns=codebook.ids)
    scored = {
        name: evaluate_coding(human, pd.DataFrame(codes, columns=codebook.ids), codebook)
        for name, codes in predicted.items()
    }
    results = {m: scored[m] for m in METHODS}
    weights = {w: scored[f"hybrid {w}"].averages for w in RULE_WEIGHTS}

    lines = [
        "## Sample consultation coding (`benchmarks/bench_sample_coding.py`)",
        "",
        f"{len(labels)} analyst-coded comments of the sample ({len(files)} notes files, "
        f"{len(set(labels.groups or []))} sessions); 5-fold cross-validation with folds grouped by "
        f"session; each fold's model trained on the other four (weak labels included), "
        f"{seconds:.0f} s in all; hybrid with rule_weight {coder.rule_weight}. Out-of-fold codes scored against the analyst's.",
        "",
        "| average | " + " | ".join(f"{m} P | {m} R | {m} F1" for m in METHODS) + " |",
        "|---|" + "---:|" * (3 * len(METHODS)),
    ]
    for average in ("micro", "macro", "samples"):
        cells = []
        for method in METHODS:
            row = results[method].averages.loc[average]
            cells += [f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}"]
        lines.append(f"| {average} | " + " | ".join(cells) + " |")
    kappas = " / ".join(
        f"{m} {results[m].averages.loc['all theme decisions', 'kappa']:.2f}" for m in METHODS
    )
    lines += ["", f"Cohen's kappa over all theme decisions: {kappas}.", ""]
    lines += [
        "| theme | support | " + " | ".join(f"{m} P | {m} R | {m} F1" for m in METHODS) + " |",
        "|---|---:|" + "---:|" * (3 * len(METHODS)),
    ]
    tables = {m: results[m].per_theme.set_index("theme_id") for m in METHODS}
    for theme_id in codebook.ids:
        cells = []
        for method in METHODS:
            row = tables[method].loc[theme_id]
            cells += [f"{row['precision']:.2f}", f"{row['recall']:.2f}", f"{row['f1']:.2f}"]
        lines.append(f"| {theme_id} | {tables['rules'].loc[theme_id, 'support']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Hybrid method by `rule_weight` (how much one rule match adds to a theme's score):",
        "",
        "| rule_weight | micro F1 | macro F1 | micro P | micro R |",
        "|---:|---:|---:|---:|---:|",
    ]
    for weight, averages in weights.items():
        lines.append(
            f"| {weight} | {averages.loc['micro', 'f1']:.2f} | {averages.loc['macro', 'f1']:.2f} | "
            f"{averages.loc['micro', 'precision']:.2f} | {averages.loc['micro', 'recall']:.2f} |"
        )
    lines += ["", *compare_candidates(codebook, labels, folds)]
    evaluation, n_held, n_sessions = held_out(codebook)
    averages = evaluation.averages
    lines += [
        "",
        f"The shipped default model (trained on all {len(labels)} coded comments) on the {n_held} comments of "
        f"the {n_sessions} sessions the analyst had not coded, whose codes are only in the sample's authoring "
        "files (a held-out test):",
        "",
        "| average | precision | recall | F1 |",
        "|---|---:|---:|---:|",
        *(
            f"| {a} | {averages.loc[a, 'precision']:.2f} | {averages.loc[a, 'recall']:.2f} | {averages.loc[a, 'f1']:.2f} |"
            for a in ("micro", "macro", "samples")
        ),
        "",
        f"Cohen's kappa over all theme decisions: {averages.loc['all theme decisions', 'kappa']:.2f}.",
    ]
    markdown = "\n".join(lines)
    print(markdown)
    print(f"wrote {write_section('sample-coding', markdown)}")


if __name__ == "__main__":
    main()
