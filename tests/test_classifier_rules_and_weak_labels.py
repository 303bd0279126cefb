"""Rule evidence and weak labels let themes with few coded examples still be coded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from classifier_corpus import corpus

from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.rules.coder import RuleCoder

SAFETY = Theme(
    id="community_safety",
    name="Community safety",
    patterns=(Pattern(id="community_safety/1", phrase="street lighting"), Pattern(id="community_safety/2", phrase="feel safe")),
    examples=("Better street lighting on the estate so people feel safe walking home.",),
)
CODEBOOK = Codebook(
    name="test",
    themes=(Theme(id="clarity", name="Clarity"), Theme(id="green_spaces", name="Green spaces"),
            Theme(id="funding_costs", name="Funding and costs"), SAFETY),
)  # fmt: skip
NEW = [
    "As a resident, the street lighting by the shops is broken.",
    "Overall, do we feel safe at night?",
    "In my view the paper is full of jargon.",
]


@pytest.fixture(scope="module")
def rare() -> tuple[list[str], pd.DataFrame]:
    """The test corpus plus a rare theme coded on three comments only."""
    texts, Y = corpus(150)
    texts = texts + [
        "We felt that the street lighting near the park is poor.",
        "Honestly the street lighting needs fixing.",
        "To be fair I do not feel safe after dark.",
    ]
    Y = pd.concat([Y, pd.DataFrame(0, index=range(3), columns=Y.columns)], ignore_index=True)
    Y["community_safety"] = [0] * 150 + [1, 1, 1]
    return texts, Y


def test_rule_features_code_a_rare_theme(rare):
    texts, Y = rare
    # at_least_one=False: judge each theme's own decision, not the fill-in of the most probable theme
    plain = ThemeClassifier(char_ngrams=None, min_df=2, use_examples=False, at_least_one=False).fit(texts, Y)
    ruled = ThemeClassifier(
        char_ngrams=None, min_df=2, use_examples=False, codebook=CODEBOOK, at_least_one=False
    ).fit(texts, Y)
    assert ruled.uses_rules_ and not plain.uses_rules_
    safety = list(ruled.classes_).index("community_safety")
    assert ruled.threshold_source_[safety] == "fallback"
    with_rules = ruled.predict_proba(NEW)[:, safety]
    without = plain.predict_proba(NEW)[:, safety]
    assert (with_rules[:2] > without[:2] + 0.1).all()
    assert ruled.predict(NEW)[:, safety].tolist() == [1, 1, 0]
    assert plain.predict(NEW)[:, safety].tolist() != [1, 1, 0]


def test_precomputed_rule_matches_give_the_same_result(rare):
    texts, Y = rare
    coder = RuleCoder(CODEBOOK)
    ruled = ThemeClassifier(char_ngrams=None, use_examples=False, codebook=CODEBOOK).fit(texts, Y)
    given = ThemeClassifier(char_ngrams=None, use_examples=False).fit(texts, Y, rule_matches=coder.match(texts))
    assert np.array_equal(ruled.coef_, given.coef_)
    assert np.array_equal(
        ruled.predict_proba(NEW), given.predict_proba(NEW, rule_matches=coder.match(NEW))
    )
    with pytest.raises(ValueError, match="rule_matches"):
        given.predict(NEW)


def test_weak_labels_teach_a_theme_with_no_coded_example():
    texts, Y = corpus(150)
    Y["community_safety"] = 0
    weak = [
        ("Street lighting is poor and I do not feel safe.", "community_safety"),
        ("More police patrols and safer streets at night.", "community_safety"),
        ("Dark alleys need lighting so people feel safe.", "community_safety"),
    ]
    model = ThemeClassifier(char_ngrams=None, min_df=1, weak_labels=weak, weak_weight=0.5).fit(texts, Y)
    safety = list(model.classes_).index("community_safety")
    assert model.support_[safety] == 0 and model.weak_support_[safety] == 3
    assert model.predict(["Honestly we need police patrols at night"])[0, safety] == 1
    assert model.predict(["More trees along the river path"])[0, safety] == 0
    with pytest.raises(ValueError, match="weak labels name themes"):
        ThemeClassifier(weak_labels=[("text", "nope")]).fit(texts, Y)


def test_codebook_examples_become_weak_labels(rare):
    texts, Y = rare
    model = ThemeClassifier(char_ngrams=None, codebook=CODEBOOK, use_rules=False).fit(texts, Y)
    assert model.weak_support_.tolist() == [0, 0, 0, 1] and not model.uses_rules_
