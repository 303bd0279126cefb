"""Special-category personal details in comments: found by spaCy rules kept as data, never quoted unapproved.

A quote that tells the reader about someone's health, disability, religion,
ethnicity, sexuality, a criminal matter, or names a family member, discloses
special-category personal data (UK GDPR articles 9 and 10). The rules live in
``special_category.yaml`` next to this module: per category, terms matched on
their lemma, and optional spaCy Matcher token patterns. A term counts only when
a word pointing at an identifiable person ("I", "my", "she", "my son") is within
the file's ``window`` tokens in the same sentence, so "we need more mental
health services" is not flagged and "my son was diagnosed with autism" is.

Flagged comments are listed in the workbook for the analyst to review, and are
never quoted unless their comment id is in ``report.quotes.approve`` of the
settings file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources

import pandas as pd
import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from tcs_themes.coding.rules.nlp import make_nlp

RULES_FILE = "special_category.yaml"
#: Columns of :func:`special_category_table`.
SPECIAL_CATEGORY_COLUMNS = ["comment_id", "categories", "matched", "approved", "text"]
_PERSON = "person"
_SENTENCE_END = frozenset(".!?;")


@functools.cache
def _rules() -> tuple[Matcher, PhraseMatcher, Matcher, int]:
    """(person matcher, term matcher, pattern matcher, window) built from the rules file."""
    data = yaml.safe_load((resources.files("tcs_themes.analysis") / RULES_FILE).read_text(encoding="utf-8"))
    nlp = make_nlp()
    person = Matcher(nlp.vocab)
    words = [str(w).lower() for w in data["person"]["words"]]
    stop = [str(w).lower() for w in data["person"].get("not_before", [])]
    person.add(_PERSON, [[{"LOWER": {"IN": [w for w in words if w != "i"]}}]])
    person.add(_PERSON, [[{"LOWER": "i"}, {"LOWER": {"NOT_IN": stop}}], [{"LOWER": "i"}, {"IS_PUNCT": True}]])
    if data["person"].get("patterns"):
        person.add(_PERSON, data["person"]["patterns"])
    terms = PhraseMatcher(nlp.vocab, attr="LEMMA")
    patterns = Matcher(nlp.vocab)
    for category, rule in data["categories"].items():
        if rule.get("terms"):
            terms.add(category, list(nlp.pipe(str(t) for t in rule["terms"])))
        if rule.get("patterns"):
            patterns.add(category, rule["patterns"])
    return person, terms, patterns, int(data.get("window", 8))


def _sentence_ids(doc: Doc) -> list[int]:
    ids, current = [], 0
    for token in doc:
        ids.append(current)
        if token.text in _SENTENCE_END:
            current += 1
    return ids


def _find(doc: Doc) -> dict[str, list[str]]:
    person, terms, patterns, window = _rules()
    vocab = doc.vocab.strings
    sentence = _sentence_ids(doc)
    people = [start for _, start, _ in person(doc)]
    found: dict[str, list[str]] = {}
    for match_id, start, end in terms(doc):
        if any(sentence[p] == sentence[start] and (start - window <= p < end + window) for p in people):
            found.setdefault(vocab[match_id], []).append(doc[start:end].text)
    for match_id, start, end in patterns(doc):
        found.setdefault(vocab[match_id], []).append(doc[start:end].text)
    return found


def special_categories(texts: Iterable[object]) -> list[dict[str, list[str]]]:
    """For each text, the special categories it discloses -> the words that showed it (empty if none).

    Examples
    --------
    >>> special_categories(["My son was diagnosed with autism last year.", "We need more mental health services."])
    [{'disability': ['autism'], 'health': ['diagnosed']}, {}]
    """
    nlp = make_nlp()
    docs = nlp.pipe(t if isinstance(t, str) else "" for t in texts)
    return [{k: v for k, v in sorted(_find(doc).items())} for doc in docs]


def special_category_table(coded: pd.DataFrame, approved: Iterable[str] = ()) -> pd.DataFrame:
    """The comments that disclose special-category details, for the analyst to review.

    Returns
    -------
    DataFrame
        ``SPECIAL_CATEGORY_COLUMNS``: comment id, categories (``; ``-separated),
        the words matched, whether the analyst approved the comment for quoting, and its text.
    """
    found = special_categories(coded["text"])  # read as spaCy goes, not copied into a list
    keep = [i for i, f in enumerate(found) if f]
    approved_ids = set(approved)
    rows = coded.iloc[keep]
    return pd.DataFrame(
        {
            "comment_id": rows["comment_id"].astype(str).tolist(),
            "categories": ["; ".join(found[i]) for i in keep],
            "matched": ["; ".join(dict.fromkeys(w for words in found[i].values() for w in words)) for i in keep],
            "approved": [str(c) in approved_ids for c in rows["comment_id"]],
            "text": rows["text"].tolist(),
        },
        columns=SPECIAL_CATEGORY_COLUMNS,
    )
