"""The rule coder's fast matching finds exactly what spaCy's lemma PhraseMatcher and Matcher find."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from spacy.matcher import Matcher, PhraseMatcher

from tcs_themes.codebook import load_codebook
from tcs_themes.coding import RuleCoder, make_nlp
from tcs_themes.coding.rules.nlp import make_tokenizer_nlp
from tcs_themes.coding.rules.token_patterns import GatedTokenPatterns

TEXTS = [
    "What does 'thriving' actually mean? What is it that this means, what do they mean",
    "It costs £8 a child, £12.50 per session or ten pounds each week.",
    "SEND provision matters; please send me the 40+ pages, or 3 pages.",
    "How does this fit with the other plans? It links in with our strategies and ties into the county priorities.",
    "Being outdoors in nature, even the park, is good for mental health and calm.",
    "Community Centres and community centre; the centres of communities. Were residents involved?",
    "",
    # far from the start, twice: token patterns run only near their rarest required word
    "filler " * 60 + "so what is the plan, what does it all mean? " + "more filler " * 30 + "£8 a child, 12 pages",
]

TOKEN_PATTERNS = [
    [{"LOWER": "what"}, {"LOWER": {"IN": ["does", "do", "is"]}}, {"IS_PUNCT": False, "OP": "{0,4}"}, {"LOWER": {"IN": ["mean", "means"]}}],
    [{"ORTH": "£"}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["a", "per", "each"]}}, {"LOWER": {"IN": ["child", "session", "week"]}}],
    [{"ORTH": "SEND"}],
    [{"IS_DIGIT": True}, {"ORTH": "+", "OP": "?"}, {"LOWER": {"IN": ["pages", "page"]}}],
    [{"LEMMA": {"IN": ["fit", "link", "tie"]}}, {"LOWER": {"IN": ["in", "up"]}, "OP": "?"}, {"LOWER": {"IN": ["with", "into"]}}, {"OP": "*", "IS_PUNCT": False}, {"LEMMA": {"IN": ["plan", "strategy", "priority"]}}],
    [{"LEMMA": {"REGEX": "^centr"}}, {"LOWER": "of", "OP": "+"}],
    [{"LEMMA": {"NOT_IN": ["be", "the"]}}, {"LEMMA": "resident"}],
]


@pytest.mark.parametrize("tokens", TOKEN_PATTERNS)
def test_gated_token_patterns_find_what_the_matcher_finds(tokens: list[dict]) -> None:
    reference = Matcher(make_nlp().vocab)
    reference.add("p", [tokens], greedy="LONGEST")
    gated = GatedTokenPatterns(make_tokenizer_nlp().vocab)
    gated.add("p", tokens)
    key = make_nlp().vocab.strings["p"]
    for lemmatized, tokenized in zip(make_nlp().pipe(TEXTS), make_tokenizer_nlp().tokenizer.pipe(TEXTS)):
        expected = sorted((s, e) for _, s, e in reference(lemmatized))
        assert sorted((s, e) for _, s, e in gated(tokenized, [key])) == expected


def test_gates_are_the_word_sets_of_the_required_tokens() -> None:
    gated = GatedTokenPatterns(make_tokenizer_nlp().vocab)
    assert gated.add("a", TOKEN_PATTERNS[0]) == [{"what"}, {"does", "do", "is"}, {"mean", "means"}]
    assert gated.add("b", TOKEN_PATTERNS[2]) == [{"send"}]
    assert gated.add("c", [{"IS_DIGIT": True, "OP": "+"}]) == []
    assert gated.add("d", [{"LEMMA": "page", "OP": "{2,}"}]) == [{"page", "pages", "paged", "paging"}]
    assert gated.add("e", [{"LOWER": "word", "OP": "{,2}"}, {"IS_DIGIT": True}]) == []
    assert gated.add("f", [{"LOWER": {"IN": ["what", "how"]}}, {"LOWER": {"IN": ["is", "does", "are"]}}]) == [
        {"what", "how"},
        {"is", "does", "are"},
    ]
    fit_words, with_words, plan_words = gated.add("g", TOKEN_PATTERNS[4])
    assert {"fit", "fitted", "link", "links", "tied", "tying"} <= fit_words
    assert with_words == {"with", "into"}
    assert {"plan", "plans", "strategy", "strategies", "priorities"} <= plan_words


def test_lemma_phrases_and_token_patterns_match_like_spacy(tmp_path: Path) -> None:
    """Each pattern in its own theme: the coder's spans are spaCy's (lemma PhraseMatcher, Matcher)."""
    lemma_phrases = ["community centre", "centre of community", "be involve", "resident"]
    themes = [f"  - id: l{i}\n    name: L{i}\n    patterns: [{{lemmas: {phrase}}}]" for i, phrase in enumerate(lemma_phrases)]
    themes += [f"  - id: t{i}\n    name: T{i}\n    patterns:\n      - tokens: {tokens!r}" for i, tokens in enumerate(TOKEN_PATTERNS)]
    path = tmp_path / "cb.yaml"
    path.write_text("themes:\n" + "\n".join(themes) + "\n", encoding="utf-8")
    coder = RuleCoder(load_codebook(path))
    nlp = make_nlp()
    lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
    tokens = Matcher(nlp.vocab)
    for i, phrase in enumerate(lemma_phrases):
        lemmas.add(f"l{i}", [nlp(phrase)])
    for i, pattern in enumerate(TOKEN_PATTERNS):
        tokens.add(f"t{i}", [pattern], greedy="LONGEST")
    for doc, matches in zip(nlp.pipe(TEXTS), coder.match(TEXTS)):
        spans = {(nlp.vocab.strings[k], doc[s:e].start_char, doc[s:e].end_char) for k, s, e in lemmas(doc) + tokens(doc)}
        found = {(m.theme_id, m.start, m.end) for m in matches}
        # the coder drops a match inside a longer match of the same pattern; nothing else differs
        assert found <= spans
        assert {(t, s, e) for t, s, e in spans if not any(t == t2 and s2 <= s and e <= e2 and (s, e) != (s2, e2) for t2, s2, e2 in spans)} == found


def test_the_coder_tokenizes_without_lemmas_on_the_shared_vocabulary() -> None:
    coder = RuleCoder(load_codebook(Path(__file__).resolve().parents[1] / "codebooks" / "tcs.yaml"))
    assert coder.nlp.pipe_names == [] and coder.nlp.vocab is make_nlp().vocab
    (doc,) = coder.docs(["Parks are lovely"])
    assert not doc.has_annotation("LEMMA")
    assert coder.match_docs([doc]) == coder.match(["Parks are lovely"]) == coder.match_docs(make_nlp().pipe(["Parks are lovely"]))


def test_curly_quotes_match_and_keep_offsets(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(textwrap.dedent("""\
        themes:
          - id: q
            name: Q
            patterns: ["don't know", {tokens: [{LOWER: "who"}, {LOWER: "'s"}, {IS_PUNCT: false, OP: "{0,2}"}, {LOWER: "charge"}]}]
        """), encoding="utf-8")
    text = "I don’t know who’s in charge"
    matches = RuleCoder(load_codebook(path)).match([text])[0]
    assert [(m.words, text[m.start : m.end]) for m in matches] == [
        ("don't know", "don’t know"), ("who's in charge", "who’s in charge")
    ]
