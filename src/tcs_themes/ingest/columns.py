"""Recognise the columns of a notes spreadsheet and the row their headers are on.

Note-takers name columns differently ("Comment", "Feedback", "What was said"),
and often put a title or a blank row above the header. :func:`find_header`
scans the first rows for the one that names a text column, using the synonyms
below (plus any from the settings file) or an explicit mapping.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tcs_themes.config import ROLES

#: Common header names per role, most specific first (compared after :func:`header_key`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": (
        "text", "comment", "comments", "comment text", "what was said", "what people said",
        "feedback", "feedback comment", "notes", "note", "session notes", "response",
        "responses", "remark", "remarks", "verbatim", "verbatims", "views", "point raised",
        "points raised", "observation", "observations", "discussion", "discussion notes",
    ),
    "session": (
        "session", "session id", "session name", "session title", "meeting", "meeting name",
        "event", "event name", "group", "workshop", "conversation",
    ),
    "date": ("date", "session date", "date of session", "meeting date", "event date", "date held"),
    "question": (
        "question", "questions", "question discussed", "question asked", "discussion question",
        "set question", "prompt",
    ),
    "strand": ("strand", "strand name", "consultation strand", "workstream"),
    # an analyst's codes (labels.py reads the same names when training)
    "theme": ("main theme", "main theme id", "primary theme", "primary theme id", "theme", "theme id"),
    "other_themes": (
        "further themes", "further theme ids", "other themes", "secondary themes", "themes", "theme ids", "also",
    ),
}

#: How many rows from the top of a sheet are searched for the header.
HEADER_SEARCH_ROWS = 30


def header_key(value: object) -> str:
    """Normalise a header cell for comparison: case, accents, punctuation and spacing."""
    return _key(str(value))


@functools.lru_cache(maxsize=65536)
def _key(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = text.casefold().replace("&", " and ").replace("'", "")
    text = re.sub(r"\(s\)", "s", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True)
class Header:
    """The header row of a sheet and the role of its columns.

    Attributes
    ----------
    index : int
        0-based position of the header row in the rows searched.
    names : list of str
        The column names (blank headers become ``"column <n>"``, repeats get `` (2)``).
    roles : dict
        Role (``"text"``, ``"session"``, ...) -> 0-based column index.
    notes : list of str
        Ambiguities resolved (e.g. two columns that both look like text).
    """

    index: int
    names: list[str]
    roles: dict[str, int]
    notes: list[str] = field(default_factory=list)


def merged_synonyms(extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """Return :data:`SYNONYMS` with ``extra`` names added first for each role."""
    extra = extra or {}
    return {role: tuple(extra.get(role, ())) + names for role, names in SYNONYMS.items()}


def _column_names(cells: Sequence[object]) -> list[str]:
    names: list[str] = []
    for position, cell in enumerate(cells, start=1):
        name = " ".join(str(cell).split()) if cell not in (None, "") else f"column {position}"
        candidate, copy = name, 2
        while candidate in names:
            candidate, copy = f"{name} ({copy})", copy + 1
        names.append(candidate)
    return names


def _assign_roles(
    keys: list[str], explicit: Mapping[str, str], synonyms: Mapping[str, Sequence[str]]
) -> tuple[dict[str, int], list[str]]:
    """Map roles to column indexes: explicit names first, then synonyms in priority order."""
    roles: dict[str, int] = {}
    notes: list[str] = []
    taken: set[int] = set()
    positions: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        positions.setdefault(key, []).append(index)
    for role, name in explicit.items():
        key = header_key(name)
        if key in positions:
            roles[role] = positions[key][0]
            taken.add(roles[role])
    for role in ROLES:
        if role in roles:
            continue
        matches = [
            index
            for synonym in synonyms[role]
            for index in positions.get(header_key(synonym), ())
            if index not in taken
        ]
        unique = list(dict.fromkeys(matches))
        if unique:
            roles[role] = unique[0]
            taken.add(unique[0])
            if role == "text" and len(unique) > 1:
                notes.append(f"{len(unique)} columns look like comment text; used column {unique[0] + 1}")
    return roles, notes


def find_header(
    rows: Sequence[Sequence[object]],
    *,
    explicit: Mapping[str, str] | None = None,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> Header | None:
    """Find the header row among the first rows of a sheet.

    The header is the row, among the first :data:`HEADER_SEARCH_ROWS`, that has a
    text column (by ``explicit`` name or a synonym) and the most recognised
    columns; ties go to the higher row.

    Parameters
    ----------
    rows : sequence of sequences
        Cell values, top row first.
    explicit : mapping, optional
        Role -> column name given by the user; wins over synonyms.
    synonyms : mapping, optional
        Role -> header names; defaults to :data:`SYNONYMS`.

    Returns
    -------
    Header or None
        ``None`` when no row has a recognisable text column.
    """
    explicit = dict(explicit or {})
    synonyms = synonyms or SYNONYMS
    best: tuple[int, Header] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell) if cell is not None else "" for cell in cells]
        roles, notes = _assign_roles(keys, explicit, synonyms)
        if "text" not in roles:
            continue
        score = 10 * len(roles) + sum(1 for key in keys if key)
        if best is None or score > best[0]:
            best = (score, Header(index, _column_names(cells), roles, notes))
    return best[1] if best else None
