"""The report: self-contained HTML and Word with the same content, numbers equal to the workbook's."""

import re
from html import unescape
from html.parser import HTMLParser

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register, write_exercises
from docx import Document

from tcs_themes.analysis.quotes import REDACTION_MARKER
from tcs_themes.config import ReportSettings
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.outputs.publish import publish


class _Tables(HTMLParser):
    """Collect every <table id=...> of an HTML page as a list of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self.images: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._current = self.tables.setdefault(attrs.get("id", f"t{len(self.tables)}"), [])
        elif tag == "tr" and self._current is not None:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(attrs["src"])
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._current[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._current = None
        elif tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    codebook, register = make_codebook(), make_register()
    coded = make_coded(codebook)
    # a comment that is markup must be shown as text, never run
    coded.loc[coded["text"].str.startswith("Avoid acronyms"), "text"] = "Avoid acronyms <b>and</b> <script>alert(1)</script> jargon please."
    exercises = load_exercises(write_exercises(folder / "4ps.xlsx"))
    settings = ReportSettings(title="Thriving communities: what you told us", organisation="Oxford City Council", author="Communities team", date="March 2023")
    paths = publish(
        coded, codebook, folder / "out", register=register, exercises=exercises,
        method_info={"inputs": {"coded table": "coded.parquet"}}, settings=settings,
    )  # fmt: skip
    html = paths["html"].read_text(encoding="utf-8")
    parser = _Tables()
    parser.feed(html)
    return paths, coded, html, parser


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def test_publish_writes_workbook_report_and_charts(published) -> None:
    paths, *_ = published
    assert paths["workbook"].name == "theme-counts.xlsx"
    assert paths["html"].name == "report.html" and paths["docx"].name == "report.docx"
    assert paths["chart:themes_overall"].exists() and paths["chart:themes_overall"].with_suffix(".svg").exists()


def test_html_is_self_contained_and_escaped(published) -> None:
    _, _, html, parser = published
    assert parser.images and all(src.startswith("data:image/svg+xml;base64,") for src in parser.images)
    assert not re.search(r"""(src|href)=["']https?:""", html)
    assert "<link" not in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "size: A4" in html and 'counter(page)' in html  # printed page numbers


def test_report_structure(published) -> None:
    _, _, _, parser = published
    expected = [
        "Background and objectives", "Method", "The strands", "Summary of findings", "Themes across all discussions",
        "Themes by strand", "The 4Ps exercise at community events", "Appendix: theme counts and technical details",
    ]  # fmt: skip
    assert [h for h in parser.headings if h in expected] == expected
    assert "1. Community involvement and engagement" in parser.headings
    assert "Other, less common themes" in parser.headings
    assert "Strand 3 - Locality conversations" in parser.headings


def test_html_numbers_equal_the_workbook(published) -> None:
    paths, coded, html, parser = published
    workbook = paths["workbook"]
    summary = pd.read_excel(workbook, sheet_name="Summary", usecols="A:J", nrows=7)
    table = parser.tables["table-theme-counts"]
    header, rows = table[0], table[1:]
    assert header == [c for c in summary.columns if c != "Theme ID"]
    for html_row, (_, xl_row) in zip(rows, summary.iterrows(), strict=True):
        cells = dict(zip(header, html_row, strict=True))
        assert cells["Theme"] == xl_row["Theme"]
        assert cells["Comments (main theme)"] == str(xl_row["Comments (main theme)"])
        assert cells["Share (main theme)"] == _percent(xl_row["Share (main theme)"])
        assert cells["Comments (any theme)"] == str(xl_row["Comments (any theme)"])
        assert cells["Share (any theme)"] == _percent(xl_row["Share (any theme)"])
        assert cells["Sessions raising it"] == str(xl_row["Sessions raising it"])
    by_strand = pd.read_excel(workbook, sheet_name="Themes by strand")
    appendix = parser.tables["table-appendix"]
    strands = appendix[0][1:-1]
    for row in appendix[1:]:
        for strand, value in zip(strands, row[1:-1], strict=True):
            expected = by_strand[(by_strand["Strand"] == strand) & (by_strand["Theme"] == row[0])]["Comments (main theme)"]
            assert value == str(int(expected.iloc[0]))
    strands_table = parser.tables["table-strands"]
    column_l = pd.read_excel(workbook, sheet_name="Summary", usecols="L", header=None).iloc[:, 0].tolist()
    workbook_strands = pd.read_excel(workbook, sheet_name="Summary", usecols="L:S", skiprows=column_l.index("Strand"), nrows=5)
    assert [r[4] for r in strands_table[1:]] == [str(v) for v in workbook_strands["Comments"]]
    assert strands_table[-1][4] == str(len(coded))
    # who coded the comments: the same figures in the method section and the workbook's totals
    totals = pd.read_excel(workbook, sheet_name="Summary", usecols="L:M", nrows=9).set_index("Measure")["Value"]
    analyst = int((coded["code_source"] == "analyst").sum())
    assert 0 < analyst == totals["Coded by an analyst"] and totals["Reviewed by an analyst"] == 0
    assert totals["Coded by the machine alone"] == len(coded) - analyst
    assert (
        f"Who coded them: {analyst} comments were coded by an analyst before the toolkit ran" in html
        and f"and {len(coded) - analyst} comments were coded by the machine alone" in html
    )


def test_paragraph_numbers_come_from_the_counts(published) -> None:
    paths, _, html, _ = published
    summary = pd.read_excel(paths["workbook"], sheet_name="Summary", usecols="A:J", nrows=7).set_index("Theme")
    row = summary.loc["Clarity"]
    expected = (
        f"Clarity was the joint second most common theme: {row['Comments (main theme)']} of the 34 comments "
        f"({_percent(row['Share (main theme)'])}) had it as their main theme, and {row['Comments (any theme)']} "
        f"({_percent(row['Share (any theme)'])}) touched on it at all."
    )
    assert expected in html
    assert "It came up in three of the eight sessions and in one of the three emails." in html
    assert "Of the 7 comments that touched on it, 4 were also given a sub-theme: terminology (3 comments) and length (1 comment)." in html
    assert "It came up in two of the three Strand 3 sessions." in html


def test_quotes_in_the_report_are_safe_and_traceable(published) -> None:
    _, coded, html, _ = published
    by_id = coded.set_index("comment_id")["text"]
    found = re.findall(r"&ldquo;(.*?)&rdquo;</p>\s*<footer>(.*?)</footer>", html, flags=re.S)
    assert len(found) >= 10
    texts = set(by_id)
    for text, footer in found:
        assert not REDACTION_MARKER.search(text)
        assert unescape(text) in set(by_id.values)
        assert not any(comment_id in footer for comment_id in texts)  # comment ids are off by default


def test_docx_has_the_same_content(published) -> None:
    paths, _, _, parser = published
    document = Document(str(paths["docx"]))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert parser.headings[:2] == ["Thriving communities: what you told us", "Contents"]
    assert headings == parser.headings[2:]
    docx_tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    html_tables = list(parser.tables.values())
    assert docx_tables == html_tables
    assert len(document.inline_shapes) == len(parser.images)
    assert all(shape.height.cm <= 23.01 and shape.width.cm <= 17.01 for shape in document.inline_shapes)
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote" and p.text.startswith("\u201c")]
    assert len(quotes) >= 10


def test_report_for_a_table_without_sessions_strands_or_subthemes() -> None:
    from tcs_themes.analysis.counts import count_all
    from tcs_themes.analysis.quotes import quotes_by_scope
    from tcs_themes.outputs.report import build_report, render_docx, render_html

    codebook = make_codebook()
    coded = make_coded(codebook)
    coded = coded[coded["source_kind"] == "email"].assign(subthemes=pd.NA)
    counts = count_all(coded, codebook)
    report = build_report(coded, codebook, counts, quotes_by_scope(coded, codebook), {})
    html = render_html(report)
    assert "4 comments were recorded" in html and "Emails and other comments outside the strands" in html
    assert len(render_docx(report).tables) == 5  # strands, inputs, the themes and what they cover, two of counts


def test_front_page_contents_and_page_numbers(published) -> None:
    paths, _, html, parser = published
    assert parser.headings[0] == "Thriving communities: what you told us"
    for text in ("Oxford City Council", "Communities team", "March 2023"):
        assert text in html.split("<nav", 1)[0]
    contents = html.split('<nav aria-label="Contents"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#background"' in contents and 'href="#appendix"' in contents and 'href="#theme-' in contents
    document = Document(str(paths["docx"]))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Thriving communities: what you told us" and "Oxford City Council" in texts[:5]
    body = document.element.body.xml
    assert 'TOC \\o "1-2"' in body and body.count('w:fldCharType="begin"') >= 1
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    assert "updateFields" in document.settings.element.xml
    # the technical table is in the appendix, after every finding
    assert parser.headings.index("Appendix: theme counts and technical details") > parser.headings.index("Themes by strand")
    assert html.index('id="table-inputs"') > html.index('id="appendix"')


def test_comment_ids_shown_when_asked() -> None:
    from tcs_themes.analysis.counts import count_all
    from tcs_themes.analysis.quotes import quotes_by_scope
    from tcs_themes.outputs.report import build_report, render_docx, render_html

    codebook = make_codebook()
    coded = make_coded(codebook)
    quotes = quotes_by_scope(coded, codebook)
    report = build_report(coded, codebook, count_all(coded, codebook), quotes, {}, settings=ReportSettings(comment_ids=True))
    shown = re.findall(r'<span class="comment-id">\((c[0-9a-f]{12})\)</span>', render_html(report))
    assert shown and set(shown) <= set(coded["comment_id"])
    docx_text = "\n".join(p.text for p in render_docx(report).paragraphs)
    assert all(f"({c})" in docx_text for c in shown)


def test_subthemes_have_their_own_sections(published) -> None:
    _, _, html, parser = published
    # Clarity's sub-themes each get a heading and a sentence
    assert "Terminology" in parser.headings and "Length" in parser.headings
    section = html.split('id="sub-clarity-', 1)[1].split("</section>", 1)[0]
    assert re.search(r"(came up in|were about) ", section)


@pytest.fixture(scope="module")
def real_report():
    """The report's content for the sample consultation's coded table (1,067 comments), without charts."""
    from pathlib import Path

    from tcs_themes.analysis.counts import count_all
    from tcs_themes.analysis.quotes import quotes_by_scope
    from tcs_themes.codebook.load import load_codebook
    from tcs_themes.ingest.register import load_register
    from tcs_themes.outputs.report import build_report, render_html

    root = Path(__file__).resolve().parents[1]
    coded = pd.read_parquet(root / "data" / "coded" / "coded.parquet")
    codebook, register = load_codebook(None), load_register(root / "data" / "raw" / "sessions.yaml")
    counts = count_all(coded, codebook, register)
    report = build_report(coded, codebook, counts, quotes_by_scope(coded, codebook), {}, register=register)
    return coded, render_html(report)


def test_each_quote_used_once_in_the_real_report(real_report) -> None:
    coded, html = real_report
    quotes = [unescape(q) for q in re.findall(r"&ldquo;(.*?)&rdquo;</p>", html, flags=re.S)]
    assert len(quotes) > 50 and len(quotes) == len(set(quotes))
    assert set(quotes) <= set(coded["text"])


def test_frequency_words_follow_the_documented_thresholds() -> None:
    from tcs_themes.outputs.report.narrative import FEW_MAX, FREQUENCY_WORDS, frequency_paragraph, frequency_word

    assert frequency_word(FEW_MAX, 10) == "a few" and frequency_word(FEW_MAX + 1, 1000) == "some"
    assert [frequency_word(n, 100) for n in (9, 10, 24, 25, 49, 50, 100)] == ["some", "a number of", "a number of", "many", "many", "most", "most"]
    text = frequency_paragraph()
    assert all(word in text for _, word in FREQUENCY_WORDS)


def test_less_common_themes_say_what_people_said(real_report) -> None:
    _, html = real_report
    section = html.split('id="less-common"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    assert len(items) > 10 and sum("people spoke of \u201c" in item for item in items) > len(items) / 2


def test_positive_quotes_are_about_the_strategy_not_an_event(real_report) -> None:
    from tcs_themes.analysis.quote_reading import is_event_praise

    _, html = real_report
    section = html.split('id="welcomed"', 1)[1].split("</section>", 1)[0]
    quotes = [unescape(q) for q in re.findall(r"&ldquo;(.*?)&rdquo;</p>", section, flags=re.S)]
    assert quotes
    assert not [q for q in quotes if is_event_praise(q)]
    assert not any(re.search(r"(?i)lovely day|great day|fab day|staff are fantastic", q) for q in quotes)


def test_four_ps_interpreted_ties_and_events_that_differed(tmp_path) -> None:
    from tcs_themes.outputs.report.narrative import exercise_interpretation

    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    text = exercise_interpretation(exercises)
    totals = exercises.choice_totals().sort_values("stickers", ascending=False)
    first, second = totals.iloc[0], totals.iloc[1]
    if first["share"] - second["share"] < 0.02:
        assert "effectively tied" in text
    else:
        assert text.startswith(f"{first['p']} came first")
    by_event = exercises.choices.groupby(["event", "p"])["stickers"].sum().unstack(fill_value=0)
    leaders = {by_event.loc[e].idxmax() for e in by_event.index}
    assert ("The events differed" in text) == (len(leaders) > 1)


def test_strand_conclusions_drivers_and_draft_recommendations(real_report) -> None:
    _, html = real_report
    for strand in ("strand_1", "strand_2", "strand_3"):
        section = html.split(f'id="{strand}-conclusions"', 1)[1].split("</section>", 1)[0]
        assert "main concerns were" in section
    strand3 = html.split('id="strand_3"', 1)[1].split('id="strand_3-conclusions"', 1)[0]
    assert re.search(r"(raised it most were|raised mainly at|came from) ", strand3)
    recommendations = html.split('id="recommendations"', 1)[1].split('id="by-strand"', 1)[0]
    titles = re.findall(r"<h3>(.*?)</h3>", recommendations)
    assert titles[:3] == [
        "The strategy document itself (terminology, length, formats, links to other strategies)", "What is missing", "Ownership and governance",
    ]  # fmt: skip
    items = re.findall(r"<li>(.*?)</li>", recommendations, flags=re.S)
    assert items and all(item.startswith("DRAFT: ") and re.search(r"\d+ comments?", item) for item in items)
