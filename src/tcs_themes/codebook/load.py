"""Load a codebook file (YAML or REFI-QDA ``.qdc``), validating it.

A YAML text that validated cleanly before is read back from the user cache
(:mod:`tcs_themes.codebook.codebook_cache`) instead of being validated again.

Errors name the file, the line and the key, and all problems in a file are
reported together in one :class:`~tcs_themes.errors.CodebookValidationError`.
Unknown keys are reported as :class:`~tcs_themes.errors.CodebookWarning`
warnings, with the closest known key.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from pathlib import Path

import yaml

from tcs_themes.codebook.codebook_cache import read_cached_codebook, write_cached_codebook
from tcs_themes.codebook.model import Codebook
from tcs_themes.codebook.problems import raise_problems, read_text
from tcs_themes.codebook.refi_qda import import_qdc
from tcs_themes.codebook.validation import build_codebook
from tcs_themes.codebook.yaml_source import parse_yaml
from tcs_themes.errors import CodebookError
from tcs_themes.yaml_limits import YamlLimitError

#: The default codebook, relative to the repository root and to the installed package.
DEFAULT_CODEBOOK = "codebooks/tcs.yaml"


def default_codebook_path() -> Path:
    """Return the path of the bundled default codebook (``codebooks/tcs.yaml``).

    In an installed wheel it is ``tcs_themes/_bundled/codebooks/tcs.yaml``; in a
    source checkout it is the repository's ``codebooks/tcs.yaml``.

    Raises
    ------
    CodebookError
        If neither exists (a broken installation).
    """
    bundled = importlib.resources.files("tcs_themes") / "_bundled" / DEFAULT_CODEBOOK
    if bundled.is_file():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[3] / DEFAULT_CODEBOOK
    if checkout.is_file():
        return checkout
    raise CodebookError(DEFAULT_CODEBOOK, "the default codebook is missing from this installation; reinstall tcs-themes")


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook.

    Parameters
    ----------
    path : str or Path, optional
        A YAML codebook (``.yaml``/``.yml``) or a REFI-QDA codebook (``.qdc``).
        None loads the default codebook (:func:`default_codebook_path`).

    Returns
    -------
    Codebook
        With ``source`` set to the path.

    Raises
    ------
    CodebookError
        If the file is missing, empty, not UTF-8 or not valid YAML/XML.
    CodebookValidationError
        If the codebook has problems (all are listed, each with line and key).

    Warns
    -----
    CodebookWarning
        For each unknown key (with the closest known key).

    Examples
    --------
    >>> codebook = load_codebook()
    >>> codebook.ids[:3]
    ['community_involvement', 'measuring_outcomes', 'clarity']
    """
    source = Path(path) if path is not None else default_codebook_path()
    if source.suffix.lower() == ".qdc":
        return import_qdc(source)
    text = read_text(source, "codebook")
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise CodebookError(str(source), "the file is empty; a codebook needs a 'themes:' list (see docs/codebook.md)")
    cached = read_cached_codebook(text, source.stem)
    if cached is not None:
        return dataclasses.replace(cached, source=str(source))
    try:
        document = parse_yaml(text)
    except YamlLimitError as error:
        raise CodebookError(str(source), error.problem) from None
    except yaml.YAMLError as error:
        raise CodebookError(str(source), _yaml_error_message(error), _yaml_error_where(error)) from None
    result = build_codebook(document.data, default_name=source.stem)
    result.problems[:0] = document.problems
    codebook = raise_problems(result, str(source), document)
    if not result.warnings:
        write_cached_codebook(text, source.stem, codebook)
    return Codebook(name=codebook.name, themes=codebook.themes, subthemes=codebook.subthemes, source=str(source))


def _yaml_error_where(error: yaml.YAMLError) -> str | None:
    mark = getattr(error, "problem_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None


def _yaml_error_message(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or "cannot be read"
    hint = "check the indentation, and quote text that contains ': ' or starts with a special character"
    if "expected a single document" in str(error):
        problem, hint = "more than one YAML document ('---')", "keep one codebook per file"
    return f"YAML syntax error: {problem}; {hint}"
