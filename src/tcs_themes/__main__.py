"""Allow ``python -m tcs_themes``."""

from tcs_themes.cli import main

main()
