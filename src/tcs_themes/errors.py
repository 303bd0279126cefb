"""The toolkit's exceptions: one place to find every kind of error it raises.

Every error the toolkit raises on purpose is a :class:`TcsError`. Its message is
one line that names the file (and sheet, row or key where there is one) and
says what to do about it. The CLI prints that line and exits with code 1; it
never prints comment text or a traceback (``--debug`` shows the traceback).

Messages must never contain comment text: they may be logged or shown to
people who are not allowed to see personal data.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def one_line(message: str) -> str:
    r"""``message`` with its control characters written as escapes, so it prints on one line.

    >>> one_line("notes\nfinal.xlsx: the file is empty")
    'notes\\nfinal.xlsx: the file is empty'
    """
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], message)


class TcsError(Exception):
    """Base class for errors with a one-line, user-facing message.

    Errors pickle with their attributes (``path``, ``problem``...), whatever their
    constructor takes, so one raised in a Dask worker reaches the caller whole.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt_error, (type(self), self.args, self.__dict__))


def _rebuilt_error(kind: type[TcsError], args: tuple[object, ...], state: dict[str, object]) -> TcsError:
    """Unpickle a :class:`TcsError` without calling its constructor (see ``TcsError.__reduce__``)."""
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class InputFileError(TcsError, ValueError):
    """An input file is missing, unreadable or not in a shape the toolkit understands.

    Parameters
    ----------
    path : str
        The file the problem is in.
    problem : str
        What is wrong and what to do, as a short sentence.
    where : str, optional
        Sheet, row, key or part within the file.
    """

    def __init__(self, path: str, problem: str, where: str | None = None) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f"{self.path} ({where})" if where else self.path
        super().__init__(one_line(f"{location}: {problem}"))  # a file or sheet named with a line break


class SessionRegisterError(InputFileError):
    """The sessions register is malformed, or a session is not in it."""


class SettingsError(InputFileError):
    """The project settings file is malformed."""


class CodebookError(InputFileError):
    """A codebook file is malformed or does not validate."""


class CodebookValidationError(CodebookError):
    """A codebook file has one or more problems; all are in one message and in ``problems``.

    Parameters
    ----------
    path : str
        The codebook file.
    problems : list of str
        Each problem as "line N, key: what is wrong".
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            where, _, problem = self.problems[0].partition(": ")
            super().__init__(path, problem, where)
        else:
            numbered = " ".join(f"({n}) {problem}" for n, problem in enumerate(self.problems, 1))
            super().__init__(path, f"{len(self.problems)} problems: {numbered}")


class CodebookWarning(UserWarning):
    """Something in a codebook is probably a mistake (an unknown key) but does not stop it loading."""


class ModelError(InputFileError):
    """A model file cannot be loaded, is untrusted, or does not fit the codebook."""


class MissingExtraError(TcsError, ImportError):
    """An optional dependency is needed for this input; the message says how to install it."""


class ExerciseFileError(InputFileError):
    """The community-event exercise workbook (the 4Ps stickers) is malformed."""


class SettingsWarning(UserWarning):
    """The project settings file has something the toolkit ignores (e.g. an unknown key)."""


class UsageError(TcsError, ValueError):
    """An option or argument has a value the toolkit cannot use; the message says which and why."""


class LabelsError(InputFileError):
    """An analyst-coded file has no usable text or theme columns, or names a theme the codebook lacks."""


class LabelsWarning(UserWarning):
    """An analyst's code in the input names a theme the codebook lacks; that comment keeps the machine's codes."""


class CodingInputError(InputFileError):
    """An input to ``code`` or ``evaluate`` has no text column or cannot be aligned with another file."""


class ProjectFileError(InputFileError):
    """A REFI-QDA project (``.qdpx``) is not a zip, not REFI-QDA, over the size limits, or unsafe to read."""


class OutputFileError(InputFileError):
    """An output file or its folder cannot be written (read-only, missing drive, disk full); nothing half-written is left."""


class NoCommentsError(TcsError):
    """The inputs gave no comment to code: every file failed, or none held a comment.

    Parameters
    ----------
    message : str
        The one-line summary.
    problems : list of str
        The per-file errors (one line each, no comment text), to show before the summary.
    """

    def __init__(self, message: str, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(message)


class NotesWarning(UserWarning):
    """The analyst's notes file has a note for a report section that no longer exists (the note is not used)."""
