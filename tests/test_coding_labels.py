"""Analyst-coded files are read in every common shape, with clear errors for unknown themes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from coding_support import tiny_codebook
from openpyxl import Workbook

from tcs_themes.ingest.labels import read_labels
from tcs_themes.errors import LabelsError


def _coded_rows(labels) -> list[list[str]]:
    return [[c for c in labels.Y.columns if row[c]] for _, row in labels.Y.iterrows()]


def test_workbook_with_main_and_further_themes_below_a_title(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Partners 1"
    sheet.append(["City Conversation - notes"])
    sheet.append([])
    sheet.append(["Comment", "Main Theme ID", "Further theme ids"])
    sheet.append(["Too much jargon", "Clarity", "funding_costs; green spaces"])
    sheet.append(["Parks matter", "GREEN_SPACES", None])
    sheet.append([None, None, None])
    sheet.append(["Not coded yet", None, None])
    other = book.create_sheet("Partners 2")
    other.append(["comment", "main theme id"])
    other.append(["Who pays?", "funding and costs"])
    path = tmp_path / "coded.xlsx"
    book.save(path)

    labels = read_labels(path, tiny_codebook())

    assert labels.texts == ["Too much jargon", "Parks matter", "Who pays?"]
    assert _coded_rows(labels) == [["clarity", "green_spaces", "funding_costs"], ["green_spaces"], ["funding_costs"]]
    assert labels.primary == ["clarity", "green_spaces", "funding_costs"]
    assert labels.groups == ["coded/Partners 1", "coded/Partners 1", "coded/Partners 2"]
    assert labels.n_skipped == 1
    assert labels.sources[0] == f"{path} (sheet Partners 1) (row 4)"


def test_csv_with_a_delimited_list_and_uncoded(tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    pd.DataFrame(
        {
            "comment_id": ["c1", "c2", "c3"],
            "text": ["a", "b", "c"],
            "themes": ["clarity|community safety", "uncoded", "Funding and Costs, clarity"],
        }
    ).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook(), keep_unlabelled=True)

    assert _coded_rows(labels) == [["clarity", "community_safety"], [], ["clarity", "funding_costs"]]
    assert labels.comment_ids == ["c1", "c2", "c3"]


def test_one_indicator_column_per_theme_by_name(tmp_path: Path) -> None:
    path = tmp_path / "onehot.csv"
    pd.DataFrame(
        {
            "Feedback": ["x", "y"],
            "Clarity": [1, 0],
            "Green Spaces": ["yes", ""],
            "Community safety": [0, 1],
            "Respondent": ["r1", "r2"],
        }
    ).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook())

    assert _coded_rows(labels) == [["clarity", "green_spaces"], ["community_safety"]]
    assert list(labels.Y.columns) == tiny_codebook().ids
    assert labels.Y.dtypes.unique().tolist() == ["int8"]


def test_explicit_columns_and_subtheme_names_resolve_to_the_parent(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    pd.DataFrame({"What they said": ["q"], "Code given": ["Terminology"], "text": ["ignored"]}).to_csv(path, index=False)

    labels = read_labels(path, tiny_codebook(), text_column="what they said", theme_columns=["code given"])

    assert labels.texts == ["q"]
    assert _coded_rows(labels) == [["clarity"]]


def test_unknown_theme_names_the_row_and_close_matches_without_comment_text(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    pd.DataFrame({"text": ["secret comment words", "other"], "theme": ["clarity", "Grean spaces"]}).to_csv(
        path, index=False
    )

    with pytest.raises(LabelsError) as caught:
        read_labels(path, tiny_codebook())

    message = str(caught.value)
    assert "\n" not in message
    assert "row 3" in message and "'Grean spaces'" in message and "did you mean green_spaces" in message
    assert "secret" not in message


def test_no_text_or_no_theme_column_is_a_clear_error(tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    pd.DataFrame({"theme": ["clarity"], "id": [1]}).to_csv(no_text, index=False)
    no_theme = tmp_path / "no_theme.csv"
    pd.DataFrame({"text": ["a"], "id": [1]}).to_csv(no_theme, index=False)

    with pytest.raises(LabelsError, match="no text column found"):
        read_labels(no_text, tiny_codebook())
    with pytest.raises(LabelsError, match="no theme columns found"):
        read_labels(no_theme, tiny_codebook())
    with pytest.raises(LabelsError, match="no text column 'body'"):
        read_labels(no_theme, tiny_codebook(), text_column="body")
