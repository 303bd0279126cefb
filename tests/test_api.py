"""The public Python API: its namespace is pinned, every name is documented and typed, imports stay light.

Like pandas' ``tests/api/test_api.py``: adding or removing a public name must be a
deliberate change to :data:`PUBLIC` here and to ``docs/api.md``.
"""

from __future__ import annotations

import inspect
import pkgutil
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import tcs_themes

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"

PUBLIC = sorted(
    [
        "__version__",
        # tables and errors
        "read_table",
        "write_table",
        "TcsError",
        # codebook
        "Codebook",
        "Theme",
        "Pattern",
        "load_codebook",
        "default_codebook_path",
        "write_codebook_yaml",
        "export_qdc",
        "import_qdc",
        "RuleCoder",
        "RuleMatch",
        # ingest
        "ingest",
        "IngestResult",
        "redact",
        "Settings",
        "load_settings",
        "load_register",
        "SessionRegister",
        "Exercises",
        "load_exercises",
        # coding
        "HybridCoder",
        "ThemeClassifier",
        "code",
        "code_files",
        "coded_frame",
        "read_labels",
        "CodedLabels",
        "train_model",
        "ModelCard",
        "load_model",
        "save_model",
        # evaluation
        "evaluate_coding",
        "evaluate_files",
        "Evaluation",
        "read_coding",
        "agreement",
        "agreement_files",
        "Agreement",
        # counts, quotes and search
        "ThemeCounts",
        "theme_counts",
        "theme_summary",
        "strand_overview",
        "subtheme_counts",
        "cooccurrence",
        "count_all",
        "select_quotes",
        "quotes_by_scope",
        "find_comments",
        "discover_themes",
        "Discovery",
        "write_discovery",
        "discover_files",
        # charts
        "ranked_theme_chart",
        "strand_heatmap",
        "exercise_choice_chart",
        "exercise_statement_chart",
        "draw_charts",
        "save_figure",
        # workbook and report
        "write_workbook",
        "build_report",
        "write_report",
        "Report",
        "publish",
        # exchange with QDA software
        "export_qdpx",
        "import_qdpx",
    ]
)
NAMES = [name for name in PUBLIC if name != "__version__"]


def test_public_namespace_is_pinned() -> None:
    assert sorted(tcs_themes.__all__) == PUBLIC
    assert len(set(tcs_themes.__all__)) == len(tcs_themes.__all__)


def test_every_public_name_resolves_and_is_listed_by_dir() -> None:
    for name in PUBLIC:
        assert getattr(tcs_themes, name) is not None
    assert set(PUBLIC) <= set(dir(tcs_themes))
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        tcs_themes.not_a_name  # noqa: B018


def test_only_ingest_is_both_a_subpackage_and_a_public_name() -> None:
    """A lazily bound name would be replaced by a same-named subpackage once that is imported."""
    submodules = {module.name for module in pkgutil.iter_modules(tcs_themes.__path__)}
    assert submodules & set(PUBLIC) == {"ingest"}


def test_ingest_stays_the_function_after_the_subpackage_is_imported() -> None:
    from tcs_themes.ingest import register  # noqa: F401 - imports more of the subpackage
    from tcs_themes.ingest import ingest

    assert tcs_themes.ingest is ingest
    assert callable(tcs_themes.ingest) and tcs_themes.ingest.__module__ == "tcs_themes.ingest"
    assert sys.modules["tcs_themes.ingest"].ingest is ingest


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from tcs_themes import *", namespace)  # noqa: S102 - the point of the test
    assert sorted(k for k in namespace if k != "__builtins__") == PUBLIC


def _public_callables(name: str) -> list[tuple[str, object]]:
    """The name itself, and for a class its constructor and public methods defined in the package."""
    obj = getattr(tcs_themes, name)
    if not inspect.isclass(obj):
        return [(name, obj)]
    found: list[tuple[str, object]] = []
    if issubclass(obj, BaseException):
        return found
    for attr, member in vars(obj).items():
        if attr.startswith("_") and attr != "__init__":
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if isinstance(member, property):
            member = member.fget
        if inspect.isfunction(member):
            found.append((f"{name}.{attr}", member))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_public_name_has_a_docstring(name: str) -> None:
    obj = getattr(tcs_themes, name)
    assert (inspect.getdoc(obj) or "").strip(), f"{name} has no docstring"
    for qualname, member in _public_callables(name):
        if qualname.endswith(".__init__"):
            continue  # documented on the class, numpydoc style
        assert (inspect.getdoc(member) or "").strip(), f"{qualname} has no docstring"


@pytest.mark.parametrize("name", NAMES)
def test_public_name_has_type_hints(name: str) -> None:
    for qualname, member in _public_callables(name):
        if not str(getattr(member, "__module__", "")).startswith("tcs_themes"):
            continue  # defined by a library, not by the toolkit
        hints = typing.get_type_hints(member)
        params = [
            p
            for p in inspect.signature(member).parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        missing = [p.name for p in params if p.name not in hints]
        assert not missing, f"{qualname}: parameters without type hints: {missing}"
        assert "return" in hints, f"{qualname}: no return type hint"


def test_docs_mention_every_public_name() -> None:
    text = DOCS.read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} `([A-Za-z_]+)", text, flags=re.MULTILINE))
    assert set(NAMES) <= headings, f"not in docs/api.md: {sorted(set(NAMES) - headings)}"
    assert headings <= set(PUBLIC), f"docs/api.md documents non-public names: {sorted(headings - set(PUBLIC))}"


def test_import_is_light() -> None:
    code = (
        "import sys, tcs_themes; "
        "print(','.join(m for m in ('spacy', 'sklearn', 'matplotlib', 'docx', 'skops', 'pandas') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
