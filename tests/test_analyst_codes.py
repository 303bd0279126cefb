"""Human codes win: an analyst's codes in the inputs are the comments' codes, end to end on the sample."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook
from tcs_themes.coding.in_memory import code
from tcs_themes.errors import LabelsWarning
from tcs_themes.ingest import ingest
from tcs_themes.ingest.labels import read_labels
from tcs_themes.pipeline import run_pipeline
from tcs_themes.schema import split_list

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
CMT = RAW / "notes" / "Corporate management team.xlsx"
_SOURCE = re.compile(r"^(?P<file>.*?)(?: \(sheet (?P<sheet>.*)\))? \(row (?P<row>\d+)\)$")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    out = tmp_path_factory.mktemp("coded")
    result = run_pipeline([RAW], out)
    assert result.ingested.errors == [] and result.coding.errors == []
    return out, pd.read_parquet(out / "coded.parquet")


def _analyst_reading() -> pd.DataFrame:
    """The analyst's codes as ``train`` reads them (ingest/labels.py), keyed by file, sheet and row."""
    labels = read_labels(RAW / "notes", load_codebook())
    keys = [_SOURCE.match(source).groupdict() for source in labels.sources]
    frame = pd.DataFrame(
        {
            "source_file": [Path(k["file"]).name for k in keys],
            "sheet": [k["sheet"] or Path(k["file"]).stem for k in keys],
            "row": [int(k["row"]) for k in keys],
            "themes": [frozenset(labels.Y.columns[labels.Y.iloc[i].to_numpy() == 1]) for i in range(len(labels))],
            "primary": labels.primary,
        }
    )
    return frame


def test_none_of_the_701_analyst_coded_comments_change_their_codes(sample) -> None:
    _, coded = sample
    analyst = _analyst_reading()
    assert len(analyst) == 701
    coded = coded.assign(source_file=coded["source_file"].map(lambda p: Path(p).name))
    sessions = coded[coded["source_kind"] == "spreadsheet"]
    joined = analyst.merge(sessions, on=["source_file", "sheet", "row"], how="left", validate="one_to_one")
    assert joined["comment_id"].notna().all()
    assert (joined["code_source"] == "analyst").all()
    changed = [
        row.location
        for row in joined.itertuples()
        if frozenset(split_list(row.themes_y)) != row.themes_x or row.primary_theme != row.primary
    ]
    assert changed == []
    # every other comment was coded by the machine
    assert (coded["code_source"] == "analyst").sum() == 701
    assert (coded.loc[coded["analyst_codes"].isna(), "code_source"] == "machine").all()
    for row in joined.itertuples():
        assert split_list(row.sources) == ["analyst"] * len(split_list(row.themes_y))
        assert all(part.split(": ")[1].startswith("analyst's code") for part in row.evidence.split(" | "))


def test_the_machine_still_scores_them_and_its_codes_sit_beside(sample) -> None:
    _, coded = sample
    assert coded["machine_themes"].notna().all()
    machine = coded[coded["code_source"] == "machine"]
    assert (machine["machine_themes"] == machine["themes"]).all()
    analyst = coded[coded["code_source"] == "analyst"]
    machine_main = analyst["machine_themes"].map(lambda value: split_list(value)[0])
    # the disagreements the review can look at: the machine's main theme differs for about 15% of them
    assert 0.05 < (machine_main != analyst["primary_theme"]).mean() < 0.3
    scores = [c for c in coded.columns if c.startswith("score_")]
    assert len(scores) == len(load_codebook().ids) and (analyst[scores].to_numpy().max(axis=1) > 0).mean() > 0.9
    # the machine (trained on these comments) gives each of the analyst's themes, and for some comments more
    # (fewer since its relative cut: about 5% of them)
    assert analyst["evidence"].str.split(" | ", regex=False).map(lambda parts: all(p.endswith("(machine agrees)") for p in parts)).all()
    extra = analyst["machine_themes"].map(lambda v: len(split_list(v))) - analyst["n_themes"].astype(int)
    assert extra.min() >= 0 and (extra > 0).mean() > 0.02


def test_report_and_workbook_say_who_coded_the_comments(sample) -> None:
    out, coded = sample
    machine = len(coded) - 701
    html = (out / "report.html").read_text(encoding="utf-8")
    assert (
        f"Who coded them: 701 comments were coded by an analyst before the toolkit ran" in html
        and "no comment&#39;s codes were changed by an analyst reviewing" in html
        and f"{machine} comments were coded by the machine alone" in html
    )
    workbook = out / "theme-counts.xlsx"
    totals = pd.read_excel(workbook, sheet_name="Summary", usecols="L:M", nrows=9).set_index("Measure")["Value"]
    assert totals["Coded by an analyst"] == 701 and totals["Reviewed by an analyst"] == 0
    assert totals["Coded by the machine alone"] == machine
    method = pd.read_excel(workbook, sheet_name="Method").set_index("Item")["Value"]
    assert method["Coded by an analyst"].startswith("701 comments")
    comments = pd.read_excel(workbook, sheet_name="Coded comments")
    assert comments["Code source"].tolist() == coded["code_source"].tolist()
    assert comments["Machine's themes"].notna().all()
    # the counts are the analyst's: "Delivering the strategy" as the analyst coded it
    counted = pd.read_excel(workbook, sheet_name="Summary", usecols="A:J").set_index("Theme ID")
    assert counted.loc["delivering_strategy", "Comments (main theme)"] == int((coded["primary_theme"] == "delivering_strategy").sum())


def _copy_cmt(folder: Path, edits: dict[str, object]) -> Path:
    """The sample's corporate management team notes with some cells changed."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CMT.name
    shutil.copy(CMT, path)
    book = load_workbook(path)
    for cell, value in edits.items():
        book["Notes"][cell] = value
    book.save(path)
    return path


def test_an_unknown_theme_name_is_an_error_and_that_comment_keeps_the_machines_codes(tmp_path: Path) -> None:
    path = _copy_cmt(tmp_path / "in", {"C4": "Aligning strategy", "C6": "governence", "C9": "Governance and leadership"})
    result = CliRunner().invoke(app, ["code", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "Notes!R4): the analyst's theme 'Aligning strategy' is not in the codebook" in output
    assert "did you mean aligning_strategies" in output
    assert "Notes!R6): the analyst's theme 'governence'" in output and "did you mean governance" in output
    coded = pd.read_parquet(tmp_path / "out" / "coded.parquet").set_index("location")
    for location in ("Notes!R4", "Notes!R6"):
        row = coded.loc[location]
        assert row["code_source"] == "machine" and row["themes"] == row["machine_themes"]
    assert coded.loc["Notes!R4", "analyst_codes"] == "Aligning strategy; governance"  # kept as written
    # a theme's name (any case) is as good as its id
    assert coded.loc["Notes!R9", "code_source"] == "analyst" and coded.loc["Notes!R9", "primary_theme"] == "governance"
    assert (coded["code_source"] == "analyst").sum() == len(coded) - 2


def test_the_settings_file_can_name_the_theme_columns(tmp_path: Path) -> None:
    original = ingest([CMT]).comments
    path = _copy_cmt(tmp_path / "in", {"C3": "Code", "D3": "Also coded"})
    assert ingest([path]).comments["analyst_codes"].isna().all()  # not a name anyone would guess
    (tmp_path / "in" / "tcs-themes.yaml").write_text("columns: {theme: Code, other_themes: Also coded}\n", encoding="utf-8")
    mapped = ingest([tmp_path / "in"]).comments
    assert mapped["analyst_codes"].tolist() == original["analyst_codes"].tolist()
    assert original["analyst_codes"].notna().all()


def test_a_table_with_theme_columns_keeps_them_and_none_means_no_theme() -> None:
    comments = ingest([CMT]).comments.head(4)
    table = pd.DataFrame(
        {
            "text": comments["text"],
            "Main theme": ["Governance and leadership", "none", None, "partnership workin"],
            "Other themes": ["data_insight, Funding and costs", None, None, None],
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coded = code(table)
    assert coded["code_source"].tolist() == ["analyst", "analyst", "machine", "machine"]
    assert coded["themes"].iloc[0] == "governance; data_insight; funding_costs"
    assert coded["sources"].iloc[0] == "analyst; analyst; analyst" and coded["confidence"].iloc[0] == 1.0
    assert coded["evidence"].iloc[0].endswith("funding_costs: analyst's code (machine did not give it)")
    assert coded["themes"].iloc[1] == "uncoded" and coded["evidence"].iloc[1] == "analyst coded no theme"
    messages = [str(w.message) for w in caught if issubclass(w.category, LabelsWarning)]
    assert len(messages) == 1 and "(row 4): the analyst's theme 'partnership workin'" in messages[0]
