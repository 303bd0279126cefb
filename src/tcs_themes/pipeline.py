"""The main job end to end: ingest, code, count, export and report a consultation.

``run_pipeline`` is what ``tcs-themes run`` calls; each step is a library
function of its own, so a notebook can run them one by one instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tcs_themes.codebook import Codebook, load_codebook
from tcs_themes.coding.model.model_io import DEFAULT_MODEL, coder_for
from tcs_themes.coding.stream import CodingSummary, code_files
from tcs_themes.config import Settings, resolve_settings
from tcs_themes.ingest import IngestResult, ingest
from tcs_themes.ingest.exercises import Exercises, load_exercises
from tcs_themes.ingest.register import SessionRegister, load_register
from tcs_themes.tables import read_table, write_table

COMMENTS_FILE = "comments.parquet"
INGEST_LOG_FILE = "ingest-log.csv"


@dataclass
class PipelineResult:
    """What :func:`run_pipeline` did.

    Attributes
    ----------
    ingested : IngestResult
        The ingest step's result (comments, log, per-file report, errors).
    coding : CodingSummary
        The coding step's summary (comments, coded, uncoded, themes per comment).
    outputs : dict of str to Path
        Every file written, by name: ``comments``, ``ingest_log``, ``coded_csv``,
        ``coded_parquet``, ``uncoded``, ``workbook``, ``html``, ``docx`` and ``chart:<name>``.
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
) -> PipelineResult:
    """Ingest, code and publish a consultation into ``out_dir``.

    Writes the comments table (redacted text only) and the ingest log, the
    coded table (CSV, Parquet, and the uncoded comments), the theme-count
    workbook, the charts and the report (HTML and Word).

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

    Returns
    -------
    PipelineResult

    Raises
    ------
    TcsError
        If the settings, register, codebook or model cannot be used. Bad input
        files do not raise: they are in ``result.ingested.errors``.
    """
    out = Path(out_dir)
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    project = resolve_settings(settings, inputs)
    ingested = ingest([str(p) for p in inputs], settings=project)
    outputs = {
        "comments": write_table(ingested.comments, out / COMMENTS_FILE),
        "ingest_log": write_table(ingested.log, out / INGEST_LOG_FILE),
    }
    coder = coder_for(book, model, method=method)
    coding = code_files([outputs["comments"]], out, coder, workers=workers, progress=progress)
    outputs.update({f"coded_{key}" if key in ("csv", "parquet") else key: path for key, path in coding.outputs.items()})
    register = load_register(project.register) if project.register else None
    method_info = {
        "Input files": ", ".join(str(p) for p in inputs),
        "Settings file": str(project.path or "none"),
        "Model": str(model or f"{DEFAULT_MODEL.name} (bundled)") if method != "rules" else "none (rules only)",
        "Coding method": method,
    }
    from tcs_themes.outputs.publish import publish  # matplotlib and python-docx load only here

    published = publish(
        read_table(outputs["coded_parquet"]),
        book,
        out,
        register=register,
        exercises=_exercises_for(project, register),
        method_info=method_info,
        settings=project.report,
    )
    outputs.update(published)
    return PipelineResult(ingested=ingested, coding=coding, outputs=outputs)

