"""Write a codebook as YAML (the format :func:`~tcs_themes.codebook.load_codebook` reads).

Sub-themes are written nested under their parent; token patterns are written
on one line each in YAML flow style; pattern ids are written only where they
differ from the default (``<theme id>/<n>``), so a round trip through
:func:`write_codebook_yaml` and :func:`load_codebook` gives the same codebook.
Files are written atomically: nothing is left half-written on error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tcs_themes.atomic_write import write_bytes_atomic
from tcs_themes.codebook.model import Codebook, Pattern, Theme
from tcs_themes.errors import CodebookError


class _Flow(list):  # type: ignore[type-arg]
    """A list written in YAML flow style (``[a, b]``)."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes :class:`_Flow` lists on one line and never uses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def codebook_to_yaml(codebook: Codebook) -> str:
    """Return the YAML text of ``codebook``.

    Parameters
    ----------
    codebook : Codebook

    Returns
    -------
    str
        A codebook file, starting with a comment naming the format's documentation.
    """
    themes = []
    for theme in codebook.themes:
        entry = theme_entry(theme)
        subthemes = [theme_entry(sub) for sub in codebook.subthemes_of(theme.id)]
        if subthemes:
            entry["subthemes"] = subthemes
        themes.append(entry)
    body = dump_yaml({"name": codebook.name, "themes": themes})
    return "# A tcs-themes codebook; the format is described in docs/codebook.md.\n" + body


def write_codebook_yaml(codebook: Codebook, path: str | Path) -> Path:
    """Write ``codebook`` to ``path`` as YAML, atomically; return the path.

    Raises
    ------
    CodebookError
        If the file cannot be written.
    """
    return write_text_atomic(Path(path), codebook_to_yaml(codebook))


def write_text_atomic(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` as UTF-8 via a temporary file in the same folder, then rename it.

    Raises
    ------
    CodebookError
        If the folder or file cannot be written; ``target`` is then untouched.
    """
    return write_bytes_atomic(target, text.encode("utf-8"), CodebookError)


def theme_entry(theme: Theme) -> dict[str, Any]:
    """Return ``theme`` as the mapping written to YAML (without its sub-themes)."""
    entry: dict[str, Any] = {"id": theme.id, "name": theme.name}
    if theme.description:
        entry["description"] = theme.description
    if theme.colour:
        entry["colour"] = theme.colour
    if theme.patterns:
        entry["patterns"] = [_pattern_entry(p, f"{theme.id}/{n}") for n, p in enumerate(theme.patterns, 1)]
    if theme.exclusions:
        entry["exclusions"] = [
            _pattern_entry(p, f"{theme.id}/exclusion/{n}") for n, p in enumerate(theme.exclusions, 1)
        ]
    if theme.examples:
        entry["examples"] = list(theme.examples)
    return entry


def dump_yaml(data: Any) -> str:
    """Return ``data`` as YAML in the codebook's style (block style, token patterns on one line)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)


def _pattern_entry(pattern: Pattern, default_id: str) -> Any:
    entry: dict[str, Any] = {}
    if pattern.phrase is not None:
        entry["phrase"] = pattern.phrase
    elif pattern.lemmas is not None:
        entry["lemmas"] = pattern.lemmas
    else:
        entry["tokens"] = _Flow(pattern.tokens or ())
    if pattern.scope is not None and pattern.scope != "comment":
        entry["scope"] = pattern.scope
    if pattern.id != default_id:
        entry["id"] = pattern.id
    if list(entry) == ["phrase"]:
        return pattern.phrase
    return entry
