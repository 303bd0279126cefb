"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tcs_themes.codebook import (  # noqa: E402
    Codebook,
    Pattern,
    Theme,
    default_codebook_path,
    export_qdc,
    import_qdc,
    load_codebook,
    write_codebook_yaml,
)
from tcs_themes.coding import RuleCoder, RuleMatch, evidence_by_theme, make_nlp  # noqa: E402
from tcs_themes.config import Settings, load_settings  # noqa: E402
from tcs_themes.ingest import IngestResult, SessionRegister, ingest, load_register, redact  # noqa: E402

__all__ = [
    "Codebook",
    "IngestResult",
    "Pattern",
    "RuleCoder",
    "RuleMatch",
    "SessionRegister",
    "Settings",
    "Theme",
    "__version__",
    "default_codebook_path",
    "evidence_by_theme",
    "export_qdc",
    "import_qdc",
    "ingest",
    "load_codebook",
    "load_register",
    "load_settings",
    "make_nlp",
    "redact",
    "write_codebook_yaml",
]
