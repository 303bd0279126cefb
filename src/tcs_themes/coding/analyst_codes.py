"""Human codes win: theme codes that came with the input become the comment's codes.

Ingest keeps an analyst's theme cells (the main theme, then the further themes)
in the comments table's ``analyst_codes`` column, as written. When a comment
is coded, its labels are resolved against the codebook (ids or names, any case
and spacing, sub-themes to their parent, ``none`` / ``uncoded`` for "no
theme", exactly as ``train`` reads them) and replace the machine's codes:
``code_source`` is ``analyst``, every ``sources`` entry ``analyst``,
``confidence`` 1.0 and the evidence says "analyst's code". The rules and the
model still score the comment: the ``score_<theme>`` columns and
``machine_themes`` keep what the machine would have given, so the two can be
compared (``tcs-themes agree``) and reviewed.

A label the codebook lacks is never dropped silently: the comment keeps the
machine's codes (``code_source`` ``machine``, its ``analyst_codes`` cell
unchanged) and a :class:`CodeProblem` names the file, the row and the close
matches, for the caller to report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.coded_table import coded_frame
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.errors import LabelsError
from tcs_themes.ingest.columns import SYNONYMS, header_key
from tcs_themes.ingest.labels import ThemeResolver, theme_labels
from tcs_themes.ingest.redaction import redact
from tcs_themes.schema import (
    ANALYST_CODES,
    CODE_SOURCE_ANALYST,
    CODED_COLUMNS,
    LIST_SEPARATOR,
    SCORE_PREFIX,
    SOURCE_ANALYST,
    UNCODED,
    split_list,
)

#: Labels are looked up (and shown in messages) up to this many characters.
_LABEL_CHARS = 120
#: How many rows a problem message lists before "and N more", and how many messages are listed in all.
_ROWS_SHOWN = 5
_MESSAGES_SHOWN = 20


@dataclass(frozen=True)
class CodeProblem:
    """An analyst's label that is not in the codebook.

    Attributes
    ----------
    path : str
        The input file (``source_file``), or ``"comments"`` for a table without one.
    where : str
        The comment's location (``Partners 1!R12``), else its ``comment_id``, else its row number in the table.
    problem : str
        What is wrong, with the close matches (never comment text).
    """

    path: str
    where: str
    problem: str


def _theme_columns(columns: Iterable[object]) -> list[str]:
    """A table's main-theme column then its further-themes column, found by their usual names.

    The coded table's own columns (``themes``, ``primary_theme``...) are the machine's, never an analyst's.
    """
    found: list[str] = []
    for role in ("theme", "other_themes"):
        wanted = set(SYNONYMS[role])
        match = next(
            (
                str(c)
                for c in columns
                if str(c) not in CODED_COLUMNS and not str(c).startswith(SCORE_PREFIX) and header_key(c) in wanted
            ),
            None,
        )
        if match is not None:
            found.append(match)
    return found


def analyst_labels(comments: pd.DataFrame) -> pd.Series:
    """Return each comment's analyst codes as written (``"; "``-joined, main theme first), or ``<NA>``.

    The ``analyst_codes`` column of an ingested comments table; for a table that
    was not ingested, its main-theme and further-themes columns found by their
    usual names (``Theme``, ``Main theme``, ``Other themes``...).
    """
    if ANALYST_CODES in comments.columns:
        return comments[ANALYST_CODES].astype("string").reset_index(drop=True)
    parts = [comments[c].astype("string").str.strip().replace("", pd.NA) for c in _theme_columns(comments.columns)]
    if not parts:
        return pd.Series(pd.NA, index=range(len(comments)), dtype="string")
    joined = [
        LIST_SEPARATOR.join(str(v) for v in values if not pd.isna(v)) or pd.NA
        for values in zip(*(p.tolist() for p in parts), strict=True)
    ]
    return pd.Series(joined, dtype="string")


def _column_values(comments: pd.DataFrame, name: str) -> list[object]:
    return comments[name].tolist() if name in comments.columns else [None] * len(comments)


def resolve_codes(
    comments: pd.DataFrame, codebook: Codebook
) -> tuple[list[list[str] | None], list[CodeProblem]]:
    """Resolve each comment's analyst codes to theme ids.

    Returns
    -------
    codes : list
        Per comment: its theme ids (main first, no repeats; empty when the
        analyst coded it with no theme), or None when it has no analyst codes
        or one of its labels is not in the codebook.
    problems : list of CodeProblem
        One per unknown label.
    """
    resolver = ThemeResolver(codebook)
    labels: dict[str, str | LabelsError] = {}  # label -> theme id, or its error
    cells: dict[str, tuple[list[str], list[str]]] = {}  # cell -> (theme ids, problems)

    def resolve(label: str) -> str | LabelsError:
        if label not in labels:
            try:
                shown = redact(label[:_LABEL_CHARS])[0]  # a label in a message never carries personal details
                labels[label] = resolver.resolve(shown, "")
            except LabelsError as error:
                labels[label] = error
        return labels[label]

    def resolve_cell(cell: str) -> tuple[list[str], list[str]]:
        if cell not in cells:
            ids: list[str] = []
            errors: list[str] = []
            for label in theme_labels(cell):
                theme = resolve(label)
                if isinstance(theme, LabelsError):
                    errors.append(theme.problem)
                elif theme not in ids:
                    ids.append(theme)
            cells[cell] = (ids, errors)
        return cells[cell]

    codes: list[list[str] | None] = []
    problems: list[CodeProblem] = []
    paths, locations = _column_values(comments, "source_file"), _column_values(comments, "location")
    ids_of = _column_values(comments, "comment_id")
    for row, value in enumerate(analyst_labels(comments).tolist()):
        if pd.isna(value):
            codes.append(None)
            continue
        ids, errors = resolve_cell(str(value))
        codes.append(None if errors else list(ids))
        path, where, comment = paths[row], locations[row], ids_of[row]
        if pd.isna(where):  # the comment's id says which one whatever batch it is coded in; else its row here
            where = f"comment {comment}" if not pd.isna(comment) else f"row {row + 1}"
        for problem in errors:
            problems.append(CodeProblem(str(path) if not pd.isna(path) else "comments", str(where), problem))
    return codes, problems


def _evidence(themes: Sequence[str], machine: set[str]) -> str:
    if not themes:
        return "analyst coded no theme"
    notes = {True: "machine agrees", False: "machine did not give it"}
    return " | ".join(f"{t}: analyst's code ({notes[t in machine]})" for t in themes)


def apply_analyst_codes(
    comments: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook
) -> tuple[pd.DataFrame, list[CodeProblem]]:
    """Return ``codes`` with the analyst's codes in place of the machine's where the comments have them.

    Parameters
    ----------
    comments : pandas.DataFrame
        The comments (with ``analyst_codes``, or a main/further-themes column).
    codes : pandas.DataFrame
        :meth:`HybridCoder.code` output for the same rows, in order.
    codebook : Codebook
        The codebook the analyst's labels must belong to.

    Returns
    -------
    codes : pandas.DataFrame
        The coded columns; analyst-coded rows have ``code_source`` ``analyst``.
    problems : list of CodeProblem
        Labels not in the codebook (those comments keep the machine's codes).
    """
    resolved, problems = resolve_codes(comments, codebook)
    rows = [i for i, ids in enumerate(resolved) if ids is not None]
    if not rows:
        return codes, problems
    out = codes.reset_index(drop=True).copy()
    columns = {name: out[name].astype(object).tolist() for name in CODED_COLUMNS}
    for i in rows:
        ids = resolved[i] or []
        machine = set(split_list(columns["machine_themes"][i]))
        columns["themes"][i] = LIST_SEPARATOR.join(ids) or UNCODED
        columns["primary_theme"][i] = ids[0] if ids else UNCODED
        columns["confidence"][i] = 1.0
        columns["n_themes"][i] = len(ids)
        columns["sources"][i] = LIST_SEPARATOR.join([SOURCE_ANALYST] * max(len(ids), 1))
        columns["subthemes"][i] = LIST_SEPARATOR.join(s for s in split_list(columns["subthemes"][i]) if s.split("/", 1)[0] in ids)
        columns["evidence"][i] = _evidence(ids, machine)
        columns["code_source"][i] = CODE_SOURCE_ANALYST
    for name, dtype in CODED_COLUMNS.items():
        out[name] = pd.array(columns[name], dtype=dtype)
    return out, problems


def code_table(coder: HybridCoder, comments: pd.DataFrame, text_column: str = "text") -> tuple[pd.DataFrame, list[CodeProblem]]:
    """Code a batch of comments into the coded table, the analyst's codes winning where there are any.

    Raises
    ------
    ValueError
        If the table lacks a context column the classifier reads.
    """
    codes = coder.code(coder.inputs(comments, text_column))
    codes, problems = apply_analyst_codes(comments, codes, coder.codebook)
    return coded_frame(comments, codes), problems


def problem_messages(problems: Sequence[CodeProblem]) -> list[str]:
    """One line per file and problem, listing the rows, e.g. ``notes.xlsx (Partners 1!R3, ...): theme 'x' ...``."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        grouped.setdefault((problem.path, problem.problem), []).append(problem.where)
    lines = []
    for (path, problem), places in list(grouped.items())[:_MESSAGES_SHOWN]:
        shown = ", ".join(places[:_ROWS_SHOWN])
        more = f" and {len(places) - _ROWS_SHOWN} more" if len(places) > _ROWS_SHOWN else ""
        keeps = "That comment keeps" if len(places) == 1 else "Those comments keep"
        end = "" if problem.endswith(("?", ".")) else "."
        lines.append(f"{path} ({shown}{more}): the analyst's {problem}{end} {keeps} the machine's codes until it is fixed.")
    if len(grouped) > _MESSAGES_SHOWN:
        rest = list(grouped.values())[_MESSAGES_SHOWN:]
        lines.append(
            f"... and {len(rest)} more theme labels not in the codebook, in {sum(map(len, rest))} more places; "
            "those comments keep the machine's codes too. Fix the labels above first, then run again."
        )
    return lines
