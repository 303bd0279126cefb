"""REFI-QDA codebook exchange: round trip, stable GUIDs, other tools' files, hostile XML refused."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tcs_themes.codebook import export_qdc, import_qdc, load_codebook, theme_guid
from tcs_themes.codebook.refi_qda import GUID_NAMESPACE, NAMESPACE
from tcs_themes.errors import CodebookError, CodebookWarning

NS = {"q": NAMESPACE}


def test_round_trip_gives_the_same_fingerprint(tmp_path: Path) -> None:
    codebook = load_codebook()
    path = export_qdc(codebook, tmp_path / "tcs.qdc")
    again = import_qdc(path)
    assert again.fingerprint() == codebook.fingerprint()
    assert again.ids == codebook.ids
    assert load_codebook(path).fingerprint() == codebook.fingerprint()  # load_codebook reads .qdc too


def test_export_is_refi_qda_with_nested_codes_and_stable_guids(tmp_path: Path) -> None:
    codebook = load_codebook()
    root = ET.parse(export_qdc(codebook, tmp_path / "tcs.qdc")).getroot()
    assert root.tag == f"{{{NAMESPACE}}}CodeBook"
    top = root.findall("q:Codes/q:Code", NS)
    assert [code.get("name") for code in top] == [t.name for t in codebook.themes]
    clarity = top[codebook.ids.index("clarity")]
    assert clarity.get("guid") == str(uuid.uuid5(GUID_NAMESPACE, "clarity")).upper() == theme_guid("clarity")
    assert clarity.get("color") == codebook.theme("clarity").colour.upper()
    assert clarity.get("isCodable") == "true"
    assert [c.get("name") for c in clarity.findall("q:Code", NS)] == [
        s.name for s in codebook.subthemes_of("clarity")
    ]
    assert clarity.findtext("q:Description", namespaces=NS).startswith("Jargon and undefined terms")
    guids = [code.get("guid") for code in root.iter(f"{{{NAMESPACE}}}Code")]
    assert len(guids) == len(set(guids)) == len(codebook.themes) + len(codebook.subthemes)


def test_import_a_codebook_made_by_another_tool(tmp_path: Path) -> None:
    path = tmp_path / "nvivo.qdc"
    path.write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NAMESPACE}" origin="NVivo 14">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Green spaces" isCodable="true" color="#46AA00">
      <Description>Parks and nature</Description>
      <Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Access to parks" isCodable="true">
        <Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Distance" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="4FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="2030 vision!" isCodable="false"/>
  </Codes>
  <Sets><Set guid="5FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="group"/></Sets>
</CodeBook>""",
        encoding="utf-8",
    )
    with pytest.warns(CodebookWarning) as record:
        codebook = import_qdc(path)
    assert codebook.ids == ["green_spaces", "code_2030_vision"]
    assert codebook.theme("green_spaces").colour == "#46aa00"
    assert codebook.theme("green_spaces").description == "Parks and nature"
    assert [s.id for s in codebook.subthemes_of("green_spaces")] == ["access_to_parks", "distance"]
    assert any("nested more than two deep" in str(w.message) for w in record)
    assert any("<Sets>" in str(w.message) for w in record)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&lol3;" isCodable="true"/></Codes></CodeBook>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&secret;" isCodable="true"/></Codes></CodeBook>
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BILLION_LAUGHS, "refused: the XML declares a DTD or entities"),
        (EXTERNAL_ENTITY, "refused: the XML declares a DTD or entities"),
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", "not well-formed XML"),
        ("<html><body>hello</body></html>", "not a REFI-QDA codebook: the root is <html> with no namespace"),
        ("<Project xmlns='urn:QDA-XML:project:1.0'/>", "this is a REFI-QDA project (.qde), not a codebook"),
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>", "<CodeBook> has no <Codes>"),
    ],
)
def test_bad_qdc_files_give_one_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        import_qdc(path)
    message = str(caught.value)
    assert expected in message and message.startswith(str(path)) and "\n" not in message
    assert "passwd" not in message and "lol" not in message


def test_a_mangled_rules_block_is_reported_with_the_code(tmp_path: Path) -> None:
    path = tmp_path / "mangled.qdc"
    path.write_text(
        f'<CodeBook xmlns="{NAMESPACE}"><Codes><Code guid="{theme_guid("parks")}" name="Parks" isCodable="true">'
        "<Description>Parks\n\n[tcs-themes]\nid: parks\npatterns: [unclosed</Description></Code></Codes></CodeBook>",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError, match=r"<Code> 'Parks'.*\[tcs-themes\] block .* not valid YAML"):
        import_qdc(path)


def test_export_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.qdc"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(CodebookError, match="cannot write it"):
        export_qdc(load_codebook(), target)
    assert list(tmp_path.iterdir()) == [target] and not any(target.iterdir())
