"""The ``tcs-themes`` console script: imports what the command needs, in the cheapest order."""

from __future__ import annotations

import sys

#: Commands that always need skops (to write a model file). The others that read a model (``code``,
#: ``evaluate``, ``run``) read a model file checked once before from the trusted model cache
#: (:mod:`tcs_themes.coding.model.model_cache`), with neither skops nor scikit-learn.
SKOPS_COMMANDS = frozenset({"train"})


def main() -> None:
    """Run the command line (:data:`tcs_themes.cli.app`)."""
    if SKOPS_COMMANDS.intersection(sys.argv[1:2]) and "--help" not in sys.argv:
        # When skops is imported it looks up the module of every scikit-learn type among all the
        # modules already loaded; importing it before pandas, spaCy and the rest saves about a second.
        import skops.io  # noqa: F401

    from tcs_themes.cli import main as cli_main

    cli_main()
