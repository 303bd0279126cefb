"""The special-category scan's cues skip only texts no matcher could match: the same findings as matching every text.

Held to the slow reference (every matcher on every lemmatized text) over the sample
consultation's comments and, when ../shared/datasets is there, the pxtextmining
patient comments; and the array lemmatizer gives every token its lookup lemma.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tcs_themes.analysis.special_category import _find, _rules
from tcs_themes.coding.rules.nlp import make_nlp
from tcs_themes.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
PXTEXTMINING = ROOT.parent / "shared" / "datasets" / "pxtextmining"


def _texts(name: str) -> list[str]:
    if name == "sample":
        return read_table(ROOT / "data" / "coded" / "comments.parquet")["text"].astype(str).tolist()
    if not PXTEXTMINING.is_dir():
        pytest.skip("../shared/datasets/pxtextmining is absent")
    phase1 = pd.read_csv(PXTEXTMINING / "phase1_text_data.csv", usecols=["feedback"])["feedback"]
    v6 = pd.read_csv(PXTEXTMINING / "v6framework_train.csv", usecols=["FFT answer"])["FFT answer"]
    return pd.concat([phase1, v6]).dropna().astype(str).tolist()


@pytest.mark.parametrize("name", ["sample", "pxtextmining"])
def test_cues_change_no_finding(name: str) -> None:
    texts = _texts(name)
    tokenizer = make_nlp().tokenizer
    with_cues = [_find(tokenizer(text)) for text in texts]
    every = [_find(tokenizer(text), cues=False) for text in texts]
    assert with_cues == every
    flagged = sum(map(bool, every))
    assert flagged >= (5 if name == "sample" else 400), flagged  # the comparison covers many findings


def test_cues_are_read_from_every_kind_of_rule() -> None:
    rules = _rules()
    assert not (rules.person_cues.unknown or rules.term_cues.unknown or rules.pattern_cues.unknown)
    assert rules.term_cues.single.lower and rules.term_cues.together  # one-word terms and phrases
    assert rules.pattern_cues.single.text or any(need.text for needs in rules.pattern_cues.together for need in needs)


def test_array_lemmatizer_gives_each_token_its_lookup_lemma() -> None:
    nlp = make_nlp()
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for doc in nlp.pipe(_texts("sample")[:300] + ["Parks and COMMUNITY Centres", ""]):
        assert [t.lemma_ for t in doc] == [table.get(t.lower_, t.lower_) for t in doc]


def test_cue_words_that_are_spacy_symbols_are_read_as_doc_arrays_give_them() -> None:
    # "number" is a spaCy symbol: Doc.to_array gives its symbol id, not its string hash
    tokenizer = make_nlp().tokenizer
    text = "The family at number 12 neglect those kids, they are out till midnight."
    assert _find(tokenizer(text)) == _find(tokenizer(text), cues=False) == {"abuse": ["neglect"]}
