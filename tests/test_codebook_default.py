"""The default codebook: exactly the brief's 29 themes, valid, and stable through YAML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tcs_themes.codebook import Codebook, codebook_to_yaml, default_codebook_path, load_codebook

BRIEF_THEMES = {
    "community_involvement": "Community involvement and engagement",
    "measuring_outcomes": "Measuring outcomes",
    "clarity": "Clarity",
    "delivering_strategy": "Delivering the strategy",
    "governance": "Governance and leadership",
    "partnership_working": "Partnership working",
    "aligning_strategies": "Aligning with other strategies",
    "communication": "Communication",
    "data_insight": "Data and insight",
    "funding_costs": "Funding and costs",
    "green_spaces": "Green spaces",
    "community_assets": "Community assets",
    "young_older_people": "Children, young and older people",
    "leisure_physical_activity": "Leisure and physical activity",
    "cost_of_living": "Cost of living and affordability",
    "volunteering": "Volunteering",
    "inequality": "Inequality",
    "mapping_assets": "Mapping assets and partners",
    "transparency": "Transparency",
    "barriers": "Barriers",
    "build_trust": "Building trust",
    "inclusion": "Inclusion and diversity",
    "accessibility": "Accessible formats",
    "action_plan": "Action plan",
    "examples": "Using examples",
    "education_schools": "Education and schools",
    "adaptable": "Adaptable and flexible",
    "community_safety": "Community safety",
    "positive_feedback": "Positive feedback",
}


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


def test_default_codebook_has_exactly_the_brief_themes_in_order(codebook: Codebook) -> None:
    assert codebook.ids == list(BRIEF_THEMES)
    assert {t.id: t.name for t in codebook.themes} == BRIEF_THEMES


def test_default_path_is_the_repository_codebook() -> None:
    assert default_codebook_path() == Path(__file__).resolve().parents[1] / "codebooks" / "tcs.yaml"
    assert load_codebook().source == str(default_codebook_path())


def test_every_theme_has_description_colour_patterns_and_examples(codebook: Codebook) -> None:
    colours = [t.colour for t in codebook.themes]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c or "") for c in colours)
    assert len(set(colours)) == len(colours)
    for theme in codebook.themes:
        assert theme.description and theme.examples, theme.id
        assert theme.patterns or codebook.subthemes_of(theme.id), theme.id


def test_brief_subthemes_exist(codebook: Codebook) -> None:
    assert {s.name for s in codebook.subthemes_of("clarity")} >= {"Terminology and jargon", "Length and readability"}
    assert [s.id for s in codebook.subthemes_of("funding_costs")] == ["fund_strategy", "fund_community_access"]
    assert all(sub.parent in codebook.ids for sub in codebook.subthemes)


def test_pattern_ids_are_unique_and_default_to_position(codebook: Codebook) -> None:
    ids = [p.id for t in (*codebook.themes, *codebook.subthemes) for p in (*t.patterns, *t.exclusions)]
    assert len(ids) == len(set(ids))
    assert codebook.theme("clarity").patterns[0].id == "clarity/1"
    assert codebook.theme("green_spaces").exclusions[0].id == "green_spaces/exclusion/1"


def test_yaml_round_trip_keeps_the_fingerprint(codebook: Codebook, tmp_path: Path) -> None:
    path = tmp_path / "copy.yaml"
    path.write_text(codebook_to_yaml(codebook), encoding="utf-8")
    again = load_codebook(path)
    assert again.fingerprint() == codebook.fingerprint()
    assert again.name == codebook.name


def test_fingerprint_changes_with_content(codebook: Codebook, tmp_path: Path) -> None:
    text = default_codebook_path().read_text(encoding="utf-8").replace("- plain english\n", "- plain words\n", 1)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_codebook(path).fingerprint() != codebook.fingerprint()
