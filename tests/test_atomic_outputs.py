"""A killed or failed write never leaves a half-written output, and a run that did not finish has no manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tcs_themes.atomic_write import atomic_path, write_bytes_atomic
from tcs_themes.codebook import load_codebook
from tcs_themes.coding.model.model_io import coder_for
from tcs_themes.coding.stream import code_files
from tcs_themes.errors import OutputFileError
from tcs_themes.pipeline import run_pipeline
from tcs_themes.run_manifest import MANIFEST_FILE, check_run
from tcs_themes.tables import read_table, write_table

from _run_inputs import copy_sample_parts


def _temporary_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob(".*") if ".tmp" in path.name]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    target = write_bytes_atomic(tmp_path / "notes.csv", b"previous,complete\n")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half of a new", encoding="utf-8")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "previous,complete\n"
    assert sorted(tmp_path.iterdir()) == [target]


def test_a_table_is_renamed_into_place_whole(tmp_path: Path) -> None:
    frame = pd.DataFrame({"comment_id": ["a", "b"], "text": ["More buses", "=1+1"]})
    for name in ("t.csv", "t.parquet"):
        write_table(frame, tmp_path / name)
        assert read_table(tmp_path / name)["comment_id"].tolist() == ["a", "b"]
    assert _temporary_files(tmp_path) == []


def test_an_unwritable_place_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(OutputFileError, match=r"report/out\.csv: cannot write it \(File exists\); check the folder"):
        write_table(pd.DataFrame({"a": [1]}), blocker / "out.csv")


def test_coding_interrupted_mid_way_keeps_the_previous_tables(tmp_path: Path) -> None:
    comments = tmp_path / "comments.csv"
    pd.DataFrame({"text": [f"The buses to ward {n} are late and the park needs benches" for n in range(30)]}).to_csv(
        comments, index=False
    )
    out = tmp_path / "coded"
    coder = coder_for(load_codebook(), None, method="rules")
    code_files([comments], out, coder)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        code_files([comments], out, coder, batch_size=10, progress=interrupt)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before  # no new half, no temporary files
    assert len(read_table(out / "coded.csv")) == 30


def test_a_run_that_fails_mid_way_leaves_no_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = copy_sample_parts(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_FILE).write_text('{"complete": true, "outputs": {}}\n', encoding="utf-8")  # an earlier run's
    assert check_run(out) == []

    def broken_publish(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("tcs_themes.outputs.publish.publish", broken_publish)
    with pytest.raises(OSError, match="disk full"):
        run_pipeline([raw], out, method="rules")
    assert not (out / MANIFEST_FILE).exists()
    assert "did not finish" in check_run(out)[0]
    assert (out / "coded.parquet").is_file() and _temporary_files(out) == []
