"""Commands that publish results: ``count``, ``quotes``, ``export`` and ``report``.

Each one reads a coded table, calls one library function and prints a summary;
results go to stdout, progress to stderr. The library (pandas, scikit-learn,
matplotlib, python-docx) is imported inside the commands, so that
``tcs-themes --help`` and the other commands start quickly.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import DateOpt, app, clean_errors, library_warnings
from tcs_themes.console import stderr, stdout
from tcs_themes.errors import InputFileError

if TYPE_CHECKING:
    import pandas as pd

    from tcs_themes.codebook.model import Codebook
    from tcs_themes.ingest.exercises import Exercises


class By(str, Enum):
    """Groupings for ``count --by``."""

    strand = "strand"
    session = "session"
    question = "question"
    source = "source"


class ExportFormat(str, Enum):
    """Formats for ``export --format``."""

    xlsx = "xlsx"
    qdpx = "qdpx"


class BasisChoice(str, Enum):
    """Bases for ``count --basis``."""

    primary = "primary"
    any = "any"


CodedArg = Annotated[Path, typer.Argument(help="The coded table (.parquet or .csv) from 'tcs-themes code'.")]
CodebookOpt = Annotated[
    Path | None, typer.Option("--codebook", help="The codebook the table was coded with (default: the bundled TCS codebook).")
]
RegisterOpt = Annotated[
    Path | None, typer.Option("--register", help="The sessions register (YAML/CSV): session totals and strand names.")
]
ExercisesOpt = Annotated[Path | None, typer.Option("--exercises", help="The 4Ps exercise workbook (.xlsx).")]


def _codebook(path: Path | None) -> Codebook:
    from tcs_themes.codebook.load import load_codebook

    return load_codebook(path)


def _register(path: Path | None):
    if path is None:
        return None
    from tcs_themes.ingest.register import load_register

    return load_register(path)


def _exercises(path: Path | None, register) -> Exercises | None:
    if path is None:
        return None
    from tcs_themes.ingest.exercises import load_exercises

    events = list(register.sessions["session_name"]) if register is not None else None
    return load_exercises(path, events=events)


def _read_coded(path: Path) -> pd.DataFrame:
    import pandas as pd

    from tcs_themes.ingest.plain_tables import redact_coded
    from tcs_themes.schema import CODED_COLUMNS, conform_comments
    from tcs_themes.tables import read_table

    coded = read_table(path)
    missing = [c for c in ("comment_id", "themes", "primary_theme", "text") if c not in coded.columns]
    if missing:
        raise InputFileError(str(path), f"not a coded table (no {', '.join(missing)} column); run 'tcs-themes code' first")
    coded = redact_coded(conform_comments(coded))
    for name, dtype in CODED_COLUMNS.items():  # optional coded columns (sources, sub-themes...) may be absent
        if name not in coded.columns:
            coded[name] = pd.Series(None, index=coded.index, dtype=dtype)
    return coded


def _publishing_inputs(coded: Path, codebook: Path | None, register: Path | None, exercises: Path | None) -> dict:
    """Read every input of ``export`` and ``report``, as keyword arguments of the library functions."""
    sessions = _register(register)
    inputs = {"coded table": str(coded), "codebook": str(codebook) if codebook else "bundled default"}
    if register is not None:
        inputs["register"] = str(register)
    if exercises is not None:
        inputs["exercises"] = str(exercises)
    return {
        "coded": _read_coded(coded),
        "codebook": _codebook(codebook),
        "register": sessions,
        "exercises": _exercises(exercises, sessions),
        "method_info": {"inputs": inputs},
    }


@app.command("count")
@clean_errors
def count_command(
    coded: CodedArg,
    by: Annotated[By | None, typer.Option("--by", help="Count within each strand, session, question or source.")] = None,
    basis: Annotated[
        BasisChoice, typer.Option("--basis", help="primary: each comment once, under its main theme; any: under every theme it was given.")
    ] = BasisChoice.primary,
    codebook: CodebookOpt = None,
    register: RegisterOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the counts to this CSV (or .parquet) file.")] = None,
) -> None:
    """Count comments per theme, overall or by strand/session/question/source (uncoded included)."""
    import pandas as pd

    from tcs_themes.analysis.counts import BASES, theme_counts
    from tcs_themes.outputs.report.narrative import count as fmt_count
    from tcs_themes.outputs.report.narrative import percent
    from tcs_themes.tables import write_table

    table = theme_counts(
        _read_coded(coded), _codebook(codebook), basis=basis.value, by=by.value if by else None, register=_register(register)
    )
    if out is not None:
        stderr.print(f"Wrote {write_table(table, out)}", markup=False, highlight=False)
    groups = table.groupby(by.value, sort=False) if by else [(None, table)]
    for group, rows in groups:
        title = f"Comments per theme ({BASES[basis.value]})" + (f": {group}" if group is not None else "")
        grid = Table(title=title, title_justify="left")
        for name, justify in (("Rank", "right"), ("Theme", "left"), ("Comments", "right"), ("Share", "right"), ("Sessions raising it", "right"), ("Emails", "right")):
            grid.add_column(name, justify=justify)
        for row in rows.itertuples(index=False):
            if row.comments == 0:
                continue
            grid.add_row(
                "" if pd.isna(row.rank) else str(row.rank),
                row.theme,
                fmt_count(row.comments),
                percent(row.share),
                f"{row.sessions} of {row.sessions_total}",
                str(row.emails),
            )
        stdout.print(grid)


@app.command("quotes")
@clean_errors
def quotes_command(
    coded: CodedArg,
    theme: Annotated[str | None, typer.Option("--theme", help="Only this theme id (default: every theme).")] = None,
    strand: Annotated[str | None, typer.Option("--strand", help="Only comments from this strand, e.g. 'Strand 3'.")] = None,
    n: Annotated[int, typer.Option("--n", min=1, help="Quotes per theme.")] = 3,
    codebook: CodebookOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the quotes to this CSV (or .parquet) file.")] = None,
) -> None:
    """Choose short, representative, varied quotes per theme, free of personal details."""
    from tcs_themes.analysis.quotes import select_quotes
    from tcs_themes.tables import write_table

    book = _codebook(codebook)
    if theme is not None and theme not in book.ids:
        raise InputFileError(str(codebook or "the bundled codebook"), f"no theme with id '{theme}'; use a theme id from the codebook")
    table = select_quotes(_read_coded(coded), book, theme=theme, strand=strand, n=n)
    if out is not None:
        stderr.print(f"Wrote {write_table(table, out)}", markup=False, highlight=False)
    if table.empty:
        stderr.print("No comment qualifies as a quote (too long, too short, or with personal details).")
        return
    for theme_name, rows in table.groupby("theme", sort=False):
        stdout.print(f"[bold]{escape(str(theme_name))}[/bold] ({escape(str(rows['scope'].iloc[0]))})", markup=True, highlight=False)
        for row in rows.itertuples(index=False):
            where = next((v for v in (row.session_name, row.location, row.source_kind) if isinstance(v, str)), "")
            stdout.print(f"  \u201c{row.text}\u201d", markup=False, highlight=False)
            stdout.print(f"    {where} ({row.comment_id})", style="dim", markup=False, highlight=False)


@app.command("export")
@clean_errors
def export_command(
    coded: CodedArg,
    out: Annotated[Path, typer.Option("--out", help="The file to write: a workbook (.xlsx) or a REFI-QDA project (.qdpx).")],
    codebook: CodebookOpt = None,
    register: RegisterOpt = None,
    exercises: ExercisesOpt = None,
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help="xlsx: the theme-count workbook; qdpx: a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or "
            "QualCoder (default: from the --out extension).",
        ),
    ] = None,
    analyst: Annotated[
        str, typer.Option("--analyst", help="qdpx: the name of the user who made the analyst's and reviewed codes.")
    ] = "Analyst",
    date: DateOpt = None,
) -> None:
    """Write the theme-count workbook, or with --format qdpx the coded comments as a REFI-QDA project.

    The workbook: summary, strands, sessions, co-occurrence, comments, quotes, codebook, method.
    The project (.qdpx): codes, one text source per session or email, each comment's codes at its
    exact position, for NVivo, ATLAS.ti, MAXQDA or QualCoder (docs/interop.md).
    """
    from tcs_themes.errors import UsageError

    chosen = format or (ExportFormat.qdpx if out.suffix.lower() == ".qdpx" else ExportFormat.xlsx)
    if out.suffix.lower() != f".{chosen.value}":
        raise UsageError(f"--out {out}: with --format {chosen.value} the file must end in .{chosen.value}")
    if chosen is ExportFormat.qdpx:
        from tcs_themes.outputs.qdpx import export_qdpx

        result = export_qdpx(_read_coded(coded), _codebook(codebook), out, register=_register(register), analyst=analyst)
        stdout.print(
            f"Wrote {result.path}: {result.comments} comments in {result.sources} sources, {result.codings} codings"
            + (f"; {result.skipped} comments with no text left out" if result.skipped else ""),
            highlight=False, markup=False,
        )
        if result.wide:
            stderr.print(
                f"Warning: {result.wide} comments hold emoji or other characters outside the Basic Multilingual Plane; "
                "NVivo and MAXQDA count each as two, so later selections in their sources look one character late "
                "there (QualCoder is right). See docs/interop.md.",
                highlight=False, markup=False, soft_wrap=True,
            )
        return
    from tcs_themes.outputs.workbook import write_workbook

    inputs = _publishing_inputs(coded, codebook, register, exercises)
    stderr.print("Counting themes and choosing quotes...")
    path = write_workbook(out, **inputs, date=date)
    stdout.print(f"Wrote {path}", highlight=False, markup=False)


@app.command("report")
@clean_errors
def report_command(
    coded: CodedArg,
    out: Annotated[Path, typer.Option("--out", help="The folder to write report.html, report.docx and charts/ in.")],
    codebook: CodebookOpt = None,
    register: RegisterOpt = None,
    exercises: ExercisesOpt = None,
    date: DateOpt = None,
    settings: Annotated[
        Path | None,
        typer.Option("--settings", help="Settings file whose report: key gives the front page, your own text and quote choices."),
    ] = None,
    draft_notes: Annotated[
        Path | None, typer.Option("--draft-notes", help="Also write every section's generated text to this Markdown file, to edit.")
    ] = None,
    notes: Annotated[
        Path | None, typer.Option("--notes", help="Your edited notes file: its text replaces the generated text section by section.")
    ] = None,
) -> None:
    """Write the consultation report as self-contained HTML and Word, with its charts."""
    from tcs_themes.config import load_settings
    from tcs_themes.outputs.publish import publish

    chosen = load_settings(settings).report if settings is not None else None
    inputs = _publishing_inputs(coded, codebook, register, exercises)
    stderr.print("Counting themes, choosing quotes, drawing charts...")
    with library_warnings() as caught:
        paths = publish(out_dir=out, workbook=False, settings=chosen, notes=notes, draft_notes=draft_notes, **inputs, date=date)
    for warning in caught:
        stderr.print(f"Warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    stdout.print(f"Wrote {paths['html']} and {paths['docx']}", highlight=False, markup=False)
    if "notes" in paths:
        stdout.print(f"Wrote the draft notes to {paths['notes']}", highlight=False, markup=False)
