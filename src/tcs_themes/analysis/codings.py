"""Read several codings of the same comments and line them up, for ``tcs-themes agree``.

A *coding* is one coder's themes for a set of comments: an analyst's coded
spreadsheet (anything ``train`` reads), a coded table's ``themes`` column, or
any other theme-list column of a coded table, such as ``machine_themes`` (the
machine's own codes, kept beside an analyst's). The machine is a coder like
any other.

Codings are joined on ``comment_id`` when every one of them has it, else on
the comment text (redacted as ingest redacts it, whitespace normalised; the
k-th copy of a repeated text matches the k-th copy in the other codings).
Comments not in every coding are left out, and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.errors import CodingInputError, UsageError
from tcs_themes.ingest.labels import ThemeResolver, read_labels
from tcs_themes.ingest.redaction import redact
from tcs_themes.schema import UNCODED, split_list
from tcs_themes.tables import TABLE_SUFFIXES, read_table

#: The coded table's theme column, read when a table is given without ``:column``.
DEFAULT_COLUMN = "themes"


@dataclass
class Coding:
    """One coder's themes for a set of comments.

    Attributes
    ----------
    name : str
        The coder's name in the tables (``analyst``, ``machine``, a file stem).
    source : str
        Where it was read from (``coded.parquet:machine_themes``).
    comment_ids : list of str or None
        Each comment's ``comment_id``, when the file has them.
    texts : list of str
        Each comment's text.
    Y : numpy.ndarray of int8, shape (n, k)
        0/1 per codebook theme (codebook order).
    primary : list of str or None
        Each comment's main theme id (``uncoded`` when none), or None when the
        file has no main theme (0/1 theme columns only).
    """

    name: str
    source: str
    comment_ids: list[str] | None
    texts: list[str]
    Y: np.ndarray
    primary: list[str] | None

    def __len__(self) -> int:
        return len(self.texts)


def split_spec(spec: str | Path) -> tuple[Path, str | None]:
    """Split ``"coded.parquet:machine_themes"`` into the file and the column (None when not given).

    A path that exists as given is never split, so file names with a colon still work.
    """
    text = str(spec)
    path, sep, column = text.rpartition(":")
    if not sep or Path(text).exists() or not path or not column or "/" in column or "\\" in column:
        return Path(text), None
    return Path(path), column


def _table_coding(path: Path, frame: pd.DataFrame, column: str, codebook: Codebook, text_column: str) -> Coding:
    """A theme-list column of a table: ids or names, ``"; "``-separated, ``uncoded`` for none."""
    if column not in frame.columns:
        raise CodingInputError(str(path), f"no '{column}' column; the columns are: {', '.join(map(str, frame.columns))}")
    if text_column not in frame.columns:
        raise CodingInputError(str(path), f"no '{text_column}' column; pass --text-column with the comment column")
    resolver = ThemeResolver(codebook)
    position = {theme_id: i for i, theme_id in enumerate(codebook.ids)}
    Y = np.zeros((len(frame), len(position)), dtype=np.int8)
    first: list[str] = []
    for row, value in enumerate(frame[column].tolist()):
        ids = [
            resolver.resolve(label, str(path), f"column {column}, row {row + 2}")
            for label in split_list(value)
            if label.lower() != UNCODED
        ]
        Y[row, [position[t] for t in ids]] = 1
        first.append(ids[0] if ids else UNCODED)
    primary = first
    if column == DEFAULT_COLUMN and "primary_theme" in frame.columns:
        primary = [str(v) if isinstance(v, str) and v else UNCODED for v in frame["primary_theme"].tolist()]
    ids = frame["comment_id"].astype("string").fillna("").tolist() if "comment_id" in frame.columns else None
    texts = frame[text_column].astype("string").fillna("").tolist()
    return Coding(name="", source="", comment_ids=ids, texts=texts, Y=Y, primary=primary)


def read_coding(
    spec: str | Path, codebook: Codebook, *, name: str | None = None, text_column: str | None = None
) -> Coding:
    """Read one coding: a coded table's theme column (``file:column``, default ``themes``) or an analyst's file.

    Parameters
    ----------
    spec : str or Path
        A coded ``.parquet`` / ``.csv`` table (optionally ``:column``, e.g.
        ``coded.parquet:machine_themes``), or an analyst-coded ``.xlsx``,
        ``.csv`` or folder of them (read as ``train`` reads them).
    codebook : Codebook
        The codebook the themes must belong to.
    name : str, optional
        The coder's name (default: the file's stem, plus ``:column`` when given).
    text_column : str, optional
        The comment column (default ``text`` for tables, detected otherwise).

    Raises
    ------
    LabelsError, CodingInputError
        If the file cannot be read, lacks the column, or names a theme the codebook lacks.
    """
    path, column = split_spec(spec)
    default_name = path.stem + (f":{column}" if column else "")
    frame = None
    if path.suffix.lower() in TABLE_SUFFIXES and path.is_file():
        frame = read_table(path)
    coded_table = frame is not None and {DEFAULT_COLUMN, text_column or "text"} <= set(frame.columns)
    if frame is not None and (column is not None or coded_table):
        coding = _table_coding(path, frame, column or DEFAULT_COLUMN, codebook, text_column or "text")
    elif column is not None:
        raise CodingInputError(str(path), f"':{column}' names a column, which only a .parquet or .csv table has")
    else:
        labels = read_labels(path, codebook, text_column=text_column)
        primary = [p or UNCODED for p in labels.primary] if labels.primary is not None else None
        coding = Coding("", "", labels.comment_ids, labels.texts, labels.Y.to_numpy(dtype=np.int8), primary)
    coding.name = name or default_name
    coding.source = str(spec)
    return coding


def _keys(values: Sequence[str]) -> list[str]:
    """Number repeated keys by occurrence, so the k-th copy matches the k-th copy elsewhere."""
    seen: dict[str, int] = {}
    keys = []
    for value in values:
        seen[value] = seen.get(value, 0) + 1
        keys.append(f"{value}\x00{seen[value]}")
    return keys


def _text_key(text: str) -> str:
    return " ".join(redact(str(text))[0].split())


@dataclass
class Aligned:
    """Codings lined up on the comments every one of them has.

    Attributes
    ----------
    codings : list of Coding
        The codings, each cut down to the matched comments, in the same order.
    matched_on : str
        ``comment_id`` or ``text``.
    left_out : dict of str to int
        Per coder, its comments that are not in every other coding.
    """

    codings: list[Coding]
    matched_on: str
    left_out: dict[str, int]

    @property
    def n(self) -> int:
        """The number of matched comments."""
        return len(self.codings[0]) if self.codings else 0


def align_codings(codings: Sequence[Coding]) -> Aligned:
    """Keep the comments every coding has, in the first coding's order.

    Raises
    ------
    UsageError
        If fewer than two codings are given, or two share a name.
    CodingInputError
        If no comment is in every coding.
    """
    if len(codings) < 2:
        raise UsageError("agreement needs at least two codings of the same comments")
    names = [c.name for c in codings]
    if len(set(names)) < len(names):
        raise UsageError(f"two codings are called the same ({', '.join(names)}); name them with --names")
    by_id = all(c.comment_ids is not None and all(c.comment_ids) for c in codings)
    keys = [_keys(c.comment_ids if by_id else [_text_key(t) for t in c.texts]) for c in codings]  # type: ignore[arg-type]
    common = set(keys[0]).intersection(*keys[1:])
    order = [k for k in keys[0] if k in common]
    if not order:
        how = "comment_id" if by_id else "text"
        raise CodingInputError(
            ", ".join(c.source for c in codings), f"no comment is in every coding (matched on {how}); are they codings of the same comments?"
        )
    cut = []
    for coding, coding_keys in zip(codings, keys, strict=True):
        where = {k: i for i, k in enumerate(coding_keys)}
        rows = [where[k] for k in order]
        cut.append(
            Coding(
                name=coding.name,
                source=coding.source,
                comment_ids=[coding.comment_ids[i] for i in rows] if coding.comment_ids else None,
                texts=[coding.texts[i] for i in rows],
                Y=coding.Y[rows],
                primary=[coding.primary[i] for i in rows] if coding.primary is not None else None,
            )
        )
    left_out = {coding.name: len(coding) - len(order) for coding in codings}
    return Aligned(cut, "comment_id" if by_id else "text", left_out)


__all__ = ["Aligned", "Coding", "align_codings", "read_coding", "split_spec"]
