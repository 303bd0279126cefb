"""Read YAML files (codebooks, sessions registers, settings) within limits, so a small hostile file cannot exhaust memory.

A YAML alias (``*name``) repeats the value of an anchor (``&name``); nested
anchors make a 1 KB file expand to billions of values ("billion laughs"). Before
anything is built, :func:`check_yaml_limits` walks the parser's event stream
once (no recursion, no expansion), computing how many values the document
expands to, how deep it nests and how many aliases it uses. A file over
:data:`MAX_YAML_BYTES` is refused before it is read (:func:`read_yaml_text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tcs_themes.zip_limits import size_text

#: Most aliases (``*name``) a YAML file may use.
MAX_YAML_ALIASES = 100
#: Most values (scalars, lists, mappings) a YAML file may hold once its aliases are expanded.
MAX_YAML_VALUES = 1_000_000
#: Deepest nesting of lists and mappings in a YAML file.
MAX_YAML_DEPTH = 64
#: Most bytes a YAML (or .qdc) file may have (16 MiB; the default codebook is 110 KB, and 42 MB of YAML took
#: 6.6 s and 340 MB to load).
MAX_YAML_BYTES = 16 << 20

#: libyaml's loader when PyYAML was built with it (several times faster), else the pure-Python one.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FIX = "write the values out instead of using anchors and aliases"


class YamlLimitError(yaml.YAMLError):
    """A YAML document exceeds one of the limits, or is not UTF-8 text; ``problem`` says which, as a phrase for a one-line message."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def check_yaml_limits(text: str) -> None:
    """Check ``text`` against :data:`MAX_YAML_ALIASES`, :data:`MAX_YAML_VALUES` and :data:`MAX_YAML_DEPTH`.

    Raises
    ------
    YamlLimitError
        If the document breaks a limit, or an alias refers to a value that contains it.
    yaml.YAMLError
        On a syntax error.
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # per open collection: its anchor, its expanded size so far
    aliases = total = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise YamlLimitError(f"uses more than {MAX_YAML_ALIASES} aliases (*name); {_FIX}")
            if event.anchor not in sizes:
                raise YamlLimitError(
                    f"the alias *{event.anchor} refers to no anchor defined before it, or to a value that contains it; {_FIX}"
                )
            size = sizes[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_YAML_DEPTH:
                raise YamlLimitError(f"nests lists and mappings more than {MAX_YAML_DEPTH} deep; flatten it")
            stack.append([event.anchor, 1])
            size = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, own = stack.pop()
            if anchor:
                sizes[anchor] = own
            stack[-1][1] += own
            continue
        else:
            continue
        total += size
        if total > MAX_YAML_VALUES:
            raise YamlLimitError(
                f"expands to more than {MAX_YAML_VALUES:,} values (anchors repeated by aliases); {_FIX}"
            )
        if not isinstance(event, yaml.CollectionStartEvent):
            stack[-1][1] += size


def read_yaml_text(path: Path) -> str:
    """The UTF-8 text of the file ``path`` (a byte-order mark dropped), refused before reading when it is too big.

    Raises
    ------
    YamlLimitError
        If the file has more than :data:`MAX_YAML_BYTES` bytes, or is not UTF-8 text.
    OSError
        If it cannot be read.
    """
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise YamlLimitError(
            f"refused: the file is {size_text(size)}, more than the {size_text(MAX_YAML_BYTES)} a settings, "
            "register or codebook file may have; check it is the right file"
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlLimitError("the file is not UTF-8 text; save it as UTF-8") from None


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` after :func:`check_yaml_limits`; raises the same errors."""
    check_yaml_limits(text)
    return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a SafeLoader
