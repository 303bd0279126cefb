"""The analyst's words survive re-runs: --draft-notes writes every section's text, --notes merges edits back."""

import warnings

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register

from tcs_themes.analysis.counts import count_all
from tcs_themes.analysis.quotes import quotes_by_scope
from tcs_themes.errors import InputFileError, NotesWarning
from tcs_themes.outputs.report import build_report, render_html
from tcs_themes.outputs.report.notes import apply_notes, draft_notes, read_notes


def _report(coded, codebook, register):
    return build_report(coded, codebook, count_all(coded, codebook, register), quotes_by_scope(coded, codebook), {}, register=register)


@pytest.fixture(scope="module")
def inputs():
    codebook, register = make_codebook(), make_register()
    return make_coded(codebook), codebook, register


def test_draft_has_every_section_keyed_by_id(inputs) -> None:
    coded, codebook, register = inputs
    report = _report(coded, codebook, register)
    text = draft_notes(report)
    for key in ("background", "method", "summary", "theme-clarity", "missing", "recommendations", "strand_3-conclusions"):
        assert f"\n## {key} " in text
    assert "34 comments were recorded" in text


def test_edited_text_replaces_generated_text_and_unedited_sections_refresh(inputs, tmp_path) -> None:
    coded, codebook, register = inputs
    path = tmp_path / "notes.md"
    path.write_text(draft_notes(_report(coded, codebook, register)), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    background = text.split("\n## background ", 1)[1].split("\n## ", 1)[0]
    edited = background.split("\n", 1)[0] + "\n\nOur own background [with brackets], written by the analyst.\n\n- One point\n- Another point\n"
    text = text.replace(background, edited) + "\n## theme-no_such_theme A theme since merged\n\nOld words.\n"
    path.write_text(text, encoding="utf-8")
    fewer = coded.iloc[:-3]  # a re-run on changed data: the counts move
    report = _report(fewer, codebook, register)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        used = apply_notes(report, read_notes(path), source=str(path))
    assert used == ["background"]
    messages = [str(w.message) for w in caught if issubclass(w.category, NotesWarning)]
    assert messages == [f"{path}: section 'theme-no_such_theme' is no longer in the report; its note was not used"]
    html = render_html(report)
    assert "Our own background [with brackets], written by the analyst." in html and "<li>One point</li>" in html
    assert "31 comments were recorded" in html and "34 comments were recorded" not in html  # unedited: fresh numbers


def test_bad_notes_files(tmp_path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_notes(tmp_path / "none.md")
    twice = tmp_path / "twice.md"
    twice.write_text("## method\n\nA.\n\n## method\n\nB.\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="two notes"):
        read_notes(twice)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputFileError, match="UTF-8"):
        read_notes(binary)


def test_cli_draft_then_notes(tmp_path) -> None:
    from typer.testing import CliRunner

    from tcs_themes.cli import app
    from tcs_themes.tables import write_table

    codebook = make_codebook()
    coded = make_coded(codebook)
    from tcs_themes.codebook import write_codebook_yaml

    book = write_codebook_yaml(codebook, tmp_path / "codebook.yaml")
    table = write_table(coded, tmp_path / "coded.parquet")
    runner = CliRunner()
    notes = tmp_path / "notes.md"
    result = runner.invoke(app, ["report", str(table), "--out", str(tmp_path / "a"), "--codebook", str(book), "--draft-notes", str(notes)])
    assert result.exit_code == 0, result.output
    assert notes.exists() and "## method " in notes.read_text(encoding="utf-8")
    notes.write_text("## method\n\nWe met people where they were.\n\n## gone-section\n\nx\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(table), "--out", str(tmp_path / "b"), "--codebook", str(book), "--notes", str(notes)])
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.output and "'gone-section' is no longer in the report" in result.output
    assert "We met people where they were." in (tmp_path / "b" / "report.html").read_text(encoding="utf-8")


def test_quotes_pinned_and_banned_in_the_notes(tmp_path) -> None:
    from tcs_themes.outputs.publish import publish

    codebook, register = make_codebook(), make_register()
    coded = make_coded(codebook)
    first = publish(coded, codebook, tmp_path / "a", register=register, draft_notes=tmp_path / "notes.md")
    drafted = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "\n## quotes Quote choices" in drafted
    html = first["html"].read_text(encoding="utf-8")
    quoted = [t for t in coded["text"] if f"&ldquo;{t}&rdquo;" in html]
    banned = coded.set_index("text").loc[quoted[0], "comment_id"]
    unquoted = coded[~coded["text"].isin(quoted) & coded["text"].str.split().map(len).between(8, 30)]
    notes = tmp_path / "edited.md"
    notes.write_text(f"## quotes\n\n- ban: {banned}\n- pin: {unquoted['comment_id'].iloc[0]}\n", encoding="utf-8")
    again = publish(coded, codebook, tmp_path / "b", register=register, notes=notes)
    html = again["html"].read_text(encoding="utf-8")
    assert f"&ldquo;{quoted[0]}&rdquo;" not in html
    workbook = pd.read_excel(again["workbook"], sheet_name="Illustrative quotes")
    assert banned not in set(workbook["Comment ID"]) and unquoted["comment_id"].iloc[0] in set(workbook["Comment ID"])
