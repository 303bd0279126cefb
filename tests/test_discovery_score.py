"""The discovery benchmark's scoring (benchmarks/bench_discovery.py) on the sample's real coded table."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from tcs_themes.analysis.discovery import discover_themes
from tcs_themes.codebook.load import load_codebook
from tcs_themes.coding.model.model_io import load_model
from tcs_themes.schema import split_list

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_discovery import hidden_themes, knowing_the_theme, score  # noqa: E402


@pytest.fixture(scope="module")
def case():
    codebook = load_codebook()
    coded = pd.read_parquet(REPO / "data" / "coded" / "coded.parquet")
    truth = {str(i): split_list(t) for i, t in zip(coded["comment_id"], coded["themes"]) if split_list(t)}
    hidden = hidden_themes(pd.Series(Counter(t[0] for t in truth.values())))
    return coded, codebook, load_model(None, codebook).model, truth, hidden


def test_an_empty_selection_scores_as_nothing_recovered(case):
    coded, codebook, model, truth, hidden = case
    found = discover_themes(coded, codebook, model=model, sources=["question:no question asks this"])
    assert found.n_selected == 0
    figures = score(found, truth, hidden)
    assert [figures[f"{role}: {theme}"] for role, theme in hidden.items()] == ["not recovered"] * 3
    assert figures["purity"] == 0.0 and figures["NMI"] is None
    assert figures["largest candidate"] == "none" and figures["duplicates of kept themes"] == "none"
    for role, theme in hidden.items():
        assert figures[f"{role}: selected / coded with it"] == f"0 / {sum(theme in t for t in truth.values())}"
    assert set(knowing_the_theme(found, coded, truth, hidden, model).values()) == {"no comments to read it from"}


def test_a_real_selection_scores_within_bounds(case):
    coded, codebook, model, truth, hidden = case
    found = discover_themes(coded, codebook, model=model)
    figures = score(found, truth, hidden)
    assert 0.0 < figures["purity"] <= 1.0 and 0.0 <= figures["NMI"] <= 1.0
    selected = set(found.comments["comment_id"])
    for role, theme in hidden.items():
        reached = sum(theme in truth.get(str(c), []) for c in selected)
        assert figures[f"{role}: selected / coded with it"].startswith(f"{reached} / ")
    bound = knowing_the_theme(found, coded, truth, hidden, model)
    for role, theme in hidden.items():  # as many taken as the theme has selected, so the share and the count agree
        reached = sum(theme in truth.get(str(c), []) for c in selected)
        text = bound[f"{role}: knowing the theme"]
        if text != "no comments to read it from":
            share, held = re.search(r"are (\d+)% the theme \((\d+) of its (\d+)\)", text).group(1, 2)
            assert f"of its {reached})" in text and abs(int(share) - 100 * int(held) / reached) <= 0.5
