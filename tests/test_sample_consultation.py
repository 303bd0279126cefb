"""The bundled sample consultation ingests completely and is written as issue 3 asks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tcs_themes.codebook import load_codebook
from tcs_themes.ingest import ingest
from tcs_themes.schema import split_list

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
AUTHORING = ROOT / "scripts" / "sample_source" / "sessions"
# Wording of the strategy itself, which people quote; allowed to repeat.
STRATEGY_WORDING = ("thriving communities", "the 4ps")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    result = ingest([RAW])
    assert result.errors == []
    return result.comments


@pytest.fixture(scope="module")
def authoring() -> dict[str, list[dict]]:
    files = sorted(AUTHORING.glob("S*.yaml"))
    return {f.stem: yaml.safe_load(f.read_text(encoding="utf-8"))["comments"] for f in files}


def test_every_session_of_the_register_has_comments(sample: pd.DataFrame) -> None:
    register = yaml.safe_load((RAW / "sessions.yaml").read_text(encoding="utf-8"))
    assert len(register["sessions"]) == 27
    per_strand = Counter(entry["strand"] for entry in register["sessions"])
    assert per_strand == {"Strand 1": 3, "Strand 2": 19, "Strand 3": 5}
    notes = sample[sample["source_kind"] == "spreadsheet"]
    assert set(notes["session_id"]) == {entry["id"] for entry in register["sessions"]}


def test_counts_per_strand_match_the_authoring_files(sample: pd.DataFrame, authoring: dict) -> None:
    notes = sample[sample["source_kind"] == "spreadsheet"]
    expected = Counter()
    register = {e["id"]: e for e in yaml.safe_load((RAW / "sessions.yaml").read_text())["sessions"]}
    for session_id, comments in authoring.items():
        expected[register[session_id]["strand"]] += len(comments)
    assert notes["strand"].value_counts().to_dict() == dict(expected)
    assert sum(expected.values()) >= 900
    assert expected["Strand 2"] == max(expected.values())


def test_emails_ingest_as_several_comments(sample: pd.DataFrame) -> None:
    emails = sample[sample["source_kind"] == "email"]
    assert emails["message_id"].nunique() >= 15 + 3
    assert len(emails) > emails["message_id"].nunique()  # some emails make several points
    assert emails["strand"].isna().all()
    assert not emails["text"].str.contains(r"[\w.+-]+@[\w-]+\.[\w.]+", regex=True).any()


def test_analyst_codes_use_codebook_ids(sample: pd.DataFrame) -> None:
    codebook_ids = set(load_codebook().ids)
    coded = sample["analyst_codes"].dropna()
    main = coded.map(lambda cell: split_list(cell)[0])
    used = {theme for cell in coded for theme in split_list(cell)}
    assert used <= codebook_ids
    assert used == codebook_ids  # every theme appears
    assert len(main) >= 600


def test_texts_are_distinct_and_share_no_long_runs(authoring: dict) -> None:
    texts = [comment["text"] for comments in authoring.values() for comment in comments]
    normalised = [re.sub(r"\W+", " ", text.lower()).strip() for text in texts]
    assert len(set(normalised)) / len(normalised) >= 0.97
    owners: dict[str, set[int]] = {}
    for index, text in enumerate(normalised):
        words = text.split()
        for start in range(len(words) - 7):
            run = " ".join(words[start : start + 8])
            owners.setdefault(run, set()).add(index)
    shared = [run for run, who in owners.items() if len(who) > 1 and not any(w in run for w in STRATEGY_WORDING)]
    assert shared == []
