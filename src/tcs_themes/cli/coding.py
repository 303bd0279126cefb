"""``tcs-themes train``, ``code`` and ``evaluate``: thin wrappers over the coding library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors, fail, print_problems
from tcs_themes.console import stderr, stdout

if TYPE_CHECKING:
    from tcs_themes.codebook import Codebook
    from tcs_themes.coding.stream import CodingSummary

CodebookOption = Annotated[
    Path | None,
    typer.Option("--codebook", help="Codebook YAML (default: the bundled TCS codebook).", dir_okay=False),
]
TextColumnOption = Annotated[
    str | None, typer.Option("--text-column", help="The column holding the comment text (default: detected).")
]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="SCHEDULER",
        help="Code on a Dask cluster: a scheduler address (tcp://host:8786), or local[:N] for a LocalCluster of N "
        'worker processes; the same results as one process (docs/cluster.md). Needs pip install "tcs-themes[dask]".',
    ),
]
DecisionsOption = Annotated[
    Path | None,
    typer.Option(
        "--decisions",
        help="A review decisions log (decisions.parquet from 'review apply'): its latest decision on each comment wins.",
        dir_okay=False,
    ),
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


def _warn(warnings: list[str]) -> None:
    """Print each warning as one line on stderr (escaped: a file or theme name may hold '[')."""
    for warning in warnings:
        stderr.print(f"[yellow]Warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def _skipped(skipped: dict[str, int]) -> str:
    """``"skipped: 265 rows with no codes, 1 row with no text"``, or ``"no rows skipped"``."""
    if not skipped:
        return "no rows skipped"
    parts = []
    for reason, count in skipped.items():
        verb = "with" if reason.startswith("no ") else "coded with"
        parts.append(f"{count} row{'s' if count != 1 else ''} {verb} {reason}")
    return "skipped: " + ", ".join(parts)


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
    ignore_unknown_themes: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-themes",
            help="Skip themes the codebook lacks (values and 0/1 columns) with a warning, instead of stopping; "
            "rows coded only with them are skipped.",
        ),
    ] = False,
    decisions: DecisionsOption = None,
) -> None:
    """Train a model on analyst-coded comments and write it with its model card.

    --preset semantic needs the embeddings extra: pip install "tcs-themes[embeddings]".
    """
    from tcs_themes.coding.decisions import DEFAULT_RULE_WEIGHT
    from tcs_themes.ingest.labels import read_labels
    from tcs_themes.coding.model.model_card import card_paths
    from tcs_themes.coding.model.model_io import save_model
    from tcs_themes.coding.model.training import QUESTION_CONTEXT, preset_model, train_model
    from tcs_themes.errors import UsageError

    book = _codebook(codebook)
    try:
        preset_model(preset.value, book, context or (), context_interactions)  # a bad setting fails before reading
    except ValueError as error:
        raise UsageError(str(error)) from None
    unread: list[str] = []  # coded files that could not be read: one line each, the others trained on
    try:
        labels = read_labels(
            coded_files,
            book,
            text_column=text_column,
            theme_columns=theme_column,
            context_columns=context or (),
            ignore_unknown_themes=ignore_unknown_themes,
            errors=unread,
            optional_context_columns=QUESTION_CONTEXT["context_columns"] if preset == Preset.default and not context else (),
        )
    finally:
        print_problems(errors=unread)
    model = preset_model(preset.value, book, context or (), context_interactions, question=bool(labels.context) and not context)
    if decisions is not None:
        from tcs_themes.review.log import decision_labels, read_log, with_decisions

        decided = decision_labels(read_log(decisions, missing_ok=False), book, tuple(labels.context), source=str(decisions))
        labels = with_decisions(labels, decided)
        stderr.print(f"{len(decided)} comments' codes come from review decisions in {escape(str(decisions))}.", highlight=False)
    _warn(labels.warnings)
    stderr.print(f"Training on {len(labels)} coded comments ({_skipped(labels.skipped)})...", highlight=False, soft_wrap=True)
    coder, card = train_model(
        labels,
        book,
        model=model,
        rule_weight=DEFAULT_RULE_WEIGHT if rule_weight is None else rule_weight,
        min_examples=min_examples,
        cv=cv,
        training_files=[str(p) for p in coded_files] + ([str(decisions)] if decisions is not None else []),
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
    stdout.print(f"Model: {escape(str(out))}\nCard: {escape(str(json_card))}, {escape(str(md_card))}", highlight=False)
    if unread:
        raise fail(f"{len(unread)} of the coded files could not be read (above); the model is trained on the others")


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
    decisions: DecisionsOption = None,
    dask: DaskOption = None,
) -> None:
    """Code comments against the codebook with rules and a trained model; write the coded table.

    With --dask the comments are coded on a Dask cluster and coded.parquet is a
    Parquet dataset (a folder of part files); pip install "tcs-themes[dask]".
    """
    from tcs_themes.coding.model.model_io import CODER_METHODS, coder_for
    from tcs_themes.coding.stream import code_files, count_rows
    from tcs_themes.errors import UsageError
    from tcs_themes.schema import CODE_SOURCE_ANALYST

    if method not in CODER_METHODS:
        raise UsageError(f"--method must be one of {', '.join(CODER_METHODS)}, not '{method}'")
    book = _codebook(codebook)
    total = count_rows(paths)
    if dask is not None:
        summary = _code_on_dask(dask, paths, out, book, model, method, batch_size, workers, text_column, decisions, total)
    else:
        coder = coder_for(book, model, method=method, batch_size=batch_size)
        with coding_progress(total) as advance:
            summary = code_files(
                paths,
                out,
                coder,
                batch_size=batch_size,
                workers=workers,
                text_column=text_column,
                progress=advance,
                decisions=decisions,
            )
    print_problems(errors=summary.errors, warnings=[n for n in summary.notices if n not in summary.errors])
    table = Table(title=f"Coded with method '{method}'")
    table.add_column("comments", justify="right")
    table.add_column("coded", justify="right")
    table.add_column("uncoded", justify="right")
    table.add_column("low confidence", justify="right")
    table.add_column("themes per coded comment", justify="right")
    table.add_column("analyst's codes", justify="right")
    table.add_row(
        str(summary.comments), str(summary.coded), str(summary.uncoded), str(summary.low_confidence),
        f"{summary.mean_themes:.2f}", str(summary.code_sources.get(CODE_SOURCE_ANALYST, 0)),
    )  # fmt: skip
    stdout.print(table)
    if decisions is not None:
        stdout.print(f"{summary.reviewed} comments' codes come from review decisions", highlight=False)
    top = Table(title="Most common themes")
    top.add_column("theme")
    top.add_column("comments", justify="right")
    for theme, count in list(summary.ranked().items())[:10]:
        top.add_row(theme, str(count))
    stdout.print(top)
    stdout.print("Wrote " + ", ".join(str(p) for p in summary.outputs.values()), markup=False, highlight=False)
    if summary.errors:
        raise typer.Exit(code=1)


@contextmanager
def coding_progress(total: int | None) -> Iterator[Callable[[int], None]]:
    """Show the coding progress bar on stderr; yield the callback that advances it by a number of comments."""
    columns = [SpinnerColumn(), TextColumn("Coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("code", total=total)
        yield lambda n: progress.advance(task, n)


def _code_on_dask(  # noqa: PLR0913 - the code command's options, passed on
    scheduler: str, paths: list[Path], out: Path, book: Codebook, model: Path | None, method: str,
    batch_size: int, workers: int, text_column: str | None, decisions: Path | None, total: int | None,
) -> CodingSummary:
    """``code --dask``: connect (or start a LocalCluster), say which cluster, code with the bar advancing as
    Dask reports each partition done."""
    from tcs_themes.coding.dask_cluster import coder_recipe, connect, describe
    from tcs_themes.errors import UsageError

    if workers != 1:
        raise UsageError("--workers and --dask do not go together: the Dask cluster's workers code in parallel")
    with connect(scheduler) as client:
        from tcs_themes.coding.dask_files import code_files_on_dask

        stderr.print(escape(describe(client)), highlight=False)
        recipe = coder_recipe(book, model, method, batch_size)
        with coding_progress(total) as advance:
            return code_files_on_dask(paths, out, client, recipe, batch_size=batch_size, text_column=text_column,
                                      progress=advance, decisions=decisions)  # fmt: skip


@app.command()
@clean_errors
def evaluate(
    human_file: Annotated[Path, typer.Argument(help="The analyst-coded file (the reference).")],
    machine_file: Annotated[
        str | None,
        typer.Argument(
            help="A machine-coded table to compare (default: code the texts with --model); FILE:COLUMN reads another "
            "theme column, e.g. coded.parquet:machine_themes (the machine's own codes beside an analyst's)."
        ),
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
    ignore_unknown_themes: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-themes",
            help="Skip the analyst's themes the codebook lacks instead of stopping (rows coded only with them are left out).",
        ),
    ] = False,
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
        ignore_unknown_themes=ignore_unknown_themes,
    )
    _warn(result.warnings)
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
        stdout.print("Wrote " + ", ".join(str(p) for p in write_evaluation(result, out)), markup=False, highlight=False)
