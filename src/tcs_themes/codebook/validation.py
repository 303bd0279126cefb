"""Turn codebook data (as read from YAML or REFI-QDA) into a validated :class:`Codebook`.

Every problem is collected, not just the first, each with the key path it is
at, so the caller can report them all at once with file and line. Unknown keys
are not errors: they are returned as warnings with the closest known key.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, field, replace
from typing import Any

from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.codebook.pattern_checks import PATTERN_KEYS, parse_pattern
from tcs_themes.codebook.yaml_source import KeyPath, Problem

#: Keys at the top of a codebook file.
CODEBOOK_KEYS = ("name", "themes")
#: Keys of a theme (a sub-theme has the same keys except ``subthemes``).
THEME_KEYS = ("id", "name", "description", "parent", "colour", "patterns", "exclusions", "examples", "subthemes")
#: Ids the toolkit uses itself and a theme may not take.
RESERVED_IDS = ("uncoded",)
THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def theme_id_from_name(name: str, taken: Container[str], fallback: str = "theme") -> str:
    """Return a snake_case theme id for ``name`` that is not in ``taken`` (nor reserved).

    Accents are dropped (``"Grünflächen"`` -> ``grunflachen``); a name with no
    Latin letter or digit (``"公园"``) gets ``fallback``; a clash gets ``_2``,
    ``_3``... added.

    Examples
    --------
    >>> theme_id_from_name("Green spaces", {"green_spaces"})
    'green_spaces_2'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    candidate, number = base, 2
    while candidate in taken or candidate in RESERVED_IDS:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


@dataclass
class BuildResult:
    """What :func:`build_codebook` found.

    Attributes
    ----------
    codebook : Codebook or None
        The codebook, or None when there are problems.
    problems : list of Problem
        Errors: the codebook must not be used.
    warnings : list of Problem
        Unknown keys and other things worth fixing.
    """

    codebook: Codebook | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def build_codebook(data: Any, default_name: str) -> BuildResult:
    """Validate codebook data and build the :class:`Codebook`.

    Parameters
    ----------
    data : object
        The parsed file: a mapping with ``name`` and ``themes``.
    default_name : str
        The codebook's name when the data has none (usually the file's stem).

    Returns
    -------
    BuildResult
    """
    result = BuildResult()
    if data is None:
        result.problems.append(Problem((), "the file is empty; a codebook needs a 'themes:' list"))
        return result
    if not isinstance(data, dict):
        result.problems.append(Problem((), "a codebook is a mapping with 'name' and 'themes', not a list or text"))
        return result
    _warn_unknown_keys(data, CODEBOOK_KEYS, (), result)
    name = data.get("name", default_name)
    if not isinstance(name, str) or not name.strip():
        result.problems.append(Problem(("name",), "name must be non-empty text"))
    entries = data.get("themes")
    if not isinstance(entries, list) or not entries:
        result.problems.append(Problem(("themes",), "'themes' must be a non-empty list of themes"))
        return result
    builder = _Builder(result)
    for index, entry in enumerate(entries):
        builder.add_theme(entry, ("themes", index), enclosing=None)
    themes, subthemes = builder.finish()
    if not result.problems:
        result.codebook = Codebook(name=str(name).strip(), themes=tuple(themes), subthemes=tuple(subthemes))
    return result


def describe_path(data: Any, path: KeyPath) -> str:
    """Return a readable key for ``path``: theme ids where known, items numbered from 1.

    ``("themes", 2, "patterns", 0, "tokens")`` becomes ``clarity.patterns[1].tokens``
    when the third theme's id is ``clarity``.
    """
    parts: list[str] = []
    node = data
    for key in path:
        child = node[key] if _has(node, key) else None
        if isinstance(key, int):
            theme_id = child.get("id") if isinstance(child, dict) else None
            if parts and parts[-1] in ("themes", "subthemes") and isinstance(theme_id, str) and theme_id:
                parts[-1] = theme_id
                if len(parts) > 1 and parts[-2].endswith("subthemes"):
                    parts.pop(-2)
            else:
                parts[-1] = f"{parts[-1]}[{key + 1}]" if parts else f"[{key + 1}]"
        else:
            parts.append(str(key))
        node = child
    return ".".join(parts)


def _has(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)


def _warn_unknown_keys(mapping: dict[str, Any], known: tuple[str, ...], path: KeyPath, result: BuildResult) -> None:
    for key in mapping:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
            result.warnings.append(Problem((*path, key), f"unknown key '{key}' is ignored{hint}"))


@dataclass
class _Pending:
    """A theme read from the file, before parents are resolved."""

    theme: Theme
    path: KeyPath
    declared_parent: str | None


class _Builder:
    """Collects themes from the entries, then checks ids and parents across them."""

    def __init__(self, result: BuildResult) -> None:
        self.result = result
        self.pending: list[_Pending] = []
        self.pattern_ids: dict[str, KeyPath] = {}

    def problem(self, path: KeyPath, message: str) -> None:
        self.result.problems.append(Problem(path, message))

    def add_theme(self, entry: Any, path: KeyPath, enclosing: str | None) -> None:
        if entry is None or entry == {}:
            self.problem(path, "empty theme; give it at least an id and a name, or delete the entry")
            return
        if not isinstance(entry, dict):
            self.problem(path, "a theme must be a mapping with id, name, description, patterns ...")
            return
        keys = THEME_KEYS if enclosing is None else tuple(k for k in THEME_KEYS if k != "subthemes")
        _warn_unknown_keys(entry, keys, path, self.result)
        theme_id = self._theme_id(entry, path)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem((*path, "name"), "missing 'name'" if name is None else "name must be non-empty text")
        description = entry.get("description", "")
        if not isinstance(description, str):
            self.problem((*path, "description"), "description must be text")
        parent = self._parent(entry, path, enclosing)
        colour = self._colour(entry, path)
        label = theme_id or "theme"
        patterns = self._patterns(entry, path, "patterns", label)
        exclusions = self._patterns(entry, path, "exclusions", label)
        examples = self._examples(entry, path)
        if theme_id is not None and isinstance(name, str) and isinstance(description, str):
            theme = Theme(
                id=theme_id,
                name=name.strip(),
                description=" ".join(description.split()),
                parent=None,
                colour=colour,
                patterns=patterns,
                exclusions=exclusions,
                examples=examples,
            )
            self.pending.append(_Pending(theme, path, parent))
        subthemes = entry.get("subthemes")
        if subthemes is not None and enclosing is None:
            if not isinstance(subthemes, list):
                self.problem((*path, "subthemes"), "subthemes must be a list of themes")
                return
            for index, sub in enumerate(subthemes):
                self.add_theme(sub, (*path, "subthemes", index), enclosing=theme_id or "?")

    def _theme_id(self, entry: dict[str, Any], path: KeyPath) -> str | None:
        theme_id = entry.get("id")
        if theme_id is None:
            self.problem(path, "missing 'id'; give the theme a snake_case id such as 'green_spaces'")
            return None
        if not isinstance(theme_id, str) or not THEME_ID.match(theme_id):
            self.problem((*path, "id"), f"id {theme_id!r} must be snake_case: lower-case letters, digits and _")
            return None
        if theme_id in RESERVED_IDS:
            self.problem((*path, "id"), f"'{theme_id}' is reserved by the toolkit; choose another id")
            return None
        return theme_id

    def _parent(self, entry: dict[str, Any], path: KeyPath, enclosing: str | None) -> str | None:
        parent = entry.get("parent")
        if parent is None:
            return enclosing
        if not isinstance(parent, str):
            self.problem((*path, "parent"), "parent must be a theme id")
            return None
        if enclosing is not None and parent != enclosing:
            self.problem((*path, "parent"), f"parent '{parent}' differs from the enclosing theme '{enclosing}'")
        return parent

    def _colour(self, entry: dict[str, Any], path: KeyPath) -> str | None:
        colour = entry.get("colour")
        if colour is None:
            return None
        if not isinstance(colour, str) or not COLOUR.match(colour):
            self.problem((*path, "colour"), f"colour {colour!r} must be '#rrggbb' (quote it: '#0072b2')")
            return None
        digits = colour[1:].lower()
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))

    def _patterns(self, entry: dict[str, Any], path: KeyPath, key: str, theme_id: str) -> tuple[Pattern, ...]:
        items = entry.get(key)
        if items is None:
            return ()
        if not isinstance(items, list):
            self.problem((*path, key), f"{key} must be a list of patterns")
            return ()
        exclusion = key == "exclusions"
        built = []
        for index, item in enumerate(items):
            item_path = (*path, key, index)
            default_id = f"{theme_id}/{'exclusion/' if exclusion else ''}{index + 1}"
            if isinstance(item, dict):
                _warn_unknown_keys(item, PATTERN_KEYS, item_path, self.result)
            pattern, issues = parse_pattern(item, default_id, exclusion=exclusion)
            for sub_path, message in issues:
                self.problem((*item_path, *sub_path), message)
            if pattern is None:
                continue
            if pattern.id in self.pattern_ids:
                self.problem((*item_path, "id"), f"duplicate pattern id '{pattern.id}'; pattern ids must be unique")
                continue
            self.pattern_ids[pattern.id] = item_path
            built.append(pattern)
        return tuple(built)

    def _examples(self, entry: dict[str, Any], path: KeyPath) -> tuple[str, ...]:
        examples = entry.get("examples")
        if examples is None:
            return ()
        if not isinstance(examples, list):
            self.problem((*path, "examples"), "examples must be a list of example comments")
            return ()
        good = []
        for index, example in enumerate(examples):
            if not isinstance(example, str) or not example.strip():
                self.problem((*path, "examples", index), "an example must be non-empty text (quote it)")
            else:
                good.append(" ".join(example.split()))
        return tuple(good)

    def finish(self) -> tuple[list[Theme], list[Theme]]:
        """Check ids and parents across all themes; return (themes, sub-themes)."""
        first: dict[str, _Pending] = {}
        for item in self.pending:
            if item.theme.id in first:
                self.problem((*item.path, "id"), f"duplicate id '{item.theme.id}'; theme ids must be unique")
            else:
                first[item.theme.id] = item
        top_level = {item.theme.id for item in first.values() if item.declared_parent is None}
        themes, subthemes = [], []
        for item in first.values():
            parent = item.declared_parent
            if parent is None:
                themes.append(item.theme)
            elif parent == "?":
                continue  # the enclosing theme has its own problem already
            elif parent == item.theme.id:
                self.problem((*item.path, "parent"), "a theme cannot be its own parent")
            elif parent not in first:
                close = difflib.get_close_matches(parent, list(first), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.problem((*item.path, "parent"), f"unknown parent '{parent}'{hint}")
            elif parent not in top_level:
                self.problem((*item.path, "parent"), f"parent '{parent}' is itself a sub-theme; nest one level only")
            else:
                subthemes.append(replace(item.theme, parent=parent))
        return themes, subthemes
