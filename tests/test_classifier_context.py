"""Context columns (e.g. the question a comment answers) become one-hot features of ThemeClassifier."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from tcs_themes.coding.model.classifier import ThemeClassifier
from tcs_themes.coding.model.features import context_categories, context_matrix

WORDS = ["the staff", "the nurses", "parking", "the waiting room", "the food", "appointments", "the doctor"]
QUESTIONS = {"good": "What was good?", "better": "What could we do  better?"}


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comments whose words say nothing of the theme: only the question they answer does."""
    rng = random.Random(3)
    rows = []
    for _ in range(200):
        kind = rng.choice(sorted(QUESTIONS))
        rows.append({"text": " and ".join(rng.sample(WORDS, 2)), "question": QUESTIONS[kind], "kind": kind})
    frame = pd.DataFrame(rows)
    good = (frame["kind"] == "good").astype(int)
    Y = pd.DataFrame({"praise": good, "complaint": 1 - good})
    return frame[["text", "question"]], Y


@pytest.fixture(scope="module")
def with_question(data) -> ThemeClassifier:
    X, Y = data
    return ThemeClassifier(context_columns=("question",), min_df=1, cv=3).fit(X, Y)


def test_the_question_codes_what_the_words_cannot(data, with_question):
    X, Y = data
    text_only = ThemeClassifier(min_df=1, cv=3).fit(X, Y)
    assert (with_question.cv_f1_ > 0.95).all()
    assert (text_only.cv_f1_ < 0.85).all()
    new = pd.DataFrame(
        {"text": ["the food and parking"] * 2, "question": ["What was good?", "What could we do better?"]}
    )
    assert with_question.predict_primary(new).tolist() == ["praise", "complaint"]
    assert with_question.context_categories_ == [["What could we do better?", "What was good?"]]


def test_a_dataframe_without_context_columns_is_its_text_column(data):
    X, Y = data
    model = ThemeClassifier(min_df=1, cv=3).fit(X, Y)
    same = ThemeClassifier(min_df=1, cv=3).fit(X["text"].tolist(), Y)
    assert np.array_equal(model.predict_proba(X), same.predict_proba(X["text"].tolist()))
    assert model.explain(X.head(3)) == same.explain(X["text"].head(3).tolist())


def test_unseen_or_missing_context_values_give_no_context_feature(with_question):
    texts = ["the staff and the food"] * 3
    unseen = pd.DataFrame({"text": texts, "question": ["Anything else?", None, np.nan]})
    scores = with_question.decision_function(unseen)
    assert np.allclose(scores, scores[0])
    known = with_question.decision_function(pd.DataFrame({"text": texts[:1], "question": ["What was good?"]}))
    assert not np.allclose(scores[0], known[0])


def test_context_inputs_are_checked(with_question, data):
    X, _ = data
    with pytest.raises(ValueError, match="give X as a DataFrame"):
        with_question.predict(X["text"].tolist())
    with pytest.raises(ValueError, match="lacks the column"):
        with_question.predict(X[["text"]])


def test_context_model_round_trips_through_skops(tmp_path, with_question, data):
    X, _ = data
    path = tmp_path / "context.skops"
    sio.dump(with_question, path)
    assert sio.get_untrusted_types(file=path) == ["tcs_themes.coding.model.classifier.ThemeClassifier"]
    loaded = sio.load(path, trusted=["tcs_themes.coding.model.classifier.ThemeClassifier"])
    assert np.array_equal(loaded.predict_proba(X), with_question.predict_proba(X))
    assert loaded.get_params() == with_question.get_params()


def test_context_matrix_places_each_column_after_the_previous():
    columns = [["a", "b", "", "z"], ["y", "x", "x", "y"]]
    categories = [context_categories(values) for values in columns]
    assert categories == [["a", "b", "z"], ["x", "y"]]
    block = context_matrix(columns, categories, 2.0).toarray()
    assert block.tolist() == [[2, 0, 0, 0, 2], [0, 2, 0, 2, 0], [0, 0, 0, 2, 0], [0, 0, 2, 0, 2]]
    assert context_matrix([["c"]], [["a", "b"]], 1.0).nnz == 0


def test_context_interactions_let_a_word_mean_different_themes_per_question():
    # "parking" is a complaint when asked what could be better, praise when asked what was good.
    rng = random.Random(5)
    rows = []
    for _ in range(240):
        kind, word = rng.choice(sorted(QUESTIONS)), rng.choice(["parking", "the food"])
        praise = (word == "parking") == (kind == "good")
        rows.append({"text": f"{word} and {rng.choice(WORDS)}", "question": QUESTIONS[kind], "praise": int(praise)})
    frame = pd.DataFrame(rows)
    X, Y = frame[["text", "question"]], pd.DataFrame({"praise": frame["praise"], "other": 1 - frame["praise"]})
    plain = ThemeClassifier(context_columns=("question",), min_df=1, cv=3).fit(X, Y)
    crossed = ThemeClassifier(context_columns=("question",), context_interactions=1.0, min_df=1, cv=3).fit(X, Y)
    assert (crossed.cv_f1_ > 0.95).all() and (plain.cv_f1_ < 0.8).all()
    assert crossed.coef_.shape[1] == plain.coef_.shape[1] * 3 - 2 * len(crossed.context_categories_[0])
    with pytest.raises(ValueError, match="context_interactions"):
        ThemeClassifier(context_interactions=-1).fit(X, Y)


def test_the_shipped_model_reads_the_question_and_texts_alone_with_it_blank():
    from tcs_themes.coding.model.model_io import DEFAULT_MODEL, read_bundle

    model = read_bundle(DEFAULT_MODEL)["model"]  # trained on the sample, whose notes give the question
    assert isinstance(model, ThemeClassifier)
    params = model.get_params()
    assert (params["context_columns"], params["use_context"], params["unknown_context"]) == (("question",), "auto", "average")
    texts = ["too much jargon", "more benches in the park please"]
    alone = model.predict_proba(texts)
    assert alone.shape == (2, len(model.classes_))
    assert np.array_equal(alone, model.predict_proba(pd.DataFrame({"text": texts})))
    assert np.array_equal(alone, model.predict_proba(pd.DataFrame({"text": texts, "question": ["", " "]})))
    asked = model.predict_proba(pd.DataFrame({"text": texts, "question": ["What have we missed?"] * 2}))
    assert not np.array_equal(alone, asked)  # the question is read when given
    with pytest.raises(ValueError, match="lacks the column"):
        model.predict_proba(pd.DataFrame({"question": ["What have we missed?"]}))


def test_interaction_columns_limit_the_word_copies_to_those_columns():
    rng = random.Random(7)
    rows = [
        {"text": f"parking and {rng.choice(WORDS)}", "question": QUESTIONS[kind], "rating": str(rng.randint(1, 3))}
        for kind in sorted(QUESTIONS) * 30
    ]
    X = pd.DataFrame(rows)
    Y = pd.DataFrame({"a": [i % 2 for i in range(len(X))], "b": [1 - i % 2 for i in range(len(X))]})
    both = {"context_columns": ("question", "rating"), "context_interactions": 0.5, "min_df": 1, "cv": 3}
    every = ThemeClassifier(**both).fit(X, Y)
    question_only = ThemeClassifier(**both, interaction_columns=("question",)).fit(X, Y)
    words = len(every.word_vectorizer_.vocabulary_)
    categories = len(QUESTIONS) + 3
    assert every.coef_.shape[1] == words + categories + words * categories
    assert question_only.coef_.shape[1] == words + categories + words * len(QUESTIONS)
    assert question_only.predict_proba(X).shape == (len(X), 2)
    with pytest.raises(ValueError, match="interaction_columns"):
        ThemeClassifier(**both, interaction_columns=("trust",)).fit(X, Y)
