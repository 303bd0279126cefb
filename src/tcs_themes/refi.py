"""What the REFI-QDA codebook (``.qdc``) and project (``.qdpx``) files share.

* the XML namespaces of the two formats;
* stable GUIDs: UUID 5 of an id, upper case, so the same theme, source or
  comment always gets the same GUID and other tools recognise it on re-import;
* XML-safe text: characters XML 1.0 forbids (most control characters) removed;
* safe parsing with defusedxml: DTDs, entity declarations (XML bombs) and
  external entities are refused, with a one-line error.

Used by :mod:`tcs_themes.codebook.refi_qda` (codebooks),
:mod:`tcs_themes.outputs.qdpx` (project export) and
:mod:`tcs_themes.ingest.qdpx` (project import).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from tcs_themes.errors import InputFileError

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
#: UUID-5 namespace of theme GUIDs: ``uuid5(GUID_NAMESPACE, theme_id)``.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tcs-themes/codebook")
#: UUID-5 namespace of every other GUID in an exported project (sources, selections, users...).
PROJECT_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/tcs-themes/project")

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def theme_guid(theme_id: str) -> str:
    """Return the stable REFI-QDA GUID of a theme id (upper-case UUID 5).

    Examples
    --------
    >>> theme_guid("clarity") == theme_guid("clarity")
    True
    """
    return str(uuid.uuid5(GUID_NAMESPACE, theme_id)).upper()


def project_guid(kind: str, key: str) -> str:
    """Return the stable GUID of a project element: ``kind`` (``source``, ``user``...) and its ``key``.

    Examples
    --------
    >>> project_guid("source", "S01") == project_guid("source", "S01") != project_guid("case", "S01")
    True
    """
    return str(uuid.uuid5(PROJECT_GUID_NAMESPACE, f"{kind}\n{key}")).upper()


def xml_text(value: object) -> str:
    """Return ``value`` as text XML 1.0 can hold (forbidden control characters removed)."""
    return _NOT_XML.sub("", str(value))


def xml_document(root: ET.Element, namespace: str) -> str:
    """Return ``root`` as an indented XML document in the default ``namespace``, encoding declared."""
    ET.register_namespace("", namespace)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def parse_refi_xml(
    data: bytes, source: str, error: Callable[[str, str], InputFileError], what: str
) -> ET.Element:
    """Parse REFI-QDA XML safely and return its root element.

    Parameters
    ----------
    data : bytes
        The XML document.
    source : str
        The file name for messages.
    error : callable
        Makes the exception to raise from (file, problem), e.g. ``CodebookError``.
    what : str
        What the file should be ("a complete .qdc file"), for the message.

    Raises
    ------
    InputFileError
        (made by ``error``) if the XML declares a DTD or entities, or is not well-formed.
    """
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as refused:
        raise error(
            source,
            f"refused: the XML declares a DTD or entities ({type(refused).__name__}), which REFI-QDA files "
            "never need and XML bombs use; export it again from your QDA software",
        ) from None
    except ET.ParseError as broken:
        line, column = broken.position
        raise error(source, f"not well-formed XML (line {line}, column {column + 1}); is it {what}?") from None


def split_tag(tag: str) -> tuple[str, str]:
    """Return (namespace, local name) of an ElementTree tag such as ``{urn:...}Project``."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag
