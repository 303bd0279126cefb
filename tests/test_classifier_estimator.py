"""ThemeClassifier follows the scikit-learn estimator contract and codes themes correctly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from classifier_corpus import corpus
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline

from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.thresholds import best_f1_threshold


@pytest.fixture(scope="module")
def data() -> tuple[list[str], pd.DataFrame]:
    return corpus(240)


@pytest.fixture(scope="module")
def fitted(data) -> ThemeClassifier:
    texts, Y = data
    return ThemeClassifier(char_ngrams=(3, 4), cv=3).fit(texts, Y)


def test_fit_learns_theme_ids_shapes_and_probabilities(fitted, data):
    texts, Y = data
    assert fitted.classes_.tolist() == ["clarity", "green_spaces", "funding_costs"]
    proba = fitted.predict_proba(texts[:7])
    assert proba.shape == (7, 3) and ((proba >= 0) & (proba <= 1)).all()
    assert fitted.decision_function(texts[:7]).shape == (7, 3)
    assert fitted.predict(texts).shape == (240, 3)
    assert fitted.support_.tolist() == Y.sum().tolist()


def test_predicts_unseen_comments_multi_label(fitted):
    new = [
        "Honestly the paper is full of jargon, and how will this be funded?",
        "More trees and a park near home please",
        "The budget is not clear",
    ]
    predicted = pd.DataFrame(fitted.predict(new), columns=fitted.classes_)
    assert predicted.loc[0, ["clarity", "funding_costs"]].tolist() == [1, 1]
    assert predicted.loc[0, "green_spaces"] == 0
    assert predicted.loc[1].tolist() == [0, 1, 0]
    assert fitted.predict_primary(new)[1:].tolist() == ["green_spaces", "funding_costs"]


def test_thresholds_come_from_cross_validation_inside_training(fitted, data):
    texts, Y = data
    assert fitted.threshold_source_.tolist() == ["cv", "cv", "cv"]
    assert ((fitted.thresholds_ > 0) & (fitted.thresholds_ < 1)).all()
    assert (fitted.cv_f1_ > 0.8).all()
    # The chosen threshold is the best F1 on the out-of-fold probabilities, not on the fitted ones:
    # refitting with fewer folds gives different out-of-fold scores and so (generally) other thresholds.
    other = ThemeClassifier(char_ngrams=(3, 4), cv=2).fit(texts, Y)
    assert (other.threshold_source_ == "cv").all()
    assert not np.array_equal(other.sigmoid_, fitted.sigmoid_)


def test_best_f1_threshold_picks_the_f1_maximum():
    proba = np.array([0.9, 0.8, 0.35, 0.3, 0.2, 0.1])
    truth = np.array([1, 1, 1, 0, 0, 0])
    threshold, f1 = best_f1_threshold(proba, truth)
    assert 0.3 < threshold <= 0.35 and f1 == 1.0
    assert best_f1_threshold(np.zeros(4), np.array([0, 0, 0, 0])) == (0.5, 0.0)


def test_rare_theme_falls_back_to_the_linear_decision(data):
    texts, Y = data
    Y = Y.copy()
    Y["community_safety"] = 0
    Y.loc[[0, 1, 2], "community_safety"] = 1
    model = ThemeClassifier(char_ngrams=None, min_df=1).fit(texts, Y)
    column = list(model.classes_).index("community_safety")
    assert model.threshold_source_[column] == "fallback"
    assert model.thresholds_[column] == 0.5 and np.isnan(model.cv_f1_[column])
    assert model.support_[column] == 3


def test_clone_cross_val_score_and_pipeline(data):
    texts, Y = data
    model = ThemeClassifier(char_ngrams=None, min_df=1, C=0.5)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "coef_")
    scores = cross_val_score(model, texts, Y.to_numpy(), cv=3, scoring="f1_macro")
    assert scores.shape == (3,) and scores.min() > 0.8
    pipeline = Pipeline([("model", ThemeClassifier(char_ngrams=None, min_df=1))]).fit(texts, Y.to_numpy())
    assert pipeline.predict(texts[:3]).shape == (3, 3)


def test_array_labels_use_the_codebook_ids_else_numbers(data):
    texts, Y = data
    model = ThemeClassifier(char_ngrams=None, min_df=1).fit(texts, Y.to_numpy())
    assert model.classes_.tolist() == [0, 1, 2]


def test_same_data_same_model_and_predictions(fitted, data):
    texts, Y = data
    first = fitted
    second = ThemeClassifier(char_ngrams=(3, 4), cv=3, n_jobs=2).fit(texts, Y)
    assert np.array_equal(first.coef_, second.coef_)
    assert np.array_equal(first.thresholds_, second.thresholds_)
    assert np.array_equal(first.predict_proba(texts), second.predict_proba(texts))


def test_explain_gives_words_of_the_text_that_raised_the_theme(fitted):
    texts = ["To be fair the paper is full of jargon, and who pays for all of this?", ""]
    explained = fitted.explain(texts, top=3)
    assert len(explained) == 2 and explained[1] == {}
    clarity = explained[0]["clarity"]
    assert 1 <= len(clarity) <= 3
    assert all(term in texts[0].lower() for terms in explained[0].values() for term in terms)
    assert set(" ".join(clarity).split()) <= {"the", "paper", "is", "full", "of", "jargon"}
    assert set(" ".join(explained[0]["funding_costs"]).split()) <= {"who", "pays", "for", "all", "of", "this"}
    only = fitted.explain(texts, top=2, mask=np.array([[False, False, True], [False, False, False]]))
    assert list(only[0]) == ["funding_costs"]


def test_a_refitted_model_explains_with_its_new_vocabulary(data):
    texts, Y = data
    model = ThemeClassifier(char_ngrams=None, cv=3).fit(texts, Y)
    comment = ["The paper is full of jargon, and who pays for all of this?"]
    assert model.explain(comment)  # fills the explanation caches from the first vocabulary
    renamed = [text.replace("jargon", "gobbledegook") for text in texts]
    model.fit(renamed, Y)
    explained = model.explain([comment[0].replace("jargon", "gobbledegook")])[0]
    said = " ".join(term for terms in explained.values() for term in terms)
    assert "gobbledegook" in said and "jargon" not in said


def test_bad_input_is_refused_clearly(fitted, data):
    texts, Y = data
    with pytest.raises(NotFittedError):
        ThemeClassifier().predict(["a comment"])
    with pytest.raises(ValueError, match="single string"):
        fitted.predict("a comment")
    with pytest.raises(ValueError, match="0/1"):
        ThemeClassifier().fit(texts, Y * 2)
    with pytest.raises(ValueError, match="rows"):
        ThemeClassifier().fit(texts[:-1], Y)
    with pytest.raises(ValueError, match="2-D"):
        ThemeClassifier().fit(texts, Y["clarity"])


def test_missing_and_odd_texts_are_coded_not_crashed(fitted):
    odd = [None, float("nan"), "", "🙂🙂", "\x00\x07 control", "Le document est trop long", "x" * 100_000]
    assert fitted.predict(odd).shape == (7, 3)
    assert fitted.predict([]).shape == (0, 3)
