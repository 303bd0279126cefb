"""Benchmark start-up: how long the command line takes for --version, --help and coding 10 comments.

Each command runs as a fresh child process (``python -c "from tcs_themes.entry
import main; main()" ...``, what the ``tcs-themes`` console script runs, with
this checkout's ``src`` first on the path), ``--repeats`` times; the table gives
the median wall-clock time and the median CPU time of the child (the machine is
shared, so CPU time is the steadier figure). ``code`` codes a CSV of 10 sample
comments with the default codebook and model (hybrid method), writing
coded.csv, coded.parquet and uncoded.csv:

- cold: the user cache is empty (a new ``TCS_THEMES_CACHE_DIR`` each time), so
  the codebook is validated, the model file checked and read with skops (which
  imports all of scikit-learn), the codebook's patterns expanded and the phrase
  index built, and all of them cached;
- warm: the cache holds them (what every run after the first sees): no skops,
  no scikit-learn.

For scale, the same run times the floor no code change can remove: starting
Python, and importing what a warm ``code`` needs (spaCy, pandas, pyarrow and
SciPy's sparse matrices). ``--baseline SRC`` also times
``--version``, ``--help`` and ``code`` with another checkout's ``src`` (e.g. the
code before a change), in the same run, so the ratios hold whatever the load.

Run ``python benchmarks/bench_startup.py`` from the repository root; it prints
the machine and the figures and replaces the ``startup`` section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import machine_description, write_section  # noqa: E402

SESSIONS_DIR = ROOT / "scripts" / "sample_source" / "sessions"
CLI = "import sys; sys.argv[0] = 'tcs-themes'; from tcs_themes.entry import main; main()"
#: Goals of issue 13, in seconds of wall-clock time on the project machine.
GOALS = {"--version": 0.5, "--help": 0.5, "code, warm cache": 2.5}
#: The row timing the imports a warm ``code`` cannot do without.
FLOOR = "imports a warm `code` needs (spaCy, pandas, pyarrow, SciPy)"


def ten_comments(folder: Path) -> Path:
    """Write the first 10 authored comments of the sample consultation to a CSV with a ``text`` column."""
    texts = []
    for path in sorted(SESSIONS_DIR.glob("S*.yaml")):
        texts += [str(c["text"]) for c in yaml.safe_load(path.read_text(encoding="utf-8"))["comments"]]
        if len(texts) >= 10:
            break
    target = folder / "ten.csv"
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text"])
        writer.writerows([text] for text in texts[:10])
    return target


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``argv``; return (wall seconds, CPU seconds of the child). A failing command stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(argv: list[str], env: dict[str, str], repeats: int, before_each=None) -> tuple[float, float]:
    """Median wall and CPU seconds over ``repeats`` runs (``before_each`` is called before every run)."""
    walls, cpus = [], []
    for _ in range(repeats):
        if before_each is not None:
            before_each()
        wall, cpu = timed(argv, env)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each command (the median is reported)")
    parser.add_argument("--baseline", type=Path, help="another checkout's src folder to time the same commands with")
    args = parser.parse_args()
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    comments = ten_comments(work)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TCS_THEMES_CACHE_DIR": str(work / "cache")}
    env.pop("TCS_THEMES_NO_CACHE", None)
    code = [python, "-c", CLI, "code", str(comments), "--out", str(work / "coded")]
    cold_caches = iter(range(10**6))

    def empty_cache() -> None:
        env["TCS_THEMES_CACHE_DIR"] = str(work / f"cache-{next(cold_caches)}")

    rows: list[tuple[str, tuple[float, float]]] = [
        ("Python start (`python -c pass`)", measure([python, "-c", "pass"], env, args.repeats)),
        ("--version", measure([python, "-c", CLI, "--version"], env, args.repeats)),
        ("--help", measure([python, "-c", CLI, "--help"], env, args.repeats)),
        ("code --help", measure([python, "-c", CLI, "code", "--help"], env, args.repeats)),
        (FLOOR, measure([python, "-c", "import spacy, pandas, pyarrow.parquet, scipy.sparse"], env, args.repeats)),
        ("code, cold cache", measure(code, env, args.repeats, before_each=empty_cache)),
    ]  # fmt: skip
    env["TCS_THEMES_CACHE_DIR"] = str(work / "cache")
    timed(code, env)  # fill the cache
    rows.append(("code, warm cache", measure(code, env, args.repeats)))
    baseline = []
    if args.baseline is not None:
        commit = subprocess.run(["git", "-C", str(args.baseline), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip() or str(args.baseline)  # fmt: skip
        old = {**env, "PYTHONPATH": str(args.baseline.resolve())}
        for name, argv in (("--version", [python, "-c", CLI, "--version"]), ("--help", [python, "-c", CLI, "--help"]),
                           ("code, warm cache", code)):  # fmt: skip
            baseline.append((f"{name}, baseline ({commit})", name, measure(argv, old, args.repeats)))
    load = os.getloadavg()[0]

    print(machine_description())
    print(f"{args.repeats} runs each, median; 1-minute load average at the end {load:.1f} on {os.cpu_count()} cores")
    lines = [
        "`tcs-themes` started as a fresh process for each run, with this checkout's `src` first on the path; "
        f"median of {args.repeats} runs. `code` codes a CSV of 10 sample comments (default codebook and model, "
        "hybrid method) and writes coded.csv, coded.parquet and uncoded.csv; cold: the user cache empty (codebook "
        "validated, model file checked and read with skops, which imports all of scikit-learn, rule index built), "
        "warm: filled by an earlier run (no skops, no scikit-learn). The imports row is the floor for a warm `code` "
        "that no change to the toolkit can remove. The machine is shared: the 1-minute load "
        f"average at the end was {load:.1f} on {os.cpu_count()} cores, so the CPU times are the steadier figures.",
        "",
        "| command | wall time (s) | CPU time (s) | goal (wall) | |",
        "|---|---:|---:|---:|---|",
    ]
    for name, (wall, cpu) in rows:
        goal = GOALS.get(name)
        verdict = "" if goal is None else ("met" if wall < goal else "not met")
        lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {'' if goal is None else f'< {goal}'} | {verdict} |")
        print(f"{name:55s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  {verdict}")
    for label, name, (wall, cpu) in baseline:
        new_wall, new_cpu = dict(rows)[name]
        lines.append(f"| {label} | {wall:.2f} | {cpu:.2f} | | this checkout: {new_wall / wall:.2f} of the wall time, "
                     f"{new_cpu / cpu:.2f} of the CPU time |")  # fmt: skip
        print(f"{label:55s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  (ratio {new_wall / wall:.2f} wall, {new_cpu / cpu:.2f} CPU)")
    floor = dict(rows)[FLOOR][0]
    warm, cold = dict(rows)["code, warm cache"][0], dict(rows)["code, cold cache"][0]
    lines += [
        "",
        f"`code` with a warm cache takes {warm / floor:.2f} times the imports it cannot avoid, "
        f"and {cold - warm:.2f} s less than with a cold one.",
    ]
    print(lines[-1])
    print(f"Wrote {write_section('startup', '## Start-up (`benchmarks/bench_startup.py`)' + chr(10) + chr(10) + chr(10).join(lines))}")


if __name__ == "__main__":
    main()
