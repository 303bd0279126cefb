"""The decisions log: an append-only record of every review decision, and applying it to a coded table.

The log is a Parquet file (the record the toolkit reads) with a CSV copy beside
it for people. Each row is one decision: which comment, the themes before and
after, who decided, when, with which model and codebook, the model's scores,
and the review batch it came from. Rows are only ever added; a later decision
on a comment supersedes an earlier one (the last row for a comment wins), and
both stay in the log.

:func:`apply_decisions` gives a freshly coded table every correction in a log,
so re-running ``code`` or ``run`` with ``--decisions`` keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from tcs_themes.coding.coded_table import with_code_sources
from tcs_themes.codebook.model import Codebook
from tcs_themes.errors import InputFileError, LabelsError
from tcs_themes.ingest.labels import CodedLabels, concat_labels
from tcs_themes.outputs.reproducible import epoch_moment
from tcs_themes.schema import (
    CODE_SOURCE_COLUMN, CODE_SOURCE_REVIEW, LIST_SEPARATOR, MACHINE_THEMES_COLUMN, SOURCE_ANALYST, UNCODED, split_list,
)
from tcs_themes.tables import read_table, write_table

#: The decisions log's columns, in order (all text).
LOG_COLUMNS = (
    "batch_id",  # the review batch (workbook) the decision came from
    "comment_id",
    "decision",  # accept, change or reject
    "themes_before",  # the comment's themes in the coded table when the decision was applied
    "themes_after",  # the themes the reviewer settled on ("uncoded" when none fits)
    "machine_themes",  # the machine's own themes
    "reviewer",
    "note",
    "timestamp",  # ISO 8601, UTC: SOURCE_DATE_EPOCH when set, else the clock
    "model_fingerprint",
    "codebook_fingerprint",
    "scores",  # the model's score per theme, as JSON
    "review_file",  # the workbook's file name and row: "review.xlsx (sheet Review, row 5)"
    "text",  # the (redacted) comment text, so the log can teach a model on its own
    "question",
    "session_id",
)
LOG_SUFFIX = ".parquet"
DECISIONS = ("accept", "change", "reject")


def timestamp_now() -> str:
    """Return the time to record, ISO 8601 in UTC: ``SOURCE_DATE_EPOCH`` when set, else the clock.

    The log records when a decision was applied; ``SOURCE_DATE_EPOCH`` (the
    reproducible-builds convention) pins it for tests and for byte-identical reruns;
    a value that is not a Unix time is refused, as for the outputs' date.

    Raises
    ------
    UsageError
        If ``SOURCE_DATE_EPOCH`` is set but is not a Unix time in whole seconds.
    """
    moment = epoch_moment() or datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def empty_log() -> pd.DataFrame:
    """Return an empty decisions log."""
    return pd.DataFrame({name: pd.Series(dtype="string") for name in LOG_COLUMNS})


def read_log(path: str | Path, *, missing_ok: bool = True) -> pd.DataFrame:
    """Read a decisions log (its ``.parquet`` file, or the ``.csv`` copy).

    A missing file is an empty log when ``missing_ok`` (a log about to be started), else an error.

    Raises
    ------
    InputFileError
        If the file is missing (and not ``missing_ok``) or is not a decisions log.
    """
    source = Path(path)
    if not source.exists():
        if not missing_ok:
            raise InputFileError(str(source), "decisions log not found; give the decisions.parquet 'review apply' wrote")
        return empty_log()
    frame = read_table(source)
    missing = [name for name in LOG_COLUMNS if name not in frame.columns]
    if missing:
        raise InputFileError(
            str(source), f"not a decisions log (no {', '.join(missing[:3])} column); give the log 'review apply' wrote"
        )
    return frame[list(LOG_COLUMNS)].astype("string")


def csv_copy(path: Path) -> Path:
    """The CSV copy of the log ``path`` (same name, ``.csv``)."""
    return path.with_suffix(".csv")


def append_log(path: str | Path, rows: pd.DataFrame) -> pd.DataFrame:
    """Append ``rows`` to the log at ``path`` (created if missing), rewrite its CSV copy; return the whole log.

    Both files are written to a temporary name first and then renamed into place.

    Raises
    ------
    InputFileError
        If ``path`` does not end in ``.parquet`` or the existing file is not a decisions log.
    """
    target = Path(path)
    if target.suffix.lower() != LOG_SUFFIX:
        raise InputFileError(str(target), "the decisions log must end in .parquet (a .csv copy is written beside it)")
    log = read_log(target)
    if len(rows):
        log = pd.concat([log, rows[list(LOG_COLUMNS)].astype("string")], ignore_index=True)
    write_table(log, target)  # each written to a temporary name, then renamed
    write_table(log, csv_copy(target))
    return log


def latest_decisions(log: pd.DataFrame) -> pd.DataFrame:
    """Return the last decision per comment (the one in force), in log order."""
    return log.drop_duplicates("comment_id", keep="last").reset_index(drop=True)


@dataclass
class DecisionsApplied:
    """What :func:`apply_decisions` did.

    Attributes
    ----------
    coded : pandas.DataFrame
        The coded table with every decision in force applied.
    applied : int
        Comments whose codes now come from a review decision.
    not_in_table : int
        Comments with a decision in force that are not in this coded table.
    """

    coded: pd.DataFrame
    applied: int
    not_in_table: int


def apply_decisions(coded: pd.DataFrame, log: pd.DataFrame) -> DecisionsApplied:
    """Give the comments of ``coded`` the latest review decision on each of them.

    A reviewed comment gets the decision's themes (``uncoded`` when the reviewer
    said no theme fits), ``code_source`` ``review``, ``analyst`` as the source of
    each theme, confidence 1, and evidence naming the decision and reviewer; its
    ``machine_themes`` and score columns stay the machine's. Sub-themes of themes
    the reviewer removed are dropped.

    Parameters
    ----------
    coded : pandas.DataFrame
        A coded table (tables from before ``code_source`` existed are read as all
        ``machine``, see :func:`tcs_themes.coding.coded_table.with_code_sources`).
    log : pandas.DataFrame
        A decisions log (:func:`read_log`).

    Returns
    -------
    DecisionsApplied
    """
    out = with_code_sources(coded).reset_index(drop=True)
    latest = latest_decisions(log)
    if latest.empty:
        return DecisionsApplied(out, 0, 0)
    position = pd.Series(np.arange(len(out)), index=out["comment_id"].astype(str))
    position = position[~position.index.duplicated()]
    found = latest["comment_id"].isin(position.index)
    chosen = latest[found]
    rows = position.loc[chosen["comment_id"]].to_numpy()
    for column in ("themes", "primary_theme", "sources", "subthemes", "evidence", CODE_SOURCE_COLUMN, MACHINE_THEMES_COLUMN):
        out[column] = out[column].astype("string")
    after = [split_list(value) or [UNCODED] for value in chosen["themes_after"]]
    coded_after = [themes != [UNCODED] for themes in after]
    out.loc[rows, "themes"] = [LIST_SEPARATOR.join(themes) for themes in after]
    out.loc[rows, "primary_theme"] = [themes[0] for themes in after]
    out.loc[rows, "n_themes"] = [len(themes) if keep else 0 for themes, keep in zip(after, coded_after, strict=True)]
    out.loc[rows, "confidence"] = [1.0 if keep else 0.0 for keep in coded_after]
    out.loc[rows, "sources"] = [
        LIST_SEPARATOR.join([SOURCE_ANALYST] * len(themes)) if keep else UNCODED
        for themes, keep in zip(after, coded_after, strict=True)
    ]
    out.loc[rows, "subthemes"] = [
        LIST_SEPARATOR.join(s for s in split_list(old) if s.split("/", 1)[0] in themes)
        for old, themes in zip(out.loc[rows, "subthemes"], after, strict=True)
    ]
    out.loc[rows, "evidence"] = [
        f"review: {decision} by {reviewer} ({stamp[:10]}, batch {batch})"
        for decision, reviewer, stamp, batch in zip(
            chosen["decision"], chosen["reviewer"], chosen["timestamp"], chosen["batch_id"], strict=True
        )
    ]
    out.loc[rows, CODE_SOURCE_COLUMN] = CODE_SOURCE_REVIEW
    out["n_themes"] = out["n_themes"].astype("Int64")
    return DecisionsApplied(out, len(chosen), int((~found).sum()))


def decision_labels(log: pd.DataFrame, codebook: Codebook, context_columns: Sequence[str] = (), source: str = "decisions log") -> CodedLabels:
    """Return the decisions in force as training labels: each reviewed comment's text and themes.

    A ``reject`` is a comment with no theme (all zeros). The comments' sessions group
    cross-validation folds; ``question`` is the only context column the log holds
    (others are empty).

    Raises
    ------
    LabelsError
        If a decision names a theme the codebook lacks (the log belongs to another codebook).
    """
    latest = latest_decisions(log)
    ids = list(codebook.ids)
    position = {theme: i for i, theme in enumerate(ids)}
    Y = np.zeros((len(latest), len(ids)), dtype=np.int8)
    for row, (value, where) in enumerate(zip(latest["themes_after"], latest["review_file"], strict=True)):
        for theme in split_list(value):
            if theme == UNCODED:
                continue
            if theme not in position:
                raise LabelsError(source, f"theme '{theme}' is not in the codebook '{codebook.name}'; train with the codebook the decisions were made with", where)
            Y[row, position[theme]] = 1
    sessions = latest["session_id"].fillna("").astype(str).tolist()
    return CodedLabels(
        texts=latest["text"].fillna("").astype(str).tolist(),
        Y=pd.DataFrame(Y, columns=ids),
        comment_ids=latest["comment_id"].astype(str).tolist(),
        groups=sessions if any(sessions) else None,
        primary=None,
        sources=[f"{source} ({where})" for where in latest["review_file"].fillna("")],
        context={
            name: latest["question"].fillna("").astype(str).tolist() if name == "question" else [""] * len(latest)
            for name in context_columns
        },
    )


def with_decisions(labels: CodedLabels, decided: CodedLabels) -> CodedLabels:
    """Return ``labels`` with every comment that has a review decision replaced by the decision.

    A comment of ``labels`` is the same as a decided one when their comment ids match
    (when ``labels`` has ids) or, failing that, their texts.
    """
    ids = set(decided.comment_ids or [])
    texts = set(decided.texts)
    keep = [
        not ((labels.comment_ids is not None and labels.comment_ids[i] in ids) or labels.texts[i] in texts)
        for i in range(len(labels))
    ]

    def picked(values: list[str] | None) -> list[str] | None:
        return None if values is None else [v for v, k in zip(values, keep, strict=True) if k]

    kept = CodedLabels(
        texts=picked(labels.texts) or [],
        Y=labels.Y[keep].reset_index(drop=True),
        comment_ids=picked(labels.comment_ids),
        groups=picked(labels.groups),
        primary=picked(labels.primary),
        sources=picked(labels.sources) or [],
        skipped=dict(labels.skipped),
        warnings=list(labels.warnings),
        context={name: picked(values) for name, values in labels.context.items()},
    )
    return concat_labels([kept, decided])
