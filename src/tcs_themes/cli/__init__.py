"""The ``tcs-themes`` command line. Each module adds one group of commands to :data:`app`."""

from __future__ import annotations

from tcs_themes.cli import agree, codebook, coding, discovery, ingest, interop, outputs, review, run  # noqa: F401  (register their commands)
from tcs_themes.cli.app import app


def main() -> None:
    """Entry point of the ``tcs-themes`` console script."""
    app()


__all__ = ["app", "main"]
