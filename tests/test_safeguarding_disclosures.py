"""Safeguarding and other sensitive disclosures are held back from quotes like the special categories.

Disclosures: notes and emails of the kind a consultation gets (several from the
sample consultation, some from the pxtextmining patient comments), each telling
the reader something an analyst would not publish unapproved about someone
identifiable. Near misses: policy talk about the same subjects (most of them the
sample consultation's own comments), which must stay quotable.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tcs_themes.analysis.quotes import quote_candidates
from tcs_themes.analysis.special_category import (
    SENSITIVE,
    SPECIAL,
    category_kinds,
    held_back_note,
    special_categories,
    special_category_table,
)

#: (comment, a sensitive category it must be flagged under)
DISCLOSURES = [
    ('Boy, 13, said he doesn\'t go to the rec any more "because of the older boys". Staff following up.', "child_age"),
    ("Boy, 13, says he was threatened outside school. Staff following up.", "abuse"),
    ('Teenager (16) said she\'d join a youth council if it actually decided something, "not just a photo with the mayor".', "child_age"),
    ('Two boys (about 15) said they only come because their little brothers have to.', "child_age"),
    ("Swiming lessons went up agian. Can't justify it. My 9 year old can't swim and that scares me more than anything.", "child_age"),
    ('Boy aged 6 told staff he wants "a tree to climb that\'s allowed".', "child_age"),
    ("Girl, 15, told the youth worker an older man keeps messaging her and buying her vapes.", "child_age"),
    ("If my 13 yr old has somewhere to go after school that's safe and I don't have to worry - that's what success looks like to me.", "child_age"),
    ("My 12-year-old was bullied all last term and the school did nothing.", "abuse"),
    ("A 14-year-old girl at the drop-in said she is being groomed by lads who give her lifts.", "abuse"),
    ("Her son got drawn into county lines last year and he is still frightened to go out.", "abuse"),
    ("The family at number 12 neglect those kids, they are out till midnight with no coats.", "abuse"),
    ("She disclosed that her stepdad hits her and a safeguarding referral was made.", "abuse"),
    ("My daughter self-harms and CAMHS won't see her for another six months.", "self_harm"),
    ("My brother took his own life two years ago and there was nothing for us afterwards.", "self_harm"),
    ("I still cut myself and want to end things.", "self_harm"),
    ("Mum said she left her husband after years of domestic abuse and is now in a refuge with the kids.", "domestic_abuse"),
    ("My ex has a non-molestation order against him but he still turns up at the school gates.", "domestic_abuse"),
    ("The man at number 4 is dealing drugs from his flat, everyone knows, and the police do nothing.", "crime_allegation"),
    ("My neighbour stole my parcels three times and the housing officer just shrugged.", "crime_allegation"),
    ("He is dealing out of the garages behind the shops every evening.", "crime_allegation"),
    ("I have no recourse to public funds so I can't get help with the rent.", "immigration"),
    ("My visa runs out in March and I am scared to volunteer in case the Home Office finds out.", "immigration"),
    ("Community means us too. When I was in the hostel I didn't feel part of any community.", "homelessness"),
    ("I've been sofa surfing since Christmas, so a library card is the only address I have.", "homelessness"),
    ("My sister was evicted in June and is in temporary accommodation in another town.", "homelessness"),
    ("I was sanctioned for missing one appointment and went six weeks with nothing.", "money"),
    ("My universal credit was stopped and the bailiffs came round the week before Christmas.", "money"),
    ("We are three months behind and I'm in debt to a loan shark.", "money"),
]

#: Policy talk about children, youth, safety, housing and money: quotable.
NEAR_MISSES = [
    "Involve young people properly. Our young leaders (aged 15-19) would be glad to run peer conversations about the strategy on the estates this autumn.",
    "What would success look like for a 14 year old in Barton? If you can't answer that the outcomes aren't concrete enough.",
    "Older ones (14-16) want somewhere in term time too. Summer is six weeks, what about the other 46?",
    "Youth worker noted: group of 10-12 year olds voted on tomorrow's activity with stickers - rounders won, then water fights.",
    "Free swimming for children aged 5 to 11 in the holidays made a real difference on the estate.",
    "Child poverty in my ward is the highest in the city and it shapes everything else.",
    "Small groups need support to manage volunteers well - safeguarding, induction, saying thank you.",
    "The safeguarding board should be a partner in the strategy, not an afterthought.",
    "Red tape stops us - licencing, food hygiene, fire risk assessments, safeguarding policies. Volunteers give up.",
    "Anti-social behaviour is the number one thing raised at my surgeries and it's not in here.",
    "ASB is the no.1 thing our tenants raise. Doesn't appear in the paper at all.",
    "County lines and exploitation are real in some neighbourhoods. Young people tell us they don't feel safe in certain underpasses.",
    "Worried about our teenagers - knife crime, county lines. Parents feel they have nowhere to turn and the police don't listen.",
    "Drug dealing in the alley behind the shops, everyone knows. Kids see it on their way to school. Police know too.",
    "Where are the numbers on homelessness and hidden homelessness - sofa surfers, people in cars? If you don't count us you won't plan for us.",
    "Housing & homelessness strategy is being refreshed at the same time - join them up",
    "I volunteer at the homeless shelter on Tuesdays and we are always short of hands.",
    "Fewer evictions, fewer people in temp accommodation, more people getting the benefits they're entitled to.",
    "Benefits don't cover rent + bills any more. People are choosing between electric and food.",
    "Food banks are community spaces too. People come for a parcel and stay for a cup of tea, advice on debt, a chat.",
    "Arrears up since the spring, energy bills, people choosing between heating and eating.",
    "Many people told us they are worried that volunteering might affect their asylum claim.",
    "Older lady: groups of lads on bikes in the evenings, not doing anything wrong really but she feels intimidated.",
    "Care leavers. The council has corporate parenting duties and accomodation is a big part of that.",
    "Offer from the participation team - a session with the Children in Care Council. They've got lots to say about their neighbourhoods.",
    "I am a social worker and I see every week how far people are from the services that could help.",
    "Domestic abuse services lost their funding last year and the strategy should say who picks that up.",
    "Suicide prevention should be part of this, with the voluntary sector at the table.",
    "Our junior section has about 180 kids, under 7s to under 16s, and the changing rooms have been shut for two seasons.",
    "The park is my refuge after a long shift, please keep the lights on.",
]


def _sensitive(found: dict[str, list[str]]) -> set[str]:
    kinds = category_kinds()
    return {category for category in found if kinds[category] == SENSITIVE}


@pytest.mark.parametrize(("text", "category"), DISCLOSURES, ids=[f"disclosure{i}" for i in range(len(DISCLOSURES))])
def test_disclosures_are_held_back(text: str, category: str) -> None:
    assert category in special_categories([text])[0]


@pytest.mark.parametrize("text", NEAR_MISSES, ids=[f"near_miss{i}" for i in range(len(NEAR_MISSES))])
def test_policy_talk_stays_quotable(text: str) -> None:
    assert not _sensitive(special_categories([text])[0])


def test_enough_of_each() -> None:
    assert len(DISCLOSURES) >= 25 and len(NEAR_MISSES) >= 25
    assert {category for _, category in DISCLOSURES} == {c for c, kind in category_kinds().items() if kind == SENSITIVE}


def test_held_back_from_quotes_unless_approved_and_listed_with_their_kind() -> None:
    texts = [DISCLOSURES[1][0], "My son is autistic and this is the first holiday club that's actually kept him.", NEAR_MISSES[1]]
    coded = pd.DataFrame({"comment_id": ["c1", "c2", "c3"], "text": texts, "redactions": 0})
    assert quote_candidates(coded)["comment_id"].tolist() == ["c3"]
    assert quote_candidates(coded, approved=["c1"])["comment_id"].tolist() == ["c1", "c3"]
    table = special_category_table(coded, approved=["c1"])
    assert table["kinds"].tolist() == [SENSITIVE, SPECIAL]
    assert table["categories"].tolist() == ["abuse; child_age", "disability"]
    assert held_back_note(table) == (
        "2 comments disclose special-category details or safeguarding concerns (1 of them safeguarding or sensitive); "
        "1 approved for quoting"
    )
    assert held_back_note(special_category_table(coded.iloc[2:])) is None
