"""The examples in ``docs/api.md`` are real: they run, in order, from the repository root.

They call every part of the API on the sample consultation, so this is also the
test that nothing in the API prints: the examples' own ``print`` calls are
collected instead of printed, and anything else written to stdout or stderr (by
Python or below it) fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "api.md"


def _code_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)


def test_docs_have_an_example_for_most_names() -> None:
    assert len(_code_blocks()) >= 40


def test_docs_examples_run_and_the_api_prints_nothing(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    printed: list[str] = []
    namespace: dict[str, object] = {"print": lambda *args, **_: printed.append(" ".join(map(str, args)))}
    for number, block in enumerate(_code_blocks(), start=1):
        try:
            exec(compile(block, f"docs/api.md example {number}", "exec"), namespace)  # noqa: S102
        except Exception as error:  # pragma: no cover - the message says which example failed
            pytest.fail(f"docs/api.md example {number} failed: {type(error).__name__}: {error}\n{block}")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == "", "the API printed something"
    assert printed, "the examples' own print calls were collected"
    assert len(namespace["comments"]) > 900
    assert namespace["coded"]["comment_id"].tolist() == namespace["sample"]["comment_id"].tolist()
    assert len(namespace["scores"]) == 3 and all(0 < score <= 1 for score in namespace["scores"])
    assert Path(namespace["paths"]["workbook"]).is_file()
