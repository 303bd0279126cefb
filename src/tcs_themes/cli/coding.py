"""``tcs-themes train``, ``code`` and ``evaluate``: thin wrappers over the coding library."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.console import stderr, stdout

CodebookOption = Annotated[
    Path | None,
    typer.Option("--codebook", help="Codebook YAML (default: the bundled TCS codebook).", dir_okay=False),
]
TextColumnOption = Annotated[
    str | None, typer.Option("--text-column", help="The column holding the comment text (default: detected).")
]



class Preset(str, Enum):
    """The ``--preset`` choices of ``train`` (see ``tcs_themes.coding.model.training.PRESETS``)."""

    default = "default"
    words = "words"
    accurate = "accurate"
    semantic = "semantic"


def _codebook(path: Path | None):  # noqa: ANN202 - returns a Codebook
    from tcs_themes.codebook import load_codebook

    return load_codebook(path)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@app.command()
@clean_errors
def train(
    coded_files: Annotated[list[Path], typer.Argument(help="Analyst-coded .xlsx, .csv or .parquet files.")],
    out: Annotated[Path, typer.Option("--out", help="The model file to write (.skops); the card goes beside it.")],
    codebook: CodebookOption = None,
    text_column: TextColumnOption = None,
    theme_column: Annotated[
        list[str] | None,
        typer.Option("--theme-column", help="A theme column (main, list or 0/1); repeat for several. Default: detected."),
    ] = None,
    min_examples: Annotated[
        int, typer.Option(help="Themes with fewer coded examples get weak labels from the codebook and rules.")
    ] = 8,
    rule_weight: Annotated[
        float | None,
        typer.Option(help="How much a rule match adds to a theme's hybrid score (default: 0.15, see docs/coding.md)."),
    ] = None,
    cv: Annotated[int, typer.Option(help="Cross-validation folds for the model card (0: skip).")] = 5,
    preset: Annotated[
        Preset,
        typer.Option(
            help="Classifier features: default (word n-grams + static sentence embeddings: meaning, fast), "
            "words (word n-grams only, the fastest), accurate (+ character n-grams, slower) or "
            'semantic (+ sentence embeddings: most accurate, codes ~100 comments a second; pip install "tcs-themes[embeddings]").'
        ),
    ] = Preset.default,
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            help="A column besides the text for the model to read, e.g. question; repeat for several. "
            "Files to code then need it too.",
        ),
    ] = None,
    context_interactions: Annotated[
        float,
        typer.Option(
            help="With --context: also copy the word features once per context value, at this scale "
            "(e.g. 1.0; 0: no copies). Slower to train, often more accurate (docs/classifier.md).",
        ),
    ] = 0.0,
) -> None:
    """Train a model on analyst-coded comments and write it with its model card."""
    from tcs_themes.coding.decisions import DEFAULT_RULE_WEIGHT
    from tcs_themes.ingest.labels import read_labels
    from tcs_themes.coding.model.model_card import card_paths
    from tcs_themes.coding.model.model_io import save_model
    from tcs_themes.coding.model.training import preset_model, train_model
    from tcs_themes.errors import UsageError

    book = _codebook(codebook)
    try:
        model = preset_model(preset.value, book, context or (), context_interactions)
    except ValueError as error:
        raise UsageError(str(error)) from None
    labels = read_labels(
        coded_files, book, text_column=text_column, theme_columns=theme_column, context_columns=context or ()
    )
    stderr.print(f"Training on {len(labels)} coded comments ({labels.n_skipped} rows without codes skipped)...")
    coder, card = train_model(
        labels,
        book,
        model=model,
        rule_weight=DEFAULT_RULE_WEIGHT if rule_weight is None else rule_weight,
        min_examples=min_examples,
        cv=cv,
        training_files=[str(p) for p in coded_files],
    )
    save_model(coder, out, card)
    table = Table(title=f"Model card ({card.cross_validation})")
    for name in ("theme", "coded", "weak labels", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name in ("theme", "weak labels") else "right")
    for theme in card.themes:
        weak = f"{theme.weak_examples} ex + {theme.weak_rule_matches} rule" if theme.weak_labels else ""
        table.add_row(
            theme.theme_id, str(theme.coded_examples), weak, _fmt(theme.precision), _fmt(theme.recall), _fmt(theme.f1)
        )
    stdout.print(table)
    if card.averages:
        stdout.print(", ".join(f"{k} {v:.3f}" for k, v in card.averages.items()))
    json_card, md_card = card_paths(out)
    stdout.print(f"Model: {out}\nCard: {json_card}, {md_card}")


@app.command()
@clean_errors
def code(
    paths: Annotated[list[Path], typer.Argument(help="Raw inputs (spreadsheets, emails) or an ingested .csv/.parquet table.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for coded.csv, coded.parquet and uncoded.csv.", file_okay=False)],
    codebook: CodebookOption = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="A .skops model (default: the bundled sample model).", dir_okay=False)
    ] = None,
    method: Annotated[
        str, typer.Option(help="hybrid, rules, model, or codebook (rules + similarity to the codebook; no model).")
    ] = "hybrid",
    batch_size: Annotated[int, typer.Option(help="Comments coded at a time (results do not depend on it).")] = 5000,
    workers: Annotated[int, typer.Option(help="Worker processes coding batches in parallel.")] = 1,
    text_column: TextColumnOption = None,
) -> None:
    """Code comments against the codebook with rules and a trained model; write the coded table."""
    from tcs_themes.coding.model.model_io import CODER_METHODS, coder_for
    from tcs_themes.coding.stream import code_files, count_rows
    from tcs_themes.errors import UsageError

    if method not in CODER_METHODS:
        raise UsageError(f"--method must be one of {', '.join(CODER_METHODS)}, not '{method}'")
    coder = coder_for(_codebook(codebook), model, method=method, batch_size=batch_size)
    total = count_rows(paths)
    columns = [SpinnerColumn(), TextColumn("Coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("code", total=total)
        summary = code_files(
            paths,
            out,
            coder,
            batch_size=batch_size,
            workers=workers,
            text_column=text_column,
            progress=lambda n: progress.advance(task, n),
        )
    for notice in summary.notices:
        stderr.print(f"[yellow]Note:[/] {notice}", highlight=False, soft_wrap=True)
    table = Table(title=f"Coded with method '{method}'")
    table.add_column("comments", justify="right")
    table.add_column("coded", justify="right")
    table.add_column("uncoded", justify="right")
    table.add_column("low confidence", justify="right")
    table.add_column("themes per coded comment", justify="right")
    table.add_row(
        str(summary.comments), str(summary.coded), str(summary.uncoded), str(summary.low_confidence),
        f"{summary.mean_themes:.2f}",
    )  # fmt: skip
    stdout.print(table)
    top = Table(title="Most common themes")
    top.add_column("theme")
    top.add_column("comments", justify="right")
    for theme, count in list(summary.ranked().items())[:10]:
        top.add_row(theme, str(count))
    stdout.print(top)
    stdout.print("Wrote " + ", ".join(str(p) for p in summary.outputs.values()))
    if summary.errors:
        raise typer.Exit(code=1)


@app.command()
@clean_errors
def evaluate(
    human_file: Annotated[Path, typer.Argument(help="The analyst-coded file (the reference).")],
    machine_file: Annotated[
        Path | None, typer.Argument(help="A machine-coded table to compare (default: code the texts with --model).")
    ] = None,
    codebook: CodebookOption = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="A .skops model (default: the bundled sample model).", dir_okay=False)
    ] = None,
    method: Annotated[str, typer.Option(help="hybrid, rules or model (when coding with --model).")] = "hybrid",
    out: Annotated[Path | None, typer.Option("--out", help="Write the tables to .xlsx or .csv.")] = None,
    text_column: TextColumnOption = None,
    theme_column: Annotated[
        list[str] | None, typer.Option("--theme-column", help="The analyst file's theme column(s). Default: detected.")
    ] = None,
) -> None:
    """Compare machine codes with an analyst's: precision, recall, F1, kappa and confused themes."""
    from tcs_themes.analysis.evaluate_files import evaluate_files, write_evaluation
    from tcs_themes.coding.model.model_io import coder_for

    book = _codebook(codebook)
    coder = None
    if machine_file is None:
        coder = coder_for(book, model, method=method)
    result = evaluate_files(
        human_file,
        book,
        machine_path=machine_file,
        coder=coder,
        text_column=text_column,
        theme_columns=theme_column,
    )
    table = Table(title=f"Per theme ({result.n_comments} comments)")
    for name in ("theme", "precision", "recall", "F1", "support", "predicted", "kappa"):
        table.add_column(name, justify="left" if name == "theme" else "right")
    for row in result.per_theme.itertuples():
        table.add_row(
            row.theme_id, _fmt(row.precision), _fmt(row.recall), _fmt(row.f1), str(row.support), str(row.predicted), _fmt(row.kappa)
        )
    stdout.print(table)
    averages = Table(title="Averages")
    for name in ("", "precision", "recall", "F1", "kappa"):
        averages.add_column(name, justify="left" if not name else "right")
    for name, row in result.averages.iterrows():
        averages.add_row(str(name), *(("-" if v != v else f"{v:.3f}") for v in row[["precision", "recall", "f1", "kappa"]]))
    stdout.print(averages)
    confusions = Table(title="Most confused themes (analyst's theme missed, machine's theme given instead)")
    for name in ("analyst theme", "machine theme", "comments"):
        confusions.add_column(name, justify="right" if name == "comments" else "left")
    for row in result.confusions.itertuples():
        confusions.add_row(row.analyst_theme, row.machine_theme, str(row.comments))
    stdout.print(confusions)
    if out is not None:
        stdout.print("Wrote " + ", ".join(str(p) for p in write_evaluation(result, out)))
