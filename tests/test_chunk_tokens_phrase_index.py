"""The fast tokens and phrase index give exactly spaCy's tokens and PhraseMatcher matches."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import yaml
from spacy.matcher import PhraseMatcher

from tcs_themes.codebook import load_codebook
from tcs_themes.coding.rules import chunk_tokens
from tcs_themes.coding.rules.chunk_tokens import ChunkTokenizer, TokenBatch
from tcs_themes.coding.rules.nlp import make_tokenizer_nlp
from tcs_themes.coding.rules.phrase_index import PhraseIndex
from tcs_themes.coding.rules.coder import RuleCoder

AUTHORING = Path(__file__).resolve().parents[1] / "scripts" / "sample_source" / "sessions"
ODD = ["", " ", "  parks", "parks  ", "green\nspace", "green \n space", "green\t\tspace", "don’t  know",
       "Green-space!!", "e.g. parks, U.K.", "🙂 parks 🙂", "£8 a child", "a\u00a0b c", "a\x1cb c", "x" * 500]  # fmt: skip


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every authored comment of the sample, the same with irregular white space, and odd texts."""
    comments = [str(c["text"]) for path in sorted(AUTHORING.glob("S*.yaml"))
                for c in yaml.safe_load(path.read_text(encoding="utf-8"))["comments"]]  # fmt: skip
    rng = random.Random(0)
    spaced = []
    for text in rng.sample(comments, 200):
        words = text.split(" ")
        cut = rng.randrange(len(words))
        spaced.append(" ".join(words[:cut]) + rng.choice(["  ", "\n", " \n", "\n ", "\t"]) + " ".join(words[cut:]))
    return comments + spaced + ODD


@pytest.mark.parametrize("numbers", [None, 800])
def test_chunk_tokens_are_spacys_tokens(texts: list[str], numbers: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if numbers is not None:  # few: the process-wide chunk numbering starts again on the way too
        monkeypatch.setattr(chunk_tokens._NUMBERS, "limit", numbers)
    nlp = make_tokenizer_nlp()
    expected = TokenBatch.from_docs(list(nlp.tokenizer.pipe(texts)))
    tokenizer = ChunkTokenizer(nlp, max_chunks=500)  # small: the table is emptied and refilled on the way
    for start in range(0, len(texts), 250):
        batch = texts[start : start + 250]
        got = tokenizer(batch)
        first, last = expected.bounds[start], expected.bounds[start + len(batch)]
        assert np.array_equal(got.bounds, expected.bounds[start : start + len(batch) + 1] - first)
        for column in ("lower", "start", "end"):
            assert np.array_equal(getattr(got, column), getattr(expected, column)[first:last]), column
    assert len(tokenizer.table) <= 500


def test_chunk_tokens_of_translated_texts_are_spacys_tokens_of_them(texts: list[str]) -> None:
    # the rule coder's tokenizer: curly quotes straightened in each new word, offsets kept
    table = str.maketrans({"\u2019": "'", "\u201c": '"', "\u201d": '"'})
    curly = [text.replace("'", "\u2019") for text in texts] + ["“Quoted”  twice", "it’s \n there’s"]
    nlp = make_tokenizer_nlp()
    expected = TokenBatch.from_docs([nlp.tokenizer(text.translate(table)) for text in curly])
    got = ChunkTokenizer(nlp, translate=table)(curly)
    for column in ("lower", "start", "end", "bounds"):
        assert np.array_equal(getattr(got, column), getattr(expected, column)), column


def test_phrase_index_finds_what_the_phrase_matcher_finds(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TCS_THEMES_NO_CACHE", "1")  # built afresh: a cached index keeps no phrase list
    nlp = make_tokenizer_nlp()
    coder = RuleCoder(load_codebook())
    phrases = coder._phrases._keys  # every phrase of the default codebook -> its keys
    index = PhraseIndex()
    reference = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_key: dict[int, list[tuple[int, ...]]] = {}
    for phrase, keys in phrases.items():
        for key in keys:
            by_key.setdefault(key, []).append(phrase)
    for key, key_phrases in by_key.items():
        index.add(key, key_phrases)
        reference.add(str(key), [list(p) for p in key_phrases])
    found = index(ChunkTokenizer(nlp)(texts))
    got = set(zip(found.text.tolist(), found.key.tolist(), found.start.tolist(), found.end.tolist()))
    expected = {
        (row, int(nlp.vocab.strings[key]), start, end)
        for row, doc in enumerate(nlp.tokenizer.pipe(texts))
        for key, start, end in reference(doc)
    }
    assert len(expected) > 3000
    assert got == expected


def test_phrase_index_reports_every_key_of_a_shared_phrase() -> None:
    nlp = make_tokenizer_nlp()
    index = PhraseIndex()
    green, space = (nlp.vocab.strings.add(w) for w in ("green", "space"))
    index.add(7, [[green, space], [green]])
    index.add(9, [[green, space]])
    found = index(ChunkTokenizer(nlp)(["Green space, green SPACE", "", "no match"]))
    assert sorted(zip(found.text.tolist(), found.key.tolist(), found.start.tolist(), found.end.tolist())) == [
        (0, 7, 0, 1), (0, 7, 0, 2), (0, 7, 3, 4), (0, 7, 3, 5), (0, 9, 0, 2), (0, 9, 3, 5),
    ]  # fmt: skip
