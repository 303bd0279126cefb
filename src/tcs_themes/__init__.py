"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tcs_themes.coding.classifier import ThemeClassifier  # noqa: E402

__all__ = ["ThemeClassifier", "__version__"]
