"""The report as the senior analyst who signs it reads it, on the real sample run (``run data/raw``).

Each test is a defect an analyst would otherwise have had to rewrite: a count without its base, a
log that does not reconcile with the report, a "stood out" that does not, two theme names run
together, a "0" where the text means none, jargon, a strand without its dates, a chart without bases.
Every expected figure is read from the run's own outputs (workbook, ingest log, register), not typed in.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from tcs_themes.ingest.register import load_register
from tcs_themes.outputs.charts import percent_tick
from tcs_themes.outputs.report.narrative import LOG_REASONS, STANDOUT_RATIO, percent
from tcs_themes.pipeline import run_pipeline

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("signoff")
    run_pipeline([RAW], out)
    html = (out / "report.html").read_text(encoding="utf-8")
    main = re.sub(r"<blockquote>.*?</blockquote>|<table.*?</table>|<figure>.*?</figure>", "", html.split("<main>", 1)[1], flags=re.S)
    paragraphs = [unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", main, flags=re.S)]
    sheets = pd.read_excel(out / "theme-counts.xlsx", sheet_name=None)
    return {"out": out, "paragraphs": paragraphs, "text": "\n".join(paragraphs), "sheets": sheets, "html": html}


def _strand_sizes(sheets: dict) -> dict[str, int]:
    """Strand label -> its comments, from the Summary sheet's strand table (columns L:Q)."""
    summary = sheets["Summary"]
    table = summary.iloc[:, 11:].dropna(how="all")
    start = table.index[table.iloc[:, 0] == "Strand"][0]
    rows = table.loc[start + 1 :]
    return {str(r.iloc[0]): int(r.iloc[4]) for _, r in rows.iterrows() if isinstance(r.iloc[0], str)}


def test_the_method_accounts_for_every_ingest_log_entry(run) -> None:
    log = pd.read_csv(run["out"] / "ingest-log.csv", encoding="utf-8-sig")
    assert len(log) > 50
    method = next(p for p in run["paragraphs"] if p.startswith("This report summarises"))
    assert f"in the ingest log (ingest-log.csv): {len(log):,} entries, namely " in method
    for reason, n in log["reason"].value_counts().items():
        assert f"{n:,} {LOG_REASONS[reason][n != 1]}" in method, reason
    sheet = run["sheets"]["Method"].set_index("Item")["Value"]
    assert sheet["Read, not counted as comments"] == f"{len(log):,} entries, each with its reason, in ingest-log.csv"
    word = "\n".join(p.text for p in Document(run["out"] / "report.docx").paragraphs)
    assert method in word  # the Word report says the same


def test_where_a_theme_was_raised_most_says_out_of_how_many(run) -> None:
    by_strand, sizes = run["sheets"]["Themes by strand"], _strand_sizes(run["sheets"])
    found = re.findall(r"in (Strand \d+) \([^)]*\)(?::|, where) (\d[\d,]*) of its (\d[\d,]*) comments \((\d+\.\d%)\) touched on it", run["text"])
    assert len(found) >= 6
    for strand, n, size, share in found:
        assert int(size.replace(",", "")) == sizes[strand]
        rows = by_strand[(by_strand["Strand"] == strand) & (by_strand["Comments (any theme)"] == int(n.replace(",", "")))]
        assert share in {percent(s) for s in rows["Share (any theme)"]}, (strand, n, share)
    assert not re.search(r"raised mainly in Strand \d+ \([^)]*\): \d+ comments", run["text"])  # the old count without a base


def test_the_sessions_that_raised_a_theme_say_what_their_numbers_count(run) -> None:
    drivers = [p for p in run["paragraphs"] if "The sessions that raised it most were" in p]
    assert len(drivers) >= 5
    for paragraph in drivers:
        listed = paragraph.split("The sessions that raised it most were", 1)[1]
        assert re.findall(r"\((\d+) comments?\)", listed) and not re.search(r"\(\d+\)", listed)


def test_a_theme_stands_out_in_a_strand_only_when_clearly_above_its_overall_share(run) -> None:
    overall = run["sheets"]["Summary"].set_index("Theme ID")["Share (main theme)"]
    by_strand = run["sheets"]["Themes by strand"]
    sizes = _strand_sizes(run["sheets"])
    verdicts = [p for p in run["paragraphs"] if "stood out here:" in p or p.startswith("No theme stood out")]
    strands = [s for s in sizes if s.startswith("Strand")] + ["No strand (emails)"]
    assert len(verdicts) == len(strands)  # one verdict per strand and one for the emails
    for strand, verdict in zip(strands, verdicts, strict=True):
        rows = by_strand[(by_strand["Strand"] == strand) & by_strand["Theme ID"].notna() & (by_strand["Theme ID"] != "uncoded")]
        rows = rows.assign(lift=rows["Share (main theme)"] - rows["Theme ID"].map(overall)).sort_values("lift", ascending=False, kind="stable")
        top = rows.iloc[0]
        clear = top["Share (main theme)"] >= STANDOUT_RATIO * overall[top["Theme ID"]] and top["Comments (main theme)"] > 3
        assert verdict.startswith(f"{top['Theme']} stood out here:" if clear else "No theme stood out"), (strand, verdict)
        assert f"{percent(top['Share (main theme)'])}" in verdict and f"{percent(overall[top['Theme ID']])}" in verdict
    assert any(v.startswith("No theme stood out") for v in verdicts)  # Strand 2 is most of the whole: nothing lifts 1.5 times


def test_two_theme_names_are_never_run_together_with_and(run) -> None:
    names = run["sheets"]["Summary"]["Theme"].dropna().astype(str).tolist()
    forms = {n for name in names for n in (name, name.lower())}
    clashes = [f"{a} and {b}" for a in forms for b in forms if a != b and (" and " in a or " and " in b)]
    assert not [c for c in clashes if c in run["text"]]
    joined = [f"{a}, and {b}" for a in forms for b in forms if a != b and (" and " in a or " and " in b)]
    assert [j for j in joined if j in run["text"]]  # such pairs are joined with a comma (the sample has some)


def test_what_is_missing_gives_its_base(run) -> None:
    missing = run["sheets"]["What is missing"]
    total = int(missing.loc[missing["Theme"] == "All themes", "Comments"].iloc[0])  # the sheet's total row
    comments = _strand_sizes(run["sheets"])["All comments"]
    said = [p for p in run["paragraphs"] if "said something was missing from the draft" in p]
    assert len(said) == 2 and all(p.startswith(f"{total:,} of the {comments:,} comments said") for p in said)


def test_no_quote_approved_reads_none_not_zero(run) -> None:
    review = run["sheets"]["Quotes to review"]
    assert len(review) and not review["Approved for quoting"].astype(bool).any()
    method = run["sheets"]["Method"].set_index("Item")["Value"]
    assert method["Quotes held back for review"].endswith("; none approved for quoting: see the Quotes to review sheet")
    assert "; none approved for quoting." in run["text"] and "0 approved" not in run["text"]


def test_the_workbook_method_and_report_use_no_statistical_jargon(run) -> None:
    method = " ".join(run["sheets"]["Method"]["Value"].astype(str))
    for word in ("TF-IDF", "cosine", "centroid", "n-gram", "embedding"):
        assert word not in method and word not in run["text"], word


def test_each_strand_says_when_and_how_its_sessions_were_held(run) -> None:
    register = load_register(RAW / "sessions.yaml")
    for strand, sessions in register.sessions.groupby("strand"):
        line = next(p for p in run["paragraphs"] if p.startswith(f"{strand} - "))
        first, last = sessions["date"].min(), sessions["date"].max()
        assert f"held between {first:%-d %B %Y} and {last:%-d %B %Y} (" in line
        for kind, n in sessions["format"].value_counts().items():
            assert re.search(rf"\b\S+ {kind}s?\b", line.split(" held between ", 1)[1]), (strand, kind, n)
    assert "four community events" in run["text"]  # a kind of session is pluralised; "online" is not


def test_the_strand_heatmap_shows_each_columns_base_and_exact_ticks(run) -> None:
    svg = (run["out"] / "charts" / "strand_heatmap.svg").read_text(encoding="utf-8")
    for strand, n in _strand_sizes(run["sheets"]).items():
        if strand != "All comments":
            assert f"Base: {n:,}" in svg, strand
    assert [percent_tick(x) for x in (0.0, 0.025, 0.05, 0.075, 0.2)] == ["0%", "2.5%", "5%", "7.5%", "20%"]


def test_sub_themes_say_how_many_of_the_themes_comments_were_given_one(run) -> None:
    subs = run["sheets"]["Sub-themes"]
    overall = run["sheets"]["Summary"].set_index("Theme")["Comments (any theme)"]
    said = re.findall(r"Of the (\d[\d,]*) comments that touched on it, (\d[\d,]*) (?:was|were) also given a sub-theme", run["text"])
    assert len(said) >= 6
    bases = {(int(overall[t]), int(n)) for t, n in subs.groupby("Theme")["Theme's comments with a sub-theme"].first().items() if n}
    for total, given in said:
        assert (int(total.replace(",", "")), int(given.replace(",", ""))) in bases
    assert "Where a sub-theme was recorded" not in run["text"]


def test_the_emails_that_raised_a_theme_are_out_of_all_the_emails(run) -> None:
    summary = run["sheets"]["Summary"]
    emails = int(summary.set_index("Measure")["Value"]["Emails"])
    said = re.findall(r"([A-Z][^.:]*?) was the (?:joint )?\w+ ?(?:most common) theme:.*? in (\w+) of the (\w+) emails\.", run["text"])
    assert len(said) >= 6
    numbers = {w: i for i, w in enumerate(("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}
    raising = summary.set_index("Theme")["Emails raising it"]
    for theme, n, total in said:
        assert int(numbers.get(total, total)) == emails
        assert int(numbers.get(n, n)) == int(raising[theme]), theme
