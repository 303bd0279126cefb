"""Coding on a Dask cluster against one process and the toolkit's own worker pool, at 1,000, 100,000 and 1,000,000 comments.

Builds the comments as ``bench_speed.py`` does (its generator, in a temporary
folder), written in Parquet row groups of ``--batch-size`` rows (Dask's
partitions; the worker pool codes batches of the same size), then in the same run,
for each size, times ``tcs-themes code comments.parquet --out DIR`` as a child
process three ways:

1. one process (``--workers 1``);
2. the toolkit's worker pool (``--workers 2``, forked processes);
3. a Dask ``LocalCluster`` of two worker processes (``--dask local:2``), the
   cluster's start and the coder's loading on each worker included.

It samples the memory of every process of the run every 0.2 s (peak PSS per
process: the parent, which is Dask's client and scheduler, and each worker),
checks the three coded.csv and uncoded.csv files are byte for byte the same and
hold every comment once, and writes the ``dask`` section of docs/benchmarks.md.

Usage::

    python benchmarks/bench_dask.py [--sizes 1000 100000 1000000] [--batch-size 5000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from bench_speed import ROOT, build_comments, run_child  # noqa: E402

from tcs_themes.tables import parquet_files  # noqa: E402

CONFIGS = {
    "one process": ["--workers", "1"],
    "`--workers 2`": ["--workers", "2"],
    "`--dask local:2`": ["--dask", "local:2"],
}


def in_row_groups(source: Path, target: Path, rows: int) -> None:
    """Copy the Parquet file ``source`` to ``target`` in row groups of ``rows`` (streamed)."""
    reader = pq.ParquetFile(source)
    with pq.ParquetWriter(target, reader.schema_arrow) as writer:
        for batch in reader.iter_batches(batch_size=rows):
            writer.write_batch(batch, row_group_size=rows)


def digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 22):
            sha.update(block)
    return sha.hexdigest()


def run_config(source: Path, out: Path, options: list[str], batch_size: int) -> dict[str, object]:
    """Time one ``tcs-themes code`` run; return its figures, output digests and per-process memory peaks."""
    load_before = os.getloadavg()[0]
    processes: dict[int, dict[str, object]] = {}
    seconds, cpu, pss, rss, _ = run_child([
        sys.executable, "-m", "tcs_themes", "code", str(source), "--out", str(out), "--batch-size", str(batch_size),
        *options,
    ], processes)  # fmt: skip
    parent = next(p for p in processes.values() if p["parent"])
    workers = [p for p in processes.values() if not p["parent"] and "resource_tracker" not in str(p["cmdline"])]
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in parquet_files(out / "coded.parquet"))
    figures = {
        "seconds": seconds, "cpu": cpu, "tree_pss": pss, "tree_rss": rss, "rows": rows,
        "parent_pss": parent["pss"], "worker_pss": sorted(float(w["pss"]) for w in workers),
        "digests": (digest(out / "coded.csv"), digest(out / "uncoded.csv")),
        "load": (load_before, os.getloadavg()[0]),
    }  # fmt: skip
    shutil.rmtree(out)
    return figures


def section(results: dict[int, dict[str, dict[str, object]]], batch_size: int, mean_words: dict[int, float]) -> str:
    """The ``dask`` section of docs/benchmarks.md."""
    sizes = sorted(results)
    lines = [
        "## Coding on a Dask cluster (`benchmarks/bench_dask.py`)",
        "",
        f"`tcs-themes code comments.parquet --out DIR --batch-size {batch_size}` (shipped default model, hybrid "
        "method) run as a child process three ways, at each size in the same run: one process, the toolkit's own "
        "worker pool (`--workers 2`, forked processes) and a Dask `LocalCluster` of two worker processes, one "
        "thread each (`--dask local:2`; the cluster's start and the model's loading on each worker are in its "
        "time). Comments as in the speed benchmark (sentences of the sample consultation and the pxtextmining "
        f"comments recombined), in Parquet row groups of {batch_size:,} rows: Dask's partitions, and the pool's "
        "batch size. Memory is each process's peak proportional set size (PSS), sampled every 0.2 s: the parent "
        "(with Dask, the client and the scheduler) and each worker process. The load average (1 minute) before "
        "and after each run is given: the machine's 2 cores are shared with other work, so wall times are "
        "upper bounds and the ratios, measured minutes apart in the same run, are the figures to compare.",
        "",
        "| comments | how | wall time | CPU time (all processes) | comments per second | peak PSS, parent "
        "| peak PSS per worker | peak PSS, all processes | load before / after | outputs as one process's |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for n in sizes:
        reference = results[n]["one process"]["digests"]
        for name, r in results[n].items():
            workers = ", ".join(f"{w:.2f}" for w in r["worker_pss"]) or "-"
            same = "byte for byte" if r["digests"] == reference and r["rows"] == n else "**differ**"
            lines.append(
                f"| {n:,} | {name} | {r['seconds']:.1f} s | {r['cpu']:.1f} s | {n / r['seconds']:,.0f} "
                f"| {r['parent_pss']:.2f} GB | {workers} GB | {r['tree_pss']:.2f} GB "
                f"| {r['load'][0]:.1f} / {r['load'][1]:.1f} | {same} |"
            )
    last = results[sizes[-1]]
    one, pool, dask = last["one process"], last["`--workers 2`"], last["`--dask local:2`"]
    lines += [
        "",
        f"At {sizes[-1]:,} comments ({mean_words[sizes[-1]]:.1f} words on average): Dask against the toolkit's "
        f"worker pool, wall time **{dask['seconds'] / pool['seconds']:.2f}** "
        f"(CPU time {dask['cpu'] / pool['cpu']:.2f}); the worker pool against one process "
        f"{pool['seconds'] / one['seconds']:.2f}, Dask against one process {dask['seconds'] / one['seconds']:.2f}.",
    ]
    if len(sizes) > 2:  # the smallest size measures the fixed start-up: Python, the model, the cluster
        start = results[sizes[0]]
        extra = [last[name]["seconds"] - start[name]["seconds"] for name in ("`--workers 2`", "`--dask local:2`")]
        lines.append(
            f"The run on {sizes[0]:,} comments is nearly all start-up: {start['`--workers 2`']['seconds']:.1f} s with the "
            f"worker pool, {start['`--dask local:2`']['seconds']:.1f} s with Dask (starting the cluster, loading the "
            f"model in the client and in each worker). Past it, {sizes[-1]:,} comments took Dask "
            f"{extra[1] / extra[0]:.2f} times the worker pool's time."
        )
    if len(sizes) > 1:
        small_n, large_n = sizes[-2], sizes[-1]
        for name in ("`--workers 2`", "`--dask local:2`"):
            small = max(results[small_n][name]["worker_pss"], default=0)
            large = max(last[name]["worker_pss"], default=0)
            lines.append(
                f"{name}: peak PSS of the largest worker {small:.2f} GB at {small_n:,} comments and {large:.2f} GB "
                f"at {large_n:,} ({large / small:.2f} times, for {large_n / small_n:.0f} times the comments)."
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000],
                        help="the smallest measures start-up; peak memory is compared between the two largest")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets",
                        help="the shared datasets folder (pxtextmining sentences are mixed in)")
    args = parser.parse_args()
    results: dict[int, dict[str, dict[str, object]]] = {}
    mean_words: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="tcs-dask-") as tmp:
        for n in args.sizes:
            built, source = Path(tmp) / "built.parquet", Path(tmp) / f"comments-{n}.parquet"
            mean_words[n] = build_comments(n, built, args.datasets)
            in_row_groups(built, source, args.batch_size)
            built.unlink()
            results[n] = {}
            for name, options in CONFIGS.items():
                r = run_config(source, Path(tmp) / "out", options, args.batch_size)
                results[n][name] = r
                print(f"{n:,} {name}: {r['seconds']:.1f} s ({r['cpu']:.1f} s CPU), parent {r['parent_pss']:.2f} GB, "
                      f"workers {r['worker_pss']} GB, load {r['load']}", flush=True)  # fmt: skip
            source.unlink()
            differ = [name for name, r in results[n].items() if r["digests"] != results[n]["one process"]["digests"]]
            assert not differ, f"outputs differ from one process's at {n:,}: {differ}"
    print(f"wrote {write_section('dask', section(results, args.batch_size, mean_words))}")


if __name__ == "__main__":
    main()
