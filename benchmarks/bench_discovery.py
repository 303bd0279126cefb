"""Measure theme discovery: does it find themes the codebook does not have? And how fast is it?

Hidden-theme recovery: three themes are taken out of the codebook, chosen by a
fixed rule (themes ranked by how many coded comments have them, most first:
*common* = the second (the first is often a catch-all), *middling* = the
median rank, *rare* = the last with at least 20 comments). A model is trained
on the analyst's codes without them (the hidden themes' codes dropped; a
comment left with none counts as coded with no theme) and codes the comments
it was not trained on (2-fold cross-fitting: each half is coded by a model
trained on the other half), then :func:`discover_themes` runs with its default
selection (uncoded, flagged low-confidence or confidence below 0.5, and
what-is-missing answers; the tables show how many of each hidden theme's
comments it reached). A hidden theme is *recovered* when some candidate is
mostly (over half) its comments and holds at least half of its comments that
discovery selected. Purity and NMI compare the groups (leftovers as one group) with the
analyst's main theme over the selected comments that were coded. A *duplicate*
is a candidate reported as new whose majority is one kept theme. *Knowing the theme*: how far
any grouping could get, the selected comments nearest the hidden theme's centre (read from its
coded comments outside the selection, in discovery's representation), as many as it has
selected; under half of them the theme, no candidate that size recovers it. *Groups joined*:
k-means groups joined to another at least as similar as two typical kept themes
(see docs/discovery.md); the *largest candidate* shows that joining made no giant bucket.

Runs on the sample consultation (data/raw) and on pxtextmining P2
(``../shared/datasets/pxtextmining``), then times discovery over 10,000
comments (pxtextmining texts, all selected, TF-IDF and model representation).
Writes the ``discovery`` section of docs/benchmarks.md. Run::

    python benchmarks/bench_discovery.py [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine_description, write_section  # noqa: E402
from bench_pxtextmining import p2_data  # noqa: E402

from tcs_themes.analysis.discovery import LEFTOVER, Discovery, _represent, _unit_rows, discover_themes  # noqa: E402
from tcs_themes.codebook.load import load_codebook  # noqa: E402
from tcs_themes.codebook.model import Codebook, Theme  # noqa: E402
from tcs_themes.coding.hybrid import HybridCoder  # noqa: E402
from tcs_themes.coding.in_memory import code  # noqa: E402
from tcs_themes.ingest import ingest  # noqa: E402
from tcs_themes.schema import split_list  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RARE_AT_LEAST = 20
SPEED_COMMENTS = 10_000


def hidden_themes(counts: pd.Series) -> dict[str, str]:
    """The fixed rule: second most common, the median rank, the last with >= RARE_AT_LEAST comments."""
    ranked = counts.sort_values(ascending=False, kind="mergesort")
    ranked = ranked[ranked >= RARE_AT_LEAST]
    ids = list(ranked.index)
    return {"common": ids[1], "middling": ids[len(ids) // 2], "rare": ids[-1]}


def reduced_codebook(codebook: Codebook, hidden: set[str]) -> Codebook:
    """The codebook without the hidden themes (and their sub-themes)."""
    return Codebook(
        name=codebook.name,
        themes=tuple(t for t in codebook.themes if t.id not in hidden),
        subthemes=tuple(t for t in codebook.subthemes if t.parent not in hidden),
    )


def cross_fitted_codes(comments: pd.DataFrame, Y: pd.DataFrame, codebook: Codebook, method: str) -> pd.DataFrame:
    """Code each half of ``comments`` with a model trained on the other half's codes (2 folds, fixed)."""
    rng = np.random.default_rng(0)
    fold = rng.permutation(len(comments)) % 2
    parts = []
    for held in (0, 1):
        train = fold != held
        coder = HybridCoder(codebook, method=method).fit(comments.loc[train, "text"].tolist(), Y[train].to_numpy())
        parts.append(code(comments.loc[~train].drop(columns=["analyst_codes"], errors="ignore"), coder=coder))
    return in_order(parts, comments["comment_id"])


def in_order(parts: list[pd.DataFrame], ids: pd.Series) -> pd.DataFrame:
    """Join coded tables and put their rows in the order of ``ids`` (comment ids)."""
    coded = pd.concat(parts, ignore_index=True)
    position = pd.Index(coded["comment_id"].astype(str)).get_indexer(ids.astype(str))
    return coded.iloc[position].reset_index(drop=True)


def score(found: Discovery, truth: dict[str, list[str]], hidden: dict[str, str]) -> dict[str, object]:
    """Recovery of each hidden theme, purity and NMI of the groups, and duplicates of kept themes."""
    table = found.comments
    codes = [truth.get(str(c), []) for c in table["comment_id"]]
    coded = np.array([bool(c) for c in codes], dtype=bool)  # dtypes given: an empty selection scores too
    result: dict[str, object] = {}
    hidden_ids = set(hidden.values())
    for role, theme in hidden.items():
        has = np.array([theme in c for c in codes], dtype=bool)
        best = "not recovered"
        for candidate in found.candidates:
            members = (table["candidate"] == candidate.id).to_numpy()
            share_of_candidate = has[members].mean() if members.any() else 0.0
            held = has[members].sum() / max(has.sum(), 1)
            if share_of_candidate > 0.5 and held >= 0.5:
                best = (
                    f"recovered by {candidate.id} ({share_of_candidate:.0%} of it, {held:.0%} of its {has.sum()} selected; "
                    f"reported as {candidate.status})"
                )
                break
        largest = max(
            ((has[(table["candidate"] == c.id).to_numpy()].sum(), c) for c in found.candidates),
            key=lambda item: item[0], default=(0, None),
        )  # fmt: skip
        if best == "not recovered" and largest[1] is not None:
            members = (table["candidate"] == largest[1].id).to_numpy()
            best += (
                f" (best: {largest[1].id} holds {largest[0]} of its {has.sum()} selected, "
                f"{has[members].mean():.0%} of that candidate)"
            )
        mostly = [c for c in found.candidates if has[(table["candidate"] == c.id).to_numpy()].mean() > 0.5]
        if mostly and not best.startswith("recovered"):
            together = sum(has[(table["candidate"] == c.id).to_numpy()].sum() for c in mostly)
            best += f"; {len(mostly)} candidates are mostly this theme, together {together} of its {has.sum()}"
        result[f"{role}: {theme}"] = best
        result[f"{role}: selected / coded with it"] = f"{has.sum()} / {sum(theme in c for c in truth.values())}"
    main = np.array([c[0] if c else "" for c in codes], dtype=object)
    groups = table["candidate"].to_numpy(dtype=object)
    in_groups = coded & (groups != LEFTOVER)
    majority = 0
    duplicates = []
    for candidate in found.candidates:
        members = in_groups & (groups == candidate.id)
        if members.any():
            top, n = Counter(main[members]).most_common(1)[0]
            majority += n
            if candidate.is_new and n / members.sum() > 0.5 and top not in hidden_ids:
                duplicates.append(f"{candidate.id} ({n}/{members.sum()} {top})")
    result["purity"] = round(majority / max(in_groups.sum(), 1), 3)
    result["NMI"] = round(float(normalized_mutual_info_score(main[coded], groups[coded])), 3) if coded.any() else None
    result["duplicates of kept themes"] = "; ".join(duplicates) or "none"
    largest = max(found.candidates, key=lambda c: c.size, default=None)
    result["largest candidate"] = f"{largest.size} ({largest.size / found.n_selected:.0%} of the selected)" if largest else "none"
    return result


def knowing_the_theme(
    found: Discovery, coded: pd.DataFrame, truth: dict[str, list[str]], hidden: dict[str, str], model: object
) -> dict[str, str]:
    """How far any grouping could get: the selected comments nearest each hidden theme's centre.

    The centre is read from the theme's comments the analyst coded *outside* the selection
    (so it does not know which selected comments are the theme's), in discovery's own
    representation; of the selected comments, as many as it has selected are taken nearest
    that centre. Under half of them the theme means no candidate of that size could recover it.
    """
    selected = set(found.comments["comment_id"].astype(str))
    ids = coded["comment_id"].astype(str)
    result = {}
    for role, theme in hidden.items():
        outside = [t for i, t in zip(ids, coded["text"].astype(str)) if i not in selected and theme in truth.get(i, [])]
        has = np.array([theme in truth.get(str(i), []) for i in found.comments["comment_id"]], dtype=bool)
        if not outside or not has.any():
            result[f"{role}: knowing the theme"] = "no comments to read it from"
            continue
        vectors, references, _ = _represent(found.comments["text"].astype(str).tolist(), model, outside)
        centre = np.asarray(_unit_rows(references).mean(axis=0)).ravel()
        nearest = np.argsort(-(_unit_rows(vectors) @ centre), kind="mergesort")[: has.sum()]
        result[f"{role}: knowing the theme"] = (
            f"the {has.sum()} selected nearest its centre (from its {len(outside)} coded comments not selected) "
            f"are {has[nearest].mean():.0%} the theme ({has[nearest].sum()} of its {has.sum()})"
        )
    return result


def run_case(
    name: str, comments: pd.DataFrame, truth: dict[str, list[str]], counts: pd.Series, codebook: Codebook, method: str
) -> tuple[str, pd.DataFrame, Codebook, object]:
    """Hide three themes, code with cross-fitting, discover; return a markdown block, the coded table,
    the reduced codebook and the model trained on every coded comment (the coder's representation)."""
    hidden = hidden_themes(counts)
    kept = reduced_codebook(codebook, set(hidden.values()))
    labelled = comments[comments["comment_id"].astype(str).isin(truth)]
    Y = pd.DataFrame(
        [[int(t.id in truth[str(i)]) for t in kept.themes] for i in labelled["comment_id"]],
        columns=kept.ids, index=labelled.index,
    )  # fmt: skip
    started = time.perf_counter()
    full = HybridCoder(kept, method=method).fit(labelled["text"].tolist(), Y.to_numpy())
    rest = comments.drop(index=labelled.index).drop(columns=["analyst_codes"], errors="ignore")
    parts = [cross_fitted_codes(labelled, Y, kept, method)] + ([code(rest, coder=full)] if len(rest) else [])
    coded = in_order(parts, comments["comment_id"])
    coding_seconds = time.perf_counter() - started
    rows = []
    for model in (full.model_, None):
        started = time.perf_counter()
        found = discover_themes(coded, kept, model=model)
        seconds = time.perf_counter() - started
        figures = score(found, truth, hidden) | knowing_the_theme(found, coded, truth, hidden, model)
        recovered = sum(str(v).startswith("recovered") for k, v in figures.items() if ":" in k)
        rows.append(
            {
                "representation": found.representation,
                "selected": found.n_selected,
                "candidates (new / more of)": f"{sum(c.is_new for c in found.candidates)} / {sum(not c.is_new for c in found.candidates)}",
                "left over": f"{found.n_leftover} ({found.leftover_share:.0%})",
                "groups joined (of k)": f"{found.settings.get('groups_merged', 0)} (of {found.settings.get('k', 0)})",
                "recovered": f"{recovered} of 3",
                **figures,
                "discovery seconds": round(seconds, 2),
            }
        )
    frame = pd.DataFrame(rows).set_index("representation").T
    hidden_note = ", ".join(f"{role} `{theme}` ({int(counts[theme])} comments)" for role, theme in hidden.items())
    text = (
        f"### {name}\n\n{len(comments)} comments, {len(labelled)} coded; hidden: {hidden_note}. "
        f"Coding (2-fold cross-fitting + the rest): {coding_seconds:.0f} s.\n\n" + markdown(frame) + "\n"
    )
    return text, coded, kept, full.model_


def markdown(frame: pd.DataFrame) -> str:
    """A markdown table of ``frame`` with its index as the first column."""
    lines = ["| | " + " | ".join(map(str, frame.columns)) + " |", "|---" * (len(frame.columns) + 1) + "|"]
    for name, row in frame.iterrows():
        lines.append(f"| {name} | " + " | ".join(str(v).replace("|", "/") for v in row) + " |")
    return "\n".join(lines)


def sample_case() -> str:
    """The sample consultation: the analyst's codes (main theme first) from data/raw."""
    codebook = load_codebook()
    comments = ingest(REPO / "data" / "raw").comments.reset_index(drop=True)
    truth = {str(i): split_list(c) for i, c in zip(comments["comment_id"], comments["analyst_codes"]) if split_list(c)}
    counts = pd.Series(Counter(c[0] for c in truth.values()))
    return run_case("Sample consultation (hybrid coder)", comments, truth, counts, codebook, "hybrid")[0]


def pxtextmining_case(folder: Path) -> tuple[str, pd.DataFrame, Codebook, object]:
    """pxtextmining P2: every labelled comment, themes as a codebook without patterns (model-only coding)."""
    inputs, labels = p2_data(folder)
    comments = pd.DataFrame(
        {"comment_id": [f"px{i:05d}" for i in range(len(inputs))], "text": inputs["text"], "question": inputs["question"],
         "strand": inputs["service"], "session_name": inputs["trust"]}
    )  # fmt: skip
    truth = {}
    for cid, row in zip(comments["comment_id"], labels.to_numpy()):
        truth[cid] = [labels.columns[j] for j in np.flatnonzero(row)]
    codebook = Codebook(name="pxtextmining v6", themes=tuple(Theme(id=c, name=c.replace("_", " ")) for c in labels.columns))
    return run_case("pxtextmining P2 (model only)", comments, truth, labels.sum(), codebook, "model")


def speed(coded: pd.DataFrame, codebook: Codebook, model: object) -> str:
    """Time discovery over SPEED_COMMENTS comments (the coded table repeated with distinct ids), all selected."""
    repeats = -(-SPEED_COMMENTS // len(coded))
    big = pd.concat([coded] * repeats, ignore_index=True).head(SPEED_COMMENTS)
    big["comment_id"] = [f"s{i:06d}" for i in range(len(big))]
    lines = ["| representation | comments | seconds | goal |", "|---|---:|---:|---|"]
    for name, representation in (("model", model), ("TF-IDF", None)):
        started = time.perf_counter()
        found = discover_themes(big, codebook, model=representation, sources=("all",))
        seconds = time.perf_counter() - started
        goal = "met" if seconds < 30 else "**not met**"
        lines.append(f"| {found.representation} | {len(big):,} | {seconds:.1f} | < 30 s {goal} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    args = parser.parse_args()
    print(machine_description())
    sample_text = sample_case()
    print(sample_text)
    px_text, px_coded, px_book, px_model = pxtextmining_case(args.datasets / "pxtextmining")
    print(px_text)
    speed_text = speed(px_coded, px_book, px_model)
    print(speed_text)
    write_section(
        "discovery",
        "## Theme discovery (`benchmarks/bench_discovery.py`)\n\n"
        + " ".join(__doc__.split("\n\n")[1].split()).replace(":func:", "")
        + "\n\n"
        + sample_text + "\n" + px_text
        + "\nThe other representations and groupings tried, and their figures: docs/discovery.md, "
        "\"How well it works\".\n\n### Speed\n\nDiscovery alone (selection to candidates, no files), "
        "every comment selected, one run:\n\n" + speed_text + "\n",
    )


if __name__ == "__main__":
    main()
