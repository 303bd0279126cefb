"""Read YAML while remembering the line of every key and list item.

PyYAML forgets where values came from and silently keeps the last of two
duplicate keys. A codebook's errors must name the line, so this module
composes the YAML node tree and converts it to plain Python itself,
recording the 1-based line of each mapping key and sequence item under its
path (``("themes", 3, "patterns", 0)``) and reporting duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from tcs_themes.yaml_limits import Loader, check_yaml_limits

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem found in a codebook, located by its key path.

    Attributes
    ----------
    path : tuple
        Keys and 0-based list positions leading to the value, e.g.
        ``("themes", 3, "patterns", 0)``.
    message : str
        What is wrong and what to do, as a short phrase.
    line : int or None
        The 1-based line, when it is not simply the line of ``path``.
    """

    path: KeyPath
    message: str
    line: int | None = None


@dataclass
class YamlDocument:
    """A parsed YAML document and the line of every key and item in it.

    Attributes
    ----------
    data : object
        The document as plain Python (dicts, lists, scalars).
    lines : dict
        Key path -> 1-based line number.
    problems : list of Problem
        Duplicate keys and non-text keys found while reading.
    """

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: KeyPath) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document, recording lines and duplicate keys.

    Parameters
    ----------
    text : str
        The YAML text.

    Returns
    -------
    YamlDocument
        ``data`` is None for a document with no content.

    Raises
    ------
    YamlLimitError
        If the document breaks a limit of :mod:`tcs_themes.yaml_limits` (nested aliases, depth).
    yaml.YAMLError
        On a syntax error (its ``problem_mark`` gives the position).
    """
    check_yaml_limits(text)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        document = YamlDocument(data=None)
        if node is not None:
            document.lines[()] = node.start_mark.line + 1
            document.data = _convert(loader, node, (), document)
        return document
    finally:
        loader.dispose()


def _convert(loader: Any, node: yaml.Node, path: KeyPath, document: YamlDocument) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                document.problems.append(Problem(path, f"keys must be text, not {key!r}", line))
                continue
            child = (*path, key)
            if key in result:
                document.problems.append(
                    Problem(child, f"duplicate key '{key}' (first at line {document.lines[child]}); keep one", line)
                )
                continue
            document.lines[child] = line
            result[key] = _convert(loader, value_node, child, document)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item_node in enumerate(node.value):
            child = (*path, index)
            document.lines[child] = item_node.start_mark.line + 1
            items.append(_convert(loader, item_node, child, document))
        return items
    return loader.construct_object(node, deep=True)
