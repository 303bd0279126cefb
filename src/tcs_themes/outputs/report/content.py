"""The report's content, built once and rendered twice (HTML and Word) so both say the same.

A report is a list of :class:`Section` objects; a section holds blocks
(paragraphs, lists, tables, figures, quotes) and sub-sections. Tables are
stored already formatted as text, with the workbook's number formats, so the
HTML, the Word document and the workbook show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar
import base64
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tcs_themes.analysis.counts import NO_STRAND, ThemeCounts
from tcs_themes.analysis.quotes import ALL_DISCUSSIONS, is_publishable
from tcs_themes.codebook.model import Codebook
from tcs_themes.ingest.exercises import Exercises
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.outputs.charts import slug, strand_title
from tcs_themes.outputs.published import (
    SHARE_HEADINGS,
    appendix_table,
    choices_table,
    method_rows,
    strand_table,
    theme_table,
)
from tcs_themes.outputs.report import narrative
from tcs_themes.schema import UNCODED


@dataclass
class Paragraph:
    """A paragraph of plain text."""

    kind: ClassVar[str] = "paragraph"

    text: str


@dataclass
class Bullets:
    """A bulleted (or, when ``ordered``, numbered) list."""

    kind: ClassVar[str] = "bullets"

    items: list[str]
    ordered: bool = False


@dataclass
class TableBlock:
    """A table of display strings; ``numeric`` flags the right-aligned columns."""

    kind: ClassVar[str] = "table"

    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    name: str = ""


@dataclass
class FigureBlock:
    """A chart: its files and a caption (also the alt text)."""

    kind: ClassVar[str] = "figure"

    caption: str
    png: Path
    svg: Path

    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI, to embed in a self-contained HTML file."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.read_bytes()).decode("ascii")


@dataclass
class Quote:
    """An illustrative quote and where it came from."""

    text: str
    attribution: str
    comment_id: str


@dataclass
class Quotes:
    """The illustrative quotes under a theme."""

    kind: ClassVar[str] = "quotes"

    quotes: list[Quote]


Block = Paragraph | Bullets | TableBlock | FigureBlock | Quotes


@dataclass
class Section:
    """A titled section with its blocks and sub-sections."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Report:
    """The whole report."""

    title: str
    subtitle: str
    sections: list[Section]


def format_table(frame: pd.DataFrame, caption: str, *, percent: tuple[str, ...] = (), name: str = "") -> TableBlock:
    """Format ``frame`` as display strings: counts ``#,##0``, shares ``0.0%``, missing as blank."""

    def show(value: object, column: str) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if column in percent:
            return narrative.percent(float(value))
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            return narrative.count(int(value))
        return str(value)

    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    rows = [[show(v, c) for v, c in zip(row, frame.columns, strict=True)] for row in frame.astype(object).itertuples(index=False)]
    return TableBlock(caption=caption, headers=[str(c) for c in frame.columns], rows=rows, numeric=numeric, name=name)


_NO_SESSION = {"email": "Email to the consultation mailbox"}


def _quotes_block(quotes: pd.DataFrame, scope: str, theme_id: str) -> Quotes | None:
    chosen = quotes[(quotes["scope"] == scope) & (quotes["theme_id"] == theme_id)].sort_values("quote_rank")
    if chosen.empty:
        return None
    items = []
    for row in chosen.itertuples(index=False):
        where = row.session_name if isinstance(row.session_name, str) else _NO_SESSION.get(row.source_kind, "No session recorded")
        if isinstance(row.strand, str):
            where = f"{where}, {row.strand}"
        items.append(Quote(text=str(row.text), attribution=where, comment_id=str(row.comment_id)))
    return Quotes(items)


def _figure(charts: Mapping[str, Mapping[str, Path]], name: str, caption: str) -> list[Block]:
    if name not in charts:
        return []
    return [FigureBlock(caption=caption, png=Path(charts[name]["png"]), svg=Path(charts[name]["svg"]))]


def _summarises(totals: pd.Series, period: str) -> str:
    """The method's first sentence: how many comments, from which sessions and emails."""
    emails = f"{narrative.plural(int(totals['emails']), 'email')} sent to the consultation mailbox"
    text = f"This report summarises {narrative.plural(int(totals['comments']), 'comment')}"
    if not int(totals["sessions_with_comments"]):
        return f"{text} from {emails}."
    text += f": the notes of {narrative.words(int(totals['sessions_with_comments']))} group sessions{period}"
    return f"{text}, and {emails}." if int(totals["emails"]) else f"{text}."


def _low_confidence_sentence(coded: pd.DataFrame) -> list[str]:
    """The method's sentence on comments given their most likely theme with low confidence (none: no sentence)."""
    if "low_confidence" not in coded.columns:
        return []
    n = int(coded["low_confidence"].fillna(False).astype(bool).sum())
    return [
        f"A comment of four or more words that no theme fitted clearly was given its most likely theme and flagged "
        f"as low confidence for review: {narrative.plural(n, 'comment')} "
        f"({narrative.percent(n / max(len(coded), 1))} of all comments)."
    ]


def _method_section(coded: pd.DataFrame, codebook: Codebook, counts: ThemeCounts, rows: list[tuple[str, str]]) -> Section:
    totals = counts.strands.iloc[-1]
    dates = pd.to_datetime(coded.loc[coded["source_kind"] == "spreadsheet", "date"]).dropna()
    period = f", held between {dates.min():%-d %B %Y} and {dates.max():%-d %B %Y}" if len(dates) else ""
    paragraphs = [
        _summarises(totals, period),
        f"Each comment was coded against the codebook \"{codebook.name}\" of {len(codebook.themes)} themes: it was given "
        "every theme it touched on, most confident first, and the first is its main theme. Unless a table says "
        "otherwise, comments are counted under their main theme, so each comment is counted once and the counts "
        "add up to the total. Comments that fitted no theme are counted as uncoded and shown, not left out.",
        *_low_confidence_sentence(coded),
        "A theme was raised in a session when at least one comment from that session touched on it. The "
        "illustrative quotes were chosen to be short, clearly about the theme, typical of what was said under it "
        "and different from each other, from different sessions where possible; comments with personal details "
        "were never quoted. Each quote keeps its comment ID so it can be traced to its source.",
    ]
    inputs = pd.DataFrame(rows, columns=["Item", "Value"])
    inputs = inputs[~inputs["Item"].str.startswith(("Counting", "Uncoded", "Sessions raising", "Illustrative"))]
    return Section(
        "Method and inputs",
        [*(Paragraph(p) for p in paragraphs), format_table(inputs, "Inputs and settings", name="inputs")],
        anchor="method",
    )


def _strands_section(counts: ThemeCounts, register, charts: Mapping[str, Mapping[str, Path]]) -> Section:
    blocks: list[Block] = []
    names = dict(register.strands) if register is not None else {}
    for row in counts.strands.itertuples(index=False):
        if row.strand in ("All strands", NO_STRAND):
            continue
        sessions = f"{narrative.words(int(row.sessions))} {'session' if row.sessions == 1 else 'sessions'}"
        line = f"{strand_title(row.strand, names)}: {sessions}, {narrative.plural(int(row.comments), 'comment')}."
        if register is not None:
            listed = register.sessions[register.sessions["strand"] == row.strand]["session_name"].tolist()
            line = line[:-1] + f" ({'; '.join(listed)})." if listed else line
        blocks.append(Paragraph(line))
    blocks.append(format_table(strand_table(counts), "Comments by strand", name="strands"))
    blocks += _figure(charts, "strand_heatmap", "How the themes compare across the strands (share of each strand's comments, main theme).")
    return Section("The strands", blocks, anchor="strands")


def _theme_sections(
    counts: ThemeCounts, codebook: Codebook, quotes: pd.DataFrame, names: dict[str, str], detailed: int
) -> tuple[list[Section], list[str], list[str]]:
    ranked = counts.overall[(counts.overall["theme_id"] != UNCODED) & counts.overall["rank"].notna()]
    sections = []
    for row in ranked.head(detailed).itertuples(index=False):
        blocks: list[Block] = [Paragraph(narrative.theme_paragraph(row.theme_id, counts, codebook, names))]
        block = _quotes_block(quotes, ALL_DISCUSSIONS, row.theme_id)
        if block is not None:
            blocks.append(block)
        sections.append(Section(f"{int(row.rank)}. {row.theme}", blocks, anchor=f"theme-{row.theme_id}"))
    rest = counts.overall[(counts.overall["theme_id"] != UNCODED) & ~counts.overall["theme_id"].isin(ranked.head(detailed)["theme_id"])]
    less = [narrative.less_common_line(row, codebook) for _, row in rest[rest["any_comments"] > 0].iterrows()]
    never = list(rest[rest["any_comments"] == 0]["theme"])
    return sections, less, never


def _strand_section(
    strand: str,
    table: pd.DataFrame,
    counts: ThemeCounts,
    codebook: Codebook,
    quotes: pd.DataFrame,
    names: dict[str, str],
    charts: Mapping[str, Mapping[str, Path]],
    detailed: int,
) -> Section:
    size = int(counts.strands.set_index("strand").loc[strand, "comments"])
    ranked = table[(table["theme_id"] != UNCODED) & table["rank"].notna()]
    intro = f"{narrative.plural(size, 'comment')} were recorded in {strand_title(strand, names)}."
    if strand == NO_STRAND:
        intro = f"{narrative.plural(size, 'comment')} came from emails and other sources outside the group sessions."
    items = [f"{t} ({narrative.count(n)}, {narrative.percent(s)})" for t, n, s in zip(ranked["theme"], ranked["main_comments"], ranked["main_share"], strict=True)]
    blocks: list[Block] = [Paragraph(intro + " The most common themes, by number of comments with that main theme:"), Bullets(items[:10], ordered=True)]
    blocks += _figure(charts, f"themes_{slug(strand)}", f"Most common themes: {strand_title(strand, names)}.")
    children = []
    for row in ranked.head(detailed).itertuples(index=False):
        theme_blocks: list[Block] = [Paragraph(narrative.strand_theme_paragraph(pd.Series(row._asdict()), strand, size, codebook))]
        block = _quotes_block(quotes, strand, row.theme_id)
        if block is not None:
            theme_blocks.append(block)
        children.append(Section(row.theme, theme_blocks, anchor=f"{slug(strand)}-{row.theme_id}"))
    title = "Emails and other comments outside the strands" if strand == NO_STRAND else strand_title(strand, names)
    return Section(title, blocks, children, anchor=slug(strand))


def _exercise_section(exercises: Exercises, charts: Mapping[str, Mapping[str, Path]]) -> Section:
    blocks: list[Block] = [Paragraph(narrative.exercise_paragraph(exercises))]
    blocks.append(format_table(choices_table(exercises), "Stickers per P at each event", name="choices"))
    blocks += _figure(charts, "exercise_choices", "Which of the 4Ps matters most: stickers per event.")
    blocks += _figure(charts, "exercise_statements", "Stickers per statement, all events.")
    items, withheld = [], 0
    for row in exercises.statement_totals().itertuples(index=False):
        safe = [r for r in row.reasons if is_publishable(r)]
        withheld += len(row.reasons) - len(safe)
        reasons = f" Reasons given: {'; '.join(chr(8220) + r + chr(8221) for r in safe)}." if safe else " No reasons were written."
        items.append(f"{row.statement} ({row.p}, {narrative.plural(int(row.stickers), 'sticker')}).{reasons}")
    blocks.append(Paragraph("The statements, with the stickers they received and the reasons people wrote:"))
    blocks.append(Bullets(items))
    if withheld:
        blocks.append(Paragraph(f"{narrative.plural(withheld, 'written reason')} containing personal details are not shown."))
    return Section("The 4Ps exercise at community events", blocks, anchor="four-ps")


def build_report(
    coded: pd.DataFrame,
    codebook: Codebook,
    counts: ThemeCounts,
    quotes: pd.DataFrame,
    charts: Mapping[str, Mapping[str, Path]],
    *,
    register: SessionRegister | None = None,
    exercises: Exercises | None = None,
    method_info: Mapping[str, object] | None = None,
    title: str = "Consultation feedback: thematic analysis",
    detailed_themes: int = 8,
    detailed_strand_themes: int = 5,
) -> Report:
    """Assemble the report's content from the counts, quotes and charts.

    Parameters
    ----------
    coded, codebook, counts, quotes
        The coded table and what was computed from it.
    charts : mapping
        Chart name -> ``{"png": path, "svg": path}`` from :func:`tcs_themes.outputs.charts.draw_charts`.
    register, exercises, method_info
        Optional inputs, as for :func:`tcs_themes.outputs.workbook.write_workbook`.
    title : str
        The report's title.
    detailed_themes, detailed_strand_themes : int
        How many themes get a paragraph and quotes, overall and per strand.
    """
    names = dict(register.strands) if register is not None else {}
    rows = method_rows(coded, codebook, method_info)
    summary = Section("Summary of findings", [Bullets(narrative.summary_points(counts, codebook, names, exercises))], anchor="summary")
    theme_sections, less, never = _theme_sections(counts, codebook, quotes, names, detailed_themes)
    overall_blocks: list[Block] = [
        Paragraph("The themes are listed with the most common first, counted by each comment's main theme.")
    ]
    overall_blocks += _figure(charts, "themes_overall", "Most common themes across all discussions (comments by main theme).")
    less_section = Section("Other, less common themes", [Bullets(less)] if less else [Paragraph("None.")], anchor="less-common")
    if never:
        less_section.blocks.append(Paragraph(f"Not raised in any comment: {narrative.join(never)}."))
    themes = Section("Themes across all discussions", overall_blocks, [*theme_sections, less_section], anchor="themes")
    strand_sections = [
        _strand_section(strand, table, counts, codebook, quotes, names, charts, detailed_strand_themes)
        for strand, table in counts.by_strand.groupby("strand", sort=False)
    ]
    by_strand = Section("Themes by strand", [Paragraph("Each strand's most common themes, with what was said about them.")], strand_sections, anchor="by-strand")
    appendix = Section(
        "Appendix: theme counts",
        [
            format_table(appendix_table(counts), "Comments by main theme, per strand", name="appendix"),
            format_table(theme_table(counts.overall).drop(columns=["Theme ID"]), "Theme counts over all comments", percent=SHARE_HEADINGS, name="theme-counts"),
        ],
        anchor="appendix",
    )
    sections = [_method_section(coded, codebook, counts, rows), _strands_section(counts, register, charts), summary, themes, by_strand]
    if exercises is not None:
        sections.append(_exercise_section(exercises, charts))
    sections.append(appendix)
    generated = dict(rows)["Generated"]
    return Report(title=title, subtitle=f"Codebook: {codebook.name}. Generated {generated} by {dict(rows)['Tool']}.", sections=sections)
