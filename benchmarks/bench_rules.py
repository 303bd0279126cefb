"""Benchmark the rule coder: per-theme precision and recall, and speed.

Accuracy: the rules alone (``RuleCoder`` with the default codebook) against the
analyst's codes of the sample consultation. The gold codes are the authoring
files' main theme plus further themes (``scripts/sample_source/sessions``),
which are exactly the codes written into ``data/raw/notes`` for the
analyst-coded sessions (``CODED_SESSIONS`` of ``scripts/build_sample.py``). A
comment counts as a true positive for a theme when the rules give the theme and
the analyst gave it as main or further theme.

The default codebook's patterns were written while reading some of the sample
sessions (see ``PATTERN_AUTHOR_READ``); the figures are also given for the
sessions its author did not read, which is the fairer estimate.

Speed: 100,000 comments (the sample's session comments repeated), timed for
``RuleCoder.match`` and for spaCy's tokenizer alone on the same texts in the
same run.

Run ``python benchmarks/bench_rules.py`` from the repository root; it prints
the machine, the input size and the figures, and replaces the ``rules``
section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _report import machine_description, write_section  # noqa: E402

from tcs_themes.codebook import load_codebook  # noqa: E402
from tcs_themes.coding import RuleCoder  # noqa: E402

SESSIONS_DIR = ROOT / "scripts" / "sample_source" / "sessions"
#: Sessions the author of the default codebook's patterns read while writing them.
PATTERN_AUTHOR_READ = frozenset({"S01", "S02", "S03", *(f"S{n}" for n in range(14, 28))})


@dataclass
class Comment:
    """One sample comment and the analyst's theme ids (main + further)."""

    session: str
    text: str
    gold: set[str]


@dataclass
class Scores:
    """True positives, false positives and false negatives per theme."""

    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)

    def add(self, predicted: set[str], gold: set[str], theme_ids: list[str]) -> None:
        for theme_id in theme_ids:
            if theme_id in predicted:
                counts = self.tp if theme_id in gold else self.fp
            elif theme_id in gold:
                counts = self.fn
            else:
                continue
            counts[theme_id] = counts.get(theme_id, 0) + 1

    def totals(self, theme_ids: list[str] | None = None) -> tuple[int, int, int]:
        ids = theme_ids if theme_ids is not None else set(self.tp) | set(self.fp) | set(self.fn)
        return tuple(sum(counts.get(t, 0) for t in ids) for counts in (self.tp, self.fp, self.fn))  # type: ignore[return-value]


def ratio(numerator: int, denominator: int) -> str:
    """Format a ratio with two decimals, or a dash when undefined."""
    return f"{numerator / denominator:.2f}" if denominator else "-"


def coded_sessions() -> frozenset[str]:
    """Return the analyst-coded sessions, as the sample builder defines them."""
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("build_sample", ROOT / "scripts" / "build_sample.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return frozenset(module.CODED_SESSIONS)


def load_comments() -> list[Comment]:
    """Read every authoring file: one Comment per session comment, in session order."""
    comments = []
    for path in sorted(SESSIONS_DIR.glob("S*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["comments"]:
            comments.append(Comment(data["session"], item["text"], {item["theme"], *(item.get("also") or [])}))
    return comments


def score(coder: RuleCoder, comments: list[Comment]) -> Scores:
    """Score the coder's themes against the analyst's codes."""
    scores = Scores()
    for comment, matches in zip(comments, coder.match([c.text for c in comments])):
        scores.add({m.theme_id for m in matches}, comment.gold, coder.codebook.ids)
    return scores


def accuracy_markdown(coder: RuleCoder, groups: dict[str, list[Comment]], main: str) -> str:
    """Per-theme table for the main group, then micro totals for every group."""
    codebook = coder.codebook
    results = {name: score(coder, comments) for name, comments in groups.items()}
    per_theme = results[main]
    lines = [
        f"Rules alone, default codebook, against the analyst's codes (main + further themes) of the "
        f"{len(groups[main])} comments in the analyst-coded sessions of the sample consultation.",
        "",
        "| theme | analyst | rules | both | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for theme_id in codebook.ids:
        tp, fp, fn = per_theme.totals([theme_id])
        lines.append(
            f"| {theme_id} | {tp + fn} | {tp + fp} | {tp} | {ratio(tp, tp + fp)} | {ratio(tp, tp + fn)} |"
        )
    precisions = [tp / (tp + fp) for tp, fp, _ in (per_theme.totals([t]) for t in codebook.ids) if tp + fp]
    recalls = [tp / (tp + fn) for tp, _, fn in (per_theme.totals([t]) for t in codebook.ids) if tp + fn]
    lines += [
        "",
        f"Macro average over themes: precision {sum(precisions) / len(precisions):.2f}, "
        f"recall {sum(recalls) / len(recalls):.2f}.",
        "",
        "| comments | n | precision (micro) | recall (micro) | comments with at least one rule theme |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, comments in groups.items():
        tp, fp, fn = results[name].totals()
        with_theme = sum(1 for matches in coder.match([c.text for c in comments]) if matches)
        lines.append(
            f"| {name} | {len(comments)} | {ratio(tp, tp + fp)} | {ratio(tp, tp + fn)} | "
            f"{with_theme} ({with_theme / len(comments):.0%}) |"
        )
    return "\n".join(lines)


def speed_markdown(coder: RuleCoder, build_seconds: float, texts: list[str], size: int, chunk: int = 10_000) -> str:
    """Time the rule coder and spaCy's tokenizer alone on the same ``size`` comments.

    The two are timed chunk by chunk, alternately, so that both see the same
    machine load (other processes on a shared machine move the figures).
    ``build_seconds`` is the time the first ``RuleCoder`` of the process took to build.
    """
    rng = random.Random(0)
    corpus = [" ".join(rng.sample(texts, rng.choice((1, 2, 3)))) for _ in range(size)]  # distinct texts
    coder.match(corpus[:2000])  # warm up: vocab, the first distinct words
    tokenizer_seconds = coder_seconds = 0.0
    for start in range(0, size, chunk):
        part = corpus[start : start + chunk]
        began = time.perf_counter()
        for _ in coder.nlp.tokenizer.pipe(part, batch_size=1000):
            pass
        middle = time.perf_counter()
        coder.match(part)
        tokenizer_seconds += middle - began
        coder_seconds += time.perf_counter() - middle
    tokens = sum(len(d) for d in coder.nlp.tokenizer.pipe(corpus[:5000], batch_size=1000)) / min(size, 5000)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return "\n".join(
        [
            f"{size:,} comments (each one to three of the sample's {len(texts)} session comments joined, "
            f"drawn at random, so nearly every text is new; about {tokens:.0f} tokens each), one process, "
            f"timed alternately in chunks of {chunk:,}; load average {load:.1f} (a shared machine).",
            "",
            "| step | seconds | comments per second |",
            "|---|---:|---:|",
            f"| spaCy tokenizer alone | {tokenizer_seconds:.1f} | {size / tokenizer_seconds:,.0f} |",
            f"| rule coder (`RuleCoder.match`, {len(coder)} patterns) | {coder_seconds:.1f} | "
            f"{size / coder_seconds:,.0f} |",
            "",
            f"The rule coder takes {coder_seconds / tokenizer_seconds:.1f} times as long as the tokenizer alone "
            "(spaCy's tokens, each distinct word tokenized once; one phrase index per batch on lower-case "
            "words; the few token patterns that cannot be phrases, on the comments that contain their "
            "required words; exclusions and evidence).",
            "",
            f"Building the coder (`RuleCoder(codebook)`, first in the process: expanding the patterns into "
            f"phrases) took {build_seconds:.1f} s.",
        ]
    )


def main() -> None:
    """Run the benchmark, print it and write the ``rules`` section of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="comments for the speed test")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()

    codebook = load_codebook()
    comments = load_comments()
    coded = coded_sessions()
    analyst = [c for c in comments if c.session in coded]
    groups = {
        "analyst-coded sessions": analyst,
        "  of which the pattern author read": [c for c in analyst if c.session in PATTERN_AUTHOR_READ],
        "  of which the pattern author never read": [c for c in analyst if c.session not in PATTERN_AUTHOR_READ],
        "sessions left uncoded in the spreadsheets (codes from the authoring files)": [
            c for c in comments if c.session not in coded
        ],
    }
    began = time.perf_counter()
    coder = RuleCoder(codebook)
    build_seconds = time.perf_counter() - began
    accuracy = accuracy_markdown(coder, groups, "analyst-coded sessions")
    speed = speed_markdown(coder, build_seconds, [c.text for c in comments], args.size)
    markdown = "## Rule coder (`benchmarks/bench_rules.py`)\n\n### Precision and recall\n\n" + accuracy
    markdown += "\n\n### Speed\n\n" + speed + "\n"
    print(f"Machine: {machine_description()}")
    print(markdown)
    if not args.no_write:
        print(f"Wrote the 'rules' section of {write_section('rules', markdown)}", file=sys.stderr)


if __name__ == "__main__":
    main()
