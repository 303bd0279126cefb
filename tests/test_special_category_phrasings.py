"""Special-category disclosures in more of the ways people write them are found, and never quoted unapproved.

Every sentence is invented; each tells the reader about the writer or someone close.
"""

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded

from tcs_themes.analysis.quotes import quotes_by_scope
from tcs_themes.analysis.special_category import special_categories

PHRASINGS = [
    "As someone living with MS, the plain English summary was the only part I could follow.",
    "Living with multiple sclerosis makes the jargon in the strategy exhausting to read.",
    "I have epilepsy and the flashing slides at the consultation event were a problem.",
    "As a lesbian couple we felt the strategy's wording was written for someone else.",
    "We're a Muslim family and the acronyms in the strategy meant nothing to us.",
    "I had a breakdown last year and the strategy document was too long to follow.",
    "I've been sober for three years and the plain language version helped me take part.",
    "I'm on antidepressants and long documents full of jargon are hard for me.",
    "I had chemo last year and could not get to the consultation events.",
    "We are an Orthodox Jewish family and the events clashed with the Sabbath.",
    "my husband has Parkinson's and the strategy's jargon was too much for him",
    "I was sectioned last year and nobody explained the strategy in plain words",
    "I have ME/CFS and can't read long documents full of acronyms",
    "I've got COPD so the plain English version was the only one I managed",
    "I'm registered blind and the strategy was not in an accessible format",
    "When my partner was ill the community centre was the only help we had.",
    "Since I fell ill I have not been able to get to the park.",
    "My dad has been unwell for months and the buses do not stop near us.",
    "I was signed off sick and nobody told me about the consultation.",
]
#: Ordinary sentences near the new cues: not disclosures.
ORDINARY = [
    "Buildings are a burden as well as an asset, and the church hall heating costs more than we take.",
    "I run the junior section at the football club and the strategy should mention volunteers.",
    "I think the breakdown of costs in the strategy is hard to follow.",
    "As a council we should write the strategy in plain English.",
    "I think the plan is ill-conceived and the meeting was poorly attended.",
    "We need more support for people who are unwell.",
    "I am sick of the potholes on the way to the park.",
]


@pytest.mark.parametrize("text", PHRASINGS)
def test_each_phrasing_is_found(text: str) -> None:
    assert special_categories([text])[0]


def test_ordinary_sentences_near_the_cues_are_not_flagged() -> None:
    assert special_categories(ORDINARY) == [{}] * len(ORDINARY)


def test_no_phrasing_is_quoted_unapproved() -> None:
    codebook = make_codebook()
    coded = make_coded(codebook)
    template = coded[coded["themes"].str.startswith("clarity")].iloc[0]
    extra = pd.DataFrame([template] * len(PHRASINGS)).reset_index(drop=True)
    extra["comment_id"] = [f"cdef0000000{i:02d}" for i in range(len(PHRASINGS))]
    extra["text"] = PHRASINGS
    extra[["primary_theme", "themes", "sources", "redactions"]] = ["clarity", "clarity", "both", 0]
    quotes = quotes_by_scope(pd.concat([coded, extra], ignore_index=True), codebook, n=10)
    assert len(quotes) and not quotes["comment_id"].isin(extra["comment_id"]).any()
