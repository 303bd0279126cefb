"""The command line starts without loading the heavy libraries: each command imports what it needs.

Checked on ``sys.modules`` in a fresh interpreter, not by timing (the start-up
times are measured by ``benchmarks/bench_startup.py``).
"""

import os
import subprocess
import sys

import pytest

HEAVY = ("spacy", "sklearn", "pandas", "pyarrow", "scipy", "skops", "matplotlib", "openpyxl", "docx")


def _heavy_modules_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The heavy libraries loaded once ``code`` has run (printed on stderr: the commands print on stdout)."""
    script = f"import sys\n{code}\nprint('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    loaded = result.stderr.strip().splitlines()[-1].removeprefix("loaded:")
    return [name for name in loaded.split(",") if name]


@pytest.mark.parametrize(
    "code",
    [
        "import tcs_themes.cli.app",
        "import tcs_themes.cli",  # every command registered, as --help needs
        "import tcs_themes, tcs_themes.codebook, tcs_themes.coding",
    ],
)
def test_importing_the_cli_loads_no_heavy_library(code: str) -> None:
    assert _heavy_modules_after(code) == []


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["code", "--help"], ["run", "--help"]])
def test_version_and_help_load_no_heavy_library(argv: list[str]) -> None:
    code = f"sys.argv = ['tcs-themes', *{argv!r}]\nfrom tcs_themes.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    assert _heavy_modules_after(code) == []


def test_a_command_still_loads_what_it_needs() -> None:
    """The check above can fail: a command that reads files does load pandas."""
    assert "pandas" in _heavy_modules_after("import tcs_themes\ntcs_themes.read_table")


def test_coding_with_a_warm_cache_loads_neither_scikit_learn_nor_skops(tmp_path) -> None:
    """Once a model file has been checked, ``code`` reads it from the trusted model cache."""
    comments = tmp_path / "comments.csv"
    comments.write_text("text\nMore parks please\nToo much jargon\n", encoding="utf-8")
    argv = ["tcs-themes", "code", str(comments), "--out", str(tmp_path / "out")]
    code = f"sys.argv = {argv!r}\nfrom tcs_themes.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    env = {**os.environ, "TCS_THEMES_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TCS_THEMES_NO_CACHE", None)
    first = _heavy_modules_after(code, env)
    assert "skops" in first and (tmp_path / "out" / "coded.csv").is_file()  # the cold run checked the file
    assert [name for name in _heavy_modules_after(code, env) if name in ("sklearn", "skops")] == []
