"""Theme counts reconcile: every comment counted once (main theme), uncoded shown, strands add up."""

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register

from tcs_themes.analysis.counts import (
    NO_STRAND,
    count_all,
    cooccurrence,
    strand_overview,
    subtheme_counts,
    theme_counts,
    theme_summary,
    top_cooccurring,
)
from tcs_themes.schema import UNCODED


@pytest.fixture(scope="module")
def data():
    codebook = make_codebook()
    return make_coded(codebook), codebook, make_register()


def test_primary_counts_add_up_to_the_comments_and_uncoded_is_a_row(data) -> None:
    coded, codebook, _ = data
    table = theme_counts(coded, codebook)
    assert table["comments"].sum() == len(coded) == 34
    assert table["share"].sum() == pytest.approx(1.0)
    uncoded = table.set_index("theme_id").loc[UNCODED]
    assert uncoded["comments"] == (coded["primary_theme"] == UNCODED).sum() == 5
    assert pd.isna(uncoded["rank"])
    assert table["theme_id"].iloc[-1] == UNCODED
    assert set(codebook.ids) <= set(table["theme_id"])


def test_any_basis_counts_every_theme_given(data) -> None:
    coded, codebook, _ = data
    table = theme_counts(coded, codebook, basis="any").set_index("theme_id")
    given = coded["themes"].str.split("; ").explode()
    assert table.loc["green_spaces", "comments"] == (given == "green_spaces").sum() == 8
    assert table["comments"].sum() == len(given)
    assert table["share"].sum() > 1.0


def test_ranks_are_by_count_with_ties_sharing_a_rank(data) -> None:
    coded, codebook, _ = data
    table = theme_counts(coded, codebook).set_index("theme_id")
    assert table.loc["community_involvement", "rank"] == 1
    assert table.loc["clarity", "rank"] == table.loc["green_spaces", "rank"] == 2
    assert table.loc["funding_costs", "rank"] == 4


@pytest.mark.parametrize("basis", ["primary", "any"])
@pytest.mark.parametrize("by", ["strand", "session", "question", "source"])
def test_groups_add_up_to_the_overall_counts(data, by, basis) -> None:
    coded, codebook, register = data
    overall = theme_counts(coded, codebook, basis=basis).set_index("theme_id")["comments"]
    grouped = theme_counts(coded, codebook, basis=basis, by=by, register=register)
    summed = grouped.groupby("theme_id")["comments"].sum()
    pd.testing.assert_series_equal(summed.sort_index(), overall.sort_index(), check_names=False)
    if basis == "primary":
        shares = grouped.groupby(by)["share"].sum()
        assert shares.to_numpy() == pytest.approx(1.0)


def test_emails_have_their_own_strand_group_and_source(data) -> None:
    coded, codebook, register = data
    by_strand = theme_counts(coded, codebook, by="strand", register=register)
    assert list(dict.fromkeys(by_strand["strand"])) == ["Strand 1", "Strand 2", "Strand 3", NO_STRAND]
    emails = by_strand[by_strand["strand"] == NO_STRAND].set_index("theme_id")
    assert emails["comments"].sum() == 4
    by_source = theme_counts(coded, codebook, by="source").set_index(["source", "theme_id"])
    assert by_source.loc[("Emails", "governance"), "emails"] == 1
    assert by_source.loc[("Group sessions", "governance"), "comments"] == 2


def test_sessions_raising_a_theme_use_the_register_totals(data) -> None:
    coded, codebook, register = data
    table = theme_counts(coded, codebook, basis="any", by="strand", register=register).set_index(["strand", "theme_id"])
    # green spaces came up in both strand-3 sessions with comments, of the three in the register
    assert table.loc[("Strand 3", "green_spaces"), "sessions"] == 2
    assert table.loc[("Strand 3", "green_spaces"), "sessions_total"] == 3
    without = theme_counts(coded, codebook, basis="any", by="strand").set_index(["strand", "theme_id"])
    assert without.loc[("Strand 3", "green_spaces"), "sessions_total"] == 2
    overall = theme_counts(coded, codebook, register=register)
    assert set(overall["sessions_total"]) == {8}


def test_summary_puts_both_bases_side_by_side(data) -> None:
    coded, codebook, register = data
    summary = theme_summary(coded, codebook, register=register).set_index("theme_id")
    assert summary.loc["governance", "main_comments"] == 3
    assert summary.loc["governance", "any_comments"] == 5
    assert summary.loc["governance", "emails"] == 1


def test_strand_overview_totals(data) -> None:
    coded, _, register = data
    overview = strand_overview(coded, register).set_index("strand")
    assert overview.loc["Strand 3", "sessions"] == 3
    assert overview.loc["Strand 3", "sessions_with_comments"] == 2
    assert overview.loc["All strands", "comments"] == overview.drop("All strands")["comments"].sum() == 34
    assert overview.loc["All strands", "uncoded"] == 5
    assert overview.loc[NO_STRAND, "emails"] == 3


def test_subthemes_are_counted_under_their_theme(data) -> None:
    coded, codebook, _ = data
    table = subtheme_counts(coded, codebook).set_index("subtheme_id")
    assert table.loc["terminology", "comments"] == 3
    assert table.loc["terminology", "theme_id"] == "clarity"
    assert table.loc["terminology", "share_of_theme"] == pytest.approx(3 / 7)
    assert table.loc["length", "comments"] == 1
    given = coded["subthemes"].fillna("").astype(str).str.contains("clarity/", regex=False)
    assert (table.loc[["terminology", "length"], "theme_with_subtheme"] == int(given.sum())).all()  # each comment once


def test_cooccurrence_is_symmetric_with_theme_totals_on_the_diagonal(data) -> None:
    coded, codebook, _ = data
    matrix = cooccurrence(coded, codebook)
    assert (matrix.to_numpy() == matrix.T.to_numpy()).all()
    assert matrix.loc["clarity", "clarity"] == 7
    assert matrix.loc["clarity", "governance"] == 2
    assert top_cooccurring(matrix, "clarity", 2) == [("governance", 2), ("funding_costs", 1)]


def test_count_all_shares_one_set_of_numbers(data) -> None:
    coded, codebook, register = data
    counts = count_all(coded, codebook, register)
    assert counts.n_comments == 34
    strand_sum = counts.by_strand.groupby("theme_id")["main_comments"].sum()
    assert (strand_sum.reindex(counts.overall["theme_id"]).to_numpy() == counts.overall["main_comments"].to_numpy()).all()


def test_unknown_basis_or_grouping_is_an_error(data) -> None:
    coded, codebook, _ = data
    with pytest.raises(ValueError, match="basis"):
        theme_counts(coded, codebook, basis="most")
    with pytest.raises(ValueError, match="grouping"):
        theme_counts(coded, codebook, by="ward")


def test_groups_without_a_register_sort_naturally(data) -> None:
    coded, codebook, _ = data
    renamed = coded.assign(strand=coded["strand"].replace({"Strand 3": "Strand 10"}))
    table = theme_counts(renamed, codebook, by="strand")
    assert list(dict.fromkeys(table["strand"])) == ["Strand 1", "Strand 2", "Strand 10", NO_STRAND]


def test_counts_from_batches_are_the_counts_of_the_whole_table() -> None:
    """`run` counts coded.parquet batch by batch (running totals); every table equals the whole table's."""
    from pathlib import Path

    from tcs_themes.analysis.counts import count_all, count_batches
    from tcs_themes.codebook import load_codebook
    from tcs_themes.ingest.register import load_register
    from tcs_themes.tables import read_table, read_table_batches

    root = Path(__file__).resolve().parents[1]
    coded_path = root / "data" / "coded" / "coded.parquet"
    codebook, register = load_codebook(), load_register(root / "data" / "raw" / "sessions.yaml")
    whole = count_all(read_table(coded_path), codebook, register)
    batches = count_batches(read_table_batches(coded_path, batch_size=50), codebook, register)
    for name in ("overall", "by_strand", "by_session", "by_question", "by_source", "strands", "subthemes", "cooccurrence"):
        pd.testing.assert_frame_equal(getattr(batches, name), getattr(whole, name), obj=name)
    assert batches.code_sources == whole.code_sources
    assert whole.n_comments == len(read_table(coded_path)) > 1000
