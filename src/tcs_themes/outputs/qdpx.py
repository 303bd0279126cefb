"""Export coded comments as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA and QualCoder.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``) and a ``sources/`` folder. The export holds:

* **Codes**: the codebook's themes with their sub-themes nested, the same
  GUIDs and colours as the ``.qdc`` export (:func:`tcs_themes.codebook.refi_qda.add_codes`).
* **Sources**: one text source per session (or per email, or per file and
  sheet for comments with neither), holding its comments in table order, one
  plain-text file per source in ``sources/``.
* **Selections and codings**: one ``PlainTextSelection`` per comment, named by
  its ``comment_id``, with exact start and end positions over the source text,
  holding one ``Coding`` per theme and sub-theme. Uncoded comments get a
  selection with no coding (their description says so), so every comment
  travels.
* **Users**: the analyst (comments whose ``code_source`` is ``analyst`` or
  ``review``) and ``tcs-themes`` (the machine's codes; every comment when the
  table has no ``code_source`` column).
* **Cases**: one per source, with variables ``Strand``, ``Session id``,
  ``Session name``, ``Date``, ``Format`` and ``Source kind``.

Vendor quirks followed (see ``docs/interop.md``): text files are plain UTF-8
without a byte-order mark and with CRLF line endings, positions count
characters (Unicode code points) with CR and LF each counted; the XML declares
its encoding; sources are plain text, never rich text.

The output is deterministic: GUIDs are UUID 5 of ids, zip entries have fixed
timestamps and order, no creation times are written. Same input, same bytes.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tcs_themes import __version__
from tcs_themes.atomic_write import write_bytes_atomic
from tcs_themes.codebook.model import Codebook
from tcs_themes.codebook.refi_qda import add_codes
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.register import SessionRegister
from tcs_themes.refi import PROJECT_NAMESPACE, project_guid, theme_guid, xml_document, xml_text
from tcs_themes.schema import LIST_SEPARATOR, UNCODED, split_list

#: The name of the machine coder's ``User``.
MACHINE_USER = "tcs-themes"
#: ``code_source`` values whose codes are the analyst's.
HUMAN_SOURCES = ("analyst", "review")
#: Between two comments in a source's text.
COMMENT_SEPARATOR = "\r\n\r\n"
#: The case variables, in order: name -> (column, REFI-QDA type).
VARIABLES: dict[str, tuple[str, str]] = {
    "Strand": ("strand", "Text"),
    "Session id": ("session_id", "Text"),
    "Session name": ("session_name", "Text"),
    "Date": ("date", "Date"),
    "Format": ("format", "Text"),
    "Source kind": ("source_kind", "Text"),
}
#: The description of the selection of a comment with no theme.
UNCODED_DESCRIPTION = "tcs-themes: no theme"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class QdpxExport:
    """What :func:`export_qdpx` wrote.

    Attributes
    ----------
    path : Path
    sources : int
        Text sources (sessions, emails, other files).
    comments : int
        Comments exported, each as a selection.
    codings : int
        Codings (one per theme or sub-theme of a comment).
    skipped : int
        Comments with no text, which have nothing to select.
    wide : int
        Comments holding characters outside the Basic Multilingual Plane (emoji):
        tools that count UTF-16 units (NVivo, MAXQDA) show the selections after
        them in the same source shifted by one character per such character.
    """

    path: Path
    sources: int
    comments: int
    codings: int
    skipped: int
    wide: int = 0


@dataclass
class _Source:
    key: str
    name: str
    rows: pd.DataFrame


def line_text(text: str) -> str:
    """Return ``text`` with every line break as CRLF, as a REFI-QDA text source holds it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def export_qdpx(
    coded: pd.DataFrame,
    codebook: Codebook,
    path: str | Path,
    *,
    register: SessionRegister | None = None,
    analyst: str = "Analyst",
    name: str | None = None,
) -> QdpxExport:
    """Write the coded table as a REFI-QDA project (``.qdpx``), atomically.

    Parameters
    ----------
    coded : DataFrame
        The coded table (``themes``, ``subthemes``, ``text``, ``comment_id``
        and the comment columns; ``code_source`` when there is one).
    codebook : Codebook
        The codebook the table was coded with.
    path : str or Path
        The ``.qdpx`` file to write.
    register : SessionRegister, optional
        Gives each session's ``Format`` (when the table has no ``format`` column).
    analyst : str, default "Analyst"
        The name of the ``User`` who made the analyst's and reviewed codes.
    name : str, optional
        The project's name (default: the codebook's).

    Returns
    -------
    QdpxExport

    Raises
    ------
    InputFileError
        If the table names a theme the codebook lacks, or the file cannot be written.
    """
    target = Path(path)
    table = _with_format(coded, register)
    users = {"analyst": project_guid("user", "analyst"), "machine": project_guid("user", MACHINE_USER)}
    root = ET.Element(_tag("Project"), {
        "name": xml_text(name or codebook.name),
        "origin": f"tcs-themes {__version__}",
        "creatingUserGUID": users["machine"],
    })
    people = ET.SubElement(root, _tag("Users"))
    ET.SubElement(people, _tag("User"), {"guid": users["analyst"], "name": xml_text(analyst), "id": "analyst"})
    ET.SubElement(people, _tag("User"), {"guid": users["machine"], "name": MACHINE_USER, "id": MACHINE_USER})
    add_codes(ET.SubElement(root, _tag("CodeBook")), codebook, PROJECT_NAMESPACE)
    sources = _sources(table)
    used = [v for v, (column, _) in VARIABLES.items() if column in table.columns and table[column].notna().any()]
    if used:
        variables = ET.SubElement(root, _tag("Variables"))
        for variable in used:
            ET.SubElement(variables, _tag("Variable"), {
                "guid": project_guid("variable", variable), "name": variable, "typeOfVariable": VARIABLES[variable][1],
            })
    if sources:
        cases = ET.SubElement(root, _tag("Cases"))
        for source in sources:
            _case(cases, source, used)
    known = {theme.id for theme in (*codebook.themes, *codebook.subthemes)}
    files: dict[str, bytes] = {}
    counts = {"comments": 0, "codings": 0, "skipped": 0, "wide": 0}
    if sources:
        container = ET.SubElement(root, _tag("Sources"))
        for source in sources:
            guid = project_guid("source", source.key)
            element = ET.SubElement(container, _tag("TextSource"), {
                "guid": guid, "name": xml_text(source.name), "plainTextPath": f"internal://{guid}.txt",
                "creatingUser": users["machine"],
            })
            files[f"sources/{guid}.txt"] = _selections(element, source, users, known, counts, str(target)).encode("utf-8")
    qde = xml_document(root, PROJECT_NAMESPACE).replace('encoding="utf-8"', 'encoding="UTF-8"', 1)
    write_bytes_atomic(target, _zip({"project.qde": qde.encode("utf-8"), **files}))
    return QdpxExport(target, len(sources), counts["comments"], counts["codings"], counts["skipped"], counts["wide"])


def _tag(name: str) -> str:
    return f"{{{PROJECT_NAMESPACE}}}{name}"


def _with_format(coded: pd.DataFrame, register: SessionRegister | None) -> pd.DataFrame:
    table = coded.reset_index(drop=True)
    if "format" not in table.columns and register is not None and "session_id" in table.columns:
        formats = dict(zip(register.sessions["session_id"], register.sessions["format"], strict=True))
        table = table.assign(format=table["session_id"].map(formats))
    return table


def _value(row: pd.Series, column: str) -> str | None:
    """The cell as text (dates as YYYY-MM-DD), or None when it is missing or blank."""
    value = row.get(column)
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column == "date":
        stamp = pd.to_datetime(value, errors="coerce")
        return None if pd.isna(stamp) else stamp.date().isoformat()
    return str(value).strip() or None


def _sources(table: pd.DataFrame) -> list[_Source]:
    """Group comments into sources: sessions (by id), then emails (by date), then other files and sheets."""
    keys: list[tuple[int, str, str]] = []
    for _, row in table.iterrows():
        session, message = _value(row, "session_id"), _value(row, "message_id")
        if session is not None:
            keys.append((0, session, f"session {session}"))
        elif _value(row, "source_kind") == "email" and message is not None:
            keys.append((1, f"{_value(row, 'date') or ''}\n{message}", f"email {message}"))
        else:
            where = f"{_value(row, 'source_file') or ''}\n{_value(row, 'sheet') or ''}"
            keys.append((2, where, f"file {where}"))
    groups = dict(tuple(table.groupby(pd.Series([k[2] for k in keys], index=table.index), sort=False)))
    sources: list[_Source] = []
    emails = 0
    for kind, _, key in sorted(set(keys)):
        rows = groups[key]
        first = rows.iloc[0]
        if kind == 0:
            label = " ".join(v for v in (_value(first, "session_id"), _value(first, "session_name")) if v)
        elif kind == 1:
            emails += 1
            label = f"Email {emails}" + (f" ({_value(first, 'date')})" if _value(first, "date") else "")
        else:
            label = " ".join(v for v in (Path(_value(first, "source_file") or "comments").name, _value(first, "sheet")) if v)
        sources.append(_Source(key, label, rows))
    return sources


def _case(cases: ET.Element, source: _Source, variables: Iterable[str]) -> None:
    case = ET.SubElement(cases, _tag("Case"), {"guid": project_guid("case", source.key), "name": xml_text(source.name)})
    first = source.rows.iloc[0]
    for variable in variables:
        column, kind = VARIABLES[variable]
        value = _value(first, column)
        if value is None:
            continue
        holder = ET.SubElement(case, _tag("VariableValue"))
        ET.SubElement(holder, _tag("VariableRef"), {"targetGUID": project_guid("variable", variable)})
        ET.SubElement(holder, _tag("DateValue" if kind == "Date" else "TextValue")).text = xml_text(value)
    ET.SubElement(case, _tag("SourceRef"), {"targetGUID": project_guid("source", source.key)})


def _selections(
    element: ET.Element, source: _Source, users: dict[str, str], known: set[str], counts: dict[str, int], path: str
) -> str:
    """Add one selection per comment to ``element``; return the source's text."""
    parts: list[str] = []
    position = 0
    for _, row in source.rows.iterrows():
        text = line_text(_value(row, "text") or "")
        if not text:
            counts["skipped"] += 1
            continue
        if parts:
            parts.append(COMMENT_SEPARATOR)
            position += len(COMMENT_SEPARATOR)
        comment = _value(row, "comment_id") or f"row {row.name}"
        user = users["analyst"] if _value(row, "code_source") in HUMAN_SOURCES else users["machine"]
        selection = ET.SubElement(element, _tag("PlainTextSelection"), {
            "guid": project_guid("selection", comment), "name": xml_text(comment),
            "startPosition": str(position), "endPosition": str(position + len(text)), "creatingUser": user,
        })
        codes = _codes(row, known, path, comment)
        if not codes:
            ET.SubElement(selection, _tag("Description")).text = UNCODED_DESCRIPTION
        for code in codes:
            coding = ET.SubElement(selection, _tag("Coding"), {
                "guid": project_guid("coding", f"{comment}\n{code}"), "creatingUser": user,
            })
            ET.SubElement(coding, _tag("CodeRef"), {"targetGUID": theme_guid(code)})
        parts.append(text)
        position += len(text)
        counts["wide"] += any(ord(char) > 0xFFFF for char in text)
        counts["comments"] += 1
        counts["codings"] += len(codes)
    return "".join(parts) + ("\r\n" if parts else "")


def _codes(row: pd.Series, known: set[str], path: str, comment: str) -> list[str]:
    """The comment's theme ids then its sub-theme ids, in the table's order."""
    themes = [t for t in split_list(row.get("themes")) if t != UNCODED]
    subthemes = [s.split("/")[-1] for s in split_list(row.get("subthemes"))]
    codes = list(dict.fromkeys(themes + subthemes))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InputFileError(
            path,
            f"comment {comment} has theme(s) {LIST_SEPARATOR.join(unknown)} that the codebook lacks; "
            "export with the codebook the table was coded with (--codebook)",
        )
    return codes


def _zip(files: dict[str, bytes]) -> bytes:
    """Zip ``files`` in the order given, with fixed timestamps and permissions (same files, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
