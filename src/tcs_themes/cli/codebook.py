"""``tcs-themes codebook ...``: validate, show, export, import and start codebooks.

Each command is a thin wrapper: it calls :func:`tcs_themes.codebook.load_codebook`
(which validates), :func:`~tcs_themes.codebook.export_qdc`,
:func:`~tcs_themes.codebook.import_qdc`,
:func:`~tcs_themes.codebook.write_codebook_yaml` or
:func:`~tcs_themes.codebook.from_labels.codebook_from_labels` and prints a summary.
Warnings (unknown keys) go to stderr; results to stdout.
"""

from __future__ import annotations

import shlex
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
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
    help="Validate, show, export and import codebooks (YAML and REFI-QDA .qdc), or start one from labelled data.",
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


@codebook_app.command("init")
@clean_errors
def init_command(
    from_labels: Annotated[
        Path,
        typer.Option("--from-labels", help="The coded file (.xlsx, .csv, .parquet) or a folder of them.", exists=True),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The codebook YAML to write.")],
    theme_columns: Annotated[
        list[str] | None,
        typer.Option(
            "--theme-columns",
            help="The 0/1 columns, one per theme: --theme-columns A B C (or repeat the option).",
            show_default=False,
        ),
    ] = None,
    more_columns: Annotated[
        list[str] | None,
        typer.Argument(help="More 0/1 columns after --theme-columns.", show_default=False, metavar="COLUMN"),
    ] = None,
    theme_column: Annotated[
        str | None,
        typer.Option("--theme-column", help="Instead, the one column of theme names (several per cell: ; , | or new lines)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The codebook's name (default: Themes from FILE).")] = None,
    text_column: Annotated[
        str | None, typer.Option("--text-column", help="The comment text column, for the train command shown (default: detected).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Start a codebook from labelled data: an id and a name per theme, no patterns (train learns them)."""
    from tcs_themes.codebook.from_labels import codebook_from_labels, write_starter_codebook

    if more_columns and not theme_columns:
        raise fail(f"unexpected argument(s) {', '.join(more_columns)}; give 0/1 columns after --theme-columns")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise fail(f"{out}: the output must end in .yaml or .yml")
    if out.exists() and not force:
        raise fail(f"{out} exists; choose another --out, or pass --force to replace it")
    starter = codebook_from_labels(
        from_labels,
        theme_columns=[*(theme_columns or ()), *(more_columns or ())],
        theme_column=theme_column,
        name=name,
        text_column=text_column,
    )
    write_starter_codebook(starter, out, from_labels.name)
    table = Table(title=escape(starter.codebook.name))
    for column in ("id", "name", "coded rows"):
        table.add_column(column, justify="right" if column == "coded rows" else "left", overflow="fold")
    for theme in starter.codebook.themes:
        table.add_row(theme.id, escape(theme.name), str(starter.coded[theme.id]))
    stdout.print(table)
    columns = [theme_column] if theme_column else [*(theme_columns or ()), *(more_columns or ())]
    train = ["tcs-themes", "train", str(from_labels), "--codebook", str(out), "--out", "model.skops"]
    if starter.text_column is None or text_column is not None:
        train += ["--text-column", starter.text_column or "COLUMN"]
    for column in columns:
        train += ["--theme-column", column]
    themes = len(starter.codebook.themes)
    stdout.print(
        f"Wrote {escape(str(out))}: {themes} theme{'s' if themes != 1 else ''}, no patterns. "
        f"Next: {escape(shlex.join(train))}",
        highlight=False,
        soft_wrap=True,
    )
