"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tcs_themes.config import Settings, load_settings  # noqa: E402
from tcs_themes.ingest import IngestResult, SessionRegister, ingest, load_register, redact  # noqa: E402

__all__ = [
    "IngestResult",
    "SessionRegister",
    "Settings",
    "__version__",
    "ingest",
    "load_register",
    "load_settings",
    "redact",
]
