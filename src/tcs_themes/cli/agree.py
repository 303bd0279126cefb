"""``tcs-themes agree``: how far two or more codings of the same comments agree (a thin wrapper)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.console import stderr, stdout


def _value(value: float, percent: bool = False) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:.1%}" if percent else f"{value:.2f}"


def _with_interval(row: dict, measure: str, percent: bool = False) -> str:
    value = _value(row[measure], percent)
    low, high = row[f"{measure}_low"], row[f"{measure}_high"]
    if value == "-" or math.isnan(low):
        return value
    return f"{value} ({_value(low, percent)} to {_value(high, percent)})"


@app.command()
@clean_errors
def agree(
    codings: Annotated[
        list[str],
        typer.Argument(
            metavar="CODING...",
            help="Two or more codings of the same comments: coded tables (FILE, or FILE:COLUMN such as "
            "coded.parquet:machine_themes) and analyst-coded spreadsheets or folders.",
        ),
    ],
    names: Annotated[
        str | None, typer.Option("--names", help="The coders' names, comma-separated, one per coding (default: file names).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the tables to .xlsx or .csv.")] = None,
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="Codebook YAML (default: the bundled TCS codebook).", dir_okay=False)
    ] = None,
    text_column: Annotated[
        str | None, typer.Option("--text-column", help="The column holding the comment text (default: detected).")
    ] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Resamples for the 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(help="The bootstrap's random seed.")] = 0,
) -> None:
    """Inter-coder agreement per theme and on the main theme: kappa, Krippendorff's alpha, percentage agreement."""
    from tcs_themes.analysis.agreement import about_rows, agreement_files, write_agreement
    from tcs_themes.codebook import load_codebook

    coder_names = [n.strip() for n in names.split(",")] if names else None
    result = agreement_files(
        codings, load_codebook(codebook), names=coder_names, text_column=text_column, n_boot=bootstrap, seed=seed
    )
    coders = Table(title=f"Coders ({result.n_comments} comments in every coding, matched on {result.matched_on})")
    for heading in ("coder", "source", "comments", "matched", "left out", "themes per comment", "uncoded"):
        coders.add_column(heading, justify="left" if heading in ("coder", "source") else "right", overflow="fold")
    for row in result.coders_table.to_dict("records"):
        coders.add_row(
            escape(row["coder"]), escape(row["source"]), str(row["comments"]), str(row["matched"]),
            str(row["left_out"]), f"{row['themes_per_comment']:.2f}", str(row["uncoded"]),
        )  # fmt: skip
    stdout.print(coders)
    kappa = "kappa" if len(result.coders) == 2 else "Light's kappa"
    per_theme = Table(title=f"Agreement per theme (95% bootstrap intervals, {result.n_boot} resamples)")
    per_theme.add_column("theme")
    for name in result.coders:
        per_theme.add_column(escape(name), justify="right")
    for heading in ("agreement", kappa, "alpha"):
        per_theme.add_column(heading, justify="right")
    for row in result.per_theme.to_dict("records"):
        per_theme.add_row(
            row["theme_id"],
            *(str(row[f"coded_by_{name}"]) for name in result.coders),
            _with_interval(row, "agreement", percent=True),
            _with_interval(row, "kappa"),
            _with_interval(row, "alpha"),
        )
    stdout.print(per_theme)
    if len(result.main_theme):
        main = Table(title="Main theme")
        for heading in ("measure", "value", "95% interval"):
            main.add_column(heading, justify="left" if heading == "measure" else "right")
        labels = {"agreement": "agreement", "kappa": result.kappa_name, "alpha": "Krippendorff's alpha"}
        for row in result.main_theme.to_dict("records"):
            percent = row["measure"] == "agreement"
            interval = "-" if math.isnan(row["low"]) else f"{_value(row['low'], percent)} to {_value(row['high'], percent)}"
            main.add_row(escape(labels[row["measure"]]), _value(row["value"], percent), interval)
        stdout.print(main)
    for item, value in about_rows(result):
        if item == "Note":
            stderr.print(f"[yellow]Note:[/] {escape(value)}", highlight=False, soft_wrap=True)
    if out is not None:
        written = ", ".join(str(p) for p in write_agreement(result, out))
        stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)
