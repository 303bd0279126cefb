"""Read a codebook file's text, and turn what validation found into warnings or one error.

Shared by the YAML loader (:mod:`tcs_themes.codebook.load`) and the REFI-QDA
reader (:mod:`tcs_themes.codebook.refi_qda`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from tcs_themes.codebook.model import Codebook
from tcs_themes.codebook.validation import BuildResult, describe_path
from tcs_themes.codebook.yaml_source import Problem, YamlDocument
from tcs_themes.errors import CodebookError, CodebookValidationError, CodebookWarning
from tcs_themes.yaml_limits import YamlLimitError, read_yaml_text


def read_text(source: Path, kind: str) -> str:
    """Read a UTF-8 text file, or raise a :class:`CodebookError` saying what to do."""
    if not source.is_file():
        raise CodebookError(str(source), f"{kind} file not found; check the path")
    try:
        return read_yaml_text(source)
    except YamlLimitError as error:
        raise CodebookError(str(source), error.problem.replace("the file", f"the {kind}", 1)) from None
    except OSError as error:
        raise CodebookError(str(source), f"cannot read the {kind} ({error.strerror or type(error).__name__})") from None


def raise_problems(result: BuildResult, source: str, document: YamlDocument | None = None) -> Codebook:
    """Warn about ``result.warnings``; raise all ``result.problems`` at once, else return the codebook.

    Parameters
    ----------
    result : BuildResult
        What :func:`build_codebook` found.
    source : str
        The file name to put in messages.
    document : YamlDocument, optional
        The parsed YAML, to name lines; without it problems are located by key only.
    """
    data = document.data if document is not None else None
    for warning in result.warnings:
        warnings.warn(CodebookWarning(f"{source} ({_locate(warning, document, data)}): {warning.message}"), stacklevel=3)
    if result.problems or result.codebook is None:
        ordered = sorted(result.problems, key=lambda p: _line(p, document) or 0)
        raise CodebookValidationError(source, [f"{_locate(p, document, data)}: {p.message}" for p in ordered])
    return result.codebook


def _line(problem: Problem, document: YamlDocument | None) -> int | None:
    return problem.line or (document.line(problem.path) if document is not None else None)


def _locate(problem: Problem, document: YamlDocument | None, data: object) -> str:
    key = describe_path(data, problem.path) if problem.path else ""
    line = _line(problem, document)
    parts = [f"line {line}" if line else "", f"key {key}" if key else ""]
    return ", ".join(part for part in parts if part) or "top level"
