"""The publishing API is importable from the package, lazily (the CLI starts without it)."""

import subprocess
import sys

import tcs_themes

PUBLISHING = {
    "Exercises", "ThemeCounts", "build_report", "count_all", "draw_charts", "load_exercises", "publish",
    "quotes_by_scope", "select_quotes", "theme_counts", "theme_summary", "write_report", "write_workbook",
}  # fmt: skip


def test_publishing_names_are_public() -> None:
    assert PUBLISHING <= set(tcs_themes.__all__)
    for name in PUBLISHING:
        assert callable(getattr(tcs_themes, name)), name


def test_cli_does_not_import_matplotlib_or_python_docx() -> None:
    code = "import sys, tcs_themes.cli; print(sorted({'matplotlib', 'docx'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
