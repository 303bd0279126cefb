"""``tcs-themes discover``: candidate new themes from the comments no theme fits (a thin wrapper)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tcs_themes.cli.app import app, clean_errors
from tcs_themes.console import stdout


@app.command()
@clean_errors
def discover(
    coded: Annotated[Path, typer.Argument(help="A coded table (coded.parquet or coded.csv from 'tcs-themes code').", dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="Folder for candidates.yaml and discovery.xlsx.", file_okay=False)],
    sources: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            help="Which comments: uncoded, low-confidence, missing-questions, question:TEXT (questions containing "
            "TEXT) or all; "
            "repeat to combine. Default: uncoded, low-confidence and answers to what-is-missing questions.",
        ),
    ] = None,
    max_themes: Annotated[int, typer.Option("--max-themes", help="The most candidate groups to form.")] = 10,
    codebook: Annotated[
        Path | None, typer.Option("--codebook", help="Codebook YAML (default: the bundled TCS codebook).", dir_okay=False)
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="The .skops model the table was coded with (default: the bundled one).", dir_okay=False)
    ] = None,
    tfidf: Annotated[
        bool,
        typer.Option(
            "--tfidf",
            help="Compare comments on TF-IDF of the selected comments (beside static sentence embeddings), not the model's words.",
        ),
    ] = False,
) -> None:
    """Group the comments no theme fits into candidate themes, with labels, examples and suggested patterns."""
    from tcs_themes.analysis.discovery import DEFAULT_FROM, SAME_THEME_CODED_SHARE
    from tcs_themes.codebook import load_codebook
    from tcs_themes.outputs.discovery_files import discover_files

    found, written = discover_files(
        coded, out, codebook=load_codebook(codebook), model=model, use_model=not tfidf,
        sources=sources or DEFAULT_FROM, max_themes=max_themes,
    )  # fmt: skip
    table = Table(title=f"Candidate themes ({found.representation})")
    for heading in ("candidate", "status", "comments", "nearest theme", "label"):
        table.add_column(heading, justify="right" if heading == "comments" else "left", overflow="fold")
    for c in found.candidates:
        nearest = f"{c.nearest_theme} {c.similarity:.2f}" if c.nearest_theme else "-"
        if c.neighbour_similarity is not None:
            nearest += f" (cut-off {c.neighbour_similarity:.2f})"
        table.add_row(escape(c.id), escape(c.status), str(c.size), escape(nearest), escape(c.label))
    stdout.print(table)
    reasons = ", ".join(f"{n} {reason}" for reason, n in found.selection.items()) or "none"
    stdout.print(
        f"{found.n_selected} of {found.n_coded} comments selected ({escape(reasons)}); "
        f"{sum(c.is_new for c in found.candidates)} new candidates, {sum(not c.is_new for c in found.candidates)} "
        f"more of existing themes; {found.n_leftover} left over ({found.leftover_share:.0%}, listed in the workbook).",
        highlight=False,
        soft_wrap=True,
    )
    typical = found.settings.get("typical_neighbour_similarity")
    if found.settings.get("groups_merged"):
        stdout.print(
            f"{found.settings['groups_merged']} of the {found.settings['k']} k-means groups joined another group at least "
            f"{found.settings['merge_cutoff']:.2f} similar to it (as alike as two typical existing themes).",
            highlight=False,
            soft_wrap=True,
        )
    if typical is not None:
        stdout.print(
            "Cut-off: how similar the nearest theme is to its own nearest other theme; a group at least that similar "
            f"to it (or with {SAME_THEME_CODED_SHARE:.0%} of its comments coded with it) is more of it. Existing themes are typically "
            f"{typical:.2f} similar to their nearest other theme.",
            highlight=False,
            soft_wrap=True,
        )
    stdout.print(f"Wrote {escape(', '.join(str(p) for p in written))}", highlight=False, soft_wrap=True)
