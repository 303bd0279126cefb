"""Theme discovery on the sample consultation's real coded table, with the shipped model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from tcs_themes.analysis.discovery import (
    LEFTOVER,
    MAX_LEFTOVER_SHARE,
    SAME_THEME_CODED_SHARE,
    discover_themes,
    merge_alike_groups,
    select_comments,
    theme_neighbours,
)
from tcs_themes.cli import app
from tcs_themes.codebook.load import default_codebook_path, load_codebook
from tcs_themes.coding.model.model_io import load_model
from tcs_themes.coding.model.static_embeddings import static_encoder
from tcs_themes.errors import UsageError
from tcs_themes.outputs.discovery_files import write_discovery

REPO = Path(__file__).resolve().parents[1]
CODED = REPO / "data" / "coded" / "coded.parquet"
runner = CliRunner()


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def model(codebook):
    return load_model(None, codebook).model


@pytest.fixture(scope="module")
def coded():
    return pd.read_parquet(CODED)


@pytest.fixture(scope="module")
def found(coded, codebook, model):
    return discover_themes(coded, codebook, model=model)


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("discover")
    result = runner.invoke(app, ["discover", str(CODED), "--out", str(out)])
    return result, out


def test_default_selection_is_uncoded_low_confidence_and_missing_answers(coded, found):
    reasons = select_comments(coded)
    uncoded = coded["primary_theme"] == "uncoded"
    missed = coded["question"].fillna("").str.lower().str.contains("missed")
    unsure = coded["low_confidence"].fillna(False).astype(bool) | (coded["confidence"] < 0.5)
    low = unsure & ~uncoded & (coded["code_source"] != "analyst")
    assert ((reasons != "").to_numpy() == (uncoded | missed | low).to_numpy()).all()
    assert found.n_selected == int((uncoded | missed | low).sum())
    assert found.selection.get("uncoded", 0) == int(uncoded.sum())


def test_low_confidence_is_the_flag_or_a_doubted_theme(coded):
    sure = coded.assign(low_confidence=False, confidence=0.9, primary_theme="clarity", code_source="machine")
    sure.loc[sure.index[:3], "low_confidence"] = True
    sure.loc[sure.index[3:5], "confidence"] = 0.3  # a rule's theme the model doubts
    sure.loc[sure.index[5], "code_source"] = "analyst"
    sure.loc[sure.index[5], "confidence"] = 0.1  # an analyst's code is never low-confidence
    reasons = select_comments(sure, ["low-confidence"])
    assert list(reasons[reasons != ""].index) == list(sure.index[:5])


def test_every_selected_comment_is_in_a_candidate_or_listed_as_leftover(found):
    table = found.comments
    assert table["comment_id"].is_unique
    assert sum(c.size for c in found.candidates) + found.n_leftover == found.n_selected
    for candidate in found.candidates:
        assert (table["candidate"] == candidate.id).sum() == candidate.size
        assert sum(candidate.sessions.values()) == candidate.size
        assert 3 <= len(candidate.examples) <= 5
        member_texts = set(table.loc[table["candidate"] == candidate.id, "text"])
        assert all(text in member_texts for _, text in candidate.examples)
    leftovers = table[table["candidate"] == LEFTOVER]
    assert (leftovers["leftover_reason"] != "").all()
    poor_fits = (leftovers["leftover_reason"] == "fits no group well").sum()
    assert poor_fits <= MAX_LEFTOVER_SHARE * found.n_selected


def test_labels_and_ids_are_unique_and_readable(found, codebook):
    labels = [c.label for c in found.candidates]
    ids = [c.id for c in found.candidates]
    assert len(set(labels)) == len(labels) and len(set(ids)) == len(ids)
    assert not set(ids) & set(codebook.ids)
    assert all(c.nearest_theme in codebook.ids for c in found.candidates)
    assert all(c.status == "new" or c.status == f"more of {c.nearest_theme}" for c in found.candidates)


def test_cli_writes_the_fragment_workbook_and_a_summary(cli_run, found):
    result, out = cli_run
    assert result.exit_code == 0, result.output
    assert f"{found.n_selected} of 1067 comments selected" in result.output
    assert "left over" in result.output
    book = load_workbook(out / "discovery.xlsx")
    assert book.sheetnames == ["Candidates", "Comments", "Leftovers"]
    assert book["Comments"].max_row == found.n_selected + 1
    assert book["Candidates"].max_row == len(found.candidates) + 1
    header = [cell.value for cell in book["Candidates"][1]]
    why = [row[header.index("why this status")] for row in book["Candidates"].iter_rows(min_row=2, values_only=True)]
    assert why == [c.why for c in found.candidates]
    assert "cut-off" in result.output and "typically" in result.output


def test_two_runs_give_the_same_bytes(cli_run, tmp_path):
    _, first = cli_run
    result = runner.invoke(app, ["discover", str(CODED), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("candidates.yaml", "discovery.xlsx"):
        assert (first / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_fragment_merged_into_the_codebook_validates(found, tmp_path):
    # every real group reported as new, so the fragment certainly holds themes whatever the statuses
    all_new = replace(found, candidates=[replace(c, status="new") for c in found.candidates])
    fragment_path, _ = write_discovery(all_new, tmp_path / "out")
    fragment = yaml.safe_load(fragment_path.read_text(encoding="utf-8"))
    assert [t["id"] for t in fragment["themes"]] == [c.id for c in found.candidates]
    merged = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    merged["themes"].extend(fragment["themes"])
    path = tmp_path / "merged.yaml"
    path.write_text(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert len(load_codebook(path).themes) == len(load_codebook().themes) + len(fragment["themes"])


def test_theme_neighbours_are_each_themes_nearest_other_theme():
    angles = np.radians([0.0, 30.0, 100.0, 0.0])
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    centres[3] = 0.0  # a theme with nothing to read is nobody's neighbour and has none
    nearest, similarity = theme_neighbours(centres)
    assert nearest.tolist() == [1, 0, 1, -1]
    assert np.allclose(similarity[:3], np.cos(np.radians([30.0, 30.0, 70.0])))
    assert np.isnan(similarity[3])
    few_nearest, few_similarity = theme_neighbours(centres[:2])  # two themes less their mean are opposite: no cut-off
    assert few_nearest.tolist() == [-1, -1] and np.isnan(few_similarity).all()


def test_more_of_is_as_similar_as_the_themes_nearest_other_theme(found, codebook):
    assert 0 < found.settings["typical_neighbour_similarity"] < 1
    for c in found.candidates:
        assert c.neighbour_theme in codebook.ids and c.neighbour_theme != c.nearest_theme
        close = c.similarity >= c.neighbour_similarity or c.coded_share >= SAME_THEME_CODED_SHARE
        assert c.is_new is not close
        assert f"cut-off ({c.neighbour_similarity:.2f}, between {c.nearest_theme} and" in c.why
    same_neighbour = [c for c in found.candidates if c.nearest_theme == found.candidates[0].nearest_theme]
    assert len({c.neighbour_similarity for c in same_neighbour}) == 1  # the cut-off is the theme's, not the group's


def test_groups_as_alike_as_two_typical_themes_are_joined(coded, found):
    assert found.settings["merge_cutoff"] == found.settings["typical_neighbour_similarity"]
    assert len(found.candidates) <= found.settings["k"] - found.settings["groups_merged"]
    # one theme's comments cut into three parts, and another theme's: the parts join again, the other stays
    common, other = coded["primary_theme"].value_counts().index[[1, -2]]
    first = coded.loc[coded["primary_theme"] == common, "text"].tolist()
    second = coded.loc[coded["primary_theme"] == other, "text"].tolist()
    vectors = sp.csr_matrix(static_encoder().encode(first + second))
    third = len(first) // 3
    parts = np.array([0] * third + [1] * third + [2] * (len(first) - 2 * third) + [3] * len(second))
    centres = np.vstack([np.asarray(vectors[parts == g].mean(axis=0)).ravel() for g in range(4)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    within, between = (centres[:3] @ centres[:3].T).min(), (centres[:3] @ centres[3]).max()
    assert within > between
    labels, joins = merge_alike_groups(vectors, parts, np.zeros(vectors.shape[1]), (within + between) / 2)
    assert joins == 2 and labels.tolist() == [0] * len(first) + [1] * len(second)
    unchanged, none = merge_alike_groups(vectors, parts * 2, np.zeros(vectors.shape[1]), None)
    assert none == 0 and unchanged.tolist() == parts.tolist()  # no cut-off: no joins, labels numbered 0..n-1


def test_formula_text_is_never_a_formula_in_the_workbook(coded, tmp_path):
    planted = coded.copy()
    unsure = planted.index[(planted["primary_theme"] == "uncoded") | planted["low_confidence"].fillna(False)]
    planted.loc[unsure[:5], "text"] = [f'=HYPERLINK("http://x.example/{i}","click") the bins are never emptied' for i in range(5)]
    source = tmp_path / "planted.parquet"
    planted.to_parquet(source)
    result = runner.invoke(app, ["discover", str(source), "--out", str(tmp_path / "out"), "--tfidf"])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "out" / "discovery.xlsx")
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in v for v in cells)
    assert not any(v.startswith("=") for v in cells)


def test_question_selection_and_tfidf_fallback(coded, codebook):
    found = discover_themes(coded, codebook, sources=["question:success look"], max_themes=6)
    asked = coded["question"].fillna("").str.contains("success look", case=False)
    assert found.n_selected == int(asked.sum())
    assert found.representation.startswith("TF-IDF")
    assert "static sentence embeddings" in found.representation  # meaning beside words, no model needed
    assert len(found.candidates) <= 6


def test_bad_choices_are_one_line_errors(tmp_path, coded, codebook):
    result = runner.invoke(app, ["discover", str(CODED), "--out", str(tmp_path), "--from", "everything"])
    assert result.exit_code == 1
    assert "--from 'everything' is not a selection" in result.output
    missing = runner.invoke(app, ["discover", str(tmp_path / "nope.parquet"), "--out", str(tmp_path)])
    assert missing.exit_code == 1 and "nope.parquet" in missing.output and "Traceback" not in missing.output
    with pytest.raises(UsageError, match="text column"):
        discover_themes(coded.drop(columns="text"), codebook)
    with pytest.raises(UsageError, match="at least 2"):
        discover_themes(coded, codebook, max_themes=1)


def test_the_shipped_models_meaning_is_its_word_block_and_its_static_embeddings(model, coded):
    texts = coded["text"].head(20).tolist()
    words, meaning = model.meaning(texts)
    assert words.shape == (20, len(model.word_vectorizer_.vocabulary_))
    assert np.allclose(words.toarray(), model.word_vectorizer_.transform(texts).toarray(), atol=1e-5)
    assert meaning.shape[0] == 20 and np.allclose(np.linalg.norm(meaning.toarray(), axis=1), 1.0, atol=1e-3)


def test_nothing_or_too_little_to_group_is_all_listed(coded, codebook, model, tmp_path):
    empty = discover_themes(coded.head(0), codebook, model=model)
    assert empty.n_selected == 0 and empty.candidates == [] and empty.leftover_share == 0.0
    few = discover_themes(coded.head(4), codebook, model=model, sources=["all"])
    assert few.candidates == [] and few.n_leftover == 4
    assert set(few.comments["leftover_reason"]) == {"too few comments selected to group"}
    no_text = discover_themes(coded.assign(text=pd.NA), codebook, model=model)
    assert no_text.n_leftover == no_text.n_selected > 0
    assert set(no_text.comments["leftover_reason"]) == {"no words the representation knows"}
    written = write_discovery(few, tmp_path)
    assert yaml.safe_load(written[0].read_text(encoding="utf-8"))["themes"] == []
