"""Read analyst-coded files (spreadsheets, CSV, tables) as texts plus a theme indicator matrix.

Coded files come in a few common shapes, all understood here, alone or mixed:

* one **main-theme** column (``main theme``, ``theme``, ``primary_theme``...);
* a **delimited list** column (``themes``: ``clarity; governance``), or a
  **further-themes** column beside the main one (``further theme ids``);
* one **0/1 column per theme** (header = the theme's id or name; ``1``, ``x``,
  ``yes``, ``true`` count as coded).

Themes may be given by id or by name, in any case and spacing
(``Community Involvement``, ``community_involvement`` and
``community involvement and engagement`` are the same theme), in any
language (``Grünflächen`` and ``grunflachen`` are the same too). Themes that
are not in the codebook (cell values, or 0/1 columns beside the codebook's)
are one error listing them all with their rows and close matches, or, with
``ignore_unknown_themes``, a warning (rows coded only with them are skipped).
``uncoded`` (or ``none``) marks a comment the analyst coded with no theme.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.errors import InputFileError, LabelsError
from tcs_themes.ingest.cells import EXCEL_ERRORS
from tcs_themes.ingest.columns import SYNONYMS
from tcs_themes.ingest.csv_files import bounded_csv_frame, read_csv_text
from tcs_themes.ingest.redaction import redact, redact_label
from tcs_themes.ingest.workbooks import Grid, read_workbook
from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, SCORE_PREFIX, UNCODED
from tcs_themes.tables import TABLE_SUFFIXES, read_table

#: Header names (normalised) that hold comment text, most likely first.
TEXT_HEADERS = (
    "text",
    "comment",
    "comments",
    "comment text",
    "feedback",
    "what was said",
    "response",
    "verbatim",
    "fft answer",
    "answer",
    "note",
    "notes",
)
#: Header names (normalised) that hold the main theme: the ``theme`` role of ingest.
PRIMARY_HEADERS = SYNONYMS["theme"]
#: Header names (normalised) that hold one theme or a delimited list of themes.
THEME_HEADERS = (*PRIMARY_HEADERS, *SYNONYMS["other_themes"], "code", "codes", "label", "labels")
#: Header names (normalised) that identify the session a comment came from (for grouped CV).
GROUP_HEADERS = ("session id", "session", "session name", "sheet")
#: Header names (normalised) under which a context column is also found, by its usual name.
CONTEXT_HEADERS: dict[str, tuple[str, ...]] = {"question": tuple(SYNONYMS["question"])}
#: Cell values meaning "coded with no theme".
NO_THEME_VALUES = {UNCODED, "none", "no theme", "n/a", "na", "-"}
_TRUE_VALUES = {"1", "1.0", "x", "y", "yes", "true", "✓"}
_FALSE_VALUES = {"", "0", "0.0", "n", "no", "false", "nan", "<na>", "none"}
_LIST_SPLIT = re.compile(r"[;,|\n]+")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
#: Reasons a coded file's row is not used, as keys of ``CodedLabels.skipped``.
NO_TEXT, NO_CODES, ONLY_UNKNOWN = "no text", "no codes", "only themes not in the codebook"
#: Unknown themes listed by name in one message; the rest are counted.
MAX_LISTED = 10


@dataclass
class CodedLabels:
    """Texts with the themes an analyst gave them.

    Attributes
    ----------
    texts : list of str
        The comment texts, in file order, with personal details redacted as at
        ingest (a model trained on them keeps no resident's name in its
        vocabulary, and they match the texts of a coded table).
    Y : pandas.DataFrame
        One ``int8`` 0/1 column per codebook theme id (codebook order), one row per text.
    comment_ids : list of str or None
        The ``comment_id`` column when the file had one.
    groups : list of str or None
        The session (or sheet) of each comment, used to group cross-validation folds.
    primary : list of str or None
        The main theme of each comment when the file had a main-theme column.
    sources : list of str
        ``file (sheet, row N)`` for each comment, to trace it back.
    skipped : dict of str to int
        Rows not used, per reason: :data:`NO_TEXT`, :data:`NO_CODES` (no
        theme cell filled: not coded yet) and, with ``ignore_unknown_themes``,
        :data:`ONLY_UNKNOWN`. Reasons with no row are absent.
    context : dict of str to list of str or None
        Per context column asked for (``context_columns``), its value for
        each comment ("" when empty; redacted like a label), or None when the file has no such column.
    warnings : list of str
        One line per file whose themes outside the codebook were ignored.
    """

    texts: list[str]
    Y: pd.DataFrame
    comment_ids: list[str] | None
    groups: list[str] | None
    primary: list[str] | None
    sources: list[str]
    skipped: dict[str, int] = field(default_factory=dict)
    context: dict[str, list[str] | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def n_skipped(self) -> int:
        """Rows not used, whatever the reason."""
        return sum(self.skipped.values())

    def inputs(self) -> list[str] | pd.DataFrame:
        """The coder's input: the texts, or with context columns a DataFrame of ``text`` and them."""
        if not self.context:
            return list(self.texts)
        columns = {name: values if values is not None else [""] * len(self) for name, values in self.context.items()}
        return pd.DataFrame({"text": self.texts, **columns})


def theme_key(value: object) -> str:
    """The key two theme labels share when they name the same theme: :func:`normalise_name`, or
    the label itself when it has no letter or digit (``"👍"`` and ``"👎"`` stay apart)."""
    return normalise_name(value) or str(value).strip()


def normalise_name(value: object) -> str:
    """Return ``value`` case-folded, without accents, with runs of non-alphanumerics as single spaces.

    Letters of every script are kept: ``"Grünflächen"`` -> ``"grunflachen"``,
    ``"公园"`` -> ``"公园"``.
    """
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


class ThemeResolver:
    """Map theme ids or names, in any case and spacing, to codebook theme ids.

    Parameters
    ----------
    codebook : Codebook
        The codebook whose top-level themes are the valid answers. A sub-theme
        id or name resolves to its parent theme.
    """

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self._lookup: dict[str, str] = {}
        for theme in codebook.subthemes:
            if theme.parent is not None:
                self._add(theme.id, theme.name, theme.parent)
        for theme in codebook.themes:
            self._add(theme.id, theme.name, theme.id)

    def _add(self, theme_id: str, name: str, target: str) -> None:
        for key in (theme_id, name, theme_id.split("/")[-1]):
            self._lookup[theme_key(key)] = target

    def get(self, label: object) -> str | None:
        """Return the theme id for ``label``, or None when it is not a theme."""
        return self._lookup.get(theme_key(label))

    def close_matches(self, label: object) -> list[str]:
        """Return up to three theme ids whose id or name is close to ``label``."""
        close = difflib.get_close_matches(theme_key(label), list(self._lookup), n=3, cutoff=0.6)
        return list(dict.fromkeys(self._lookup[c] for c in close))

    def resolve(self, label: str, path: str, where: str | None = None) -> str:
        """Return the theme id for ``label``; raise :class:`LabelsError` with close matches if unknown.

        ``path`` and ``where`` (sheet, row) locate the label for the message.
        """
        found = self.get(label)
        if found is not None:
            return found
        close = self.close_matches(label)
        hint = f"did you mean {', '.join(close)}?" if close else "check the codebook's theme ids and names."
        raise LabelsError(path, f"theme '{label}' is not in the codebook '{self.codebook.name}'; {hint}", where=where)


class UnknownThemes:
    """Themes a coded file names that the codebook lacks, with where they were found."""

    def __init__(self, resolver: ThemeResolver) -> None:
        self.resolver = resolver
        self.rows: dict[str, list[int]] = {}  # label as first written -> rows
        self.columns: list[str] = []
        self._written: dict[str, str] = {}  # theme_key -> label as first written

    def add(self, label: str, row: int) -> None:
        """Record ``label`` (a cell value) at spreadsheet ``row``."""
        written = self._written.setdefault(theme_key(label), label)
        self.rows.setdefault(written, []).append(row)

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns)

    def _hint(self, label: str) -> str:
        close = self.resolver.close_matches(label)
        return f"did you mean {', '.join(close)}?" if close else ""

    def listing(self) -> str:
        """One line: every unknown theme with its rows (or column) and close matches."""
        items = []
        for column in self.columns:
            hint = self._hint(column)
            items.append(f"0/1 column '{column}'" + (f" ({hint})" if hint else ""))
        for label, rows in self.rows.items():
            shown = ", ".join(map(str, rows[:3])) + (f" and {len(rows) - 3} more" if len(rows) > 3 else "")
            hint = self._hint(label)
            items.append(f"'{label}' (row{'s' if len(rows) > 1 else ''} {shown}" + (f"; {hint})" if hint else ")"))
        more = f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
        return ", ".join(items[:MAX_LISTED]) + more

    def count(self) -> int:
        """How many distinct unknown themes."""
        return len(self.rows) + len(self.columns)

    def error(self, where: str) -> LabelsError:
        """The error for a file with unknown themes."""
        n = self.count()
        what, them = ("1 theme is", "it") if n == 1 else (f"{n} themes are", "them")
        return LabelsError(
            where,
            f"{what} not in the codebook '{self.resolver.codebook.name}': {self.listing()}; fix the file, add "
            f"{them} to the codebook (or start one with 'tcs-themes codebook init --from-labels'), or pass "
            f"--ignore-unknown-themes to skip {them}",
        )

    def warning(self, where: str, skipped: int) -> str:
        """The warning for a file whose unknown themes were ignored."""
        n = self.count()
        return (
            f"{where}: ignored {n} theme{'s' if n > 1 else ''} not in the codebook "
            f"'{self.resolver.codebook.name}': {self.listing()}; {skipped} row{'s' if skipped != 1 else ''} "
            "coded only with them skipped"
        )


def _cell_text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def theme_labels(cell: object) -> list[str]:
    """Split a theme cell (``"clarity; Green spaces"``, ``;`` ``,`` ``|`` or new lines) into its labels.

    "No theme" values (``uncoded``, ``none``, ``n/a``...) are left out.
    """
    labels = (label.strip() for label in _LIST_SPLIT.split(_cell_text(cell)))
    return [label for label in labels if label and normalise_name(label) not in NO_THEME_VALUES]


def is_true(value: object) -> bool:
    """Whether a 0/1 cell says "coded" (``1``, ``x``, ``yes``, ``true``...)."""
    return _cell_text(value).lower() in _TRUE_VALUES


def is_indicator(series: pd.Series, *, any_true: bool = True) -> bool:
    """Whether ``series`` is a 0/1 column (``1``, ``x``, ``yes``... or empty), with a true cell if ``any_true``."""
    values = {_cell_text(v).lower() for v in series.dropna().unique()}
    if not values or not values <= (_TRUE_VALUES | _FALSE_VALUES):
        return False
    return bool(values & _TRUE_VALUES) or not any_true


def pick_column(frame: pd.DataFrame, wanted: str | None, candidates: Sequence[str], path: str, what: str) -> str | None:
    """Return the column named ``wanted`` (any case and spacing), else the first of ``candidates`` found, else None.

    Raises
    ------
    LabelsError
        If ``wanted`` is given and the frame has no such column (the message lists the columns).
    """
    normalised = {normalise_name(c): c for c in frame.columns}
    if wanted is not None:
        found = normalised.get(normalise_name(wanted))
        if found is None:
            raise LabelsError(path, f"no {what} column '{wanted}'; the columns are: {', '.join(map(str, frame.columns))}")
        return found
    for candidate in candidates:
        if candidate in normalised:
            return normalised[candidate]
    return None


def _is_id_header(column: object) -> bool:
    """Whether a header names an id, row number or session (``id``, ``Respondent ID``, ``row``, ``session``)."""
    name = normalise_name(column)
    return name in ("id", "row", "no", "number", *GROUP_HEADERS) or name.endswith((" id", " no", " number"))


@dataclass
class _Layout:
    text: str
    list_columns: list[str]
    indicator_columns: dict[str, str]  # column -> theme id
    primary: str | None
    group: str | None
    comment_id: str | None
    unknown_columns: list[str]


def _detect_layout(
    frame: pd.DataFrame,
    resolver: ThemeResolver,
    path: str,
    text_column: str | None,
    theme_columns: Sequence[str] | None,
) -> _Layout:
    text = pick_column(frame, text_column, TEXT_HEADERS, path, "text")
    if text is None:
        raise LabelsError(
            path,
            "no text column found; name it 'text' or 'comment', or pass --text-column "
            f"(the columns are: {', '.join(map(str, frame.columns))})",
        )
    indicators: dict[str, str] = {}
    unknown: list[str] = []
    if theme_columns:
        lists = [pick_column(frame, name, (), path, "theme") for name in theme_columns]
        lists = [c for c in lists if c is not None]
        for column in list(lists):
            if not is_indicator(frame[column], any_true=False):
                continue
            lists.remove(column)
            theme = resolver.get(column)
            if theme is not None:
                indicators[column] = theme
            else:
                unknown.append(column)
    else:
        wanted = set(THEME_HEADERS)
        lists = [c for c in frame.columns if normalise_name(c) in wanted and c != text]
        others = []
        for column in frame.columns:
            if column in lists or column == text or str(column).startswith(SCORE_PREFIX):
                continue
            theme = resolver.get(column)
            if theme is not None and is_indicator(frame[column]):
                indicators[column] = theme
            elif theme is None and column not in COMMENT_COLUMNS and column not in CODED_COLUMNS:
                others.append(column)
        if indicators or not lists:  # the file codes with 0/1 columns: other 0/1 columns are themes too
            unknown = [c for c in others if is_indicator(frame[c]) and not _is_id_header(c)]
    if not lists and not indicators and not unknown:
        raise LabelsError(
            path,
            "no theme columns found; name them 'theme' / 'themes' / 'further themes', use one 0/1 "
            "column per theme, or pass --theme-column",
        )
    primary = next((c for c in lists if normalise_name(c) in PRIMARY_HEADERS), None)
    group = pick_column(frame, None, GROUP_HEADERS, path, "session")
    comment_id = pick_column(frame, None, ("comment id",), path, "comment id")
    return _Layout(text, lists, indicators, primary, group, comment_id, unknown)


def labels_from_frame(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    source: str = "<table>",
    sheet: str | None = None,
    text_column: str | None = None,
    theme_columns: Sequence[str] | None = None,
    keep_unlabelled: bool = False,
    first_row: int = 2,
    context_columns: Sequence[str] = (),
    ignore_unknown_themes: bool = False,
) -> CodedLabels:
    """Read texts and theme codes from a DataFrame in any of the common coded shapes.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per comment.
    codebook : Codebook
        The codebook the themes must belong to.
    source : str, default "<table>"
        The file the frame came from, used in messages and ``sources``.
    sheet : str, optional
        The workbook sheet the frame came from; also the comments' group when
        the frame has no session column.
    text_column : str, optional
        The text column; detected from common names when omitted.
    theme_columns : sequence of str, optional
        The theme columns (main, list or 0/1 columns); detected when omitted.
    keep_unlabelled : bool, default False
        Keep rows with text but no theme cell filled, as all-zero rows (for
        evaluation); by default they are skipped and counted in ``n_skipped``.
        Blank rows are passed over (the row numbers in ``sources`` still count them).
    first_row : int, default 2
        The spreadsheet row number of the frame's first row (for messages).
    context_columns : sequence of str, default ()
        Columns besides the text to keep as the classifier's context (e.g.
        ``question``, found under its usual header names too); a column the
        frame lacks is recorded as None.
    ignore_unknown_themes : bool, default False
        Skip themes the codebook lacks (cell values and 0/1 columns) with a
        warning in ``warnings`` instead of raising; rows coded only with them
        are skipped (not taken as coded with no theme).

    Returns
    -------
    CodedLabels

    Raises
    ------
    LabelsError
        If there is no text column, no theme column, or themes not in the
        codebook (one message listing them all).
    """
    resolver = ThemeResolver(codebook)
    where = f"{source} (sheet {sheet})" if sheet else source
    layout = _detect_layout(frame, resolver, where, text_column, theme_columns)
    ids = codebook.ids
    position = {theme_id: i for i, theme_id in enumerate(ids)}
    rows: list[np.ndarray] = []
    keep: list[int] = []
    primary: list[str] = []
    skipped: dict[str, int] = {}
    unknown = UnknownThemes(resolver)
    unknown.columns = list(layout.unknown_columns)
    for offset, (_, record) in enumerate(frame.iterrows()):
        if not any(_cell_text(value) for value in record.tolist()):
            continue  # a blank row (between questions, say): not a comment, not counted as skipped
        text = _cell_text(record[layout.text])
        if not text:
            skipped[NO_TEXT] = skipped.get(NO_TEXT, 0) + 1
            continue
        indicator = np.zeros(len(ids), dtype=np.int8)
        filled = bool(layout.indicator_columns or layout.unknown_columns)
        outside = False
        first = ""
        for column in layout.list_columns:
            filled = filled or bool(_cell_text(record[column]))
            for label in theme_labels(record[column]):
                theme = resolver.get(label)
                if theme is None:
                    unknown.add(label, first_row + offset)
                    outside = True
                    continue
                indicator[position[theme]] = 1
                if column == layout.primary and not first:
                    first = theme
        for column, theme in layout.indicator_columns.items():
            if is_true(record[column]):
                indicator[position[theme]] = 1
        outside = outside or any(is_true(record[c]) for c in layout.unknown_columns)
        reason = NO_CODES if not filled and not keep_unlabelled else None
        if outside and not indicator.any() and not keep_unlabelled:
            reason = ONLY_UNKNOWN
        if reason is not None:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        rows.append(indicator)
        keep.append(offset)
        primary.append(first)
    warnings = []
    if unknown:
        if not ignore_unknown_themes:
            raise unknown.error(where)
        warnings.append(unknown.warning(where, skipped.get(ONLY_UNKNOWN, 0)))
    Y = pd.DataFrame(np.array(rows, dtype=np.int8).reshape(len(rows), len(ids)), columns=ids)
    picked = frame.iloc[keep]
    if layout.group:
        groups: list[str] | None = [_cell_text(v) for v in picked[layout.group]]
    else:
        groups = [f"{Path(source).stem}/{sheet}"] * len(keep) if sheet else None
    context: dict[str, list[str] | None] = {}
    for name in context_columns:
        column = pick_column(frame, None, (normalise_name(name), *CONTEXT_HEADERS.get(name, ())), where, name)
        context[name] = None if column is None else [redact_label(" ".join(_cell_text(v).split())) for v in picked[column]]
    return CodedLabels(
        texts=[redact(_cell_text(v))[0] for v in picked[layout.text]],
        Y=Y,
        comment_ids=[_cell_text(v) for v in picked[layout.comment_id]] if layout.comment_id else None,
        groups=groups,
        primary=primary if layout.primary else None,
        sources=[f"{where} (row {first_row + i})" for i in keep],
        skipped=skipped,
        context=context,
        warnings=warnings,
    )


def read_coded_sheets(path: Path) -> list[tuple[str | None, pd.DataFrame, int]]:
    """Return (sheet name, frame, first row number) for each table in ``path``."""
    suffix = path.suffix.lower()
    if suffix not in (*SPREADSHEET_SUFFIXES, *TABLE_SUFFIXES):
        raise LabelsError(str(path), "expected a coded .xlsx, .csv or .parquet file")
    if not (path.is_file() or (suffix == ".parquet" and path.is_dir())):
        raise LabelsError(str(path), "file not found; check the path")
    try:  # each reader within the limits of docs/ingest.md
        if suffix == ".csv":
            return [(None, _read_csv(path), 2)]
        if suffix == ".parquet":
            return [(None, read_table(path), 2)]
        raw = {grid.name: _grid_frame(grid) for grid in read_workbook(path, str(path), fill_merged=False)}
    except LabelsError:
        raise
    except InputFileError as error:
        raise LabelsError(error.path, error.problem, error.where) from None
    sheets = []
    for name, grid in raw.items():
        header_at = _header_row(grid)
        if header_at is None:
            continue
        frame = grid.iloc[header_at + 1 :].reset_index(drop=True)
        frame.columns = [_cell_text(c) or f"column {i + 1}" for i, c in enumerate(grid.iloc[header_at])]
        sheets.append((str(name), frame, header_at + 2))
    return sheets


def _grid_frame(grid: Grid) -> pd.DataFrame:
    """A sheet as a frame of cells, as ``pandas.read_excel(header=None, dtype=object)`` gives it.

    Read by :func:`~tcs_themes.ingest.workbooks.read_workbook`, which reads only
    the cells present and bounds the file (pandas fills every cell up to a stray
    one at XFD1048576). Whole numbers become ints, Excel errors and empty cells NaN.
    """
    def value(cell: object) -> object:
        if cell is None or cell == "" or (isinstance(cell, str) and cell in EXCEL_ERRORS):
            return np.nan
        if isinstance(cell, float) and cell.is_integer():
            return int(cell)
        return cell

    width = max((len(row) for row in grid.rows), default=0)
    return pd.DataFrame([[value(cell) for cell in row] + [np.nan] * (width - len(row)) for row in grid.rows], dtype=object)


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a coded CSV as text cells, as ingest reads a CSV (:func:`~tcs_themes.ingest.csv_files.read_csv_text`:
    UTF-8, UTF-16 or Windows-1252, NUL bytes removed, within the size, line, row and column limits)."""
    text = read_csv_text(path, str(path))[0]
    return bounded_csv_frame(text, str(path), dtype=str, keep_default_na=False, na_values=[""])


def _header_row(grid: pd.DataFrame, search: int = 15) -> int | None:
    """Return the index of the first row (of the first ``search``) that names a text column."""
    wanted = set(TEXT_HEADERS)
    for i in range(min(search, len(grid))):
        if any(normalise_name(_cell_text(v)) in wanted for v in grid.iloc[i]):
            return i
    return None


def read_labels(
    paths: str | Path | Sequence[str | Path],
    codebook: Codebook,
    *,
    text_column: str | None = None,
    theme_columns: Sequence[str] | None = None,
    keep_unlabelled: bool = False,
    context_columns: Sequence[str] = (),
    ignore_unknown_themes: bool = False,
    errors: list[str] | None = None,
    optional_context_columns: Sequence[str] = (),
) -> CodedLabels:
    """Read one or more analyst-coded files into texts and a theme indicator matrix.

    Workbooks are read sheet by sheet (the header may be below a title block);
    sheets with no text column are skipped. CSV and Parquet files are read with
    :func:`tcs_themes.tables.read_table`.

    Parameters
    ----------
    paths : path or sequence of paths
        Coded ``.xlsx``, ``.csv`` or ``.parquet`` files, or folders of them
        (read in file-name order).
    codebook : Codebook
        The codebook the themes must belong to.
    text_column, theme_columns, keep_unlabelled, context_columns, ignore_unknown_themes
        See :func:`labels_from_frame`. A context column some files lack is
        empty for their comments.
    errors : list of str, optional
        With several files, a file that cannot be read (over a limit, damaged,
        no coded rows, themes the codebook lacks...) is appended here as one line
        and the other files are read; without it, the first such file raises.
    optional_context_columns : sequence of str, default ()
        Context columns read like ``context_columns`` when some file has them, and left
        out of ``context`` (no error) when none has or every value is empty: e.g. the
        question, which the default preset reads when the training data gives it.

    Returns
    -------
    CodedLabels
        All files' rows, in order.

    Raises
    ------
    LabelsError
        If a file cannot be read, has no coded rows, or names themes the
        codebook lacks (unless ``ignore_unknown_themes``; with ``errors``, only
        when every file is such), or no file has a context column asked for.

    Examples
    --------
    >>> labels = read_labels("coded.xlsx", load_codebook())  # doctest: +SKIP
    >>> labels.Y.sum().sort_values().tail(3)  # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    parts: list[CodedLabels] = []
    optional = [name for name in optional_context_columns if name not in context_columns]
    files = expand_coded_paths(map(Path, paths))
    failed = 0
    for path in files:
        try:
            sheets = read_coded_sheets(path)
            found = [
                labels_from_frame(
                    frame,
                    codebook,
                    source=str(path),
                    sheet=sheet,
                    text_column=text_column,
                    theme_columns=theme_columns,
                    keep_unlabelled=keep_unlabelled,
                    first_row=first_row,
                    context_columns=(*context_columns, *optional),
                    ignore_unknown_themes=ignore_unknown_themes,
                )
                for sheet, frame, first_row in sheets
            ]
            if not found or not sum(len(part) for part in found):
                raise LabelsError(str(path), "no coded comments found (a text column and at least one theme per row)")
        except LabelsError as error:
            if errors is None or len(files) == 1:
                raise
            errors.append(str(error))  # this file is left out; the others are read
            failed += 1
            continue
        parts.extend(found)
    if failed and not parts:
        raise LabelsError(", ".join(map(str, files)), f"none of the {len(files)} coded files could be read (each error above)")
    labels = concat_labels(parts)
    for name in optional:
        if not any(labels.context.get(name) or ()):
            labels.context.pop(name, None)
    for name, values in labels.context.items():
        if values is None:
            files = ", ".join(str(p) for p in paths)
            raise LabelsError(files, f"no '{name}' column in any file; check the --context name (or drop it)")
    return labels


def expand_coded_paths(paths: Iterable[Path]) -> list[Path]:
    """Replace each folder by its coded files (.xlsx, .xlsm, .csv, .parquet), sorted by name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (*SPREADSHEET_SUFFIXES, *TABLE_SUFFIXES))
            if not found:
                raise LabelsError(str(path), "the folder has no .xlsx, .csv or .parquet files")
            files.extend(found)
        else:
            files.append(path)
    return files


def concat_labels(parts: Sequence[CodedLabels]) -> CodedLabels:
    """Join several :class:`CodedLabels` in order."""

    def joined(values: list[list[str] | None]) -> list[str] | None:
        """One optional column over the parts ("" for the parts that lack it); None if every part lacks it."""
        if all(v is None for v in values):
            return None
        return [x for part, v in zip(parts, values, strict=True) for x in (v if v is not None else [""] * len(part))]

    return CodedLabels(
        texts=[t for part in parts for t in part.texts],
        Y=pd.concat([part.Y for part in parts], ignore_index=True),
        comment_ids=joined([part.comment_ids for part in parts]),
        groups=joined([part.groups for part in parts]),
        primary=joined([part.primary for part in parts]),
        sources=[s for part in parts for s in part.sources],
        skipped={
            reason: total
            for reason in (NO_TEXT, NO_CODES, ONLY_UNKNOWN)
            if (total := sum(part.skipped.get(reason, 0) for part in parts))
        },
        warnings=[w for part in parts for w in part.warnings],
        context={
            name: joined([part.context.get(name) for part in parts]) for name in (parts[0].context if parts else {})
        },
    )
