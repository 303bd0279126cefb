"""The typer application every command module adds its commands to.

Commands are thin: they parse options, call one library function, show
progress on stderr and print a summary. Errors raised by the library
(:class:`tcs_themes.errors.TcsError`) become one line on stderr and exit code 1;
``tcs-themes --debug ...`` shows the full traceback instead.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.markup import escape
from typer.core import TyperGroup

from tcs_themes import __version__
from tcs_themes.console import stderr
from tcs_themes.errors import TcsError, one_line

P = ParamSpec("P")
R = TypeVar("R")

class LiteralHelpGroup(TyperGroup):
    """The app's command group: every help text is shown as written.

    Typer renders help with rich markup, which would take ``[embeddings]`` in
    ``pip install "tcs-themes[embeddings]"`` for a style and drop it. Help texts
    here are plain text, so once the command tree is built, the help of every
    command, sub-command, option and argument is escaped (one place for all,
    present and future; ``tests/test_cli_help.py`` checks every command).
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _escape_help(self)


def _escape_help(command: Any) -> None:
    """Escape rich markup in the help of ``command``, its parameters and, for a group, its sub-commands."""
    if getattr(command, "rich_markup_mode", None) == "rich":
        for name in ("help", "short_help", "epilog"):
            if getattr(command, name, None):
                setattr(command, name, escape(getattr(command, name)))
        for param in command.params:
            if getattr(param, "help", None):
                param.help = escape(param.help)
    for sub in getattr(command, "commands", {}).values():
        _escape_help(sub)


app = typer.Typer(
    name="tcs-themes",
    cls=LiteralHelpGroup,
    help=(
        "Code public-consultation feedback against a codebook of themes, offline, "
        "and publish theme counts, charts, quotes and a report."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode="rich",
)

_state = {"debug": False}

#: The ``--date`` option of the commands that write dated outputs (run, report, export).
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The generation date the outputs carry (default: SOURCE_DATE_EPOCH, else today); "
        "the same inputs and date give byte-identical files.",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"tcs-themes {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks instead of one-line errors.")
    ] = False,
) -> None:
    """Code consultation feedback against a codebook of themes."""
    _state["debug"] = debug


def print_problems(errors: Iterable[str] = (), warnings: Iterable[str] = ()) -> None:
    """Print each warning as ``Warning: ...`` and each error as ``Error: ...`` on stderr, one line each.

    Every command words file problems this way (``ingest``, ``run``...).
    """
    # escaped: a message may hold square brackets (a file name, 'pip install "tcs-themes[outlook]"'), and
    # control characters (a file named with a line break or a terminal escape) are shown as \n, \x1b
    for message in warnings:
        stderr.print(f"[yellow]Warning:[/] {escape(one_line(message))}", markup=True, highlight=False, soft_wrap=True)
    for message in errors:
        stderr.print(f"[bold red]Error:[/] {escape(one_line(message))}", markup=True, highlight=False, soft_wrap=True)



@contextmanager
def library_warnings() -> Iterator[list[str]]:
    """Collect the messages of the warnings raised in the block, for :func:`print_problems`.

    ResourceWarnings ("unclosed file ...") are left out on purpose: they are raised when the
    garbage collector happens to close a file some earlier code left open (in a test session, or
    a library such as spaCy loaded before), at whatever moment it runs; they say nothing about the
    command's inputs and are nothing an analyst can act on.
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield messages
        finally:
            messages.extend(str(w.message) for w in caught if not issubclass(w.category, ResourceWarning))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as a one-line error on stderr and return the Exit to raise."""
    print_problems(errors=[message])
    return typer.Exit(code=code)


def clean_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so library errors become one line and exit code 1.

    Unexpected exceptions are reported by type only (their message might quote
    comment text), or, for a file that cannot be read or written, by the file's
    name; ``--debug`` re-raises them with the traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except TcsError as error:
            if _state["debug"]:
                raise
            raise fail(str(error)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", code=130) from None
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            if isinstance(error, OSError) and error.filename:  # a file the library did not expect to fail
                raise fail(f"{error.filename}: cannot read or write it ({error.strerror}); check the path and its permissions") from None
            raise fail(
                f"unexpected {type(error).__name__}; please report it, and rerun with "
                "'tcs-themes --debug ...' to see the traceback"
            ) from None

    return wrapper
