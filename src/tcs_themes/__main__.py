"""Allow ``python -m tcs_themes``."""

from tcs_themes.entry import main

main()
