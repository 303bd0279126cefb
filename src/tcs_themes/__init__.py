"""tcs-themes: code consultation feedback against a codebook of themes.

The public Python API is re-exported here; see ``docs/api.md``. Every name in
:data:`__all__` is documented, type-hinted, and never prints or exits.

``import tcs_themes`` is light: every name is imported from its module the first
time it is used (pandas, spaCy, scikit-learn and matplotlib load only when a name
that needs them is touched).

Examples
--------
>>> import tcs_themes as tt
>>> codebook = tt.load_codebook()  # doctest: +SKIP
>>> coded = tt.code(tt.ingest("data/raw").comments, codebook=codebook)  # doctest: +SKIP
>>> tt.theme_summary(coded, codebook, by="strand").head()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module it lives in (imported on first use).
_EXPORTS: dict[str, str] = {
    # tables and errors
    "read_table": "tcs_themes.tables",
    "write_table": "tcs_themes.tables",
    "TcsError": "tcs_themes.errors",
    # codebook
    "Codebook": "tcs_themes.codebook.model",
    "Theme": "tcs_themes.codebook.model",
    "Pattern": "tcs_themes.codebook.model",
    "load_codebook": "tcs_themes.codebook.load",
    "default_codebook_path": "tcs_themes.codebook.load",
    "write_codebook_yaml": "tcs_themes.codebook.write",
    "export_qdc": "tcs_themes.codebook.refi_qda",
    "import_qdc": "tcs_themes.codebook.refi_qda",
    "RuleCoder": "tcs_themes.coding.rules.coder",
    "RuleMatch": "tcs_themes.coding.rules.coder",
    # ingest
    "ingest": "tcs_themes.ingest",
    "IngestResult": "tcs_themes.ingest",
    "redact": "tcs_themes.ingest.redaction",
    "Settings": "tcs_themes.config",
    "load_settings": "tcs_themes.config",
    "load_register": "tcs_themes.ingest.register",
    "SessionRegister": "tcs_themes.ingest.register",
    "Exercises": "tcs_themes.ingest.exercises",
    "load_exercises": "tcs_themes.ingest.exercises",
    # coding
    "HybridCoder": "tcs_themes.coding.hybrid",
    "ThemeClassifier": "tcs_themes.coding.model.classifier",
    "code": "tcs_themes.coding.in_memory",
    "code_files": "tcs_themes.coding.stream",
    "coded_frame": "tcs_themes.coding.coded_table",
    "read_labels": "tcs_themes.ingest.labels",
    "CodedLabels": "tcs_themes.ingest.labels",
    "train_model": "tcs_themes.coding.model.training",
    "ModelCard": "tcs_themes.coding.model.model_card",
    "load_model": "tcs_themes.coding.model.model_io",
    "save_model": "tcs_themes.coding.model.model_io",
    # evaluation
    "evaluate_coding": "tcs_themes.analysis.evaluation",
    "evaluate_files": "tcs_themes.analysis.evaluate_files",
    "Evaluation": "tcs_themes.analysis.evaluation",
    "read_coding": "tcs_themes.analysis.codings",
    "agreement": "tcs_themes.analysis.agreement",
    "agreement_files": "tcs_themes.analysis.agreement",
    "Agreement": "tcs_themes.analysis.agreement",
    # counts, quotes and search
    "ThemeCounts": "tcs_themes.analysis.counts",
    "theme_counts": "tcs_themes.analysis.counts",
    "theme_summary": "tcs_themes.analysis.counts",
    "strand_overview": "tcs_themes.analysis.counts",
    "subtheme_counts": "tcs_themes.analysis.counts",
    "cooccurrence": "tcs_themes.analysis.counts",
    "count_all": "tcs_themes.analysis.counts",
    "select_quotes": "tcs_themes.analysis.quotes",
    "quotes_by_scope": "tcs_themes.analysis.quotes",
    "find_comments": "tcs_themes.analysis.search",
    # theme discovery
    "discover_themes": "tcs_themes.analysis.discovery",
    "Discovery": "tcs_themes.analysis.discovery",
    "write_discovery": "tcs_themes.outputs.discovery_files",
    "discover_files": "tcs_themes.outputs.discovery_files",
    # charts
    "ranked_theme_chart": "tcs_themes.outputs.charts",
    "strand_heatmap": "tcs_themes.outputs.charts",
    "exercise_choice_chart": "tcs_themes.outputs.charts",
    "exercise_statement_chart": "tcs_themes.outputs.charts",
    "draw_charts": "tcs_themes.outputs.charts",
    "save_figure": "tcs_themes.outputs.charts",
    # workbook and report
    "write_workbook": "tcs_themes.outputs.workbook",
    "build_report": "tcs_themes.outputs.report",
    "write_report": "tcs_themes.outputs.report",
    "Report": "tcs_themes.outputs.report",
    "publish": "tcs_themes.outputs.publish",
    # exchange with QDA software (REFI-QDA projects)
    "export_qdpx": "tcs_themes.outputs.qdpx",
    "import_qdpx": "tcs_themes.ingest.qdpx",
}

__all__ = ["__version__", *_EXPORTS]


class _Package(types.ModuleType):
    """This package's module type: ``tcs_themes.ingest`` stays the function.

    ``ingest`` is both a subpackage and its main function. Importing the
    subpackage (``from tcs_themes.ingest import ...``) makes Python bind it here
    as an attribute, which would hide the function; this module type ignores
    that binding, so the name resolves, lazily like every other, to the function.
    The subpackage stays importable and is in ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "ingest" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from tcs_themes.analysis.counts import (
        cooccurrence,
        count_all,
        strand_overview,
        subtheme_counts,
        theme_counts,
        theme_summary,
        ThemeCounts,
    )
    from tcs_themes.analysis.agreement import Agreement, agreement, agreement_files
    from tcs_themes.analysis.codings import read_coding
    from tcs_themes.analysis.evaluate_files import (
        evaluate_files,
    )
    from tcs_themes.analysis.evaluation import (
        evaluate_coding,
        Evaluation,
    )
    from tcs_themes.analysis.quotes import (
        quotes_by_scope,
        select_quotes,
    )
    from tcs_themes.analysis.search import (
        find_comments,
    )
    from tcs_themes.analysis.discovery import Discovery, discover_themes
    from tcs_themes.outputs.discovery_files import discover_files, write_discovery
    from tcs_themes.codebook.load import default_codebook_path, load_codebook
    from tcs_themes.codebook.refi_qda import export_qdc, import_qdc
    from tcs_themes.ingest.qdpx import import_qdpx
    from tcs_themes.outputs.qdpx import export_qdpx
    from tcs_themes.codebook.write import write_codebook_yaml
    from tcs_themes.coding.rules.coder import RuleCoder, RuleMatch
    from tcs_themes.codebook.model import (
        Codebook,
        Pattern,
        Theme,
    )
    from tcs_themes.coding.model.classifier import ThemeClassifier
    from tcs_themes.coding.hybrid import (
        HybridCoder,
    )
    from tcs_themes.coding.coded_table import coded_frame
    from tcs_themes.coding.stream import code_files
    from tcs_themes.coding.in_memory import (
        code,
    )
    from tcs_themes.ingest.labels import (
        CodedLabels,
        read_labels,
    )
    from tcs_themes.coding.model.model_card import (
        ModelCard,
    )
    from tcs_themes.coding.model.model_io import (
        load_model,
        save_model,
    )
    from tcs_themes.coding.model.training import (
        train_model,
    )
    from tcs_themes.errors import (
        TcsError,
    )
    from tcs_themes.config import Settings, load_settings
    from tcs_themes.ingest import IngestResult, ingest
    from tcs_themes.ingest.redaction import redact
    from tcs_themes.ingest.exercises import (
        Exercises,
        load_exercises,
    )
    from tcs_themes.ingest.register import (
        load_register,
        SessionRegister,
    )
    from tcs_themes.outputs.charts import (
        draw_charts,
        exercise_choice_chart,
        exercise_statement_chart,
        ranked_theme_chart,
        save_figure,
        strand_heatmap,
    )
    from tcs_themes.outputs.publish import (
        publish,
    )
    from tcs_themes.outputs.report import (
        build_report,
        Report,
        write_report,
    )
    from tcs_themes.outputs.workbook import (
        write_workbook,
    )
    from tcs_themes.tables import (
        read_table,
        write_table,
    )


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
