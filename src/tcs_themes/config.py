"""The project settings file ``tcs-themes.yaml``: where the register is, what to skip, column names.

Looked for in the input folder given to ``ingest``, else in the current
directory, unless a path is given (``--settings``). Every key is optional::

    register: sessions.yaml               # the sessions register, relative to this file
    exercises: [four_ps_exercise.xlsx]    # files that are not comments (globs)
    skip: ["drafts/*"]                    # files to leave out (globs)
    columns: {text: "What was said", theme: Code}   # explicit column names per role
    column_synonyms: {text: [Views]}      # more header names per role
    sheets: [Partners 1]                  # read only these sheets of each workbook
    keep_columns: [Contact preference]    # columns kept as they are, though they look personal
    emails: {strand: null}                # the strand emails belong to
    report: {title: ..., organisation: ..., author: ..., date: ...}   # the report's front page and text

See ``docs/settings.md``.
"""

from __future__ import annotations

import datetime
import difflib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tcs_themes.errors import SettingsError, SettingsWarning
from tcs_themes.yaml_limits import YamlLimitError, read_yaml_text, safe_load

SETTINGS_FILE = "tcs-themes.yaml"
#: The roles a column can play. The first five fill the standard comment column of the same name;
#: ``theme`` (the analyst's main theme) and ``other_themes`` (their further themes) fill ``analyst_codes``.
ROLES = ("text", "session", "date", "question", "strand", "theme", "other_themes")
KEYS = ("register", "exercises", "skip", "columns", "column_synonyms", "sheets", "keep_columns", "emails", "report")
EMAIL_KEYS = ("strand",)
#: Text keys of ``report:`` (the front page and the analyst's own sections).
REPORT_TEXT_KEYS = ("title", "organisation", "author", "date", "background", "objectives", "method")
#: Comment-id list keys of ``report.quotes:``.
QUOTE_KEYS = ("approve", "pin", "ban")
REPORT_KEYS = (*REPORT_TEXT_KEYS, "comment_ids", "quotes")


@dataclass(frozen=True)
class ReportSettings:
    """The report's front page, the analyst's own text and quote choices (``report:`` in the settings file).

    Attributes
    ----------
    title, organisation, author, date : str
        The front page. ``date`` is shown as written (e.g. ``"March 2023"``);
        empty means the date the outputs were generated.
    background, objectives, method : str
        The analyst's text for these sections; empty means a generated default.
    comment_ids : bool
        Show each quote's comment id in the report (the workbook always has them).
    approve, pin, ban : tuple of str
        Comment ids: quotes with special-category details the analyst approved
        for publication; quotes to use first for their themes; quotes never to use.
    """

    title: str = "Consultation feedback: thematic analysis"
    organisation: str = ""
    author: str = ""
    date: str = ""
    background: str = ""
    objectives: str = ""
    method: str = ""
    comment_ids: bool = False
    approve: tuple[str, ...] = ()
    pin: tuple[str, ...] = ()
    ban: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Project settings (all optional).

    Attributes
    ----------
    path : Path or None
        The settings file, or ``None`` for the defaults.
    register : Path or None
        The sessions register, resolved against the settings file's folder.
    exercises, skip : tuple of str
        Glob patterns (relative to the settings folder, or bare file names).
    columns : dict
        Role -> column name.
    column_synonyms : dict
        Role -> extra header names.
    sheets : tuple of str
        Sheets to read from each workbook (empty: all).
    keep_columns : tuple of str
        Columns besides the text to carry through as they are, though their
        header or values look personal (by default such columns are dropped).
    email_strand : str or None
        Strand for emails; only meaningful when ``email_strand_set``.
    email_strand_set : bool
        Whether the file set ``emails.strand`` (so it overrides the register's).
    report : ReportSettings
        The report's front page, the analyst's own text and quote choices.
    """

    path: Path | None = None
    register: Path | None = None
    exercises: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    column_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()
    keep_columns: tuple[str, ...] = ()
    email_strand: str | None = None
    email_strand_set: bool = False
    report: ReportSettings = field(default_factory=ReportSettings)

    @property
    def folder(self) -> Path:
        """The folder patterns and the register are relative to."""
        return self.path.parent if self.path else Path.cwd()


def _warn_unknown(path: Path, keys: Sequence[object], known: Sequence[str], where: str = "") -> None:
    for key in keys:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        warnings.warn(f"{path}: unknown key '{where}{key}' ignored{hint}", SettingsWarning, stacklevel=3)


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return tuple(str(item) for item in value)
    raise SettingsError(str(path), "must be a name or a list of names", where=key)


def _roles(path: Path, key: str, value: object) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(str(path), f"must be a mapping of role to name (roles: {', '.join(ROLES)})", where=key)
    for role in value:
        if role not in ROLES:
            close = difflib.get_close_matches(str(role), ROLES, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise SettingsError(str(path), f"unknown role {role!r}; {hint}roles are: {', '.join(ROLES)}", where=key)
    return dict(value)


def _report_settings(path: Path, value: object) -> ReportSettings:
    if value is None:
        return ReportSettings()
    if not isinstance(value, Mapping):
        raise SettingsError(str(path), "must be a mapping such as {title: ..., organisation: ...}", where="report")
    _warn_unknown(path, list(value), REPORT_KEYS, where="report.")
    text = {}
    for key in REPORT_TEXT_KEYS:
        item = value.get(key)
        if item is None:
            continue
        if isinstance(item, datetime.date):  # YAML reads 2023-03-01 as a date
            item = f"{item:%-d %B %Y}"
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise SettingsError(str(path), "must be text", where=f"report.{key}")
        text[key] = str(item).strip()
    ids = value.get("comment_ids", False)
    if not isinstance(ids, bool):
        raise SettingsError(str(path), "must be true or false", where="report.comment_ids")
    quotes = value.get("quotes") or {}
    if not isinstance(quotes, Mapping):
        raise SettingsError(str(path), "must be a mapping such as {ban: [c0123456789ab]}", where="report.quotes")
    _warn_unknown(path, list(quotes), QUOTE_KEYS, where="report.quotes.")
    chosen = {key: _strings(path, f"report.quotes.{key}", quotes.get(key)) for key in QUOTE_KEYS}
    return ReportSettings(**text, comment_ids=ids, **chosen)


def load_settings(path: str | Path) -> Settings:
    """Read and check a settings file.

    Unknown keys are ignored with a :class:`~tcs_themes.errors.SettingsWarning`
    naming the closest known key.

    Raises
    ------
    SettingsError
        If the file is missing, not YAML, or a value has the wrong shape
        (the message names the file and the key).
    """
    source = Path(path)
    if not source.is_file():
        raise SettingsError(str(source), "settings file not found; check the path")
    try:
        data = safe_load(read_yaml_text(source)) or {}
    except YamlLimitError as error:
        raise SettingsError(str(source), error.problem) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise SettingsError(str(source), "is not valid YAML; check indentation and quotes", where) from None
    if not isinstance(data, dict):
        raise SettingsError(str(source), "must be a mapping of keys (register:, columns:, ...)")
    _warn_unknown(source, list(data), KEYS)
    register = data.get("register")
    if register is not None and not isinstance(register, str):
        raise SettingsError(str(source), "must be the path of the sessions register", where="register")
    columns = _roles(source, "columns", data.get("columns"))
    if not all(isinstance(name, str | int) for name in columns.values()):
        raise SettingsError(str(source), "each role maps to one column name", where="columns")
    synonyms = {
        role: _strings(source, f"column_synonyms.{role}", names)
        for role, names in _roles(source, "column_synonyms", data.get("column_synonyms")).items()
    }
    emails = data.get("emails") or {}
    if not isinstance(emails, dict):
        raise SettingsError(str(source), "must be a mapping such as {strand: Emails}", where="emails")
    _warn_unknown(source, list(emails), EMAIL_KEYS, where="emails.")
    strand = emails.get("strand")
    if strand is not None and not isinstance(strand, str | int):
        raise SettingsError(str(source), "must be a strand label or null", where="emails.strand")
    return Settings(
        path=source,
        register=(source.parent / register) if register else None,
        exercises=_strings(source, "exercises", data.get("exercises")),
        skip=_strings(source, "skip", data.get("skip")),
        columns={role: str(name) for role, name in columns.items()},
        column_synonyms=synonyms,
        sheets=_strings(source, "sheets", data.get("sheets")),
        keep_columns=_strings(source, "keep_columns", data.get("keep_columns")),
        email_strand=None if strand is None else str(strand),
        email_strand_set="strand" in emails,
        report=_report_settings(source, data.get("report")),
    )


def find_settings(folders: Sequence[Path]) -> Path | None:
    """Return the first ``tcs-themes.yaml`` in ``folders``, else in the current directory."""
    for folder in [*folders, Path.cwd()]:
        candidate = folder / SETTINGS_FILE
        if candidate.is_file():
            return candidate
    return None


def resolve_settings(settings: Settings | str | Path | None, paths: Sequence[str | Path]) -> Settings:
    """Return the settings to use for ``paths``.

    ``settings`` may be ready :class:`Settings`, a settings file, or None: then
    the ``tcs-themes.yaml`` of the first folder in ``paths`` that has one (else
    of the current directory) is used, and the defaults when there is none.
    """
    if isinstance(settings, Settings):
        return settings
    if settings is not None:
        return load_settings(settings)
    found = find_settings([Path(p) for p in paths if Path(p).is_dir()])
    return load_settings(found) if found else Settings()
