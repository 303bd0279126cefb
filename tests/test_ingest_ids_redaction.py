"""Comment ids are stable across runs, folders and machines; personal details are redacted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import _ingest_files as files
from tcs_themes.ingest import ingest, redact
from tcs_themes.ingest.ids import comment_id


def _folder(root: Path) -> Path:
    folder = root / "raw"
    (folder / "notes").mkdir(parents=True)
    files.sheet_per_session(folder / "notes" / "book.xlsx")
    files.write_eml(folder / "points.eml", files.POINTS)
    return folder


def test_ids_do_not_depend_on_where_the_folder_is_or_the_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ingest(_folder(tmp_path / "a"))
    shutil.copytree(tmp_path / "a" / "raw", tmp_path / "elsewhere" / "raw")
    monkeypatch.chdir(tmp_path / "elsewhere")
    second = ingest("raw")
    assert first.comments["comment_id"].tolist() == second.comments["comment_id"].tolist()
    assert second.comments["source_file"].iloc[0] == "raw/notes/book.xlsx"
    assert first.comments["comment_id"].is_unique
    assert first.comments["comment_id"].str.fullmatch(r"c[0-9a-f]{12}").all()


def test_id_is_built_from_the_relative_path_and_location(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    row = ingest(folder).comments.iloc[0]
    assert row["comment_id"] == comment_id("notes/book.xlsx", row["location"])
    # a file given directly is known by its name
    direct = ingest(folder / "notes" / "book.xlsx").comments.iloc[0]
    assert direct["comment_id"] == comment_id("book.xlsx", row["location"])
    assert direct["source_file"] == (folder / "notes" / "book.xlsx").as_posix()


def test_glob_paths_are_relative_to_the_glob_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = ingest("raw/**/*.xlsx")
    assert result.comments["source_file"].iloc[0] == "raw/notes/book.xlsx"
    assert result.comments["comment_id"].iloc[0] == comment_id("notes/book.xlsx", "Partners 1!R2")


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("Ring 07700 900123 or (01865) 252 000", "Ring [PHONE] or [PHONE]", 2),
        ("Left a number (07700 900461).", "Left a number ([PHONE]).", 1),
        ("Call +44 (0)20 7946 0018 today", "Call [PHONE] today", 1),
        ("Mail jo.b+tcs@council.example.gov.uk now", "Mail [EMAIL] now", 1),
        ("We live at OX4 2XX and ox1 1aa", "We live at [POSTCODE] and [POSTCODE]", 2),
        ("The 2022-2023 plan costs 3,000,000 and ref 0123", "The 2022-2023 plan costs 3,000,000 and ref 0123", 0),
        ("on the A40 2nd junction, 01/07/2022", "on the A40 2nd junction, 01/07/2022", 0),
    ],
)
def test_redact_details(text: str, expected: str, count: int) -> None:
    assert redact(text) == (expected, count)


def test_redact_sender_name_whole_words_only() -> None:
    assert redact("Tess Ward said Tess likes Wardrobe", names=["Tess Ward"]) == ("[NAME] said [NAME] likes Wardrobe", 2)


def test_same_relative_path_in_two_folders_gives_distinct_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.csv").write_text(f"Comment\nFrom folder {name}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = ingest(["a", "b"])
    assert len(result.comments) == 2
    assert result.comments["comment_id"].is_unique
    assert result.comments["comment_id"].iloc[0] == comment_id("a/notes.csv", "notes!R2")
