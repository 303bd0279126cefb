"""Check one rule pattern of a codebook and turn it into a :class:`Pattern`.

A pattern is written in one of three shapes (see ``docs/codebook.md``)::

    - plain english                       # a phrase, matched on lower-case text
    - lemmas: community centre            # a phrase matched on lemmas
    - tokens: [{LEMMA: green}, {LEMMA: {IN: [space, area]}}]   # a spaCy Matcher pattern

Each is checked the way spaCy will use it: phrases must tokenize to at least
one token; token patterns are validated with spaCy's own schema and compiled
into a Matcher, and must not rely on attributes the rule pipeline does not set
(POS, DEP, ...), use upper-case LOWER/LEMMA values, name a word that is not a
lemma, use a REGEX that can backtrack for hours (see
:mod:`tcs_themes.codebook.regex_checks`), or match every comment.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING, Any

from tcs_themes.codebook.model import Pattern
from tcs_themes.codebook.regex_checks import regex_problem

if TYPE_CHECKING:
    from spacy.language import Language

#: Keys a pattern mapping may have.
PATTERN_KEYS = ("id", "phrase", "lemmas", "tokens", "scope")
#: Scopes an exclusion may have; the first is the default.
SCOPES = ("comment", "overlap")
#: Token attributes only a tagger, parser or entity recognizer would set.
UNSET_ATTRIBUTES = frozenset(
    {"POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "SENT_START", "IS_SENT_START"}
)
_KNOWN_ATTRIBUTES = (
    "ORTH TEXT NORM LOWER LEMMA LENGTH SHAPE PREFIX SUFFIX OP IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_UPPER "
    "IS_TITLE IS_PUNCT IS_SPACE IS_STOP IS_BRACKET IS_QUOTE IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY "
    "LIKE_NUM LIKE_URL LIKE_EMAIL"
).split()
_LOWERCASE_ATTRIBUTES = ("LOWER", "LEMMA")
_SPACY_ERROR = re.compile(r"\[pattern -> (\d+) -> ([^\]]*)\] (.*)")
_YAML_SURPRISES = "YAML read {value!r} as {kind}, not a word: put it in quotes"

Issue = tuple[tuple[str | int, ...], str]


def _nlp() -> Language:
    """The rule pipeline; spaCy is imported when a pattern is first checked, so the codebook package imports fast."""
    from tcs_themes.coding.rules.nlp import make_nlp

    return make_nlp()


@functools.cache
def _lemma_values() -> frozenset[str]:
    table = _nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return frozenset(table.values())


def _lemma_of(word: str) -> str:
    table = _nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return table.get(word, word)


def _not_text(value: Any) -> str | None:
    """Say how YAML misread ``value`` if it is not a string (``no`` -> False), else None."""
    if isinstance(value, str):
        return None
    if isinstance(value, bool):
        return _YAML_SURPRISES.format(value=value, kind="true/false")
    if isinstance(value, (int, float)):
        return _YAML_SURPRISES.format(value=value, kind="a number")
    return None


def parse_pattern(item: Any, default_id: str, *, exclusion: bool) -> tuple[Pattern | None, list[Issue]]:
    """Check one pattern item from a codebook and build its :class:`Pattern`.

    Parameters
    ----------
    item : str or dict
        The item as read from YAML: a phrase, or a mapping with one of
        ``phrase``, ``lemmas``, ``tokens`` and optionally ``id`` and (for
        exclusions) ``scope``.
    default_id : str
        The id to give the pattern when the item has none.
    exclusion : bool
        Whether the item is an exclusion (only exclusions have a scope).

    Returns
    -------
    pattern : Pattern or None
        None when the item has problems.
    issues : list of (key path, message)
        Problems, located relative to the item. Unknown keys are not reported
        here (the caller warns about them).
    """
    if isinstance(item, str):
        item = {"phrase": item}
    elif not isinstance(item, dict):
        misread = _not_text(item)
        return None, [((), misread or "a pattern must be a phrase or a mapping with phrase, lemmas or tokens")]
    shapes = [key for key in ("phrase", "lemmas", "tokens") if key in item]
    if len(shapes) != 1:
        found = ", ".join(shapes) if shapes else "none"
        return None, [((), f"give exactly one of phrase, lemmas or tokens (found: {found})")]
    shape = shapes[0]
    issues: list[Issue] = []
    pattern_id = item.get("id", default_id)
    if not isinstance(pattern_id, str) or not pattern_id.strip():
        issues.append((("id",), "a pattern id must be non-empty text"))
    scope = item.get("scope")
    if scope is not None and not exclusion:
        issues.append((("scope",), "only exclusions have a scope; remove it"))
    elif exclusion and scope is not None and scope not in SCOPES:
        issues.append((("scope",), f"scope must be {' or '.join(SCOPES)}, not {scope!r}"))
    if exclusion and scope is None:
        scope = SCOPES[0]
    value = item[shape]
    if shape == "tokens":
        issues.extend(((shape, *path), message) for path, message in check_tokens(value))
    else:
        issues.extend(((shape, *path), message) for path, message in _check_phrase(value, shape))
    if issues:
        return None, issues
    if shape == "tokens":
        return Pattern(id=pattern_id, tokens=tuple(value), scope=scope), []
    return Pattern(id=pattern_id, scope=scope, **{shape: value.strip()}), []


def _check_phrase(value: Any, shape: str) -> list[Issue]:
    misread = _not_text(value)
    if misread:
        return [((), misread)]
    if not isinstance(value, str) or not value.strip():
        return [((), f"{shape} must be non-empty text")]
    if not any(not token.is_space for token in _nlp().make_doc(value.strip())):
        return [((), f"{shape} {value!r} has no words")]
    return []


def check_tokens(tokens: Any) -> list[Issue]:
    """Check a spaCy Matcher token pattern; return (key path, message) problems.

    Parameters
    ----------
    tokens : list of dict
        The pattern, e.g. ``[{"LEMMA": "green"}, {"LEMMA": "space"}]``.
    """
    if not isinstance(tokens, list) or not tokens or not all(isinstance(t, dict) for t in tokens):
        return [((), "tokens must be a non-empty list of token mappings, e.g. [{LEMMA: park}]")]
    issues = _spacy_schema_issues(tokens)
    if issues:
        return issues
    for index, token in enumerate(tokens):
        issues.extend(((index, *path), message) for path, message in _check_token(token))
    if issues:
        return issues
    if not any(_is_anchored(token) for token in tokens):
        return [((), "every token is optional or unconstrained, so it would match any comment")]
    from spacy.matcher import Matcher

    try:
        Matcher(_nlp().vocab, validate=True).add("check", [tokens])
    except Exception as error:  # noqa: BLE001 - spaCy raises many types; report its first line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [((), f"spaCy cannot compile it: {first_line}")]
    return []


def _spacy_schema_issues(tokens: list[dict[str, Any]]) -> list[Issue]:
    from spacy.schemas import validate_token_pattern

    issues: list[Issue] = []
    seen: set[int] = set()
    for raw in validate_token_pattern(tokens):
        found = _SPACY_ERROR.match(raw)
        if not found:
            issues.append(((), raw))
            continue
        index, where, message = int(found.group(1)), found.group(2), found.group(3)
        if index in seen:  # spaCy lists one error per alternative type; the first says enough
            continue
        seen.add(index)
        attribute = where.split(" -> ")[0]
        hint = ""
        if "Extra inputs" in message:
            close = difflib.get_close_matches(attribute.upper(), _KNOWN_ATTRIBUTES, n=1)
            message = f"unknown attribute '{attribute}'"
            hint = f"; did you mean '{close[0]}'?" if close else ""
        else:
            value = tokens[index].get(attribute)
            values = value.get("IN", []) + value.get("NOT_IN", []) if isinstance(value, dict) else [value]
            misread = next((_not_text(v) for v in values if isinstance(v, (bool, int, float))), None)
            message = misread or message[0].lower() + message[1:]
        issues.append(((index, attribute), message + hint))
    return issues


def _check_token(token: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    for attribute, value in token.items():
        name = attribute.upper()
        if isinstance(value, dict) and "REGEX" in value:
            problem = regex_problem(value["REGEX"])
            if problem:
                issues.append(((attribute, "REGEX"), problem))
        if name in UNSET_ATTRIBUTES:
            issues.append(
                ((attribute,), f"{name} is never set by the rule pipeline (tokenizer and lemmatizer); use LOWER or LEMMA")
            )
        if name not in _LOWERCASE_ATTRIBUTES:
            continue
        words = value if isinstance(value, str) else [
            word for key in ("IN", "NOT_IN") for word in (value.get(key) or []) if isinstance(word, str)
        ]
        for word in [words] if isinstance(words, str) else words:
            if word != word.lower():
                issues.append(((attribute,), f"{name} values are lower case; write {word.lower()!r}, not {word!r}"))
            elif name == "LEMMA" and _lemma_of(word) != word and word not in _lemma_values():
                issues.append(
                    ((attribute,), f"{word!r} is not a lemma (the lemma of {word!r} is {_lemma_of(word)!r}), "
                     "so it never matches: use the lemma or LOWER")
                )
    return issues


def _is_anchored(token: dict[str, Any]) -> bool:
    """Whether ``token`` must match at least one real token (it constrains and is not optional)."""
    operator = token.get("OP")
    constrains = any(key.upper() != "OP" for key in token)
    if operator in (None, "+"):
        return constrains
    if operator in ("*", "?", "!"):
        return False
    repeat = re.match(r"\{(\d*)", str(operator))
    return constrains and bool(repeat and repeat.group(1) and int(repeat.group(1)) >= 1)
