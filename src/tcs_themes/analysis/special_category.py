"""Special-category and safeguarding disclosures in comments: found by spaCy rules kept as data, never quoted unapproved.

A quote that tells the reader about someone's health, disability, religion,
ethnicity, sexuality, a criminal matter, or names a family member, discloses
special-category personal data (UK GDPR articles 9 and 10). Beside those, a
quote can disclose what an analyst would never publish unapproved either: a
child described with an age, abuse, neglect or grooming, self-harm, domestic
abuse, a crime alleged against someone identifiable, immigration status,
homelessness, debt or benefit sanctions (the ``sensitive`` categories,
:data:`SENSITIVE`). The rules live in ``special_category.yaml`` next to this
module: per category, terms matched on their lemma, and optional spaCy Matcher
token patterns (``patterns`` match on their own, ``near_patterns`` like terms).
A term counts only when a word pointing at an identifiable person ("I", "my",
"she", "my son") is within the file's ``window`` tokens in the same sentence,
so "we need more mental health services" is not flagged and "my son was
diagnosed with autism" is; a match overlapping one of its category's ``except``
patterns is dropped ("children aged 5-11" describes no one child), and so is a
person word overlapping one of the person ``except`` patterns ("child poverty").

Flagged comments are listed in the workbook for the analyst to review, and are
never quoted unless their comment id is in ``report.quotes.approve`` of the
settings file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd
import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from tcs_themes.coding.rules.nlp import make_nlp

RULES_FILE = "special_category.yaml"
#: Columns of :func:`special_category_table`.
SPECIAL_CATEGORY_COLUMNS = ["comment_id", "kinds", "categories", "matched", "approved", "text"]
_PERSON = "person"
#: The kinds of category: the rules file's section for each.
SPECIAL, SENSITIVE = "special category", "safeguarding or sensitive"
_SECTIONS = {"categories": SPECIAL, "sensitive": SENSITIVE}
_SENTENCE_END = frozenset(".!?;")


#: Matcher token-pattern attributes a cue can be read from, and whether they compare the lower-case word.
_CUE_ATTRIBUTES = {"LOWER": True, "LEMMA": True, "TEXT": False, "ORTH": False}
#: Operators under which a token of a pattern must be there (no operator: exactly once).
_REQUIRED_OPS = (None, "1", "+")


@dataclass(frozen=True)
class _Need:
    """A token a match cannot do without: one whose lower-case form is in ``lower`` or whose text is in ``text``.

    Words are held as their spaCy string hashes (what ``Doc.to_array`` gives).
    """

    lower: frozenset[int] = frozenset()
    text: frozenset[int] = frozenset()

    def met(self, lowers: set[int], texts: set[int]) -> bool:
        return not (self.lower.isdisjoint(lowers) and self.text.isdisjoint(texts))


def _hashes(words: Iterable[str]) -> frozenset[int]:
    return frozenset(get_string_id(word) for word in words)  # a spaCy symbol ("number") is its id, as in Doc.to_array


def _values(value: object) -> list[str] | None:
    """The strings a token attribute can equal (a string, or ``{IN: [...]}``), or None for anything else."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return [str(v) for v in value["IN"]]
    return None


#: Lemma -> the hashes of the words the lemmatizer gives it (see :func:`_lemma_words`).
_LemmaWords = dict[str, frozenset[int]]


def _lemma_words(lemmas: Iterable[str]) -> _LemmaWords:
    """For each of ``lemmas``, the hashes of the words the lemmatizer gives it: one pass over its lookup table.

    The lemmatizer looks a token's lower-case form up in the table, and a word not in it is
    its own lemma; the table's keys (hashes) whose value is the lemma, and the lemma itself
    unless the table gives it another, hold every such word (the table's few capitalised
    keys too, which no lower-case form can equal).
    """
    table = make_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    found: dict[str, set[int]] = {lemma: set() for lemma in lemmas}
    for lemma, words in found.items():
        if table.get(lemma, lemma) == lemma:
            words.add(get_string_id(lemma))
    for key, lemma in table.items():
        if lemma in found:
            found[lemma].add(key)
    return {lemma: frozenset(words) for lemma, words in found.items()}


def _need(spec: dict[str, object], lemma_words: _LemmaWords) -> _Need | None:
    """What a Matcher token spec needs of a token, if it must be there and says which words match it."""
    if spec.get("OP") not in _REQUIRED_OPS:
        return None
    for attribute, lower in _CUE_ATTRIBUTES.items():
        values = _values(spec.get(attribute))
        if values is None:
            continue
        if attribute == "LEMMA":
            return _Need(lower=frozenset().union(*(lemma_words[v] for v in values)))
        return _Need(lower=_hashes(values)) if lower else _Need(text=_hashes(values))
    return None


def _pattern_needs(pattern: list[dict[str, object]], lemma_words: _LemmaWords) -> tuple[_Need, ...]:
    """The needs of a Matcher token pattern (none when no token of it says which words match it)."""
    return tuple(need for need in (_need(spec, lemma_words) for spec in pattern) if need is not None)


def _term_needs(term: Doc, lemma_words: _LemmaWords) -> tuple[_Need, ...]:
    """The needs of a term matched on lemmas: a word with each of its tokens' lemmas."""
    return tuple(_Need(lower=lemma_words[token.lemma_]) for token in term)


def _lemmas_named(patterns: Iterable[list[dict[str, object]]]) -> set[str]:
    """The lemmas the ``LEMMA`` attributes of Matcher token patterns name."""
    return {value for pattern in patterns for spec in pattern for value in _values(spec.get("LEMMA")) or []}


@dataclass(frozen=True)
class _Cues:
    """What a text's tokens must show for one of a matcher's patterns to match: a necessary condition, not sufficient.

    ``single`` is met by a token meeting the one need of any one-need pattern; ``together``
    holds the needs of each longer pattern, all to be met; ``unknown`` is true when some
    pattern's needs cannot be read, so the matcher may always match.
    """

    single: _Need
    together: tuple[tuple[_Need, ...], ...]
    unknown: bool
    #: Each word (hash) any need of a longer pattern has -> those patterns (their places in ``together``), by
    #: lower-case form and by text: only the patterns one of a text's words is in are tried.
    by_lower: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False)
    by_text: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, patterns: Iterable[tuple[_Need, ...]]) -> _Cues:
        """The cues of patterns given by their needs (an empty tuple for a pattern whose needs cannot be read)."""
        patterns = list(patterns)
        singles = [needs[0] for needs in patterns if len(needs) == 1]
        together = tuple(needs for needs in patterns if len(needs) > 1)
        by_lower: dict[int, list[int]] = {}
        by_text: dict[int, list[int]] = {}
        for place, needs in enumerate(together):
            for need in needs:
                for word in need.lower:
                    by_lower.setdefault(word, []).append(place)
                for word in need.text:
                    by_text.setdefault(word, []).append(place)
        return cls(
            single=_Need(frozenset().union(*(n.lower for n in singles)), frozenset().union(*(n.text for n in singles))),
            together=together,
            unknown=any(not needs for needs in patterns),
            by_lower={word: tuple(places) for word, places in by_lower.items()},
            by_text={word: tuple(places) for word, places in by_text.items()},
        )

    def shown(self, lowers: set[int], texts: set[int]) -> bool:
        """Whether a text whose tokens have these lower-case forms and texts (hashes) shows a cue."""
        if self.unknown or self.single.met(lowers, texts):
            return True
        tried = {place for word in lowers & self.by_lower.keys() for place in self.by_lower[word]}
        tried.update(place for word in texts & self.by_text.keys() for place in self.by_text[word])
        return any(all(need.met(lowers, texts) for need in self.together[place]) for place in tried)


@dataclass(frozen=True)
class _Rules:
    """The rules file's matchers, and the cues a text must show for each to match (:class:`_Cues`).

    When a text's tokens show no cue of a matcher, that matcher finds nothing in it, so
    it is matched only when they do, and lemmatized only when some matcher may match (:func:`_find`).
    """

    person: Matcher
    terms: PhraseMatcher
    near: Matcher
    patterns: Matcher
    exceptions: Matcher
    window: int
    kinds: dict[str, str]
    person_cues: _Cues
    term_cues: _Cues
    pattern_cues: _Cues


@functools.cache
def _rules() -> _Rules:
    """The matchers and their cues, built from the rules file."""
    data = yaml.safe_load((resources.files("tcs_themes.analysis") / RULES_FILE).read_text(encoding="utf-8"))
    nlp = make_nlp()
    person = Matcher(nlp.vocab)
    words = [str(w).lower() for w in data["person"]["words"]]
    stop = [str(w).lower() for w in data["person"].get("not_before", [])]
    person_patterns = [
        [{"LOWER": {"IN": [w for w in words if w != "i"]}}],
        [{"LOWER": "i"}, {"LOWER": {"NOT_IN": stop}}],
        [{"LOWER": "i"}, {"IS_PUNCT": True}],
        *(data["person"].get("patterns") or []),
    ]
    person.add(_PERSON, person_patterns)
    terms = PhraseMatcher(nlp.vocab, attr="LEMMA")
    near, patterns, exceptions = Matcher(nlp.vocab), Matcher(nlp.vocab), Matcher(nlp.vocab)
    if data["person"].get("except"):
        exceptions.add(_PERSON, data["person"]["except"])
    term_docs: list[Doc] = []
    near_patterns: list[list[dict[str, object]]] = []
    category_patterns: list[list[dict[str, object]]] = []
    kinds: dict[str, str] = {}
    for section, kind in _SECTIONS.items():
        for category, rule in (data.get(section) or {}).items():
            kinds[category] = kind
            if rule.get("terms"):
                docs = list(nlp.pipe(str(t) for t in rule["terms"]))
                terms.add(category, docs)
                term_docs += docs
            if rule.get("near_patterns"):
                near.add(category, rule["near_patterns"])
                near_patterns += rule["near_patterns"]
            if rule.get("patterns"):
                patterns.add(category, rule["patterns"])
                category_patterns += rule["patterns"]
            if rule.get("except"):
                exceptions.add(category, rule["except"])
    lemma_words = _lemma_words(
        _lemmas_named(person_patterns + near_patterns + category_patterns)
        | {token.lemma_ for term in term_docs for token in term}
    )
    return _Rules(
        person, terms, near, patterns, exceptions, int(data.get("window", 8)), kinds,
        person_cues=_Cues.of(_pattern_needs(pattern, lemma_words) for pattern in person_patterns),
        term_cues=_Cues.of(
            [_term_needs(term, lemma_words) for term in term_docs]
            + [_pattern_needs(pattern, lemma_words) for pattern in near_patterns]
        ),
        pattern_cues=_Cues.of(_pattern_needs(pattern, lemma_words) for pattern in category_patterns),
    )  # fmt: skip


def category_kinds() -> dict[str, str]:
    """Each category of the rules file -> its kind: :data:`SPECIAL` (UK GDPR) or :data:`SENSITIVE` (safeguarding...)."""
    return dict(_rules().kinds)


def _sentence_ids(doc: Doc) -> list[int]:
    ids, current = [], 0
    for token in doc:
        ids.append(current)
        if token.text in _SENTENCE_END:
            current += 1
    return ids


def _find(doc: Doc, *, cues: bool = True) -> dict[str, list[str]]:
    """The categories ``doc`` (tokens only, not yet lemmatized) discloses -> the words that showed it.

    A matcher runs only when the tokens show one of its cues (``cues=False``: always, the slow
    reference the tests hold this to).
    """
    rules = _rules()
    tokens = doc.to_array([LOWER, ORTH])  # hashes: far quicker than reading each token's words
    lowers, texts = set(tokens[:, 0].tolist()), set(tokens[:, 1].tolist())
    by_term = not cues or (rules.term_cues.shown(lowers, texts) and rules.person_cues.shown(lowers, texts))
    by_pattern = not cues or rules.pattern_cues.shown(lowers, texts)
    if not (by_term or by_pattern):
        return {}
    make_nlp().get_pipe("lemmatizer")(doc)
    vocab = doc.vocab.strings
    found: dict[str, list[str]] = {}
    term_matches = sorted(rules.terms(doc) + rules.near(doc)) if by_term else []
    pattern_matches = rules.patterns(doc) if by_pattern else []
    if not (term_matches or pattern_matches):
        return found
    excepted: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in rules.exceptions(doc):
        excepted.setdefault(vocab[match_id], []).append((start, end))

    def kept(key: str, start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in excepted.get(key, ()))

    if term_matches:
        sentence = _sentence_ids(doc)
        people = [start for _, start, end in rules.person(doc) if kept(_PERSON, start, end)]
        window = rules.window
        for match_id, start, end in term_matches:
            if kept(vocab[match_id], start, end) and any(
                sentence[p] == sentence[start] and (start - window <= p < end + window) for p in people
            ):
                found.setdefault(vocab[match_id], []).append(doc[start:end].text)
    for match_id, start, end in pattern_matches:
        if kept(vocab[match_id], start, end):
            found.setdefault(vocab[match_id], []).append(doc[start:end].text)
    return found


def special_categories(texts: Iterable[object]) -> list[dict[str, list[str]]]:
    """For each text, the categories it discloses (special and sensitive alike) -> the words that showed it (empty if none).

    Examples
    --------
    >>> special_categories(["My son was diagnosed with autism last year.", "We need more mental health services."])
    [{'disability': ['autism'], 'health': ['diagnosed']}, {}]
    """
    tokenizer = make_nlp().tokenizer  # lemmatized later, and only when a cue shows (:func:`_find`)
    docs = (tokenizer(t if isinstance(t, str) else "") for t in texts)
    return [{k: v for k, v in sorted(_find(doc).items())} for doc in docs]


def special_category_table(
    coded: pd.DataFrame, approved: Iterable[str] = (), found: Sequence[dict[str, list[str]]] | None = None
) -> pd.DataFrame:
    """The comments that disclose special-category details, for the analyst to review.

    ``found``: the :func:`special_categories` of every row of ``coded``, when already known.

    Returns
    -------
    DataFrame
        ``SPECIAL_CATEGORY_COLUMNS``: comment id, the kinds of its categories (:data:`SPECIAL`,
        :data:`SENSITIVE`, ``; ``-separated), the categories (``; ``-separated), the words matched,
        whether the analyst approved the comment for quoting, and its text.
    """
    if found is None:
        found = special_categories(coded["text"])  # read as spaCy goes, not copied into a list
    keep = [i for i, f in enumerate(found) if f]
    approved_ids = set(approved)
    rows = coded.iloc[keep]
    kinds = _rules().kinds
    return pd.DataFrame(
        {
            "comment_id": rows["comment_id"].astype(str).tolist(),
            "kinds": ["; ".join(k for k in (SPECIAL, SENSITIVE) if k in {kinds[c] for c in found[i]}) for i in keep],
            "categories": ["; ".join(found[i]) for i in keep],
            "matched": ["; ".join(dict.fromkeys(w for words in found[i].values() for w in words)) for i in keep],
            "approved": [str(c) in approved_ids for c in rows["comment_id"]],
            "text": rows["text"].tolist(),
        },
        columns=SPECIAL_CATEGORY_COLUMNS,
    )


def held_back_note(table: pd.DataFrame) -> str | None:
    """What :func:`special_category_table` held back from the quotes, in a sentence; None when nothing was.

    Examples
    --------
    >>> held_back_note(special_category_table(pd.DataFrame({"comment_id": ["c1", "c2"], "text": [
    ...     "Boy, 13, said he was threatened outside school.", "My son is autistic."]})))
    '2 comments disclose special-category details or safeguarding concerns (1 of them safeguarding or sensitive); none approved for quoting'
    """
    if table.empty:
        return None
    sensitive = int(table["kinds"].astype(str).str.contains(SENSITIVE, regex=False).sum())
    approved = int(table["approved"].astype(bool).sum())
    comments = f"{len(table):,} comment{'s' if len(table) != 1 else ''}"
    return (
        f"{comments} disclose{'s' if len(table) == 1 else ''} special-category details or safeguarding concerns "
        f"({sensitive:,} of them {SENSITIVE}); {f'{approved:,}' if approved else 'none'} approved for quoting"
    )
