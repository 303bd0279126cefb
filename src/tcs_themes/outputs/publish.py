"""Everything the analysts publish, from one coded table, in one call (used by ``tcs-themes run``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from tcs_themes.analysis.counts import ThemeCounts, count_all
from tcs_themes.analysis.quotes import quote_candidates, quotes_by_scope
from tcs_themes.analysis.special_category import special_categories
from tcs_themes.codebook.model import Codebook
from tcs_themes.config import ReportSettings
from tcs_themes.ingest.exercises import Exercises
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.outputs.charts import draw_charts
from tcs_themes.outputs.coded_digest import CodedDigest, DigestTally
from tcs_themes.outputs.report import build_report, write_report
from tcs_themes.outputs.reproducible import generation_date
from tcs_themes.outputs.report.notes import apply_notes, quote_choices, read_notes, write_draft_notes
from tcs_themes.outputs.workbook import write_workbook

WORKBOOK_NAME = "theme-counts.xlsx"
CHARTS_FOLDER = "charts"
REPORT_STEM = "report"


def publish(
    coded: pd.DataFrame | None,
    codebook: Codebook,
    out_dir: str | Path,
    *,
    register: SessionRegister | None = None,
    exercises: Exercises | None = None,
    method_info: Mapping[str, object] | None = None,
    n_quotes: int = 3,
    workbook: bool = True,
    report: bool = True,
    date: dt.date | str | None = None,
    settings: ReportSettings | None = None,
    notes: str | Path | None = None,
    draft_notes: str | Path | None = None,
    comment_batches: Callable[[], Iterable[pd.DataFrame]] | None = None,
    candidates: pd.DataFrame | None = None,
    counts: ThemeCounts | None = None,
    digest: CodedDigest | None = None,
    logged: Mapping[str, int] | None = None,
) -> dict[str, Path]:
    """Write the theme-count workbook, the charts and the report for ``coded`` into ``out_dir``.

    Counts and quotes are computed once and shared, so the workbook and the report
    always agree.

    Parameters
    ----------
    coded : DataFrame or None
        The coded table; None when ``comment_batches``, ``candidates``, ``counts`` and
        ``digest`` are all given: the table is then never held whole (what ``run`` does).
    codebook : Codebook
        The codebook it was coded with.
    out_dir : str or Path
        Output folder (created if needed).
    register : SessionRegister, optional
        The sessions register (``.sessions``, ``.strands``).
    exercises : Exercises, optional
        The 4Ps exercise (:func:`tcs_themes.ingest.exercises.load_exercises`).
    method_info : mapping, optional
        Inputs, model card and settings for the Method sheet and section.
    n_quotes : int, default 3
        Illustrative quotes per theme.
    workbook, report : bool
        Write the workbook / the report (charts are always drawn).
    date : date or str, optional
        The generation date (``YYYY-MM-DD``) the workbook and report carry; default
        ``SOURCE_DATE_EPOCH``, else today. The same inputs and date give the same bytes.
    settings : ReportSettings, optional
        The report's front page and the analyst's text and quote choices (``report:`` in the
        settings file); the quote choices apply to the workbook's quotes too.
    notes : path, optional
        The analyst's notes (:mod:`tcs_themes.outputs.report.notes`): their text replaces the
        generated text of the sections they edited, and its ``## quotes`` section approves,
        pins or bans quotes by comment id (added to ``settings``). An edited note for a section
        that no longer exists gives a :class:`~tcs_themes.errors.NotesWarning`.
    draft_notes : path, optional
        Also write the generated text of every section there, as a notes file to edit
        (before any ``notes`` are applied).
    comment_batches : callable, optional
        Returns the coded table's rows in batches, for the workbook's comment-level sheets
        (see :func:`~tcs_themes.outputs.workbook.write_workbook`); ``coded`` may then leave
        out the columns only those sheets show.
    candidates : DataFrame, optional
        The comments that may be quoted, already found with the settings' approved and banned
        comments (:func:`~tcs_themes.analysis.quote_pool.quote_pool`, say); ``coded``
        may then leave out the theme score columns, which only quoting uses. Default: found in ``coded``.
    counts : ThemeCounts, optional
        The counts of the coded table, already made (:func:`~tcs_themes.analysis.counts.count_batches`
        of its batches, say). Default: counted from ``coded``.
    digest : CodedDigest, optional
        The rest of what the workbook and report show of the table
        (:func:`~tcs_themes.outputs.coded_digest.coded_digest` of its batches, with the
        settings' approved comments). Default: made from ``coded``.
    logged : mapping, optional
        The ingest log's entries by reason (``IngestResult.log["reason"].value_counts()``): the
        report's method says what was read but not counted as a comment, and where it is listed.

    Returns
    -------
    dict
        ``"workbook"`` (the .xlsx), ``"html"``, ``"docx"``, ``"notes"`` (with ``draft_notes``) and ``"chart:<name>"`` (each PNG;
        its SVG is next to it) -> path.
    """
    folder = Path(out_dir)
    when = generation_date(date)
    counts = counts if counts is not None else count_all(coded, codebook, register)
    settings = settings or ReportSettings()
    edited = read_notes(notes) if notes is not None else {}
    if edited:  # the notes' quote choices add to the settings'
        chosen = quote_choices(edited)
        settings = replace(settings, **{kind: (*getattr(settings, kind), *ids) for kind, ids in chosen.items()})
    # each comment scanned for special-category details once, for the candidates and the digest alike
    special = special_categories(coded["text"]) if candidates is None and digest is None else None
    if candidates is None:  # found once, for the quotes and the report
        candidates = quote_candidates(coded, approved=settings.approve, banned=settings.ban, special=special)
    if digest is None:
        tally = DigestTally(codebook, approved=settings.approve)
        tally.add(coded, special)
        digest = tally.digest()
    quotes = quotes_by_scope(
        coded, codebook, n=n_quotes, approved=settings.approve, pinned=settings.pin, banned=settings.ban, candidates=candidates,
        strands=digest.strands,
    )
    strand_names = dict(register.strands) if register is not None else {}
    charts = draw_charts(counts, folder / CHARTS_FOLDER, strand_names=strand_names, exercises=exercises)
    paths: dict[str, Path] = {f"chart:{name}": files["png"] for name, files in charts.items()}
    if workbook:
        paths["workbook"] = write_workbook(
            folder / WORKBOOK_NAME,
            coded,
            codebook,
            counts=counts,
            quotes=quotes,
            register=register,
            exercises=exercises,
            method_info=method_info,
            date=when,
            approved=settings.approve,
            comment_batches=comment_batches,
            digest=digest,
        )
    if report:
        content = build_report(
            coded, codebook, counts, quotes, charts,
            register=register, exercises=exercises, method_info=method_info, settings=settings, date=when, candidates=candidates,
            digest=digest, logged=logged,
        )  # fmt: skip
        if draft_notes is not None:
            paths["notes"] = write_draft_notes(content, draft_notes)
        if notes is not None:
            apply_notes(content, edited, source=str(notes))
        paths.update(write_report(content, folder, REPORT_STEM))
    return paths
