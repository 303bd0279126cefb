"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tcs_themes.config import Settings, load_settings  # noqa: E402
from tcs_themes.ingest import IngestResult, SessionRegister, ingest, load_register, redact  # noqa: E402

# The publishing API (counts, quotes, workbook, charts, report) is imported on first use:
# it pulls in scikit-learn, matplotlib and python-docx, which other commands do not need.
_PUBLISHING = {
    "Exercises": "tcs_themes.ingest.exercises",
    "ThemeCounts": "tcs_themes.analysis.counts",
    "build_report": "tcs_themes.outputs.report",
    "count_all": "tcs_themes.analysis.counts",
    "draw_charts": "tcs_themes.outputs.charts",
    "load_exercises": "tcs_themes.ingest.exercises",
    "publish": "tcs_themes.outputs.publish",
    "quotes_by_scope": "tcs_themes.analysis.quotes",
    "select_quotes": "tcs_themes.analysis.quotes",
    "theme_counts": "tcs_themes.analysis.counts",
    "theme_summary": "tcs_themes.analysis.counts",
    "write_report": "tcs_themes.outputs.report",
    "write_workbook": "tcs_themes.outputs.workbook",
}


def __getattr__(name: str) -> object:
    """Import a publishing function or class the first time it is used."""
    if name in _PUBLISHING:
        import importlib

        return getattr(importlib.import_module(_PUBLISHING[name]), name)
    raise AttributeError(f"module 'tcs_themes' has no attribute {name!r}")


__all__ = [
    *_PUBLISHING,
    "IngestResult",
    "SessionRegister",
    "Settings",
    "__version__",
    "ingest",
    "load_register",
    "load_settings",
    "redact",
]
