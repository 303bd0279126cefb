"""Hostile or simply huge inputs end quickly in a one-line error naming the file; good files beside them still ingest."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import skops.io as sio
from _outputs_fixtures import write_exercises
from coding_support import tiny_codebook

import _ingest_files as files
from tcs_themes.codebook import load_codebook
from tcs_themes.coding.model.model_io import MODEL_FORMAT, load_model
from tcs_themes.coding.rules.coder import RuleCoder
from tcs_themes.errors import (
    CodebookError, ExerciseFileError, LabelsError, ModelError, SessionRegisterError, SettingsError,
)
from tcs_themes.ingest import ingest, load_register
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.ingest.labels import read_labels
from tcs_themes.ingest.limits import MAX_CELL_CHARS
from tcs_themes.ingest.redaction import redact

#: Nine levels of nine aliases: about 390 million values once expanded, from 1 KB.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def _ingest_beside_a_good_csv(tmp_path: Path, bad: Path) -> tuple:
    files.csv_export(tmp_path / "good.csv", "utf-8")
    start = time.perf_counter()
    result = ingest([bad, tmp_path / "good.csv"])
    elapsed = time.perf_counter() - start
    assert len(result.comments) == 3 and set(result.comments["source_file"]) == {(tmp_path / "good.csv").as_posix()}
    assert len(result.errors) == 1 and result.errors[0].startswith(bad.as_posix()) and "\n" not in result.errors[0]
    assert elapsed < 20  # quadratic or unbounded work would take minutes or exhaust memory
    return result.errors[0], result


def test_a_stray_cell_at_xfd1048576_is_an_error_for_its_file(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Comment"])
    book.active.append(["A real comment"])
    book.active["XFD1048576"] = "x"
    book.save(tmp_path / "stray.xlsx")
    assert (tmp_path / "stray.xlsx").stat().st_size < 10_000
    error, _ = _ingest_beside_a_good_csv(tmp_path, tmp_path / "stray.xlsx")
    assert "(sheet Notes): the sheet has data in cell XFD1048576, beyond the 1,024 columns read" in error


def test_stray_cells_far_below_or_right_are_errors_but_blank_stretches_are_not(tmp_path: Path) -> None:
    cases = {"A20003": "after 20,000 empty rows (more than 10,000)", "AMK2": "beyond the 1,024 columns read",
             "A9003": None}
    for cell, problem in cases.items():
        book = openpyxl.Workbook()
        book.active.append(["Comment"])
        book.active.append(["A real comment"])
        book.active[cell] = "Another comment"
        path = tmp_path / f"{cell}.xlsx"
        book.save(path)
        result = ingest(path)
        if problem is None:  # 9,000 blank rows between comments: read, each blank row logged
            assert result.errors == [] and result.comments["text"].tolist() == ["A real comment", "Another comment"]
            assert result.files.iloc[0]["blank"] == 9000
        else:
            assert result.errors == [f"{path.as_posix()} (sheet Sheet): the sheet has data in cell {cell}, {problem}; "
                                     "delete the stray cells, or split the sheet"]


def _one_comment_workbook(path: Path, text: str) -> dict[str, bytes]:
    """Save a one-comment workbook at ``path``; return its zip members, to tamper with."""
    book = openpyxl.Workbook()
    book.active.append(["Comment"])
    book.active.append([text])
    book.save(path)
    return files.zip_members(path)


def test_a_declared_dimension_alone_costs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "dimension.xlsx"
    contents = _one_comment_workbook(path, "A real comment")
    sheet = contents["xl/worksheets/sheet1.xml"].decode()
    contents["xl/worksheets/sheet1.xml"] = sheet.replace('<dimension ref="A1:A2"/>', '<dimension ref="A1:XFD1048576"/>').encode()
    assert contents["xl/worksheets/sheet1.xml"] != sheet.encode()
    files.write_zip(path, contents).close()
    result = ingest(path)
    assert result.errors == [] and result.comments["text"].tolist() == ["A real comment"]


def test_shared_strings_that_expand_to_50_mb_are_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    contents = _one_comment_workbook(path, "lol")
    types, rels = contents["[Content_Types].xml"].decode(), contents["xl/_rels/workbook.xml.rels"].decode()
    contents["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )).encode()
    contents["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )).encode()
    with files.write_zip(path, contents, zipfile.ZIP_DEFLATED) as target:
        with target.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>lol</t></si>" * 50_000
            for _ in range(50):
                member.write(chunk)
            member.write(b"</sst>")
    assert path.stat().st_size < 1_000_000
    error, _ = _ingest_beside_a_good_csv(tmp_path, path)
    assert "refused: its part xl/sharedStrings.xml unpacks to 45 MB" in error


def test_a_500_kb_cell_is_cut_and_logged_and_the_other_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Comment,Ward\nfirst row,a\n" + "word " * 100_000 + ",b\nthird row,c\n", encoding="utf-8")
    result = ingest(path)
    assert result.errors == []
    assert [len(t) for t in result.comments["text"]] == [9, MAX_CELL_CHARS, 9]
    truncated = result.log[result.log["reason"] == "truncated"]
    assert truncated[["location", "detail"]].values.tolist() == [
        ["big!R3", "column text: 499,999 characters, cut to the first 32,767 (the most a cell holds)"]
    ]
    assert len(result.warnings) == 1


def test_a_row_of_formulas_never_saved_is_reported_as_such(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Comment", "Score"])
    sheet.append(["=B3", "=1+1"])
    sheet.append([None, "=2+2"])
    sheet.append(["Saved text", 3])
    book.save(tmp_path / "formulas.xlsx")
    result = ingest(tmp_path / "formulas.xlsx")
    log = result.log.set_index("location")
    assert log.loc["Sheet!R2", "reason"] == "error" and "formula whose value was never saved" in log.loc["Sheet!R2", "detail"]
    assert log.loc["Sheet!R3", "reason"] == "blank"
    assert "formulas whose values were never saved" in log.loc["Sheet!R3", "detail"]
    assert result.comments["text"].tolist() == ["Saved text"]
    assert len(result.errors) == 1 and "(sheet Sheet, row 2)" in result.errors[0]


def test_yaml_with_nested_aliases_is_refused_at_once(tmp_path: Path) -> None:
    for name, loader, error in (
        ("codebook.yaml", load_codebook, CodebookError),
        ("sessions.yaml", load_register, SessionRegisterError),
    ):
        path = tmp_path / name
        path.write_text(LAUGHS, encoding="utf-8")
        start = time.perf_counter()
        with pytest.raises(error, match=r"expands to more than 1,000,000 values") as raised:
            loader(path)
        assert str(raised.value).startswith(f"{path}: ") and time.perf_counter() - start < 5
    settings = tmp_path / "tcs-themes.yaml"
    settings.write_text(LAUGHS, encoding="utf-8")
    files.csv_export(tmp_path / "good.csv", "utf-8")
    with pytest.raises(SettingsError, match="expands to more than"):
        ingest(tmp_path / "good.csv", settings=settings)


def test_a_codebook_regex_that_backtracks_is_refused_at_validation(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "name: t\nthemes:\n  - id: parks\n    name: Parks\n    patterns:\n      - park\n"
        "      - tokens: [{LOWER: {REGEX: '^(a+)+$'}}]\n      - tokens: [{LOWER: {REGEX: '^park(s|land)?$'}}]\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as raised:
        load_codebook(path)
    assert "line 7" in str(raised.value) and "REGEX '^(a+)+$' can backtrack" in str(raised.value)
    assert "park(s|land)" not in str(raised.value)


def test_a_100_kb_email_is_redacted_in_linear_time(tmp_path: Path) -> None:
    body = ("a" * 50_000 + "@") + " " + ("x." * 25_000) + "@ and write to jo@example.org"
    start = time.perf_counter()
    text, count = redact(body)
    assert time.perf_counter() - start < 2  # the former pattern took about 45 seconds on this
    assert text.endswith("write to [EMAIL]") and count == 1
    message = files._message("Long", "Ann Lee <ann@example.org>", body + "\n")
    result = ingest(files.write_eml(tmp_path / "long.eml", message))
    assert result.errors == [] and len(result.comments) == 1


def _model_with_array(path: Path, array: np.ndarray, **bundle) -> Path:
    sio.dump({"format": MODEL_FORMAT, "array": array, **bundle}, path)
    return path


def _declare_shape(path: Path, shape: tuple[int, ...]) -> None:
    """Rewrite the .npy header in a skops file to declare ``shape``, keeping its few bytes of data."""
    contents = files.zip_members(path)
    name = next(n for n in contents if n.endswith(".npy"))
    old = contents[name]
    header_end = old.index(b"\n") + 1
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}".encode()
    header += b" " * (header_end - 10 - len(header) - 1) + b"\n"
    contents[name] = old[:8] + len(header).to_bytes(2, "little") + header + old[header_end:]
    files.write_zip(path, contents).close()


def test_hostile_model_files_are_refused_with_the_file_named(tmp_path: Path) -> None:
    codebook = tiny_codebook()
    minimal = tmp_path / "minimal.skops"
    sio.dump({"format": MODEL_FORMAT}, minimal)
    huge = _model_with_array(tmp_path / "huge.skops", np.zeros(4))
    _declare_shape(huge, (100_000, 100_000))
    no_schema = tmp_path / "no_schema.skops"
    with zipfile.ZipFile(no_schema, "w") as archive:
        archive.writestr("data.npy", b"")
    broken_schema = tmp_path / "broken.skops"
    with zipfile.ZipFile(broken_schema, "w") as archive:
        archive.writestr("schema.json", "{}")
    expected = {
        minimal: "an incomplete tcs-themes model (missing or wrong: model, theme_ids",
        huge: "refused: its arrays declare more than 1,024 MB",
        no_schema: "refused: it has no schema.json",
        broken_schema: "not a valid skops model file, or damaged",
    }
    for path, message in expected.items():
        start = time.perf_counter()
        with pytest.raises(ModelError) as raised:
            load_model(path, codebook)
        assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value), str(raised.value)
        assert "\n" not in str(raised.value) and time.perf_counter() - start < 5


def test_a_stray_cell_in_a_coded_or_exercise_workbook_costs_one_cell(tmp_path: Path) -> None:
    coded = tmp_path / "coded.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Comment", "Theme"])
    book.active.append(["Jargon everywhere", "clarity"])
    book.active["XFD1048576"] = "x"
    book.save(coded)
    exercises = write_exercises(tmp_path / "4ps.xlsx")
    book = openpyxl.load_workbook(exercises)
    book["Choices"]["XFD1048576"] = "x"
    book.save(exercises)
    start = time.perf_counter()
    with pytest.raises(LabelsError, match=r"coded\.xlsx \(sheet Sheet\): the sheet has data in cell XFD1048576"):
        read_labels(coded, tiny_codebook())
    with pytest.raises(ExerciseFileError, match=r"4ps\.xlsx \(sheet Choices, row 1048576\): Event is empty"):
        load_exercises(exercises)
    assert time.perf_counter() - start < 20  # pandas and openpyxl's row iterators took minutes here


def test_an_accepted_regex_never_runs_on_an_overlong_token(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(
        "name: t\nthemes:\n  - id: abc\n    name: ABC\n    patterns:\n      - tokens: [{LOWER: {REGEX: '.*a.*b.*c'}}]\n",
        encoding="utf-8",
    )
    coder = RuleCoder(load_codebook(path))
    start = time.perf_counter()
    matches = coder.match(["a" * 20_000, "xaybzc is here", "a" * 90 + "bc"])
    assert time.perf_counter() - start < 5  # the pattern alone takes hours on a 20,000-letter word
    assert [[m.theme_id for m in found] for found in matches] == [[], ["abc"], ["abc"]]


def test_huge_merged_or_linked_ranges_are_refused_before_openpyxl_expands_them(tmp_path: Path) -> None:
    links = '<hyperlinks><hyperlink ref="A3:XFD1048576" location="Sheet!A1"/></hyperlinks>'
    for name, extra in (("merged.xlsx", '<mergeCells count="1"><mergeCell ref="B1:XFD1048576"/></mergeCells>'),
                        ("linked.xlsx", links)):
        path = tmp_path / name
        contents = _one_comment_workbook(path, "A real comment")
        sheet = contents["xl/worksheets/sheet1.xml"].decode()
        contents["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", "</sheetData>" + extra).encode()
        files.write_zip(path, contents).close()
        error, _ = _ingest_beside_a_good_csv(tmp_path, path)
        assert "refused: the merged and linked ranges (up to " in error and "over 2,000,000 cells" in error
    path = tmp_path / "small_merge.xlsx"
    contents = _one_comment_workbook(path, "A real comment")
    sheet = contents["xl/worksheets/sheet1.xml"].decode()
    merge = '<mergeCells count="1"><mergeCell ref="B1:C2"/></mergeCells>'
    contents["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", "</sheetData>" + merge).encode()
    files.write_zip(path, contents).close()
    assert ingest(path).comments["text"].tolist() == ["A real comment"]


def test_many_links_into_many_merges_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.xlsx"
    contents = _one_comment_workbook(path, "A real comment")
    merges = "".join(f'<mergeCell ref="B{r}:C{r}"/>' for r in range(1, 3001))
    links = "".join(f'<hyperlink ref="C{r}" location="Sheet!A1"/>' for r in range(1, 3001))
    extra = f'<mergeCells count="3000">{merges}</mergeCells><hyperlinks>{links}</hyperlinks>'
    sheet = contents["xl/worksheets/sheet1.xml"].decode()
    contents["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", "</sheetData>" + extra).encode()
    files.write_zip(path, contents).close()
    error, _ = _ingest_beside_a_good_csv(tmp_path, path)  # 9 million look-ups in openpyxl
    assert "refused: the merged and linked ranges (up to C" in error


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/core.xml"])
def test_an_xml_bomb_in_any_part_of_a_workbook_is_refused_by_name(tmp_path: Path, part: str) -> None:
    path = tmp_path / "laughs.xlsx"
    contents = _one_comment_workbook(path, "A real comment")
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = contents[part].decode()
    prolog = xml[: xml.index("?>") + 2] if xml.startswith("<?xml") else ""
    body = xml[len(prolog):]
    root = body[1 : body.index(" ")]
    end = body.rindex("</")
    contents[part] = f"{prolog}<!DOCTYPE {root} [{entities}]>{body[:end]}&a9;{body[end:]}".encode()
    files.write_zip(path, contents).close()
    error, _ = _ingest_beside_a_good_csv(tmp_path, path)
    assert f"refused: its part {part} declares a document type" in error and "save it again" in error
