"""Coding on a Dask cluster (a LocalCluster of two worker processes) gives one process's outputs, for every preset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from tcs_themes.cli import app  # noqa: E402
from tcs_themes.coding import dask_cluster  # noqa: E402
from tcs_themes.coding.dask_cluster import coder_recipe, code_dataframe, connect  # noqa: E402
from tcs_themes.coding.dask_files import code_files_on_dask  # noqa: E402
from tcs_themes.coding.hybrid import HybridCoder  # noqa: E402
from tcs_themes.coding.model.model_io import coder_for, save_model  # noqa: E402
from tcs_themes.coding.model.training import PRESETS, preset_model  # noqa: E402
from tcs_themes.coding.stream import code_files  # noqa: E402
from tcs_themes.errors import LabelsWarning, MissingExtraError  # noqa: E402
from tcs_themes.tables import read_table  # noqa: E402

TEXTS = CLARITY + GREEN + FUNDING
runner = CliRunner()


@pytest.fixture(scope="module")
def client():
    with connect("local:2") as client:
        yield client


@pytest.fixture(scope="module")
def comments_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Parquet dataset of two files, row groups of 40: odd texts, a column clashing with a coded one, analyst codes."""
    folder = tmp_path_factory.mktemp("dataset") / "comments.parquet"
    folder.mkdir()
    n = 230
    texts = [TEXTS[i % 30] + ("" if i % 7 else " and the park") for i in range(n)]
    texts[5], texts[77], texts[150] = "", "😀", "公园需要更多的树"
    frame = pd.DataFrame({
        "comment_id": [f"c{i:012x}" for i in range(n)],
        "text": texts,
        "strand": pd.array([None if i % 11 == 0 else f"Strand {i % 3}" for i in range(n)], dtype="string"),
        "themes": ["analyst's own column"] * n,
        "analyst_codes": ["clarity" if i % 9 == 0 else ("no_such_theme" if i == 40 else None) for i in range(n)],
        "votes": np.arange(n, dtype=np.int64),
    })  # fmt: skip
    frame.iloc[:120].to_parquet(folder / "part-0.parquet", row_group_size=40)
    frame.iloc[120:].to_parquet(folder / "part-1.parquet", row_group_size=40)
    return folder


def _model(preset: str, folder: Path) -> Path:
    try:
        model = preset_model(preset, tiny_codebook())
    except MissingExtraError as error:
        pytest.skip(f"the {preset} preset needs an extra that is not installed ({error})")
    Y = np.zeros((30, 4), dtype=np.int8)
    Y[:10, 0] = Y[10:20, 1] = Y[20:, 2] = 1
    return save_model(HybridCoder(tiny_codebook(), model=model).fit(TEXTS, Y), folder / f"{preset}.skops")


def _same_outputs(one: Path, dask: Path) -> None:
    """Byte for byte the same CSVs (same order); the same table in coded.parquet, also sorted by comment_id."""
    for name in ("coded.csv", "uncoded.csv"):
        assert (dask / name).read_bytes() == (one / name).read_bytes(), name
    assert (dask / "coded.parquet").is_dir() and (one / "coded.parquet").is_file()
    reference, coded = read_table(one / "coded.parquet"), read_table(dask / "coded.parquet")
    pd.testing.assert_frame_equal(coded, reference)
    by_id = [t.sort_values("comment_id", kind="stable").reset_index(drop=True) for t in (coded, reference)]
    pd.testing.assert_frame_equal(*by_id)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_codes_on_dask_as_in_one_process(tmp_path: Path, client, comments_dataset: Path, preset: str) -> None:
    model = _model(preset, tmp_path)
    book = tiny_codebook()
    one = code_files([comments_dataset], tmp_path / "one", coder_for(book, model), batch_size=64)
    seen: list[int] = []
    on_dask = code_files_on_dask([comments_dataset], tmp_path / "dask", client, coder_recipe(book, model), progress=seen.append)
    _same_outputs(tmp_path / "one", tmp_path / "dask")
    assert sorted(seen) == [30] + [40] * 5 and len(seen) == 6  # one call per partition: 3 + 3 row groups
    assert on_dask.comments == one.comments == 230
    assert (on_dask.coded, on_dask.uncoded, on_dask.low_confidence) == (one.coded, one.uncoded, one.low_confidence)
    assert on_dask.theme_counts == one.theme_counts and on_dask.code_sources == one.code_sources
    assert on_dask.errors == one.errors and len(one.errors) == 1  # the analyst's unknown theme, row named
    assert sorted(p.name for p in (tmp_path / "dask" / "coded.parquet").iterdir()) == [f"part-{i:06d}.parquet" for i in range(6)]
    assert not list((tmp_path / "dask").glob(".*"))  # no staging folder or temporary file left
    assert client.run(lambda: sorted(dask_cluster._CODERS)) == dict.fromkeys(client.run(lambda: 0), [])  # released


def test_code_dataframe_codes_a_dask_dataframe_lazily(client, comments_dataset: Path) -> None:
    import dask.dataframe as dd

    comments = dd.read_parquet(comments_dataset)
    coded = code_dataframe(comments, client, codebook=tiny_codebook(), method="rules")
    assert isinstance(coded, dd.DataFrame) and coded.npartitions == comments.npartitions
    expected = coder_for(tiny_codebook(), method="rules")
    from tcs_themes.coding.in_memory import code

    with pytest.warns(LabelsWarning, match="no_such_theme"):
        reference = code(read_table(comments_dataset), expected)
    result = coded.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(result[reference.columns], reference, check_dtype=False)
    assert list(result.columns) == list(reference.columns)


def test_cli_code_with_a_scheduler_address_on_a_csv_glob_without_ids(tmp_path: Path, client) -> None:
    frame = pd.DataFrame({"Comment": [TEXTS[i % 30] for i in range(50)], "id": range(50)})
    frame.loc[3, "Comment"] = "=HYPERLINK(\"x\") call 07700 900123 about\nthe park"  # a line break: one partition per file
    frame.iloc[:20].to_csv(tmp_path / "notes-1.csv", index=False)
    frame.iloc[20:].to_csv(tmp_path / "notes-2.csv", index=False)
    args = ["code", str(tmp_path / "notes-*.csv"), "--text-column", "Comment", "--method", "rules"]
    one = runner.invoke(app, [*args, "--out", str(tmp_path / "one")])
    on_dask = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--dask", client.scheduler.address])
    assert one.exit_code == 0 and on_dask.exit_code == 0, on_dask.output
    assert f"Dask scheduler {client.scheduler.address}: 2 workers, 2 threads" in on_dask.output
    _same_outputs(tmp_path / "one", tmp_path / "dask")
    coded = read_table(tmp_path / "dask" / "coded.parquet")
    assert coded["location"].iloc[[0, 20]].tolist() == ["notes-1!R2", "notes-2!R2"]  # each file's rows, as ingest numbers them
    assert "07700 900123" not in coded["text"].iloc[3] and len(coded) == 50  # redacted, nothing lost
    again = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--dask", client.scheduler.address])
    assert again.exit_code == 0  # a dataset replaces the one before
    rerun = runner.invoke(app, [*args, "--out", str(tmp_path / "dask")])  # and a file replaces the dataset
    assert rerun.exit_code == 0 and (tmp_path / "dask" / "coded.parquet").is_file()
    back = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--dask", client.scheduler.address])
    assert back.exit_code == 0 and (tmp_path / "dask" / "coded.parquet").is_dir()  # and a dataset replaces the file
    assert sorted(p.name for p in (tmp_path / "dask").iterdir()) == ["coded.csv", "coded.parquet", "uncoded.csv"]


def test_dask_errors_are_one_line(tmp_path: Path, client, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.csv").write_text("text\nsome jargon\n", encoding="utf-8")
    pd.DataFrame({"comment": ["x"]}).to_parquet(tmp_path / "b.parquet")
    cases = {
        ("--dask", client.scheduler.address, "--workers", "2"): "--workers and --dask do not go together",
        ("--dask", "local:0"): "--dask local:N needs N",
    }
    for options, message in cases.items():
        result = runner.invoke(app, ["code", str(tmp_path / "a.csv"), "--out", str(tmp_path / "o"), *options])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    mixed = runner.invoke(app, ["code", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--out", str(tmp_path / "o"),
                                "--dask", client.scheduler.address])  # fmt: skip
    assert mixed.exit_code == 1 and "b.csv: file or folder not found" in " ".join(mixed.output.split())
    assert (tmp_path / "o" / "coded.csv").read_text(encoding="utf-8-sig").count("some jargon") == 1  # a.csv still coded
    no_text = runner.invoke(app, ["code", str(tmp_path / "b.parquet"), "--out", str(tmp_path / "o"), "--dask", client.scheduler.address])
    assert no_text.exit_code == 1 and "b.parquet: no 'text' column" in no_text.output
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT_S", 1)
    nowhere = runner.invoke(app, ["code", str(tmp_path / "a.csv"), "--out", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9"])
    assert nowhere.exit_code == 1 and "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in nowhere.output
    assert len(nowhere.output.strip().splitlines()) == 1


def test_cli_run_on_dask_publishes_what_one_process_publishes(tmp_path: Path, client) -> None:
    from _run_inputs import copy_sample_parts

    from tcs_themes.run_manifest import check_run

    raw = copy_sample_parts(tmp_path / "raw")
    args = ["run", str(raw), "--date", "2026-12-01"]
    one = runner.invoke(app, [*args, "--out", str(tmp_path / "one")])
    on_dask = runner.invoke(app, [*args, "--out", str(tmp_path / "dask"), "--dask", client.scheduler.address])
    assert one.exit_code == 0 and on_dask.exit_code == 0, on_dask.output
    _same_outputs(tmp_path / "one", tmp_path / "dask")
    for name in ("theme-counts.xlsx", "report.html", "ingest-log.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    assert check_run(tmp_path / "dask") == []  # the manifest lists each part of the coded.parquet dataset
