"""How the default model codes comments whose question it does not know: emails, and a new wording.

Trains three hybrid coders on all the sample's analyst-coded comments (``data/raw/notes/``): the
default preset reading the question with a blank or unseen question read as the training data's
average question (``unknown_context="average"``, the default), the same with such a question read as
no question (``"blank"``, the default before), and the default without the question. Then codes

* the sample's emails (the ``email`` rows of ``data/coded/comments.parquet``), which answer no
  question: how many get another main theme or other themes than from the model without the
  question, and which themes are gained;
* the coded comments with their question blank, and with it replaced by a wording no training
  comment had: how close each is to the model without the question (the sensible reading of a
  question the model cannot know), and how close the two are to each other.

No analyst codes exist for the emails, and the coded comments are the training data, so this measures
agreement, not accuracy (``bench_sample_coding.py --candidates`` has the cross-validated figures).
Writes the ``unknown-question`` section of docs/benchmarks.md. Usage::

    python benchmarks/bench_unknown_question.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402

from tcs_themes.codebook import load_codebook  # noqa: E402
from tcs_themes.coding.coded_table import themes_matrix  # noqa: E402
from tcs_themes.coding.hybrid import HybridCoder  # noqa: E402
from tcs_themes.coding.model.classifier import ThemeClassifier  # noqa: E402
from tcs_themes.coding.model.training import PRESETS, QUESTION_CONTEXT, preset_model  # noqa: E402
from tcs_themes.ingest.labels import read_labels  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "data" / "raw" / "notes"
COMMENTS = ROOT / "data" / "coded" / "comments.parquet"
#: A question no session of the sample asked.
UNSEEN = "What should the council change first in its plan for the area?"
AVERAGE = "question read, unknown = average question (default)"
BLANK = "question read, unknown = no question (before)"
OFF = "question off"


def coders(codebook, labels) -> dict[str, HybridCoder]:  # noqa: ANN001
    """The three coders, each fitted on all the coded comments."""
    models = {
        AVERAGE: preset_model("default", codebook, question=True),
        BLANK: preset_model("default", codebook, question=True).set_params(unknown_context="blank"),
        OFF: ThemeClassifier(codebook=codebook, use_examples=False, **PRESETS["default"]),
    }
    X, Y = labels.inputs(), labels.Y[codebook.ids].to_numpy()
    fitted = {}
    for name, model in models.items():
        started = time.perf_counter()
        fitted[name] = HybridCoder(codebook, model=model).fit(X, Y)
        chosen = getattr(fitted[name].model_, "use_context_", None)
        print(f"{name}: fitted in {time.perf_counter() - started:.0f} s, question read {chosen}", file=sys.stderr)
    return fitted


def codes(coder: HybridCoder, texts: list[str], question: list[str], ids: list[str]) -> tuple[np.ndarray, ...]:
    """The coder's 0/1 themes, main theme and low-confidence flag of ``texts`` answering ``question``."""
    coded = coder.code(pd.DataFrame({"text": texts, "question": question}))
    return themes_matrix(coded, ids), coded["primary_theme"].to_numpy(dtype=object), coded["low_confidence"].to_numpy()


def compare(a: tuple, b: tuple, ids: list[str]) -> dict[str, object]:
    """How codes ``a`` differ from reference codes ``b``: same main theme, same themes, themes gained."""
    gained = (a[0] == 1) & (b[0] == 0)
    lost = (a[0] == 0) & (b[0] == 1)
    top = sorted(((int(gained[:, j].sum()), ids[j]) for j in range(len(ids)) if gained[:, j].any()), reverse=True)[:3]
    return {
        "same main theme": float(np.mean(a[1] == b[1])),
        "same themes": float(np.mean((a[0] == b[0]).all(axis=1))),
        "themes a comment": float(a[0].sum(axis=1).mean()),
        "low confidence": int(a[2].sum()),
        "gained / lost": f"{int(gained.any(axis=1).sum())} / {int(lost.any(axis=1).sum())}",
        "most gained": ", ".join(f"{theme} {n}" for n, theme in top) or "none",
    }


def table(rows: list[tuple[str, dict]]) -> list[str]:
    """A markdown table of ``compare`` rows."""
    heads = ("same main theme", "same themes", "themes a comment", "low confidence", "gained / lost", "most gained")
    lines = ["| coded by, question given | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for name, figures in rows:
        cells = [f"{figures[h]:.1%}" if h.startswith("same") else f"{figures[h]:.2f}" if h == "themes a comment"
                 else str(figures[h]) for h in heads]  # fmt: skip
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    started = time.perf_counter()
    codebook = load_codebook()
    ids = list(codebook.ids)
    labels = read_labels(NOTES, codebook, optional_context_columns=QUESTION_CONTEXT["context_columns"])
    fitted = coders(codebook, labels)
    comments = pd.read_parquet(COMMENTS)
    emails = comments.loc[comments["source_kind"] == "email", "text"].astype(str).tolist()
    texts, asked = list(labels.texts), list(labels.context["question"])
    n_asked = sum(bool(q) for q in asked)

    blank_emails = [""] * len(emails)
    off_emails = codes(fitted[OFF], emails, blank_emails, ids)
    email_rows = [(f"{name}, none (emails)", compare(codes(fitted[name], emails, blank_emails, ids), off_emails, ids))
                  for name in (AVERAGE, BLANK)]  # fmt: skip
    email_rows.append((f"{OFF} (the reference)", compare(off_emails, off_emails, ids)))

    off_comments = codes(fitted[OFF], texts, [""] * len(texts), ids)
    comment_rows, per_way = [], {}
    for name in (AVERAGE, BLANK):
        ways = (("their own", asked), ("blank", [""] * len(texts)), ("an unseen wording", [UNSEEN] * len(texts)))
        for way, question in ways:
            per_way[name, way] = codes(fitted[name], texts, question, ids)
            comment_rows.append((f"{name}, {way}", compare(per_way[name, way], off_comments, ids)))
    same = {name: bool((per_way[name, "blank"][0] == per_way[name, "an unseen wording"][0]).all()
                       and (per_way[name, "blank"][1] == per_way[name, "an unseen wording"][1]).all())
            for name in (AVERAGE, BLANK)}  # fmt: skip
    seconds = time.perf_counter() - started
    markdown = "\n".join([
        "## Comments whose question the model does not know (`benchmarks/bench_unknown_question.py`)",
        "",
        f"Three hybrid coders trained on all {len(texts)} analyst-coded comments of the sample ({n_asked} with a "
        f"question, {len(texts) - n_asked} without): the default preset reading the question with a blank or unseen "
        "question read as the training data's average question (`unknown_context=\"average\"`), the same with it "
        "read as no question (`\"blank\"`, the default before), and the default without the question. Each row "
        "compares a coder's codes with those of the model without the question on the same comments (no analyst "
        f"codes for the emails; the coded comments are the training data: agreement, not accuracy). {seconds:.0f} s "
        "in all.",
        "",
        f"The sample's {len(emails)} emails (no question):",
        "",
        *table(email_rows),
        "",
        f"The {len(texts)} coded comments, with their own question, with it blank, and with an unseen wording "
        f"(\"{UNSEEN}\"); blank and unseen code the same: average {same[AVERAGE]}, blank {same[BLANK]}:",
        "",
        *table(comment_rows),
    ])  # fmt: skip
    print(markdown)
    print(f"wrote {write_section('unknown-question', markdown)}")


if __name__ == "__main__":
    main()
