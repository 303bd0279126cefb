"""The sample consultation's report as the analyst who signs it reads it: what it must say, and how.

Built from the shipped coded sample (data/coded/coded.parquet, 1,067 real-looking comments) with
its register, 4Ps workbook and charts, so the checks run on the text a reader sees.
"""

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tcs_themes.analysis.counts import count_all
from tcs_themes.analysis.quotes import quotes_by_scope
from tcs_themes.codebook.load import load_codebook
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.ingest.register import load_register
from tcs_themes.outputs.charts import draw_charts
from tcs_themes.outputs.report import build_report, render_html
from tcs_themes.outputs.workbook import write_workbook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("report")
    coded = pd.read_parquet(ROOT / "data" / "coded" / "coded.parquet")
    codebook, register = load_codebook(None), load_register(ROOT / "data" / "raw" / "sessions.yaml")
    exercises = load_exercises(ROOT / "data" / "raw" / "four_ps_exercise.xlsx")
    counts, quotes = count_all(coded, codebook, register), quotes_by_scope(coded, codebook)
    charts = draw_charts(counts, out / "charts", strand_names=dict(register.strands), exercises=exercises)
    workbook = write_workbook(out / "theme-counts.xlsx", coded, codebook, counts=counts, quotes=quotes, register=register, exercises=exercises)
    report = build_report(coded, codebook, counts, quotes, charts, register=register, exercises=exercises)
    return coded, codebook, report, render_html(report), workbook, charts


def _section(report, anchor: str):
    stack = list(report.sections)
    while stack:
        section = stack.pop()
        if section.anchor == anchor:
            return section
        stack.extend(section.children)
    raise KeyError(anchor)


def _text(section) -> str:
    parts = []
    for block in section.blocks:
        parts += [block.text] if block.kind == "paragraph" else block.items if block.kind == "bullets" else []
    return " ".join(parts)


def _measures(workbook) -> dict[str, int]:
    sheet = load_workbook(workbook, read_only=True)["Summary"]
    rows = sheet.iter_rows(min_col=12, max_col=13, values_only=True)
    return {k: v for k, v in rows if isinstance(k, str) and isinstance(v, int)}


def test_the_method_says_how_themes_add_up_and_its_figures_are_the_workbooks(sample) -> None:
    coded, _, report, _, workbook, _ = sample
    method = _text(_section(report, "method"))
    measures = _measures(workbook)
    mentions = sum(len([t for t in str(v).split("; ") if t]) for v in coded["themes"].dropna())
    assert measures["Themes given (any theme)"] == mentions > len(coded)
    assert f"were given {mentions:,} themes between them" in method
    assert "no comment's codes were changed by an analyst reviewing the machine's codes" in method and "0 comments" not in method


def test_limitations_name_the_machine_coded_and_low_confidence_comments(sample) -> None:
    coded, _, report, _, workbook, _ = sample
    limits = _text(_section(report, "limitations"))
    machine = int((coded["code_source"] == "machine").sum())
    low = int(coded["low_confidence"].fillna(False).astype(bool).sum())
    assert _measures(workbook)["Low-confidence comments"] == low > 0
    assert f"{machine} comments were coded by the machine alone" in limits
    assert f"{low} comments were given a theme with low confidence" in limits
    biggest = coded["strand"].value_counts()
    assert "counts are of comments, not of people" in limits
    assert f"{biggest.index[0]} gave {biggest.iloc[0]:,} comments of the {len(coded):,}" in limits
    assert "4Ps stickers" in limits


def test_each_detailed_theme_says_what_it_covers_and_the_appendix_lists_every_theme(sample) -> None:
    _, codebook, report, _, _, _ = sample
    detailed = [s for s in _section(report, "themes").children if s.anchor.startswith("theme-")]
    assert len(detailed) == 8
    for section in detailed:
        description = codebook.theme(section.anchor.removeprefix("theme-")).description.rstrip(".")
        assert section.blocks[0].text.lower() == f"what the theme covers: {description.lower()}."
    glossary = next(b for b in _section(report, "appendix").blocks if b.kind == "table" and b.name == "themes-glossary")
    assert [row[0] for row in glossary.rows] == [t.name for t in codebook.themes]
    assert all(row[1] for row in glossary.rows)


def test_no_zero_sentences_no_theme_ids_and_bases_stated(sample) -> None:
    coded, codebook, _, html, _, _ = sample
    main = re.sub(r"<[^>]+>", " ", html.split("<main>", 1)[1])
    text = unescape(main)
    assert not re.search(r"(?<![\d,.])0 comments", text)
    assert [i for i in codebook.ids if "_" in i and re.search(rf"\b{i}\b", text)] == []
    assert "No strand (emails)." not in text and "The strand's main concerns were Community involvement and engagement (19.8%" not in text
    assert f"(number of comments, and share of all {len(coded):,} comments)" in text
    assert f"(and share of the {(coded['strand'] == 'Strand 2').sum():,})" in text
    assert "sub-theme being accessible formats" not in text and "the largest sub-theme being co-production" in text


def test_email_themes_are_quoted_from_emails_and_quotes_carry_their_question(sample) -> None:
    coded, _, report, _, _, _ = sample
    emails = _section(report, "no_strand_emails")
    quotes = [q for child in emails.children for b in child.blocks if b.kind == "quotes" for q in b.quotes]
    assert len(quotes) >= 5
    kinds = coded.set_index("comment_id")["source_kind"]
    assert {kinds[q.comment_id] for q in quotes} == {"email"}
    assert not [q.text for q in quotes if re.match(r"(?i)thank|dear\b", q.text) or re.search(r"[;,:]\s*$", q.text)]
    questions = coded.set_index("comment_id")["question"]
    themes = [q for s in _section(report, "themes").children for b in s.blocks if b.kind == "quotes" for q in b.quotes]
    asked = [q for q in themes if isinstance(questions[q.comment_id], str)]
    assert asked and all(q.attribution.endswith(f"; on \u201c{questions[q.comment_id].strip()}\u201d") for q in asked)


def test_ranked_charts_state_their_base(sample) -> None:
    coded, _, _, _, _, charts = sample
    overall = charts["themes_overall"]["svg"].read_text(encoding="utf-8")
    assert f"Base: {len(coded):,} comments, each counted once, under its main theme. Top 15 of the 29 themes raised." in overall
    emails = charts["themes_no_strand_emails"]["svg"].read_text(encoding="utf-8")
    assert "emails and other comments outside the strands" in emails
    assert f"Base: {coded['strand'].isna().sum():,} comments" in emails
    assert "Grey: no comment" in charts["strand_heatmap"]["svg"].read_text(encoding="utf-8")


def test_the_workbook_names_sub_themes(sample) -> None:
    _, codebook, _, _, workbook, _ = sample
    comments = pd.read_excel(workbook, sheet_name="Coded comments", usecols=["Sub-themes"])["Sub-themes"].dropna()
    assert len(comments) > 100
    assert not comments.str.contains("/").any()
    assert comments.str.contains("Funding and costs: Communities' access to funds", regex=False).any()


def test_the_summary_says_what_was_missing_before_the_4ps(sample) -> None:
    coded, _, report, _, _, _ = sample
    points = _section(report, "summary").blocks[0].items
    missing = _section(report, "missing").blocks[1].items  # "Theme: phrases (N comments)", most raised first
    top = [re.match(r"(.+?): .* \((\d+) comments?\)$", line).groups() for line in missing[:3]]
    total = sum(int(re.search(r"\((\d+) comments?\)$", line).group(1)) for line in missing)
    about = [f"{name.lower() if name[1:].islower() else name} ({n} comments)" for name, n in top]
    assert " and " not in about[1] + about[2]  # so the list takes no comma before its "and"
    assert points[-2] == (
        f"{total:,} of the {len(coded):,} comments said something was missing from the draft or needed more focus, "
        f"most often about {about[0]}, {about[1]} and {about[2]}."
    )
    assert points[-1].startswith("At the community events")


def test_the_workbook_says_rule_and_model_not_both(sample) -> None:
    coded, _, _, _, workbook, _ = sample
    sheets = pd.read_excel(workbook, sheet_name=["Coded comments", "Comment themes (long)"])
    sources = sheets["Coded comments"]["Theme sources"].dropna()
    given = sheets["Comment themes (long)"]["Given by"].dropna()
    assert coded["sources"].astype(str).str.contains("both").any()
    assert not sources.str.contains(r"\bboth\b").any() and sources.str.contains("rule and model").any()
    assert set(given) <= {"rule", "model", "rule and model", "analyst", "review"} and "rule and model" in set(given)


def test_the_strands_total_row_counts_the_emails_too(sample) -> None:
    coded, _, report, _, workbook, _ = sample
    table = next(b for b in _section(report, "strands").blocks if b.kind == "table")
    assert table.rows[-2][0] == "No strand (emails)"
    assert table.rows[-1][0] == "All comments" and table.rows[-1][4] == f"{len(coded):,}"
    column_l = pd.read_excel(workbook, sheet_name="Summary", usecols="L", header=None).iloc[:, 0].tolist()
    assert "All comments" in column_l and "All strands" not in column_l


def test_word_tables_size_columns_to_their_words(sample) -> None:
    from docx.shared import Cm

    from tcs_themes.outputs.report import render_docx
    from tcs_themes.outputs.report.word import column_widths

    _, _, report, _, _, _ = sample
    table = next(b for b in _section(report, "strands").blocks if b.kind == "table")
    widths = column_widths(table)
    assert sum(widths) == Cm(17)
    longest = [max(len(word) for v in [h, *(r[c] for r in table.rows)] for word in v.split()) for c, h in enumerate(table.headers)]
    per_char = [w / (n + 2) for w, n in zip(widths, longest, strict=True)]
    assert max(per_char) / min(per_char) < 1.01  # every column as wide as its longest word needs, none squeezed
    grid = render_docx(report).tables[0]
    assert all(abs(c.width - w) < 635 for c, w in zip(grid.columns, widths, strict=True))  # Word keeps twips (635 EMU)
