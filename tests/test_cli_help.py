"""Every command's --help shows its help texts as written: rich markup never swallows ``[...]``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer.main
from typer.testing import CliRunner

from tcs_themes.cli import app

runner = CliRunner()
#: A bracketed text in a help string, escaped (``\\[x]``) or not.
BRACKETED = re.compile(r"\\?\[([^\[\]]+)\]")


def _commands(command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _help_texts(command) -> list[str]:
    texts = [command.help or ""]
    texts += [param.help or "" for param in command.params]
    # a group lists each sub-command with the first paragraph of its help
    texts += [(sub.short_help or sub.help or "").split("\n\n")[0] for sub in getattr(command, "commands", {}).values()]
    return texts


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "train", "code", "count", "report", "codebook", "codebook init", "codebook validate"} <= names
    assert len(names) >= 15


@pytest.mark.parametrize("width", ["80", "200"])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "tcs-themes" for p, _ in COMMANDS])
def test_help_keeps_every_bracketed_text(path: tuple[str, ...], command, width: str) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    shown = _flat(result.output)
    for text in _help_texts(command):
        for inner in BRACKETED.findall(text):
            assert f"[{_flat(inner)}]" in shown, f"'[{inner}]' lost from {' '.join(path)} --help"


def test_train_help_names_the_embeddings_extra() -> None:
    result = runner.invoke(app, ["train", "--help"])
    assert 'pip install "tcs-themes[embeddings]"' in _flat(result.output)
