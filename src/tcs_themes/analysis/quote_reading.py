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
  interpreter today... Should be standard" of an access need).
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


def is_event_praise(text: object) -> bool:
    """Whether ``text`` praises the event and no more (:data:`EVENT_PRAISE`; not :data:`ABOUT_STRATEGY` nor :data:`MAKES_A_POINT`)."""
    text = str(text)
    return bool(EVENT_PRAISE.search(text)) and not ABOUT_STRATEGY.search(text) and not MAKES_A_POINT.search(text)


def reads_badly(texts: Iterable[object]) -> np.ndarray:
    """For each text, whether it reads badly as a quote: a fragment, a courtesy or event praise (see the module)."""
    return np.array([bool(FRAGMENT_OR_COURTESY.search(str(t))) or is_event_praise(t) for t in texts], dtype=bool)
