"""``tcs-themes codebook ...``: validate, show, export and import codebooks.

Each command is a thin wrapper: it calls :func:`tcs_themes.codebook.load_codebook`
(which validates), :func:`~tcs_themes.codebook.export_qdc`,
:func:`~tcs_themes.codebook.import_qdc` or
:func:`~tcs_themes.codebook.write_codebook_yaml` and prints a summary.
Warnings (unknown keys) go to stderr; results to stdout.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.tree import Tree

from tcs_themes.cli.app import app, clean_errors, fail, print_problems
from tcs_themes.codebook import (
    Codebook,
    Theme,
    default_codebook_path,
    export_qdc,
    import_qdc,
    load_codebook,
    write_codebook_yaml,
)
from tcs_themes.console import stderr, stdout
from tcs_themes.errors import CodebookWarning

codebook_app = typer.Typer(
    name="codebook",
    help="Validate, show, export and import codebooks (YAML and REFI-QDA .qdc).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(codebook_app)


class ExportFormat(str, Enum):
    """Formats ``codebook export`` writes."""

    qdc = "qdc"
    yaml = "yaml"


CodebookFile = Annotated[
    Path | None,
    typer.Argument(help="A codebook (.yaml or .qdc); the default codebook when omitted.", show_default=False),
]


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Show codebook warnings (unknown keys ...) as lines on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CodebookWarning)
        try:
            yield
        finally:
            print_problems(warnings=[str(w.message) for w in caught if issubclass(w.category, CodebookWarning)])


def _load(path: Path | None, loader: Callable[[Path | None], Codebook] = load_codebook) -> Codebook:
    with _warnings_to_stderr():
        return loader(path)


def _pattern_count(theme: Theme) -> str:
    count = f"{len(theme.patterns)} pattern{'s' if len(theme.patterns) != 1 else ''}"
    if theme.exclusions:
        count += f", {len(theme.exclusions)} exclusion{'s' if len(theme.exclusions) != 1 else ''}"
    return count


@codebook_app.command("validate")
@clean_errors
def validate_command(file: CodebookFile = None) -> None:
    """Check a codebook: every problem is reported with its line and key; exit 1 if any."""
    codebook = _load(file)
    source = file or default_codebook_path()
    patterns = sum(len(t.patterns) + len(t.exclusions) for t in (*codebook.themes, *codebook.subthemes))
    stdout.print(
        f"{escape(str(source))}: valid - {len(codebook.themes)} themes, {len(codebook.subthemes)} sub-themes, "
        f"{patterns} patterns and exclusions",
        highlight=False,
        soft_wrap=True,
    )
    without = [t.id for t in codebook.themes if not t.patterns and not codebook.subthemes_of(t.id)]
    if without:
        stderr.print(
            f"Note: {len(without)} theme(s) have no rule patterns, so only a trained model can code them: "
            + ", ".join(without),
            highlight=False,
            soft_wrap=True,
        )


@codebook_app.command("show")
@clean_errors
def show_command(file: CodebookFile = None) -> None:
    """Show a codebook as a tree: themes, sub-themes, descriptions and pattern counts."""
    codebook = _load(file)
    tree = Tree(f"[bold]{escape(codebook.name)}[/] ({len(codebook.themes)} themes)")
    for theme in codebook.themes:
        colour = theme.colour or "default"
        branch = tree.add(
            f"[bold {colour}]■[/] [bold]{escape(theme.name)}[/] [dim]{theme.id} - {_pattern_count(theme)}[/]"
        )
        if theme.description:
            branch.add(f"[italic]{escape(theme.description)}[/]")
        for sub in codebook.subthemes_of(theme.id):
            line = f"{escape(sub.name)} [dim]{sub.id} - {_pattern_count(sub)}[/]"
            if sub.description:
                line += f": {escape(sub.description)}"
            branch.add(line)
    stdout.print(tree)


@codebook_app.command("export")
@clean_errors
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    file: CodebookFile = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="qdc (REFI-QDA, for NVivo, ATLAS.ti, MAXQDA, QualCoder) or yaml.")
    ] = ExportFormat.qdc,
) -> None:
    """Export a codebook to REFI-QDA (.qdc) or YAML."""
    codebook = _load(file)
    written = export_qdc(codebook, out) if format is ExportFormat.qdc else write_codebook_yaml(codebook, out)
    stdout.print(
        f"Wrote {escape(str(written))} ({format.value}): {len(codebook.themes)} themes, "
        f"{len(codebook.subthemes)} sub-themes",
        highlight=False,
        soft_wrap=True,
    )


@codebook_app.command("import")
@clean_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The YAML codebook to write.")],
) -> None:
    """Import a REFI-QDA codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA or QualCoder as YAML."""
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise fail(f"{out}: the output must end in .yaml or .yml")
    codebook = _load(file, import_qdc)
    write_codebook_yaml(codebook, out)
    stdout.print(
        f"Wrote {escape(str(out))}: {len(codebook.themes)} themes, {len(codebook.subthemes)} sub-themes "
        f"(from {escape(str(file))})",
        highlight=False,
        soft_wrap=True,
    )
