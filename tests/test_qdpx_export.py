"""REFI-QDA project export (.qdpx): valid against the schema, exact positions, users, cases, deterministic, atomic."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from _qdpx_projects import CODED, REGISTER, ROOT, sample_coded
from lxml import etree
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook, theme_guid
from tcs_themes.codebook.refi_qda import codebook_to_qdc
from tcs_themes.errors import InputFileError
from tcs_themes.ingest.register import load_register
from tcs_themes.outputs.qdpx import MACHINE_USER, export_qdpx
from tcs_themes.refi import PROJECT_NAMESPACE
from tcs_themes.schema import split_list
from tcs_themes.tables import write_table

SCHEMA = ROOT.parent / "shared" / "specs" / "refi-qda" / "Project.xsd"
NS = {"q": PROJECT_NAMESPACE}
runner = CliRunner()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("qdpx")
    coded, codebook = sample_coded(), load_codebook()
    result = export_qdpx(coded, codebook, folder / "project.qdpx", register=load_register(REGISTER), analyst="Jo Analyst")
    archive = zipfile.ZipFile(result.path)
    return {"coded": coded, "codebook": codebook, "result": result, "archive": archive,
            "root": ET.fromstring(archive.read("project.qde")), "folder": folder}


def sources_of(exported: dict) -> list[tuple[ET.Element, str]]:
    """(TextSource, its text file's text) in project order."""
    out = []
    for source in exported["root"].iterfind("q:Sources/q:TextSource", NS):
        name = source.get("plainTextPath").removeprefix("internal://")
        out.append((source, exported["archive"].read(f"sources/{name}").decode("utf-8")))
    return out


@pytest.mark.skipif(not SCHEMA.is_file(), reason="the REFI-QDA schema is read from ../shared/specs/refi-qda/")
def test_the_project_is_valid_against_the_refi_qda_schema(exported: dict) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(exported["archive"].read("project.qde"))
    assert schema.validate(document), schema.error_log
    head = exported["archive"].read("project.qde")[:60].decode()
    assert head.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_the_archive_holds_project_qde_and_one_plain_text_file_per_source(exported: dict) -> None:
    names = exported["archive"].namelist()
    assert names[0] == "project.qde"
    sources = exported["root"].findall("q:Sources/q:TextSource", NS)
    coded = exported["coded"]
    sessions = coded["session_id"].dropna().nunique()
    emails = coded.loc[coded["source_kind"] == "email", "message_id"].nunique()
    assert len(sources) == sessions + emails == exported["result"].sources
    assert sorted(names[1:]) == sorted(f"sources/{s.get('plainTextPath').removeprefix('internal://')}" for s in sources)
    assert all(s.get("richTextPath") is None for s in sources)  # plain text, never rich text
    assert {info.date_time for info in exported["archive"].infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_codes_are_the_codebook_nested_with_the_qdc_guids_and_colours(exported: dict) -> None:
    qdc = ET.fromstring(codebook_to_qdc(exported["codebook"]))
    project_codes = exported["root"].find("q:CodeBook/q:Codes", NS)

    def tree(codes: ET.Element) -> list:
        return [(c.get("guid"), c.get("name"), c.get("color"), tree(c)) for c in codes if c.tag.endswith("}Code")]

    assert tree(project_codes) == tree(qdc.find("{urn:QDA-XML:codebook:1.0}Codes"))
    clarity = project_codes.find(f"q:Code[@guid='{theme_guid('clarity')}']", NS)
    assert clarity.get("color") == exported["codebook"].theme("clarity").colour.upper()
    assert len(clarity.findall("q:Code", NS)) == len(exported["codebook"].subthemes_of("clarity"))


def test_each_comment_is_a_selection_at_its_exact_positions_in_order_with_its_codes(exported: dict) -> None:
    coded = exported["coded"].set_index("comment_id")
    seen = []
    for source, text in sources_of(exported):
        assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")  # CRLF only
        assert not text.startswith("\ufeff")
        previous_end = -1
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            row = coded.loc[selection.get("name")]
            assert start > previous_end
            assert text[start:end] == row["text"].replace("\n", "\r\n")
            codes = [c.find("q:CodeRef", NS).get("targetGUID") for c in selection.iterfind("q:Coding", NS)]
            themes = [t for t in split_list(row["themes"]) if t != "uncoded"]
            subthemes = [s.split("/")[1] for s in split_list(row["subthemes"])]
            assert codes == [theme_guid(t) for t in themes + subthemes]
            previous_end = end
            seen.append(selection.get("name"))
    assert sorted(seen) == sorted(coded.index)
    assert exported["result"].comments == len(coded)
    order = exported["coded"].loc[exported["coded"]["session_id"] == "S02", "comment_id"].tolist()
    assert [c for c in seen if c in set(order)] == order  # comments in table order within a session


def test_the_positions_fit_how_qualcoder_reads_a_crlf_text_file(exported: dict, tmp_path: Path) -> None:
    """QualCoder opens the .txt as text (CRLF -> LF) and, when lines end in CRLF, writes each LF as LF + space."""
    source, text = next((s, t) for s, t in sources_of(exported) if "\r\n" in t.split("\r\n\r\n", 1)[0] or "\r\n" in t)
    path = tmp_path / "source.txt"
    path.write_bytes(text.encode("utf-8"))
    with open(path, encoding="utf-8") as stream:
        fulltext = stream.read().replace("\n", "\n ")
    for selection in source.iterfind("q:PlainTextSelection", NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert fulltext[start:end].replace("\n ", "\n") == text[start:end].replace("\r\n", "\n")


def test_analyst_and_reviewed_codes_are_the_analysts_machine_codes_are_tcs_themes(exported: dict) -> None:
    users = {u.get("name"): u.get("guid") for u in exported["root"].iterfind("q:Users/q:User", NS)}
    assert set(users) == {"Jo Analyst", MACHINE_USER}
    coded = exported["coded"].set_index("comment_id")
    by_source = {"analyst": users["Jo Analyst"], "review": users["Jo Analyst"], "machine": users[MACHINE_USER]}
    for selection in exported["root"].iter(f"{{{PROJECT_NAMESPACE}}}PlainTextSelection"):
        expected = by_source[coded.loc[selection.get("name"), "code_source"]]
        assert selection.get("creatingUser") == expected
        assert all(c.get("creatingUser") == expected for c in selection.iterfind("q:Coding", NS))


def test_without_code_source_every_code_is_the_machines(tmp_path: Path) -> None:
    coded = pd.read_parquet(CODED).head(40)
    root = ET.fromstring(zipfile.ZipFile(export_qdpx(coded, load_codebook(), tmp_path / "p.qdpx").path).read("project.qde"))
    machine = next(u.get("guid") for u in root.iterfind("q:Users/q:User", NS) if u.get("name") == MACHINE_USER)
    assert {s.get("creatingUser") for s in root.iter(f"{{{PROJECT_NAMESPACE}}}PlainTextSelection")} == {machine}


def test_cases_are_sessions_and_emails_with_their_variables(exported: dict) -> None:
    root = exported["root"]
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert set(variables.values()) == {"Strand", "Session id", "Session name", "Date", "Format", "Source kind"}
    sources = {s.get("guid"): s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)}
    cases = {}
    for case in root.iterfind("q:Cases/q:Case", NS):
        [ref] = case.findall("q:SourceRef", NS)
        assert sources[ref.get("targetGUID")] == case.get("name")
        cases[case.get("name")] = {
            variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text for v in case.iterfind("q:VariableValue", NS)
        }
    assert len(cases) == len(sources)
    assert cases["S23 Play day at Florence Park"] == {
        "Strand": "Strand 3", "Session id": "S23", "Session name": "Play day at Florence Park", "Date": "2022-08-04",
        "Format": "community event", "Source kind": "spreadsheet",
    }
    email = next(values for name, values in cases.items() if name.startswith("Email 1 "))
    assert email["Source kind"] == "email" and "Session id" not in email


def test_the_same_input_gives_the_same_bytes(exported: dict, tmp_path: Path) -> None:
    again = export_qdpx(exported["coded"], exported["codebook"], tmp_path / "again.qdpx",
                        register=load_register(REGISTER), analyst="Jo Analyst")
    assert again.path.read_bytes() == exported["result"].path.read_bytes()


def test_text_xml_cannot_hold_is_dropped_and_a_theme_the_codebook_lacks_is_refused(tmp_path: Path) -> None:
    coded = pd.read_parquet(CODED).dropna(subset=["session_id"]).head(5).copy()
    coded["session_name"] = "Forum\x0b one"
    path = export_qdpx(coded, load_codebook(), tmp_path / "p.qdpx").path
    root = ET.fromstring(zipfile.ZipFile(path).read("project.qde"))
    assert any(s.get("name").endswith("Forum one") for s in root.iterfind("q:Sources/q:TextSource", NS))
    coded.loc[coded.index[0], "themes"] = "not_a_theme"
    with pytest.raises(InputFileError, match="not_a_theme.*--codebook"):
        export_qdpx(coded, load_codebook(), tmp_path / "bad.qdpx")
    assert not (tmp_path / "bad.qdpx").exists()


def test_comments_with_emoji_are_counted_for_a_warning(tmp_path: Path) -> None:
    coded = pd.read_parquet(CODED).dropna(subset=["session_id"]).head(3).copy()
    coded.loc[coded.index[0], "text"] = "Love the park \U0001F333 more trees please"
    out = tmp_path / "p.qdpx"
    assert export_qdpx(coded, load_codebook(), out).wide == 1
    write_table(coded, tmp_path / "coded.parquet")
    result = runner.invoke(app, ["export", str(tmp_path / "coded.parquet"), "--out", str(out)])
    assert result.exit_code == 0 and "1 comments hold emoji" in result.output.replace("\n", " ")
    root = ET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    second = root.findall(".//q:PlainTextSelection", NS)[1]
    assert int(second.get("startPosition")) == len(coded["text"].iloc[0]) + 4  # code points: the tree counts one


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "project.qdpx"
    target.write_bytes(b"old")

    def broken(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(InputFileError, match="cannot write it"):
        export_qdpx(pd.read_parquet(CODED).head(5), load_codebook(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["project.qdpx"]


def test_cli_export_format_qdpx(tmp_path: Path) -> None:
    out = tmp_path / "project.qdpx"
    result = runner.invoke(app, ["export", str(CODED), "--format", "qdpx", "--out", str(out), "--register", str(REGISTER)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}: 1067 comments in 48 sources" in result.output.replace("\n", "")
    assert zipfile.is_zipfile(out)
    wrong = runner.invoke(app, ["export", str(CODED), "--format", "qdpx", "--out", str(tmp_path / "p.xlsx")])
    assert wrong.exit_code == 1 and "must end in .qdpx" in wrong.output and "Traceback" not in wrong.output
