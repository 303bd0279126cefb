"""Import a REFI-QDA project (``.qdpx``) coded in NVivo, ATLAS.ti, MAXQDA or QualCoder as a comments table.

Each coded span of a text source becomes a comment: selections over the same
span are merged, and their codes are mapped to the codebook's themes by GUID
(the GUIDs the ``.qdc`` and ``.qdpx`` exports give) or by name or id, in any
case and spacing. A code the codebook lacks is an error naming it and the
close matches. Codes made by the ``tcs-themes`` user (a project this toolkit
exported) are the machine's and go to ``machine_codes``; every other user's
codes are the analyst's and go to ``codes``, the column ``train`` reads.

Case variables (on a ``Case`` that refers to the source or the selection, on a
case that codes the span, or on the source itself) become columns; the usual
ones (strand, session id, session name, date, question, source kind) fill the
standard columns. Text no selection covers is not lost: each such span is a
row of the import log (reason ``uncoded-text``). Text is redacted as ingest
does it.

Positions: characters (code points) of the text file, a line break CRLF
counting two, as QualCoder, MAXQDA and NVivo write them; projects from ATLAS.ti
count a CRLF as one, and are read that way. The archive is opened with the
checks of :mod:`tcs_themes.ingest.qdpx_archive` and the XML parsed with
defusedxml.
"""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.errors import LabelsError, ProjectFileError
from tcs_themes.ingest.cells import tidy_column
from tcs_themes.ingest.ids import ID_HEX_DIGITS, ID_PREFIX, comment_id
from tcs_themes.ingest.labels import normalise_name
from tcs_themes.ingest.ledger import LOG_COLUMNS, PERSONAL_COLUMN
from tcs_themes.ingest.personal_columns import DROPPED, decide_column
from tcs_themes.ingest.qdpx_archive import EntryTooBigError, ProjectArchive, open_project
from tcs_themes.ingest.redaction import redact
from tcs_themes.refi import CODEBOOK_NAMESPACE, parse_refi_xml, split_tag, theme_guid
from tcs_themes.schema import CODED_COLUMNS, COMMENT_COLUMNS, LIST_SEPARATOR, conform_comments

#: The user whose codes are the machine's (the export's ``tcs-themes`` user).
MACHINE_USER = "tcs-themes"
#: Columns the import adds after the standard comment columns (then the other case variables).
CODE_COLUMNS: dict[str, str] = {
    "codes": "string",  # the analyst's theme ids, "; "-joined (the parents of sub-theme codes included)
    "subtheme_codes": "string",  # the analyst's sub-theme codes as "theme_id/subtheme_id"
    "machine_codes": "string",  # theme ids coded by the tcs-themes user
    "machine_subtheme_codes": "string",
    "code_source": "string",  # "analyst", or "machine" when only tcs-themes coded the span
    "qdpx_source": "string",  # the text source's name (redacted)
    "qdpx_start": "Int64",  # the span's start and end positions in the source's text
    "qdpx_end": "Int64",
}
#: Case variable names (normalised) that fill a standard column.
STANDARD_VARIABLES = {
    "strand": "strand",
    "session id": "session_id",
    "session": "session_name",
    "session name": "session_name",
    "date": "date",
    "question": "question",
    "source kind": "source_kind",
}
#: The import log's columns: the ingest log's plus the (redacted) text of an uncoded span.
IMPORT_LOG_COLUMNS = (*LOG_COLUMNS, "text")
#: Reasons in the import log.
UNCODED_TEXT, BLANK, BAD_SELECTION, NOT_TEXT, NO_TEXT = (
    "uncoded-text", "blank", "bad-selection", "not-a-text-source", "no-text",
)
_MEDIA = {"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}


@dataclass
class QdpxImport:
    """What :func:`import_qdpx` read.

    Attributes
    ----------
    comments : DataFrame
        The comments table: the standard columns, then :data:`CODE_COLUMNS`,
        then one column per other case variable.
    log : DataFrame
        :data:`IMPORT_LOG_COLUMNS`: uncoded text spans, blank or out-of-range
        selections, sources that are not text or have no readable text.
    sources : int
        Text sources read.
    codings : int
        Codings of themes imported (case codings not counted).
    origin : str or None
        The software that wrote the project (its ``origin``).
    """

    comments: pd.DataFrame
    log: pd.DataFrame
    sources: int
    codings: int
    origin: str | None


@dataclass
class _Segment:
    """One span of a source's text, with the codings of every selection over it."""

    start: int
    end: int
    name: str | None = None
    codings: list[tuple[Theme, str]] = field(default_factory=list)  # (theme, its creating user's GUID)
    users: set[str] = field(default_factory=set)  # the selections' creating users


def import_qdpx(path: str | Path, codebook: Codebook) -> QdpxImport:
    """Read a REFI-QDA project's coded text as a comments table with the analyst's codes.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file.
    codebook : Codebook
        The codebook the project's codes are mapped to.

    Returns
    -------
    QdpxImport

    Raises
    ------
    ProjectFileError
        If the file is not a REFI-QDA project, is unsafe or over the limits.
    LabelsError
        If codings use codes the codebook lacks (all named, with close matches).
    """
    source = str(path)
    archive = open_project(path)
    try:
        root = parse_refi_xml(archive.read(archive.qde), source, ProjectFileError, "a complete REFI-QDA project")
        return _Reader(source, archive, root, codebook).read()
    finally:
        archive.close()


class _Reader:
    def __init__(self, source: str, archive: ProjectArchive, root: ET.Element, codebook: Codebook) -> None:
        namespace, local = split_tag(root.tag)
        if local != "Project" or not namespace.startswith("urn:QDA-XML:project:"):
            if namespace == CODEBOOK_NAMESPACE:
                problem = "this is a REFI-QDA codebook (.qdc), not a project; import it with 'tcs-themes codebook import'"
            else:
                found = f"<{local}>" + (f" in namespace {namespace}" if namespace else " with no namespace")
                problem = f"not a REFI-QDA project: its project.qde has the root {found}, expected <Project>"
            raise ProjectFileError(source, problem)
        self.source, self.archive, self.root, self.codebook = source, archive, root, codebook
        self.ns = f"{{{namespace}}}"
        self.origin = root.get("origin")
        self.atlas = "atlas" in (self.origin or "").lower()
        self.log: list[tuple[object, ...]] = []
        self.machine_users = {
            _guid(u.get("guid")) for u in root.iter(f"{self.ns}User")
            if MACHINE_USER in (u.get("name"), u.get("id"))
        }
        self.variables = {_guid(v.get("guid")): v.get("name") or "" for v in root.iter(f"{self.ns}Variable")}
        self.cases: dict[str, dict[str, str]] = {}  # case GUID -> its variable values
        self.source_cases: dict[str, list[str]] = {}  # source GUID -> the cases that refer to it
        self.selection_cases: dict[str, list[str]] = {}  # selection GUID -> the cases that refer to it
        for case in root.iter(f"{self.ns}Case"):
            guid = _guid(case.get("guid"))
            self.cases[guid] = self._values(case)
            for kind, refs in (("SourceRef", self.source_cases), ("SelectionRef", self.selection_cases)):
                for ref in case.findall(f"{self.ns}{kind}"):
                    refs.setdefault(_guid(ref.get("targetGUID")), []).append(guid)
        container = root.find(f"{self.ns}Sources")
        self.text_sources = [] if container is None else list(container)
        self.codes = self._map_codes()

    # -- project-wide tables -------------------------------------------------------------------------------------

    def _values(self, element: ET.Element) -> dict[str, str]:
        """The variable values directly inside ``element`` (a Case or a source): variable name -> text."""
        values: dict[str, str] = {}
        for holder in element.findall(f"{self.ns}VariableValue"):
            ref = holder.find(f"{self.ns}VariableRef")
            name = self.variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
            value = next((child.text for child in holder if child is not ref), None)
            if name and value is not None and value.strip():
                values.setdefault(name, value.strip())
        return values

    def _map_codes(self) -> dict[str, Theme]:
        """Code GUID -> codebook theme, for every code a coding uses; raise naming the codes that do not map."""
        names = {_guid(code.get("guid")): code.get("name") or "" for code in self.root.iter(f"{self.ns}Code")}
        used = dict.fromkeys(
            _guid(ref.get("targetGUID"))
            for source in self.text_sources if source.tag == f"{self.ns}TextSource"
            for ref in source.iterfind(f"{self.ns}PlainTextSelection/{self.ns}Coding/{self.ns}CodeRef")
        )
        every = (*self.codebook.themes, *self.codebook.subthemes)
        by_guid = {theme_guid(theme.id): theme for theme in every}
        by_name: dict[str, Theme] = {}
        for theme in reversed(every):  # a theme wins over a sub-theme of the same name
            by_name[normalise_name(theme.id)] = by_name[normalise_name(theme.name)] = theme
        mapped: dict[str, Theme] = {}
        unknown: list[str] = []
        for guid in used:
            if guid in self.cases:
                continue
            theme = by_guid.get(guid) or by_name.get(normalise_name(names.get(guid, "")))
            if theme is not None:
                mapped[guid] = theme
            else:
                unknown.append(_unknown(names.get(guid), guid, by_name))
        if unknown:
            raise LabelsError(
                self.source,
                f"{len(unknown)} code(s) used in codings are not in the codebook '{self.codebook.name}': "
                f"{'; '.join(unknown)}. Rename them in your QDA software or add them to the codebook (--codebook)",
            )
        return mapped

    # -- sources ---------------------------------------------------------------------------------------------------

    def read(self) -> QdpxImport:
        records: list[dict[str, object]] = []
        sources = codings = 0
        used_ids: set[str] = set()
        for number, element in enumerate(self.text_sources, start=1):
            kind = split_tag(element.tag)[1]
            label = redact(element.get("name") or f"source {number}")[0]
            if kind != "TextSource":
                if kind in _MEDIA:
                    selections = sum(1 for child in element.iter() if split_tag(child.tag)[1].endswith("Selection"))
                    self._note(label, NOT_TEXT, f"a {_MEDIA[kind]} source with {selections} selection(s); "
                               "only text sources are imported")
                continue
            text = self._text(element, label)
            if text is None:
                continue
            sources += 1
            for record in self._comments(element, text, label, used_ids):
                codings += int(record.pop("_codings"))
                records.append(record)
        comments = self._frame(records)
        log = pd.DataFrame(self.log, columns=list(IMPORT_LOG_COLUMNS)).astype("string")
        return QdpxImport(comments, log, sources, codings, self.origin)

    def _note(self, label: str, reason: str, detail: str, span: tuple[int, int] | None = None, text: str | None = None) -> None:
        location = f"{label}#{span[0]}-{span[1]}" if span else label
        identifier = comment_id(Path(self.source).name, location) if span else None
        self.log.append((self.source, location, reason, detail, identifier, text))

    def _text(self, element: ET.Element, label: str) -> str | None:
        """The source's plain text (inline or from ``sources/``), or None (logged) when there is none."""
        inline = element.find(f"{self.ns}PlainTextContent")
        path = element.get("plainTextPath") or ""
        if inline is not None and inline.text is not None:
            text = inline.text
        elif path.lower().startswith("internal://"):
            entry = self.archive.find(f"sources/{path[len('internal://'):]}")
            if entry is None:
                self._note(label, NO_TEXT, "its plain-text file is not in the archive's sources/ folder")
                return None
            try:
                text = _decode(self.archive.read(entry))
            except EntryTooBigError as error:
                self._note(label, NO_TEXT, f"its plain-text file {error.problem}")
                return None
            if text is None:
                self._note(label, NO_TEXT, "its plain-text file is not UTF-8 or UTF-16 text")
                return None
        else:
            where = "an external file (relative:// or absolute://), which is never read" if path else "no plain text"
            self._note(label, NO_TEXT, f"the source has {where}; export the project with its sources embedded")
            return None
        return text.replace("\r\n", "\n") if self.atlas else text

    def _segments(self, element: ET.Element, text: str, label: str) -> tuple[list[_Segment], list[tuple[int, int, str]]]:
        """Coded spans (selections over the same span merged) and case spans of one source."""
        spans: dict[tuple[int, int], _Segment] = {}
        case_spans: list[tuple[int, int, str]] = []
        for selection in element.findall(f"{self.ns}PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            except ValueError:
                self._note(label, BAD_SELECTION, "a selection without whole-number startPosition and endPosition")
                continue
            if not 0 <= start < end <= len(text):
                self._note(label, BAD_SELECTION, f"positions {start}-{end} are outside the text (0-{len(text)})", (start, end))
                continue
            user = _guid(selection.get("creatingUser"))
            codings, cases = [], list(self.selection_cases.get(_guid(selection.get("guid")), []))
            for coding in selection.findall(f"{self.ns}Coding"):
                ref = coding.find(f"{self.ns}CodeRef")
                target = _guid(ref.get("targetGUID")) if ref is not None else ""
                if target in self.codes:
                    codings.append((self.codes[target], _guid(coding.get("creatingUser")) or user))
                elif target in self.cases:
                    cases.append(target)
            case_spans.extend((start, end, case) for case in cases)
            if cases and not codings and selection.find(f"{self.ns}Coding") is not None:
                continue  # only says which case the span belongs to
            segment = spans.setdefault((start, end), _Segment(start, end, selection.get("name")))
            segment.codings.extend(codings)
            segment.users.add(user)
        return [spans[key] for key in sorted(spans)], case_spans

    def _comments(self, element: ET.Element, text: str, label: str, used_ids: set[str]) -> list[dict[str, object]]:
        segments, case_spans = self._segments(element, text, label)
        own = self._values(element)
        source_cases = self.source_cases.get(_guid(element.get("guid")), [])
        records = []
        covered = 0
        for segment in segments:
            if segment.start > covered:
                self._uncoded(text, label, covered, segment.start)
            covered = max(covered, segment.end)
            raw = text[segment.start:segment.end].replace("\r\n", "\n").replace("\r", "\n").strip()
            if not raw:
                self._note(label, BLANK, "a selection over blank text", (segment.start, segment.end))
                continue
            values: dict[str, str] = {}
            for start, end, case in case_spans:
                if start < segment.end and segment.start < end:
                    for name, value in self.cases[case].items():
                        values.setdefault(name, value)
            for case in source_cases:
                for name, value in self.cases[case].items():
                    values.setdefault(name, value)
            for name, value in own.items():
                values.setdefault(name, value)
            records.append(self._record(segment, raw, label, values, len(records) + 1, used_ids))
        if len(text) > covered:
            self._uncoded(text, label, covered, len(text))
        return records

    def _uncoded(self, text: str, label: str, start: int, end: int) -> None:
        gap = text[start:end]
        if gap.strip():
            redacted = redact(gap.replace("\r\n", "\n").strip())[0]
            self._note(label, UNCODED_TEXT, f"{len(gap.strip())} characters no selection covers", (start, end), redacted)

    def _record(
        self, segment: _Segment, raw: str, label: str, values: dict[str, str], part: int, used_ids: set[str]
    ) -> dict[str, object]:
        location = f"{label}#{segment.start}-{segment.end}"
        identifier = segment.name or ""
        if not (len(identifier) == ID_HEX_DIGITS + 1 and identifier.startswith(ID_PREFIX)) or identifier in used_ids:
            identifier = comment_id(Path(self.source).name, location)
        used_ids.add(identifier)
        text, redactions = redact(raw)
        machine = [code for code, user in segment.codings if user in self.machine_users]
        human = [code for code, user in segment.codings if user not in self.machine_users]
        coders = {user for _, user in segment.codings} or segment.users
        only_machine = bool(coders) and coders <= self.machine_users
        themes, subthemes = _joined(human)
        machine_themes, machine_subthemes = _joined(machine)
        record: dict[str, object] = {
            "comment_id": identifier, "source_file": Path(self.source).as_posix(), "location": location, "part": part,
            "session_id": label, "session_name": label, "text": text, "redactions": redactions,
            "codes": themes, "subtheme_codes": subthemes, "machine_codes": machine_themes,
            "machine_subtheme_codes": machine_subthemes, "code_source": "machine" if only_machine else "analyst",
            "qdpx_source": label, "qdpx_start": segment.start, "qdpx_end": segment.end, "_codings": len(segment.codings),
        }
        for name, value in values.items():
            column = _column(name)
            # a case variable is decided and redacted as a column, in _frame; the standard columns here
            record[column] = redact(value)[0] if column in COMMENT_COLUMNS and column != "date" else value
        return record

    def _frame(self, records: list[dict[str, object]]) -> pd.DataFrame:
        frame = conform_comments(pd.DataFrame(records) if records else pd.DataFrame(columns=list(COMMENT_COLUMNS)))
        for name, dtype in CODE_COLUMNS.items():
            if name not in frame.columns:
                frame[name] = pd.Series(pd.NA, index=frame.index, dtype="object")
            frame[name] = frame[name].astype(dtype)
        variables = []
        for column in [c for c in frame.columns if c not in COMMENT_COLUMNS and c not in CODE_COLUMNS]:
            decision = decide_column(column, frame[column].dropna().head(200).tolist())
            if decision.action == DROPPED:  # a case variable holding names, emails... ("Full name", "Postcode")
                self._note(decision.column, PERSONAL_COLUMN, f"case variable {decision.column!r} dropped: {decision.reason}")
                continue
            frame[column] = tidy_column(frame[column].map(lambda v: redact(v)[0] if isinstance(v, str) else v))
            variables.append(column)
        return frame[[*COMMENT_COLUMNS, *CODE_COLUMNS, *variables]]


def _guid(value: str | None) -> str:
    """A GUID as compared here: upper case, without braces."""
    return (value or "").strip().strip("{}").upper()


def _decode(data: bytes) -> str | None:
    """Text of a source file: UTF-16 with a byte-order mark, else UTF-8 (a BOM dropped); None if neither."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _joined(codes: list[Theme]) -> tuple[str, str]:
    """("; "-joined theme ids, with each sub-theme's parent, and "theme/sub-theme" entries)."""
    themes = [code.id for code in codes if code.parent is None] + [code.parent for code in codes if code.parent]
    subthemes = [f"{code.parent}/{code.id}" for code in codes if code.parent]
    return LIST_SEPARATOR.join(dict.fromkeys(themes)), LIST_SEPARATOR.join(dict.fromkeys(subthemes))


def _column(variable: str) -> str:
    """The table column of a case variable: a standard column, or its snake_case name."""
    key = normalise_name(variable)
    if key in STANDARD_VARIABLES:
        return STANDARD_VARIABLES[key]
    column = key.replace(" ", "_") or "variable"
    reserved = {*COMMENT_COLUMNS, *CODE_COLUMNS, *CODED_COLUMNS}
    return f"case_{column}" if column in reserved or column[0].isdigit() else column


def _unknown(name: str | None, guid: str, by_name: dict[str, Theme]) -> str:
    """'Name' (did you mean ...?) for a code the codebook lacks."""
    if not name:
        return f"a code with GUID {guid} that the project does not define"
    close = difflib.get_close_matches(normalise_name(name), list(by_name), n=3, cutoff=0.6)
    ids = list(dict.fromkeys(by_name[c].id for c in close))
    return f"'{name}'" + (f" (did you mean {', '.join(ids)}?)" if ids else "")
