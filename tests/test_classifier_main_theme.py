"""The main theme from the opening sentence: a comment's themes ranked by p + w * p(first sentence), w chosen
inside the training data on out-of-fold probabilities, applied by predict_primary and the hybrid coder's
primary_theme (never to which themes are given), saved in the model file, and 0 for models saved before it."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from classifier_corpus import FILLER, PHRASES, paired_corpus, round_trips, saved_before

from tcs_themes.cache import CACHE_DIR_VARIABLE
from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.model_card import ModelCard, ThemeCard
from tcs_themes.coding.model.theme_models import OPENING_WEIGHTS, choose_opening_weight
from tcs_themes.coding.text_prep import first_sentences

#: Comments with two given themes whose first sentence names the one the analyst would lead with.
OPENING_LEADS = [
    "I think, the paper is full of jargon, too many undefined terms. our parks need more care, protect nature "
    "and the meadows, more trees along the river path.",
    "overall, our parks need more care. how will this be funded, small grants for community groups.",
    "to be fair, the paper is full of jargon. who pays for all of this, the budget is not clear.",
]


def _opening_decides(n: int = 150, seed: int = 0) -> tuple[list[str], pd.DataFrame]:
    """Comments coded with one theme: half name it twice in one sentence; half name it once in a first
    sentence, then another theme three times in a second (a longer aside the analyst did not code)."""

    def compose(rng: random.Random, main: str, other: str) -> tuple[str, set[str]]:
        if rng.random() < 0.5:
            return ", ".join([rng.choice(FILLER), *rng.sample(PHRASES[main], 2)]) + ".", {main}
        aside = ", ".join(rng.sample(PHRASES[other], 3))
        return f"{rng.choice(FILLER)}, {rng.choice(PHRASES[main])}. {aside}.", {main}

    return paired_corpus(n, seed, compose)


@pytest.fixture(scope="module")
def fitted() -> tuple[ThemeClassifier, ThemeClassifier]:
    """The same data fitted with the first sentence's weight chosen inside it, and with it off (no relative
    cut either, so that the comments above keep both their themes)."""
    texts, Y = _opening_decides()
    return (
        ThemeClassifier(min_df=1, cv=3, relative_cut=0).fit(texts, Y),
        ThemeClassifier(min_df=1, cv=3, relative_cut=0, opening_weight=0).fit(texts, Y),
    )


def _codebook() -> Codebook:
    return Codebook(name="opening test", themes=tuple(Theme(id=t, name=t.replace("_", " ")) for t in PHRASES))


def test_first_sentences_lists_only_texts_with_more_than_one():
    texts = [
        "Parks matter. So does the budget!",
        "One sentence only.",
        "Costs are 3.5 million... which is a lot",
        "Why? Because.",
        "... and then nothing",
        "Done.   ",
        "",
        "Great! ",
        "Really?! Yes",
    ]
    rows, firsts = first_sentences(texts)
    assert rows.tolist() == [0, 2, 3, 8]
    assert firsts == ["Parks matter.", "Costs are 3.5 million...", "Why?", "Really?!"]


def test_the_weight_is_chosen_on_out_of_fold_first_sentences(fitted):
    model, off = fitted
    assert set(model.opening_weight_scores_) == {str(w) for w in OPENING_WEIGHTS}
    accuracy = {float(w): a for w, a in model.opening_weight_scores_.items()}
    assert model.opening_weight_ > 0 and accuracy[model.opening_weight_] == max(accuracy.values()) > accuracy[0.0]
    assert (off.opening_weight_, off.opening_weight_scores_) == (0.0, {})
    # too few comments with more than one sentence (or too few cross-validated themes): nothing to choose
    labels = np.eye(3, dtype=np.int8)[np.arange(30) % 3]
    oof = [np.full(30, 0.5)] * 3
    assert choose_opening_weight(oof, [np.full(5, 0.5)] * 3, np.arange(5), labels, np.ones(3), 0.0) == (0.0, {})
    assert choose_opening_weight([oof[0], None, None], oof, np.arange(30), labels, np.ones(3), 0.0) == (0.0, {})


def test_the_opening_sentence_decides_the_main_theme_not_the_themes(fitted):
    model, off = fitted
    texts, Y = _opening_decides(90, seed=1)  # new comments made the same way
    truth = np.array(model.classes_)[Y.to_numpy().argmax(axis=1)]
    assert np.mean(model.predict_primary(texts) == truth) > np.mean(off.predict_primary(texts) == truth) + 0.1
    assert np.array_equal(model.predict(texts), off.predict(texts))  # the weight changes no theme given
    assert np.array_equal(model.predict_proba(texts), off.predict_proba(texts))
    assert model.predict_primary(OPENING_LEADS).tolist() == ["clarity", "green_spaces", "clarity"]
    one = ["in my view, our parks need more care, who pays for all of this."]  # one sentence: as before
    assert model.predict_primary(one).tolist() == off.predict_primary(one).tolist()


def test_the_hybrid_coder_leads_with_the_opening_theme(fitted):
    model, off = fitted
    coded = HybridCoder(_codebook(), model=model).code(OPENING_LEADS)
    before = HybridCoder(_codebook(), model=off).code(OPENING_LEADS)
    assert coded["primary_theme"].tolist() == ["clarity", "green_spaces", "clarity"]
    assert before["primary_theme"].tolist() == ["green_spaces", "funding_costs", "funding_costs"]
    assert coded["themes"].tolist() == [
        "clarity; green_spaces", "green_spaces; funding_costs", "clarity; funding_costs"
    ]
    for now, was in zip(coded.to_dict("records"), before.to_dict("records"), strict=True):
        # the same themes with the same evidence and scores, the main one first; confidence is its score
        assert set(now["themes"].split("; ")) == set(was["themes"].split("; "))
        assert set(now["evidence"].split(" | ")) == set(was["evidence"].split(" | "))
        assert now["confidence"] == now[f"score_{now['primary_theme']}"]
    scores = [c for c in coded.columns if c.startswith("score_")]
    assert coded[scores].equals(before[scores]) and coded["n_themes"].tolist() == [2, 2, 2]


def test_the_weight_round_trips_through_the_model_file_and_its_cache(fitted, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    model, _ = fitted
    texts = [*OPENING_LEADS, "more trees along the river path please"]
    names = ("opening_weight", "opening_weight_", "opening_weight_scores_")
    scoring = round_trips(model, _codebook(), texts, tmp_path, names)
    assert scoring.opening_weight_ == model.opening_weight_ > 0
    assert scoring.predict_primary(OPENING_LEADS).tolist() == ["clarity", "green_spaces", "clarity"]


def test_a_model_saved_before_the_weight_loads_with_none(fitted, tmp_path):
    model, off = fitted
    loaded = saved_before(model, ("opening_weight", "opening_weight_", "opening_weight_scores_"), tmp_path / "old.skops")
    assert (loaded.opening_weight, loaded.opening_weight_, loaded.opening_weight_scores_) == (0.0, 0.0, {})
    assert loaded.predict_primary(OPENING_LEADS).tolist() == off.predict_primary(OPENING_LEADS).tolist()
    coded = HybridCoder(_codebook(), model=loaded).code(OPENING_LEADS)
    assert coded.equals(HybridCoder(_codebook(), model=off).code(OPENING_LEADS))


@pytest.mark.parametrize(
    ("field", "value", "said", "off", "line"),
    [
        ("opening_weight", 0.5, "plus 0.5 times its score for the comment's first sentence", "no extra weight",
         "Main theme"),
        ("relative_cut", 0.4, "at least 0.4 times", "no relative cut", "Further themes"),
    ],
)
def test_the_model_card_states_the_settings_chosen_in_training(field, value, said, off, line):
    card = ModelCard("cb", "f" * 64, [], "h" * 64, 10, [ThemeCard("a", "A", 5)], **{field: value})
    assert said in card.to_markdown()
    assert getattr(ModelCard.from_dict(card.to_dict()), field) == value
    assert off in ModelCard("cb", "f", [], "h", 1, [], **{field: 0.0}).to_markdown()
    before = card.to_dict()
    del before[field]  # a card written before the setting existed
    assert line not in ModelCard.from_dict(before).to_markdown()


def test_opening_weight_must_be_auto_or_not_negative():
    texts, Y = _opening_decides(30)
    for bad in (-0.5, "more"):
        with pytest.raises(ValueError, match="opening_weight"):
            ThemeClassifier(min_df=1, cv=3, opening_weight=bad).fit(texts, Y)
