"""The researchers' notebooks run top to bottom, are committed without outputs, and write nothing into the repository.

Each notebook is executed with nbclient in a Python kernel of the interpreter
running the tests (a kernel spec written to a temporary folder, so an installed
``python3`` spec that points at another Python cannot be picked up by mistake).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = ["01_explore_coded_feedback.ipynb", "02_train_and_evaluate.ipynb", "03_bring_your_own_codebook.ipynb"]
#: All three notebooks must run in under two minutes in total.
TOTAL_SECONDS = 120
_timings: dict[str, float] = {}


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernel spec manager that knows one kernel: ipykernel on this very interpreter."""
    folder = tmp_path_factory.mktemp("kernels") / "tcs-themes-test"
    folder.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tcs-themes tests",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(folder.parent)])


def _repository_files() -> dict[str, float]:
    """Every file under the repository (outside caches and git), with its modification time."""
    skip = {".git", ".pytest_cache", "__pycache__", ".ipynb_checkpoints", ".ruff_cache", ".mypy_cache"}
    found = {}
    for path in ROOT.rglob("*"):
        if path.is_file() and not skip & set(path.relative_to(ROOT).parts):
            found[str(path.relative_to(ROOT))] = path.stat().st_mtime
    return found


def test_the_three_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown", "a notebook starts by saying what it does"
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 5, "explain each step in plain English"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, kernel_specs: KernelSpecManager) -> None:
    nb = nbformat.read(path, as_version=4)
    before = _repository_files()
    manager = KernelManager(kernel_name="tcs-themes-test", kernel_spec_manager=kernel_specs)
    client = NotebookClient(
        nb, km=manager, timeout=TOTAL_SECONDS, resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and traceback, if any cell fails
    _timings[path.name] = time.perf_counter() - start
    assert _repository_files() == before, f"{path.name} wrote into the repository"
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "Traceback" not in streams
    if path.name != "03_bring_your_own_codebook.ipynb":
        images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
        assert images, f"{path.name} should show at least one chart"


def test_notebooks_run_in_under_two_minutes_in_total() -> None:
    if len(_timings) != len(NOTEBOOKS):
        pytest.skip("run with the notebook executions to time them")
    assert sum(_timings.values()) < TOTAL_SECONDS, _timings
