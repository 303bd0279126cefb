"""Speed of ``tcs-themes run`` and ``tcs-themes code`` on up to 1,000,000 comments, and of training.

Builds 1,000,000 comments of about 35 words by recombining sentences of the
sample consultation and of the pxtextmining patient comments (in a temporary
folder outside the repository), then in the same run:

1. times spaCy's tokenizer alone over the same texts (one process);
2. times ``tcs-themes code comments.parquet --out DIR --workers N`` end to end
   as a child process, sampling the resident memory of its whole process tree;
3. times training (``train_model``, with and without the model card's
   cross-validation) on 20,000 coded comments made from the sample's coded
   comments.

First (``--run-comments``, default 100,000 and 1,000,000) it times the main job,
``tcs-themes run``, end to end on that many comments written as CSV session
notes, with the peak memory of its process tree, and writes the ``speed-run``
section of docs/benchmarks.md after each size (``--run-only`` stops there).

Writes the ``speed`` section of docs/benchmarks.md. Usage::

    python benchmarks/bench_speed.py [--comments 1000000] [--workers 2] [--datasets ../shared/datasets]
    python benchmarks/bench_speed.py --run-only --run-comments 100000 1000000
    python benchmarks/bench_speed.py --run-comments --baseline /tmp/base/src --rounds 3 --train-comments 0

``--baseline SRC`` also times ``code`` with another checkout's ``src`` folder, alternately
with this one, ``--rounds`` times each, on the same comments in the same run: the
before and after of a change on a shared machine. ``--train-comments 0`` skips training.
With ``--run-only`` it times ``run`` instead, on the first ``--run-comments`` size, once
with each checkout on the same notes, compares every output file's bytes and writes the
``speed-run-baseline`` section::

    python benchmarks/bench_speed.py --run-only --run-comments 100000 --baseline /tmp/base/src
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = re.compile(r"(?<=[.!?])\s+")
GOALS = {"rate": 25_000, "memory_gb": 1.5, "ratio": 2.5, "train_s": 60}


def sample_comments() -> list[dict]:
    """Return the sample consultation's authored comments (text, theme, also)."""
    comments = []
    for path in sorted((ROOT / "scripts" / "sample_source" / "sessions").glob("S*.yaml")):
        comments.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["comments"])
    return comments


def sentences(datasets: Path) -> list[str]:
    """Return sentences from the sample and the pxtextmining comments."""
    found = [s for c in sample_comments() for s in SENTENCE.split(" ".join(str(c["text"]).split()))]
    feedback = pd.read_csv(datasets / "pxtextmining" / "phase1_text_data.csv", usecols=["feedback"])["feedback"].dropna()
    found += [s for text in feedback for s in SENTENCE.split(" ".join(str(text).split()))]
    return [s for s in found if len(s.split()) >= 3]


def build_comments(n: int, path: Path, datasets: Path, seed: int = 0) -> float:
    """Write ``n`` comments of about 35 words to ``path`` (Parquet); return the mean word count."""
    rng = random.Random(seed)
    pool = sentences(datasets)
    writer = None
    words = 0
    chunk = 100_000
    for start in range(0, n, chunk):
        texts = []
        for _ in range(min(chunk, n - start)):
            parts, count = [], 0
            target = rng.randint(18, 38)  # sentences overshoot: about 35 words on average
            while count < target:
                sentence = rng.choice(pool)
                parts.append(sentence)
                count += len(sentence.split())
            words += count
            texts.append(" ".join(parts))
        table = pa.table(
            {"comment_id": [f"c{i:012x}" for i in range(start, start + len(texts))], "text": texts}
        )
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=50_000)
    assert writer is not None
    writer.close()
    return words / n


def time_tokenizer(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for spaCy's tokenizer alone over every text of ``path`` (reading excluded)."""
    import spacy

    texts = pq.read_table(path, columns=["text"]).column("text").to_pylist()
    nlp = spacy.blank("en")
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.tokenizer.pipe(texts, batch_size=1000):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(
    command: list[str], per_process: dict[int, dict[str, object]] | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float, float, str]:
    """Run ``command`` as a child process, sampling the memory of its whole process tree every 0.2 s.

    Returns (seconds, CPU seconds, peak tree PSS in GB, peak tree RSS in GB, stdout). PSS
    (proportional set size) shares the pages the forked workers share with
    their parent among them; the RSS sum counts those pages once per process.
    ``per_process``, when given, is filled with each process's peak: process id ->
    ``{"pss": GB, "rss": GB, "parent": bool, "cmdline": str}``. ``env``: the child's environment (default: this one's).
    """
    started, cpu = time.perf_counter(), _children_cpu()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        parent = psutil.Process(child.pid)
        while not done.is_set():
            try:
                processes = [parent, *parent.children(recursive=True)]
                memory = [p.memory_full_info() for p in processes]
                peak_pss = max(peak_pss, sum(m.pss for m in memory))
                peak_rss = max(peak_rss, sum(m.rss for m in memory))
                for process, m in zip(processes, memory, strict=True) if per_process is not None else ():
                    seen = per_process.setdefault(process.pid, {"pss": 0.0, "rss": 0.0, "parent": process.pid == child.pid,
                                                                "cmdline": " ".join(process.cmdline())})  # fmt: skip
                    seen["pss"] = max(seen["pss"], m.pss / 1e9)
                    seen["rss"] = max(seen["rss"], m.rss / 1e9)
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(command[2:4])} failed with exit code {child.returncode}")
    return seconds, _children_cpu() - cpu, peak_pss / 1e9, peak_rss / 1e9, output


def run_code(
    path: Path, out: Path, workers: int, batch_size: int, model: Path | None = None, src: Path | None = None
) -> tuple[float, float, float, float, str]:
    """Run ``tcs-themes code`` as a child (see :func:`run_child`), with ``model`` or the shipped one, and the
    toolkit of the checkout whose ``src`` folder is ``src`` (default: as this process finds it)."""
    env = None if src is None else {**os.environ, "PYTHONPATH": str(src.resolve())}
    return run_child([
        sys.executable, "-m", "tcs_themes", "code", str(path), "--out", str(out),
        "--workers", str(workers), "--batch-size", str(batch_size), *(["--model", str(model)] if model else []),
    ], env=env)  # fmt: skip


def time_code(
    path: Path, tmp: Path, args: argparse.Namespace
) -> tuple[dict[str, list[tuple[float, float, float, float]]], str]:
    """Time ``tcs-themes code`` on ``path`` ``args.rounds`` times, alternately with this checkout and (with
    ``--baseline``) the baseline one; return each one's runs (seconds, CPU seconds, PSS GB, RSS GB) and the
    last output. Each run's outputs are counted, then removed (a million rows of CSV are large).

    Each checkout first codes 1,000 of the comments, untimed, so that the user cache holds its rule index
    and model (their keys include the code that builds them): the timed runs are the steady state.
    """
    runs: dict[str, list[tuple[float, float, float, float]]] = {"this": []}
    checkouts: list[tuple[str, Path | None]] = [("this", None)]
    if args.baseline is not None:
        runs["baseline"] = []
        checkouts.append(("baseline", args.baseline))
    warm_up = tmp / "warm-up.parquet"
    pq.write_table(pa.Table.from_batches([next(pq.ParquetFile(path).iter_batches(batch_size=1000))]), warm_up)
    for name, src in checkouts:
        run_code(warm_up, tmp / f"warm-up-{name}", args.workers, args.batch_size, args.model, src)
    output = ""
    for round_number in range(args.rounds):
        for name, src in checkouts:
            out = tmp / f"out-{name}-{round_number}"
            *figures, output = run_code(path, out, args.workers, args.batch_size, args.model, src)
            rows = pq.ParquetFile(out / "coded.parquet").metadata.num_rows
            assert rows == args.comments, f"{rows} rows written for {args.comments} comments"
            shutil.rmtree(out)
            runs[name].append(tuple(figures))
            print(f"code ({name}, round {round_number + 1}): {figures[0]:.1f} s, {figures[1]:.1f} s CPU, "
                  f"peak {figures[2]:.2f} GB PSS", flush=True)
    return runs, output


def baseline_rows(runs: dict[str, list[tuple[float, float, float, float]]], tokenizer_s: float, tokenizer_cpu: float,
                  baseline: Path) -> str:  # fmt: skip
    """Markdown rows comparing this checkout's runs of ``code`` with the baseline's (medians)."""
    commit = subprocess.run(["git", "-C", str(baseline), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or str(baseline)  # fmt: skip
    lines = []
    for name, label in (("this", "this checkout"), ("baseline", f"baseline ({commit})")):
        wall = statistics.median(r[0] for r in runs[name])
        cpu = statistics.median(r[1] for r in runs[name])
        peak = max(r[2] for r in runs[name])
        lines.append(f"| `code`, {label}: median of {len(runs[name])} runs, alternating | {wall:.1f} s ({cpu:.1f} s CPU); "
                     f"ratio to the tokenizer {wall / tokenizer_s:.2f} (CPU {cpu / tokenizer_cpu:.2f}); "
                     f"peak {peak:.2f} GB PSS | | |")
    return "\n".join(lines) + "\n"


def build_raw_inputs(n: int, folder: Path, datasets: Path, per_file: int = 100_000, seed: int = 0) -> float:
    """Write ``n`` comments as session-notes CSV files of ``per_file`` rows in ``folder``; return the mean words.

    Columns Session, Strand, Question, Comment: 500 comments per session, five
    strands, six questions, texts as :func:`build_comments` makes them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    source = folder.parent / "texts.parquet"
    mean_words = build_comments(n, source, datasets, seed=seed)
    texts = pq.ParquetFile(source)
    start = 0
    for number, batch in enumerate(texts.iter_batches(batch_size=per_file, columns=["text"])):
        comment = batch.column("text").to_pylist()
        index = range(start, start + len(comment))
        pd.DataFrame({
            "Session": [f"Session {i // 500:04d}" for i in index],
            "Strand": [f"Strand {i // 500 % 5 + 1}" for i in index],
            "Question": [f"Question {i % 6 + 1}?" for i in index],
            "Comment": comment,
        }).to_csv(folder / f"notes-{number:03d}.csv", index=False)  # fmt: skip
        start += len(comment)
    source.unlink()
    return mean_words


def run_main_job(
    n: int, tmp: Path, datasets: Path, workers: int, baseline: Path | None = None
) -> dict[str, object] | tuple[dict[str, object], dict[str, object], list[str]]:
    """Time ``tcs-themes run`` end to end on ``n`` comments in CSV session notes; return the figures.

    With ``baseline`` (another checkout's ``src`` folder) it is run too, just before, on the
    same notes with the same stated date: returns (this, baseline, the output files whose bytes differ).
    """
    inputs = tmp / f"raw-{n}" / "notes"
    mean_words = build_raw_inputs(n, inputs, datasets)
    if baseline is None:
        return _time_run(n, inputs, tmp / f"run-{n}", workers, mean_words, None)
    before = _time_run(n, inputs, tmp / f"run-{n}-baseline", workers, mean_words, baseline)
    this = _time_run(n, inputs, tmp / f"run-{n}-this", workers, mean_words, None)
    return this, before, _differing(tmp / f"run-{n}-this", tmp / f"run-{n}-baseline")


def _differing(after: Path, before: Path) -> list[str]:
    """The files of ``after`` whose bytes differ from those in ``before`` (a Parquet file holding the same table says so)."""
    differ = []
    for path in sorted(p for p in after.rglob("*") if p.is_file()):
        other = before / path.relative_to(after)
        if not other.is_file() or path.read_bytes() != other.read_bytes():
            same = path.suffix == ".parquet" and other.is_file() and pq.read_table(path).equals(pq.read_table(other))
            differ.append(f"{path.relative_to(after)}{' (the same table)' if same else ''}")
    return differ


def _time_run(n: int, inputs: Path, out: Path, workers: int, mean_words: float, src: Path | None) -> dict[str, object]:
    """One timed ``tcs-themes run`` of ``inputs`` into ``out`` (with the checkout whose ``src`` is ``src``, if given)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **({"PYTHONPATH": str(src.resolve())} if src else {})}
    load = os.getloadavg()[0]
    seconds, cpu, pss, rss, _ = run_child([
        sys.executable, "-m", "tcs_themes", "run", str(inputs), "--out", str(out), "--workers", str(workers),
    ], env=env)  # fmt: skip
    rows = pq.ParquetFile(out / "coded.parquet").metadata.num_rows
    logged = len(pd.read_csv(out / "ingest-log.csv"))  # the same text twice in one session is logged once
    assert rows + logged == n, f"{rows} comments coded and {logged} logged of {n}"
    sizes = {name: (out / name).stat().st_size / 1e6 for name in ("coded.csv", "theme-counts.xlsx", "report.html", "report.docx")}
    return {"comments": n, "coded": rows, "words": mean_words, "seconds": seconds, "cpu": cpu, "pss": pss, "rss": rss,
            "sizes": sizes, "load": (load, os.getloadavg()[0])}  # fmt: skip


def run_section(results: list[dict[str, object]], workers: int, load: float) -> str:
    """The ``speed-run`` section of docs/benchmarks.md: ``tcs-themes run`` end to end."""
    lines = [
        "## The main job end to end (`benchmarks/bench_speed.py --run-only`)",
        "",
        "`tcs-themes run NOTES --out DIR --workers "
        f"{workers}` (default model, hybrid method) on session notes: CSV files of 100,000 rows (Session, "
        "Strand, Question, Comment; 500 comments per session, five strands, six questions), comments made as for "
        "the coding speed below. Run as a child process: ingest and redaction (comments.parquet written a part at a time), "
        "coding, coded.csv/.parquet, then everything published from coded.parquet read back in batches: counts as running "
        "totals, quotes from a bounded candidate pool, charts, the workbook (its per-comment sheets streamed) and the report "
        "(from a digest of the table). Memory is the "
        "peak PSS of the whole process tree, sampled every 0.2 s (RSS summed beside it). The 1-minute load "
        f"average at the end was {load:.1f} on 2 cores shared with other work, so wall times are upper bounds; "
        "CPU times are given beside them.",
        "",
        "| comments | coded (rest logged as duplicates) | words per comment | wall time | CPU time | comments per second (wall) | peak memory (PSS) "
        "| peak memory (RSS summed) | coded.csv | theme-counts.xlsx | report.html | report.docx |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        sizes = r["sizes"]
        lines.append(
            f"| {r['comments']:,} | {r['coded']:,} | {r['words']:.1f} | {r['seconds']:.0f} s | {r['cpu']:.0f} s "
            f"| {r['comments'] / r['seconds']:,.0f} | {r['pss']:.2f} GB | {r['rss']:.2f} GB "
            f"| {sizes['coded.csv']:.0f} MB | {sizes['theme-counts.xlsx']:.0f} MB "
            f"| {sizes['report.html']:.1f} MB | {sizes['report.docx']:.1f} MB |"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["pss"] / first["pss"]) / (last["comments"] / first["comments"])
        slope = (last["pss"] - first["pss"]) * 1e9 / (last["comments"] - first["comments"]) / 1e3  # KB per extra comment
        lines += ["", f"From {first['comments']:,} to {last['comments']:,} comments peak memory grew "
                  f"{last['pss'] / first['pss']:.1f}-fold for {last['comments'] / first['comments']:.0f} times the "
                  f"comments ({growth:.2f} of proportional): {slope:.2f} KB more per extra comment. The wall time grew "
                  f"{last['seconds'] / first['seconds']:.1f}-fold."]
    return "\n".join(lines)


def run_baseline_section(this: dict[str, object], before: dict[str, object], differ: list[str], args: argparse.Namespace) -> str:
    """The ``speed-run-baseline`` section: ``run`` with this checkout and a baseline one on the same notes."""
    n = this["comments"]
    lines = [
        "### Before and after, same run (`bench_speed.py --run-only --run-comments "
        f"{n} --baseline SRC`)",
        "",
        f"`tcs-themes run NOTES --out DIR --workers {args.workers}` on the same {n:,} comments (notes as above), "
        "first with the baseline checkout's `src` (`--baseline`), then with this one, both with "
        "`SOURCE_DATE_EPOCH` set. The machine's 2 cores were shared with other work (1-minute load average "
        "before and after each run given): wall times are upper bounds, CPU times (the process tree's) are the "
        "figures to compare.",
        "",
        "| checkout | wall time | CPU time | comments per second (wall) | comments per CPU second | peak memory (PSS) "
        "| load before -> after |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in (("baseline", before), ("this", this)):
        lines.append(f"| {name} | {r['seconds']:.0f} s | {r['cpu']:.0f} s | {n / r['seconds']:,.0f} | {n / r['cpu']:,.0f} "
                     f"| {r['pss']:.2f} GB | {r['load'][0]:.1f} -> {r['load'][1]:.1f} |")  # fmt: skip
    lines += ["", f"CPU time {before['cpu'] / this['cpu']:.2f} times lower, wall time {before['seconds'] / this['seconds']:.2f} "
              f"times lower. Output files whose bytes differ between the two: {', '.join(differ) if differ else 'none'}."]
    return "\n".join(lines)


def time_training(n: int, with_card_cv: bool, seed: int = 0) -> tuple[float, float | None]:
    """Seconds to train on ``n`` coded comments: (fit only, fit with the card's 5-fold CV or None)."""
    from tcs_themes.codebook import load_codebook
    from tcs_themes.coding.hybrid import HybridCoder
    from tcs_themes.ingest.labels import CodedLabels
    from tcs_themes.coding.model.training import train_model

    codebook = load_codebook()
    coded = [c for c in sample_comments() if c.get("theme")]
    rng = random.Random(seed)
    texts, rows, groups = [], [], []
    ids = codebook.ids
    for i in range(n):
        picked = rng.sample(coded, rng.choice((1, 1, 2)))
        texts.append(" ".join(str(c["text"]) for c in picked))
        themes = {t for c in picked for t in [c["theme"], *(c.get("also") or [])]}
        rows.append([int(t in themes) for t in ids])
        groups.append(f"g{i % 20}")
    Y = pd.DataFrame(rows, columns=ids, dtype="int8")
    started = time.perf_counter()
    HybridCoder(codebook).fit(texts, Y)
    fit_only = time.perf_counter() - started
    if not with_card_cv:
        return fit_only, None
    labels = CodedLabels(texts=texts, Y=Y, comment_ids=None, groups=groups, primary=None, sources=[])
    started = time.perf_counter()
    train_model(labels, codebook, cv=5)
    return fit_only, time.perf_counter() - started


def verdict(ok: bool) -> str:
    """Markdown verdict of a goal."""
    return "met" if ok else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets",
                        help="the shared datasets folder (pxtextmining sentences are mixed in)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--train-comments", type=int, default=20_000)
    parser.add_argument("--with-card-cv", action="store_true", help="also time training with the card's 5-fold CV")
    parser.add_argument("--run-comments", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="sizes to time `tcs-themes run` end to end on (section speed-run)")
    parser.add_argument("--run-only", action="store_true", help="only time `tcs-themes run` (skip the code and training timings)")
    parser.add_argument("--model", type=Path, help="code with this .skops model (default: the shipped one)")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's src folder: also time `code` (with --run-only: `run`) with it")
    parser.add_argument("--rounds", type=int, default=1,
                        help="time `code` this many times (each checkout); the section gives the medians")
    args = parser.parse_args()
    if args.run_comments and args.baseline is not None and args.run_only:
        with tempfile.TemporaryDirectory(prefix="tcs-run-") as tmp:
            n = args.run_comments[0]
            this, before, differ = run_main_job(n, Path(tmp), args.datasets, args.workers, args.baseline)
            for name, r in (("baseline", before), ("this", this)):
                print(f"run on {n:,} ({name}): {r['seconds']:.0f} s ({r['cpu']:.0f} s CPU), peak {r['pss']:.2f} GB PSS, "
                      f"load {r['load'][0]:.1f} -> {r['load'][1]:.1f}", flush=True)
            print(f"outputs whose bytes differ: {differ or 'none'}", flush=True)
            write_section("speed-run-baseline", run_baseline_section(this, before, differ, args))
        return
    if args.run_comments:
        results = []
        with tempfile.TemporaryDirectory(prefix="tcs-run-") as tmp:
            for n in args.run_comments:
                results.append(run_main_job(n, Path(tmp), args.datasets, args.workers))
                r = results[-1]
                print(f"run on {n:,}: {r['seconds']:.0f} s ({r['cpu']:.0f} s CPU), peak {r['pss']:.2f} GB PSS "
                      f"({r['rss']:.2f} GB RSS summed)", flush=True)
                write_section("speed-run", run_section(results, args.workers, os.getloadavg()[0]))
    if args.run_only:
        return
    with tempfile.TemporaryDirectory(prefix="tcs-speed-") as tmp:
        source = Path(tmp) / "comments.parquet"
        mean_words = build_comments(args.comments, source, args.datasets)
        print(f"built {args.comments:,} comments, {mean_words:.1f} words on average", flush=True)
        tokenizer_s, tokenizer_cpu = time_tokenizer(source)
        print(f"spaCy tokenizer alone: {tokenizer_s:.1f} s ({tokenizer_cpu:.1f} s CPU)", flush=True)
        runs, output = time_code(source, Path(tmp), args)
        print(output)
    code_s, code_cpu = (statistics.median(r[i] for r in runs["this"]) for i in (0, 1))
    peak_gb, peak_rss_gb = (max(r[i] for r in runs["this"]) for i in (2, 3))
    compared = baseline_rows(runs, tokenizer_s, tokenizer_cpu, args.baseline) if args.baseline is not None else ""
    rate = args.comments / code_s
    ratio = code_s / tokenizer_s
    load = os.getloadavg()[0]
    print(
        f"code: {code_s:.1f} s ({code_cpu:.1f} s CPU), {rate:,.0f} comments/s, peak {peak_gb:.2f} GB PSS "
        f"({peak_rss_gb:.2f} GB RSS summed), "
        f"ratio {ratio:.2f}, load {load:.1f}",
        flush=True,
    )
    training = ""
    if args.train_comments > 0:
        fit_s, train_s = time_training(args.train_comments, args.with_card_cv)
        print(f"training on {args.train_comments:,}: fit {fit_s:.1f} s, with card CV {train_s} s", flush=True)
        train_verdict = verdict(fit_s < GOALS["train_s"]) if args.train_comments >= 20_000 else "not comparable (fewer comments)"
        card_cv = f"{train_s:.1f} s" if train_s is not None else "not run (--with-card-cv)"
        training = (f"| training on {args.train_comments:,} coded comments (fit) | {fit_s:.1f} s | < {GOALS['train_s']} s for "
                    f"20,000 | {train_verdict} |\n| training with the model card's 5-fold cross-validation (`tcs-themes "
                    f"train`) | {card_cv} | | |\n")  # fmt: skip


    scale = ""
    if args.comments < 1_000_000:
        hours = 1_000_000 / rate / 3600
        scale = (
            f"\n**Run on {args.comments:,} comments, not 1,000,000**: at the rate measured here "
            f"1,000,000 comments would take about {hours:.1f} hours, too long for this run.\n"
        )
    repeated = ""
    if args.rounds > 1 or args.baseline is not None:
        repeated = (f" `code` was run {args.rounds} times{' alternately with a baseline checkout' if args.baseline else ''} "
                    "on the same file: times are the medians, memory the highest peak.")  # fmt: skip
    model_option = f" --model {args.model.name}" if args.model else ""
    model_name = f"the model {args.model.name}" if args.model else "the shipped default model"
    markdown = f"""
## Speed (`benchmarks/bench_speed.py`)
{scale}
{args.comments:,} comments of {mean_words:.1f} words on average (sentences of the sample
consultation and of the pxtextmining comments recombined), coded end to end by
`tcs-themes code comments.parquet --out DIR --workers {args.workers} --batch-size {args.batch_size}{model_option}`
({model_name}, hybrid method; reading Parquet, coding, writing coded.csv, coded.parquet
and uncoded.csv), run as a child process; memory is the peak proportional set size (PSS) of its
whole process tree, sampled every 0.2 s (the RSS summed over the processes
counts the pages the forked workers share with their parent once per process). The 1-minute
load average at the end of the coding run was {load:.1f} on 2 cores (the run's own two workers
make about 2 of it; anything above is other work on the machine); CPU times are given beside
the wall-clock ones. Before the timed run, `code` coded 1,000 of the comments, untimed, to fill the
user cache (rule index, model), as any earlier run leaves it.{repeated}

| measure | result | goal | |
|---|---:|---:|---|
| comments per second | {rate:,.0f} | >= {GOALS['rate']:,} | {verdict(rate >= GOALS['rate'])} |
| wall time | {code_s:.1f} s | | |
| peak memory (PSS of the process tree) | {peak_gb:.2f} GB | < {GOALS['memory_gb']} GB | {verdict(peak_gb < GOALS['memory_gb'])} |
| peak memory (RSS summed over the processes) | {peak_rss_gb:.2f} GB | | |
| CPU time of `tcs-themes code` (all processes) | {code_cpu:.1f} s, {args.comments / code_cpu:,.0f} comments per CPU-second | | |
| spaCy tokenizer alone, same texts, same run (1 process) | {tokenizer_s:.1f} s ({tokenizer_cpu:.1f} s CPU) | | |
| ratio to the tokenizer alone (wall) | {ratio:.2f} | <= {GOALS['ratio']} | {verdict(ratio <= GOALS['ratio'])} |
| ratio to the tokenizer alone (CPU) | {code_cpu / tokenizer_cpu:.2f} | | |
{compared}{training}"""
    path = write_section("speed", markdown)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
