"""The published tables: theme counts with the column names people read, shared by workbook and report.

The workbook and the report both build their theme tables here, from the same
:class:`~tcs_themes.analysis.counts.ThemeCounts`, so their numbers are the same.
"""

from __future__ import annotations

from collections.abc import Mapping
import datetime as dt
from pathlib import Path

import pandas as pd

from tcs_themes import __version__

from tcs_themes.analysis.counts import BASES, NO_STRAND, ThemeCounts
from tcs_themes.analysis.quotes import is_publishable
from tcs_themes.analysis.special_category import special_categories
from tcs_themes.codebook.load import DEFAULT_CODEBOOK, default_codebook_path
from tcs_themes.codebook.model import Codebook
from tcs_themes.ingest.exercises import FOUR_PS, Exercises
from tcs_themes.schema import UNCODED

#: Column of :func:`tcs_themes.analysis.counts.theme_summary` -> the heading people read.
THEME_HEADINGS: dict[str, str] = {
    "rank": "Rank",
    "theme": "Theme",
    "main_comments": "Comments (main theme)",
    "main_share": "Share (main theme)",
    "any_comments": "Comments (any theme)",
    "any_share": "Share (any theme)",
    "sessions": "Sessions raising it",
    "sessions_total": "Sessions",
    "emails": "Emails raising it",
    "theme_id": "Theme ID",
}
SHARE_HEADINGS = ("Share (main theme)", "Share (any theme)")
#: ``code_source`` -> how the workbook and the report name it.
CODE_SOURCE_HEADINGS: dict[str, str] = {
    "analyst": "Coded by an analyst",
    "review": "Reviewed by an analyst",
    "machine": "Coded by the machine alone",
}
_CODE_SOURCE_NOTES: dict[str, str] = {
    "analyst": "their codes came with the input and are used as given",
    "review": "an analyst reviewed the machine's codes and their decision is used",
    "machine": "coded by the rules and the model",
}


def code_source_rows(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """(heading, comments) per code source, analyst first: the figures the workbook and the report show."""
    return [(CODE_SOURCE_HEADINGS.get(source, f"Code source '{source}'"), n) for source, n in counts.items()]
STRAND_HEADINGS: dict[str, str] = {
    "strand": "Strand",
    "description": "Description",
    "sessions": "Sessions",
    "sessions_with_comments": "Sessions with comments",
    "comments": "Comments",
    "coded": "Coded",
    "uncoded": "Uncoded",
    "emails": "Emails",
}


def theme_table(summary: pd.DataFrame, *, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return a :func:`theme_summary` table with the published headings.

    ``keep`` names grouping columns (e.g. ``"strand"``) to put first, as they are.
    """
    columns = [*keep, *THEME_HEADINGS]
    table = summary[columns].rename(columns=THEME_HEADINGS)
    return table.rename(columns={k: k.capitalize() for k in keep})


def theme_mentions(counts: ThemeCounts) -> int:
    """The themes given to all comments together (a comment counts once under each theme it touched on)."""
    overall = counts.overall
    return int(overall.loc[overall["theme_id"] != UNCODED, "any_comments"].sum())


def strand_table(counts: ThemeCounts) -> pd.DataFrame:
    """The strands overview with the published headings (a total row last).

    The total row is "All comments" when some comments have no strand (emails): it counts them too.
    """
    table = counts.strands.rename(columns=STRAND_HEADINGS)
    if (table["Strand"] == NO_STRAND).any():
        table.loc[table.index[-1], "Strand"] = "All comments"
    return table


def appendix_table(counts: ThemeCounts) -> pd.DataFrame:
    """Main-theme comments per theme and strand, with the total: the report's appendix.

    Returns
    -------
    DataFrame
        ``Theme``, one column per strand, ``All comments``; themes ranked overall, uncoded last.
    """
    wide = counts.by_strand.pivot_table(index="theme", columns="strand", values="main_comments", sort=False)
    wide = wide[list(dict.fromkeys(counts.by_strand["strand"]))].reindex(counts.overall["theme"])
    wide["All comments"] = counts.overall.set_index("theme")["main_comments"]
    wide = wide.astype("int64").reset_index().rename(columns={"theme": "Theme"})
    wide.columns.name = None
    return wide


def choices_table(exercises: Exercises) -> pd.DataFrame:
    """Stickers per P per event, with an "All events" row and a total column."""
    wide = exercises.choices.pivot_table(index="event", columns="p", values="stickers", sort=False, aggfunc="sum")
    wide = wide.reindex(columns=list(FOUR_PS), fill_value=0).reindex(exercises.choices["event"].unique())
    wide.loc["All events"] = wide.sum()
    wide["Total"] = wide.sum(axis=1)
    wide = wide.astype("int64").reset_index().rename(columns={"event": "Event"})
    wide.columns.name = None
    return wide


def shown_reasons(reasons: list[str]) -> tuple[list[str], int]:
    """The written reasons that may be shown, like quotes, and how many are held back.

    A reason is held back when it discloses a special category of personal data
    (:func:`~tcs_themes.analysis.special_category.special_categories`) or is not
    publishable as a quote (:func:`~tcs_themes.analysis.quotes.is_publishable`).
    """
    disclosing = special_categories(reasons)
    safe = [r for r, found in zip(reasons, disclosing, strict=True) if is_publishable(r) and not found]
    return safe, len(reasons) - len(safe)


def statements_table(exercises: Exercises) -> pd.DataFrame:
    """Stickers and written reasons per statement over all events (``P, Statement, Stickers, Reasons``).

    Reasons that disclose personal details are held back, as in the report, and counted in their cell.
    """
    totals = exercises.statement_totals()
    shown = [shown_reasons(list(reasons)) for reasons in totals["reasons"]]
    held = [f"({n} held back: personal details)" if n else "" for _, n in shown]
    return pd.DataFrame(
        {
            "P": totals["p"],
            "Statement": totals["statement"],
            "Stickers": totals["stickers"].astype("int64"),
            "Reasons": ["\n".join([*safe, note] if note else safe) for (safe, _), note in zip(shown, held, strict=True)],
        }
    )


def _flatten(info: Mapping[str, object], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in info.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flatten(value, f"{name}."))
        else:
            rows.append((name, ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)))
    return rows


def codebook_file_label(source: str | None) -> str:
    """How the outputs name the codebook's file: the bundled one by its name in the package, a file in the
    working folder by its relative path, so the outputs do not depend on where the toolkit or the project sits."""
    if not source:
        return "(not from a file)"
    path = Path(source).resolve()
    if path == default_codebook_path().resolve():
        return f"{DEFAULT_CODEBOOK} (bundled with tcs-themes)"
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return source


def method_rows(
    counts: ThemeCounts, codebook: Codebook, method_info: Mapping[str, object] | None = None, *, generated: dt.date
) -> list[tuple[str, str]]:
    """The Method sheet's (item, value) rows: date, tool, comments counted, codebook, counting rules, then ``method_info``.

    ``generated`` is the generation date (:func:`tcs_themes.outputs.reproducible.generation_date`).
    """
    rows = [
        ("Generated", generated.isoformat()),
        ("Tool", f"tcs-themes {__version__}"),
        ("Comments", f"{counts.n_comments:,}"),
        ("Codebook", codebook.name),
        ("Codebook file", codebook_file_label(codebook.source)),
        ("Codebook fingerprint (SHA-256)", codebook.fingerprint()),
        *(
            (CODE_SOURCE_HEADINGS.get(source, f"Code source '{source}'"), f"{n:,} comments: {_CODE_SOURCE_NOTES.get(source, source)}")
            for source, n in counts.code_sources.items()
        ),
        ("Themes in the codebook", f"{len(codebook.themes)} themes, {len(codebook.subthemes)} sub-themes"),
        ("Counting: main theme", f"each comment counted once, under its {BASES['primary']}; counts add up to the comments"),
        ("Counting: any theme", f"each comment counted under every theme it was given ({BASES['any']}); shares can add up to more than 100%"),
        ("Uncoded", "comments no theme fitted are counted as 'Uncoded', never left out"),
        ("Sessions raising a theme", "sessions where at least one comment was given the theme (any theme)"),
        ("Illustrative quotes", "short, clearly about the theme, using the words most typical of the theme's comments, different from each other, from different sessions where possible; fragments, courtesies and event praise only when nothing else is on the theme; never with a redaction marker or personal details"),
    ]
    return rows + _flatten(method_info or {})
