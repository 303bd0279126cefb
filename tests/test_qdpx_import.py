"""REFI-QDA project import (.qdpx): round trip, another tool's project, nothing lost, hostile archives refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from _qdpx_projects import FACILITATOR, REGISTER, analyst_coded, nvivo_style_project, sample_coded
from typer.testing import CliRunner

from tcs_themes.cli import app
from tcs_themes.codebook import load_codebook, theme_guid
from tcs_themes.errors import LabelsError, ProjectFileError
from tcs_themes.ingest import qdpx_archive
from tcs_themes.ingest.qdpx import import_qdpx
from tcs_themes.ingest.register import load_register
from tcs_themes.outputs.qdpx import export_qdpx
from tcs_themes.refi import PROJECT_NAMESPACE
from tcs_themes.schema import split_list

runner = CliRunner()
NS = PROJECT_NAMESPACE


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def nvivo(tmp_path_factory, codebook) -> dict:
    path = tmp_path_factory.mktemp("nvivo") / "last-year.qdpx"
    coded = analyst_coded()
    spans = nvivo_style_project(path, codebook, coded)
    return {"path": path, "coded": coded, "spans": spans, "result": import_qdpx(path, codebook)}


def project(path: Path, body: str, files: dict[str, bytes] | None = None, origin: str = "MAXQDA 2022") -> Path:
    """A small project: one code per theme named as in the codebook is not assumed; ``body`` is the XML inside <Project>."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "project.qde", f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="p" origin="{origin}">{body}</Project>'
        )
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def codes_xml(*names: str) -> str:
    return "<CodeBook><Codes>" + "".join(
        f'<Code guid="00000000-0000-4000-8000-{i:012d}" name="{name}" isCodable="true"/>' for i, name in enumerate(names)
    ) + "</Codes></CodeBook>"


def selection(start: int, end: int, *codes: int, guid: int = 0) -> str:
    return (f'<PlainTextSelection guid="10000000-0000-4000-8000-{guid:012d}" startPosition="{start}" endPosition="{end}">'
            + "".join(f'<Coding guid="20000000-0000-4000-8000-{guid * 10 + c:012d}"><CodeRef '
                      f'targetGUID="00000000-0000-4000-8000-{c:012d}"/></Coding>' for c in codes)
            + "</PlainTextSelection>")


# -- round trip ------------------------------------------------------------------------------------------------------


def test_round_trip_gives_back_every_comment_code_and_position(tmp_path: Path, codebook) -> None:
    coded = sample_coded()
    exported = export_qdpx(coded, codebook, tmp_path / "p.qdpx", register=load_register(REGISTER))
    back = import_qdpx(exported.path, codebook)
    assert back.log.empty
    assert len(back.comments) == len(coded) == exported.comments
    assert back.codings == exported.codings
    table = back.comments.set_index("comment_id")
    assert set(table.index) == set(coded["comment_id"])
    for row in coded.itertuples(index=False):
        got = table.loc[row.comment_id]
        assert got["text"] == row.text
        human = row.code_source in ("analyst", "review")
        themes = [t for t in split_list(row.themes) if t != "uncoded"]
        assert split_list(got["codes" if human else "machine_codes"]) == themes
        assert split_list(got["subtheme_codes" if human else "machine_subtheme_codes"]) == split_list(row.subthemes)
        assert split_list(got["machine_codes" if human else "codes"]) == []
        assert got["code_source"] == ("analyst" if human else "machine")
        assert (None if pd.isna(got["strand"]) else got["strand"]) == (None if pd.isna(row.strand) else row.strand)
    with zipfile.ZipFile(exported.path) as archive:  # positions: those the export wrote, read back exactly
        root = ET.fromstring(archive.read("project.qde"))
    written = {s.get("name"): (int(s.get("startPosition")), int(s.get("endPosition")))
               for s in root.iter(f"{{{NS}}}PlainTextSelection")}
    assert {cid: (int(r.qdpx_start), int(r.qdpx_end)) for cid, r in table.iterrows()} == written
    sessions = table[table["session_id"] == "S23"]
    assert set(sessions["format"]) == {"community event"} and set(sessions["session_name"]) == {"Play day at Florence Park"}


# -- a project from another tool -------------------------------------------------------------------------------------


def test_an_nvivo_style_project_gives_the_analysts_codes_by_code_name(nvivo: dict) -> None:
    comments = nvivo["result"].comments
    coded = nvivo["coded"]
    assert len(comments) == len(coded)  # two selections over one span are one comment; the case coding is not one
    assert nvivo["result"].codings == sum(len(c) for c in coded["codes"])
    assert comments["text"].tolist() == [t.replace("\r\n", "\n") for t in coded["text"]]
    assert [split_list(c) for c in comments["codes"]] == [list(c) for c in coded["codes"]]
    assert set(comments["code_source"]) == {"analyst"} and comments["machine_codes"].eq("").all()
    positions = [(s, e) for session in nvivo["spans"].values() for s, e, _ in session]
    assert list(zip(comments["qdpx_start"], comments["qdpx_end"], strict=True)) == positions


def test_case_variables_become_columns(nvivo: dict) -> None:
    comments = nvivo["result"].comments
    for row in nvivo["coded"].sample(20, random_state=1).itertuples():
        got = comments.iloc[row.Index]
        assert (got["strand"], got["session_name"], got["date"]) == (row.strand, row.session_name, pd.Timestamp(row.date).normalize())
    assert comments["session_id"].str.endswith(" notes").all()  # no session id variable: the source's name


def test_uncoded_text_is_logged_redacted_and_nothing_is_lost(nvivo: dict) -> None:
    log = nvivo["result"].log
    assert set(log["reason"]) == {"uncoded-text"}
    assert len(log) == sum(len(spans) // 3 for spans in nvivo["spans"].values())
    expected = FACILITATOR.replace("\r\n", "\n").replace("Jo on 07700 900123", "[NAME] on [PHONE]")  # a name before a number
    assert set(log["text"]) == {expected}
    with zipfile.ZipFile(nvivo["path"]) as archive:
        letters = sum(
            len("".join(archive.read(n).decode("utf-8-sig").split())) for n in archive.namelist() if n.startswith("Sources/")
        )
    imported = nvivo["result"].comments["text"].map(lambda t: len("".join(t.split()))).sum()
    logged = len("".join(FACILITATOR.split())) * len(log)
    assert imported + logged == letters  # every character is in a comment or in the log


def test_personal_details_in_coded_text_are_redacted(tmp_path: Path, codebook) -> None:
    text = "Email me at sam.jones@example.org about the parks.\r\nNothing here."
    path = project(tmp_path / "p.qdpx", codes_xml("Green spaces") + "<Sources>"
                   f'<TextSource guid="30000000-0000-4000-8000-000000000001" name="Interview" plainTextPath="internal://a.txt">'
                   f"{selection(0, 50, 0)}</TextSource></Sources>", {"sources/a.txt": text.encode()})
    result = import_qdpx(path, codebook)
    [comment] = result.comments.itertuples()
    assert comment.text == "Email me at [EMAIL] about the parks." and comment.redactions == 1
    assert comment.codes == "green_spaces"
    assert result.log["text"].tolist() == ["Nothing here."]


def test_codes_map_by_guid_and_unknown_codes_are_named_with_close_matches(tmp_path: Path, codebook) -> None:
    body = ('<CodeBook><Codes><Code guid="{g}" name="Renamed in NVivo" isCodable="true"/></Codes></CodeBook>'
            .format(g=theme_guid("clarity")))
    body += ('<Sources><TextSource guid="30000000-0000-4000-8000-000000000001" name="s"><PlainTextContent>Too much jargon'
             f'</PlainTextContent><PlainTextSelection guid="10000000-0000-4000-8000-000000000001" startPosition="0" '
             f'endPosition="15"><Coding guid="20000000-0000-4000-8000-000000000001"><CodeRef targetGUID="{theme_guid("clarity")}"/>'
             "</Coding></PlainTextSelection></TextSource></Sources>")
    assert import_qdpx(project(tmp_path / "guid.qdpx", body), codebook).comments["codes"].tolist() == ["clarity"]
    src = ('<Sources><TextSource guid="30000000-0000-4000-8000-000000000001" name="s"><PlainTextContent>abc def ghi'
           f"</PlainTextContent>{selection(0, 3, 0, guid=1)}{selection(4, 7, 1, guid=2)}{selection(8, 11, 2, guid=3)}"
           "</TextSource></Sources>")
    path = project(tmp_path / "unknown.qdpx", codes_xml("Green space and natur", "Weather", "Clarity") + src)
    with pytest.raises(LabelsError) as error:
        import_qdpx(path, codebook)
    message = str(error.value)
    assert "2 code(s)" in message and "'Green space and natur' (did you mean green_spaces?)" in message
    assert "'Weather'" in message and "Clarity" not in message.replace("'Clarity'", "")


def test_atlas_ti_positions_count_a_line_break_as_one(tmp_path: Path, codebook) -> None:
    text = "First line\r\nabout jargon\r\nlast"
    files = {"sources/a.txt": text.encode()}
    body = codes_xml("Clarity") + ('<Sources><TextSource guid="30000000-0000-4000-8000-000000000001" name="s" '
                                   f'plainTextPath="internal://a.txt">{selection(11, 23, 0)}</TextSource></Sources>')
    atlas = import_qdpx(project(tmp_path / "a.qdpx", body, files, origin="ATLAS.ti 23"), codebook)
    assert atlas.comments["text"].tolist() == ["about jargon"]
    other = import_qdpx(project(tmp_path / "m.qdpx", body, files), codebook)
    assert other.comments["text"].tolist() == ["about jargo"]  # a CRLF counted as two: the span starts a character early


def test_sources_that_cannot_be_read_and_bad_selections_are_logged(tmp_path: Path, codebook) -> None:
    body = codes_xml("Clarity") + (
        "<Sources>"
        '<PDFSource guid="30000000-0000-4000-8000-000000000001" name="scan.pdf" path="internal://x.pdf"/>'
        '<TextSource guid="30000000-0000-4000-8000-000000000002" name="linked" plainTextPath="absolute:///etc/passwd"/>'
        '<TextSource guid="30000000-0000-4000-8000-000000000003" name="missing" plainTextPath="internal://none.txt"/>'
        '<TextSource guid="30000000-0000-4000-8000-000000000004" name="utf16" plainTextPath="internal://u.txt">'
        f"{selection(0, 6, 0, guid=1)}{selection(5, 99, 0, guid=2)}</TextSource>"
        '<TextSource guid="30000000-0000-4000-8000-000000000005" name="latin1" plainTextPath="internal://l.txt"/>'
        "</Sources>"
    )
    files = {"sources/u.txt": "jargon".encode("utf-16"), "sources/l.txt": "caf\xe9".encode("latin-1")}
    result = import_qdpx(project(tmp_path / "p.qdpx", body, files), codebook)
    assert result.comments["text"].tolist() == ["jargon"]
    reasons = dict(zip(result.log["location"].str.split("#").str[0] + " " + result.log["reason"], result.log["detail"], strict=True))
    assert reasons.keys() == {"scan.pdf not-a-text-source", "linked no-text", "missing no-text", "utf16 bad-selection", "latin1 no-text"}
    assert "never read" in reasons["linked no-text"]


# -- hostile and wrong files -----------------------------------------------------------------------------------------


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">&lol2;</Project>"""


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (None, "not a zip archive"),
        ({"readme.txt": b"hi"}, "no project.qde"),
        ({"project.qde": b"<p/>", "../evil.txt": b"x"}, "refused: an entry's path is absolute or climbs out"),
        ({"project.qde": b"<p/>", "/etc/cron.d/x": b"x"}, "refused: an entry's path is absolute"),
        ({"project.qde": b"<p/>", "sources/C:evil.txt": b"x", "C:\\evil.txt": b"x"}, "refused: an entry's path"),
        ({"project.qde": BILLION_LAUGHS}, "refused: the XML declares a DTD or entities"),
        ({"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0'"}, "not well-formed XML"),
        ({"project.qde": b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"}, "this is a REFI-QDA codebook (.qdc)"),
        ({"project.qde": b"<html><body/></html>"}, "not a REFI-QDA project: its project.qde has the root <html>"),
    ],
)
def test_hostile_or_wrong_files_get_one_line_errors(tmp_path: Path, entries, expected: str) -> None:
    path = tmp_path / "p.qdpx"
    if entries is None:
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    else:
        zip_with(path, entries)
    result = runner.invoke(app, ["import-qdpx", str(path), "--out", str(tmp_path / "out.parquet")])
    assert result.exit_code == 1
    assert expected in result.output.replace("\n", "") and str(path) in result.output.replace("\n", "")
    assert "Traceback" not in result.output and not (tmp_path / "out.parquet").exists()


def test_zip_bombs_and_too_many_entries_are_refused(tmp_path: Path, codebook, monkeypatch) -> None:
    monkeypatch.setattr(qdpx_archive, "MAX_TOTAL_BYTES", 100_000)
    bomb = zip_with(tmp_path / "bomb.qdpx", {"project.qde": b"<p/>", "sources/zeros.txt": b"\0" * 200_000})
    assert (bomb.stat().st_size) < 2_000  # it inflates a hundredfold
    with pytest.raises(ProjectFileError, match="more than 0 MiB uncompressed"):
        import_qdpx(bomb, codebook)
    monkeypatch.setattr(qdpx_archive, "MAX_ENTRIES", 3)
    many = zip_with(tmp_path / "many.qdpx", {f"sources/{i}.txt": b"x" for i in range(4)})
    with pytest.raises(ProjectFileError, match="4 entries, more than 3"):
        import_qdpx(many, codebook)


def test_an_archive_that_lies_about_its_sizes_is_stopped_while_reading(tmp_path: Path, codebook) -> None:
    path = zip_with(tmp_path / "liar.qdpx", {"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>" + b" " * 5000})
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the central directory's entry: declare 10 bytes uncompressed
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    local = data.index(b"PK\x03\x04")
    data[local + 22:local + 26] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectFileError, match="inflates to more than it declares|damaged"):
        import_qdpx(path, codebook)


def test_an_entry_over_the_size_limit_is_refused_before_inflating(tmp_path: Path, codebook, monkeypatch) -> None:
    monkeypatch.setattr(qdpx_archive, "MAX_ENTRY_BYTES", 1_000)
    body = codes_xml("Clarity") + (
        "<Sources>"
        '<TextSource guid="30000000-0000-4000-8000-000000000001" name="huge" plainTextPath="internal://huge.txt"/>'
        '<TextSource guid="30000000-0000-4000-8000-000000000002" name="small" plainTextPath="internal://small.txt">'
        f"{selection(0, 6, 0, guid=1)}</TextSource>"
        "</Sources>"
    )
    files = {"sources/huge.txt": b"jargon " * 300, "sources/small.txt": b"jargon"}
    result = import_qdpx(project(tmp_path / "p.qdpx", body, files), codebook)
    assert result.comments["text"].tolist() == ["jargon"]  # the other source is read
    assert result.log[["location", "reason", "detail"]].values.tolist() == [
        ["huge", "no-text", "its plain-text file refused: the entry is 2,100 bytes, more than the 1,000 bytes one "
         "entry may have; split the project"],
    ]
    monkeypatch.setattr(qdpx_archive, "MAX_ENTRY_BYTES", 200)  # the project XML itself: one line for the file
    path = tmp_path / "p.qdpx"
    with pytest.raises(ProjectFileError) as raised:
        import_qdpx(path, codebook)
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("project.qde").file_size
    assert str(raised.value) == (
        f"{path} (project.qde): refused: the entry is {size:,} bytes, more than the 200 bytes one entry may have; "
        "split the project"
    )


def test_an_external_entity_is_refused_and_never_fetched(tmp_path: Path, codebook) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<Project xmlns="{NS}" name="p">&x;</Project>').encode()
    with pytest.raises(ProjectFileError, match="refused: the XML declares a DTD or entities") as raised:
        import_qdpx(zip_with(tmp_path / "xxe.qdpx", {"project.qde": xml}), codebook)
    assert "do not read me" not in str(raised.value)


# -- the command, and training on last year's coding -----------------------------------------------------------------


def test_cli_import_writes_the_table_and_the_log(nvivo: dict, tmp_path: Path) -> None:
    out = tmp_path / "comments.parquet"
    result = runner.invoke(app, ["import-qdpx", str(nvivo["path"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(nvivo['coded'])} comments to {out}" in result.output.replace("\n", "")
    table = pd.read_parquet(out)
    log = pd.read_csv(tmp_path / "comments.import-log.csv")
    assert len(table) == len(nvivo["coded"]) and (log["reason"] == "uncoded-text").all()
    assert "07700" not in out.read_bytes().decode("latin-1") + (tmp_path / "comments.import-log.csv").read_text()


def test_maxqda_style_variables_selection_cases_and_memo_selections(tmp_path: Path, codebook) -> None:
    variables = ('<Variables><Variable guid="40000000-0000-4000-8000-000000000001" name="Age group" typeOfVariable="Text"/>'
                 '<Variable guid="40000000-0000-4000-8000-000000000002" name="Text" typeOfVariable="Text"/>'
                 '<Variable guid="40000000-0000-4000-8000-000000000003" name="Strand" typeOfVariable="Text"/></Variables>')
    value = ('<VariableValue><VariableRef targetGUID="40000000-0000-4000-8000-00000000000{}"/>'
             "<TextValue>{}</TextValue></VariableValue>")
    cases = ('<Cases><Case guid="50000000-0000-4000-8000-000000000001" name="Resident 1">' + value.format(3, "Strand 3")
             + '<SelectionRef targetGUID="10000000-0000-4000-8000-000000000002"/></Case></Cases>')
    memo = ('<PlainTextSelection guid="10000000-0000-4000-8000-000000000009" startPosition="0" endPosition="6">'
            "<Description>a memo</Description></PlainTextSelection>")
    body = codes_xml("Clarity", "Green spaces") + variables + cases + (
        '<Sources><TextSource guid="30000000-0000-4000-8000-000000000001" name="Survey" plainTextPath="internal://s.txt">'
        f"{memo}{selection(0, 6, 0, guid=1)}{selection(7, 12, 1, guid=2)}"
        + value.format(1, "25-34") + value.format(2, "free text") + "</TextSource></Sources>"
    )
    result = import_qdpx(project(tmp_path / "p.qdpx", body, {"sources/s.txt": b"jargon parks"}), codebook)
    table = result.comments
    assert table["text"].tolist() == ["jargon", "parks"] and table["codes"].tolist() == ["clarity", "green_spaces"]
    assert table["age_group"].tolist() == ["25-34", "25-34"] and table["case_text"].tolist() == ["free text"] * 2
    assert table["strand"].isna().tolist() == [True, False] and table["strand"].iloc[1] == "Strand 3"
    assert result.log.empty
    empty = import_qdpx(project(tmp_path / "e.qdpx", codes_xml("Clarity")), codebook)
    assert empty.comments.empty and "codes" in empty.comments.columns and empty.sources == 0
