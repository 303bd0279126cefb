"""Rich consoles shared by the CLI: results go to stdout, diagnostics to stderr."""

from __future__ import annotations

from rich.console import Console

stdout = Console()
stderr = Console(stderr=True)
