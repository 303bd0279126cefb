"""Exchange codebooks with NVivo, ATLAS.ti, MAXQDA and QualCoder: REFI-QDA ``.qdc`` files.

A ``.qdc`` file is the REFI-QDA codebook exchange format (namespace
``urn:QDA-XML:codebook:1.0``): nested ``<Code>`` elements with a GUID, a name,
a colour and a ``<Description>``. Export writes one code per theme with its
sub-themes nested inside. GUIDs are derived from theme ids (UUID 5), so the
same theme always has the same GUID and other tools recognise it on re-import.

REFI-QDA has no place for rule patterns or examples, so export appends them to
each code's description as a small YAML block after the line
``[tcs-themes]``; import reads that block back when it is there (a round trip
gives the same codebook) and otherwise derives ids from code names.

Files are parsed with defusedxml: DTDs, entity declarations (XML bombs) and
external entities are refused.
"""

from __future__ import annotations

import re
import uuid
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import yaml
from defusedxml import DefusedXmlException

from tcs_themes import __version__
from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.codebook.problems import raise_problems, read_text
from tcs_themes.codebook.validation import build_codebook
from tcs_themes.codebook.write import dump_yaml, theme_entry, write_text_atomic
from tcs_themes.codebook.yaml_source import YamlDocument
from tcs_themes.errors import CodebookError, CodebookWarning

NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
#: UUID-5 namespace of theme GUIDs: ``uuid5(GUID_NAMESPACE, theme_id)``.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tcs-themes/codebook")
#: The line that starts the tcs-themes block in a code's description.
RULES_MARKER = "[tcs-themes]"
_RULE_KEYS = ("id", "patterns", "exclusions", "examples")


def theme_guid(theme_id: str) -> str:
    """Return the stable REFI-QDA GUID of a theme id (upper-case UUID 5).

    Examples
    --------
    >>> theme_guid("clarity") == theme_guid("clarity")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, theme_id)).upper()


def codebook_to_qdc(codebook: Codebook) -> str:
    """Return ``codebook`` as the XML text of a REFI-QDA ``.qdc`` file."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(_tag("CodeBook"), {"origin": f"tcs-themes {__version__}"})
    codes = ET.SubElement(root, _tag("Codes"))
    for theme in codebook.themes:
        element = _code_element(codes, theme)
        for sub in codebook.subthemes_of(theme.id):
            _code_element(element, sub)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write ``codebook`` as a REFI-QDA codebook (``.qdc``), atomically; return the path.

    Parameters
    ----------
    codebook : Codebook
    path : str or Path
        The ``.qdc`` file to write.

    Raises
    ------
    CodebookError
        If the file cannot be written (nothing is left half-written).
    """
    return write_text_atomic(Path(path), codebook_to_qdc(codebook))


def import_qdc(path: str | Path) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) as a validated :class:`Codebook`.

    Codes become themes; codes nested in them become their sub-themes (codes
    nested deeper are attached to their top-level ancestor, with a warning).
    Rule patterns and examples come back from the ``[tcs-themes]`` block of
    each description when there is one; otherwise ids are made from names.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Codebook
        Named after the file's stem, with ``source`` set to the path.

    Raises
    ------
    CodebookError
        If the file is not well-formed XML, is not a REFI-QDA codebook, or
        declares a DTD or entities (XML bombs and external entities are refused).
    CodebookValidationError
        If the codes do not make a valid codebook.
    """
    source = Path(path)
    text = read_text(source, "codebook")
    root = _parse(source, text)
    codes = root.find(_tag("Codes"))
    if codes is None:
        raise CodebookError(str(source), "not a REFI-QDA codebook: <CodeBook> has no <Codes>")
    if len(root.findall(f"{_tag('Sets')}/{_tag('Set')}")):
        warnings.warn(CodebookWarning(f"{source}: code sets (<Sets>) are not imported"), stacklevel=2)
    reader = _CodeReader(str(source))
    themes = [reader.theme(code, 1) for code in codes.findall(_tag("Code"))]
    raw: dict[str, Any] = {"name": source.stem, "themes": themes}
    result = build_codebook(raw, default_name=source.stem)
    codebook = raise_problems(result, str(source), YamlDocument(data=raw))
    return Codebook(name=codebook.name, themes=codebook.themes, subthemes=codebook.subthemes, source=str(source))


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _code_element(parent: ET.Element, theme: Theme) -> ET.Element:
    attributes = {"guid": theme_guid(theme.id), "name": theme.name, "isCodable": "true"}
    if theme.colour:
        attributes["color"] = theme.colour.upper()
    element = ET.SubElement(parent, _tag("Code"), attributes)
    rules = {key: value for key, value in theme_entry(theme).items() if key in _RULE_KEYS}
    block = f"{RULES_MARKER}\n{dump_yaml(rules)}".rstrip()
    ET.SubElement(element, _tag("Description")).text = f"{theme.description}\n\n{block}" if theme.description else block
    return element


def _parse(source: Path, text: str) -> ET.Element:
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise CodebookError(
            str(source),
            f"refused: the XML declares a DTD or entities ({type(error).__name__}), which REFI-QDA codebooks "
            "never need and XML bombs use; export the codebook again from your QDA software",
        ) from None
    except ET.ParseError as error:
        line, column = error.position
        raise CodebookError(
            str(source), "not well-formed XML; is it a complete .qdc file?", f"line {line}, column {column + 1}"
        ) from None
    if root.tag != _tag("CodeBook"):
        namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
        if namespace == PROJECT_NAMESPACE:
            problem = "this is a REFI-QDA project (.qde), not a codebook; export a codebook (.qdc) instead"
        else:
            found = f"<{local}>" + (f" in namespace {namespace}" if namespace else " with no namespace")
            problem = f"not a REFI-QDA codebook: the root is {found}, expected <CodeBook> in namespace {NAMESPACE}"
        raise CodebookError(str(source), problem)
    return root


class _CodeReader:
    """Turns <Code> elements into theme entries in the shape of a YAML codebook."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.used_ids: set[str] = set()

    def theme(self, code: ET.Element, depth: int) -> dict[str, Any]:
        name = code.get("name")
        where = f"<Code> {name!r}" if name else f"<Code guid={code.get('guid')!r}>"
        description = code.findtext(_tag("Description")) or ""
        text, _, block = description.partition(RULES_MARKER)
        entry: dict[str, Any] = {"name": name, "description": text.strip()} if name else {}
        if code.get("color"):
            entry["colour"] = code.get("color")
        if block.strip():
            entry.update(self._rules(block, where))
        if "id" not in entry and name:
            entry["id"] = self._id_from_name(name)
        if isinstance(entry.get("id"), str):
            self.used_ids.add(entry["id"])
        children = []
        for child in code.findall(_tag("Code")):
            if depth >= 2:
                warnings.warn(
                    CodebookWarning(f"{self.source} ({where}): codes nested more than two deep are attached to "
                                    "their top-level code"),
                    stacklevel=4,
                )
            children.append(self.theme(child, depth + 1))
        subthemes = self._flatten(children)
        if subthemes:
            entry["subthemes"] = subthemes
        return entry

    @staticmethod
    def _flatten(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
        flat: list[dict[str, Any]] = []
        for child in children:
            grandchildren = child.pop("subthemes", [])
            flat.append(child)
            flat.extend(grandchildren)
        return flat

    def _rules(self, block: str, where: str) -> dict[str, Any]:
        try:
            rules = yaml.safe_load(block)
        except yaml.YAMLError:
            raise CodebookError(
                self.source, f"the {RULES_MARKER} block in its description is not valid YAML; fix or delete it", where
            ) from None
        if not isinstance(rules, dict):
            raise CodebookError(self.source, f"the {RULES_MARKER} block in its description is not a mapping", where)
        unknown = [key for key in rules if key not in _RULE_KEYS]
        if unknown:
            warnings.warn(
                CodebookWarning(f"{self.source} ({where}): unknown key(s) {', '.join(map(str, unknown))} in the "
                                f"{RULES_MARKER} block are ignored"),
                stacklevel=4,
            )
        return {key: rules[key] for key in _RULE_KEYS if key in rules}

    def _id_from_name(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"
        if not base[0].isalpha():
            base = f"code_{base}"
        candidate, number = base, 2
        while candidate in self.used_ids or candidate == "uncoded":
            candidate, number = f"{base}_{number}", number + 1
        return candidate
