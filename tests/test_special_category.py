"""Special-category details (health, religion, a named family member...) are found and never quoted unapproved."""

import pandas as pd
import pytest
from _outputs_fixtures import make_codebook, make_coded

from tcs_themes.analysis.quotes import ALL_DISCUSSIONS, quotes_by_scope, select_quotes
from tcs_themes.analysis.special_category import special_categories, special_category_table

# invented examples, one per category, each about an identifiable person
DISCLOSURES = {
    "health": "My husband was diagnosed with dementia and the plain English version would help him follow it.",
    "disability": "She is a wheelchair user and the jargon in this strategy means nothing to her carers.",
    "religion": "I was abused at the bus stop because I wear a hijab, and the strategy should say plainly what it will do.",
    "ethnicity": "As a Somali mum I found the wording of the strategy full of jargon and hard to follow.",
    "sexuality": "My son is gay and the strategy's jargon never mentions young people like him at all.",
    "criminal": "My brother was arrested last year and the plain language version never reached our family.",
    "family": "My sister Aisha read the strategy and said the jargon and acronyms put her off completely.",
}
# the same subjects, said about no one in particular: not flagged
GENERAL = [
    "We need more mental health services for young people in the strategy.",
    "I think the church halls and mosques could host the sessions.",
    "The strategy should tackle racism and support disabled residents across the city.",
    "I agree that crime and anti-social behaviour need more focus.",
]


@pytest.mark.parametrize("category", sorted(DISCLOSURES))
def test_each_category_is_found(category: str) -> None:
    found = special_categories([DISCLOSURES[category]])[0]
    assert category in found and all(found[category])


def test_general_mentions_are_not_flagged() -> None:
    assert special_categories(GENERAL) == [{}] * len(GENERAL)


def test_non_text_is_not_flagged() -> None:
    assert special_categories([None, float("nan"), ""]) == [{}, {}, {}]


@pytest.fixture(scope="module")
def with_disclosures():
    codebook = make_codebook()
    coded = make_coded(codebook)
    template = coded[coded["themes"].str.startswith("clarity")].iloc[0]
    extra = pd.DataFrame([template] * len(DISCLOSURES)).reset_index(drop=True)
    extra["comment_id"] = [f"cabc00000000{i}" for i in range(len(DISCLOSURES))]
    extra["text"] = list(DISCLOSURES.values())
    extra["primary_theme"] = "clarity"
    extra["themes"] = "clarity"
    extra["sources"] = "both"
    extra["redactions"] = 0
    return pd.concat([coded, extra], ignore_index=True), codebook, extra


def test_disclosures_are_listed_for_review_and_never_quoted(with_disclosures) -> None:
    coded, codebook, extra = with_disclosures
    review = special_category_table(coded, approved=[extra["comment_id"].iloc[0]])
    assert set(extra["comment_id"]) <= set(review["comment_id"])
    assert review.set_index("comment_id").loc[extra["comment_id"].iloc[0], "approved"]
    quotes = quotes_by_scope(coded, codebook, n=10)
    assert not quotes["comment_id"].isin(extra["comment_id"]).any()


def test_approved_pinned_and_banned_quotes(with_disclosures) -> None:
    coded, codebook, extra = with_disclosures
    approved = extra["comment_id"].iloc[0]
    quotes = select_quotes(coded, codebook, theme="clarity", n=3, approved=[approved], pinned=[approved])
    assert quotes["comment_id"].iloc[0] == approved
    first = select_quotes(coded, codebook, theme="clarity", n=3)
    banned = select_quotes(coded, codebook, theme="clarity", n=3, banned=[first["comment_id"].iloc[0]])
    assert first["comment_id"].iloc[0] not in set(banned["comment_id"])


def test_each_comment_is_quoted_once_per_scope_when_others_fit() -> None:
    codebook = make_codebook()
    coded = make_coded(codebook)
    quotes = quotes_by_scope(coded, codebook, n=2)
    repeats = 0
    for name, scope in quotes.groupby("scope"):
        strand = None if name == ALL_DISCUSSIONS else name
        for comment_id, rows in scope[scope["comment_id"].duplicated(keep=False)].groupby("comment_id"):
            repeats += 1
            # a repeat only where one of its themes had no candidate that was not quoted already
            alternatives = [select_quotes(coded, codebook, theme=t, strand=strand, n=50)["comment_id"] for t in rows["theme_id"]]
            assert any(a.isin(scope["comment_id"]).all() for a in alternatives), comment_id
    assert repeats < len(quotes) / 5


def test_a_4ps_reason_that_discloses_is_not_shown(tmp_path) -> None:
    from _outputs_fixtures import write_exercises
    from openpyxl import load_workbook

    from tcs_themes.analysis.counts import count_all
    from tcs_themes.ingest.exercises import load_exercises
    from tcs_themes.outputs.report import build_report, render_html

    path = write_exercises(tmp_path / "4ps.xlsx")
    book = load_workbook(path)
    book["Statements"].append(["Eid celebration", "Place", "Parks and play areas are safe and clean", 2, DISCLOSURES["disability"] + "\nMore benches"])
    book.save(path)
    codebook = make_codebook()
    coded = make_coded(codebook)
    report = build_report(coded, codebook, count_all(coded, codebook), quotes_by_scope(coded, codebook), {}, exercises=load_exercises(path))
    html = render_html(report)
    assert "wheelchair user" not in html and "More benches" in html
    assert "1 written reason containing personal details is not shown." in html
    # the workbook's 4Ps sheet holds it back the same way, and says so in the cell
    from tcs_themes.outputs.published import statements_table

    reasons = statements_table(load_exercises(path)).set_index("Statement").loc["Parks and play areas are safe and clean", "Reasons"]
    assert "wheelchair user" not in reasons and "More benches" in reasons and "(1 held back: personal details)" in reasons


@pytest.mark.parametrize(
    "text, term",
    [
        ("My daughter goes to madrassa after school and the bus back is always late.", "madrassa"),
        ("I read the Quran with my grandson every evening, so the library's late opening helps me.", "quran"),
        ("My husband is the imam at the centre and he says the hall is too small.", "imam"),
        ("I keep the sabbath, so Saturday sessions shut me out of the consultation.", "sabbath"),
    ],
)
def test_religious_practice_named_about_a_person_is_found(text: str, term: str) -> None:
    assert term in [word.lower() for word in special_categories([text])[0].get("religion", [])]


def test_religious_words_in_general_talk_are_not_flagged() -> None:
    general = ["Work with the imams and vicars on the youth plan.", "The Eid event in the park was great for families."]
    assert special_categories(general) == [{}, {}]
