"""Charts for the report: ranked theme bars, a strand-by-theme heatmap and the 4Ps exercise.

Every function returns a matplotlib :class:`~matplotlib.figure.Figure` (Agg
backend, nothing shown); :func:`save_figure` writes it as PNG and SVG. Charts
are sized for an A4 page (6.3 inches wide, the text width between 2.5 cm
margins), use the Okabe-Ito colour-blind-safe palette (and the perceptually
uniform ``cividis`` map for the heatmap), wrap long names instead of cutting
them off, and use a constrained layout so no label is clipped.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from tcs_themes.analysis.counts import NO_STRAND, ThemeCounts  # noqa: E402
from tcs_themes.atomic_write import atomic_path, writable_folder  # noqa: E402
from tcs_themes.ingest.exercises import FOUR_PS, Exercises  # noqa: E402
from tcs_themes.schema import UNCODED  # noqa: E402

#: Okabe & Ito (2008): distinguishable with every common form of colour blindness.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BAR_COLOUR = OKABE_ITO[0]
UNCODED_COLOUR = "#9A9A9A"
P_COLOURS = dict(zip(FOUR_PS, ("#0072B2", "#E69F00", "#009E73", "#CC79A7"), strict=True))
A4_TEXT_WIDTH = 6.3  # inches
UNCODED_LABEL = "Uncoded (no theme fitted)"
_LABEL_WIDTH = 34  # characters per line of a wrapped label

_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "figure.titlesize": 11,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "tcs-themes",
}


def wrap(label: str, width: int = _LABEL_WIDTH) -> str:
    """Wrap ``label`` onto lines of at most ``width`` characters (words are never split)."""
    return "\n".join(textwrap.wrap(str(label), width=width, break_long_words=False)) or str(label)


def _figure(n_rows: int, per_row: float = 0.32, base: float = 1.3) -> Figure:
    with plt.rc_context(_STYLE):
        fig = Figure(figsize=(A4_TEXT_WIDTH, base + per_row * max(n_rows, 1)), layout="constrained", dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _note(fig: Figure, text: str) -> None:
    """A small note at the foot of the chart: its base (what was counted, out of how many) and what is left out."""
    with plt.rc_context(_STYLE):
        fig.supxlabel(wrap(text, 110), x=0.01, ha="left", fontsize=7, color="#444444")


def ranked_theme_chart(
    table: pd.DataFrame,
    *,
    title: str,
    count: str = "main_comments",
    xlabel: str = "Number of comments (main theme)",
    top: int | None = None,
    note: bool = True,
) -> Figure:
    """Ranked horizontal bars of themes, most common at the top, uncoded last in grey.

    Parameters
    ----------
    table : DataFrame
        One group of :func:`tcs_themes.analysis.counts.theme_summary` (``theme_id``,
        ``theme`` and the ``count`` column).
    title : str
        Plain-English title.
    count : str, default "main_comments"
        The column to plot.
    xlabel : str
        The x-axis label.
    top : int, optional
        Show only the ``top`` most common themes (plus uncoded); themes with no comments
        are always left out.
    note : bool, default True
        Say at the foot what was counted: the comments in the group, and how many of the
        themes raised are shown (with ``count="main_comments"``).
    """
    coded = table[(table["theme_id"] != UNCODED) & (table[count] > 0)]
    coded = coded.sort_values(count, ascending=False, kind="stable")
    raised = len(coded)
    if top is not None:
        coded = coded.head(top)
    uncoded = table[(table["theme_id"] == UNCODED) & (table[count] > 0)]
    labels = [wrap(t) for t in coded["theme"]] + [wrap(UNCODED_LABEL)] * len(uncoded)
    values = [*coded[count].tolist(), *uncoded[count].tolist()]
    colours = [BAR_COLOUR] * len(coded) + [UNCODED_COLOUR] * len(uncoded)
    lines = sum(label.count("\n") + 1 for label in labels)
    fig = _figure(max(len(labels), lines * 0.75))
    with plt.rc_context(_STYLE):
        ax = fig.add_subplot()
        positions = np.arange(len(values))
        bars = ax.barh(positions, values, color=colours, height=0.7)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.bar_label(bars, padding=3, fontsize=8)
        ax.set_xlim(0, max(values, default=1) * 1.12 + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(xlabel)
        fig.suptitle(wrap(title, 72), x=0.01, ha="left")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
    if note and count == "main_comments":
        shown = f"Top {len(coded)} of the {raised} themes raised" if len(coded) < raised else f"All {raised} themes raised"
        total = int(table["main_comments"].sum())
        _note(fig, f"Base: {total:,} comments, each counted once, under its main theme. {shown}.")
    return fig


def strand_heatmap(by_strand: pd.DataFrame, *, title: str, strand_names: dict[str, str] | None = None) -> Figure:
    """Share of each strand's comments under each theme (main theme), as an annotated heatmap.

    Parameters
    ----------
    by_strand : DataFrame
        :func:`tcs_themes.analysis.counts.theme_summary` by strand.
    title : str
        Plain-English title.
    strand_names : dict, optional
        Strand label -> description, shown under the label.
    """
    pivot = by_strand.pivot_table(index="theme", columns="strand", values="main_share", sort=False)
    counts = by_strand.pivot_table(index="theme", columns="strand", values="main_comments", sort=False)
    named = by_strand[by_strand["theme_id"] != UNCODED].groupby("theme", sort=False)["main_comments"].sum()
    order = [t for t in named.sort_values(ascending=False, kind="stable").index if named[t] > 0]
    pivot, counts = pivot.loc[order, list(dict.fromkeys(by_strand["strand"]))], counts.loc[order]
    names = strand_names or {}
    sizes = by_strand.groupby("strand", sort=False)["main_comments"].sum()  # main themes (and uncoded) add up to the column's comments
    columns = [
        (f"{s}\n{wrap(names[s], 14)}" if names.get(s) else wrap(s, 14)) + f"\nBase: {int(sizes[s]):,}" for s in pivot.columns
    ]
    fig = _figure(len(order), per_row=0.3, base=1.9)
    with plt.rc_context(_STYLE):
        ax = fig.add_subplot()
        values = pivot.to_numpy(dtype=float)
        shown = np.ma.masked_where(counts.to_numpy() == 0, values)
        cmap = matplotlib.colormaps["cividis"].with_extremes(bad="#F2F2F2")
        image = ax.imshow(shown, cmap=cmap, aspect="auto", vmin=0, vmax=max(np.nanmax(values), 0.01))
        for (row, col), share in np.ndenumerate(values):
            if counts.iat[row, col] > 0:
                colour = "black" if share > 0.6 * np.nanmax(values) else "white"
                label = f"{share:.0%}" if share >= 0.005 else "<1%"
                ax.text(col, row, label, ha="center", va="center", fontsize=7.5, color=colour)
        ax.set_xticks(range(len(columns)), columns, fontsize=7.5)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(order)), [wrap(t) for t in order])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.5, ticks=MaxNLocator(nbins=5, steps=[1, 2, 5, 10]), format=percent_tick)
        bar.set_label("Share of the strand's comments")
        fig.suptitle(wrap(title, 72), x=0.01, ha="left")
    _note(
        fig,
        "Each cell: the share of the column's comments (its base, under its heading) with the theme as their main theme, "
        "to the nearest whole per cent. Grey: no comment.",
    )
    return fig


def percent_tick(share: float, _position: object = None) -> str:
    """A colour-bar tick as a percentage, never rounded into a different number (``0.075`` -> ``"7.5%"``)."""
    value = round(share * 100, 6)
    return f"{value:.0f}%" if value.is_integer() else f"{value:g}%"


def exercise_choice_chart(exercises: Exercises, *, title: str = "Which of the 4Ps matters most? Stickers per event") -> Figure:
    """Grouped horizontal bars: stickers for each P at each event."""
    events = list(dict.fromkeys(exercises.choices["event"]))
    fig = _figure(len(events) * 2.2, per_row=0.3, base=1.6)
    with plt.rc_context(_STYLE):
        ax = fig.add_subplot()
        height = 0.8 / len(FOUR_PS)
        for k, p in enumerate(FOUR_PS):
            rows = exercises.choices[exercises.choices["p"] == p].set_index("event").reindex(events)
            positions = np.arange(len(events)) + (k - 1.5) * height
            bars = ax.barh(positions, rows["stickers"].fillna(0), height=height, color=P_COLOURS[p], label=p)
            ax.bar_label(bars, padding=2, fontsize=7)
        ax.set_yticks(np.arange(len(events)), [wrap(e, 26) for e in events])
        ax.invert_yaxis()
        ax.set_xlabel("Number of stickers")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, max(exercises.choices["stickers"].max(), 1) * 1.1 + 0.5)
        fig.legend(loc="outside lower center", ncols=len(FOUR_PS), frameon=False)
        fig.suptitle(wrap(title, 72), x=0.01, ha="left")
    return fig


def exercise_statement_chart(exercises: Exercises, *, title: str = "Stickers per statement, all events") -> Figure:
    """Horizontal bars of stickers per statement, grouped and coloured by P."""
    totals = exercises.statement_totals()
    labels = [wrap(s, 44) for s in totals["statement"]]
    fig = _figure(sum(label.count("\n") + 1 for label in labels) * 0.8, per_row=0.32, base=1.5)
    with plt.rc_context(_STYLE):
        ax = fig.add_subplot()
        positions = np.arange(len(totals))
        bars = ax.barh(positions, totals["stickers"], color=[P_COLOURS[p] for p in totals["p"]], height=0.7)
        ax.bar_label(bars, padding=3, fontsize=8)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, max(totals["stickers"].max(), 1) * 1.12 + 0.5)
        ax.set_xlabel("Number of stickers")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(axis="y", length=0)
        handles = [matplotlib.patches.Patch(color=P_COLOURS[p], label=p) for p in FOUR_PS if p in set(totals["p"])]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
        fig.suptitle(wrap(title, 72), x=0.01, ha="left")
    return fig


def save_figure(fig: Figure, directory: str | Path, stem: str) -> dict[str, Path]:
    """Write ``fig`` as ``<stem>.png`` (150 dpi) and ``<stem>.svg`` in ``directory``.

    Returns
    -------
    dict
        ``{"png": path, "svg": path}``.
    """
    folder = Path(directory)
    writable_folder(folder)
    paths = {}
    with plt.rc_context(_STYLE):
        for fmt in ("png", "svg"):
            path = folder / f"{stem}.{fmt}"
            with atomic_path(path) as temporary:
                fig.savefig(temporary, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
            paths[fmt] = path
    return paths


def slug(label: str) -> str:
    """Return ``label`` as a lower-case file-name stem (``"Strand 1"`` -> ``"strand_1"``)."""
    return re.sub(r"[^a-z0-9]+", "_", str(label).lower()).strip("_") or "group"


def strand_title(strand: str, strand_names: dict[str, str] | None) -> str:
    """``"Strand 1 - Strategic overview"`` when the register describes the strand, else the label."""
    description = (strand_names or {}).get(strand)
    return f"{strand} - {description}" if description else strand


#: How a chart title or caption names the comments with no strand (emails...), mid-sentence.
OUTSIDE_STRANDS = "emails and other comments outside the strands"


def group_title(strand: str, strand_names: dict[str, str] | None) -> str:
    """:func:`strand_title`, or :data:`OUTSIDE_STRANDS` for the comments with no strand: as a theme chart's title names them."""
    return OUTSIDE_STRANDS if strand == NO_STRAND else strand_title(strand, strand_names)


def draw_charts(
    counts: ThemeCounts,
    directory: str | Path,
    *,
    strand_names: dict[str, str] | None = None,
    exercises: Exercises | None = None,
    top: int = 15,
) -> dict[str, dict[str, Path]]:
    """Draw and save every report chart in ``directory``.

    Parameters
    ----------
    counts : ThemeCounts
        From :func:`tcs_themes.analysis.counts.count_all`.
    directory : str or Path
        Folder for the PNG and SVG files (created if needed).
    strand_names : dict, optional
        Strand label -> description, for titles.
    exercises : Exercises, optional
        The 4Ps exercise; its two charts are drawn when given.
    top : int, default 15
        Themes shown in each ranked chart.

    Returns
    -------
    dict
        Chart name (``themes_overall``, ``themes_<strand slug>``, ``strand_heatmap`` (when any
        comment was coded), ``exercise_choices``, ``exercise_statements``) -> ``{"png": path, "svg": path}``.
    """
    figures: dict[str, Figure] = {
        "themes_overall": ranked_theme_chart(
            counts.overall, title="Most common themes across all discussions", top=top
        )
    }
    for strand, table in counts.by_strand.groupby("strand", sort=False):
        figures[f"themes_{slug(strand)}"] = ranked_theme_chart(table, title=f"Most common themes: {group_title(strand, strand_names)}", top=top)
    coded = counts.by_strand[(counts.by_strand["theme_id"] != UNCODED) & (counts.by_strand["main_comments"] > 0)]
    if not coded.empty:  # with nothing coded there is no theme to compare
        figures["strand_heatmap"] = strand_heatmap(
            counts.by_strand, title="How the themes compare across the strands", strand_names=strand_names
        )
    if exercises is not None:
        figures["exercise_choices"] = exercise_choice_chart(exercises)
        figures["exercise_statements"] = exercise_statement_chart(exercises)
    paths = {name: save_figure(fig, directory, name) for name, fig in figures.items()}
    for fig in figures.values():
        fig.clear()
    return paths
