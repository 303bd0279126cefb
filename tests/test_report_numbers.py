"""Every number in the report's text is one the workbook shows: all of them, not a sample.

The report's paragraphs and list items (quotes, tables, figures and the front page left
aside; phrases quoted from comments too) are searched for figures: counts, shares and
the days and years of dates. Each must be a value of the workbook: a number cell
formatted as the workbook formats it, a date cell, or a figure inside the names of
sessions, strands and events and the Method sheet. Only the frequency thresholds,
documented constants, are exempt.
"""

import datetime as dt
import re
from html import unescape

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register, write_exercises
from openpyxl import load_workbook

from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.outputs.publish import publish
from tcs_themes.outputs.report.narrative import frequency_paragraph

NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?%?")
#: Sheets whose text cells hold comments (their figures are the commenters', not the workbook's counts).
COMMENT_SHEETS = {"Coded comments", "Comment themes (long)", "Illustrative quotes", "Quotes to review", "What is missing", "4Ps statements", "Codebook"}


def workbook_figures(path) -> set[str]:
    figures: set[str] = set()
    book = load_workbook(path, read_only=True)
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, int | float):
                    if float(value).is_integer():
                        figures.add(f"{int(value):,}")
                    figures.add(f"{value * 100:.1f}%")
                elif isinstance(value, dt.datetime | dt.date):
                    figures.update({str(value.day), str(value.year)})
                elif isinstance(value, str) and sheet.title not in COMMENT_SHEETS:
                    figures.update(NUMBER.findall(value))
    return figures


def report_figures(html: str) -> list[tuple[str, str]]:
    """(figure, the sentence it is in) for every figure in the report's paragraphs and list items."""
    main = html.split("<main>", 1)[1]
    main = re.sub(r"<blockquote>.*?</blockquote>|<table.*?</table>|<figure>.*?</figure>", "", main, flags=re.S)
    exempt = frequency_paragraph()
    found = []
    for text in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", main, flags=re.S):
        text = unescape(re.sub(r"<[^>]+>", "", text)).replace(exempt, "")
        text = re.sub(r"\u201c[^\u201d]*\u201d", "", text)  # the comments' own words
        found += [(figure, text) for figure in NUMBER.findall(text)]
    return found


def check(html: str, workbook) -> int:
    figures = workbook_figures(workbook)
    found = report_figures(html)
    missing = [(f, text[:160]) for f, text in found if f.rstrip(".,") not in figures]
    assert not missing, missing[:5]
    return len(found)


def test_every_number_in_the_report_is_the_workbooks(tmp_path) -> None:
    codebook, register = make_codebook(), make_register()
    coded = make_coded(codebook)
    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    paths = publish(coded, codebook, tmp_path / "out", register=register, exercises=exercises)
    assert check(paths["html"].read_text(encoding="utf-8"), paths["workbook"]) > 100


def test_every_number_in_the_real_report_is_the_workbooks(tmp_path) -> None:
    from pathlib import Path

    from tcs_themes.analysis.counts import count_all
    from tcs_themes.analysis.quotes import quotes_by_scope
    from tcs_themes.codebook.load import load_codebook
    from tcs_themes.ingest.register import load_register
    from tcs_themes.outputs.report import build_report, render_html
    from tcs_themes.outputs.workbook import write_workbook

    root = Path(__file__).resolve().parents[1]
    coded = pd.read_parquet(root / "data" / "coded" / "coded.parquet")
    codebook, register = load_codebook(None), load_register(root / "data" / "raw" / "sessions.yaml")
    exercises = load_exercises(root / "data" / "raw" / "four_ps_exercise.xlsx")
    counts, quotes = count_all(coded, codebook, register), quotes_by_scope(coded, codebook)
    workbook = write_workbook(tmp_path / "theme-counts.xlsx", coded, codebook, counts=counts, quotes=quotes, register=register, exercises=exercises)
    html = render_html(build_report(coded, codebook, counts, quotes, {}, register=register, exercises=exercises))
    assert check(html, workbook) > 500


def test_a_wrong_number_is_caught(tmp_path) -> None:
    codebook = make_codebook()
    coded = make_coded(codebook)
    paths = publish(coded, codebook, tmp_path / "out", report=True)
    html = paths["html"].read_text(encoding="utf-8").replace("<main>", "<main><p>Exactly 9,876 comments (98.7%).</p>", 1)
    with pytest.raises(AssertionError, match="9,876"):
        check(html, paths["workbook"])
