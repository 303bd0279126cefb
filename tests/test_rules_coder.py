"""The rule coder on real sentences: themes, evidence, exclusions, negation, batch independence."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from tcs_themes.codebook import Codebook, load_codebook
from tcs_themes.coding import RuleCoder, RuleMatch, evidence_by_theme, make_nlp

SENTENCES = [
    "Our parks need more benches, and somewhere for the teenagers to go.",
    "No mention of green spaces at all in the paper.",
    "The car park behind the community centre is full every Saturday.",
    "What does 'thriving' actually mean? Too much jargon for residents.",
    "Who owns this strategy? It needs a named lead officer and a cabinet member.",
    "Soft play costs £8 a child now - with three kids we can't afford it.",
    "I’d love to help out at the next fun day.",
    "Easy-read version and a translated summary please; lots of older tenants aren’t online.",
    "Small grants with a one-page form would let estate groups actually do something.",
    "Set a baseline this year and report the same indicators annually.",
    "It will sit on a shelf like the last one. Heard it all before.",
    "Be honest about what the council can't do - don't over-promise.",
    "The lights along the path don't work and I won't walk through after dark.",
    "Really welcome the focus on people and place - a good start.",
    "",
]


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return RuleCoder(load_codebook())


def themes_of(matches: list[RuleMatch]) -> set[str]:
    return {m.theme_id for m in matches}


def test_real_sentences_get_the_expected_themes(coder: RuleCoder) -> None:
    results = coder.match(SENTENCES)
    expected = [
        {"green_spaces", "young_older_people"},
        {"green_spaces"},
        {"community_assets"},
        {"clarity"},
        {"governance"},
        {"cost_of_living"},
        {"volunteering", "community_involvement"},
        {"accessibility", "young_older_people"},
        {"funding_costs"},
        {"measuring_outcomes"},
        {"delivering_strategy"},
        {"transparency"},
        {"community_safety"},
        {"positive_feedback"},
        set(),
    ]
    assert [themes_of(r) for r in results] == expected


def test_evidence_points_at_the_words(coder: RuleCoder) -> None:
    for text, matches in zip(SENTENCES, coder.match(SENTENCES)):
        for match in matches:
            assert text[match.start : match.end].replace("’", "'") == match.words
            assert match.pattern_id.split("/")[0] in {match.theme_id, match.subtheme_id}
    (owns, *_) = coder.match(["Who owns this strategy?"])[0]
    assert (owns.theme_id, owns.subtheme_id, owns.words, owns.start, owns.end) == (
        "governance", "gov_ownership", "Who owns this", 0, 13
    )
    assert owns.pattern.startswith('[{"LOWER": "who"}')


def test_negated_mentions_still_count(coder: RuleCoder) -> None:
    assert "green_spaces" in themes_of(coder.match(["There is no mention of green spaces."])[0])
    assert "funding_costs" in themes_of(coder.match(["Nothing about funding for small groups."])[0])


def test_default_exclusions_stop_false_matches(coder: RuleCoder) -> None:
    none_expected = [
        "The car park is full.",
        "Feel free to ring me.",
        "For example, the library.",
        "Park and ride buses are late.",
        "It was a tick-box exercise.",
    ]
    wrong = {"green_spaces", "cost_of_living", "examples", "leisure_physical_activity"}
    assert [themes_of(r) & wrong for r in coder.match(none_expected)] == [set()] * len(none_expected)


def write_codebook(tmp_path: Path, text: str) -> Codebook:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_codebook(path)


def test_overlap_and_comment_exclusions(tmp_path: Path) -> None:
    codebook = write_codebook(
        tmp_path,
        """\
        themes:
          - id: parks
            name: Parks
            patterns: [{tokens: [{LEMMA: park}]}]
            exclusions:
              - {phrase: car park, scope: overlap}
              - {phrase: theme park}
        """,
    )
    coder = RuleCoder(codebook)
    car, both, theme = coder.match(
        ["The car park is full.", "The car park by the park is full.", "The park near the theme park."]
    )
    assert car == []
    assert [(m.words, m.start) for m in both] == [("park", 20)]
    assert theme == []  # scope: comment (the default) cancels every match in the comment


def test_subtheme_matches_name_their_parent_and_are_not_duplicated(tmp_path: Path) -> None:
    codebook = write_codebook(
        tmp_path,
        """\
        themes:
          - id: money
            name: Money
            patterns: [funding, small grants]
            exclusions: [{phrase: crowd funding, scope: overlap}]
            subthemes:
              - id: grants
                name: Grants
                patterns: [{lemmas: small grant}]
        """,
    )
    coder = RuleCoder(codebook)
    (grants,) = coder.match(["Small grants please"])
    assert grants == [RuleMatch("money", "grants", "grants/1", 'lemmas "small grant"', "Small grants", 0, 12)]
    assert coder.match(["crowd funding"]) == [[]]  # the parent's exclusion applies to the whole theme
    assert evidence_by_theme(coder.match(["funding | small grants"])[0]) == {
        "money": '"funding" (money/1); "small grants" (grants/1)'
    }


def test_results_do_not_depend_on_batch_size(coder: RuleCoder) -> None:
    texts = SENTENCES * 7
    reference = coder.match(texts)
    for batch_size in (1, 3, 50):
        assert RuleCoder(coder.codebook, batch_size=batch_size).match(iter(texts)) == reference
    assert coder.match(reversed(texts)) == list(reversed(reference))


def test_missing_values_and_wrong_types(coder: RuleCoder) -> None:
    assert coder.match([None, math.nan, "parks"])[:2] == [[], []]
    with pytest.raises(TypeError, match="not one string"):
        coder.match("parks")
    with pytest.raises(TypeError, match="must be strings"):
        coder.match([3])
    with pytest.raises(ValueError, match="batch_size"):
        RuleCoder(coder.codebook, batch_size=0)


def test_match_docs_shares_the_spacy_pass(coder: RuleCoder) -> None:
    docs = list(coder.docs(SENTENCES))
    assert coder.match_docs(docs) == coder.match(SENTENCES)


def test_pipeline_is_blank_english_with_lowercase_lookup_lemmas() -> None:
    nlp = make_nlp()
    assert nlp is make_nlp()
    assert nlp.pipe_names == ["lemmatizer"] and nlp.lang == "en"
    assert [t.lemma_ for t in nlp("Parks and Community Centres were funded")] == [
        "park", "and", "community", "centre", "be", "fund"
    ]


@pytest.mark.parametrize(
    "tokens",
    [
        [{"LEMMA": {"IN": ["green", "open"]}}, {"LEMMA": "space"}],
        [{"LEMMA": "involve"}, {"LOWER": {"IN": ["the", "local"]}, "OP": "?"}, {"LEMMA": {"IN": ["resident", "people"]}}],
        [{"LOWER": "who"}, {"LOWER": {"IN": ["'s", "is"]}}, {"LOWER": "in"}, {"LOWER": "charge"}],
        [{"ORTH": "£"}, {"LOWER": {"IN": ["8", "10"]}}],
    ],
)
def test_expanded_phrases_match_the_same_spans_as_spacy_matcher(tokens: list[dict]) -> None:
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    from tcs_themes.coding.rules.phrase_expansion import expand_to_phrases

    nlp = make_nlp()
    texts = [
        "Green spaces and open space, GREEN SPACE; a space that is green.",
        "Involve residents, involving the residents, involved local people, involves people.",
        "Who's in charge? who is in charge. Who is charge.",
        "It costs £8 or £10 or £12.",
    ]
    matcher, phrases = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("p", [tokens])
    phrases.add("p", [Doc(nlp.vocab, words=list(w)) for w in expand_to_phrases(tokens)])
    for doc in nlp.pipe(texts):
        assert sorted((s, e) for _, s, e in phrases(doc)) == sorted((s, e) for _, s, e in matcher(doc))


def test_patterns_that_cannot_be_expanded_stay_token_patterns() -> None:
    from tcs_themes.coding.rules.phrase_expansion import expand_to_phrases

    assert expand_to_phrases([{"LOWER": "park"}, {"LOWER": "run", "OP": "+"}]) is None
    assert expand_to_phrases([{"IS_DIGIT": True}, {"LOWER": "pages"}]) is None
    assert expand_to_phrases([{"ORTH": "SEND"}]) is None
    assert expand_to_phrases([{"LOWER": {"NOT_IN": ["a"]}}]) is None
