"""A Dask worker killed mid-run: Dask runs its partitions again and the outputs lose and repeat nothing."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed")

from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook  # noqa: E402

from tcs_themes.coding.dask_cluster import coder_recipe, connect  # noqa: E402
from tcs_themes.coding.dask_files import code_files_on_dask  # noqa: E402
from tcs_themes.coding.model.model_io import coder_for  # noqa: E402
from tcs_themes.coding.stream import code_files  # noqa: E402
from tcs_themes.tables import read_table  # noqa: E402

TEXTS = CLARITY + GREEN + FUNDING
PARTITIONS, ROWS = 24, 25
TIME_LIMIT_S = 240  # the run must end (complete or fail) within this, or the test fails


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    n = PARTITIONS * ROWS
    source = tmp_path / "comments.parquet"
    pd.DataFrame({"comment_id": [f"c{i:06d}" for i in range(n)], "text": [TEXTS[i % 30] for i in range(n)],
                  "votes": np.arange(n)}).to_parquet(source, row_group_size=ROWS)  # fmt: skip
    book = tiny_codebook()
    code_files([source], tmp_path / "one", coder_for(book, method="codebook"))
    with connect("local:2") as client:
        before = client.run(os.getpid)  # worker address -> its process id
        victim = sorted(before.values())[0]
        done: list[int] = []

        def progress(rows: int) -> None:
            if not done:  # the first partition is done, the other 23 are running or waiting: kill a worker now
                os.kill(victim, signal.SIGKILL)
            done.append(rows)

        with ThreadPoolExecutor(1) as pool:
            run = pool.submit(code_files_on_dask, [source], tmp_path / "dask", client,
                              coder_recipe(book, method="codebook"), progress=progress)  # fmt: skip
            summary = run.result(timeout=TIME_LIMIT_S)
        client.wait_for_workers(2, timeout=60)
        after = client.run(os.getpid)
    assert victim not in after.values() and len(after) == 2  # the nanny started a worker in place of the killed one
    assert len(done) == PARTITIONS and sum(done) == n  # each partition reported once
    assert summary.comments == n
    coded = read_table(tmp_path / "dask" / "coded.parquet")
    assert coded["comment_id"].tolist() == [f"c{i:06d}" for i in range(n)]  # each comment once, in order
    pd.testing.assert_frame_equal(coded, read_table(tmp_path / "one" / "coded.parquet"))
    for name in ("coded.csv", "uncoded.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "dask" / "coded.parquet").iterdir()) == [
        f"part-{i:06d}.parquet" for i in range(PARTITIONS)
    ]
