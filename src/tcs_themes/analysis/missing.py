"""What is missing: the comments that say the draft left something out or needs more focus on it.

A comment is about something missing when either

* the question it answers asks for it (``MISSING_QUESTION``: "What have we missed?",
  "Is anything missing?", "Any gaps?", "What else should we include?"...), or
* its own words say so (``MISSING_CUES``: "missing", "no mention of", "not enough",
  "more focus on", "what about", "left out", "doesn't mention", "nothing about",
  "lack of", "should also include"...).

The comments are grouped by main theme; each group is described by the phrases
that distinguish it from the other groups' missing comments
(:func:`~tcs_themes.analysis.key_phrases.distinctive_phrases`), so the
description is extractive: the comments' own words, never the codebook's.
"""

from __future__ import annotations

import re

import pandas as pd

from tcs_themes.analysis.key_phrases import distinctive_phrases
from tcs_themes.codebook.model import Codebook
from tcs_themes.schema import UNCODED

MISSING_QUESTION = re.compile(
    r"\bmiss(?:ed|ing)\b|\bleft out\b|\bgaps?\b|\boverlook|\banything else\b|\bwhat else\b|\bnot (?:yet )?(?:covered|included)\b",
    flags=re.IGNORECASE,
)
MISSING_CUES = re.compile(
    r"\bmissing\b|\bno mention\b|\bnot enough\b|\bmore (?:focus|emphasis|attention) on\b|\bwhat about\b|\bleft out\b"
    r"|\b(?:doesn'?t|does not|didn'?t|did not) (?:mention|cover|say (?:anything|much))\b|\bnothing (?:on|about)\b"
    r"|\black of\b|\bshould (?:also )?(?:include|cover|mention)\b|\bnot (?:in|covered in) (?:here|there|it|the (?:strategy|draft|document))\b"
    r"|\bforgot(?:ten)?\b|\boverlooked\b|\bgaps? in\b|\bwhere is\b|\bno reference to\b",
    flags=re.IGNORECASE,
)
#: Columns of :func:`missing_comments` and :func:`missing_summary`.
MISSING_COLUMNS = ["comment_id", "theme_id", "theme", "found_by", "question", "text", "session_name", "strand", "source_kind"]
MISSING_SUMMARY_COLUMNS = ["theme_id", "theme", "comments", "by_question", "by_cue", "key_phrases"]


def missing_comments(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The comments that say something is missing or needs more focus, with how each was found.

    Returns
    -------
    DataFrame
        ``MISSING_COLUMNS``; ``found_by`` is ``question`` (the question asks what is missing; it wins)
        or ``cue: <the words>``. ``theme_id`` is the main theme (``uncoded`` when none).
    """
    question = coded["question"].astype("string").fillna("")
    text = coded["text"].astype("string").fillna("")
    by_question = question.str.contains(MISSING_QUESTION).to_numpy(dtype=bool)
    cue = text.map(lambda t: (m.group(0).lower() if (m := MISSING_CUES.search(t)) else "")).to_numpy()
    keep = by_question | (cue != "")
    rows = coded[keep]
    theme = rows["primary_theme"].astype("string").fillna(UNCODED).replace("", UNCODED)
    found = ["question" if q else f"cue: {c}" for q, c in zip(by_question[keep], cue[keep], strict=True)]
    return pd.DataFrame(
        {
            "comment_id": rows["comment_id"].astype(str).to_numpy(),
            "theme_id": theme.to_numpy(),
            "theme": theme.map(codebook.name_of).to_numpy(),
            "found_by": found,
            "question": rows["question"].to_numpy(),
            "text": rows["text"].to_numpy(),
            "session_name": rows["session_name"].to_numpy(),
            "strand": rows["strand"].to_numpy(),
            "source_kind": rows["source_kind"].to_numpy(),
        },
        columns=MISSING_COLUMNS,
    )


def missing_summary(missing: pd.DataFrame, *, phrases: int = 3) -> pd.DataFrame:
    """What is missing, by theme: comments, how they were found, and their distinguishing phrases.

    Returns
    -------
    DataFrame
        ``MISSING_SUMMARY_COLUMNS``, most comments first (uncoded last); ``key_phrases``
        is ``; ``-separated.
    """
    if missing.empty:
        return pd.DataFrame(columns=MISSING_SUMMARY_COLUMNS)
    found = distinctive_phrases(missing["text"].astype(str).tolist(), missing["theme_id"].tolist(), top=phrases)
    grouped = missing.groupby("theme_id", sort=False)
    table = pd.DataFrame(
        {
            "theme_id": list(grouped.groups),
            "theme": grouped["theme"].first().to_numpy(),
            "comments": grouped.size().to_numpy(),
            "by_question": grouped["found_by"].apply(lambda f: int((f == "question").sum())).to_numpy(),
            "by_cue": grouped["found_by"].apply(lambda f: int((f != "question").sum())).to_numpy(),
            "key_phrases": ["; ".join(found[t]) for t in grouped.groups],
        },
        columns=MISSING_SUMMARY_COLUMNS,
    )
    table["_last"] = table["theme_id"] == UNCODED
    return table.sort_values(["_last", "comments", "theme"], ascending=[True, False, True], kind="stable").drop(columns="_last").reset_index(drop=True)
