"""The codebook's data model: themes, their sub-themes and their rule patterns.

A codebook is plain data. It is read from YAML (``tcs_themes.codebook.load``)
or REFI-QDA (``.qdc``), validated on load, and used by the rule coder (its
patterns), the classifier (its ids and examples) and the outputs (names,
descriptions, colours).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class Pattern:
    """One rule pattern.

    Attributes
    ----------
    id : str
        Stable id within the codebook, e.g. ``"clarity/3"``; shown as evidence.
    phrase : str or None
        A phrase matched on lower-case words (as spaCy's PhraseMatcher with ``attr="LOWER"`` would).
    tokens : list of dict or None
        A spaCy Matcher token pattern (``[{"LEMMA": "jargon"}]``).
    lemmas : str or None
        A phrase matched on lemmas (as a PhraseMatcher with ``attr="LEMMA"`` would), so
        ``"community centre"`` also matches "community centres".
    scope : str or None
        Exclusions only: ``"comment"`` (a match anywhere in the comment cancels
        the theme's matches) or ``"overlap"`` (it cancels only the theme's
        matches it overlaps, e.g. "car park" for the pattern "park"). None for
        ordinary patterns.

    Exactly one of ``phrase``, ``tokens`` and ``lemmas`` is set.
    """

    id: str
    phrase: str | None = None
    tokens: tuple[dict[str, Any], ...] | None = None
    lemmas: str | None = None
    scope: str | None = None

    def describe(self) -> str:
        """Return the pattern as a short human-readable string for evidence."""
        if self.phrase is not None:
            return f'"{self.phrase}"'
        if self.lemmas is not None:
            return f'lemmas "{self.lemmas}"'
        return json.dumps(list(self.tokens or ()), ensure_ascii=False)


@dataclass(frozen=True)
class Theme:
    """A theme (or a sub-theme, when ``parent`` is set).

    Attributes
    ----------
    id : str
        Short snake_case id used in every table (``community_involvement``).
    name : str
        The name shown to people ("Community involvement and engagement").
    description : str
        What comments under it are about.
    parent : str or None
        The id of the parent theme, for a sub-theme.
    colour : str or None
        ``#rrggbb`` used in charts, or None for the default palette.
    patterns : tuple of Pattern
        Rules that are evidence for the theme.
    exclusions : tuple of Pattern
        Rules that, when they match the same comment, cancel this theme's rule
        matches: all of them (``scope="comment"``, the default) or only those
        they overlap (``scope="overlap"``). A theme's exclusions also cancel
        the matches of its sub-themes.
    examples : tuple of str
        A few example comments (used as weak labels for training).
    """

    id: str
    name: str
    description: str = ""
    parent: str | None = None
    colour: str | None = None
    patterns: tuple[Pattern, ...] = ()
    exclusions: tuple[Pattern, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """An ordered collection of themes and sub-themes.

    ``themes`` holds the top-level themes (those coded in the coded table) in
    the codebook's order; ``subthemes`` holds the sub-themes, each with its
    ``parent``.
    """

    name: str
    themes: tuple[Theme, ...]
    subthemes: tuple[Theme, ...] = ()
    source: str | None = field(default=None, compare=False)

    @property
    def ids(self) -> list[str]:
        """The top-level theme ids, in codebook order."""
        return [theme.id for theme in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """Return the theme or sub-theme with ``theme_id`` (KeyError if unknown)."""
        for theme in (*self.themes, *self.subthemes):
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def name_of(self, theme_id: str) -> str:
        """Return the display name of a theme id (the id itself if unknown, e.g. ``uncoded``)."""
        try:
            return self.theme(theme_id).name
        except KeyError:
            return "Uncoded" if theme_id == "uncoded" else theme_id

    def subthemes_of(self, theme_id: str) -> list[Theme]:
        """Return the sub-themes whose parent is ``theme_id``."""
        return [sub for sub in self.subthemes if sub.parent == theme_id]

    def fingerprint(self) -> str:
        """Return a SHA-256 of the codebook's content (not of its file's formatting).

        Two codebooks with the same themes, patterns and examples have the same
        fingerprint; a trained model records it and refuses a different one.
        """
        content = {"themes": self.themes, "subthemes": self.subthemes}
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=plain_fields)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plain_fields(value: Any) -> Any:
    """What JSON writes for a theme or pattern (its fields, as ``dataclasses.asdict`` gives them) or a set (a list):
    the ``default=`` of ``json.dumps`` for the fingerprint and the codebook cache."""
    if is_dataclass(value):
        return {item.name: getattr(value, item.name) for item in fields(value)}
    return list(value)
