"""``tcs-themes run``: the main job, from raw feedback to the published outputs."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import DateOpt, app, clean_errors, print_problems
from tcs_themes.cli.coding import DaskOption, coding_progress
from tcs_themes.console import stderr, stdout
from tcs_themes.errors import NoCommentsError, UsageError


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
    date: DateOpt = None,
    decisions: Annotated[
        Path | None,
        typer.Option(help="A review decisions log (decisions.parquet from 'review apply'): keeps every correction.", dir_okay=False),
    ] = None,
    dask: DaskOption = None,
) -> None:
    """Ingest, code, count, export and report: the whole job in one command.

    Writes into OUT: comments.parquet and ingest-log.csv, coded.csv,
    coded.parquet and uncoded.csv, theme-counts.xlsx, charts/, report.html
    and report.docx, and last run-manifest.json (inputs, counts and outputs
    with their hashes): a folder without it holds a run that did not finish.
    """
    from tcs_themes.ingest.personal_columns import DROPPED
    from tcs_themes.outputs.excel import sheet_names
    from tcs_themes.outputs.published import code_source_rows
    from tcs_themes.outputs.workbook import split_note, split_sheets
    from tcs_themes.pipeline import run_pipeline
    from tcs_themes.schema import CODE_SOURCES

    try:
        with ExitStack() as stack:
            client = None
            if dask is not None:
                if workers != 1:
                    raise UsageError("--workers and --dask do not go together: the Dask cluster's workers code in parallel")
                from tcs_themes.coding.dask_cluster import connect, describe

                client = stack.enter_context(connect(dask))
                stderr.print(escape(describe(client)), highlight=False)
            advance = stack.enter_context(coding_progress(None))
            result = run_pipeline(
                inputs, out, codebook=codebook, model=model, method=method, settings=settings, workers=workers,
                progress=advance, date=date, decisions=decisions, client=client,
            )
    except NoCommentsError as error:
        print_problems(errors=error.problems)  # each file's error, then the one-line summary (clean_errors)
        raise
    print_problems(errors=result.ingested.errors, warnings=result.ingested.warnings)
    print_problems(errors=result.coding.errors, warnings=[n for n in result.coding.notices if n not in result.coding.errors])
    files = result.ingested.files
    summary = Table(title="tcs-themes run", show_header=False)
    summary.add_row("Files read", f"{len(files)} ({int(files['error'].notna().sum())} failed)")
    summary.add_row("Comments", str(result.coding.comments))
    summary.add_row("Coded", str(result.coding.coded))
    summary.add_row("Uncoded", str(result.coding.uncoded))
    summary.add_row("Low confidence (review first)", str(result.coding.low_confidence))
    summary.add_row("Themes per coded comment", f"{result.coding.mean_themes:.2f}")
    sources = {source: result.coding.code_sources.get(source, 0) for source in CODE_SOURCES}
    for heading, n in code_source_rows(sources):
        summary.add_row(heading, str(n))
    summary.add_row("Rows logged, not coded", str(len(result.ingested.log)))
    dropped = int((result.ingested.columns["action"] == DROPPED).sum())
    if dropped:
        summary.add_row("Columns dropped (personal data)", f"{dropped} (listed in ingest-log.csv)")
    workbook = result.outputs.get("workbook")
    split = split_sheets(sheet_names(workbook)) if workbook is not None else {}
    if split:  # past Excel's row limit: said here and on the workbook's Method sheet
        summary.add_row("Workbook sheets split at Excel's row limit", escape(split_note(split)))
    stdout.print(summary)
    for name in ("coded_csv", "uncoded", "workbook", "html", "docx"):
        if name in result.outputs:
            stdout.print(f"Wrote {result.outputs[name]}", markup=False, highlight=False, soft_wrap=True)
    stdout.print(f"Charts in {out / 'charts'}", markup=False, highlight=False)
    stdout.print(f"Wrote {result.outputs['manifest']} last: the run is complete", markup=False, highlight=False, soft_wrap=True)
    if result.ingested.errors or result.coding.errors:
        raise typer.Exit(code=1)
