"""The theme-count workbook published alongside the report (``tcs-themes export``).

Sheets: Summary, Themes by strand, one sheet per strand, Themes by session,
Themes by question, Themes by source, Co-occurrence, Coded comments, Illustrative quotes, Quotes to review
(special-category disclosures), What is missing, Sub-themes, Session by theme, Comment themes (long),
Theme matrix (0-1), Codebook, Method (and the
4Ps exercise when given). Every block of data is a real Excel table with
filters and a frozen header row; counts and percentages carry number formats;
the Summary and strand sheets carry native bar charts of the top themes. Cell
text is neutralised against formula injection and sheet names are made valid,
whatever the strand and session names are.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font

from tcs_themes import __version__
from tcs_themes.analysis.counts import ThemeCounts, count_all
from tcs_themes.analysis.missing import missing_summary
from tcs_themes.analysis.quotes import quotes_by_scope
from tcs_themes.analysis.special_category import held_back_note
from tcs_themes.codebook.model import Codebook
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.exercises import Exercises
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.atomic_write import writable_folder
from tcs_themes.outputs.charts import strand_title
from tcs_themes.outputs.coded_digest import CodedDigest, coded_digest
from tcs_themes.outputs.excel import (
    DATE,
    DECIMAL,
    INTEGER,
    PERCENT,
    StagedSheet,
    StagedWorkbook,
    add_table,
    safe_sheet_name,
    safe_text,
    stream_table,
)
from tcs_themes.outputs.reproducible import generation_date, save_office_file
from tcs_themes.outputs.published import (
    code_source_rows,
    method_rows,
    SHARE_HEADINGS,
    THEME_HEADINGS,
    choices_table,
    statements_table,
    strand_table,
    theme_mentions,
    theme_table,
)
from tcs_themes.outputs.report.narrative import nothing_coded
from tcs_themes.schema import CODE_SOURCE_MACHINE, UNCODED, split_list

TOP_IN_CHARTS = 10
#: Rows per comment-level sheet (Excel's limit is 1,048,575 rows under the header); more continue on "<sheet> (2)"...
ROWS_PER_SHEET = 1_000_000
#: The comment-level sheets: one row per comment (or per comment and theme), split past ``ROWS_PER_SHEET`` rows.
COMMENT_SHEETS = ("Coded comments", "Comment themes (long)", "Theme matrix (0-1)")
_CHUNK = 10_000  # comments turned into cells at a time
_COUNT_FORMATS = {h: INTEGER for h in THEME_HEADINGS.values() if h not in SHARE_HEADINGS}
_THEME_FORMATS = {**_COUNT_FORMATS, **{h: PERCENT for h in SHARE_HEADINGS}}


def _bar_chart(sheet: StagedSheet, title: str, first: int, rows: int, *, label_col: int, value_col: int, anchor: str) -> None:
    """Add a horizontal bar chart of ``rows`` rows from ``first``, most common at the top."""
    if rows <= 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = title
    chart.legend = None
    chart.height = max(6.0, 0.7 * rows + 2.5)
    chart.width = 18
    data = Reference(sheet, min_col=value_col, min_row=first - 1, max_row=first + rows - 1)
    labels = Reference(sheet, min_col=label_col, min_row=first, max_row=first + rows - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = "Comments (main theme)"
    chart.y_axis.majorGridlines = None
    chart.series[0].graphicalProperties.solidFill = "0072B2"
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False)
    sheet.add_chart(chart, anchor)


def _top_rows(table: pd.DataFrame) -> int:
    """How many leading rows of a ranked theme table are coded themes with comments (chart rows)."""
    coded = (table["theme_id"] != UNCODED) & (table["main_comments"] > 0)
    return int(min(coded.cumprod().sum(), TOP_IN_CHARTS))


def _summary_sheet(book: StagedWorkbook, counts: ThemeCounts, title: str, low_confidence: int | None = None) -> None:
    """Ranked themes (A1), totals and strands (to the right) and a chart of the top themes below them.

    The totals include the themes given to all comments together and, when the coded table
    flags them, the low-confidence comments: the report's method cites both."""
    sheet = book.create_sheet("Summary")
    first, _ = add_table(sheet, theme_table(counts.overall), "Themes_overall", formats=_THEME_FORMATS)
    totals = counts.strands.iloc[-1]
    keys = {
        "Comments": "comments",
        "Coded comments": "coded",
        "Uncoded comments": "uncoded",
        "Sessions": "sessions",
        "Sessions with comments": "sessions_with_comments",
        "Emails": "emails",
    }
    rows = [(name, int(totals[key])) for name, key in keys.items()] + code_source_rows(counts.code_sources)
    rows.append(("Themes given (any theme)", theme_mentions(counts)))
    if low_confidence is not None:
        rows.append(("Low-confidence comments", int(low_confidence)))
    measures = pd.DataFrame(rows, columns=["Measure", "Value"])
    add_table(sheet, measures, "Totals", left=12, formats={"Value": INTEGER}, freeze=False)
    strands = strand_table(counts)
    strands_top = len(measures) + 3
    add_table(sheet, strands, "Strands", top=strands_top, left=12, formats={h: INTEGER for h in strands.columns[2:]}, freeze=False)
    anchor = f"L{strands_top + len(strands) + 3}"
    _bar_chart(sheet, title, first, _top_rows(counts.overall), label_col=2, value_col=3, anchor=anchor)
    nothing = nothing_coded(counts)
    if nothing is not None:
        sheet[anchor] = safe_text(nothing)
        sheet[anchor].font = Font(bold=True)


def _strand_sheets(book: StagedWorkbook, counts: ThemeCounts, strand_names: dict[str, str]) -> None:
    long = theme_table(counts.by_strand, keep=("strand",))
    long.insert(1, "Description", counts.by_strand["strand"].map(lambda s: strand_names.get(s, "")))
    add_table(book.create_sheet("Themes by strand"), long, "Themes_by_strand", formats=_THEME_FORMATS)
    for number, (strand, table) in enumerate(counts.by_strand.groupby("strand", sort=False), start=1):
        sheet = book.create_sheet(safe_sheet_name(strand, set(book.sheetnames)))
        first, _ = add_table(sheet, theme_table(table), f"Themes_strand_{number}", formats=_THEME_FORMATS)
        title = f"Most common themes: {strand_title(strand, strand_names)}"
        _bar_chart(sheet, title, first, _top_rows(table), label_col=2, value_col=3, anchor="L2")


def _session_sheet(book: StagedWorkbook, counts: ThemeCounts, first: pd.DataFrame) -> None:
    """"Themes by session", with each session's id, strand and date (``first``: :attr:`CodedDigest.sessions`)."""
    table = counts.by_session[counts.by_session["any_comments"] > 0]
    out = theme_table(table, keep=("session",)).drop(columns=["Sessions raising it", "Sessions"])
    for position, (heading, column) in enumerate((("Session ID", "session_id"), ("Strand", "strand"), ("Date", "date"))):
        values = table["session"].map(first[column].astype(object).to_dict())
        out.insert(0 if position == 0 else position + 1, heading, values.values)
    add_table(book.create_sheet("Themes by session"), out, "Themes_by_session", formats={**_THEME_FORMATS, "Date": DATE})


def _group_sheets(book: StagedWorkbook, counts: ThemeCounts) -> None:
    """Themes by question and by source (group sessions or emails): themes raised in each group."""
    for title, key, table, name in (
        ("Themes by question", "question", counts.by_question, "Themes_by_question"),
        ("Themes by source", "source", counts.by_source, "Themes_by_source"),
    ):
        raised = table[table["any_comments"] > 0]
        add_table(book.create_sheet(title), theme_table(raised, keep=(key,)), name, formats=_THEME_FORMATS, wrap=("Question",))


def _cooccurrence_sheet(book: StagedWorkbook, counts: ThemeCounts, codebook: Codebook) -> None:
    matrix = counts.cooccurrence.rename(index=codebook.name_of, columns=codebook.name_of)
    table = matrix.reset_index().rename(columns={"theme_id": "Theme (comments given both)"})
    add_table(book.create_sheet("Co-occurrence"), table, "Cooccurrence", formats={c: INTEGER for c in matrix.columns})


def _column(coded: pd.DataFrame, name: str, default: object) -> pd.Series:
    """``coded[name]``, or ``default`` in every row for a table coded before the column existed."""
    return coded[name] if name in coded.columns else pd.Series(default, index=coded.index, dtype="object")


def _comment_chunks(coded: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """``coded`` in chunks of ``_CHUNK`` rows (one empty chunk when it has no row)."""
    for start in range(0, max(len(coded), 1), _CHUNK):
        yield coded.iloc[start : start + _CHUNK]


def _sheet_parts(chunks: Iterable[pd.DataFrame], limit: int) -> Iterator[tuple[int, pd.DataFrame]]:
    """(sheet number, rows) for ``chunks`` cut so that no sheet gets more than ``limit`` rows (an empty table still gets sheet 1)."""
    part, used, started = 1, 0, False
    for chunk in chunks:
        while len(chunk) > limit - used:
            head, chunk = chunk.iloc[: limit - used], chunk.iloc[limit - used :]
            if len(head):
                yield part, head
                started = True
            part, used = part + 1, 0
        if len(chunk) or not started:
            yield part, chunk
            started = True
        used += len(chunk)


def _stream_sheets(
    book: StagedWorkbook, title: str, name: str, chunks: Iterable[pd.DataFrame], *, formats: dict[str, str], **options: object
) -> None:
    """Stream ``chunks`` as an Excel table on sheet ``title``, continued on "``title`` (2)"... past ``ROWS_PER_SHEET`` rows.

    A sheet holds at most 1,048,576 rows, so a table longer than that is split, in order,
    over several sheets (tables ``name``, ``name_2``...) rather than cut. ``options`` go to
    :func:`~tcs_themes.outputs.excel.stream_table`.
    """
    for part, rows in itertools.groupby(_sheet_parts(chunks, ROWS_PER_SHEET), key=lambda item: item[0]):
        sheet = book.create_streamed_sheet(title if part == 1 else f"{title} ({part})")
        stream_table(sheet, (frame for _, frame in rows), name if part == 1 else f"{name}_{part}", formats=formats, **options)  # type: ignore[arg-type]


def split_sheets(sheetnames: Iterable[str]) -> dict[str, int]:
    """The comment-level sheets that were split at Excel's row limit -> how many sheets each took (none: empty)."""
    names = set(sheetnames)
    split = {}
    for title in COMMENT_SHEETS:
        count = 1
        while f"{title} ({count + 1})" in names:
            count += 1
        if count > 1:
            split[title] = count
    return split


def split_note(split: Mapping[str, int]) -> str:
    """The sentence saying which comment-level sheets were split over several sheets (see :func:`split_sheets`)."""
    parts = "; ".join(f'"{title}" over {count} sheets, "{title} (2)" onwards' for title, count in split.items())
    return (
        f"{parts}: an Excel sheet holds at most 1,048,576 rows, so each holds at most {ROWS_PER_SHEET:,} rows, "
        "in order; no row is left out"
    )


def _comments_sheet(book: StagedWorkbook, batches: Iterable[pd.DataFrame], codebook: Codebook) -> None:
    """Every comment, streamed in chunks (a million comments fit in little memory), over several sheets if need be."""

    def names(value: object) -> str:
        return "; ".join(codebook.name_of(t) for t in split_list(value))

    subtheme_names = {f"{sub.parent}/{sub.id}": f"{codebook.name_of(str(sub.parent))}: {sub.name}" for sub in codebook.subthemes}

    def subthemes(value: object) -> str:  # "funding_costs/fund_community_access" -> "Funding and costs: Communities' access to funds"
        return "; ".join(subtheme_names.get(s, s) for s in split_list(value))

    def table(coded: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "Comment ID": coded["comment_id"],
                "Source file": coded["source_file"],
                "Sheet": coded["sheet"],
                "Row": coded["row"],
                "Location": coded["location"],
                "Session ID": coded["session_id"],
                "Session": coded["session_name"],
                "Strand": coded["strand"],
                "Date": coded["date"],
                "Question": coded["question"],
                "Comment": coded["text"],
                "Themes": coded["themes"].map(names),
                "Main theme": coded["primary_theme"].map(codebook.name_of),
                "Code source": _column(coded, "code_source", CODE_SOURCE_MACHINE),
                "Machine's themes": _column(coded, "machine_themes", None).map(names),
                "Confidence": coded["confidence"],
                "Theme sources": coded["sources"].astype(object).map(given_by),
                "Sub-themes": coded["subthemes"].map(subthemes),
                "Evidence": coded["evidence"],
                "Sender organisation": coded["sender_org"],
                "Redactions": coded["redactions"],
            }
        )

    formats = {"Row": "0", "Date": DATE, "Confidence": DECIMAL, "Redactions": "0"}
    _stream_sheets(book, "Coded comments", "Coded_comments", map(table, batches), formats=formats, wrap=("Comment", "Evidence"))


def _quotes_sheet(book: StagedWorkbook, quotes: pd.DataFrame) -> None:
    out = pd.DataFrame(
        {
            "Scope": quotes["scope"],
            "Theme": quotes["theme"],
            "Quote": quotes["quote_rank"],
            "Comment": quotes["text"],
            "Session": quotes["session_name"],
            "Strand": quotes["strand"],
            "Source": quotes["location"],
            "Comment ID": quotes["comment_id"],
            "Relevance": quotes["relevance"],
        }
    )
    add_table(book.create_sheet("Illustrative quotes"), out, "Quotes", formats={"Quote": "0", "Relevance": DECIMAL}, wrap=("Comment",))


def _missing_sheets(book: StagedWorkbook, comments: pd.DataFrame) -> None:
    """"What is missing": the themes with their comments' phrases, then every comment found (``comments``) and how."""
    summary = missing_summary(comments).drop(columns="theme_id")
    if not summary.empty:
        total = {"theme": "All themes", **{c: int(summary[c].sum()) for c in ("comments", "by_question", "by_cue")}, "key_phrases": ""}
        summary = pd.concat([summary, pd.DataFrame([total])], ignore_index=True)
    summary.columns = ["Theme", "Comments", "Found by question", "Found by cue words", "Key phrases"]
    sheet = book.create_sheet("What is missing")
    _, last = add_table(sheet, summary, "Missing_by_theme", formats={c: INTEGER for c in summary.columns[1:4]}, wrap=("Key phrases",))
    listed = comments.drop(columns="theme_id")
    listed.columns = ["Comment ID", "Main theme", "Found by", "Question", "Comment", "Session", "Strand", "Source"]
    add_table(sheet, listed, "Missing_comments", top=max(last, 1) + 3, wrap=("Comment", "Question"), freeze=False)


def _special_category_sheet(book: StagedWorkbook, table: pd.DataFrame) -> None:
    """Comments that disclose special-category details or safeguarding concerns (``table``): never quoted unless
    approved (report.quotes.approve)."""
    table = table.copy()
    table.columns = ["Comment ID", "Kind", "Categories", "Words that showed it", "Approved for quoting", "Comment"]
    add_table(book.create_sheet("Quotes to review"), table, "Special_category", wrap=("Comment",))


#: How the workbook words who gave a theme (the coded table's ``sources`` entries); the others show as they are.
GIVEN_BY_WORDS = {"both": "rule and model"}


def given_by(value: object) -> str | None:
    """``"both; rule"`` -> ``"rule and model; rule"``: the ``sources`` of a comment in words a reader follows."""
    entries = split_list(value)
    return "; ".join(GIVEN_BY_WORDS.get(e, e) for e in entries) if entries else None


def _theme_names(codebook: Codebook) -> list[tuple[str, str]]:
    """(id, name) of every codebook theme, then Uncoded: the columns of the matrices."""
    return [(theme.id, theme.name) for theme in codebook.themes] + [(UNCODED, codebook.name_of(UNCODED))]


def _long_rows(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The "Comment themes (long)" rows of ``coded``: one per comment and theme it was given (Uncoded when none)."""
    frame = coded.reset_index(drop=True)
    pairs = pd.DataFrame(
        {
            "row": frame.index,
            "theme_id": frame["themes"].astype(object).map(lambda v: split_list(v) or [UNCODED]),
            "given_by": frame["sources"].astype(object).map(split_list),
        }
    )
    pairs["order"] = pairs["theme_id"].map(lambda ts: list(range(1, len(ts) + 1)))
    pairs["given_by"] = [(g + [None] * len(t))[: len(t)] for g, t in zip(pairs["given_by"], pairs["theme_id"], strict=True)]
    pairs = pairs.explode(["theme_id", "order", "given_by"], ignore_index=True)
    rows = frame.iloc[pairs["row"].to_numpy()]
    scores = [
        frame.at[r, f"score_{t}"] if f"score_{t}" in frame.columns else None for r, t in zip(pairs["row"], pairs["theme_id"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Comment ID": rows["comment_id"].to_numpy(), "Session": rows["session_name"].to_numpy(),
            "Strand": rows["strand"].to_numpy(), "Source": rows["source_kind"].to_numpy(), "Question": rows["question"].to_numpy(),
            "Theme ID": pairs["theme_id"].to_numpy(), "Theme": pairs["theme_id"].map(codebook.name_of).to_numpy(),
            "Main theme": ["yes" if o == 1 else "no" for o in pairs["order"]], "Order": pairs["order"].astype("int64").to_numpy(),
            "Score": scores, "Given by": pairs["given_by"].map(given_by).to_numpy(),
        }
    )  # fmt: skip


def _long_sheet(book: StagedWorkbook, batches: Iterable[pd.DataFrame], codebook: Codebook) -> None:
    """One row per comment and theme it was given (Uncoded when none): pivot-ready, streamed like the comments."""
    chunks = (_long_rows(batch, codebook) for batch in batches)
    _stream_sheets(book, "Comment themes (long)", "Comment_themes_long", chunks, formats={"Order": "0", "Score": DECIMAL}, style_empty=True)


def _matrix_rows(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The "Theme matrix (0-1)" rows of ``coded``: its comment id and a 0/1 column per theme (any theme), then Uncoded."""
    given = coded["themes"].astype(object).map(split_list)
    matrix = pd.DataFrame({"Comment ID": coded["comment_id"].to_numpy()})
    for theme_id, name in _theme_names(codebook):
        if theme_id == UNCODED:
            matrix[name] = given.map(lambda ts: int(not ts or ts == [UNCODED])).to_numpy()
        else:
            matrix[name] = given.map(lambda ts, t=theme_id: int(t in ts)).to_numpy()
    return matrix


def _matrix_sheet(book: StagedWorkbook, batches: Iterable[pd.DataFrame], codebook: Codebook) -> None:
    """0/1 comment-by-theme matrix (any theme), as QDA users ask for, streamed like the comments."""
    formats = {name: "0" for _, name in _theme_names(codebook)}
    _stream_sheets(book, "Theme matrix (0-1)", "Theme_matrix", (_matrix_rows(batch, codebook) for batch in batches), formats=formats)


def _subtheme_sheet(book: StagedWorkbook, counts: ThemeCounts) -> None:
    table = counts.subthemes.drop(columns=["theme_id", "subtheme_id"]).rename(
        columns={
            "theme": "Theme", "subtheme": "Sub-theme", "comments": "Comments", "share_of_theme": "Share of the theme's comments",
            "theme_with_subtheme": "Theme's comments with a sub-theme",
        }
    )  # fmt: skip
    formats = {"Comments": INTEGER, "Share of the theme's comments": PERCENT, "Theme's comments with a sub-theme": INTEGER}
    add_table(book.create_sheet("Sub-themes"), table, "Subthemes", formats=formats)


def _session_matrix_sheet(book: StagedWorkbook, counts: ThemeCounts, codebook: Codebook) -> None:
    """Sessions x themes: comments touching on each theme (any theme) in each session."""
    table = counts.by_session
    wide = table.pivot_table(index="session", columns="theme_id", values="any_comments", aggfunc="sum", sort=False, fill_value=0)
    columns = [(t, n) for t, n in _theme_names(codebook) if t in wide.columns]
    wide = wide.reindex(columns=[t for t, _ in columns]).reindex(table["session"].unique()).fillna(0).astype("int64")
    wide.columns = [n for _, n in columns]
    out = wide.reset_index().rename(columns={"session": "Session"})
    add_table(book.create_sheet("Session by theme"), out, "Session_by_theme", formats={c: INTEGER for c in out.columns[1:]})


def _codebook_sheet(book: StagedWorkbook, codebook: Codebook) -> None:
    rows = [
        {
            "Theme ID": theme.id,
            "Theme": theme.name,
            "Parent theme": codebook.name_of(theme.parent) if theme.parent else None,
            "Description": theme.description,
            "Colour": theme.colour,
            "Rule patterns": len(theme.patterns),
            "Examples": len(theme.examples),
        }
        for theme in (*codebook.themes, *codebook.subthemes)
    ]
    table = pd.DataFrame(rows)
    add_table(book.create_sheet("Codebook"), table, "Codebook", formats={"Rule patterns": "0", "Examples": "0"}, wrap=("Description",))


def _method_sheet(book: StagedWorkbook, rows: list[tuple[str, str]]) -> None:
    table = pd.DataFrame(rows, columns=["Item", "Value"])
    add_table(book.create_sheet("Method"), table, "Method", wrap=("Value",))


def _exercise_sheets(book: StagedWorkbook, exercises: Exercises) -> None:
    choices = choices_table(exercises)
    sheet = book.create_sheet("4Ps choices")
    first, last = add_table(sheet, choices, "FourPs_choices", formats={c: INTEGER for c in choices.columns[1:]})
    totals = exercises.choice_totals().rename(columns={"p": "P", "stickers": "Stickers (all events)", "share": "Share of the stickers"})
    formats = {"Stickers (all events)": INTEGER, "Share of the stickers": PERCENT}
    add_table(sheet, totals, "FourPs_totals", left=len(choices.columns) + 2, formats=formats, freeze=False)
    chart = BarChart()  # stickers per P at each event, clustered: which events differed
    chart.type = "col"
    chart.style = 10
    chart.title = "Which of the 4Ps matters most: stickers per event"
    chart.y_axis.title = "Stickers"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 9, 20
    events = last - first  # the rows before "All events"
    chart.add_data(Reference(sheet, min_col=2, max_col=len(choices.columns) - 1, min_row=first - 1, max_row=first + events - 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=first + events - 1))
    sheet.add_chart(chart, f"A{last + 3}")
    statements = statements_table(exercises)
    add_table(book.create_sheet("4Ps statements"), statements, "FourPs_statements", formats={"Stickers": INTEGER}, wrap=("Reasons",))


def write_workbook(
    path: str | Path,
    coded: pd.DataFrame | None,
    codebook: Codebook,
    *,
    counts: ThemeCounts | None = None,
    quotes: pd.DataFrame | None = None,
    register: SessionRegister | None = None,
    exercises: Exercises | None = None,
    method_info: Mapping[str, object] | None = None,
    date: dt.date | str | None = None,
    approved: Iterable[str] = (),
    comment_batches: Callable[[], Iterable[pd.DataFrame]] | None = None,
    digest: CodedDigest | None = None,
) -> Path:
    """Write the theme-count workbook (the same inputs and date give the same bytes).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (its folder is created).
    coded : DataFrame or None
        The coded table; None when ``counts``, ``quotes``, ``comment_batches`` and
        ``digest`` are all given (the table is then never held whole).
    codebook : Codebook
        The codebook it was coded with.
    counts : ThemeCounts, optional
        Precomputed counts (default: :func:`count_all`); pass the report's to share them.
    quotes : DataFrame, optional
        Precomputed quotes (default: :func:`quotes_by_scope`).
    register : SessionRegister, optional
        The sessions register (session totals, strand descriptions).
    exercises : Exercises, optional
        The 4Ps exercise: adds the sheets "4Ps choices" and "4Ps statements".
    method_info : mapping, optional
        More Method rows (inputs, model card, settings); nested mappings become
        ``outer.inner`` items.
    date : date or str, optional
        The generation date (``YYYY-MM-DD``); default ``SOURCE_DATE_EPOCH``, else
        today (:func:`tcs_themes.outputs.reproducible.generation_date`).
    approved : iterable of str
        Comment ids the analyst approved for quoting although they disclose
        special-category details (shown on the "Quotes to review" sheet).
    comment_batches : callable, optional
        Returns the rows of the coded table (all its columns) in batches, in order; called
        once for each comment-level sheet ("Coded comments", "Comment themes (long)",
        "Theme matrix (0-1)"), which are streamed from it, so those sheets take little
        memory however many comments there are (e.g. batches read from ``coded.parquet``
        with :func:`tcs_themes.tables.read_table_batches`). Default: ``coded`` in chunks.
    digest : CodedDigest, optional
        The rest of what the workbook shows of the table
        (:func:`~tcs_themes.outputs.coded_digest.coded_digest` with ``approved``); default: made from ``coded``.

    Returns
    -------
    Path
        The written workbook.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputFileError(str(target), "the workbook must end in .xlsx")
    when = generation_date(date)
    writable_folder(target.parent)  # before any sheet streams rows to a temporary file
    counts = counts if counts is not None else count_all(coded, codebook, register)
    quotes = quotes if quotes is not None else quotes_by_scope(coded, codebook)
    digest = digest if digest is not None else coded_digest([coded], codebook, approved=approved)
    strand_names = dict(register.strands) if register is not None else {}
    book = StagedWorkbook()
    _summary_sheet(book, counts, "Most common themes across all discussions", digest.low_confidence)
    _strand_sheets(book, counts, strand_names)
    _session_sheet(book, counts, digest.sessions)
    _group_sheets(book, counts)
    _cooccurrence_sheet(book, counts, codebook)
    _subtheme_sheet(book, counts)
    _session_matrix_sheet(book, counts, codebook)
    batches = comment_batches or (lambda: _comment_chunks(coded))
    _comments_sheet(book, batches(), codebook)
    _long_sheet(book, batches(), codebook)
    _matrix_sheet(book, batches(), codebook)
    _quotes_sheet(book, quotes)
    _special_category_sheet(book, digest.special)
    _missing_sheets(book, digest.missing)
    _codebook_sheet(book, codebook)
    method = method_rows(counts, codebook, method_info, generated=when)
    held_back = held_back_note(digest.special)
    method += [("Quotes held back for review", f"{held_back}: see the Quotes to review sheet")] if held_back else []
    split = split_sheets(book.sheetnames)
    _method_sheet(book, [*method, ("Sheets split at Excel's row limit", split_note(split))] if split else method)
    if exercises is not None:
        _exercise_sheets(book, exercises)
    book.properties.title = safe_text(f"Theme counts: {codebook.name}")
    book.properties.creator = f"tcs-themes {__version__}"
    return save_office_file(book.save, target, when)
