"""How a comment reads as a quote: the rules that keep fragments, courtesies and event praise out of the evidence.

A quote is evidence of what people said about the strategy. Three kinds of comment
read badly as such, and quote selection (:mod:`tcs_themes.analysis.quotes`, so the
workbook's quotes sheet and the report alike) takes them only when a theme has
nothing else to quote:

* **fragments**: a comment cut off mid-list or mid-sentence (it ends with ``;``,
  ``,``, ``:``, ``(``, a dash, a word such as "and" or "the", or "ask ... to":
  "a small grant for tools, insurance and plants;", "...We would ask the council to");
* **courtesies**: an email's opening or closing rather than its point ("Thank you
  for the session...", "Dear...", "Please find below...", "I'm writing on behalf
  of...", "Kind regards");
* **event praise**: praise for the event itself rather than for the strategy
  ("great day, well organised, the bouncy castle was a hit", "The dance workshop!
  Please do it again!!"), unless the comment also speaks of the strategy, or asks,
  qualifies or proposes something (:data:`MAKES_A_POINT`: "...amazing. Where can she
  do it again that's not £15 a go?" is evidence of a cost barrier, "great to have an
  interpreter today... Should be standard" of an access need);
* **self-introductions**: an email's opening words about the writer rather than
  the strategy ("My name is... and I have lived here 20 years", "I am head
  teacher of a primary school...", "We are a volunteer group of about 40
  residents...", "I am writing as a resident of... and chair of..."). An
  opening self-introduction is cut from the quote when what follows stands alone
  (:func:`without_introduction`: "… I was sorry to see schools barely feature in
  the discussion paper."); a comment that is only a self-introduction, or whose
  rest leans on it ("This is why..."), reads badly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

#: Cut off mid-list or mid-sentence (ends with a comma, colon, dash... or a word such as "and", or "ask ... to"), or an
#: email's courtesies rather than its point (it opens with thanks, a greeting, "Please find below", "I am writing").
FRAGMENT_OR_COURTESY = re.compile(
    r"(?:[;,:(\-\u2013]|\b(?:and|or|but|the|a|an|our|their)|\b(?:ask|like|want|need)\s+(?:\w+\s+){0,3}to)\s*$"
    r"|^\s*(?:thanks?\b|thank you\b|dear\b|hi\b|hello\b|please find\b|(?:kind|best) regards\b|(?:i|we)(?:'m|\u2019m| am| are) writing\b)",
    re.I,
)
_EVENT = r"(?:events?|days?|sessions?|workshops?|afternoon|morning|evening|stalls?|activities|party|celebration|bouncy castle|face painting|music|food|venue)"
_PRAISE = r"(?:great|lovely|fab|fabulous|fantastic|brilliant|amazing|wonderful|excellent|superb|nice|good|best)"
#: Praise for the event itself ("lovely day", "the session was brilliant", "please do it again", "staff are fantastic")...
EVENT_PRAISE = re.compile(
    rf"\b{_PRAISE}\s+(?:\w+\s+)?{_EVENT}\b"
    rf"|\b{_EVENT}(?:\s+\w+){{0,2}}\s+(?:was|were|is|are)\s+(?:(?:really|so|just|a)\s+)?(?:{_PRAISE}|hit|loved)\b"
    r"|\bplease\s+(?:do|run|have)\s+(?:it|this|that|these|them)\s+again\b"
    r"|\bwell[ -]organi[sz]ed\b|\bstaff\s+(?:are|were)\s+(?:(?:really|so|just)\s+)?" + _PRAISE + r"\b"
    r"|\b(?:lovely|great|nice|good)\s+to\s+(?:have|see)\b[^.!?]{0,30}\b(?:here|today)\b",
    re.I,
)
#: ...unless the comment also speaks of the strategy or its principles.
ABOUT_STRATEGY = re.compile(
    r"\b(?:strategy|paper|document|draft|principles?|plan|vision|4 ?ps|aims?|approach|priorit\w*|ambition\w*|tcs)\b", re.I
)
#: ...or asks, qualifies or proposes something: then it is evidence of more than the praise.
MAKES_A_POINT = re.compile(r"\?|\b(?:but|should|need|needs|wish)\b", re.I)


_ROLE = (
    r"(?:resident|mum|mom|mother|dad|father|parent|grandparent|grandmother|grandfather|carer|teacher|head|headteacher|"
    r"chair|chairman|chairwoman|chairperson|member|volunteer|trustee|governor|councillor|coordinator|co-ordinator|"
    r"manager|director|officer|worker|lead|leader|secretary|treasurer|founder|organiser|organizer|owner|student|"
    r"pensioner|tenant|leaseholder|homeowner|vicar|imam|minister|clerk|nurse|gp|doctor|youth worker|local)"
)
#: An opening sentence about the writer, not the strategy: "My name is...", "I am head teacher of...", "I'm a mum of
#: two in Rose Hill...", "I have lived here 20 years", "I run the junior section...", "We are a volunteer group of...",
#: "I am writing as a resident of...".
SELF_INTRODUCTION = re.compile(
    r"^\W*(?:my name(?:'s|\u2019s| is)\b"
    r"|(?:i|we)(?:'m|\u2019m|'re|\u2019re| am| are) writing (?:as|on behalf|in my|in our)\b"
    rf"|i(?:'m|\u2019m| am) (?:(?:a|an|the|one of the)\s+(?:[\w-]+\s+){{0,3}}?{_ROLE}s?\b|{_ROLE}\b)"
    r"|i(?:'ve|\u2019ve| have) (?:lived|been living|worked|volunteered|been (?:a|an|the|chair|involved)\b)"
    r"|i (?:run|chair|manage|co-?ordinate|lead|represent|work (?:for|at|as|with|in))\b"
    r"|(?:we are|we're|we\u2019re) (?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:group|charity|association|society|organi[sz]ation|"
    r"network|trust|club|partnership|forum|team|collective|project|cic|committee|school|business)\b)",
    re.I,
)
#: ...and makes no point of its own (a point is asked, urged or proposed).
_OWN_POINT = re.compile(r"\?|\b(?:should|must|need|needs|please|wish)\b", re.I)
#: A sentence that leans on the one before ("This is why...", "So...", "They..."): it does not stand alone.
_LEANS_BACK = re.compile(r"^\W*(?:this|that|these|those|it|they|he|she|them|so|and|but|also|which|here|there|such|as such|therefore|hence)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
#: What an opening cut leaves in front of the rest, so the reader sees the quote begins later.
CUT_MARK = "\u2026 "
#: Words the rest must have to stand alone as a quote (as quote selection's shortest quote).
_MIN_REST_WORDS = 5


def _introduces(sentence: str) -> bool:
    return bool(SELF_INTRODUCTION.search(sentence)) and not _OWN_POINT.search(sentence)


def opens_with_introduction(text: object) -> bool:
    """Whether ``text`` opens with a self-introduction (:data:`SELF_INTRODUCTION`) that makes no point of its own."""
    return _introduces(_SENTENCE.split(str(text).strip(), maxsplit=1)[0])


def without_introduction(text: object) -> str:
    """``text`` with its opening self-introduction cut (marked :data:`CUT_MARK`), when what follows stands alone.

    Otherwise ``text`` unchanged (and :func:`reads_badly` then says it reads badly if it opens with one).

    Examples
    --------
    >>> without_introduction("I am head teacher of a primary school serving one of the city's most deprived "
    ...                      "neighbourhoods. I was sorry to see schools barely feature in the discussion paper.")
    '… I was sorry to see schools barely feature in the discussion paper.'
    >>> without_introduction("We are a volunteer group of about 40 residents who look after Horseshoe Meadow.")
    'We are a volunteer group of about 40 residents who look after Horseshoe Meadow.'
    """
    text = str(text)
    sentences = _SENTENCE.split(text.strip())
    cut = 0
    while cut < len(sentences) - 1 and _introduces(sentences[cut]):
        cut += 1
    rest = " ".join(sentences[cut:])
    if not cut or _LEANS_BACK.search(rest) or len(rest.split()) < _MIN_REST_WORDS:
        return text
    return CUT_MARK + rest


def is_event_praise(text: object) -> bool:
    """Whether ``text`` praises the event and no more (:data:`EVENT_PRAISE`; not :data:`ABOUT_STRATEGY` nor :data:`MAKES_A_POINT`)."""
    text = str(text)
    return bool(EVENT_PRAISE.search(text)) and not ABOUT_STRATEGY.search(text) and not MAKES_A_POINT.search(text)


def reads_badly(texts: Iterable[object]) -> np.ndarray:
    """For each text, whether it reads badly as a quote: a fragment, a courtesy, event praise or a self-introduction
    (see the module)."""
    return np.array(
        [bool(FRAGMENT_OR_COURTESY.search(str(t))) or is_event_praise(t) or opens_with_introduction(t) for t in texts],
        dtype=bool,
    )
