"""Start a codebook from labelled data: one theme per 0/1 column, or per name in a theme column.

Researchers often have comments coded in a spreadsheet but no codebook.
:func:`codebook_from_labels` reads the coded files the way ``train`` does
(:mod:`tcs_themes.ingest.labels`) and returns a codebook with an id (a
snake_case slug of the name) and a name per theme, and no rule patterns:
``train`` then learns every theme from the coded comments, and ``code`` codes
with the model alone until patterns are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.codebook.validation import theme_id_from_name
from tcs_themes.codebook.write import codebook_to_yaml, write_text_atomic
from tcs_themes.errors import LabelsError, UsageError
from tcs_themes.ingest.labels import (
    TEXT_HEADERS,
    expand_coded_paths,
    is_indicator,
    is_true,
    pick_column,
    read_coded_sheets,
    theme_key,
    theme_labels,
)

#: Most themes a starter codebook may have (more usually means the column holds free text).
MAX_STARTER_THEMES = 200
#: Most 0/1 columns suggested in the message for a 0/1 ``theme_column``.
_SUGGESTED = 5


@dataclass(frozen=True)
class StarterCodebook:
    """A codebook made from labelled data, with how often each theme was coded.

    Attributes
    ----------
    codebook : Codebook
        Themes in the order their columns (or names) first appear; no patterns.
    coded : dict of str to int
        Theme id -> rows coded with it, over every file.
    text_column : str or None
        The first file's text column (given, or found by its usual names as
        ``train`` finds it); None when ``train`` will need ``--text-column``.
    """

    codebook: Codebook
    coded: dict[str, int]
    text_column: str | None = None


def codebook_from_labels(
    paths: str | Path | Sequence[str | Path],
    *,
    theme_columns: Sequence[str] = (),
    theme_column: str | None = None,
    name: str | None = None,
    text_column: str | None = None,
) -> StarterCodebook:
    """Make a starter codebook from analyst-coded files.

    Parameters
    ----------
    paths : path or sequence of paths
        Coded ``.xlsx``, ``.csv`` or ``.parquet`` files, or folders of them
        (as :func:`tcs_themes.ingest.labels.read_labels` reads them).
    theme_columns : sequence of str
        One 0/1 column per theme (``1``, ``x``, ``yes``... mean coded): each
        column becomes a theme named after its header.
    theme_column : str, optional
        Instead, one column of theme names (several per cell separated by
        ``;`` ``,`` ``|`` or new lines): each distinct name becomes a theme.
        Names differing only in case, accents or punctuation are one theme.
    name : str, optional
        The codebook's name (default: ``Themes from <first file name>``).
    text_column : str, optional
        The comment text column, checked to exist (default: found by its
        usual names, as ``train`` does; see ``StarterCodebook.text_column``).

    Returns
    -------
    StarterCodebook

    Raises
    ------
    UsageError
        If neither or both of ``theme_columns`` and ``theme_column`` are given.
    LabelsError
        If a file cannot be read or lacks a column; if a ``theme_columns``
        column is not 0/1 or the ``theme_column`` is (the message says which
        option fits); if no theme, or more than :data:`MAX_STARTER_THEMES`, is found.
    """
    if bool(theme_columns) == (theme_column is not None):
        raise UsageError("give either --theme-columns (one 0/1 column per theme) or --theme-column (theme names)")
    files = expand_coded_paths(Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths))
    names: dict[str, str] = {}  # theme_key -> name as first written
    coded: dict[str, int] = {}
    text: list[str | None] = []
    for path in files:
        for sheet, frame, _ in read_coded_sheets(path):
            where = f"{path} (sheet {sheet})" if sheet else str(path)
            text.append(pick_column(frame, text_column, TEXT_HEADERS, where, "text"))
            if theme_column is not None:
                labels = _names_in_column(frame, theme_column, where)
            else:
                labels = _indicator_columns(frame, theme_columns, where)
            for label, count in labels.items():
                key = theme_key(label)
                names.setdefault(key, label)
                coded[key] = coded.get(key, 0) + count
            if len(names) > MAX_STARTER_THEMES:
                raise LabelsError(
                    where,
                    f"column '{theme_column}' holds more than {MAX_STARTER_THEMES} different theme names; "
                    "is it the theme column? (pass the column of theme names with --theme-column)",
                )
    if not names:
        column = theme_column or ", ".join(theme_columns)
        raise LabelsError(", ".join(map(str, files)), f"no theme names in column '{column}'; check the column name")
    themes: list[Theme] = []
    counts: dict[str, int] = {}
    taken: set[str] = set()
    for position, (key, label) in enumerate(names.items(), start=1):
        theme_id = theme_id_from_name(label, taken, fallback=f"theme_{position}")
        taken.add(theme_id)
        themes.append(Theme(id=theme_id, name=label))
        counts[theme_id] = coded[key]
    title = name or f"Themes from {files[0].name}"
    return StarterCodebook(Codebook(name=title, themes=tuple(themes)), counts, text[0] if text else None)


def _indicator_columns(frame: pd.DataFrame, wanted: Sequence[str], where: str) -> dict[str, int]:
    """Each 0/1 column's header -> its coded rows; a column that is not 0/1 is an error."""
    found: dict[str, int] = {}
    for name in wanted:
        column = pick_column(frame, name, (), where, "theme")
        assert column is not None  # pick_column raises for a wanted column that is missing
        if frame[column].notna().any() and not is_indicator(frame[column], any_true=False):
            raise LabelsError(
                where,
                f"column '{column}' is not a 0/1 column (cells other than 1/0, x, yes/no, true/false); "
                f"for a column of theme names use --theme-column '{column}'",
            )
        header = " ".join(str(column).split())
        found[header] = sum(is_true(value) for value in frame[column])
    return found


def _names_in_column(frame: pd.DataFrame, wanted: str, where: str) -> dict[str, int]:
    """Each theme name in the column -> rows coded with it; a 0/1 column is an error naming the right option."""
    column = pick_column(frame, wanted, (), where, "theme")
    assert column is not None
    if is_indicator(frame[column]):
        others = [str(c) for c in frame.columns if c != column and is_indicator(frame[c])][: _SUGGESTED - 1]
        example = " ".join(f"'{c}'" for c in [str(column), *others])
        raise LabelsError(
            where,
            f"column '{column}' holds 0/1 codes, not theme names; for one 0/1 column per theme use "
            f"--theme-columns {example} ...",
        )
    found: dict[str, int] = {}
    for cell in frame[column]:
        for label in dict.fromkeys(" ".join(label.split()) for label in theme_labels(cell)):
            found[label] = found.get(label, 0) + 1
    return found


def write_starter_codebook(starter: StarterCodebook, path: str | Path, source: str) -> Path:
    """Write ``starter`` as a codebook YAML file, atomically, with a header saying what to add; return the path.

    Raises
    ------
    CodebookError
        If the file cannot be written.
    """
    header = (
        f"# Starter codebook made by 'tcs-themes codebook init' from {source}.\n"
        "# Add a description per theme, and patterns if you want rules as well as the trained model\n"
        "# (phrase patterns work in any language; lemma and token patterns use the English spaCy model).\n"
    )
    return write_text_atomic(Path(path), header + codebook_to_yaml(starter.codebook))
