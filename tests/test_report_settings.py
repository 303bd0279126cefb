"""The settings file's ``report:`` key: front page, the analyst's text, quote choices."""

import warnings

import pytest

from tcs_themes.config import ReportSettings, load_settings
from tcs_themes.errors import SettingsError, SettingsWarning


def test_report_settings_are_read(tmp_path) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text(
        "report:\n  title: Thriving Communities Strategy\n  organisation: Oxford City Council\n"
        "  author: Communities team\n  date: 2023-03-01\n  background: Our own words.\n  comment_ids: true\n"
        "  quotes: {approve: [c1], pin: c2, ban: [c3, c4]}\n",
        encoding="utf-8",
    )
    report = load_settings(path).report
    assert report == ReportSettings(
        title="Thriving Communities Strategy", organisation="Oxford City Council", author="Communities team",
        date="1 March 2023", background="Our own words.", comment_ids=True, approve=("c1",), pin=("c2",), ban=("c3", "c4"),
    )  # fmt: skip


def test_report_settings_default(tmp_path) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text("register: sessions.yaml\n", encoding="utf-8")
    assert load_settings(path).report == ReportSettings()


@pytest.mark.parametrize(
    ("text", "where"),
    [("report: [a]\n", "report"), ("report: {comment_ids: maybe}\n", "report.comment_ids"), ("report: {title: [a, b]}\n", "report.title"),
     ("report: {quotes: {ban: {a: 1}}}\n", "report.quotes.ban")],
)  # fmt: skip
def test_bad_report_settings_name_the_key(tmp_path, text: str, where: str) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert where in str(caught.value) and str(path) in str(caught.value)


def test_unknown_report_key_warns(tmp_path) -> None:
    path = tmp_path / "tcs-themes.yaml"
    path.write_text("report: {titel: X}\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_settings(path)
    assert any(issubclass(w.category, SettingsWarning) and "report.titel" in str(w.message) and "title" in str(w.message) for w in caught)
