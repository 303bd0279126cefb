"""The sessions register: which sessions the consultation held, and how to recognise them.

A register is a YAML file (the format of ``data/raw/sessions.yaml``)::

    strands:
      Strand 1: Strategic overview
    emails:
      strand: null
    sessions:
      - {id: S01, name: Corporate management team, strand: Strand 1,
         date: 2022-07-05, format: online, aliases: [CMT]}

or a CSV file with the columns ``id, name, strand, date, format`` and an
optional ``aliases`` column (several aliases separated by ``;``).

Session names and strand descriptions are redacted like comment text, as they
reach the outputs; a redacted session name is still recognised in its
original form.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from tcs_themes.errors import SessionRegisterError
from tcs_themes.ingest.columns import header_key
from tcs_themes.ingest.redaction import redact_label
from tcs_themes.yaml_limits import YamlLimitError, read_yaml_text, safe_load

SESSION_COLUMNS = ("session_id", "session_name", "strand", "date", "format")
_REQUIRED = ("id", "name", "strand")


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


@dataclass
class SessionRegister:
    """The sessions of a consultation, with their strands, dates and other names.

    Attributes
    ----------
    path : Path
        The register file.
    sessions : DataFrame
        One row per session: ``session_id, session_name, strand, date, format``.
    strands : dict
        Strand label -> description (empty when the register gives none).
    email_strand : str or None
        The strand emails to the consultation belong to (``emails.strand``).
    aliases : dict
        Session id -> other names note-takers used for it.
    """

    path: Path
    sessions: pd.DataFrame
    strands: dict[str, str]
    email_strand: str | None
    aliases: dict[str, list[str]]

    def __post_init__(self) -> None:
        self._rows = {row["session_id"]: row for _, row in self.sessions.iterrows()}
        self._found: dict[str, str | None] = {}
        self._keys: dict[str, str] = {}
        for row in self.sessions.itertuples(index=False):
            names = [row.session_id, row.session_name, *self.aliases.get(row.session_id, [])]
            for name in names:
                key = header_key(name)
                other = self._keys.setdefault(key, row.session_id)
                if other != row.session_id:
                    raise SessionRegisterError(
                        str(self.path), f"the name {name!r} is used by both {other} and {row.session_id}; "
                        "make each name and alias unique", where="sessions"
                    )

    def find(self, name: object) -> pd.Series | None:
        """Return the session whose id, name or alias is ``name`` or is named within it.

        Matching ignores case, punctuation and spacing. A sheet, file or title
        such as ``"S04 partners_1 notes.xlsx"`` matches when it contains exactly
        one session's id, name or alias as whole words (the longest wins).
        Returns ``None`` when nothing matches or the match is ambiguous.
        """
        key = header_key(re.sub(r"\.(xlsx|xlsm|csv)$", "", str(name), flags=re.IGNORECASE))
        if key not in self._found:
            self._found[key] = self._find_key(key)
        session_id = self._found[key]
        return None if session_id is None else self._rows[session_id]

    def _find_key(self, key: str) -> str | None:
        if not key or key in self._keys:
            return self._keys.get(key)
        padded = f" {key} "
        found = [(len(k), sid) for k, sid in self._keys.items() if f" {k} " in padded]
        if not found:
            return None
        longest = max(length for length, _ in found)
        ids = {sid for length, sid in found if length == longest}
        return ids.pop() if len(ids) == 1 else None

    def close_matches(self, name: object, n: int = 3) -> list[str]:
        """Return up to ``n`` sessions (as ``"S04 Community and cultural partners 1"``) close to ``name``."""
        keys = difflib.get_close_matches(header_key(name), list(self._keys), n=n * 2, cutoff=0.5)
        ids = list(dict.fromkeys(self._keys[key] for key in keys))[:n]
        names = dict(zip(self.sessions["session_id"], self.sessions["session_name"], strict=True))
        return [f"{sid} {names[sid]}" for sid in ids]

    def match(self, name: object) -> pd.Series:
        """Return the session ``name`` refers to (by id, name, alias, sheet or file name).

        Raises
        ------
        SessionRegisterError
            If no session matches; the message lists the closest sessions.
        """
        row = self.find(name)
        if row is None:
            raise SessionRegisterError(str(self.path), self.unknown_message(name))
        return row

    def unknown_message(self, name: object) -> str:
        """Say that ``name`` is not a session of this register, with the close matches."""
        close = self.close_matches(name)
        hint = f"close matches: {', '.join(close)}" if close else "no close matches"
        return (
            f"session {str(name)!r} is not in the register ({hint}); "
            "add it (or an alias) to the register or correct the name"
        )


def _load_yaml(path: Path) -> tuple[list[dict], dict[str, str], str | None]:
    try:
        data = safe_load(read_yaml_text(path))
    except YamlLimitError as error:
        raise SessionRegisterError(str(path), error.problem) from None
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        where = f"line {line + 1}" if line is not None else None
        raise SessionRegisterError(str(path), "is not valid YAML; check indentation and quotes", where) from None
    if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
        raise SessionRegisterError(str(path), "must be a mapping with a 'sessions:' list", "sessions")
    strands = data.get("strands") or {}
    emails = data.get("emails") or {}
    if not isinstance(strands, dict) or not isinstance(emails, dict):
        raise SessionRegisterError(str(path), "'strands' and 'emails' must be mappings", "strands")
    email_strand = emails.get("strand")
    return data["sessions"], {str(k): str(v) for k, v in strands.items()}, email_strand


def _load_csv(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rename = {"session_id": "id", "session_name": "name", "session": "name"}
    return [{rename.get(header_key(k).replace(" ", "_"), header_key(k)): v for k, v in row.items()} for row in reader]


def load_register(path: str | Path) -> SessionRegister:
    """Load a sessions register from a YAML or CSV file.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml`` or ``.csv`` file.

    Returns
    -------
    SessionRegister

    Raises
    ------
    SessionRegisterError
        If the file is missing or malformed: a session without id, name or
        strand, an unreadable date, a repeated id, a strand not among ``strands``.
    """
    source = Path(path)
    if not source.is_file():
        raise SessionRegisterError(str(source), "sessions register not found; check the path")
    if source.suffix.lower() in (".yaml", ".yml"):
        entries, strands, email_strand = _load_yaml(source)
    elif source.suffix.lower() == ".csv":
        entries, strands, email_strand = _load_csv(source), {}, None
    else:
        raise SessionRegisterError(str(source), "a sessions register must be a .yaml or .csv file")
    rows, aliases = [], {}
    for number, entry in enumerate(entries, start=1):
        where = f"session {number}"
        if not isinstance(entry, dict) or any(not str(entry.get(k) or "").strip() for k in _REQUIRED):
            raise SessionRegisterError(str(source), "each session needs an id, a name and a strand", where)
        session_id = str(entry["id"]).strip()
        if session_id in aliases:
            raise SessionRegisterError(str(source), f"session id {session_id} is used twice", where)
        strand = str(entry["strand"]).strip()
        if strands and strand not in strands:
            close = difflib.get_close_matches(strand, list(strands), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SessionRegisterError(str(source), f"strand {strand!r} is not under 'strands'{hint}", where)
        date = pd.to_datetime(entry.get("date") or None, errors="coerce", dayfirst=True)
        if entry.get("date") and pd.isna(date):
            raise SessionRegisterError(str(source), "the date is not a date; write it as YYYY-MM-DD", where)
        aliases[session_id] = _as_list(entry.get("aliases"))
        name = str(entry["name"]).strip()
        shown = str(redact_label(name))
        if shown != name:  # the name is shown redacted, and still recognised in sheet and file names
            aliases[session_id].append(name)
        rows.append((session_id, shown, strand, date, str(entry.get("format") or "").strip() or None))
    if not rows:
        raise SessionRegisterError(str(source), "the register lists no sessions", "sessions")
    sessions = pd.DataFrame(rows, columns=list(SESSION_COLUMNS)).astype(
        {"session_id": "string", "session_name": "string", "strand": "string", "date": "datetime64[ns]", "format": "string"}
    )
    if not strands:
        strands = {label: "" for label in sessions["strand"].drop_duplicates()}
    strands = {label: str(redact_label(description)) for label, description in strands.items()}
    return SessionRegister(source, sessions, strands, None if email_strand is None else str(email_strand), aliases)
