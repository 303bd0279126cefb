"""The analyst's own words, kept across re-runs: draft notes out, edited notes merged back in.

``draft_notes`` writes the generated text of every section of the report as
Markdown, one ``## <key>`` heading per section, keyed by the section's id (e.g.
``background``, ``theme-clarity``, ``strand_3-conclusions``) and followed by the
title and a fingerprint of the generated text. The analyst edits the text under
any heading and deletes the sections they do not want to change.

``apply_notes`` puts the analyst's text back, section by section: it replaces the
section's paragraphs and lists; its tables, charts and quotes stay. A note left
exactly as drafted (its text still matches its fingerprint) is not used, so that
section keeps the freshly generated text, with this run's numbers. A note for a
section that no longer exists gives a :class:`~tcs_themes.errors.NotesWarning`
and is not used (unless it was left as drafted: then it is dropped quietly).
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tcs_themes.errors import InputFileError, NotesWarning
from tcs_themes.outputs.report.content import Block, Bullets, Paragraph, Report, Section

#: Largest notes file read, in bytes.
MAX_NOTES_BYTES = 5_000_000
_HEADING = re.compile(r"^## (?P<key>[\w.-]+)(?P<rest>.*)$")
_FINGERPRINT = re.compile(r"<!-- generated (?P<digest>[0-9a-f]{12}) -->")
_ITEM = re.compile(r"^(?:- |\d+\. )")
_HEADER = (
    "<!-- tcs-themes report notes. Edit the text under any '## key' heading: it replaces that section's\n"
    "     generated paragraphs and lists (tables, charts and quotes stay). Delete a section, or leave it as it is,\n"
    "     to keep the generated text and its up-to-date numbers. Use with: tcs-themes report --notes FILE -->\n"
)
#: The notes section that approves, pins or bans quotes by comment id (``pin: c0123456789ab c...``).
QUOTES_KEY = "quotes"
_QUOTE_LINE = re.compile(r"^\s*[-*]?\s*(?P<kind>approve|pin|ban)\s*:\s*(?P<ids>.*)$", flags=re.IGNORECASE)
_QUOTES_TEMPLATE = (
    f"## {QUOTES_KEY} Quote choices\n\n"
    "<!-- comment ids, separated by spaces or commas: approve (special-category or safeguarding quotes you allow), pin (quote first), ban (never quote) -->\n"
    "approve:\npin:\nban:\n"
)


@dataclass(frozen=True)
class Note:
    """One section's note: its text and, when drafted by the toolkit, the fingerprint of the text it was given."""

    text: str
    digest: str | None = None

    @property
    def edited(self) -> bool:
        """True unless the text is still exactly the drafted one."""
        return self.digest is None or _digest(self.text) != self.digest


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _sections(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.children)


def section_text(section: Section) -> str:
    """A section's paragraphs and lists as Markdown (lists as ``- item`` or ``1. item`` lines)."""
    chunks = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            chunks.append(block.text)
        elif isinstance(block, Bullets):
            chunks.append("\n".join(f"{n}. {item}" if block.ordered else f"- {item}" for n, item in enumerate(block.items, start=1)))
    return "\n\n".join(chunks)


def draft_notes(report: Report) -> str:
    """The notes file for ``report``: every section's generated text under ``## <key>``."""
    parts = [_HEADER]
    for section in _sections(report.sections):
        text = section_text(section)
        parts.append(f"## {section.anchor} {section.title} <!-- generated {_digest(text)} -->\n\n{text}\n")
    parts.append(_QUOTES_TEMPLATE)
    return "\n".join(parts)


def quote_choices(notes: dict[str, Note]) -> dict[str, tuple[str, ...]]:
    """The ``## quotes`` section's comment ids: ``{"approve": (...), "pin": (...), "ban": (...)}`` (removed from ``notes``)."""
    note = notes.pop(QUOTES_KEY, None)
    chosen: dict[str, list[str]] = {"approve": [], "pin": [], "ban": []}
    for line in re.sub(r"<!--.*?-->", "", note.text if note else "", flags=re.S).splitlines():
        found = _QUOTE_LINE.match(line)
        if found:
            chosen[found["kind"].lower()] += [i for i in re.split(r"[\s,;]+", found["ids"]) if i]
    return {kind: tuple(ids) for kind, ids in chosen.items()}


def write_draft_notes(report: Report, path: str | Path) -> Path:
    """Write :func:`draft_notes` to ``path`` (UTF-8) and return it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft_notes(report), encoding="utf-8")
    return target


def read_notes(path: str | Path) -> dict[str, Note]:
    """Read a notes file: section key -> :class:`Note`.

    Raises
    ------
    InputFileError
        If the file is missing, too large, not UTF-8 text, or has a key twice.
    """
    source = Path(path)
    if not source.is_file():
        raise InputFileError(str(source), "notes file not found; write one with --draft-notes")
    if source.stat().st_size > MAX_NOTES_BYTES:
        raise InputFileError(str(source), f"notes file larger than {MAX_NOTES_BYTES:,} bytes; keep only the sections you edited")
    try:
        lines = source.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputFileError(str(source), "not UTF-8 text; save the notes as UTF-8") from None
    text = "\n".join(lines)
    text = re.sub(r"\A\s*<!--.*?-->", "", text, flags=re.S)  # the header comment
    notes: dict[str, Note] = {}
    key, digest, body = None, None, []
    for number, line in enumerate([*text.splitlines(), "## end-of-notes"], start=1):
        heading = _HEADING.match(line)
        if heading is None:
            body.append(line)
            continue
        if key is not None:
            if key in notes:
                raise InputFileError(str(source), f"section '{key}' has two notes; keep one", where=f"line {number}")
            notes[key] = Note("\n".join(body).strip(), digest)
        found = _FINGERPRINT.search(heading["rest"])
        key, digest, body = heading["key"], found["digest"] if found else None, []
    return notes


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_ITEM.match(line) for line in lines):
            blocks.append(Bullets([_ITEM.sub("", line) for line in lines], ordered=lines[0][0].isdigit()))
        else:
            blocks.append(Paragraph(" ".join(lines)))
    return blocks


def apply_notes(report: Report, notes: dict[str, Note], source: str = "notes") -> list[str]:
    """Replace the generated text of each section the analyst edited; return the keys used.

    An edited note for a key no section has gives a one-line :class:`NotesWarning` naming ``source``
    and the key (a note still as drafted is dropped quietly: it holds nothing of the analyst's).
    """
    by_key = {section.anchor: section for section in _sections(report.sections)}
    used = []
    for key, note in notes.items():
        if key == QUOTES_KEY:  # quote choices: see quote_choices
            continue
        section = by_key.get(key)
        if section is None and note.edited:
            warnings.warn(f"{source}: section '{key}' is no longer in the report; its note was not used", NotesWarning, stacklevel=2)
            continue
        if section is None or not note.edited:  # left as drafted: nothing of the analyst's is lost
            continue
        kept = [b for b in section.blocks if not isinstance(b, Paragraph | Bullets)]
        section.blocks = [*_blocks(note.text), *kept]
        used.append(key)
    return used
