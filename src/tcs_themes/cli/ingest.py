"""``tcs-themes ingest``: spreadsheets and emails -> the comments table and its log."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import _state, app, clean_errors, library_warnings, print_problems
from tcs_themes.console import stderr, stdout
from tcs_themes.errors import UsageError

if TYPE_CHECKING:
    from tcs_themes.ingest import IngestResult


def _parse_columns(pairs: list[str]) -> dict[str, str]:
    columns = {}
    for pair in pairs:
        role, sep, name = pair.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise UsageError(f"--column {pair!r} must look like ROLE=NAME, e.g. --column text=\"What was said\"")
        columns[role.strip()] = name.strip()
    return columns


def default_log_path(out: Path) -> Path:
    """The ingest log beside ``out``: ``<stem>.ingest-log.csv``."""
    return out.with_name(f"{out.stem}.ingest-log.csv")


def summary_table(result: IngestResult) -> Table:
    """A rich table with one row per file (``Failed``: rows or parts that errored) and a total row."""
    files = result.files
    counts = {"Read": "rows_read", "Kept": "kept", "Blank": "blank", "Dupes": "duplicates",
              "Failed": "failed", "Removed": "removed", "Redacted": "redactions"}
    table = Table(title="Ingest summary", show_footer=True, title_justify="left", caption=(
        "Read = Kept + Blank + Dupes (same text, same session) + Failed + Removed (email signatures, quotes, ...); "
        "every row not kept is in the ingest log."
    ), caption_justify="left")
    table.add_column("File", footer="Total", overflow="fold")
    table.add_column("Kind")
    for heading, name in counts.items():
        table.add_column(heading, justify="right", footer=str(int(files[name].sum())))
    failed_files = int(files["error"].notna().sum())
    table.add_column("Status", footer=f"{failed_files} failed" if failed_files else "ok")
    for row in files.itertuples(index=False):
        read = row.kind in ("spreadsheet", "email")
        status = "error" if isinstance(row.error, str) else ("ok" if read else "not read")
        style = {"error": "red", "not read": "dim"}.get(status)
        cells = [str(getattr(row, name)) for name in counts.values()]
        table.add_row(escape(row.source_file), row.kind, *cells, status, style=style)
    return table


def columns_table(result: IngestResult) -> Table | None:
    """A rich table of the columns besides the text that were dropped or kept unredacted (None when none were)."""
    from tcs_themes.ingest.personal_columns import CARRIED

    columns = result.columns[result.columns["action"] != CARRIED]
    if columns.empty:
        return None
    carried = int((result.columns["action"] == CARRIED).sum())
    table = Table(title="Columns with personal data", title_justify="left", caption_justify="left", caption=(
        f"{carried} other columns besides the text were carried through, their cells redacted. "
        "Keep a column as it is with 'keep_columns' in the settings file."
    ))
    for heading in ("File", "Sheet", "Column", "Action", "Why"):
        table.add_column(heading, overflow="fold")
    for row in columns.itertuples(index=False):
        table.add_row(*(escape(str(value)) for value in (row.source_file, row.sheet, row.column, row.action, row.reason)))
    return table


@app.command("ingest")
@clean_errors
def ingest_command(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Files, folders or glob patterns (.xlsx, .csv, .eml, .mbox, .msg).")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The comments table to write: .parquet or .csv.")],
    settings: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Project settings file (default: tcs-themes.yaml in a folder given, else here).")
    ] = None,
    register: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Sessions register, .yaml or .csv (default: the one the settings name).")
    ] = None,
    sheet: Annotated[
        list[str] | None, typer.Option("--sheet", metavar="NAME", help="Read only this sheet of each workbook (repeatable).")
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", metavar="ROLE=NAME", help="Map a column: ROLE=NAME, roles text, session, date, question, strand, theme, other_themes (repeatable)."),
    ] = None,
    log: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Where to write the ingest log (default: <out stem>.ingest-log.csv beside --out).")
    ] = None,
) -> None:
    """Read session spreadsheets and feedback emails into one comments table.

    Every row or email part that does not become a comment is written to the
    ingest log with its reason; personal details in the text are redacted.
    Exits with code 1 when any file could not be read (the others are still written).
    """
    if out.suffix.lower() not in (".parquet", ".csv"):
        raise UsageError(f"--out {out}: the comments table must end in .parquet or .csv")
    from tcs_themes.ingest import ingest  # pandas and openpyxl load only when a command reads files
    from tcs_themes.tables import write_table

    with library_warnings() as caught:
        result = ingest(paths, settings=settings, register=register, sheets=sheet or None, columns=_parse_columns(column or []))
    log_path = log or default_log_path(out)
    write_table(result.comments, out)
    write_table(result.log, log_path)
    stdout.print(summary_table(result))
    if (dropped := columns_table(result)) is not None:
        stdout.print(dropped)
    stdout.print(
        f"Wrote {len(result.comments)} comments to {out} and {len(result.log)} log rows to {log_path}.",
        soft_wrap=True, markup=False, highlight=False,
    )
    print_problems(errors=result.errors, warnings=caught + result.warnings)
    if _state["debug"]:
        for error in result.unexpected:
            stderr.print("".join(traceback.format_exception(error)), markup=False, highlight=False)
    if result.errors:
        raise typer.Exit(code=1)
