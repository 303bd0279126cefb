"""The report's content, built once and rendered twice (HTML and Word) so both say the same.

A report is a list of :class:`Section` objects; a section holds blocks
(paragraphs, lists, tables, figures, quotes) and sub-sections. Tables are
stored already formatted as text, with the workbook's number formats, so the
HTML, the Word document and the workbook show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar
import base64
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from tcs_themes.analysis.counts import NO_STRAND, ThemeCounts, group_labels
from tcs_themes.analysis.missing import missing_summary
from tcs_themes.analysis.quote_reading import is_event_praise
from tcs_themes.analysis.quotes import ALL_DISCUSSIONS, best_first, quote_candidates
from tcs_themes.analysis.special_category import held_back_note
from tcs_themes.codebook.model import Codebook
from tcs_themes.config import ReportSettings
from tcs_themes.ingest.exercises import Exercises
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.outputs.charts import OUTSIDE_STRANDS, group_title, slug, strand_title
from tcs_themes.outputs.coded_digest import CodedDigest, coded_digest
from tcs_themes.outputs.published import (
    CODE_SOURCE_HEADINGS,
    SHARE_HEADINGS,
    appendix_table,
    choices_table,
    method_rows,
    shown_reasons,
    strand_table,
    theme_mentions,
    theme_table,
)
from tcs_themes.outputs.report import narrative
from tcs_themes.outputs.reproducible import generation_date
from tcs_themes.schema import UNCODED, first_subtheme, split_list


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
    """The whole report.

    ``organisation``, ``author`` and ``date`` fill the front page (empty ones are left out);
    ``comment_ids`` shows each quote's comment id in its attribution.
    """

    title: str
    subtitle: str
    sections: list[Section]
    generated: dt.date | None = None  # the generation date, also the Word file's created date
    organisation: str = ""
    author: str = ""
    date: str = ""
    comment_ids: bool = False


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


_PACKAGE = resources.files("tcs_themes.outputs.report")
_NO_SESSION = {"email": "Email to the consultation mailbox"}


def _quote(row, questions: Mapping[str, str] | None = None) -> Quote:
    """A quote attributed to its session and strand, and the question discussed when one was recorded."""
    where = row.session_name if isinstance(row.session_name, str) else _NO_SESSION.get(row.source_kind, "No session recorded")
    if isinstance(row.strand, str):
        where = f"{where}, {row.strand}"
    question = (questions or {}).get(str(row.comment_id))
    if question:
        where = f"{where}; on \u201c{question}\u201d"
    return Quote(text=str(row.text), attribution=where, comment_id=str(row.comment_id))


def _questions(candidates: pd.DataFrame) -> dict[str, str]:
    """Comment id -> the question its session discussed, for the candidates that have one."""
    if candidates.empty or not {"question", "comment_id"} <= set(candidates.columns):
        return {}
    asked = candidates[candidates["question"].astype(object).map(lambda q: isinstance(q, str) and bool(q.strip()))]
    return dict(zip(asked["comment_id"].astype(str), asked["question"].astype(str).str.strip(), strict=True))


def _quotes_block(
    quotes: pd.DataFrame, scope: str, theme_id: str, used: set[str], candidates: pd.DataFrame, questions: Mapping[str, str]
) -> Quotes | None:
    """The scope's quotes for the theme not used earlier in the report.

    When all were, the scope's first unused candidate with the theme as its main theme
    (:func:`~tcs_themes.analysis.quotes.best_first`) stands in; only when there is none is the best
    quote used again.
    """
    chosen = quotes[(quotes["scope"] == scope) & (quotes["theme_id"] == theme_id)].sort_values("quote_rank")
    if chosen.empty:
        return None
    fresh = chosen[~chosen["comment_id"].astype(str).isin(used)]
    if fresh.empty:
        pool = candidates.iloc[:0]
        if not candidates.empty:
            pool = candidates[(candidates["primary_theme"] == theme_id) & ~candidates["comment_id"].astype(str).isin(used)]
            if scope != ALL_DISCUSSIONS:
                pool = pool[(group_labels(pool, "strand") == scope).to_numpy()]
        fresh = best_first(pool, theme_id).head(1) if not pool.empty else chosen.head(1)
    used.update(fresh["comment_id"].astype(str))
    return Quotes([_quote(row, questions) for row in fresh.itertuples(index=False)])


def _figure(charts: Mapping[str, Mapping[str, Path]], name: str, caption: str) -> list[Block]:
    if name not in charts:
        return []
    return [FigureBlock(caption=caption, png=Path(charts[name]["png"]), svg=Path(charts[name]["svg"]))]


def _summarises(totals: pd.Series, period: str) -> str:
    """The method's first sentence: how many comments, from which sessions and emails."""
    emails = f"{narrative.plural(int(totals['emails']), 'email')} sent to the consultation mailbox"
    text = f"This report summarises {narrative.plural(int(totals['comments']), 'comment')}"
    if not int(totals["sessions_with_comments"]):
        return f"{text} from {emails}." if int(totals["emails"]) else f"{text}."
    text += f": the notes of {narrative.words(int(totals['sessions_with_comments']))} group sessions{period}"
    return f"{text}, and {emails}." if int(totals["emails"]) else f"{text}."


def _background_section(questions: list[str], settings: ReportSettings) -> Section:
    """Background and objectives: the analyst's text, else a default that names the questions asked."""
    background = settings.background or (
        "This report sets out what people said during the consultation: in group sessions held across the "
        "consultation's strands and in emails sent to the consultation mailbox. It is a draft for the analyst "
        "to edit: replace this paragraph with the consultation's background (report.background in the settings file)."
    )
    blocks: list[Block] = [Paragraph(background)]
    if settings.objectives:
        blocks.append(Paragraph(settings.objectives))
    else:
        blocks.append(Paragraph(
            "The consultation's objectives were to hear what people thought of the draft, what it had missed, and "
            "how they could help deliver it." + (" The questions put to the groups were:" if questions else "")
        ))  # fmt: skip
        if questions:
            blocks.append(Bullets(questions))
    return Section("Background and objectives", blocks, anchor="background")


def _low_confidence_sentence(digest: CodedDigest) -> list[str]:
    """The method's sentence on comments given their most likely theme with low confidence (none: no sentence)."""
    if digest.low_confidence is None:
        return []
    n = digest.low_confidence
    return [
        f"A comment of four or more words that no theme fitted clearly was given its most likely theme and flagged "
        f"as low confidence for review: {narrative.plural(n, 'comment')} "
        f"({narrative.percent(n / max(digest.comments, 1))} of all comments)."
    ]


def _method_section(
    digest: CodedDigest,
    codebook: Codebook,
    counts: ThemeCounts,
    settings: ReportSettings,
    exercises: Exercises | None = None,
    logged: Mapping[str, int] | None = None,
) -> Section:
    totals = counts.strands.iloc[-1]
    first, last = digest.first_date, digest.last_date
    period = f", held between {first:%-d %B %Y} and {last:%-d %B %Y}" if first is not None else ""
    paragraphs = [settings.method] if settings.method else []
    paragraphs += [
        _summarises(totals, period) + (" " + narrative.logged_sentence(logged) if logged else ""),
        f"Each comment was coded against the codebook \"{codebook.name}\" of {len(codebook.themes)} themes: it was given "
        "every theme it touched on, its main theme first (the most confident, or the one its opening sentence leads "
        "with), then the others most confident first. Unless a table says "
        "otherwise, comments are counted under their main theme, so each comment is counted once and the counts "
        "add up to the total. Comments that fitted no theme are counted as uncoded and shown, not left out. "
        + _any_theme_sentence(counts)
        + " What each theme covers is set out with the theme below and listed in the appendix.",
        narrative.coders_paragraph(counts.code_sources),
        *_low_confidence_sentence(digest),
        "A theme was raised in a session when at least one comment from that session touched on it. The "
        "illustrative quotes were chosen to be short, clearly about the theme, typical of what was said under it "
        "and different from each other, from different sessions where possible, and each is used once; comments "
        "with personal details, or that disclose someone's health, disability, religion, ethnicity, sexuality, "
        "a criminal matter or a named family member, or a safeguarding or other sensitive matter (a child described "
        "with an age, abuse or neglect, self-harm, domestic abuse, a crime alleged against someone, immigration "
        "status, homelessness, debt or benefit sanctions), were not quoted unless the analyst approved them. Comments "
        "cut off mid-sentence, an email's courtesies and praise for an event rather than the strategy were quoted "
        "only where nothing else was said on the theme. "
        + narrative.frequency_paragraph()
        + " The technical details (files, codebook fingerprint, model) are in the appendix.",
    ]
    return Section("Method", [Paragraph(p) for p in paragraphs], [_limitations_section(digest, counts, exercises)], anchor="method")


def _any_theme_sentence(counts: ThemeCounts) -> str:
    """How the "touched on it" counts relate to the total: each comment counts under every theme it was given."""
    mentions, coded = theme_mentions(counts), int(counts.strands.iloc[-1]["coded"])
    if mentions <= coded:
        return "Each coded comment was given one theme, so counting every theme a comment touched on gives the same counts."
    return (
        f"Where the text says a comment \u201ctouched on\u201d a theme, or a table counts \u201cany theme\u201d, a comment is "
        f"counted under every theme it was given: the {narrative.count(coded)} coded comments were given "
        f"{narrative.count(mentions)} themes between them, so those counts add up to more than the total and their "
        "shares to more than 100%."
    )


def _limitations_section(digest: CodedDigest, counts: ThemeCounts, exercises: Exercises | None) -> Section:
    """What the counts can and cannot say: comments are not people, strands differ in size, machine coding."""
    strands = counts.strands[~counts.strands["strand"].isin(["All strands", NO_STRAND])]
    points = [
        "The counts are of comments, not of people. A note of a group discussion may record several comments from "
        "one person, or one comment for a point many agreed with; an email making several points counts once per point. "
        "How often a theme came up shows what was raised, not how many people hold a view.",
    ]
    if len(strands) > 1 and int(strands["comments"].sum()):
        largest = strands.sort_values(["comments", "strand"], ascending=[False, True], kind="stable").iloc[0]
        points.append(
            f"The strands differ in size: {largest['strand']} gave {narrative.plural(int(largest['comments']), 'comment')} "
            f"of the {narrative.count(int(counts.strands.iloc[-1]['comments']))}, so the counts over all discussions lean towards "
            "what it said. Compare strands by their shares of their own comments, not by their counts."
        )
    machine = int(counts.code_sources.get("machine", 0))
    if machine:
        low = digest.low_confidence
        low = f" {narrative.plural(low, 'comment')} {'was' if low == 1 else 'were'} given a theme with low confidence: the first to check." if low else ""
        points.append(
            f"{narrative.plural(machine, 'comment')} {'was' if machine == 1 else 'were'} coded by the machine alone, not "
            f"checked by an analyst, and some of those codes will be wrong.{low} The workbook's Coded comments sheet shows who "
            "coded each comment."
        )
    points.append(
        "The quotes illustrate the range of what was said under a theme; they are not a sample, and notes taken in "
        "sessions are the note-taker's words, not always the speaker's."
    )
    held_back = held_back_note(digest.special)
    if held_back:
        points.append(
            f"Some of what was said is not quoted: {held_back}. Those not approved were left out of the quotes "
            "(their themes are still counted); the workbook's Quotes to review sheet lists them for the analyst."
        )
    if exercises is not None:
        points.append(
            "The 4Ps stickers were placed by the people who came to the community events, who may not be typical of "
            "the city's residents, and one person could place more than one sticker."
        )
    return Section("Limitations", [Bullets(points)], anchor="limitations")


def _glossary_table(codebook: Codebook) -> TableBlock:
    """The codebook's themes in plain words: name, what comments under it are about, its sub-themes."""
    rows = [
        (t.name, t.description.strip(), "; ".join(sub.name for sub in codebook.subthemes_of(t.id)))
        for t in codebook.themes
    ]
    table = pd.DataFrame(rows, columns=["Theme", "What comments under it are about", "Sub-themes"])
    return format_table(table, "The themes and what they cover", name="themes-glossary")


def _covers(codebook: Codebook, theme_id: str) -> list[Block]:
    """"What the theme covers", from the codebook's description (nothing when it has none)."""
    description = codebook.theme(theme_id).description.strip().rstrip(".") if theme_id in codebook.ids else ""
    if not description:
        return []
    return [Paragraph(f"What the theme covers: {narrative.lower_first(description)}.")]


def _inputs_table(rows: list[tuple[str, str]]) -> TableBlock:
    """The technical table of inputs, fingerprints, model and paths (for the appendix)."""
    inputs = pd.DataFrame(rows, columns=["Item", "Value"])
    inputs = inputs[~inputs["Item"].str.startswith(("Counting", "Uncoded", "Sessions raising", "Illustrative"))]
    inputs = inputs[~inputs["Item"].isin(CODE_SOURCE_HEADINGS.values())]
    return format_table(inputs, "Inputs and settings", name="inputs")


def _strands_section(counts: ThemeCounts, register, charts: Mapping[str, Mapping[str, Path]]) -> Section:
    blocks: list[Block] = []
    names = dict(register.strands) if register is not None else {}
    for row in counts.strands.itertuples(index=False):
        if row.strand in ("All strands", NO_STRAND):
            continue
        sessions = f"{narrative.words(int(row.sessions))} {'session' if row.sessions == 1 else 'sessions'}"
        held = register.sessions[register.sessions["strand"] == row.strand] if register is not None else None
        when = _held(held) if held is not None else ""
        line = f"{strand_title(row.strand, names)}: {sessions}{when}, {narrative.plural(int(row.comments), 'comment')}."
        if held is not None and len(held):
            line = line[:-1] + f" ({'; '.join(held['session_name'].tolist())})."
        blocks.append(Paragraph(line))
    blocks.append(format_table(strand_table(counts), "Comments by strand", name="strands"))
    blocks += _figure(charts, "strand_heatmap", "How the themes compare across the strands (share of each strand's comments, main theme).")
    return Section("The strands", blocks, anchor="strands")


def _held(sessions: pd.DataFrame) -> str:
    """``" held between 5 July 2022 and 21 July 2022 (two online, one in person)"``: when and how a strand's
    sessions were held, from the register (empty when it gives neither dates nor formats)."""
    dates = sessions["date"].dropna() if "date" in sessions else pd.Series(dtype="datetime64[ns]")
    text = ""
    if len(dates):
        first, last = dates.min(), dates.max()
        text = f" held on {first:%-d %B %Y}" if first == last else f" held between {first:%-d %B %Y} and {last:%-d %B %Y}"
    formats = sessions["format"].dropna().astype(str).str.strip() if "format" in sessions else pd.Series(dtype=str)
    formats = formats[formats != ""].value_counts(sort=False)
    if len(formats):
        ranked = sorted(formats.items(), key=lambda item: (-item[1], item[0]))
        text += f" ({narrative.join([f'{narrative.words(int(n))} {_format_noun(kind, int(n))}' for kind, n in ranked])})"
    return text


#: Session formats that describe how a session was held rather than name a kind of session: never pluralised.
_HOW_HELD = {"online", "in person", "in-person", "face to face", "face-to-face", "hybrid", "virtual", "remote"}


def _format_noun(kind: str, n: int) -> str:
    """``"online"`` as it is, ``"community event"`` -> ``"community events"`` for more than one."""
    return kind if n == 1 or kind.casefold() in _HOW_HELD or kind.endswith("s") else f"{kind}s"


@dataclass
class _Context:
    """What the theme and strand sections share: quotes, their candidates, phrases, and the quotes used so far."""

    digest: CodedDigest
    counts: ThemeCounts
    codebook: Codebook
    quotes: pd.DataFrame
    candidates: pd.DataFrame
    names: dict[str, str]
    phrases: dict
    used: set[str] = field(default_factory=set)
    questions: dict[str, str] = field(init=False)  # comment id -> the question its session discussed

    def __post_init__(self) -> None:
        self.questions = _questions(self.candidates)


def _positive_section(context: _Context) -> Section | None:
    """What people liked about the draft or its principles, with quotes (praise for an event is left out:
    :func:`~tcs_themes.analysis.quote_reading.is_event_praise`)."""
    theme_id = next((t.id for t in context.codebook.themes if "positive" in t.id or "positive" in t.name.lower()), None)
    if theme_id is None:
        return None
    row = context.counts.overall.set_index("theme_id").loc[theme_id]
    if int(row["any_comments"]) == 0:
        return None
    given = context.candidates["themes"].astype(object).map(lambda v: theme_id in split_list(v))
    pool = context.candidates[given.to_numpy()]
    pool = pool[~pool["text"].map(is_event_praise).to_numpy(dtype=bool)]
    pool = best_first(pool[~pool["comment_id"].astype(str).isin(context.used)], theme_id).head(3)
    context.used.update(pool["comment_id"].astype(str))
    amount = narrative.frequency_word(int(row["any_comments"]), context.counts.n_comments)
    blocks: list[Block] = [Paragraph(
        f"Before the concerns, the praise: {amount} comments ({narrative.count(row['any_comments'])}) were positive. The quotes "
        "below welcome the draft or its principles; praise for an event or a service is not feedback on the strategy and is not quoted here."
    )]  # fmt: skip
    if not pool.empty:
        blocks.append(Quotes([_quote(r, context.questions) for r in pool.itertuples(index=False)]))
    return Section("What people welcomed", blocks, anchor="welcomed")


_DRAFT = "DRAFT: "


def _recommendations_section(context: _Context, missing: pd.DataFrame) -> Section:
    """Draft recommendations, grouped as consultation reports group them, each from findings with their counts."""
    data = yaml.safe_load((_PACKAGE / "recommendation_groups.yaml").read_text(encoding="utf-8"))
    overall = context.counts.overall.set_index("theme_id")
    subs = context.counts.subthemes
    children = []
    for group in data["groups"]:
        items = []
        if group.get("missing"):
            for row in missing[missing["theme_id"] != UNCODED].head(5).itertuples(index=False):
                items.append(_DRAFT + narrative.missing_recommendation(row))
        themes = [t for t in group.get("themes", []) if t in overall.index]
        for theme_id in sorted(themes, key=lambda t: -int(overall.loc[t, "any_comments"])):
            if int(overall.loc[theme_id, "any_comments"]) == 0:
                continue
            top = subs[(subs["theme_id"] == theme_id) & (subs["comments"] > 0)].sort_values("comments", ascending=False, kind="stable").head(1)
            sub = (str(top["subtheme"].iloc[0]), int(top["comments"].iloc[0])) if not top.empty else None
            items.append(_DRAFT + narrative.theme_recommendation(
                context.codebook.name_of(theme_id), int(overall.loc[theme_id, "any_comments"]), context.phrases.get(theme_id, []), sub
            ))  # fmt: skip
        if items:
            children.append(Section(group["title"], [Bullets(items)], anchor=f"rec-{slug(group['title'])[:40]}"))
    intro = Paragraph(
        "DRAFT. These recommendations are drafted from the findings above, each with the number of comments behind it, "
        "for the analyst to edit, merge or delete before the report is published."
    )
    return Section("Draft recommendations", [intro], children, anchor="recommendations")


def _subtheme_sections(theme_id: str, context: _Context) -> list[Section]:
    """Each sub-theme of a theme: a sentence with the comments' distinguishing phrases, and a quote."""
    subs = context.counts.subthemes
    subs = subs[(subs["theme_id"] == theme_id) & (subs["comments"] > 0)]
    if subs.empty:
        return []
    phrases = context.digest.subtheme_phrases.get(theme_id, {})
    tagged = first_subtheme(context.candidates["subthemes"], theme_id)  # the candidates' first sub-theme under it
    theme_total = int(context.counts.overall.set_index("theme_id").loc[theme_id, "any_comments"])
    sections = []
    for variant, row in enumerate(subs.itertuples(index=False)):
        blocks: list[Block] = [Paragraph(narrative.subtheme_sentence(row.subtheme, int(row.comments), theme_total, phrases.get(row.subtheme_id, []), variant))]
        pool = context.candidates[(tagged == row.subtheme_id).to_numpy()]
        pool = pool[~pool["comment_id"].astype(str).isin(context.used)]
        if not pool.empty:
            best = best_first(pool, theme_id).iloc[[0]]
            context.used.add(str(best["comment_id"].iloc[0]))
            blocks.append(Quotes([_quote(r, context.questions) for r in best.itertuples(index=False)]))
        sections.append(Section(row.subtheme, blocks, anchor=f"sub-{theme_id}-{row.subtheme_id}"))
    return sections


def _theme_sections(context: _Context, detailed: int) -> tuple[list[Section], list[str], list[str]]:
    counts, codebook = context.counts, context.codebook
    ranked = counts.overall[(counts.overall["theme_id"] != UNCODED) & counts.overall["rank"].notna()]
    sections = []
    for variant, row in enumerate(ranked.head(detailed).itertuples(index=False)):
        blocks: list[Block] = [*_covers(codebook, row.theme_id), Paragraph(narrative.theme_paragraph(row.theme_id, counts, codebook, context.names))]
        said = " ".join(
            t for t in (
                narrative.said_sentence(context.phrases.get(row.theme_id, []), int(row.any_comments), counts.n_comments, variant),
                narrative.where_sentence(row.theme_id, counts, context.names),
            ) if t
        )  # fmt: skip
        if said:
            blocks.append(Paragraph(said))
        block = _quotes_block(context.quotes, ALL_DISCUSSIONS, row.theme_id, context.used, context.candidates, context.questions)
        if block is not None:
            blocks.append(block)
        children = _subtheme_sections(row.theme_id, context)
        sections.append(Section(f"{int(row.rank)}. {row.theme}", blocks, children, anchor=f"theme-{row.theme_id}"))
    rest = counts.overall[(counts.overall["theme_id"] != UNCODED) & ~counts.overall["theme_id"].isin(ranked.head(detailed)["theme_id"])]
    less = [narrative.less_common_line(row, codebook, context.phrases.get(row["theme_id"])) for _, row in rest[rest["any_comments"] > 0].iterrows()]
    never = list(rest[rest["any_comments"] == 0]["theme"])
    return sections, less, never


def _strand_section(
    strand: str, table: pd.DataFrame, context: _Context, charts: Mapping[str, Mapping[str, Path]], detailed: int, missing: pd.DataFrame
) -> Section:
    counts, codebook, names = context.counts, context.codebook, context.names
    size = int(counts.strands.set_index("strand").loc[strand, "comments"])
    ranked = table[(table["theme_id"] != UNCODED) & table["rank"].notna()]
    intro = f"{narrative.plural(size, 'comment')} were recorded in {strand_title(strand, names)}."
    if strand == NO_STRAND:
        intro = f"{narrative.plural(size, 'comment')} came from emails and other sources outside the group sessions."
    items = [f"{t} ({narrative.count(n)}, {narrative.percent(s)})" for t, n, s in zip(ranked["theme"], ranked["main_comments"], ranked["main_share"], strict=True)]
    if items:
        blocks: list[Block] = [
            Paragraph(intro + f" The most common themes, by number of comments with that main theme (and share of the {narrative.count(size)}):"),
            Bullets(items[:10], ordered=True),
        ]
    else:
        blocks = [Paragraph(intro + " None of them was coded with a theme.")]
    blocks += _figure(charts, f"themes_{slug(strand)}", f"Most common themes: {group_title(strand, names)}.")
    sessions = context.digest.strand_sessions
    children = []
    for row in ranked.head(detailed).itertuples(index=False):
        text = narrative.strand_theme_paragraph(pd.Series(row._asdict()), strand, size, codebook)
        if strand != NO_STRAND:
            by_session = sessions[(strand, row.theme_id)] if (strand, row.theme_id) in sessions.index else sessions.iloc[:0]
            by_session = by_session.reset_index(name="n").sort_values(["n", "session_name"], ascending=[False, True], kind="stable")
            raised = int(context.counts.by_strand.set_index(["strand", "theme_id"]).loc[(strand, row.theme_id), "any_comments"])
            text += " " + narrative.drivers_sentence(list(zip(by_session["session_name"], by_session["n"], strict=True)), raised)
        theme_blocks: list[Block] = [Paragraph(text.strip())]
        block = _quotes_block(context.quotes, strand, row.theme_id, context.used, context.candidates, context.questions)
        if block is not None:
            theme_blocks.append(block)
        children.append(Section(row.theme, theme_blocks, anchor=f"{slug(strand)}-{row.theme_id}"))
    if not ranked.empty:
        strand_missing = missing[(group_labels(missing, "strand") == strand).to_numpy()] if not missing.empty else missing
        gaps = strand_missing["theme"][strand_missing["theme_id"] != UNCODED].value_counts()
        overall = counts.overall.set_index("theme_id")["main_share"]
        lift = ranked.assign(_lift=ranked["main_share"] - ranked["theme_id"].map(overall)).sort_values("_lift", ascending=False, kind="stable")
        points = narrative.strand_conclusions(
            ranked.head(3), lift.iloc[0], float(overall[lift.iloc[0]["theme_id"]]), list(gaps.head(2).index),
            group="the emails" if strand == NO_STRAND else "the strand",
        )  # fmt: skip
        heading = "Conclusions from the emails" if strand == NO_STRAND else f"Conclusions for {strand}"
        children.append(Section(heading, [Bullets(points)], anchor=f"{slug(strand)}-conclusions"))
    title = OUTSIDE_STRANDS.capitalize() if strand == NO_STRAND else strand_title(strand, names)
    return Section(title, blocks, children, anchor=slug(strand))


def _missing_section(summary: pd.DataFrame, n_comments: int) -> Section:
    """What people said was missing, grouped by theme and described in their own words."""
    if summary.empty:
        return Section("What is missing", [Paragraph("No comment said that something was missing from the draft.")], anchor="missing")
    asked, cued = (int(summary[c].sum()) for c in ("by_question", "by_cue"))
    intro = (
        f"{narrative.missing_count(summary, n_comments)} said something was missing from the draft or needed more focus: "
        f"{narrative.count(asked)} answered a question such as \u201cWhat have we missed?\u201d and {narrative.count(cued)} "
        "more said so in their own words (\u201cmissing\u201d, \u201cno mention of\u201d, \u201cnot enough\u201d, "
        "\u201cmore focus on\u201d). By main theme, most often raised first, with the phrases that set each apart:"
    )
    items = [narrative.missing_line(row) for row in summary.itertuples(index=False)]
    return Section("What is missing", [Paragraph(intro), Bullets(items)], anchor="missing")


def _exercise_section(exercises: Exercises, charts: Mapping[str, Mapping[str, Path]]) -> Section:
    blocks: list[Block] = [Paragraph(narrative.exercise_paragraph(exercises))]
    meaning = narrative.exercise_interpretation(exercises)
    if meaning:
        blocks.append(Paragraph(meaning))
    blocks.append(format_table(choices_table(exercises), "Stickers per P at each event", name="choices"))
    blocks += _figure(charts, "exercise_choices", "Which of the 4Ps matters most: stickers per event.")
    blocks += _figure(charts, "exercise_statements", "Stickers per statement, all events.")
    items, withheld = [], 0
    for row in exercises.statement_totals().itertuples(index=False):
        safe, held = shown_reasons(list(row.reasons))  # a reason is quoted too: no special-category disclosure
        withheld += held
        reasons = f" Reasons given: {'; '.join(chr(8220) + r + chr(8221) for r in safe)}." if safe else " No reasons were written."
        items.append(f"{row.statement} ({row.p}, {narrative.plural(int(row.stickers), 'sticker')}).{reasons}")
    blocks.append(Paragraph(
        "Separately from choosing a P, people put stickers against the statements under each P, and could back more "
        "than one, so these counts do not add up to the stickers above. The statements, with the stickers they "
        "received and the reasons people wrote:"
    ))  # fmt: skip
    blocks.append(Bullets(items))
    if withheld:
        verb = "is" if withheld == 1 else "are"
        blocks.append(Paragraph(f"{narrative.plural(withheld, 'written reason')} containing personal details {verb} not shown."))
    return Section("The 4Ps exercise at community events", blocks, anchor="four-ps")


def build_report(
    coded: pd.DataFrame | None,
    codebook: Codebook,
    counts: ThemeCounts,
    quotes: pd.DataFrame,
    charts: Mapping[str, Mapping[str, Path]],
    *,
    register: SessionRegister | None = None,
    exercises: Exercises | None = None,
    method_info: Mapping[str, object] | None = None,
    settings: ReportSettings | None = None,
    detailed_themes: int = 8,
    detailed_strand_themes: int = 5,
    date: dt.date | str | None = None,
    candidates: pd.DataFrame | None = None,
    digest: CodedDigest | None = None,
    logged: Mapping[str, int] | None = None,
) -> Report:
    """Assemble the report's content from the counts, quotes and charts.

    Parameters
    ----------
    coded, codebook, counts, quotes
        The coded table and what was computed from it; ``coded`` may be None when
        ``candidates`` and ``digest`` are given (the table is then never held whole).
    charts : mapping
        Chart name -> ``{"png": path, "svg": path}`` from :func:`tcs_themes.outputs.charts.draw_charts`.
    register, exercises, method_info
        Optional inputs, as for :func:`tcs_themes.outputs.workbook.write_workbook`.
    settings : ReportSettings, optional
        The front page (title, organisation, author, date), the analyst's background, objectives
        and method text, and whether quotes show their comment ids (``report:`` in the settings file).
    detailed_themes, detailed_strand_themes : int
        How many themes get a paragraph and quotes, overall and per strand.
    date : date or str, optional
        The generation date (``YYYY-MM-DD``); default ``SOURCE_DATE_EPOCH``, else
        today (:func:`tcs_themes.outputs.reproducible.generation_date`).
    candidates : DataFrame, optional
        The comments that may be quoted, when already found
        (:func:`~tcs_themes.analysis.quotes.quote_candidates` with the settings' approved and
        banned comments); found here otherwise.
    digest : CodedDigest, optional
        The rest of what the report says of the table (:func:`~tcs_themes.outputs.coded_digest.coded_digest`);
        default: made from ``coded``.
    logged : mapping, optional
        The ingest log's entries by reason: the method then says how many entries, of which kinds,
        were read but not counted as comments, and that the ingest log lists each.
    """
    settings = settings or ReportSettings()
    names = dict(register.strands) if register is not None else {}
    when = generation_date(date)
    rows = method_rows(counts, codebook, method_info, generated=when)
    digest = digest if digest is not None else coded_digest([coded], codebook, approved=settings.approve)
    context = _Context(
        digest, counts, codebook, quotes,
        candidates=candidates if candidates is not None else quote_candidates(coded, approved=settings.approve, banned=settings.ban),
        names=names,
        phrases=digest.phrases,
    )  # fmt: skip
    missing_found = digest.missing
    missing = missing_summary(missing_found)
    points = narrative.summary_points(counts, codebook, names, exercises)
    at = len(points) - (1 if exercises is not None else 0)  # what was missing goes before the 4Ps point
    points[at:at] = narrative.missing_point(missing, int(counts.strands.iloc[-1]["comments"]))
    summary = Section("Summary of findings", [Bullets(points)], anchor="summary")
    welcomed = _positive_section(context)
    theme_sections, less, never = _theme_sections(context, detailed_themes)
    overall_blocks: list[Block] = [
        Paragraph("The themes are listed with the most common first, counted by each comment's main theme.")
    ]
    overall_blocks += _figure(charts, "themes_overall", "Most common themes across all discussions (comments by main theme).")
    nothing = narrative.nothing_coded(counts)
    if nothing is not None:
        overall_blocks.append(Paragraph(nothing))
    less_section = Section("Other, less common themes", [Bullets(less)] if less else [Paragraph("None.")], anchor="less-common")
    if never:
        less_section.blocks.append(Paragraph(f"Not raised in any comment: {narrative.join(never)}."))
    themes = Section("Themes across all discussions", overall_blocks, [*theme_sections, less_section], anchor="themes")
    strand_sections = [
        _strand_section(strand, table, context, charts, detailed_strand_themes, missing_found)
        for strand, table in counts.by_strand.groupby("strand", sort=False)
    ]
    by_strand = Section("Themes by strand", [Paragraph("Each strand's most common themes, with what was said about them.")], strand_sections, anchor="by-strand")
    appendix = Section(
        "Appendix: theme counts and technical details",
        [
            _inputs_table(rows),
            _glossary_table(codebook),
            format_table(appendix_table(counts), "Comments by main theme, per strand", name="appendix"),
            format_table(theme_table(counts.overall).drop(columns=["Theme ID"]), "Theme counts over all comments", percent=SHARE_HEADINGS, name="theme-counts"),
        ],
        anchor="appendix",
    )
    sections = [
        _background_section(digest.questions, settings), _method_section(digest, codebook, counts, settings, exercises, logged),
        _strands_section(counts, register, charts), summary, *([welcomed] if welcomed else []), themes,
        _missing_section(missing, int(counts.strands.iloc[-1]["comments"])), _recommendations_section(context, missing), by_strand,
    ]  # fmt: skip
    if exercises is not None:
        sections.append(_exercise_section(exercises, charts))
    sections.append(appendix)
    generated = dict(rows)["Generated"]
    return Report(
        title=settings.title,
        subtitle=f"Codebook: {codebook.name}. Generated {generated} by {dict(rows)['Tool']}.",
        sections=sections,
        organisation=settings.organisation,
        author=settings.author,
        date=_long_date(settings.date or generated),
        comment_ids=settings.comment_ids,
        generated=when,
    )


def _long_date(generated: str) -> str:
    """``"2026-12-07 03:40 UTC"`` -> ``"7 December 2026"`` (the text unchanged if it is not such a date)."""
    parsed = pd.to_datetime(generated[:10], format="%Y-%m-%d", errors="coerce")
    return generated if pd.isna(parsed) else f"{parsed:%-d %B %Y}"
