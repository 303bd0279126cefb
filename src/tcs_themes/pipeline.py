"""The main job end to end: ingest, code, count, export and report a consultation.

``run_pipeline`` is what ``tcs-themes run`` calls; each step is a library
function of its own, so a notebook can run them one by one instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tcs_themes.codebook import Codebook, load_codebook
from tcs_themes.coding.model.model_io import DEFAULT_MODEL, coder_for
from tcs_themes.coding.stream import CodingSummary, code_files
from tcs_themes.config import Settings, resolve_settings
from tcs_themes.errors import NoCommentsError
from tcs_themes.ingest import IngestResult, ingest
from tcs_themes.ingest.exercises import Exercises, load_exercises
from tcs_themes.ingest.redaction import redact_label
from tcs_themes.ingest.register import SessionRegister, load_register
from tcs_themes.outputs.reproducible import generation_date, stated_date
from tcs_themes.run_manifest import file_digest, remove_manifest, write_manifest
from tcs_themes.atomic_write import writable_folder
from tcs_themes.tables import read_table_batches, write_table

if TYPE_CHECKING:  # loaded only when publishing (scikit-learn and friends)
    from tcs_themes.analysis.counts import ThemeCounts
    from tcs_themes.outputs.coded_digest import CodedDigest

COMMENTS_FILE = "comments.parquet"
#: Comments per partition when ``run`` codes on a Dask cluster (comments.parquet's row groups).
PARTITION_ROWS = 5000
INGEST_LOG_FILE = "ingest-log.csv"
#: Coded-table columns only the workbook's per-comment sheets show: streamed from coded.parquet, never held whole.
SHEET_ONLY_COLUMNS = ("source_file", "sheet", "row", "part", "evidence", "sender_org", "machine_themes", "analyst_codes")


@dataclass
class PipelineResult:
    """What :func:`run_pipeline` did.

    Attributes
    ----------
    ingested : IngestResult
        The ingest step's result (log, per-file report, errors). Its ``comments`` table is
        left empty (its columns kept), so a million comments are not held in memory: the
        comments are in ``outputs["comments"]``.
    coding : CodingSummary
        The coding step's summary (comments, coded, uncoded, themes per comment).
    outputs : dict of str to Path
        Every file written, by name: ``comments``, ``ingest_log``, ``coded_csv``,
        ``coded_parquet``, ``uncoded``, ``workbook``, ``html``, ``docx``, ``chart:<name>``
        (the PNG; its SVG is beside it) and, written last, ``manifest``.
    """

    ingested: IngestResult
    coding: CodingSummary
    outputs: dict[str, Path] = field(default_factory=dict)


def _exercises_for(settings: Settings, register: SessionRegister | None) -> Exercises | None:
    """Load the first exercise workbook the settings name, if there is one."""
    for pattern in settings.exercises:
        for path in sorted(settings.folder.glob(pattern)):
            if path.suffix.lower() == ".xlsx":
                events = list(register.sessions["session_name"]) if register is not None else None
                return load_exercises(path, events=events)
    return None


def _no_comments(ingested: IngestResult, log: Path) -> NoCommentsError:
    """The error for inputs that gave no comment: every file failed, or none held a comment."""
    if ingested.errors:
        n = len(ingested.errors)
        message = (
            f"no comment to code: the inputs gave {n} {'error' if n == 1 else 'errors'} (listed above) and no "
            "comment; fix the files and run again"
        )
    else:
        message = f"no comment to code: every input row is blank or not a comment (see {log})"
    return NoCommentsError(message, ingested.errors)


def _settings_date(project: Settings) -> dt.date | None:
    """The report date of the settings file (``report: {date: 2022-09-30}``) when it is a YYYY-MM-DD date, else None.

    Such a date is the generation date of every output, so a project re-run on another
    day gives the same files.
    """
    try:
        return dt.date.fromisoformat(project.report.date.strip())
    except ValueError:
        return None


def run_pipeline(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    codebook: Codebook | str | Path | None = None,
    model: str | Path | None = None,
    method: str = "hybrid",
    settings: str | Path | Settings | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    date: dt.date | str | None = None,
    decisions: str | Path | None = None,
    client: Any = None,
) -> PipelineResult:
    """Ingest, code and publish a consultation into ``out_dir``.

    Writes the comments table (redacted text only) and the ingest log, the
    coded table (CSV, Parquet, and the uncoded comments), the theme-count
    workbook, the charts and the report (HTML and Word), each to a temporary
    name renamed into place, and last the run manifest
    (:mod:`tcs_themes.run_manifest`), after deleting the previous run's
    manifest first. The same inputs and date give byte-identical files.

    Parameters
    ----------
    inputs : sequence of path
        Files, folders or globs of session notes and emails (anything
        :func:`tcs_themes.ingest.ingest` reads).
    out_dir : str or Path
        The output folder (created if needed; earlier outputs are replaced).
    codebook : Codebook, path or None
        The codebook; None uses the bundled default.
    model : path or None
        A ``.skops`` model; None uses the model shipped with the package.
    method : {"hybrid", "rules", "model"}
        How comments are coded.
    settings : path or Settings, optional
        Project settings; by default the ``tcs-themes.yaml`` of an input folder
        (or the current folder), which names the sessions register and the
        4Ps exercise workbook.
    workers : int, default 1
        Processes coding in parallel.
    progress : callable, optional
        Called with the number of comments in each coded batch.
    date : date or str, optional
        The generation date (``YYYY-MM-DD``) the outputs carry; default
        ``SOURCE_DATE_EPOCH``, else today (UTC).
    decisions : path, optional
        A review decisions log (``review apply``): the latest decision on each
        comment replaces its codes before anything is counted or published.
    client : distributed.Client, optional
        Code on this Dask cluster (:mod:`tcs_themes.coding.dask_files`) instead of
        ``workers`` processes: the same codes; comments.parquet is then written in
        row groups of :data:`PARTITION_ROWS` (the partitions) and coded.parquet is a
        Parquet dataset (a folder).

    Returns
    -------
    PipelineResult

    Raises
    ------
    NoCommentsError
        If no input gave a comment (every file failed, or none held one); its
        ``problems`` are the per-file errors. The ingest log is written first.
    OutputFileError
        If ``out_dir`` cannot be created or written to.
    TcsError
        If the settings, register, codebook or model cannot be used. Other bad
        input files do not raise: they are in ``result.ingested.errors``.
    """
    stated = stated_date(date)  # a bad date is an error before anything is written
    out = writable_folder(out_dir)
    remove_manifest(out)
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    project = resolve_settings(settings, inputs)
    stated = stated or _settings_date(project)
    when = generation_date(stated)
    comments_path = out / COMMENTS_FILE  # written a part at a time: the comments are never all in memory
    ingested = ingest(
        [str(p) for p in inputs], settings=project, comments_to=comments_path, row_group_size=PARTITION_ROWS if client else None
    )
    outputs = {"comments": comments_path, "ingest_log": write_table(ingested.log, out / INGEST_LOG_FILE)}
    if not int(ingested.files["kept"].sum()):
        raise _no_comments(ingested, outputs["ingest_log"])
    if client is not None:
        from tcs_themes.coding.dask_cluster import coder_recipe
        from tcs_themes.coding.dask_files import code_files_on_dask

        recipe = coder_recipe(book, model, method)
        coding = code_files_on_dask([outputs["comments"]], out, client, recipe, progress=progress, decisions=decisions)
    else:
        coder = coder_for(book, model, method=method)
        coding = code_files([outputs["comments"]], out, coder, workers=workers, progress=progress, decisions=decisions)
    outputs.update({f"coded_{key}" if key in ("csv", "parquet") else key: path for key, path in coding.outputs.items()})
    register = load_register(project.register) if project.register else None
    method_info = {
        "Input files": ", ".join(str(p) for p in inputs),
        "Settings file": str(project.path or "none"),
        "Model": str(model or f"{DEFAULT_MODEL.name} (bundled)") if method != "rules" else "none (rules only)",
        "Coding method": method,
    }
    method_info["Read, not counted as comments"] = f"{len(ingested.log):,} entries, each with its reason, in {INGEST_LOG_FILE}"
    if decisions is not None:
        method_info["Review decisions"] = f"{decisions} ({coding.reviewed} comments coded by review)"
    method_info = {key: str(redact_label(value)) for key, value in method_info.items()}  # paths can name people
    from tcs_themes.outputs.publish import publish  # matplotlib and python-docx load only here

    coded_path = outputs["coded_parquet"]

    def batches() -> Iterator[pd.DataFrame]:  # the coded table is read in batches, never whole
        return read_table_batches(coded_path)

    candidates, counts, digest = _published_tallies(batches(), book, register, project)
    published = publish(
        None,
        book,
        out,
        register=register,
        exercises=_exercises_for(project, register),
        method_info=method_info,
        date=when,
        settings=project.report,
        comment_batches=batches,
        candidates=candidates,
        counts=counts,
        digest=digest,
        logged=ingested.log["reason"].value_counts().to_dict(),
    )
    outputs.update(published)
    settings_used = {
        "method": method,
        "date": stated.isoformat() if stated else None,  # no clock time unless one was stated
        "codebook": {"name": book.name, "fingerprint": book.fingerprint()},
        "model": _model_entry(model, method),
    }
    written = [*outputs.values(), *(path.with_suffix(".svg") for name, path in outputs.items() if name.startswith("chart:"))]
    counts = {"files": len(ingested.files), "files_failed": int(ingested.files["error"].notna().sum()),
              "comments": coding.comments, "coded": coding.coded, "uncoded": coding.uncoded,
              "logged_rows": len(ingested.log)}  # fmt: skip
    outputs["manifest"] = write_manifest(
        out, inputs=_input_entries(ingested), counts=counts, outputs=written, settings=settings_used
    )
    return PipelineResult(ingested=ingested, coding=coding, outputs=outputs)


def _published_tallies(
    batches: Iterable[pd.DataFrame], book: Codebook, register: SessionRegister | None, project: Settings
) -> tuple[pd.DataFrame, ThemeCounts, CodedDigest]:
    """The quote pool, the counts and the digest of the coded table, in one pass over its batches.

    Each comment is scanned for special-category details once (:func:`special_categories`),
    for both the quote candidates and the digest's "Quotes to review" list.
    """
    from tcs_themes.analysis.counts import CountTally
    from tcs_themes.analysis.quote_pool import QuotePool
    from tcs_themes.analysis.special_category import special_categories
    from tcs_themes.outputs.coded_digest import DigestTally

    report = project.report
    pool = QuotePool(book.ids, approved=report.approve, banned=report.ban, pinned=report.pin, drop=SHEET_ONLY_COLUMNS)
    tally, digest = CountTally(book), DigestTally(book, approved=report.approve)
    for batch in batches:
        special = special_categories(batch["text"])
        pool.add(batch, special)  # bounded: at most so many per scope and theme
        tally.add(batch)  # running totals
        digest.add(batch, special)
    return pool.candidates, tally.counts(register), digest.digest()


def _model_entry(model: str | Path | None, method: str) -> dict[str, Any] | None:
    """The model file's name and fingerprint for the manifest (None when only rules code)."""
    if method == "rules":
        return None
    path = Path(model) if model is not None else DEFAULT_MODEL
    return {"file": path.name if model is None else str(model), **file_digest(path)}


def _input_entries(ingested: IngestResult) -> list[dict[str, Any]]:
    """One manifest entry per input file: as given, its kind, size, hash and row counts."""
    entries = []
    for row in ingested.files.to_dict("records"):
        source = Path(row["source_file"])
        entry: dict[str, Any] = {"source_file": row["source_file"], "kind": row["kind"]}
        if source.is_file():
            entry.update(file_digest(source))
        entry.update({name: int(row[name]) for name in ("rows_read", "kept", "blank", "duplicates", "failed")})
        entry["error"] = isinstance(row.get("error"), str)
        entries.append(entry)
    return entries

