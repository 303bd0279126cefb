"""The two API functions that exist for notebooks: ``code`` (a DataFrame in, the coded table out) and ``find_comments``."""

from __future__ import annotations

import pandas as pd
import pytest

import tcs_themes as tt
from tcs_themes.errors import CodingInputError
from tcs_themes.schema import CODED_COLUMNS, score_column


def _coded() -> pd.DataFrame:
    rows = [
        ("c1", "S01", "Play day", "Strand 3", "The park needs a proper play area for toddlers", "green_spaces; young_older_people", "green_spaces"),
        ("c2", "S01", "Play day", "Strand 3", "Parking near the park is impossible", "barriers", "barriers"),
        ("c3", "S02", "Policy officers", "Strand 1", "Too much jargon. What is a PARK run?", "clarity; green_spaces", "clarity"),
        ("c4", None, None, None, "Please keep people informed by email", "communication", "communication"),
        ("c5", "S02", "Policy officers", "Strand 1", "ok", "uncoded", "uncoded"),
    ]
    columns = ["comment_id", "session_id", "session_name", "strand", "text", "themes", "primary_theme"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def test_find_comments_by_theme_any_or_main() -> None:
    coded = _coded()
    assert tt.find_comments(coded, theme="green_spaces")["comment_id"].tolist() == ["c1", "c3"]
    assert tt.find_comments(coded, theme="green_spaces", primary_only=True)["comment_id"].tolist() == ["c1"]
    assert tt.find_comments(coded, theme="uncoded")["comment_id"].tolist() == ["c5"]
    assert tt.find_comments(coded, theme="inclusion").empty


def test_find_comments_matches_whole_words_and_phrases_ignoring_case() -> None:
    coded = _coded()
    assert tt.find_comments(coded, words="park")["comment_id"].tolist() == ["c1", "c2", "c3"]  # not "Parking"
    assert tt.find_comments(coded, words="play  area")["comment_id"].tolist() == ["c1"]
    assert tt.find_comments(coded, words=["park", "jargon"])["comment_id"].tolist() == ["c3"]
    assert tt.find_comments(coded, words="par").empty


def test_find_comments_by_strand_and_session_combined_with_theme() -> None:
    coded = _coded()
    assert tt.find_comments(coded, strand="Strand 1")["comment_id"].tolist() == ["c3", "c5"]
    assert tt.find_comments(coded, session="S01", theme="barriers")["comment_id"].tolist() == ["c2"]
    assert tt.find_comments(coded, session="Policy officers", words="park")["comment_id"].tolist() == ["c3"]
    assert tt.find_comments(coded, strand="No strand (emails)")["comment_id"].tolist() == ["c4"]


def test_code_keeps_every_row_and_column_and_adds_the_codes() -> None:
    comments = pd.DataFrame(
        {
            "comment_id": ["a", "b", "c"],
            "text": ["Far too much jargon in the paper", "", "We need more green space for children to play"],
            "themes": ["carried", "through", "renamed"],  # clashes with a coded column
        },
        index=[10, 20, 30],
    )
    codebook = tt.load_codebook()
    coded = tt.code(comments, codebook=codebook, method="rules")
    assert coded["comment_id"].tolist() == ["a", "b", "c"]
    assert coded["input_themes"].tolist() == ["carried", "through", "renamed"]
    assert list(coded.columns[:3]) == ["comment_id", "text", "input_themes"]
    assert set(CODED_COLUMNS) | {score_column(t) for t in codebook.ids} <= set(coded.columns)
    assert coded["primary_theme"].tolist()[:2] == ["clarity", "uncoded"]
    assert "green_spaces" in coded.loc[2, "themes"]
    assert "jargon" in coded.loc[0, "evidence"]


def test_code_says_which_column_is_missing() -> None:
    with pytest.raises(CodingInputError, match="no 'text' column; pass text_column="):
        tt.code(pd.DataFrame({"Feedback": ["x"]}), method="rules")
    with pytest.raises(CodingInputError, match="must be one of"):
        tt.code(pd.DataFrame({"text": ["x"]}), method="magic")
