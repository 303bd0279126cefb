"""evaluate_coding scores machine codes against an analyst's, theme by theme."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coding_support import tiny_codebook
from openpyxl import load_workbook

from tcs_themes.analysis.evaluate_files import evaluate_files, write_evaluation
from tcs_themes.analysis.evaluation import evaluate_coding
from tcs_themes.errors import CodingInputError

IDS = tiny_codebook().ids  # clarity, green_spaces, funding_costs, community_safety


def _frame(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(np.array(rows, dtype=np.int8), columns=IDS)


def test_per_theme_figures_averages_and_confusions() -> None:
    human = _frame([[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]])
    machine = _frame([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]])

    result = evaluate_coding(human, machine, tiny_codebook())

    clarity = result.per_theme.set_index("theme_id").loc["clarity"]
    assert (clarity["precision"], clarity["recall"], clarity["support"], clarity["predicted"]) == (1.0, 0.5, 2, 1)
    assert clarity["theme"] == "Clarity"
    funding = result.per_theme.set_index("theme_id").loc["funding_costs"]
    assert funding["precision"] == pytest.approx(2 / 3, abs=1e-4) and funding["recall"] == 1.0
    # micro: tp=4 (clarity 1, green 1, funding 2), fp=1, fn=2
    assert result.averages.loc["micro", "precision"] == pytest.approx(0.8)
    assert result.averages.loc["micro", "recall"] == pytest.approx(4 / 6, abs=1e-4)
    assert result.per_theme.set_index("theme_id").loc["green_spaces", "kappa"] == 1.0
    assert 0 < result.averages.loc["all theme decisions", "kappa"] < 1
    assert result.confusions.values.tolist() == [["clarity", "funding_costs", 1]]
    assert result.n_comments == 5


def test_primary_theme_kappa_when_both_sides_have_one() -> None:
    human = _frame([[1, 0, 0, 0], [0, 1, 0, 0]])
    result = evaluate_coding(human, human, human_primary=["clarity", "green_spaces"], machine_primary=["clarity", "green_spaces"])
    assert result.averages.loc["primary theme", "kappa"] == 1.0


def test_files_are_aligned_by_comment_id_and_written(tmp_path: Path) -> None:
    human = tmp_path / "human.csv"
    pd.DataFrame(
        {"comment_id": ["c1", "c2", "c3"], "text": ["a", "b", "c"], "main theme": ["clarity", "green_spaces", "funding_costs"]}
    ).to_csv(human, index=False)
    machine = tmp_path / "coded.csv"
    pd.DataFrame(
        {
            "comment_id": ["c3", "c1", "c2"],
            "text": ["c", "a", "b"],
            "main theme": ["clarity", "clarity", "clarity"],  # the analyst's column carried through: ignored
            "themes": ["funding_costs", "clarity; green_spaces", "uncoded"],
            "primary_theme": ["funding_costs", "clarity", "uncoded"],
        }
    ).to_csv(machine, index=False)

    result = evaluate_files(human, tiny_codebook(), machine_path=machine)

    per = result.per_theme.set_index("theme_id")
    assert per.loc["funding_costs", "f1"] == 1.0
    assert per.loc["green_spaces", "recall"] == 0.0 and per.loc["green_spaces", "predicted"] == 1
    written = write_evaluation(result, tmp_path / "eval.xlsx")
    assert load_workbook(written[0]).sheetnames == ["per_theme", "averages", "confusions"]
    csvs = write_evaluation(result, tmp_path / "eval.csv")
    assert [p.name for p in csvs] == ["eval.csv", "eval-averages.csv", "eval-confusions.csv"]


def test_files_that_cannot_be_aligned_are_refused(tmp_path: Path) -> None:
    human = tmp_path / "human.csv"
    pd.DataFrame({"text": ["a", "b"], "theme": ["clarity", "clarity"]}).to_csv(human, index=False)
    machine = tmp_path / "machine.csv"
    pd.DataFrame({"text": ["a"], "themes": ["clarity"]}).to_csv(machine, index=False)
    with pytest.raises(CodingInputError, match="has 1 coded comments but"):
        evaluate_files(human, tiny_codebook(), machine_path=machine)
