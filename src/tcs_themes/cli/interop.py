"""``tcs-themes import-qdpx``: a REFI-QDA project coded in another tool -> the comments table and its log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.console import stderr, stdout
from tcs_themes.errors import UsageError


@app.command("import-qdpx")
@clean_errors
def import_qdpx_command(
    project: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA or QualCoder.")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="The comments table to write: .parquet or .csv.")],
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", help="The codebook to map the project's codes to (default: the bundled TCS codebook).", dir_okay=False),
    ] = None,
    log: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Where to write the import log (default: <out stem>.import-log.csv beside --out).")
    ] = None,
) -> None:
    """Read a coded REFI-QDA project as a comments table: each coded span a comment, its codes the analyst's.

    Codes map to codebook themes by GUID or name; uncoded text is written to the
    import log; personal details in the text are redacted. 'tcs-themes train'
    reads the table as it is.
    """
    from tcs_themes.codebook import load_codebook
    from tcs_themes.ingest.qdpx import import_qdpx
    from tcs_themes.tables import write_table

    if out.suffix.lower() not in (".parquet", ".csv"):
        raise UsageError(f"--out {out}: the comments table must end in .parquet or .csv")
    result = import_qdpx(project, load_codebook(codebook))
    log_path = log or out.with_name(f"{out.stem}.import-log.csv")
    write_table(result.comments, out)
    write_table(result.log, log_path)
    comments = result.comments
    coded = int((comments["codes"].fillna("") != "").sum())
    machine = int((comments["machine_codes"].fillna("") != "").sum())
    origin = result.origin or "origin not given"
    table = Table(title=escape(f"Imported from {project.name} ({origin})"), title_justify="left")
    for heading in ("Sources", "Comments", "Analyst", "Machine", "Codings", "Uncoded spans", "Other log"):
        table.add_column(heading, justify="right")
    uncoded = int((result.log["reason"] == "uncoded-text").sum())
    table.add_row(
        str(result.sources), str(len(comments)), str(coded), str(machine), str(result.codings), str(uncoded),
        str(len(result.log) - uncoded),
    )
    stdout.print(table)
    stdout.print(f"Wrote {len(comments)} comments to {out} and {len(result.log)} log rows to {log_path}.",
                 soft_wrap=True, markup=False, highlight=False)
    if not coded and not machine:
        stderr.print("[yellow]Warning:[/] no span in the project is coded with a theme; 'train' needs coded comments.",
                     markup=True, highlight=False)
