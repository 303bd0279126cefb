"""Find people's names in text: a sender's own name, names a context announces, given name + surname.

Four kinds of evidence are used, all by rules over the words of the text
(no statistical model, so the result is the same on every machine):

* the sender's name (from an email's From header, in any order, case or
  punctuation: "BLOGGS, Jo" finds "Jo Bloggs", "jo bloggs" and "Bloggs");
* a context that announces a name: "my name is ...", "I am ..."/"I'm ..."
  followed by a known given name, a title ("Mr", "Cllr", "Dr" ...), or a
  sign-off ("Best wishes,\\nJo Bloggs", "Thanks, Jo");
* a known given name followed by a capitalised surname or initial
  ("Priya Shah", "Priya S."), or an upper-case surname, comma, given name
  ("BLOGGS, Jo");
* names no list has: capitalised words that are no English word
  (:mod:`tcs_themes.ingest.english_words`), nor a place or organisation word,
  where the context says a person is meant ("I'm Tendai", "my son Tendai",
  "Nurse Tendai", a signature below the text), or two of them together
  ("Tendai Moyo said").

Given names come from the person providers of the Faker package
(:mod:`tcs_themes.ingest.name_lists`). Names that are also everyday words
("Will", "May", "Grace") count only where a context announces a name. The
words around a name that the rules look at (titles, sign-offs, verbs of
speech, place and organisation words) are in :mod:`tcs_themes.ingest.name_words`.
Words are found with one flat regular expression and the rules look at
neighbouring words only, so the time is linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from tcs_themes.ingest.english_words import is_everyday_word
from tcs_themes.ingest.name_lists import (
    WORD, faker_given_names, given_names, lone_names, name_like_words,
)
from tcs_themes.ingest.name_words import (
    ADDRESSED, ADDRESSED_PAIRS, CARERS, CONTRACTIONS, CUES, DETERMINERS, EPONYM_HEADS, FIRM_SIGN_OFFS,
    FREE_PLACE_SURNAMES, FUNCTION_WORDS, GIVING, GREETINGS, KIN, KIN_OR_CARERS, KIN_OWNERS, KNOWN_THINGS,
    LABEL_WORDS, LONG_THING_HEADS, NAME_LABELS, NEVER_NAMES, NOT_ADDRESSEES, NOT_NAMES, ORG_OR_PLACE, PLACE_AFTER,
    PLACE_BEFORE, PLACE_SURNAMES, PLAIN_CUE_WORDS, PLAIN_TITLES, ROLE_WORDS, SAYS, SAYS_BETWEEN, SIGN_OFFS, TALKING,
    THING_HEADS, TITLES,
)


def is_title(word: str) -> bool:
    """Whether ``word`` is a title that goes before a name ("Mr", "dr", "Cllr")."""
    return word.lower().rstrip(".") in TITLES


def looks_like_full_name(value: str) -> bool:
    """Whether a cell is a person's name in any case: two to four words, the first a given name, none an
    everyday or place word ("jo bloggs", "PRIYA K SHAH"; not "Grace Church", "Will attend").

    >>> looks_like_full_name("jo bloggs"), looks_like_full_name("Florence Park"), looks_like_full_name("buses")
    (True, False, False)
    """
    words = WORD.findall(value)
    if not 2 <= len(words) <= 4 or len("".join(words)) < len(re.sub(r"[\s.,]", "", value)):
        return False
    return words[0].title() in given_names() and not any(word.lower() in NEVER_NAMES for word in words)


def _as_name(word: str) -> str:
    return word.title() if word.isupper() and len(word) > 1 else word


def sender_words(names: Iterable[str]) -> frozenset[str]:
    """The words of a sender's names, lower-cased, without titles or parenthesised parts; the parts of a
    hyphenated name count on their own too ("f.cole@..." names an Adeyemi-Cole).

    >>> sorted(sender_words(["BLOGGS, Jo (Resident)", "Mr J. Bloggs", "Grace Adeyemi-Cole"]))
    ['adeyemi', 'adeyemi-cole', 'bloggs', 'cole', 'grace', 'jo']
    """
    words: set[str] = set()
    for name in names:
        name = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)
        for word in WORD.findall(name):
            if len(word) >= 2 and word.lower() not in TITLES:
                words.add(word.lower())
                words.update(part.lower() for part in word.split("-") if len(part) >= 3)
    return frozenset(words)


def display_name(raw: str) -> str:
    """A From name as "Forename Surname": brackets and quotes dropped, "SURNAME, Forename" turned round.

    >>> display_name('"BLOGGS, Jo (Resident)"'), display_name("o'neill, SIOBHAN")
    ('Jo Bloggs', "Siobhan O'Neill")
    """
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]|[\"\u201c\u201d]", " ", raw)
    parts = [part.strip() for part in name.split(",") if part.strip()]
    if len(parts) == 2:
        parts.reverse()
    words = " ".join(parts).split()
    return " ".join(word.title() if word.isupper() or word.islower() else word for word in words)


class _Words:
    """The words of one text with the helpers the rules need."""

    def __init__(self, text: str, sender: frozenset[str], *, loose: bool = False) -> None:
        self.text = text
        self.sender = sender
        self.loose = loose
        self.spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.words = [text[start:end] for start, end in self.spans]
        self.lower = [word.lower() for word in self.words]

    def gap(self, index: int) -> str:
        """The text between word ``index - 1`` and word ``index``."""
        return self.text[self.spans[index - 1][1] : self.spans[index][0]]

    def is_capitalised(self, index: int) -> bool:
        word = self.words[index]
        return word[0].isupper() and word.lower() not in NOT_NAMES and not any(char.isdigit() for char in word)

    def is_given(self, index: int, *, trusted_only: bool = True) -> bool:
        word = self.words[index]
        if not word[0].isupper():
            return False
        name = _as_name(word)
        if name in given_names():
            return True
        if not trusted_only and name in faker_given_names():
            return True
        parts = name.split("-")  # "Jean-Luc", "Mary-Kate": every part a given name
        return len(parts) > 1 and all(part in faker_given_names() for part in parts) and parts[0] in given_names()

    def is_initial(self, index: int) -> bool:
        """A capital letter before a capitalised word ("J R Hartley"); "A" and "I" only with a dot or after a
        title ("A. Patel", "Mrs A Patel"; not "I am A Level student")."""
        word, following = self.words[index], index + 1
        if len(word) != 1 or not word.isupper() or following >= len(self.words) or not self.words[following][0].isupper():
            return False
        gap = self.gap(following)
        if not re.fullmatch(r"\.?[ \t]{1,2}|\.", gap):
            return False
        return word not in "AI" or gap[0] == "." or (index > 0 and self.lower[index - 1] in TITLES)

    @functools.cached_property
    def shouting(self) -> bool:
        """Whether the text is written in capitals (then a word in capitals may be a name)."""
        letters = sum(map(str.isalpha, self.text))
        return letters >= 8 and sum(map(str.isupper, self.text)) > 0.8 * letters

    @functools.cached_property
    def english(self) -> bool:
        """Whether the text reads as English: its words in lower case are mostly English words and, if there
        are four or more, include English function words (a text with none counts as English). In another language every word is one no English list has, so none is taken for a
        name by that alone ("Mehr Bäume im Park bitte")."""
        lower = [word for word in self.words if word.islower() and word.isalpha() and len(word) >= 2]
        if not lower:
            return True
        function_words = [word in FUNCTION_WORDS for word in lower]  # "the", "from": in every English text
        known = sum(stop or is_everyday_word(word) for word, stop in zip(lower, function_words, strict=True))
        return known > len(lower) / 2 and (any(function_words) or len(lower) < 4)  # a short note: "Great day!"

    def is_capitalised_not_acronym(self, index: int) -> bool:
        """Whether word ``index`` starts with a capital and is no acronym ("NHS"), unless the whole text shouts."""
        word = self.words[index]
        return word[0].isupper() and not (word.isupper() and len(word) > 1 and not self.shouting)

    def is_unlisted_name(self, index: int) -> bool:
        """A capitalised word no English word list has, nor a place or organisation word: a name nobody listed
        ("Tendai", "Okonkwo"), if the context says a person is meant and the text is English. Acronyms ("NHS")
        are not."""
        return self.is_capitalised_not_acronym(index) and _unlisted(self.words[index]) and self.english

    def is_name_like_word(self, index: int) -> bool:
        """A capitalised English word that is written capitalised more often than not and is rare in lower case
        ("Wei", "Chen": :func:`name_like_words`), in English text: a name where a verb of speech or talking says
        so ("Then Wei said"; "Then Housing said" and "Then Mum said" are words)."""
        lower = self.lower[index]
        return self.is_capitalised_not_acronym(index) and lower in name_like_words() and lower not in NEVER_NAMES and (
            self.english
        )

    def is_unlisted_lower(self, index: int) -> bool:
        """A word in lower case that no word list has ("tendai"): a name where the context says so."""
        word = self.words[index]
        return word.islower() and word.isalpha() and len(word) >= 3 and word not in NEVER_NAMES and (
            not is_everyday_word(word)
        )

    def is_name_word(self, index: int) -> bool:
        """A given name of any list, the sender's, or a word nobody listed (see :meth:`is_unlisted_name`)."""
        return self.is_given(index, trusted_only=False) or (
            self.is_sender(index) and self.words[index][0].isupper()
        ) or self.is_unlisted_name(index)

    def is_sender(self, index: int) -> bool:
        return self.words[index].lower() in self.sender

    def run(self, start: int, limit: int = 3, *, surname: bool = False) -> int:
        """End (exclusive) of the capitalised words from ``start`` on, on one line, at most ``limit`` besides initials.

        With ``surname`` (a context has announced a name), a name may end in a surname that is also a place word
        ("Mrs Kirsty Wood", "Dr Henry Ward", "My name is Barbara Hill")."""
        if surname and (place_surname := self._place_surname_end(start)):
            return place_surname
        full = 0
        end = start
        shouting = self.words[start].isupper() and len(self.words[start]) > 1
        while end < len(self.words) and full < limit and (self.is_capitalised(end) or self.is_initial(end)):
            if end > start and len(self.words[end]) > 1 and self.words[end].isupper() != shouting:
                break  # "Lynda CPN", "VICKY I'VE": an acronym or shouting is no surname
            if end > start and self.lower[end] in SAYS:
                break  # "THEN SAM SAID IT": a verb of speech is no surname
            gap = self.gap(end)
            if end > start and not (re.fullmatch(r"[ \t]{1,3}", gap) or (gap[:1] == "." and len(self.words[end - 1]) == 1
                                                                      and re.fullmatch(r"\.[ \t]{0,2}", gap))):
                break
            full += not self.is_initial(end)  # "Mr J. R. Hartley": initials do not count towards the limit
            end += 1
        if end < len(self.words) and end > start and self.lower[end] in ORG_OR_PLACE and " " in self.gap(end):
            return start  # "Marston Ferry Road", "Jo Bloggs Centre": a place or an organisation
        if not ORG_OR_PLACE.isdisjoint(self.lower[start:end]):
            return start
        if end > start and self.thing_end(start, known=not surname) is not None:
            return start  # "Chelsea Flower Show", "Martin Luther King Day", "Jack Russell"
        return end

    def thing_end(self, start: int, *, known: bool = True) -> int | None:
        """End (exclusive) of the name of a thing that starts at word ``start``, or None: a known one ("Harry
        Potter", :data:`KNOWN_THINGS`), or capitalised everyday English words ending in a word of
        :data:`THING_HEADS` ("Alexandra Palace", "Chelsea Flower Show", "Florence Nightingale Hospice") or in
        "Day" after two capitalised words ("Martin Luther King Day"). A word no English list has between them
        is a surname ("Jo Bloggs Barton Show": Jo Bloggs is a person). Without ``known`` (a context announced a
        name: "Best wishes,\nJack Russell") a known thing counts as a name."""
        for size in (3, 2):
            if known and tuple(self.lower[start : start + size]) in KNOWN_THINGS:
                return start + size
        end = start + 1
        while end < len(self.words) and end - start < 4 and self.words[end][0].isupper() and (
            re.fullmatch(r"[ \t]{1,3}", self.gap(end))
        ):
            if self.lower[end] in THING_HEADS or (
                self.lower[end] in LONG_THING_HEADS and (end - start >= 2 or _possessive(self, end - 1))
            ):
                role = end + 1 < len(self.words) and self.lower[end + 1] in ROLE_WORDS
                return None if role else end + 1  # "Sarah Black Line Manager": a person and a job
            if not is_everyday_word(self.words[end]):
                return None
            end += 1
        return None

    def _place_surname_end(self, start: int) -> int | None:
        """End of a name whose last word is a surname that is also a place word, with nothing capitalised after it."""
        if not self.is_name_word(start):
            return None
        end = start + 1
        while end < len(self.words) and end - start < 3 and re.fullmatch(r"[ \t]{1,3}", self.gap(end)) and (
            self.words[end][0].isupper()
        ):
            if self.lower[end] in PLACE_SURNAMES:
                after = end + 1
                if after < len(self.words) and self.words[after][0].isupper() and re.fullmatch(r"[ \t]{1,3}", self.gap(after)):
                    return None  # "Jordan Hill Business Park"
                return after
            if self.lower[end] in NEVER_NAMES:
                return None
            end += 1
        return None

    def ends_line(self, end: int) -> bool:
        """Whether the text after word ``end - 1`` is the end, a line break, closing punctuation, a bracket or a
        bar ("Jo Bloggs (Mrs)", "Jo Bloggs | Barton Residents")."""
        rest = self.text[self.spans[end - 1][1] : self.spans[end - 1][1] + 4]
        return re.match(r"[ \t]*(?:$|[\r\n.,!;:)(|])", rest) is not None


def _lower_sequence(words: _Words, index: int, length: int) -> tuple[str, ...]:
    return tuple(words.lower[max(0, index - length + 1) : index + 1])


def _after_trigger(words: _Words, index: int) -> tuple[int, int] | None:
    """A name announced by the words ending at ``index`` ("my name is", "I am", a title): (first, end) or None."""
    start = index + 1
    if start >= len(words.words) or "\n" in words.gap(start):
        return None
    three, two = _lower_sequence(words, index, 3), _lower_sequence(words, index, 2)
    labelled = words.lower[index] in NAME_LABELS and re.fullmatch(r"[ \t]*:[ \t]*|[ \t]{1,2}[-\u2013][ \t]{1,2}", words.gap(start))
    if three in (("my", "name", "is"), ("i", "am", "called"), ("i'm", "called")) or two == ("my", "name's") or labelled:
        end = words.run(start, surname=True)
        if end == start and (words.words[start].title() in faker_given_names() or words.is_sender(start)
                             or words.is_unlisted_lower(start)):
            end = _lower_name_end(words, start)  # "my name is jo bloggs", "name: tendai moyo": in lower case
        return (start, end) if end > start else None
    if two in (("i", "am"), ("this", "is")) or words.lower[index] in ("i'm", "i\u2019m"):
        end = words.run(start, surname=words.is_given(start))
        if words.is_given(start) or (words.is_sender(start) and words.words[start][0].isupper()):
            return (start, max(end, start + 1))
        if end > start and words.is_unlisted_name(start) and not _possessive(words, start) and (
            two != ("this", "is") or _starts_sentence(words, index - 1)
        ):
            return (start, end)  # "I'm Oluwaseun and ...", "Hi, this is Tendai speaking" (not "this is Barton's")
        if end == start and words.words[start].islower() and words.words[start].title() in given_names():
            return (start, _lower_name_end(words, start))  # "i am jo bloggs": a given name no word could be
        return (start, end) if end - start >= 2 else None  # "I am Oluwaseun Adeyemi": two capitalised words
    if words.words[index].lower() in TITLES and re.fullmatch(r"\.?[ \t]{1,3}", words.gap(start)):
        end = words.run(start, limit=2, surname=True)
        if end == start and words.lower[index].rstrip(".") in PLAIN_TITLES and (
            words.is_unlisted_lower(start) or words.words[start].title() in given_names()
        ):
            end = start + 1  # "mrs moyo", "cllr okafor" in lower case (not "i will miss everyone")
        return (start, end) if end > start else None
    return None


@functools.lru_cache(maxsize=65536)
def _unlisted(word: str) -> bool:
    """A word that no English word list has and that is no place, title or contraction ("Tendai", "Okonkwo's";
    not "I'm", "Don't", "Cllr", "Council")."""
    word = word.replace("\u2019", "'")
    if len(word) < 2 or is_title(word):
        return False
    base, _, tail = word.partition("'")
    if tail.lower() in CONTRACTIONS:
        return False  # "I'm", "Don't"
    if tail and len(base) > 1:
        word = base  # "Okonkwo's"
    return word.lower() not in NEVER_NAMES and not is_everyday_word(word)


def _possessive(words: _Words, index: int) -> bool:
    return words.words[index].lower().endswith(("'s", "\u2019s"))


def _starts_sentence(words: _Words, index: int) -> bool:
    """Whether word ``index`` starts the text, a line or a sentence, or follows a greeting ("Hi, this is ...")."""
    if index == 0:
        return True
    return re.search(r"[.!?:;\n]", words.gap(index)) is not None or words.lower[index - 1] in GREETINGS


def _lower_name_end(words: _Words, start: int) -> int:
    """End of a name in lower case from ``start``: up to three words that are no everyday small word."""
    end = start + 1
    while end < len(words.words) and end - start < 3 and words.lower[end] not in NOT_NAMES and (
        re.fullmatch(r"[ \t]{1,3}", words.gap(end))
    ):
        end += 1
    return end


def _greeted_name(words: _Words, index: int) -> tuple[int, int] | None:
    """The name after a greeting, up to the end of its line or a comma: "Dear Cerys,", "Hi Sam Jones!"."""
    start = index + 1
    if words.lower[index] not in GREETINGS or start >= len(words.words) or not re.fullmatch(r"[ \t]{1,3}", words.gap(start)):
        return None
    if words.lower[start] in NOT_ADDRESSEES or words.lower[start] in TITLES:
        return None  # "Dear Sir", "Hi all"; "Dear Mr Rees" is the title's rule
    end = words.run(start, limit=2)
    return (start, end) if end > start and words.ends_line(end) else None


def _before_address(words: _Words, index: int) -> tuple[int, int] | None:
    """Capitalised words just before an address or phone number in brackets ("Hywel Rees <[EMAIL]>", "Tendai
    ([PHONE])"), or a name just before one ("call Tendai on [PHONE]", "Sarah: [EMAIL]")."""
    if not words.words[index][0].isupper():
        return None
    end = words.run(index)
    if end == index:
        return None
    rest = words.text[words.spans[end - 1][1] : words.spans[end - 1][1] + 14]
    if re.match(r"[ \t]{0,2}[<(]\[(?:EMAIL|PHONE)\][>)]", rest):
        return (index, end)
    if re.match(r"(?:[ \t]{1,2}on|[ \t]?[:\-\u2013]|,)?[ \t]{1,2}\[(?:EMAIL|PHONE)\]", rest) and words.is_name_word(index):
        return (index, end)
    return None


def _kin_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A name after "my"/"our" and a relative ("my son Liam", "our neighbour, Aisha Bello", "my son Tendai"), or
    after a carer or a member of staff ("carer Nkechi", "Nurse Jenna"; there an everyday word such as "Hope" is
    not taken)."""
    start = index + 1
    if not (words.lower[index] in KIN or words.lower[index] in CARERS) or start >= len(words.words):
        return None
    owned = index > 0 and words.lower[index - 1] in KIN_OWNERS
    if not owned and words.lower[index] not in CARERS:
        return None
    if not re.fullmatch(r",?[ \t]{1,2}\(?", words.gap(start)) or _possessive(words, start):
        return None
    if owned and words.lower[index] in KIN:
        named = words.is_name_word(start)
    else:
        named = words.is_given(start) or words.is_unlisted_name(start)
    if not (named or words.is_sender(start)):
        return None
    end = words.run(start, limit=2)
    if end == start and "(" in words.gap(start):
        return None  # "the therapist (Byron House)": a place
    return (start, max(end, start + 1))


def _signature_line(words: _Words, index: int) -> tuple[int, int] | None:
    """A given name, or a word nobody listed, alone on the last line after the text ("...\n- Kwame",
    "...\nTendai"), or after the last sentence with kisses ("Great day! Tendai x")."""
    if index == 0:
        return None
    own_line = re.search(r"\n[ \t]*[-\u2013\u2014~]?[ \t]*$", words.gap(index)) is not None
    if not own_line and not (re.search(r"[.!?][ \t]{1,3}$", words.gap(index))
                             and re.fullmatch(r"[ \t]{1,2}[xX]{1,3}[ \t.!]{0,3}\s*", words.text[words.spans[index][1] :])):
        return None
    if not (words.is_given(index) or words.is_sender(index) or words.is_unlisted_name(index)):
        return None
    if words.words[index] in words.words[:index] and not words.is_sender(index):
        return None  # "Barton needs buses.\nBarton": the word the text is about (a place), not its writer
    end = max(words.run(index, limit=2), index + 1)
    rest = words.text[words.spans[end - 1][1] :]
    return (index, end) if re.fullmatch(r"[ \t]{0,3}(?:[xX]{1,3})?[ \t.!]{0,3}\s*", rest) else None


def _sign_off_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A name after a sign-off: "Best wishes,\\nJo Bloggs", "Thanks, Jo"."""
    word = words.words[index].lower()
    start = index + 1
    if word == "you" and _lower_sequence(words, index, 2)[0] == "thank":
        word = "thanks"  # "Thank you,\nOluwaseun Adeyemi"
    if word not in SIGN_OFFS or start >= len(words.words):
        return None
    line_start = index == 0 or "\n" in words.gap(index)
    if word in ("best", "love") and not (line_start or _lower_sequence(words, index, 2)[0] in ("the", "with")):
        return None  # "the best Oxford can do", "I love Oxford."
    gap = words.gap(start)
    if not re.fullmatch(r"[ \t]*(?:[,.!]|[ \t][-\u2013][ \t])?[ \t]*(?:\r?\n[ \t]*)?(?:\r?\n[ \t]*)?", gap) or not gap:
        return None
    end = words.run(start, surname=True)
    if end == start or not words.ends_line(end):
        return None
    own_line = "\n" in gap
    ends_text = not words.text[words.spans[end - 1][1] :].strip(" \t.!")
    known = words.is_given(start, trusted_only=False) or words.is_sender(start)
    firm = "," in gap or "-" in gap or "\u2013" in gap or word in FIRM_SIGN_OFFS
    return (start, end) if own_line or known or (firm and ends_text) else None  # "Thanks, Oluwaseun", "Regards Tendai"


def _ends_text(words: _Words, end: int) -> bool:
    return not words.text[words.spans[end - 1][1] :].strip(" \t.!,x\r\n")


def _name_like_run(words: _Words, start: int, end: int) -> bool:
    """Two or three capitalised words that read as a name: the first a given name or a word nobody listed, and
    no place or organisation word ("Tendai Moyo", "Nkechi Obi", "Sarah Okonkwo"; not "Blackbird Leys", "Kind
    Regards", "Rose Hill"). Surnames are often everyday words ("Baker"), so only the first word is checked."""
    return 2 <= end - start <= 3 and words.is_name_word(start)


def _from_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A name after "from" (or "c/o") that ends the text: "... from Tendai Moyo", "Love from Nkechi Obi"."""
    start = index + 1
    care_of = words.lower[index] == "o" and index > 0 and words.lower[index - 1] == "c" and words.gap(index) == "/"
    if not (words.lower[index] == "from" or care_of) or start >= len(words.words):
        return None
    if not re.fullmatch(r"[ \t]{1,3}|,?[ \t]*\r?\n[ \t]*", words.gap(start)):
        return None
    end = words.run(start)
    if care_of:
        return (start, end) if end > start else None  # "c/o Tendai Moyo"
    return (start, end) if _name_like_run(words, start, end) and _ends_text(words, end) else None


def _signature_block(words: _Words, index: int) -> tuple[int, int] | None:
    """A name alone on one of the last lines, after the text, with at most two short lines below it (a role,
    a group): "...\n\nTendai Moyo\nResident"."""
    if index == 0 or "\n" not in words.gap(index):
        return None
    end = words.run(index, surname=True)
    if not _name_like_run(words, index, end):
        return None
    rest = words.text[words.spans[end - 1][1] :]
    lines = rest.split("\n")
    if lines[0].strip(" \t.,"):
        return None  # the name is not alone on its line
    below = [line for line in lines[1:] if line.strip()]
    return (index, end) if len(below) <= 2 and all(len(line.split()) <= 6 for line in below) else None


def _free_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A known given name and a surname or initial, or "SURNAME, Given" at the start of a line."""
    word = words.words[index]
    following = index + 1
    if following >= len(words.words):
        return None
    gap = words.gap(following)
    if words.is_given(index) and re.fullmatch(r"[ \t]{1,2}", gap):
        end = words.run(index)
        if end >= index + 2:
            return (index, end)
        if words.lower[following] in FREE_PLACE_SURNAMES and words.thing_end(index) is None and (place_surname := words.run(index, surname=True)) > following:
            return (index, place_surname)  # "Barbara Hill said", "Stephanie Wood" (not "Florence Park", "Rose Hill")
        initial = words.words[following]
        if len(initial) == 1 and initial.isupper() and words.ends_line(following + 1):
            return (index, following + 1)
    if words.is_unlisted_name(index) and re.fullmatch(r"[ \t]{1,2}", gap) and words.is_unlisted_name(following):
        end = words.run(index)
        if end >= following + 1 and all(words.is_unlisted_name(i) for i in range(index, end)):
            return (index, end)  # "Oluwaseun Adeyemi said": two words nobody listed, together
    line_start = index == 0 or "\n" in words.gap(index)
    if not line_start or word.lower() in NEVER_NAMES or word.lower() in CUES or len(word) < 2 or not words.is_given(following):
        return None
    alone = words.loose or words.ends_line(following + 1)  # on its own line, or in the name of a thing
    if word.isupper() and (re.fullmatch(r",[ \t]{1,2}", gap) or (re.fullmatch(r"[ \t]{1,2}", gap) and alone)):
        return (index, following + 1)  # "BLOGGS, Jo", "MENSAH Kwame" alone on its line
    if word[0].isupper() and not word.isupper() and re.fullmatch(r",[ \t]{1,2}", gap) and alone:
        return (index, following + 1)  # "Mensah, Kwame" alone on its line
    return None


def _sender_run(words: _Words, index: int) -> tuple[int, int] | None:
    """The sender's name: two or more of its words together in any case, or one capitalised word (any in a label)."""
    if not words.is_sender(index):
        return None
    end = index + 1
    while end < len(words.words) and words.is_sender(end) and re.fullmatch(r",?[ \t]{1,3}|\.[ \t]?", words.gap(end)):
        end += 1
    if end - index >= 2 or words.words[index][0].isupper() or words.loose:
        return (index, end)
    return None


def _label_name(words: _Words, index: int) -> tuple[int, int] | None:
    """In the name of a thing, a known given name and a surname written in the same case, in any case
    ("notes_kwame_mensah.xlsx", "jo bloggs.csv"); not a given name alone, which is often a place ("resident-barton")."""
    word, following = words.words[index], index + 1
    if not words.loose or following >= len(words.words):
        return None
    if _as_name(word).title() not in given_names():
        return _unlisted_label_name(words, index)
    surname = words.words[following]
    same_case = surname.islower() == word.islower() and surname.isupper() == word.isupper()
    if not same_case or not re.fullmatch(r"[ \t]{1,3}", words.gap(following)):
        return None
    if surname.lower() in NEVER_NAMES or surname.lower() in LABEL_WORDS or _as_name(surname).title() in given_names():
        return None  # "jo notes", "Jordan Hill", "priya sam" (two given names: a list, not a name)
    return (index, following + 1)


def _unlisted_label_name(words: _Words, index: int) -> tuple[int, int] | None:
    """In the name of a thing, two words together that no word list has, in the same case ("notes_tendai_moyo.xlsx")."""
    pair = words.words[index : index + 2]
    if not re.fullmatch(r"[ \t]{1,3}", words.gap(index + 1)) or len({w.islower() for w in pair}) > 1:
        return None
    if all(w.isalpha() and len(w) >= 3 and w.lower() not in NEVER_NAMES and w.lower() not in LABEL_WORDS
           and not is_everyday_word(w) for w in pair):
        return (index, index + 2)
    return None


#: What follows a name and shows a person: a verb only people do, "from the ...", "at reception", ", who", a role.
_PERSON_AFTER = re.compile(
    r"[ \t]{1,2}(?:runs|ran|helps|helped|works|worked|volunteers|volunteered|leads|led|organises|organised|organizes|"
    r"organized|coaches|coached|teaches|taught|cleans|cleaned|listens|listened|cares|cared|smiled|laughed|knows|knew|"
    r"sorted|fixed)\b"
    r"|[ \t]{1,2}from[ \t]{1,2}(?:the|our|my)\b"
    r"|,[ \t]{1,2}who\b"
    r"|,[ \t]{1,2}(?:the|our|my|a)[ \t]{1,2}(?:[a-z]{1,15}[ \t]{1,2})?(?:worker|manager|coordinator|co-ordinator|"
    r"officer|caretaker|warden|coach|leader|volunteer|chair|secretary|treasurer|teacher|nurse|councillor|organiser|"
    r"receptionist|cleaner|ranger|gardener|mentor|trustee|director|head)\b"
)
_PERSON_AT = re.compile(r"[ \t]{1,2}at[ \t]{1,2}(?:the|reception)\b")
def _lone_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A given name alone in running text that its context shows to be a person's.

    Any given name (and, in English text, a word no list has: "Tendai") with a verb of speech after it ("Then
    Sam said ...", "Rose has said", "Tendai and I") or of talking before it ("I spoke to Priya"); any given
    name after a verb of contact ("ask Jo", "thanks to Bernadette", "helped by Tomasz"). A widely listed given
    name that is no English word (:func:`~tcs_themes.ingest.name_lists.lone_names`) also as a possessive
    ("Sam's idea") or, in English text, inside a sentence ("we met Priya at the desk"), unless a place word is
    beside it ("in Barton", "Barton residents"), or at its start before a verb only people do ("Priya runs the
    club"). Never before a capitalised word ("Florence Park") or after a determiner ("the Podiatric rang"). In
    lower case see :func:`_lower_lone_name`.
    """
    word = words.words[index]
    if word.islower() and not words.loose:
        return _lower_lone_name(words, index)
    if not words.is_capitalised_not_acronym(index):
        return None
    possessive = _possessive(words, index)
    base = _as_name(word[:-2] if possessive else word)
    if base.lower() in NEVER_NAMES or (index > 0 and words.lower[index - 1] in DETERMINERS | {"st", "saint"}):
        return None  # "the Podiatric rang me": a thing; "St Paul's"
    following = index + 1
    if not possessive and words.is_name_word(index) and (end := words.run(index, limit=2)) == index + 2 and (
        _said_after(words, end - 1)
    ):
        return (index, end)  # "Mark Holland said", "Tendai Baker told me": a surname that is an everyday word
    if following < len(words.words) and re.fullmatch(r"[ \t]{1,2}", words.gap(following)) and (
        (words.words[following][0].isupper() and not words.shouting)
        or (words.lower[following] in ORG_OR_PLACE and not (possessive and words.words[following].islower()))
    ):
        return None  # "thanks to Florence Park Community Centre", "Sam's Cafe" (not "Priya's house")
    if re.match(r"[ \t]{1,2}\d", words.text[words.spans[index][1] :]):
        return None  # "Winifred 2": a ward, a room
    trusted = base in lone_names()
    listed = base in faker_given_names()
    if listed and (_said_after(words, index) or _addressed_before(words, index, talking_only=False)):
        return (index, index + 1)
    if not listed and not possessive and not word[1:2].isupper() and (
        words.is_unlisted_name(index) or words.is_name_like_word(index)
    ) and (
        (_said_after(words, index) and not _starts_sentence(words, index))
        or _addressed_before(words, index, talking_only=True)
    ):
        return (index, index + 1)  # "Then Tendai said", "Then Wei said", "I spoke to Tendai" (not "Ofsted said")
    if not trusted:
        return None
    if possessive:
        after_place = index > 0 and words.lower[index - 1] in PLACE_BEFORE and is_everyday_word(base)
        eponym = following < len(words.words) and words.lower[following] in EPONYM_HEADS
        return None if after_place or eponym else (index, index + 1)  # "Sam's idea", "due to Kirsty's care"; not "in Victoria's parks"
    if words.loose:  # the name of a thing: "feedback from Bernadette.eml", "notes by Priya"
        return (index, index + 1) if index > 0 and words.lower[index - 1] in ("from", "by", "with", "for") else None
    if not words.english:
        return None  # German text
    everyday = is_everyday_word(base)  # "India", "Victoria", "Sam": places or words too
    if _person_follows(words, index, weak=not everyday):
        return (index, index + 1)  # "Priya runs the club", "Sam from the council", "Priya, who ...", "Callum, the coach"
    if _starts_sentence(words, index) or everyday:
        return None  # "Priya" at the start of a sentence: a heading, a place
    given_to = words.lower[index - 1] in ("to", "and") and not GIVING.isdisjoint(words.lower[max(0, index - 5) : index - 1])
    if words.words[index - 1][0].isupper() or (words.lower[index - 1] in PLACE_BEFORE and not given_to) or not re.fullmatch(
        r",?[ \t]{1,2}", words.gap(index)
    ):
        return None  # "Blackbird Leys", "in Barton", "clinic (Carlton)"; not "pass this to Wojciech"
    if following < len(words.words) and words.lower[following] in PLACE_AFTER:
        return None  # "Barton residents"
    return (index, index + 1)


def _person_follows(words: _Words, index: int, *, weak: bool) -> bool:
    """Whether the words after word ``index`` speak of a person: a verb only people do ("Priya runs the club"),
    "from the ..." ("Sam from the council"), ", who", or a role after a comma ("Callum, the youth worker"); with
    ``weak`` also "at the ..." or "at reception" ("Jasmine at the library", not "Paris at the weekend")."""
    after = words.text[words.spans[index][1] : words.spans[index][1] + 40].lower()
    return _PERSON_AFTER.match(after) is not None or (weak and _PERSON_AT.match(after) is not None)


def _lower_lone_name(words: _Words, index: int) -> tuple[int, int] | None:
    """A given name in lower case with a verb of speech or talking beside it ("then priya said", "i told
    bernadette"): a widely listed name that is no English word, in English text."""
    name = words.words[index].title()
    if name not in lone_names():
        return None
    if is_everyday_word(name) or not words.english:
        return None  # "sam", "will", "grace": words too
    if _said_after(words, index) or _addressed_before(words, index, talking_only=True):
        return (index, index + 1)
    return None


def _said_after(words: _Words, index: int) -> bool:
    """Whether a verb of speech follows word ``index`` ("Sam said", "Sam has always said") or "and I"/"and me"."""
    following = index + 1
    for _ in range(3):
        if following >= len(words.words) or not re.fullmatch(r"[ \t]{1,2}", words.gap(following)):
            return False
        lower = words.lower[following]
        if lower in SAYS:
            return True
        if lower == "and" and following == index + 1:
            return following + 1 < len(words.words) and words.lower[following + 1] in ("i", "me", "myself")
        if lower not in SAYS_BETWEEN:
            return False
        following += 1
    return False


def _addressed_before(words: _Words, index: int, *, talking_only: bool) -> bool:
    """Whether a verb of contact comes right before word ``index`` ("told Priya", "spoke to Priya", "shout out to
    Jasmine"); with ``talking_only`` only one of talking to a person ("told", "spoke to", "me and")."""
    if index == 0 or not re.fullmatch(r"[ \t]{1,2}", words.gap(index)):
        return False
    if words.lower[index - 1] in ADDRESSED:
        return not talking_only or words.lower[index - 1] in TALKING
    pair = (words.lower[index - 2], words.lower[index - 1]) if index >= 2 else ()
    if pair == ("out", "to") and index >= 3 and words.lower[index - 3] == "shout":
        return True
    if pair not in ADDRESSED_PAIRS or not re.fullmatch(r"[ \t]{1,2}", words.gap(index - 1)):
        return False
    return not talking_only or pair[0] in TALKING


def _joined_name(words: _Words, index: int) -> tuple[int, int] | None:
    """After a name ending before word ``index``: another given name joined to it ("ask Jo or Dave", "thanks
    to Priya and Sam", "Jo, Sam and Dave")."""
    if index == 0 or index >= len(words.words):
        return None
    gap, conjunction = words.gap(index), words.lower[index] in ("and", "or")
    if not re.fullmatch(r",?[ \t]{1,2}(?:&[ \t]{1,2})?", gap) or not (conjunction or "," in gap or "&" in gap):
        return None
    name = index + 1 if conjunction else index
    if name >= len(words.words) or (conjunction and not re.fullmatch(r"[ \t]{1,2}", words.gap(name))):
        return None
    base = _as_name(words.words[name])
    if base not in lone_names():
        return None
    if (free := _free_name(words, name)) is not None:
        return free  # "Dr X and Richard Y"
    end = words.run(name, limit=2)
    after = name + 1
    if end == name and after < len(words.words) and words.words[after][0].isupper() and re.fullmatch(r"[ \t]{1,2}", words.gap(after)):
        return None  # "Mr Patel and Florence Park": a place
    return (name, max(end, after))


def _may_name(text: str) -> bool:
    """Whether any rule but the sender's could fire (a quick look, by sets and flat patterns first): a cue, a
    relative or carer before a capital, a short capitalised line below the text, kisses at the end, two
    capitalised words no word list has, or a known given name."""
    tokens = WORD.findall(text)
    if "-" in text:  # "Jean-Luc": its parts too
        tokens += [part for token in tokens if "-" in token for part in token.split("-") if part]
    lower = set(map(str.lower, tokens))
    if not lower.isdisjoint(PLAIN_CUE_WORDS) or {"i", "am"} <= lower or {"this", "is"} <= lower:
        return True
    if not lower.isdisjoint(KIN_OR_CARERS) and any(
        word.lower() in KIN_OR_CARERS and following[:1].isupper() for word, following in zip(tokens, tokens[1:])
    ):
        return True  # "my son Tendai", "Nurse Jenna"
    if "[PHONE]" in text or "[EMAIL]" in text:
        return True  # a name just before them
    if ("\n" in text and _SHORT_CAPITALISED_LINE.search(text)) or "c/o" in text.lower() or _KISSES.search(text[-12:]):
        return True  # a signature below the text or with kisses, "c/o ..."
    if not (given_names().isdisjoint(tokens) and given_names().isdisjoint(map(str.title, tokens))):
        return True
    if "'s" in text or "\u2019s" in text:
        names = {token[:-2] for token in tokens if token.endswith(("'s", "\u2019s"))}
        if not given_names().isdisjoint(names):
            return True  # "Sam's idea"
    if not (lower.isdisjoint(SAYS) and lower.isdisjoint(ADDRESSED) and lower.isdisjoint(TALKING)) or {"and", "i"} <= lower:
        if any(token[:1].isupper() and (token in faker_given_names() or _unlisted(token) or token.lower() in name_like_words())
               for token in tokens):
            return True  # "Then Tendai said", "Will said", "Tendai and I", "Then Wei said"
    return any(_unlisted(a) and _unlisted(b) for a, b in _CAPITALISED_PAIR.findall(text))  # two words nobody listed


#: A line below the first of one to three capitalised words (a signature: "Tendai Moyo", "- Kwame x").
_SHORT_CAPITALISED_LINE = re.compile(
    r"\n[ \t]*[-\u2013\u2014~]?[ \t]*[A-Z][\w'\u2019.-]*(?:[ \t]{1,3}[A-Z][\w'\u2019.-]*)?(?:[ \t]{1,3}[A-Z][\w'\u2019.-]*)?"
    r"[ \t.,!xX]*(?:\r?\n|$)"
)
_KISSES = re.compile(r"\w[ \t]{1,2}[xX]{1,3}[ \t.!]{0,3}$")
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][\w'\u2019-]*)[ \t]{1,2}([A-Z][\w'\u2019-]*)")


def name_spans(text: str, sender: Iterable[str] = (), *, loose: bool = False) -> list[tuple[int, int]]:
    """Character spans of the names in ``text``, in order and not overlapping.

    Parameters
    ----------
    text : str
    sender : iterable of str
        The sender's names (any order, case and punctuation), e.g. ``["BLOGGS, Jo"]``.
    loose : bool, default False
        For the names of things (files, sheets, sessions): one word of the
        sender's name counts in lower case too (``bloggs-family.co.uk``), and so
        does a known given name with a surname written the same way after it
        (``notes_kwame_mensah.xlsx``).

    Examples
    --------
    >>> text = "Hello, I am Jo Bloggs. Ask Mr Patel or Priya Shah. Best wishes,\\nSam"
    >>> [text[a:b] for a, b in name_spans(text)]
    ['Jo Bloggs', 'Patel', 'Priya Shah', 'Sam']
    """
    if not text:
        return []
    sender = sender if isinstance(sender, frozenset) else sender_words(sender)
    if not sender and not loose and not _may_name(text):
        return []
    words = _Words(text, sender, loose=loose)
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(words.words):
        if not (words.words[index][0].isupper() or words.lower[index] in CUES or words.lower[index] in words.sender
                or loose or words.words[index].title() in given_names()):
            index += 1  # no rule starts at a word in lower case that is no cue (but in the name of a thing)
            continue
        if words.is_given(index, trusted_only=False) and (thing := words.thing_end(index)) is not None and not (
            words.sender and _sender_run(words, index)
        ):
            index = thing  # "Martin Luther King Day", "Harry Potter": no rule starts inside the name of a thing
            continue
        span = (
            _sender_run(words, index) if words.sender else None
        ) or _free_name(words, index) or _after_trigger(words, index) or _sign_off_name(words, index) or (
            _kin_name(words, index)
        ) or _signature_line(words, index) or _label_name(words, index) or _greeted_name(words, index) or (
            _before_address(words, index)
        ) or _from_name(words, index) or _signature_block(words, index) or _lone_name(words, index)
        if span is None:
            index += 1
            continue
        first, end = span
        found.append((words.spans[first][0], words.spans[end - 1][1]))
        while (joined := _joined_name(words, end)) is not None:  # "ask Jo or Dave"
            first, end = joined
            found.append((words.spans[first][0], words.spans[end - 1][1]))
        index = end
    return found
