"""The hybrid coder: explained codes from rules and a trained classifier, independent of batches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from coding_support import CLARITY, FUNDING, GREEN, tiny_codebook

from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.schema import CODED_COLUMNS, score_column

TEXTS = CLARITY + GREEN + FUNDING
Y = np.zeros((30, 4), dtype=np.int8)
Y[:10, 0] = Y[10:20, 1] = Y[20:, 2] = 1


@pytest.fixture(scope="module")
def coder() -> HybridCoder:
    return HybridCoder(tiny_codebook()).fit(TEXTS, pd.DataFrame(Y, columns=tiny_codebook().ids))


def test_estimator_api_shapes(coder: HybridCoder) -> None:
    proba = coder.predict_proba(["jargon everywhere", "trees in the park"])
    assert proba.shape == (2, 4) and ((proba >= 0) & (proba <= 1)).all()
    assert coder.predict(["jargon everywhere"]).tolist()[0][0] == 1
    assert coder.theme_ids_ == tiny_codebook().ids


def test_code_gives_ranked_themes_sources_and_evidence(coder: HybridCoder) -> None:
    codes = coder.code(["Too much jargon and too many acronyms in the plan for the parks"])
    assert list(codes.columns) == [*CODED_COLUMNS, *(score_column(t) for t in coder.theme_ids_)]
    row = codes.iloc[0]
    themes = row["themes"].split("; ")
    assert set(themes) == {"clarity", "green_spaces"}
    scores = [row[score_column(t)] for t in themes]
    assert scores == sorted(scores, reverse=True) and row["confidence"] == scores[0]
    assert row["primary_theme"] == themes[0] and row["n_themes"] == 2
    assert len(row["sources"].split("; ")) == 2 and set(row["sources"].split("; ")) <= {"rule", "model", "both"}
    assert row["subthemes"] == "clarity/clarity_terminology"
    assert '"jargon" (clarity/1)' in row["evidence"] and '"parks" (green_spaces/1)' in row["evidence"]


def test_methods_rules_model_and_hybrid(coder: HybridCoder) -> None:
    text = ["The paper is full of jargon"]
    rules = HybridCoder(tiny_codebook(), method="rules").code(text).iloc[0]
    assert rules["themes"] == "clarity" and rules["sources"] == "rule"
    model_coder = HybridCoder(tiny_codebook(), model=coder.model_, method="model")
    model = model_coder.code(text).iloc[0]
    assert set(model["sources"].split("; ")) == {"model"} and "rule" not in model["evidence"]
    hybrid = coder.code(text).iloc[0]
    assert hybrid["primary_theme"] == "clarity" and hybrid["sources"].split("; ")[0] == "both"
    # a rule lifts the hybrid score above the model's own probability (unrounded: both may round to 0.9997)
    clarity = coder.theme_ids_.index("clarity")
    assert hybrid["confidence"] >= model[score_column("clarity")]
    assert coder.predict_proba(text)[0, clarity] > model_coder.predict_proba(text)[0, clarity]


def test_a_rule_alone_can_code_a_theme_the_model_missed() -> None:
    coder = HybridCoder(tiny_codebook(), rule_weight=0.9).fit(TEXTS, Y)
    row = coder.code(["Say it in plain english"]).iloc[0]
    assert "clarity" in row["themes"]


def test_result_does_not_depend_on_batch_size(coder: HybridCoder) -> None:
    texts = [*TEXTS, "", "jargon", "funding for parks", *reversed(TEXTS)]
    reference = coder.code(texts)
    for size in (1, 7, 1000):
        pd.testing.assert_frame_equal(coder.set_params(batch_size=size).code(texts), reference)
    coder.set_params(batch_size=2000)


def test_weak_labels_for_a_theme_without_coded_examples(coder: HybridCoder) -> None:
    report = coder.weak_labels_
    assert report.coded["community_safety"] == 0
    assert report.examples == {"community_safety": 1}
    assert report.used("community_safety") and not report.used("clarity")


def test_weak_labels_from_rule_matches() -> None:
    labels = Y.copy()
    labels[:10, 0] = 0  # clarity never coded: its rule matches become weak labels
    labels[:10, 2] = 1
    coder = HybridCoder(tiny_codebook(), min_examples=3).fit(TEXTS, labels)
    assert coder.weak_labels_.rule_matches["clarity"] == 3
    assert coder.weak_labels_.examples["clarity"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🎉👍",
        "\x00\x07\x1b[31m",
        "Le parc est trop petit et personne n'écoute",
        "公园需要更多的树",
    ],
)
def test_texts_with_nothing_to_code_are_uncoded_not_dropped(coder: HybridCoder, text: str) -> None:
    codes = coder.code(["jargon", text, "parks"])
    assert len(codes) == 3
    assert codes["primary_theme"].tolist()[0] == "clarity" and "green_spaces" in codes["themes"].iloc[2]
    if not any(ch.isalnum() for ch in text) or text.startswith("公"):
        assert codes["themes"].iloc[1] == "uncoded" and codes["n_themes"].iloc[1] == 0


def test_odd_texts_are_coded_sensibly(coder: HybridCoder) -> None:
    huge = "jargon " + "words " * 200_000  # over a million characters
    codes = coder.code([huge, "jargon 😀 in the\x00 plan", None, float("nan"), pd.NA])
    assert len(codes) == 5
    assert codes["primary_theme"].iloc[0] == "clarity" and codes["primary_theme"].iloc[1] == "clarity"
    assert codes["themes"].iloc[2:].tolist() == ["uncoded"] * 3


def test_parameters_are_checked_in_fit() -> None:
    with pytest.raises(ValueError, match="method must be one of"):
        HybridCoder(tiny_codebook(), method="magic").fit(TEXTS, Y)
    with pytest.raises(ValueError, match="one column per codebook theme"):
        HybridCoder(tiny_codebook()).fit(TEXTS, Y[:, :2])
    with pytest.raises(ValueError, match="call fit first"):
        HybridCoder(tiny_codebook()).predict(["x"])
