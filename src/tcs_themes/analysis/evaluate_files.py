"""Evaluate coded files: an analyst's file against a model, or against a machine-coded file.

The file-level layer over :func:`tcs_themes.analysis.evaluation.evaluate_coding`:
it reads the codes, lines the two sides up (by ``comment_id`` when both files
have one, otherwise row by row) and writes the result tables to xlsx or CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tcs_themes.analysis.codings import split_spec
from tcs_themes.analysis.evaluation import Evaluation, evaluate_coding
from tcs_themes.atomic_write import atomic_path
from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.coded_table import themes_matrix
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.ingest.labels import CodedLabels, read_labels
from tcs_themes.errors import CodingInputError
from tcs_themes.formulas import defuse_frame
from tcs_themes.schema import UNCODED
from tcs_themes.tables import TABLE_SUFFIXES, write_table

MACHINE_THEME_COLUMN = "themes"


def _machine_labels(spec: str | Path, codebook: Codebook) -> CodedLabels:
    """Read a coded table's ``themes`` column, or the column ``spec`` names (``coded.parquet:machine_themes``).

    Analyst columns carried through the table are ignored.
    """
    path, column = split_spec(spec)
    header: list[str] = []
    if path.suffix.lower() in TABLE_SUFFIXES:
        from tcs_themes.tables import read_table

        header = [str(c) for c in read_table(path).columns]
    if column is not None and column not in header:
        raise CodingInputError(str(path), f"no '{column}' column; the columns are: {', '.join(header)}")
    columns = [column] if column else ([MACHINE_THEME_COLUMN] if MACHINE_THEME_COLUMN in header else None)
    return read_labels(path, codebook, theme_columns=columns, keep_unlabelled=True)


def align(human: CodedLabels, machine: CodedLabels, human_path: str, machine_path: str) -> CodedLabels:
    """Return ``machine`` reordered to match ``human``'s rows.

    Rows are matched by ``comment_id`` when both sides have one, else by position.

    Raises
    ------
    CodingInputError
        If the two files cannot be lined up.
    """
    if human.comment_ids and machine.comment_ids and all(human.comment_ids) and all(machine.comment_ids):
        where = {cid: i for i, cid in enumerate(machine.comment_ids)}
        missing = [cid for cid in human.comment_ids if cid not in where]
        if missing:
            raise CodingInputError(
                machine_path, f"{len(missing)} comment_id(s) of {human_path} are missing, e.g. {missing[0]}"
            )
        order = [where[cid] for cid in human.comment_ids]
        return CodedLabels(
            texts=[machine.texts[i] for i in order],
            Y=machine.Y.iloc[order].reset_index(drop=True),
            comment_ids=list(human.comment_ids),
            groups=None,
            primary=[machine.primary[i] for i in order] if machine.primary else None,
            sources=[machine.sources[i] for i in order],
        )
    if len(human) != len(machine):
        raise CodingInputError(
            machine_path,
            f"has {len(machine)} coded comments but {human_path} has {len(human)}; "
            "give both files a comment_id column or the same rows in the same order",
        )
    return machine


def evaluate_files(
    human_path: str | Path,
    codebook: Codebook,
    *,
    machine_path: str | Path | None = None,
    coder: HybridCoder | None = None,
    text_column: str | None = None,
    theme_columns: Sequence[str] | None = None,
    top_confusions: int = 10,
    ignore_unknown_themes: bool = False,
) -> Evaluation:
    """Score machine codes against an analyst-coded file.

    Parameters
    ----------
    human_path : path
        The analyst-coded file (any shape :func:`read_labels` understands).
    codebook : Codebook
    machine_path : path, optional
        A machine-coded table (``tcs-themes code`` output) to compare with: its
        ``themes`` column, or another theme column as ``FILE:COLUMN`` (e.g.
        ``coded.parquet:machine_themes``, the machine's own codes where
        ``themes`` holds an analyst's).
    coder : HybridCoder, optional
        Used to code the analyst file's texts when ``machine_path`` is not given
        (with the file's context columns, for a model that reads them).
    text_column, theme_columns, ignore_unknown_themes
        For the analyst file, see :func:`read_labels`.
    top_confusions : int, default 10

    Returns
    -------
    Evaluation
    """
    coding = coder is not None and machine_path is None
    human = read_labels(
        human_path,
        codebook,
        text_column=text_column,
        theme_columns=theme_columns,
        context_columns=coder.required_context_columns if coding else (),
        ignore_unknown_themes=ignore_unknown_themes,
        optional_context_columns=coder.optional_context_columns if coding else (),
    )
    if machine_path is not None:
        machine = align(human, _machine_labels(machine_path, codebook), str(human_path), str(machine_path))
        machine_Y, machine_primary = machine.Y, machine.primary
    elif coder is not None:
        codes = coder.code(human.inputs())
        machine_Y = pd.DataFrame(themes_matrix(codes, codebook.ids), columns=codebook.ids)
        machine_primary = [p if p != UNCODED else "" for p in codes["primary_theme"]]
    else:
        raise ValueError("give machine_path or coder")
    evaluation = evaluate_coding(
        human.Y,
        machine_Y,
        codebook,
        human_primary=human.primary,
        machine_primary=machine_primary,
        top_confusions=top_confusions,
    )
    evaluation.warnings.extend(human.warnings)
    return evaluation


def write_evaluation(evaluation: Evaluation, path: str | Path) -> list[Path]:
    """Write the evaluation tables: one workbook (``.xlsx``) or three CSV files (``.csv``).

    For ``report.csv`` the files are ``report.csv`` (per theme),
    ``report-averages.csv`` and ``report-confusions.csv``.

    Returns
    -------
    list of Path
        The files written.
    """
    target = Path(path)
    tables = evaluation.tables()
    if target.suffix.lower() == ".xlsx":
        with atomic_path(target) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, frame in tables.items():
                defuse_frame(frame).to_excel(writer, sheet_name=name, index=name == "averages")
        return [target]
    if target.suffix.lower() != ".csv":
        raise CodingInputError(str(target), "the evaluation output must end in .xlsx or .csv")
    written = []
    for name, frame in tables.items():
        out = target if name == "per_theme" else target.with_name(f"{target.stem}-{name}.csv")
        written.append(write_table(frame.rename_axis("average").reset_index() if name == "averages" else frame, out))
    return written
