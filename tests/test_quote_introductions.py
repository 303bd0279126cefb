"""An email's opening self-introduction is cut from a quote when the rest stands alone, else ranked below readable quotes.

The texts are the sample consultation's emails (data/raw/emails) and emails of the same kind.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tcs_themes.analysis.quote_reading import CUT_MARK, opens_with_introduction, reads_badly, without_introduction
from tcs_themes.analysis.quotes import quote_candidates, select_quotes
from tcs_themes.codebook.model import Codebook, Theme

HEAD_TEACHER = (
    "I am head teacher of a primary school serving one of the city's most deprived neighbourhoods. "
    "I was sorry to see schools barely feature in the discussion paper."
)

#: (comment, what a quote of it shows: the comment itself when nothing is cut)
CUTS = [
    (HEAD_TEACHER, CUT_MARK + "I was sorry to see schools barely feature in the discussion paper."),
    (
        "My name is Jo and I have lived here 20 years. Nobody has ever asked me what the estate needs before.",
        CUT_MARK + "Nobody has ever asked me what the estate needs before.",
    ),
    (
        "I am writing as a resident of Barton and chair of the allotment society. Unused council land could be "
        "opened up for community gardens.",
        CUT_MARK + "Unused council land could be opened up for community gardens.",
    ),
    (
        "I'm a mum of two in Rose Hill and I filled in the online form but wanted to add something. The park at the "
        "end of our road is lovely in the daytime but nobody goes there after dark.",
        CUT_MARK + "The park at the end of our road is lovely in the daytime but nobody goes there after dark.",
    ),
    (  # two introductions in a row
        "My name is Sam. I've lived on Wildbrook for 31 years. The community centre opening hours are the main thing "
        "for me.",
        CUT_MARK + "The community centre opening hours are the main thing for me.",
    ),
    (
        "We are a volunteer group of about 40 residents. Green spaces appear under Place as scenery, but for us "
        "they are where community happens.",
        CUT_MARK + "Green spaces appear under Place as scenery, but for us they are where community happens.",
    ),
    # not cut: the rest leans on the introduction, is too short, or there is no rest
    (
        "I run the junior section at Cowley Rovers FC. That is why pitches matter so much to us.",
        "I run the junior section at Cowley Rovers FC. That is why pitches matter so much to us.",
    ),
    ("I am chair of the tenants association. Thanks.", "I am chair of the tenants association. Thanks."),
    (
        "We are a volunteer group of about 40 residents who look after Horseshoe Meadow: litter picks, hedge "
        "planting, bat walks and the summer picnic.",
        "We are a volunteer group of about 40 residents who look after Horseshoe Meadow: litter picks, hedge "
        "planting, bat walks and the summer picnic.",
    ),
    # not an introduction: it makes a point, or speaks of something else
    (
        "I'm a parent and the park needs lights on the path. Nobody goes there after dark.",
        "I'm a parent and the park needs lights on the path. Nobody goes there after dark.",
    ),
    (
        "I am happy for my school to host a conversation with parents in the autumn term.",
        "I am happy for my school to host a conversation with parents in the autumn term.",
    ),
    (
        "We are part of this city too. Sometimes it feels like the strategies are written for other people.",
        "We are part of this city too. Sometimes it feels like the strategies are written for other people.",
    ),
]


@pytest.mark.parametrize(("text", "quoted"), CUTS)
def test_opening_introduction_is_cut_when_the_rest_stands_alone(text: str, quoted: str) -> None:
    assert without_introduction(text) == quoted


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("We are a volunteer group of about 40 residents who look after Horseshoe Meadow: litter picks, hedge planting, bat walks and the summer picnic.", True),
        ("I run the junior section at Cowley Rovers FC (about 180 kids, under 7s to under 16s).", True),
        ("I have lived on the same road in Barton for 31 years.", True),
        ("I run the junior section at Cowley Rovers FC. That is why pitches matter so much to us.", True),
        ("I am a governor at two schools and we should be using school halls in the evenings?", False),
        ("Our society has 140 plots and a waiting list of nearly 300.", False),
        ("I am sorry to see schools barely feature in the discussion paper.", False),
        (CUT_MARK + "I was sorry to see schools barely feature in the discussion paper.", False),
    ],
)
def test_a_comment_that_is_only_an_introduction_reads_badly(text: str, bad: bool) -> None:
    assert opens_with_introduction(text) is bad
    assert bool(reads_badly([text])[0]) is bad


def _coded(texts: list[str]) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "comment_id": [f"c{i}" for i in range(n)], "text": texts, "redactions": 0,
            "themes": "schools", "primary_theme": "schools", "confidence": 0.9, "sources": "rule",
            "session_id": [f"s{i}" for i in range(n)], "message_id": None, "session_name": "", "strand": None,
            "source_kind": "email", "location": [f"e{i}.eml#1" for i in range(n)],
        }
    )  # fmt: skip


def test_candidates_show_the_cut_text_and_count_its_words_but_are_checked_whole() -> None:
    disclosing = "I am a disabled resident of Barton. The buses stop running at seven, so the centre is out of reach."
    coded = _coded([HEAD_TEACHER, disclosing, "Schools should be community anchors, open in the evenings for everyone."])
    candidates = quote_candidates(coded)
    assert candidates["comment_id"].tolist() == ["c0", "c2"]  # the cut would hide the disability: still held back
    assert candidates["text"].iloc[0] == CUT_MARK + "I was sorry to see schools barely feature in the discussion paper."
    assert candidates["words"].tolist() == [12, 11]
    assert quote_candidates(coded, approved=["c1"])["text"].iloc[1].startswith(CUT_MARK + "The buses")


def test_an_uncut_introduction_is_quoted_only_when_nothing_else_is_on_the_theme() -> None:
    codebook = Codebook(name="t", themes=[Theme(id="schools", name="Schools")])
    intro = "I run the junior section at Cowley Rovers FC, about 180 kids from under 7s to under 16s."
    plain = "Schools should be community anchors, open in the evenings for everyone."
    assert select_quotes(_coded([intro, plain]), codebook, n=1)["comment_id"].tolist() == ["c1"]
    assert select_quotes(_coded([intro, plain]), codebook, n=2)["comment_id"].tolist() == ["c1"]
    assert select_quotes(_coded([intro]), codebook, n=1)["comment_id"].tolist() == ["c0"]
