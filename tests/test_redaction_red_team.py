"""Layouts a resident (or an attacker planting details) may use, found by a red-team of the redaction, and the
ordinary text next to them that must stay.

Every number, name and address is invented (Ofcom's drama range 07700 900xxx; HMRC's example NI prefix QQ; the
NHS number 943 476 5919 is the NHS's published test number). The names come from no given-name list
(Faker's), so only their context can find them.
"""

from __future__ import annotations

import pytest

from tcs_themes.ingest.english_words import is_everyday_word
from tcs_themes.ingest.name_lists import faker_given_names
from tcs_themes.ingest.redaction import PLACEHOLDERS, redact, redact_label

UNLISTED = ["Tendai", "Moyo", "Oyelaran", "Folasade", "Ogunleye", "Nwachukwu", "Obiora", "Tariro", "Mutasa"]


def test_the_names_used_here_are_in_no_list() -> None:
    assert not any(name in faker_given_names() or is_everyday_word(name) for name in UNLISTED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # addresses: a flat or unit with its building or street, a house name, lower case after "live at"
        ("I live at Flat 3, 12 Mill Lane and it floods.", "I live at [ADDRESS] and it floods."),
        ("My address is flat 3b Rowan Court, near the shops.", "My address is [ADDRESS], near the shops."),
        ("Apartment 12, Kestrel House, the lift is broken.", "[ADDRESS], the lift is broken."),
        ("Unit 4, Marsh Industrial Estate is our workshop.", "[ADDRESS] is our workshop."),
        ("we are in flat 7 above the shop", "we are in [ADDRESS] above the shop"),
        ("at 17 Meadow Crescent, 31 Beech Way, 3 Stable Mews and 9 Church Rise", "at [ADDRESS], [ADDRESS], [ADDRESS] and [ADDRESS]"),
        ("I live at 12 mill lane and the drains smell", "I live at [ADDRESS] and the drains smell"),
        ("we moved to twelve Mill Lane", "we moved to [ADDRESS]"),
        ("I live at Rose Cottage, Mill Lane", "I live at [ADDRESS], Mill Lane"),
        ("We live at OX4-2XX", "We live at [POSTCODE]"),
        # phones: one digit a group, a two-digit first group, (0), a lone 0, O for zero, dashes, words
        ("Ring 0 7 7 0 0 9 0 0 4 1 8 please", "Ring [PHONE] please"),
        ("Ring 0-7-7-0-0 9-0-0-4-1-8 please", "Ring [PHONE] please"),
        ("Ring 07 700 900 418 or 077 00 90 04 18", "Ring [PHONE] or [PHONE]"),
        ("Ring (0)7700 900418 or 0 7700 900418", "Ring [PHONE] or [PHONE]"),
        ("my number is 07700 9OO418", "my number is [PHONE]"),
        ("Ring 07700\u2013900418 or 07700\u2009900418", "Ring [PHONE] or [PHONE]"),
        ("Call me on 0770090041 8", "Call me on [PHONE]"),
        ("mobile: 7700 900418", "mobile: [PHONE]"),
        ("Ring oh seven seven double oh nine double oh four one eight", "Ring [PHONE]"),
        ("Ring zero seven seven zero zero, nine zero zero, four one eight.", "Ring [PHONE]."),
        ("Ring 07700 nine oh oh four one eight", "Ring [PHONE]"),
        # dates of birth, NHS, NI, bank, number plates
        ("My DOB 12/03/1980 and I'm disabled", "My DOB [DOB] and I'm disabled"),
        ("born on the 3rd of March 1980, date of birth: 03.03.1980", "born on the [DOB], date of birth: [DOB]"),
        ("DOB 1980-03-12; I was born in 1948", "DOB [DOB]; I was born in [DOB]"),
        ("NHS number 943 476 5919", "NHS number [NHS]"),
        ("NHS no 9434765919, hospital letter re 943-476-5919", "NHS no [NHS], hospital letter re [NHS]"),
        ("my number is 943 476 5919 at the GP", "my number is [NHS] at the GP"),
        ("NI Q Q 1 2 3 4 5 6 C", "NI [NI]"),
        ("sort code 12-34-56 account 12345678", "sort code [BANK] account [BANK]"),
        ("paid from 40-47-84 31926819 or GB29 NWBK 6016 1331 9268 19", "paid from [BANK] or [BANK]"),
        ("my car AB12 CDE was towed; reg ab12cde", "my car [VEHICLE] was towed; reg [VEHICLE]"),
        ("number plate A123 BCD", "number plate [VEHICLE]"),
        # emails in disguise
        ("email jo{at}example.org or jo [@] example.org", "email [EMAIL] or [EMAIL]"),
        ("email jo\uff20example.org please", "email [EMAIL] please"),
        ("email tendai at example.org please", "email [EMAIL] please"),
        ("mail jo.bloggs @ gmail . com", "mail [EMAIL]"),
        # handles and profiles
        ("follow me @tendai_moyo77 on twitter", "follow me [HANDLE] on twitter"),
        ("tweet @TendaiMoyo", "tweet [HANDLE]"),
        ("my instagram is @tariromutasa", "my instagram is [HANDLE]"),
        ("see facebook.com/tendai.moyo and https://www.instagram.com/tariro_m/ for photos",
         "see [HANDLE] and [HANDLE] for photos"),
        # names nobody listed, announced by their context
        ("I'm Tendai and the buses are late", "I'm [NAME] and the buses are late"),
        ("Hi, this is Tendai speaking", "Hi, this is [NAME] speaking"),
        ("my son Tendai and my daughter, Tariro, go there", "my son [NAME] and my daughter, [NAME], go there"),
        ("carer Oyelaran visits daily; her carer Folasade too", "carer [NAME] visits daily; her carer [NAME] too"),
        ("Please fix the lights. Love from Nwachukwu Obiora", "Please fix the lights. Love from [NAME]"),
        ("Send it c/o Tendai Moyo, 4 Elm Close", "Send it c/o [NAME], [ADDRESS]"),
        ("Surname: Moyo\nSpeaker: Tariro Mutasa", "Surname: [NAME]\nSpeaker: [NAME]"),
        ("Name - Tendai Moyo", "Name - [NAME]"),
        ("Ta, Tendai", "Ta, [NAME]"),
        ("Regards\nT. Moyo (Mrs)", "Regards\n[NAME] (Mrs)"),
        ("Folasade Ogunleye from the tenants group said repairs are slow.", "[NAME] from the tenants group said repairs are slow."),
        ("The buses are late.\nTendai Moyo", "The buses are late.\n[NAME]"),
        ("The buses are late.\nTendai", "The buses are late.\n[NAME]"),
        ("Great day! Tariro x", "Great day! [NAME] x"),
        ("The play area is broken.\n\n--\nFolasade Ogunleye\nChair, Barton Residents Association\nMob: 0 7700 900 325",
         "The play area is broken.\n\n--\n[NAME]\nChair, Barton Residents Association\nMob: [PHONE]"),
        ("I AM TENDAI MOYO AND I AM ANGRY", "I AM [NAME] AND I AM ANGRY"),
        ("my name is tendai moyo and name: tariro", "my name is [NAME] and name: [NAME]"),
        ("I spoke to mrs moyo and cllr mutasa", "I spoke to mrs [NAME] and cllr [NAME]"),
        ("Nurse Jenna was lovely and Sister Tendai too", "Nurse [NAME] was lovely and Sister [NAME] too"),
        ("the receptionist, Tariro, was rude", "the receptionist, [NAME], was rude"),
        ("We live at 12 Mill La and 12 Orchard Vale", "We live at [ADDRESS] and [ADDRESS]"),
        # test data made with Faker's en_GB provider: its street words, flats, towns, phone codes and NI numbers
        ("I live at 743 Elliott Burgs and Studio 57\nSlater Rest", "I live at [ADDRESS] and [ADDRESS]"),
        ("write to me at Flat 0\nFrancesca Plains\nSouth Joyceborough\nSR08 7UX", "write to me at [ADDRESS]\n[POSTCODE]"),
        ("12 Acacia Avenue, Headington, Oxford, OX3 9ZZ", "[ADDRESS], [POSTCODE]"),
        ("Call me on (0909) 8790836 or (0808) 157 0288", "Call me on [PHONE] or [PHONE]"),
        ("My NI number is ZZ631706T.", "My NI number is [NI]."),
        ("My car reg is SR79 ELT, the van BX78ILL; account NWBK60161331926819", "My car reg is [VEHICLE], the van [VEHICLE]; account [BANK]"),
        ("Find me @kieranlewis or @wbarrett", "Find me [HANDLE] or [HANDLE]"),
        ("My name is Kristie May. Ms Kirsty Wood and Dr Gavin King agreed", "My name is [NAME]. Ms [NAME] and Dr [NAME] agreed"),
        ("Stephanie Wood said so.\nAlexander Marsh", "[NAME] said so.\n[NAME]"),
        ("Call Tendai on 07700 900418 or Sarah: jo@example.org", "Call [NAME] on [PHONE] or [NAME]: [EMAIL]"),
        ("Contact me - Tendai (07700 900418)", "Contact me - [NAME] ([PHONE])"),
        ("Ring Reception on 01865 000 000 or the Council on 0300 000 0000",
         "Ring Reception on [PHONE] or the Council on [PHONE]"),
    ],
)
def test_red_team_layouts_are_redacted(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The meeting is at 7.30pm on 12.03.2024, 10 people came.",
        "Open 09.00 - 17.00 09.00 - 13.00 weekends",
        "Between 0 and 10, I would give 0 1 2 3 4 5 6 7 8 9 10",
        "Rated 0 5 5 0 0 4 3 2 1 0 7 by users",
        "Scores: 01 02 03 04 05 06",
        "In 2019 2020 2021 2022 2023 there were 0 5 complaints",
        "I paid \u00a30.50 0.75 1.20 0.99 0.80 each",
        "Ward 4 and Unit 7 were fine, bay 3 bed 12",
        "PM10 AND NO2 LEVELS ARE HIGH",
        "one two three four five six seven eight nine ten",
        "@Notes from the session; contact @council or @OxfordCityCouncil, meet @10am",
        "Barton needs buses.\nBarton",
        "Great stuff.\nNotes",
        "Received treatment.\nMeds.",
        "The buses are late.\nBlackbird Leys",
        "The buses are late.\nMany Thanks",
        "Greetings from Blackbird Leys and from Barton",
        "I'm Tired and Angry. I am British. I'm Disabled and use a wheelchair.",
        "Hi, this is Barton's problem",
        "Participant: P12 said yes",
        "The Covid Vaccine centre was good.",
        "I was born and bred here; my birthday party was in the hall",
        "my account was closed and the unit was 4 miles away",
        "Room 0.12, ward 7B, the NHS 111 line and 999",
        "Nurse Practitioner was lovely, Sister Ward was clean, the nurse Hope was kind",
        "I will miss everyone. Dr said it was fine. Our 2 Bank Holidays were awful",
        "took the 4 Bus Route; In 2020 Covid Lockdown Spring; Year 6 Summer Camp; page 4 Key Points; Level 2 Car Park",
        "Rose Hill and Florence Park; the Lynn Jarrett Ward; Jordan Hill Business Park",
    ],
)
def test_ordinary_text_beside_them_is_left_alone(text: str) -> None:
    assert redact(text) == (text, 0)


def test_every_new_detail_counts_once() -> None:
    text = "Flat 3, 12 Mill Lane; DOB 12/03/1980; NHS 943 476 5919; sort code 12-34-56; AB12 CDE; @jo_b77"
    redacted, count = redact(text)
    assert count == 6
    assert all(placeholder in PLACEHOLDERS for placeholder in ("[DOB]", "[NHS]", "[BANK]", "[VEHICLE]", "[HANDLE]"))
    assert redact(redacted) == (redacted, 0)  # redacting twice changes nothing


def test_unlisted_names_in_the_names_of_things() -> None:
    """In a file or sheet name, two words together that no word list has are a name, in any one case."""
    assert redact_label("notes_tendai_moyo.xlsx") == "notes_[NAME].xlsx"
    assert redact_label("TENDAI_MOYO.csv") == "[NAME].csv"
    assert redact_label("tcs_2022_notes.xlsx") == "tcs_2022_notes.xlsx"
    assert redact_label("09_resident-barton.eml") == "09_resident-barton.eml"


def test_handles_stay_in_the_names_of_things() -> None:
    """Handles are taken in comment text only; in a file or sheet name "@" is an ordinary character."""
    assert redact_label("@Notes 2022.xlsx") == "@Notes 2022.xlsx"


def test_a_media_type_in_a_log_line_is_no_name() -> None:
    line = "attachment 1 (.docx, application/vnd.openxmlformats-officedocument.wordprocessingml.document, 36 KB)"
    assert redact(line, label=True) == (line, 0)
    assert redact("attachment 1 (tendai moyo.jpg, image/jpeg, 36 KB)", label=True)[0] == (
        "attachment 1 ([NAME].jpg, image/jpeg, 36 KB)"
    )


@pytest.mark.parametrize(
    "text",
    ["Mehr Bäume im Park bitte", "Plus d'arbres dans le Parc Joyeux", "Más árboles en el Parque Grande, por favor"],
)
def test_capitalised_words_of_another_language_are_no_names(text: str) -> None:
    assert redact(text) == (text, 0)


def test_unlisted_names_in_english_are_still_taken() -> None:
    assert redact("Oluwaseun Adeyemi said the park needs benches.")[0] == "[NAME] said the park needs benches."
