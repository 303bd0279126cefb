"""Coded tables and REFI-QDA projects as other tools write them, for the .qdpx tests.

:func:`sample_coded` is the sample's coded table with a ``code_source`` column.

:func:`nvivo_style_project` writes what an NVivo export of last year's coding
looks like: the analyst's comments from the sample consultation, one text
source per session, codes named (not GUID-matched) after the codebook's
themes under a non-codable folder, one selection per coding (so a comment
coded twice has two selections over the same span), sessions as cases that
are also codes coding the whole source, ``Sources/`` capitalised, text files
with a byte-order mark and CRLF line endings, and a facilitator's uncoded
line between comments.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.schema import split_list

ROOT = Path(__file__).resolve().parents[1]
COMMENTS = ROOT / "data" / "coded" / "comments.parquet"
CODED = ROOT / "data" / "coded" / "coded.parquet"
REGISTER = ROOT / "data" / "raw" / "sessions.yaml"
NS = "urn:QDA-XML:project:1.0"
#: The uncoded line a facilitator's note adds after every third comment (it holds a phone number to redact).
FACILITATOR = "Facilitator: thanks all, questions to Jo on 07700 900123 please.\r\nNext question."


def sample_coded() -> pd.DataFrame:
    """The sample's coded table, with ``code_source``: analyst where the input had codes, some reviewed."""
    coded = pd.read_parquet(CODED)
    source = coded["code_source"].copy()  # analyst where the notes had codes
    source.iloc[[5, 6, 7]] = "review"
    return coded.assign(code_source=source)


def fixed_guid(key: str) -> str:
    """A GUID unrelated to the toolkit's own (as another tool's would be), but the same every run."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"nvivo.example/{key}"))


def analyst_coded(limit_sessions: int | None = None) -> pd.DataFrame:
    """The sample's analyst-coded comments: ``comment_id, session_id, session_name, strand, date, text, codes``."""
    comments = pd.read_parquet(COMMENTS)
    codes = [list(dict.fromkeys(split_list(value))) for value in comments["analyst_codes"].fillna("")]  # main theme first
    table = comments.assign(codes=codes)[lambda t: t["codes"].map(len) > 0]
    table = table[["comment_id", "session_id", "session_name", "strand", "date", "text", "codes"]].reset_index(drop=True)
    if limit_sessions is not None:
        table = table[table["session_id"].isin(sorted(table["session_id"].unique())[:limit_sessions])]
    return table.reset_index(drop=True)


def nvivo_style_project(path: Path, codebook: Codebook, coded: pd.DataFrame) -> dict[str, list[tuple[int, int, list[str]]]]:
    """Write ``coded`` as an NVivo-style ``.qdpx``; return session id -> [(start, end, theme ids)] as written."""
    user = fixed_guid("user")
    code_guid = {theme.id: fixed_guid(f"code/{theme.id}") for theme in codebook.themes}
    lines = [f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="TCS 2022" origin="NVivo 14.23.0">']
    lines.append(f'<Users><User guid="{user}" name="Sam Analyst"/></Users>')
    lines.append(f'<CodeBook><Codes><Code guid="{fixed_guid("folder")}" name="Themes" isCodable="false">')
    for theme in codebook.themes:  # by name, in another case: NVivo knows nothing of the toolkit's GUIDs
        lines.append(f'<Code guid="{code_guid[theme.id]}" name={quoteattr(theme.name.upper())} isCodable="true"/>')
    lines.append("</Code>")
    sessions = list(dict.fromkeys(coded["session_id"]))
    for session in sessions:  # NVivo exports cases as codes too
        lines.append(f'<Code guid="{fixed_guid(f"case/{session}")}" name="{session}" isCodable="true"/>')
    lines.append("</Codes></CodeBook>")
    variables = {"Strand": fixed_guid("var/strand"), "Session": fixed_guid("var/session"), "Date": fixed_guid("var/date")}
    lines.append("<Variables>" + "".join(
        f'<Variable guid="{guid}" name="{name}" typeOfVariable="{"Date" if name == "Date" else "Text"}"/>'
        for name, guid in variables.items()
    ) + "</Variables>")
    lines.append("<Cases>")
    for session in sessions:
        first = coded[coded["session_id"] == session].iloc[0]
        values = {"Strand": first["strand"], "Session": first["session_name"], "Date": pd.Timestamp(first["date"]).date().isoformat()}
        lines.append(f'<Case guid="{fixed_guid(f"case/{session}")}" name="{session}">' + "".join(
            f'<VariableValue><VariableRef targetGUID="{variables[name]}"/>'
            f'<{"DateValue" if name == "Date" else "TextValue"}>{escape(str(value))}</{"DateValue" if name == "Date" else "TextValue"}>'
            "</VariableValue>"
            for name, value in values.items()
        ) + "</Case>")
    lines.append("</Cases><Sources>")
    files: dict[str, bytes] = {}
    written: dict[str, list[tuple[int, int, list[str]]]] = {}
    for session in sessions:
        rows = coded[coded["session_id"] == session]
        text, spans = "", []
        for number, row in enumerate(rows.itertuples(index=False), start=1):
            start = len(text)
            text += row.text.replace("\n", "\r\n")
            spans.append((start, len(text), list(row.codes)))
            text += "\r\n" + (FACILITATOR + "\r\n" if number % 3 == 0 else "")
        source = fixed_guid(f"source/{session}")
        files[f"Sources/{source}.txt"] = b"\xef\xbb\xbf" + text.encode("utf-8")
        lines.append(f'<TextSource guid="{source}" name="{session} notes" plainTextPath="internal://{source}.txt" creatingUser="{user}">')
        lines.append(f'<PlainTextSelection guid="{fixed_guid(f"whole/{session}")}" startPosition="0" endPosition="{len(text)}">'
                     f'<Coding guid="{fixed_guid(f"casecoding/{session}")}"><CodeRef targetGUID="{fixed_guid(f"case/{session}")}"/></Coding>'
                     "</PlainTextSelection>")
        for start, end, codes in spans:
            for code in codes:
                lines.append(
                    f'<PlainTextSelection guid="{fixed_guid(f"sel/{session}/{start}/{code}")}" name="" startPosition="{start}" '
                    f'endPosition="{end}" creatingUser="{user}"><Coding guid="{fixed_guid(f"coding/{session}/{start}/{code}")}" '
                    f'creatingUser="{user}"><CodeRef targetGUID="{code_guid[code]}"/></Coding></PlainTextSelection>'
                )
        lines.append("</TextSource>")
        written[session] = spans
    lines.append("</Sources></Project>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", "\n".join(lines).encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return written
