"""``tcs-themes review export``: queue the comments most worth an analyst's look into a review workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.coded_table import read_coded
from tcs_themes.coding.model.model_io import DEFAULT_MODEL, load_model
from tcs_themes.errors import UsageError
from tcs_themes.ingest.plain_tables import redact_coded
from tcs_themes.review.queue import STRATEGIES, select_for_review
from tcs_themes.review.workbook import MAX_REVIEW_ROWS, file_fingerprint, write_review_workbook
from tcs_themes.schema import CODE_SOURCE_COLUMN, CODE_SOURCE_MACHINE, UNCODED


@dataclass
class ReviewExport:
    """What :func:`export_review` wrote.

    Attributes
    ----------
    path : Path
        The review workbook.
    batch_id : str
        The review batch's id (recorded with every decision applied from it).
    rows : int
        Comments queued.
    eligible : int
        Comments the strategy could choose from.
    queued_by_source : dict of str to int
        Queued comments by who coded them (``machine``, ``analyst``, ``review``).
    uncoded : int
        Queued comments the machine left uncoded.
    """

    path: Path
    batch_id: str
    rows: int
    eligible: int
    queued_by_source: dict[str, int]
    uncoded: int


def export_review(
    coded_path: str | Path,
    out: str | Path,
    codebook: Codebook,
    *,
    model: str | Path | None = None,
    n: int = 200,
    strategy: str = "active",
    seed: int = 0,
) -> ReviewExport:
    """Write a review workbook of the ``n`` coded comments most worth reviewing.

    Parameters
    ----------
    coded_path : str or Path
        The coded table (``coded.parquet`` or ``coded.csv`` from ``code`` or ``run``).
    out : str or Path
        The ``.xlsx`` workbook to write.
    codebook : Codebook
        The codebook the table was coded with.
    model : str, Path or None
        The model that coded it (its thresholds rank the comments; its fingerprint is
        recorded); None: the bundled model.
    n : int, default 200
        Comments to queue (1 to :data:`MAX_REVIEW_ROWS`).
    strategy : str, default "active"
        One of :data:`tcs_themes.review.queue.STRATEGIES`.
    seed : int, default 0
        Seed of the ``random`` strategy.

    Returns
    -------
    ReviewExport

    Raises
    ------
    UsageError
        For an unknown strategy or ``n`` out of range.
    InputFileError
        If the coded table cannot be read or lacks score columns for the codebook's themes.
    ModelError
        If the model cannot be loaded or was trained with another codebook.
    """
    if strategy not in STRATEGIES:
        raise UsageError(f"--strategy must be one of {', '.join(STRATEGIES)}, not '{strategy}'")
    if not 1 <= n <= MAX_REVIEW_ROWS:
        raise UsageError(f"--n must be between 1 and {MAX_REVIEW_ROWS}, not {n}")
    source = Path(coded_path)
    coded = read_coded(source, codebook.ids)
    model_path = Path(model) if model is not None else DEFAULT_MODEL
    thresholds = np.asarray(load_model(model_path, codebook).model.thresholds_, dtype=np.float64)
    rows = select_for_review(coded, codebook.ids, thresholds, n=n, strategy=strategy, seed=seed)
    queued = redact_coded(coded.iloc[rows])  # a hand-edited table's typed details stay out of the workbook
    key = write_review_workbook(
        out, queued, codebook, thresholds, model_fingerprint=file_fingerprint(model_path), strategy=strategy,
        coded_file=source.name,
    )  # fmt: skip
    sources = queued[CODE_SOURCE_COLUMN].astype(str)
    counts = sources.value_counts().to_dict()
    machine_uncoded = int(((sources == CODE_SOURCE_MACHINE) & (queued["themes"].astype(str) == UNCODED)).sum())
    by_machine = coded[CODE_SOURCE_COLUMN] == CODE_SOURCE_MACHINE
    eligible = int((~by_machine).sum()) if strategy == "disagree" else int(by_machine.sum())
    by_source = {k: int(v) for k, v in sorted(counts.items())}
    return ReviewExport(Path(out), key.batch_id, len(rows), eligible, by_source, machine_uncoded)
