"""``tcs-themes run``: the main job, from raw feedback to the published outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.console import stderr, stdout


@app.command("run")
@clean_errors
def run_command(
    inputs: Annotated[list[Path], typer.Argument(help="Session notes and emails: files, folders or globs.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder, e.g. data/coded.", file_okay=False)],
    codebook: Annotated[Path | None, typer.Option(help="Codebook YAML or .qdc (default: the bundled one).")] = None,
    model: Annotated[Path | None, typer.Option(help="A .skops model (default: the bundled one).")] = None,
    method: Annotated[str, typer.Option(help="hybrid, rules or model.")] = "hybrid",
    settings: Annotated[Path | None, typer.Option(help="Project settings (default: tcs-themes.yaml of an input folder).")] = None,
    workers: Annotated[int, typer.Option(help="Processes coding in parallel.")] = 1,
) -> None:
    """Ingest, code, count, export and report: the whole job in one command.

    Writes into OUT: comments.parquet and ingest-log.csv, coded.csv,
    coded.parquet and uncoded.csv, theme-counts.xlsx, charts/, report.html
    and report.docx.
    """
    from tcs_themes.pipeline import run_pipeline

    columns = [SpinnerColumn(), TextColumn("Coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task("code", total=None)
        result = run_pipeline(
            inputs, out, codebook=codebook, model=model, method=method, settings=settings, workers=workers,
            progress=lambda n: bar.advance(task, n),
        )
    for message in [*result.ingested.errors, *result.ingested.warnings]:
        stderr.print(f"[yellow]Note:[/] {message}", highlight=False, soft_wrap=True)
    files = result.ingested.files
    summary = Table(title="tcs-themes run", show_header=False)
    summary.add_row("Files read", f"{len(files)} ({int(files['error'].notna().sum())} failed)")
    summary.add_row("Comments", str(result.coding.comments))
    summary.add_row("Coded", str(result.coding.coded))
    summary.add_row("Uncoded", str(result.coding.uncoded))
    summary.add_row("Low confidence (review first)", str(result.coding.low_confidence))
    summary.add_row("Themes per coded comment", f"{result.coding.mean_themes:.2f}")
    summary.add_row("Rows logged, not coded", str(len(result.ingested.log)))
    stdout.print(summary)
    for name in ("coded_csv", "uncoded", "workbook", "html", "docx"):
        if name in result.outputs:
            stdout.print(f"Wrote {result.outputs[name]}", highlight=False, soft_wrap=True)
    stdout.print(f"Charts in {out / 'charts'}", highlight=False)
    if result.ingested.errors:
        raise typer.Exit(code=1)
