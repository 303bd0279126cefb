"""Refuse ``REGEX`` values in token patterns that can take exponential (or high polynomial) time.

Python's regular-expression engine backtracks: ``(a+)+$`` takes seconds on a
25-letter word and hours on a 35-letter one. spaCy runs a token pattern's
``REGEX`` on every token of every comment, so one such pattern hangs coding.
The checks here look at the parsed pattern (no matching is run) and refuse the
shapes that backtrack badly:

- a repeated part inside another repeated part (``(a+)+``, ``(\\w+\\s?)*``, ``(.*x){3}``);
- alternatives that can start with the same character inside a repeat (``(a|ab)+``, ``(\\w|\\d)*``);
- backreferences (``(a)\\1``);
- more than :data:`MAX_UNBOUNDED_REPEATS` unbounded repeats (``.*a.*b.*c``);
- a pattern longer than :data:`MAX_REGEX_CHARS` characters.

Even an accepted pattern is polynomial: ``.*a.*b.*c`` takes 24 seconds on one
4,000-letter "word". So the rule coder runs each REGEX through
:func:`bounded_regex`, which makes it fail at once on a token longer than
:data:`MAX_REGEX_TOKEN_CHARS` characters (no word is that long).
"""

from __future__ import annotations

import re
import re._constants as sre  # noqa: PLC2701 - the parser's opcodes; stable since Python 3.11
import re._parser as sre_parse  # noqa: PLC2701

#: Longest REGEX a token pattern may have.
MAX_REGEX_CHARS = 200
#: Most unbounded repeats (``*``, ``+``, ``{n,}``) in one REGEX.
MAX_UNBOUNDED_REPEATS = 3

#: Longest token a REGEX is tried on; longer tokens (no real word) never match a REGEX.
MAX_REGEX_TOKEN_CHARS = 100

_GLOBAL_FLAGS = re.compile(r"^(?:\(\?[aiLmsux]+\))*")
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_ANY = object()  # "could start with any character"
_FIX = "rewrite it without nested or overlapping repeats (see docs/codebook.md)"


def regex_problem(pattern: object) -> str | None:
    """Say why ``pattern`` is not a safe REGEX for a token pattern, or return None when it is."""
    if not isinstance(pattern, str):
        return "REGEX must be text"
    if len(pattern) > MAX_REGEX_CHARS:
        return f"REGEX is longer than {MAX_REGEX_CHARS} characters; split it into several patterns"
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # spaCy's own compile check reports it
    counts = {"unbounded": 0}
    problem = _walk(list(parsed), inside_repeat=False, counts=counts)
    if problem is None and counts["unbounded"] > MAX_UNBOUNDED_REPEATS:
        problem = f"it has {counts['unbounded']} unbounded repeats (more than {MAX_UNBOUNDED_REPEATS})"
    return f"REGEX {pattern!r} can backtrack for hours on a long word: {problem}; {_FIX}" if problem else None


def _walk(items: list, *, inside_repeat: bool, counts: dict[str, int]) -> str | None:
    for op, value in items:
        if op in _REPEATS:
            low, high, body = value
            repeats = high == sre.MAXREPEAT or high > 1
            counts["unbounded"] += high == sre.MAXREPEAT
            if repeats and inside_repeat:
                return "a repeated part is inside another repeated part"
            if repeats and _overlapping_branches(list(body)):
                return "alternatives inside a repeat can start with the same character"
            problem = _walk(list(body), inside_repeat=inside_repeat or repeats, counts=counts)
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return "it uses a backreference"
        else:
            problem = None
            for child in _children(op, value):
                problem = problem or _walk(child, inside_repeat=inside_repeat, counts=counts)
        if problem:
            return problem
    return None


def _children(op: object, value: object) -> list[list]:
    """The sub-patterns of a group, an alternation or a lookaround."""
    if op == sre.SUBPATTERN:
        return [list(value[3])]
    if op == sre.BRANCH:
        return [list(branch) for branch in value[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(value[1])]
    if op == sre.ATOMIC_GROUP:
        return [list(value)]
    return []


def _overlapping_branches(items: list) -> bool:
    """Whether an alternation in ``items`` (not nested in another repeat) has two branches that can start alike."""
    for op, value in items:
        if op == sre.BRANCH:
            starts: list[object] = []
            for branch in value[1]:
                first = _first_char(list(branch))
                if first is _ANY or first in starts or (_ANY in starts):
                    return True
                starts.append(first)
        for child in _children(op, value):
            if _overlapping_branches(child):
                return True
    return False


def _first_char(items: list) -> object:
    """The lower-cased first character a sequence must start with, or ``_ANY``."""
    if not items:
        return _ANY
    op, value = items[0]
    if op == sre.LITERAL:
        return chr(value).lower()
    if op == sre.SUBPATTERN:
        return _first_char(list(value[3]))
    return _ANY


def bounded_regex(pattern: str) -> str:
    """Rewrite ``pattern`` so that searching a token with it fails at once when the token is too long.

    ``re.search(bounded_regex(p), token)`` finds what ``re.search(p, token)``
    finds for tokens of up to :data:`MAX_REGEX_TOKEN_CHARS` characters, and
    nothing in longer ones (checked in one step: the pattern is anchored at
    the start and looks ahead at the length first). Leading inline flags
    (``(?i)``) stay in front, as Python requires.
    """
    flags = _GLOBAL_FLAGS.match(pattern).group()
    close = "\n)" if "x" in flags else ")"  # in verbose mode a trailing "# comment" must not swallow the ")"
    return rf"{flags}\A(?=[\s\S]{{0,{MAX_REGEX_TOKEN_CHARS}}}\Z)[\s\S]*?(?:{pattern[len(flags):]}{close}"
