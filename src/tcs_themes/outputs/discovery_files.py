"""The files of theme discovery: a candidate-codebook YAML fragment and a review workbook.

``candidates.yaml`` holds the new candidates as codebook themes (a ``themes:``
list to paste under the codebook's own, then edit), and, as YAML comments, the
patterns suggested for existing themes. ``discovery.xlsx`` has a Candidates
sheet, a Comments sheet (every selected comment with its candidate or
"leftover") and a Leftovers sheet. Both are written atomically and are the
same bytes for the same discovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from tcs_themes import __version__
from tcs_themes.analysis.discovery import DEFAULT_FROM, LEFTOVER, NOT_KNOWN, Candidate, Discovery, discover_themes
from tcs_themes.atomic_write import write_bytes_atomic
from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.codebook.write import dump_yaml, theme_entry
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.plain_tables import redact_coded
from tcs_themes.outputs.excel import DECIMAL, PERCENT, add_table, safe_text
from tcs_themes.outputs.reproducible import generation_date, save_office_file
from tcs_themes.tables import read_table

FRAGMENT_NAME, WORKBOOK_NAME = "candidates.yaml", "discovery.xlsx"


def _description(candidate: Candidate) -> str:
    known = [(name, n) for name, n in candidate.sessions.items() if name != NOT_KNOWN]
    where = ", ".join(f"{name} ({n})" for name, n in known[:3])
    nearest = f" Nearest existing theme: {candidate.nearest_theme} ({candidate.why})." if candidate.nearest_theme else ""
    return f"Candidate from tcs-themes discover: {candidate.size} comments, mostly from {where or 'unknown sessions'}.{nearest} Edit before use."


def candidate_theme(candidate: Candidate) -> Theme:
    """Return a new candidate as a codebook theme (name from its label, its patterns and examples)."""
    return Theme(
        id=candidate.id,
        name=candidate.label[:1].upper() + candidate.label[1:],
        description=_description(candidate),
        patterns=tuple(Pattern(id=f"{candidate.id}/{n}", phrase=p) for n, p in enumerate(candidate.patterns, 1)),
        examples=tuple(text for _, text in candidate.examples[:3]),
    )


def candidate_fragment(discovery: Discovery) -> str:
    """Return the YAML fragment: new candidates under ``themes:``, other groups' suggestions as comments.

    Its themes can be appended to a codebook's ``themes:`` list; the result
    passes ``tcs-themes codebook validate``.
    """
    new = [theme_entry(candidate_theme(c)) for c in discovery.candidates if c.is_new]
    lines = [
        f"# Candidate themes from tcs-themes {__version__} discover: {discovery.n_selected} comments selected, "
        f"{len(discovery.candidates)} groups, {discovery.n_leftover} left over ({discovery.leftover_share:.0%}).",
        "# Paste the themes below under your codebook's 'themes:', edit names, descriptions and patterns,",
        "# then run 'tcs-themes codebook validate'.",
    ]
    more = [c for c in discovery.candidates if not c.is_new]
    for candidate in more:
        phrases = ", ".join(f'"{p}"' for p in candidate.patterns) or "(no distinctive phrase)"
        lines.append(
            f"# More of theme {candidate.nearest_theme}: consider adding these patterns: {phrases} "
            f"({candidate.size} comments, group {candidate.id}; {candidate.why})"
        )
    body = dump_yaml({"themes": new}) if new else "themes: []\n"
    return "\n".join(" ".join(line.split("\n")) for line in lines) + "\n" + body


def candidates_frame(discovery: Discovery) -> pd.DataFrame:
    """Return one row per candidate, as the Candidates sheet shows it."""
    rows = []
    for c in discovery.candidates:
        rows.append(
            {
                "candidate": c.id,
                "status": c.status,
                "label": c.label,
                "comments": c.size,
                "share of selection": c.size / discovery.n_selected if discovery.n_selected else 0.0,
                "sessions": "; ".join(f"{k} ({v})" for k, v in c.sessions.items()),
                "strands": "; ".join(f"{k} ({v})" for k, v in c.strands.items()),
                "nearest theme": c.nearest_theme or "",
                "similarity": c.similarity,
                "nearest theme's nearest other theme": c.neighbour_theme or "",
                "their similarity (cut-off)": c.neighbour_similarity,
                "coded with nearest": c.coded_share,
                "why this status": c.why,
                "suggested patterns": "; ".join(c.patterns),
                "examples": "\n".join(f"{i}: {t}" for i, t in c.examples),
            }
        )
    return pd.DataFrame(rows, columns=[
        "candidate", "status", "label", "comments", "share of selection", "sessions", "strands",
        "nearest theme", "similarity", "nearest theme's nearest other theme", "their similarity (cut-off)",
        "coded with nearest", "why this status", "suggested patterns", "examples",
    ])  # fmt: skip


def discovery_workbook(discovery: Discovery) -> Workbook:
    """Return the review workbook: Candidates, Comments and Leftovers sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Candidates"
    add_table(
        sheet, candidates_frame(discovery), "Candidates",
        formats={
            "share of selection": PERCENT, "similarity": DECIMAL, "their similarity (cut-off)": DECIMAL,
            "coded with nearest": PERCENT,
        },
        wrap=("examples", "sessions", "why this status"),
    )  # fmt: skip
    comments = discovery.comments
    add_table(book.create_sheet("Comments"), comments, "Comments", formats={"fit": DECIMAL}, wrap=("text",))
    leftovers = comments[comments["candidate"] == LEFTOVER]
    add_table(book.create_sheet("Leftovers"), leftovers, "Leftovers", formats={"fit": DECIMAL}, wrap=("text",))
    book.properties.title = safe_text("Theme discovery")
    book.properties.creator = f"tcs-themes {__version__}"
    return book


def write_discovery(discovery: Discovery, out: str | Path) -> list[Path]:
    """Write ``candidates.yaml`` and ``discovery.xlsx`` into the folder ``out`` (created); return their paths.

    Raises
    ------
    InputFileError
        Naming the file, when the folder or a file cannot be written.
    """
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputFileError(str(folder), "--out must be a folder, not a file")
    return [
        write_bytes_atomic(folder / FRAGMENT_NAME, candidate_fragment(discovery).encode("utf-8")),
        save_office_file(discovery_workbook(discovery).save, folder / WORKBOOK_NAME, generation_date()),
    ]


def discover_files(
    coded_path: str | Path,
    out: str | Path,
    *,
    codebook: Codebook | None = None,
    model: str | Path | None = None,
    use_model: bool = True,
    sources: Sequence[str] = DEFAULT_FROM,
    max_themes: int = 10,
) -> tuple[Discovery, list[Path]]:
    """Read a coded table, discover candidate themes, and write the fragment and the workbook into ``out``.

    Parameters
    ----------
    coded_path : str or Path
        A coded table (``coded.parquet`` or ``coded.csv`` from ``tcs-themes code``).
    out : str or Path
        The folder for ``candidates.yaml`` and ``discovery.xlsx``.
    codebook : Codebook, optional
        The codebook it was coded with (default: the bundled one).
    model : str or Path, optional
        The model it was coded with (default: the bundled model); its representation is used.
    use_model : bool, default True
        False: compare comments on TF-IDF fitted on the selected comments (beside static
        sentence embeddings) instead.
    sources, max_themes
        See :func:`~tcs_themes.analysis.discovery.discover_themes`.

    Raises
    ------
    InputFileError
        For an unreadable table, or a model refused for this codebook (:class:`ModelError`).
    UsageError
        For a bad selection.
    """
    from tcs_themes.codebook.load import load_codebook
    from tcs_themes.coding.model.model_io import load_model

    book = codebook if codebook is not None else load_codebook()
    coded = redact_coded(read_table(coded_path))  # a hand-edited table's typed details stay out of the candidates
    classifier = load_model(model, book).model if use_model else None
    discovery = discover_themes(coded, book, model=classifier, sources=sources, max_themes=max_themes)
    return discovery, write_discovery(discovery, out)
