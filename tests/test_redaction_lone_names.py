"""A red-team of the redaction with council feedback-register comments (parks, youth, funding, partnership): first
names alone in running text, network addresses, card and ID numbers, odd postcodes, disguised emails, profile
links and dates of birth in words, each planted in a realistic comment; and ordinary comments full of capitalised
words (places, organisations, months, "Will this work?") that must come out unchanged.

Every detail is invented (Ofcom's drama range 07700 900xxx, HMRC's example NI prefix QQ, the documentation IP
ranges 192.0.2.0/24, 198.51.100.0/24 and 2001:db8::/32, the card industry's test number 4111 1111 1111 1111).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tcs_themes.ingest import ingest
from tcs_themes.ingest.redaction import redact

#: (comment, the planted details that must be gone).
PLANTED = [
    ("Then Sam said the park gates are locked too early in winter.", ["Sam"]),
    ("I spoke to Priya at the desk and she could not say when the funding decision is due.", ["Priya"]),
    ("My neighbour Tomasz helps out with the litter pick every month.", ["Tomasz"]),
    ("If the youth club closes, ask Jo or Dave, they run the Friday session.", ["Jo", "Dave"]),
    ("Many thanks to Bernadette for keeping the community garden going.", ["Bernadette"]),
    ("It was Sam's idea to put benches by the pond.", ["Sam"]),
    ("Kwame told me the grant form was too long for a small group.", ["Kwame"]),
    ("Our support worker Siobhan explained the new partnership rules.", ["Siobhan"]),
    ("According to Hamza, the skate park lights have been off since May.", ["Hamza"]),
    ("We met Aisha at the drop-in and she helped us fill in the funding bid.", ["Aisha"]),
    ("Then Tendai said the youth workers had not been paid.", ["Tendai"]),
    ("I talked to Folasade about the after-school club waiting list.", ["Folasade"]),
    ("Rose said the play area is full of broken glass.", ["Rose"]),
    ("Grace and I have volunteered at the park for ten years.", ["Grace"]),
    ("Mark has always said the council never listens.", ["Mark"]),
    ("Please pass this to Wojciech and Bernadette, they chair the friends group.", ["Wojciech", "Bernadette"]),
    ("The session was led by Olumide and I think it went well.", ["Olumide"]),
    ("I emailed Lucinda twice about the lease and heard nothing back.", ["Lucinda"]),
    ("I work with Magdalena on the food bank rota and we need a bigger hall.", ["Magdalena"]),
    ("The form logged my IP as 192.0.2.44 which I did not agree to share.", ["192.0.2.44"]),
    ("Our router is 198.51.100.7 and the hub wifi keeps dropping.", ["198.51.100.7"]),
    ("Error page showed 2001:db8:85a3::8a2e:370:7334 when I submitted.", ["2001:db8:85a3::8a2e:370:7334"]),
    ("I live at OX 4 2XX right next to the recreation ground.", ["OX 4 2XX", "2XX"]),
    ("postcode ox4 2xx, the path floods every winter", ["ox4 2xx"]),
    ("Our postcode is BS1-4DJ and the bins are never emptied.", ["BS1-4DJ"]),
    ("NI number QQ 12 34 56 C for the volunteer expenses claim.", ["QQ 12 34 56 C", "12 34 56"]),
    ("The hall hire was charged to my card 4111 1111 1111 1111 twice.", ["4111 1111 1111 1111", "1111"]),
    ("Refund to card number 5500-0000-0000-0004 please, the event was cancelled.", ["5500-0000-0000-0004"]),
    ("Contact me on jo dot bloggs at gmail dot com about the allotments.", ["bloggs", "gmail"]),
    ("Youth forum rep, email jo[at]example.org for the minutes.", ["jo[at]example.org"]),
    ("Photos of the clean-up are on facebook.com/jo.bloggs.77 if you want them.", ["jo.bloggs"]),
    ("I was born on the third of March 1984 and have used this park all my life.", ["third of March 1984", "1984"]),
    ("Born 3rd March 1984, I remember when the lido was open.", ["3rd March 1984"]),
    ("My date of birth is 12 June, so the age limit for the scheme matters to me.", ["12 June"]),
    ("Passport number 123456789 was asked for at the youth club sign-up, why?", ["123456789"]),
    ("They photocopied my driving licence BLOGG802153J99AB for the minibus.", ["BLOGG802153J99AB"]),
    ("My phone's MAC address 00:1A:2B:3C:4D:5E was on the hub's guest log.", ["00:1A:2B:3C:4D:5E"]),
    ("Barton is fine but Easton said no. Ring Precious on 07700 900418.", ["Precious", "07700 900418"]),
    ("I asked Ifeoma whether the partnership money would reach the estate.", ["Ifeoma"]),
    ("Me and Kayleigh run the toddler group and the heating is broken.", ["Kayleigh"]),
    ("My son Liam and his friend Oskar use the MUGA every evening.", ["Liam", "Oskar"]),
    ("The café was run by Bogdan's family until the rent went up.", ["Bogdan"]),
    ("Cllr Smith's office never replied about the play area.", ["Smith"]),
    ("Priya runs the youth club on Tuesdays and needs more volunteers.", ["Priya"]),
    ("Priya, who runs the youth club, was brilliant.", ["Priya"]),
    ("Sam from the council never came back about the broken swings.", ["Sam"]),
    ("Shout out to Jasmine at the library for the homework club.", ["Jasmine"]),
    ("then priya said the grant had gone", ["priya"]),
    ("i told bernadette about the fly-tipping by the garages", ["bernadette"]),
    ("When I met Oksana she explained how the partnership fund works.", ["Oksana"]),
    ("The youth worker (Callum) was great with my son.", ["Callum"]),
    ("Callum, the youth worker, was great with my son.", ["Callum"]),
    ("Tendai Baker said the pavilion roof leaks.", ["Tendai", "Baker"]),
    ("Mark Holland said the funding was cut.", ["Mark", "Holland"]),
    ("More benches by the pond please.\nCheers - Gareth", ["Gareth"]),
    ("THEN SAM SAID THE YOUTH CLUB WAS SHUT", ["SAM"]),
    ("I SPOKE TO PRIYA AT THE DESK ABOUT THE GRANT", ["PRIYA"]),
    ("Thanks Bernadette for sorting the hall booking.", ["Bernadette"]),
    ("Message me on wa.me/447700900418 about the litter pick.", ["447700900418"]),
    ("The form recorded ip address 203.0.113.009 against my name.", ["203.0.113.009"]),
    ("The meeting moved to Priya's house when the hall flooded.", ["Priya"]),
    ("I only kept going due to Kirsty's support at the youth club.", ["Kirsty"]),
]

#: Ordinary comments with capitalised words of every kind: places, organisations, months, strategies, titles.
ORDINARY = [
    "Will this work? The Green Party said the same last year.",
    "St Paul's and St Mary's both run holiday clubs in August.",
    "Park Run at Florence Park is the best thing on a Saturday morning.",
    "Rose Hill, Barton and Blackbird Leys need more youth provision.",
    "Easton and Lawrence Hill lost their play rangers in March.",
    "The Bristol Youth Strategy promised a new skate park by June.",
    "Hope Community Church lets us use its hall for free.",
    "May half term is when the parks are busiest.",
    "Grace Church and the Salvation Army run the food bank.",
    "The Friends of Cutteslowe Park meet on the first Monday.",
    "I live in Barton and the buses to Headington are rubbish.",
    "Funding from the National Lottery Community Fund ends in April.",
    "Sustrans said the cycle route would be finished by the summer.",
    "The Oxford City Council parks team did a great job at Christmas.",
    "Our Big Local partnership covers Clifton and Hartcliffe.",
    "Victoria Park needs toilets and a water fountain.",
    "Jordan Hill Business Park is not a place for children to play.",
    "Age UK and Mencap both lost their grants this year.",
    "Thanks to the Youth Service for the summer programme.",
    "The Bill for the new pavilion came to more than expected.",
    "Summer holidays are too long without a holiday club.",
    "Mark my words, the pond will flood again.",
    "We went to Kingston for the day because our park was closed.",
    "The Easter egg hunt in South Park was brilliant.",
    "Barton's youth club has been shut since the fire.",
    "Sydney Gardens and Victoria Park in Bath are well looked after.",
    "The Marston Road allotments need a new water tank.",
    "I'm a member of Friends of the Earth and the Wildlife Trust.",
    "Lloyds Bank sponsored the football tournament in July.",
    "Ofsted said the youth centre was good, and Mencap agreed.",
    "The Mayor's office never replied.",
    "In the Easton area the bins are a problem.",
    "The grant from Barton Community Association was spent on kit.",
    "Faith groups, Green Space Forum and the Youth Parliament all agreed.",
    "Joy, at last the lights in Rose Hill park are working!",
    "Our Sure Start centre closed in 2019.",
    "Brook Street and Green Lane need speed bumps.",
    "We asked the Council and the Police but nobody came.",
    "The Premier League Kicks session on Friday is always full.",
    "Will the Parks Strategy cover Florence Park and Cowley Marsh?",
    "Section 1.2.3.4 of the plan says version 2.0.1.3 replaces it.",
    "Call the council, or see the parks page at www.example.gov.uk/parks.",
    "Meet at 10:30 on 12/03/2024 by the Lido gates.",
    "The survey ran from 3 March to 14 April 2024.",
    "Paris at the weekend was busy, but our park was empty.",
    "The occupational therapist (Byron House) put Mum at ease.",
    "Agreement was measured with Cohen's kappa, as NVivo writes it.",
    "The kiosk's test page said tcp://127.0.0.1:8786 and nothing else.",
    "Jasmine tea at the café is nice, and the Rose Garden is lovely in June.",
    "Families in Victoria's parks want more bins.",
    "PLEASE GIVE ME 3 2ND HAND BIKES FOR THE YOUTH CLUB",
]


@pytest.mark.parametrize(("text", "details"), PLANTED)
def test_every_planted_detail_is_gone(text: str, details: list[str]) -> None:
    redacted, count = redact(text)
    assert count >= 1
    for detail in details:
        assert detail not in redacted, redacted


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_comments_are_unchanged(text: str) -> None:
    assert redact(text) == (text, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Then Sam said it was fine", "Then [NAME] said it was fine"),
        ("ask Jo or Dave", "ask [NAME] or [NAME]"),
        ("Sam's idea", "[NAME] idea"),
        ("My IP is 192.0.2.44, the hub's is fe80::1ff:fe23:4567:890a", "My IP is [IP], the hub's is [IP]"),
        ("card 4111-1111-1111-1111 and NI QQ 12 34 56 C", "card [CARD] and NI [NI]"),
        ("born 3 Mar 84; DOB: 12 June", "born [DOB]; DOB: [DOB]"),
        ("passport no. AB1234567", "passport no. [ID]"),
    ],
)
def test_placeholders_of_the_new_kinds(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


def test_a_name_alone_in_german_text_is_left_to_the_english_gate() -> None:
    text = "Mehr Bäume im Park bitte, wir haben mit Bernadette gesprochen."
    assert redact(text) == (text, 0)


def test_names_of_things_and_email_text_are_redacted_at_ingest(tmp_path: Path) -> None:
    """A real workbook and a real .eml through ingest: file, sheet and header names, and the email's text."""
    from openpyxl import Workbook

    folder = tmp_path / "in"
    folder.mkdir()
    book = Workbook()
    sheet = book.active
    sheet.title = "Sam's session 192.0.2.4"
    sheet.append(["Comment", "Notes by Priya 07700 900418"])
    sheet.append(["The park needs lights. Then Sam said the council knows.", "x"])
    book.save(folder / "notes OX 4 2XX.xlsx")
    (folder / "feedback from Bernadette.eml").write_text(
        'From: "Priya Shah" <priya.shah@example.org>\nTo: "Jo Bloggs" <jo@example.org>\n'
        "Subject: Park feedback from Tendai Moyo 07700 900418\nDate: Mon, 07 Dec 2026 10:00:00 +0000\n"
        "Message-ID: <abc@example.org>\nContent-Type: text/plain; charset=utf-8\n\n"
        "The skate park lights are off. I spoke to Wojciech at the desk.\nCard 4111 1111 1111 1111 was charged.\n",
        encoding="utf-8",
    )
    result = ingest([folder])
    written = result.comments.astype(str).to_csv() + result.log.astype(str).to_csv()
    for detail in ("Sam", "Priya", "Bernadette", "Wojciech", "192.0.2.4", "2XX", "900418", "4111", "Tendai"):
        assert detail not in written
    assert len(result.comments) == 2
