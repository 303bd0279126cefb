"""The ``tcs-themes`` console script: imports what the command needs, in the cheapest order."""

from __future__ import annotations

import sys

#: Commands that read or write a model file with skops.
MODEL_COMMANDS = frozenset({"code", "evaluate", "run", "train"})


def main() -> None:
    """Run the command line (:data:`tcs_themes.cli.app`)."""
    if MODEL_COMMANDS.intersection(sys.argv[1:2]) and "--help" not in sys.argv:
        # When skops is imported it looks up the module of every scikit-learn type among all the
        # modules already loaded; importing it before pandas, spaCy and the rest saves about a second.
        import skops.io  # noqa: F401

    from tcs_themes.cli import main as cli_main

    cli_main()
