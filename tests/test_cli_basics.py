"""The command line answers --help and --version clearly."""

from typer.testing import CliRunner

from tcs_themes import __version__
from tcs_themes.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tcs-themes {__version__}"


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "codebook of themes" in result.stdout


def _commands() -> list[list[str]]:
    """Every command path of the app, e.g. ["ingest"], ["codebook", "show"]."""
    import typer.main

    group = typer.main.get_command(app)
    paths = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        paths.extend([[name, s] for s in sub] if sub else [[name]])
    return paths


def test_every_command_has_help_and_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"run", "ingest", "train", "code", "evaluate", "count", "quotes", "export", "report"} <= {
        c[0] for c in commands
    }
    for path in commands:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage" in result.stdout
        assert f"tcs-themes {path[0]}" in readme, path


def test_python_m_runs_the_console_entry_point() -> None:
    """``python -m tcs_themes`` goes through the console script's entry (skops first for model commands)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tcs_themes", "code", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "--out" in done.stdout and "--workers" in done.stdout
