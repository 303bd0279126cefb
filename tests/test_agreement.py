"""`tcs-themes agree`: kappa, Krippendorff's alpha and agreement between codings of the sample's comments."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from tcs_themes.analysis.agreement import agreement_files, nominal_agreement, point_agreement
from tcs_themes.analysis.codings import read_coding, split_spec
from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
CMT = RAW / "notes" / "Corporate management team.xlsx"
runner = CliRunner()


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corporate management team notes (43 analyst-coded comments) coded with the default model and by the rules."""
    out = tmp_path_factory.mktemp("agree")
    shutil.copy(CMT, out / CMT.name)
    for method in ("hybrid", "rules"):
        result = runner.invoke(app, ["code", str(out / CMT.name), "--out", str(out / method), "--method", method])
        assert result.exit_code == 0, result.output
    return out


def test_closed_form_resamples_equal_the_packages(coded: Path) -> None:
    book = load_codebook()
    codings = [
        read_coding(CMT, book),
        read_coding(f"{coded / 'hybrid' / 'coded.parquet'}:machine_themes", book),
        read_coding(f"{coded / 'rules' / 'coded.parquet'}:machine_themes", book),
    ]
    position = {t: i for i, t in enumerate([*book.ids, "uncoded"])}
    main = np.stack([[position[p] for p in c.primary] for c in codings], axis=1)
    theme = np.stack([c.Y[:, book.ids.index("governance")] for c in codings], axis=1).astype(np.int64)
    rng = np.random.default_rng(7)
    for codes, k in ((main, len(position)), (theme, 2), (main[:, :2], len(position)), (theme[:, :2], 2)):
        draws = [np.arange(len(codes)), *(rng.integers(0, len(codes), len(codes)) for _ in range(5))]
        weights = np.stack([np.bincount(d, minlength=len(codes)) for d in draws]).astype(float)
        fast = nominal_agreement(codes, k, weights)
        for row, d in enumerate(draws):
            sample = codes[d]
            counts = np.stack([np.bincount(unit, minlength=k) for unit in sample])
            alpha = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
            kappa = np.mean([cohen_kappa_score(sample[:, i], sample[:, j]) for i, j in itertools.combinations(range(codes.shape[1]), 2)])
            assert fast["alpha"][row] == pytest.approx(alpha, abs=1e-9)
            assert fast["kappa"][row] == pytest.approx(kappa, abs=1e-9)
            assert fast["agreement"][row] == pytest.approx((sample == sample[:, :1]).all(axis=1).mean())
        point = point_agreement(codes, k)
        assert [point[m] for m in ("agreement", "kappa", "alpha")] == pytest.approx([fast[m][0] for m in ("agreement", "kappa", "alpha")])


def test_an_analyst_agrees_with_their_own_codes_and_the_machine_less(coded: Path) -> None:
    table = coded / "hybrid" / "coded.parquet"
    book = load_codebook()
    same = agreement_files([CMT, table], book, n_boot=200)  # the coded table's themes are the analyst's own codes
    assert same.n_comments == 43 and same.matched_on == "text"
    assert same.coders_table["left_out"].tolist() == [0, 0]
    used = same.per_theme[same.per_theme["coded_by_Corporate management team"] > 0]
    assert (used[["agreement", "kappa", "alpha"]] == 1.0).all().all()
    unused = same.per_theme[same.per_theme["coded_by_Corporate management team"] == 0]
    assert (unused["agreement"] == 1.0).all() and unused["kappa"].isna().all() and unused["alpha"].isna().all()
    assert same.main_theme.set_index("measure")["value"].tolist() == [1.0, 1.0, 1.0]

    machine = agreement_files([CMT, f"{table}:machine_themes"], book, names=["analyst", "machine"], n_boot=200)
    main = machine.main_theme.set_index("measure")
    assert 0.3 < main.loc["kappa", "value"] < 1.0
    assert main.loc["kappa", "low"] <= main.loc["kappa", "value"] <= main.loc["kappa", "high"]
    governance = machine.per_theme.set_index("theme_id").loc["governance"]
    assert governance["alpha_low"] <= governance["alpha"] <= governance["alpha_high"]
    per_comment = machine.coders_table.set_index("coder")["themes_per_comment"]
    assert per_comment["machine"] > per_comment["analyst"]  # the model gives more themes per comment


def test_comments_are_matched_by_id_else_by_redacted_text_and_the_rest_counted(coded: Path, tmp_path: Path) -> None:
    table = pd.read_parquet(coded / "hybrid" / "coded.parquet")
    book = load_codebook()
    subset = table.iloc[5:30]
    subset.to_parquet(tmp_path / "subset.parquet")
    by_id = agreement_files([coded / "hybrid" / "coded.parquet", tmp_path / "subset.parquet"], book, n_boot=0)
    assert by_id.matched_on == "comment_id" and by_id.n_comments == 25
    assert by_id.coders_table["left_out"].tolist() == [18, 0]
    assert by_id.per_theme["kappa_low"].isna().all()  # no bootstrap asked for
    # an analyst's CSV without ids, whose texts hold personal details the coded table has redacted
    texts = table["text"].tolist()
    texts[0] = texts[0] + " Ring me on 07700 900123."
    analyst = pd.DataFrame({"Comment": texts[:20], "Theme": table["primary_theme"].tolist()[:20]})
    analyst.to_csv(tmp_path / "analyst.csv", index=False)
    table.loc[0, "text"] = texts[0].replace("07700 900123", "[PHONE]")
    table.to_parquet(tmp_path / "redacted.parquet")
    by_text = agreement_files([tmp_path / "analyst.csv", tmp_path / "redacted.parquet"], book, n_boot=0)
    assert by_text.matched_on == "text" and by_text.n_comments == 20
    assert by_text.coders_table["left_out"].tolist() == [0, 23]


def test_agree_command_prints_tables_and_writes_xlsx_and_csv(coded: Path, tmp_path: Path) -> None:
    table = coded / "hybrid" / "coded.parquet"
    rules = coded / "rules" / "coded.parquet"
    args = ["agree", str(CMT), f"{table}:machine_themes", f"{rules}:machine_themes", "--names", "analyst,model,rules"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "agree.xlsx"), "--bootstrap", "100"])
    assert result.exit_code == 0, result.output
    for heading in ("Coders (43 comments in every coding, matched on text)", "Agreement per theme", "Light's kappa", "Main theme"):
        assert heading in result.output
    book = load_workbook(tmp_path / "agree.xlsx")
    assert book.sheetnames == ["Per theme", "Main theme", "Coders", "About"]
    assert all(sheet.tables for sheet in book)
    per_theme = pd.read_excel(tmp_path / "agree.xlsx", sheet_name="Per theme")
    assert list(per_theme.columns[2:5]) == ["coded_by_analyst", "coded_by_model", "coded_by_rules"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "agree.csv"), "--bootstrap", "100"])
    assert result.exit_code == 0, result.output
    first = {p.name: p.read_bytes() for p in tmp_path.glob("agree*.csv")}
    assert sorted(first) == ["agree-coders.csv", "agree-main_theme.csv", "agree.csv"]
    runner.invoke(app, [*args, "--out", str(tmp_path / "agree.csv"), "--bootstrap", "100"])
    assert {p.name: p.read_bytes() for p in tmp_path.glob("agree*.csv")} == first  # fixed seed: the same bytes
    assert not list(tmp_path.glob(".*tmp*"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "at least two codings"),
        (["{table}:nope"], "no 'nope' column"),
        (["{table}", "--names", "a,b,c"], "3 names for 2 codings"),
        (["{table}", "--names", "a,a"], "two codings are called the same"),
        (["{table}", "--out", "{tmp}/agree.txt"], "must end in .xlsx or .csv"),
        (["{tmp}/missing.parquet"], "file not found"),
    ],
)
def test_bad_requests_are_one_line_errors(coded: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    table = coded / "hybrid" / "coded.parquet"
    args = [a.format(table=table, tmp=tmp_path) for a in extra]
    result = runner.invoke(app, ["agree", str(CMT), *args])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output


def test_a_path_with_a_colon_is_not_split(tmp_path: Path) -> None:
    odd = tmp_path / "coded:2024.parquet"
    odd.write_bytes(b"")
    assert split_spec(odd) == (odd, None)
    assert split_spec(f"{tmp_path}/coded.parquet:machine_themes") == (tmp_path / "coded.parquet", "machine_themes")


def test_evaluate_reads_the_machines_own_column_too(coded: Path) -> None:
    table = coded / "hybrid" / "coded.parquet"
    for machine, perfect in ((str(table), True), (f"{table}:machine_themes", False)):
        result = runner.invoke(app, ["evaluate", str(CMT), machine])
        assert result.exit_code == 0, result.output
        micro = next(line for line in result.output.splitlines() if "micro" in line).split("│")
        assert (float(micro[4]) == 1.0) is perfect  # themes is the analyst's own codes; machine_themes is not
    result = runner.invoke(app, ["evaluate", str(CMT), f"{table}:nope"])
    assert result.exit_code == 1 and "no 'nope' column" in result.output
