"""The ``tcs-themes`` command line. Each module adds one group of commands to :data:`app`."""

from __future__ import annotations

from tcs_themes.cli import codebook  # noqa: F401
from tcs_themes.cli import ingest  # noqa: F401
from tcs_themes.cli import outputs  # noqa: F401
from tcs_themes.cli.app import app
from tcs_themes.cli import coding  # noqa: F401


def main() -> None:
    """Entry point of the ``tcs-themes`` console script."""
    app()


__all__ = ["app", "main"]
