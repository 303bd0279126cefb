"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``. Every name in
:data:`__all__` is documented, type-hinted, and never prints or exits.

``import tcs_themes`` is light: the names are imported from their modules the
first time they are used (spaCy, scikit-learn and matplotlib load only when a
name that needs them is touched).

Examples
--------
>>> import tcs_themes as tt
>>> codebook = tt.load_codebook()  # doctest: +SKIP
>>> coded = tt.code(tt.ingest(["data/raw"]).comments, codebook=codebook)  # doctest: +SKIP
>>> tt.theme_summary(coded, codebook, by="strand").head()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module it lives in (imported on first use).
_EXPORTS: dict[str, str] = {
    # tables and errors
    "read_table": "tcs_themes.tables",
    "write_table": "tcs_themes.tables",
    "TcsError": "tcs_themes.errors",
    "InputFileError": "tcs_themes.errors",
    "CodebookError": "tcs_themes.errors",
    "ModelError": "tcs_themes.errors",
    # codebook
    "Codebook": "tcs_themes.codebook.model",
    "Theme": "tcs_themes.codebook.model",
    "Pattern": "tcs_themes.codebook.model",
    # ingest
    "Exercises": "tcs_themes.ingest.exercises",
    "load_exercises": "tcs_themes.ingest.exercises",
    # counts and quotes
    "ThemeCounts": "tcs_themes.analysis.counts",
    "theme_counts": "tcs_themes.analysis.counts",
    "theme_summary": "tcs_themes.analysis.counts",
    "strand_overview": "tcs_themes.analysis.counts",
    "subtheme_counts": "tcs_themes.analysis.counts",
    "cooccurrence": "tcs_themes.analysis.counts",
    "count_all": "tcs_themes.analysis.counts",
    "select_quotes": "tcs_themes.analysis.quotes",
    "quotes_by_scope": "tcs_themes.analysis.quotes",
    # charts
    "ranked_theme_chart": "tcs_themes.outputs.charts",
    "strand_heatmap": "tcs_themes.outputs.charts",
    "exercise_choice_chart": "tcs_themes.outputs.charts",
    "exercise_statement_chart": "tcs_themes.outputs.charts",
    "save_figure": "tcs_themes.outputs.charts",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from tcs_themes.analysis.counts import (
        ThemeCounts,
        cooccurrence,
        count_all,
        strand_overview,
        subtheme_counts,
        theme_counts,
        theme_summary,
    )
    from tcs_themes.analysis.quotes import quotes_by_scope, select_quotes
    from tcs_themes.codebook.model import Codebook, Pattern, Theme
    from tcs_themes.errors import CodebookError, InputFileError, ModelError, TcsError
    from tcs_themes.ingest.exercises import Exercises, load_exercises
    from tcs_themes.outputs.charts import (
        exercise_choice_chart,
        exercise_statement_chart,
        ranked_theme_chart,
        save_figure,
        strand_heatmap,
    )
    from tcs_themes.tables import read_table, write_table


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tcs_themes' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names (and the module's own attributes) for tab completion."""
    return sorted({*globals(), *__all__})
