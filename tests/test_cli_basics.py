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
