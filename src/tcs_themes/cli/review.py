"""``tcs-themes review export`` and ``review apply``: thin wrappers over :mod:`tcs_themes.review`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.cli.coding import CodebookOption, _codebook
from tcs_themes.console import stderr, stdout

review_app = typer.Typer(
    help="Review the machine's codes in Excel and apply the decisions, with an audit trail (docs/review.md).",
    no_args_is_help=True,
)
app.add_typer(review_app, name="review")


class Strategy(str, Enum):
    """The ``--strategy`` choices (see ``tcs_themes.review.queue``)."""

    active = "active"
    uncertain = "uncertain"
    disagree = "disagree"
    uncoded = "uncoded"
    random = "random"


@review_app.command("export")
@clean_errors
def export_command(
    coded: Annotated[Path, typer.Argument(help="The coded table (coded.parquet or coded.csv).", dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="The review workbook to write (.xlsx).", dir_okay=False)],
    n: Annotated[int, typer.Option("--n", help="Comments to queue.")] = 200,
    strategy: Annotated[
        Strategy,
        typer.Option(
            help="active: near the thresholds or an unusual number of themes, kept diverse, uncoded ones mixed in; "
            "uncertain: nearest the thresholds; disagree: analyst codes unlike the machine's; uncoded; random."
        ),
    ] = Strategy.active,
    seed: Annotated[int, typer.Option(help="Seed of the random strategy.")] = 0,
    codebook: CodebookOption = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="The model that coded the table (default: the bundled one).", dir_okay=False)
    ] = None,
) -> None:
    """Write a review workbook of the comments most worth an analyst's look."""
    from tcs_themes.review.export import export_review

    result = export_review(coded, out, _codebook(codebook), model=model, n=n, strategy=strategy.value, seed=seed)
    who = {"machine": "by the machine", "analyst": "by an analyst", "review": "by a review"}
    queued = ", ".join(f"{count} coded {who.get(source, source)}" for source, count in result.queued_by_source.items())
    uncoded = f" ({result.uncoded} of them left uncoded)" if result.uncoded else ""
    stdout.print(
        f"Queued {result.rows} of {result.eligible} comments ({strategy.value}): {escape(queued or 'none')}{uncoded}",
        highlight=False, soft_wrap=True,
    )  # fmt: skip
    stdout.print(f"Review batch {result.batch_id}", highlight=False)
    stdout.print(f"Wrote {escape(str(result.path))}", highlight=False, soft_wrap=True)


@review_app.command("apply")
@clean_errors
def apply_command(
    review: Annotated[Path, typer.Argument(help="The filled-in review workbook (.xlsx).", dir_okay=False)],
    coded: Annotated[Path, typer.Option("--coded", help="The coded table it was exported from.", dir_okay=False)],
    reviewer: Annotated[str | None, typer.Option(help="Reviewer name for rows whose reviewer cell is empty.")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the corrected coded table (default: the coded table's folder).", file_okay=False),
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option("--log", help="The decisions log, .parquet (default: decisions.parquet in the output folder).", dir_okay=False),
    ] = None,
    codebook: CodebookOption = None,
) -> None:
    """Apply review decisions: append them to the decisions log and write the corrected coded table."""
    from tcs_themes.review.apply import apply_review

    result = apply_review(review, coded, _codebook(codebook), reviewer=reviewer, out_dir=out, log_path=log)
    for problem in result.problems:
        stderr.print(f"[yellow]Row refused:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    table = Table(title=f"Review batch {result.batch_id}", show_header=False)
    table.add_row("Rows in the workbook", str(result.rows))
    decided = ", ".join(f"{count} {name}" for name, count in sorted(result.by_decision.items()))
    table.add_row("Applied", f"{result.applied}" + (f" ({decided}; {result.changed} changed the themes)" if decided else ""))
    table.add_row("Unchanged", f"{result.unchanged} ({result.skipped} without a decision, {result.already_applied} already applied)")
    table.add_row("Refused (see above)", str(len(result.problems)))
    table.add_row("Comments coded by review, all batches", str(result.reviewed_in_table))
    table.add_row("Decisions in the log", str(result.log_rows))
    stdout.print(table)
    for key in ("parquet", "csv", "uncoded", "log", "log_csv"):
        stdout.print(f"Wrote {escape(str(result.outputs[key]))}", highlight=False, soft_wrap=True)
    if result.problems:
        raise typer.Exit(code=1)
