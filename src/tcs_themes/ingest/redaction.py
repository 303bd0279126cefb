"""Redact personal details from text: emails, phones, NI and NHS numbers, postcodes, addresses, names and more.

Each detail is replaced by a placeholder (``[EMAIL]``, ``[PHONE]``, ``[NI]``,
``[NHS]``, ``[POSTCODE]``, ``[ADDRESS]``, ``[DOB]``, ``[BANK]``, ``[VEHICLE]``,
``[HANDLE]``, ``[IP]``, ``[CARD]``, ``[ID]``, ``[NAME]``) and counted, so the comments table
can record how many redactions each comment had. Control characters go too
(vertical tab and form feed become line breaks): no output can show them, xlsx
and docx cannot hold them, and in a file name they can drive a terminal. :func:`redact` is applied to
the comment text and every other cell that reaches an output; :func:`redact_label`
to the names of things (files, sheets, sessions, questions, attachments).

Every pattern is a flat regular expression (no quantified group holds another
quantifier) with bounded repeats, and phone numbers are checked digit group by
digit group in Python, so redaction takes time linear in the length of the text.
See ``docs/ingest.md`` for what is recognised and the known limits.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable

from tcs_themes.ingest.english_words import is_everyday_word
from tcs_themes.ingest.person_names import name_spans, sender_words

EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
NI_NUMBER = "[NI]"
POSTCODE = "[POSTCODE]"
ADDRESS = "[ADDRESS]"
NAME = "[NAME]"
NHS_NUMBER = "[NHS]"
BIRTH_DATE = "[DOB]"
BANK = "[BANK]"
VEHICLE = "[VEHICLE]"
HANDLE = "[HANDLE]"
IP_ADDRESS = "[IP]"
CARD = "[CARD]"
ID_NUMBER = "[ID]"
#: Every placeholder redaction writes.
PLACEHOLDERS = (EMAIL, PHONE, NI_NUMBER, POSTCODE, ADDRESS, NAME, NHS_NUMBER, BIRTH_DATE, BANK, VEHICLE, HANDLE,
                IP_ADDRESS, CARD, ID_NUMBER)
_PLACEHOLDER_RE = re.compile("|".join(re.escape(placeholder) for placeholder in PLACEHOLDERS))
#: C0 controls but tab and line breaks, DEL and C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\t\r\n\x0b\x0c\x85\u2028\u2029]")

#: Web mail domains: "jo at gmail.com" is an address even without a dot or digit in "jo".
_MAIL_PROVIDERS = "gmail|googlemail|hotmail|outlook|live|yahoo|icloud|me|aol|btinternet|sky|virginmedia|talktalk|protonmail|proton"
# user@host.tld (the tail trimmed in _email), "user @ host.tld", "user [at] host [dot] tld", "user(at)host.org",
# "user at host dot com", "jo.bloggs at host.org", "jo at gmail.com".
_EMAIL_RE = re.compile(
    r"[\w.+'-]{1,64}@[\w-]{1,63}\.[\w.-]{1,190}"
    r"|[\w.+'-]{1,64}[ \t]{1,2}@[ \t]{0,2}[\w-]{1,63}\.[a-z]{2,6}\b|[\w.+'-]{1,64}@[ \t]{1,2}[\w-]{1,63}\.[a-z]{2,6}\b"
    r"|[\w.+'-]{1,64}[ \t]{0,2}@[ \t]{0,2}[\w-]{1,63}[ \t]{1,2}\.[ \t]{0,2}[a-z]{2,6}\b"
    r"|[\w.+'-]{1,64}[ \t]?[\[({](?:at|@)[\])}][ \t]?[\w-]{1,63}(?:\.|[ \t]?[\[({]dot[\])}][ \t]?)[\w.-]{2,190}"
    r"|[\w.+'-]{1,64}[ \t]at[ \t][\w-]{1,63}[ \t]dot[ \t][a-z]{2,6}\b"
    r"|\b[a-z]{1,30}[._\d][\w.+'-]{0,63}[ \t]at[ \t][\w-]{1,63}\.[a-z]{2,6}(?:\.[a-z]{2})?\b"
    rf"|\b[\w'-]{{1,64}}[ \t]at[ \t](?:{_MAIL_PROVIDERS})\.[a-z]{{2,6}}(?:\.[a-z]{{2}})?\b",
    re.IGNORECASE,
)
#: A further "dot uk" after an obfuscated address ("jo at example dot co dot uk"), or a "jo dot" before one
#: ("jo dot bloggs at example dot org"); applied up to three times.
_EMAIL_ENDS = re.compile(
    r"\[EMAIL\](?:[ \t]?[\[({]dot[\])}][ \t]?|[ \t]dot[ \t])[a-z]{2,6}\b"
    r"|\b[\w'-]{1,30}(?:[ \t]?[\[({]dot[\])}][ \t]?|[ \t]dot[ \t])\[EMAIL\]",
    re.IGNORECASE,
)
# "email tendai at example.org": any name before " at " a domain, after a word saying an address follows.
_CUED_EMAIL_RE = re.compile(
    r"\b(?:e-?mail(?:[ \t]address)?|write[ \t]to)(?:[ \t]{1,2}(?:me|us|is|on|at))?[ \t:]{1,3}"
    r"(?P<address>[\w.+'-]{1,64}[ \t]at[ \t][\w-]{1,63}\.[a-z]{2,6}(?:\.[a-z]{2})?)\b",
    re.IGNORECASE,
)
#: Full-width and small at signs and dots, read as ASCII ones when looking for addresses ("jo＠example．org").
_WIDE_MAIL_SIGNS = str.maketrans({"\uff20": "@", "\ufe6b": "@", "\uff0e": "."})
# A run of digits and the separators people type inside phone numbers; checked by _phone_end.
_PHONE_RE = re.compile(r"[+(\uff0b]{0,2}\d[\d \t\u00a0\u2007\u2009\u202f.()/\-\u2010-\u2015]{5,26}\d")  # \d: any script's digits ("０７７００")
_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_AT = re.compile(r"[\[({](?:at|@)[\])}]|(?:e-?mail|write[ \t]to)\b.{1,30}[ \t]at[ \t]|[ \t]at[ \t](?:.{1,64}[ \t]dot[ \t]|[\w-]{1,63}\.[a-z]{2,6}\b)", re.IGNORECASE)
#: Words after which a phone number may lack its leading 0 ("mobile: 7700 900123").
_PHONE_CUE = re.compile(r"\b(?:tel|telephone|phone|mobile|mob|cell|call|ring|text|whatsapp|number)\b[ \t.:=-]{0,4}$", re.I)
_DATE_OR_TIME = re.compile(r"\(?\d{1,2}([./ -])\d{1,2}\1\d{2,4}(?!\d)|\(?\d{1,2}[.:]\d{2}(?!\d)")
#: Digits counted in order ("0 1 2 3 4 5 6 7 8 9 10" on a scale) are no phone number.
_COUNTING = "01234567890123456789" + "98765432109876543210"
#: A letter O among digits, read as a zero by someone hiding a number ("07700 9OO123").
_O_NEAR_DIGIT = re.compile(r"\d[Oo]|[Oo]\d")
_O_AS_ZERO = re.compile(r"(?<=\d)[Oo]{1,3}(?=[\d \t.-])|(?<=[\d \t.-])[Oo]{1,3}(?=\d)")
_SPOKEN = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
           "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3, "treble": 3}
_SPOKEN_RE = re.compile(rf"\b(?:{'|'.join([*_SPOKEN, *_REPEATS])}|\d{{1,5}})\b", re.I)
_EXTENSION = re.compile(r"[ \t]{0,3},?[ \t]{0,3}(?:x|ext|extn|extension)\.?[ \t]{0,3}\d{1,5}\b|[ \t]{0,3}#\d{1,5}\b", re.I)
# Two letters, six digits (spaced in any way), a letter (A-D on real cards; test data such as Faker's "ZZ123456T" uses
# others); in lower case only with a last letter A-D ("at 250000").
_NI_DIGITS = r"[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?\d[ \t-]?"
_NI_RE = re.compile(
    rf"\b[A-CEGHJ-TW-Z][ \t-]?[A-CEGHJ-NP-TW-Z]{_NI_DIGITS}[A-Z]?\b|(?i:\b[a-ceghj-tw-z][a-ceghj-np-tw-z]{_NI_DIGITS}[a-d]\b)"
)
_POSTCODE_RE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)(?:[ \t]{0,3}|[ \t]?-[ \t]?)(\d[A-Z]{2})\b", re.IGNORECASE)
#: The UK's postcode areas, for a postcode whose area is split from its district ("OX 4 2XX").
_POSTCODE_AREAS = (
    "AB|AL|B|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|"
    "G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|"
    "NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|"
    "W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)
# "OX 4 2XX", "OX 4 2 XX", "ox 4 2xx": an area, a space, the district, the inward code (its letters never C, I, K,
# M, O or V, so "on 4 2nd" or "at 3 2pm" are none); in lower case only after "postcode".
_SPACED_POSTCODE_RE = re.compile(
    rf"\b(?:{_POSTCODE_AREAS})[ \t]{{1,2}}\d[A-Z\d]?[ \t]{{1,2}}\d[ \t]?[ABD-HJLNP-UW-Z]{{2}}\b"
    rf"|(?i:\bpost[ \t-]?code\b[ \t:.=-]{{0,4}}(?:is[ \t]{{1,2}})?(?P<postcode>(?:{_POSTCODE_AREAS})[ \t]{{1,2}}\d[a-z\d]?[ \t]{{1,2}}\d[ \t]?[abd-hjlnp-uw-z]{{2}})\b)"
)
_LABEL_SEPARATORS = str.maketrans("_.-", "   ")
#: A media (MIME) type, as an email's attachment is described in the ingest log: no one's name.
_MEDIA_TYPE_RE = re.compile(r"\b(?:application|audio|font|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9.+-]*", re.I)
_ORDINALS = {"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "0th"}
_STREET_TYPES = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|terrace|place|pl|gardens|gdns|"
    "court|ct|grove|square|sq|row|walk|mews|rise|parade|boulevard|wharf|yard|hill|park|green|view|end|la|approach|"
    "croft|dale|mead|meadow|meadows|orchard|paddock|quay|vale|villas|chase|broadway|fields|gate|wood"
)
#: The other street words of the addresses Faker's en_GB provider makes (test data is often made with it); as they
#: are also ordinary words ("4 Bus Route", "Year 6 Summer Camp"), they count only where an address is expected.
_RARER_STREET_TYPES = (
    "alley|branch|bridge|brook|brooks|burg|burgs|bypass|camp|canyon|cape|causeway|center|centers|circle|circles|"
    "cliff|cliffs|club|common|corner|corners|course|courts|cove|coves|creek|crest|crossing|crossroad|curve|dam|"
    "divide|drives|estate|estates|expressway|extension|extensions|fall|falls|ferry|field|flat|flats|ford|fords|"
    "forest|forge|forges|fork|forks|fort|freeway|garden|gateway|glen|glens|greens|groves|harbor|harbors|haven|"
    "heights|highway|hills|hollow|inlet|island|islands|isle|junction|junctions|key|keys|knoll|knolls|lake|lakes|"
    "land|landing|light|lights|loaf|lock|locks|lodge|loop|mall|manor|manors|mill|mills|mission|motorway|mount|"
    "mountain|mountains|neck|oval|overpass|parks|parkway|parkways|pass|passage|path|pike|pine|pines|plain|plains|"
    "plaza|point|points|port|ports|prairie|radial|ramp|ranch|rapid|rapids|rest|ridge|ridges|river|roads|route|rue|"
    "run|shoal|shoals|shore|shores|skyway|spring|springs|spur|spurs|squares|station|stations|stravenue|stream|"
    "streets|summit|throughway|trace|track|trafficway|trail|tunnel|turnpike|underpass|union|unions|valley|valleys|"
    "via|viaduct|views|village|villages|ville|vista|walks|wall|ways|well|wells"
)
_RARER_STREETS = frozenset(_RARER_STREET_TYPES.split("|"))
#: Words before a number that make it no house number ("Year 6 Summer Camp", "Level 2 Car Park").
_NUMBERED_THINGS = frozenset(
    """year years page level room ward session strand week weeks day days phase stage step chapter section question
    bus route platform floor bay bed table group team class grade zone area lot part item point points""".split()
)
#: Words shortly before an address that expect one ("I live at", "write to me at", "address:").
_EXPECTS_ADDRESS = re.compile(r"\b(?:liv\w*|resid\w*|moved|address|at|to|c/o|of|from|on)\b\W{0,4}(?:me[ \t]at[ \t])?$", re.I)
# A house number (12, 12a, 12-14) then up to 40 characters of capitalised street name, then a street type.
_ADDRESS_RE = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?[ \t]{{1,3}}[A-Z][A-Za-z' \t-]{{0,40}}?[ \t]((?i:{_STREET_TYPES}|{_RARER_STREET_TYPES}))\b",
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty"
)
#: Words that say the address follows, so it may be in lower case ("I live at 12 mill lane").
_CUED_ADDRESS_RE = re.compile(
    r"\b(?:live|lives|living|lived|reside|resides|residing|moved|address|c/o)\b[ \t]{0,2}(?:at|to|is|:)?[ \t:]{0,3}"
    rf"(?:number[ \t]{{1,2}}|no\.?[ \t]{{0,2}})?(?P<street>(?:\d{{1,4}}[a-z]?|{_NUMBER_WORDS}),?[ \t]{{1,3}}[a-z][a-z' \t-]{{0,40}}?[ \t](?:{_STREET_TYPES}))\b",
    re.IGNORECASE,
)
_BUILDINGS = (
    "house|court|lodge|mansions|buildings|tower|heights|point|block|apartments|flats|hall|cottage|cottages|place|"
    "gardens|close|walk|mews|row|terrace|square|yard|wharf|view|green|estate|park"
)
# "Flat 3", "flat 3b", "Apartment 12", "Unit 4" with what follows: a building ("Rowan Court") or an address.
_DWELLING_RE = re.compile(
    r"\b([Ff]lat|FLAT|[Aa]partment|APARTMENT|[Aa]pt|[Mm]aisonette|[Bb]edsit|[Ss]tudio|[Uu]nit|UNIT)\.?[ \t]{1,2}"
    r"(?:[Nn]o\.?[ \t]{0,2})?"
    r"(?:\d{1,4}[A-Za-z]?\b|[A-Z]\b|\[ADDRESS\])"
    rf"((?:,?[ \t]{{1,3}}|,?[ \t]{{0,2}}\r?\n[ \t]{{0,2}})(?:\[ADDRESS\]|[A-Z][A-Za-z' \t-]{{0,40}}?[ \t](?i:{_BUILDINGS}|{_STREET_TYPES}|{_RARER_STREET_TYPES})\b))?"
)
# A house known by its name: "Rose Cottage", "The Old Bungalow" (capitalised words, then a dwelling word).
_HOUSE_NAME_RE = re.compile(
    r"\b[A-Z][A-Za-z'-]{1,20}(?:[ \t][A-Z][A-Za-z'-]{1,20})?(?:[ \t][A-Z][A-Za-z'-]{1,20})?[ \t](?:Cottage|Cottages|Bungalow|Farmhouse)\b"
)
_ADDRESS_CUES = ("liv", "resid", "moved", "address", "c/o")
_MONTHS = "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december"
#: Days of the month in words ("the third of March").
_DAY_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
    "fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[ -]first|twenty[ -]second|twenty[ -]third|"
    "twenty[ -]fourth|twenty[ -]fifth|twenty[ -]sixth|twenty[ -]seventh|twenty[ -]eighth|twenty[ -]ninth|thirtieth|"
    "thirty[ -]first"
)
# A date after "DOB", "date of birth", "born (on)", "birthday": "12/03/1980", "3rd of March 1980", "March 3, 1980";
# "born in 1980" too.
_BIRTH_DATE_RE = re.compile(
    r"\b(?:d\.?o\.?b|date[ \t]of[ \t]birth|birth[ \t]?date|born(?:[ \t]on)?|birthday(?:[ \t]is)?)\b\.?[ \t:.,=-]{0,4}"
    r"(?:is[ \t]{1,2})?(?:on[ \t]{1,2})?(?:the[ \t]{1,2})?"
    r"(?P<date>\d{1,2}[./ -]\d{1,2}[./ -](?:19|20)?\d{2}\b|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]{{1,2}}(?:of[ \t]{{1,2}})?(?:{_MONTHS})\b\.?,?[ \t]{{1,2}}(?:19|20)\d{{2}}\b"
    rf"|(?:{_MONTHS})\b\.?[ \t]{{1,2}}\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]{{1,2}}(?:19|20)\d{{2}}\b"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?|{_DAY_WORDS})[ \t]{{1,2}}(?:of[ \t]{{1,2}})?(?:{_MONTHS})\b\.?(?:,?[ \t]{{1,2}}(?:(?:19|20)?\d{{2}}|'\d{{2}})\b)?"
    rf"|(?:in[ \t]{{1,2}})?(?:{_MONTHS})\b\.?,?[ \t]{{1,2}}(?:(?:19|20)\d{{2}}|'\d{{2}})\b)"
    r"|\bborn[ \t]in[ \t](?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# An NHS (or CHI) number: 3-3-4 digits, after "NHS number" in any layout, else spaced and with a valid check digit.
_NHS_RE = re.compile(
    r"(?P<cue>\b(?:nhs|chi)(?:[ \t]{1,2}(?:no|number|num|#))?\.?[ \t:=#-]{0,4}(?:is[ \t]{1,2})?)?"
    r"(?<![\d.,])(?P<number>\d{3}([ \t-]?)\d{3}\3\d{4})(?![\d]|[.,]\d)",
    re.IGNORECASE,
)
# Bank details: a sort code or account number after its words, a sort code beside an account number, a UK IBAN or
# BBAN (bank code, sort code and account number: "NWBK60161331926819").
_BANK_RE = re.compile(
    r"\bsort[ \t-]?code\b[ \t:.=-]{0,4}(?:is[ \t]{1,2})?\d{2}[ \t-]?\d{2}[ \t-]?\d{2}\b"
    r"|\b(?:account|acc|acct|a/c)(?:[ \t]{1,2}(?:no|number|num))?\.?[ \t:.=-]{0,4}(?:is[ \t]{1,2})?\d{8}\b"
    r"|\b\d{2}-\d{2}-\d{2}[ \t,/]{1,3}\d{8}\b"
    r"|\bGB\d{2}[ ]?[A-Z]{4}[ ]?\d{4}[ ]?\d{2}[ ]?\d{2}[ ]?\d{4}[ ]?\d{2}\b|\b[A-Z]{4}\d{14}\b",
    re.IGNORECASE,
)
# A UK number plate (its two digits not checked against real age identifiers: test data such as Faker's uses any):
# the current layout in capitals ("AB12 CDE"); any layout in any case after a word such as
# "reg" or "car" ("reg ab12cde", "number plate A123 BCD", "car reg is ABC 123D").
_PLATE_RE = re.compile(r"\b[A-Z]{2}\d{2}[ \t]?[A-Z]{3}\b")
_CUED_PLATE_RE = re.compile(
    r"\b(?:reg|registration|plate|car|van|vehicle|motorbike)\b\.?(?:[ \t]{1,2}(?:no|number|reg|is))?[ \t:.=-]{0,4}"
    r"(?:is[ \t]{1,2})?(?P<plate>"
    r"[a-z]{2}\d{2}[ \t]?[a-z]{3}|[a-z]\d{1,3}[ \t]?[a-z]{3}|[a-z]{3}[ \t]?\d{1,3}[a-z])\b",
    re.IGNORECASE,
)
# A social media handle: "@jo_bloggs77", "@JoBloggs", or any "@name" after "twitter", "instagram", "follow" ...
_HANDLE_RE = re.compile(r"(?<![\w@.\[\]])@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.]{1,29})\b")
_HANDLE_CUE = re.compile(
    r"\b(?:twitter|tweet|insta|instagram|tiktok|facebook|snapchat|snap|threads|bluesky|handle|follow|dm|x\.com)\b",
    re.IGNORECASE,
)
# A link to a person's profile: "facebook.com/jo.bloggs", "https://www.instagram.com/jo_bloggs/".
_PROFILE_RE = re.compile(
    r"\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|twitter|x|tiktok|linkedin|threads|youtube|bsky)"
    r"\.(?:com|net|app)/[\w@./%-]{2,80}|\b(?:https?://)?wa\.me/\+?\d{6,15}",
    re.IGNORECASE,
)
# An IPv4 address ("81.2.69.160"; each part at most 255, checked by hand so leading zeros count), not a clause number
# after "section", "para" ...; an IPv6 address (a run of hex digits and colons with "::" or seven colons, checked by
# the ipaddress module); a MAC address.
_IPV4_RE = re.compile(r"(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)")
_IPV6_RE = re.compile(r"(?<![\w:])[0-9A-Fa-f:]{2,39}(?:%[\w]{1,15})?(?![\w:])")
_MAC_RE = re.compile(r"\b[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\b")
_CLAUSE_WORDS = re.compile(r"\b(?:section|sections|para|paragraph|paragraphs|clause|clauses|version|ver|v|chapter|figure|fig|table|item|point|rule|appendix|annex|standard|step|ref)\.?[ \t]{0,2}$", re.I)
# A payment card number: 13 to 19 digits in groups of four (spaced, hyphenated or not) or Amex's 4-6-5, with a valid
# Luhn check digit or after "card", "visa" ...
_CARD_RE = re.compile(
    r"(?<![\d-])(?:\d{4}([ \t-]?)\d{4}\1\d{4}\1\d{1,7}|\d{4}[ \t-]?\d{6}[ \t-]?\d{5})(?![\d]|-\d)"
)
_CARD_CUE = re.compile(r"\b(?:card|visa|mastercard|amex|debit|credit|cc)\b", re.I)
# A passport number (nine digits) or a driving licence number (the UK's 16 characters), after its words; a UK
# driving licence number anywhere.
_ID_RE = re.compile(
    r"\b(?:passport|licence|license)(?:[ \t]{1,2}(?:no|number|num))?\.?[ \t:.=-]{0,4}(?:is[ \t]{1,2})?(?P<number>[A-Z\d]{6,16})\b"
    r"|\b(?P<licence>[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2})\b",
    re.IGNORECASE,
)
#: Parts of organisations' handles, left alone ("@OxfordCityCouncil", "@NHSEngland").
_ORG_HANDLE_WORDS = re.compile(r"council|nhs|gov|city|trust|police|library|oxford|bus|news|official|team|uk", re.I)


def _control(match: re.Match[str]) -> str:
    """A vertical tab or form feed (a line break in some spreadsheet exports) becomes one; other controls go."""
    return "\n" if match.group() in "\x0b\x0c" else ""


def _email(match: re.Match[str]) -> str:
    """The placeholder, then what the match took beyond the address ("jo@x.org." ends a sentence)."""
    found = match.group()
    address = found.rstrip(".-")
    return EMAIL + found[len(address) :]


def _digit_groups(candidate: str) -> list[tuple[str, int]]:
    """The digit groups of a phone candidate as (ASCII digits, end), one digit a group joined up
    ("0 7 7 0 0": three or more single digits with the same separator), "(0)7700" one group."""
    groups = [(g.group() if g.group().isascii() else "".join(str(unicodedata.digit(c)) for c in g.group()), g.start(), g.end())
              for g in _DIGITS.finditer(candidate)]  # fmt: skip
    joined: list[tuple[str, int]] = []
    index = 0
    while index < len(groups):
        end = index + 1
        while (end < len(groups) and len(groups[end][0]) == 1 and len(groups[end - 1][0]) == 1
               and groups[end][1] - groups[end - 1][2] == 1
               and candidate[groups[end][1] - 1] == candidate[groups[index][2]]):
            end += 1
        if end - index >= 3:
            joined.append(("".join(g[0] for g in groups[index:end]), groups[end - 1][2]))
            index = end
        else:
            joined.append((groups[index][0], groups[index][2]))
            index += 1
    if candidate.startswith("(0)") and len(joined) > 1:
        joined[:2] = [("0" + joined[1][0], joined[1][1])]
    return joined


def _redact_emails(text: str, scan: str) -> tuple[str, int]:
    """Email addresses, found in ``scan`` (the text with full-width at signs read as "@", the same length) and
    replaced in ``text``, whose other characters stay as they are ("＠Session seven" is no address)."""
    parts: list[str] = []
    position = 0
    for match in _EMAIL_RE.finditer(scan):
        parts += [text[position : match.start()], _email(match)]
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), (len(parts) - 1) // 2


def _phone_span(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """Where the phone number in ``match`` starts and ends, or None when it is not one.

    Digit groups are added one at a time while the digits so far can be a UK
    number (0 then 10 or 11 digits, +44/0044 then 9 or 10) or an international
    one (+ or 00 then 8 to 15 digits); the longest such prefix wins. A UK number
    starts with a group of two digits or more ("0.5 0.25" is no number; "07 700
    ..." is, a date or a time is not); after a word such as "mobile" its leading
    0 may be missing ("mobile: 7700 900123").
    """
    start = match.start()
    before = text[max(0, start - 2) : start]
    if before[-1:].isdigit() or re.fullmatch(r"\d[.,]", before):
        return None  # inside a longer number or a decimal
    candidate = match.group()
    international = candidate.lstrip("(").startswith(("+", "\uff0b"))
    groups = _digit_groups(candidate)
    cued = not international and _PHONE_CUE.search(text, max(0, start - 24), start) is not None
    if len(groups) > 1 and groups[0][0] == "0" and len(groups[1][0]) >= 3 and re.match(r"0[ \t-]\d", candidate):
        groups[:2] = [("0" + groups[1][0], groups[1][1])]  # "0 7700 900123"
    first = groups[0][0]
    joined = len(first) > 2 and len(_DIGITS.search(candidate).group()) == 1
    if not international and joined and first[:2] not in ("01", "02", "03", "07"):
        return None  # joined single digits ("0 5 5 0 0 4 ..." ratings) only for geographic and mobile numbers
    if not international and not first.startswith("00"):
        if not (first.startswith("0") or (cued and first.startswith("7"))):
            return None
        if len(first) < 2 or (len(first) == 2 and _DATE_OR_TIME.match(candidate)):
            return None  # "0.5 0.25 ...", "01.07.2022 10:30"
    digits, best = "", None
    for group, end in groups:
        digits += group
        if _is_phone(digits, international) or (cued and len(digits) == 10 and digits.startswith("7")):
            best = end
    if best is None:
        return None
    opened = len(candidate) - len(candidate.lstrip("(+")) if ")" not in candidate[:best] else 0
    return start + candidate[:opened].count("("), start + best  # "(07700 900461)": the bracket stays


def _is_phone(digits: str, international: bool) -> bool:
    if international or digits.startswith("00"):
        rest = digits if international else digits[2:]
        if rest.startswith("44"):
            return len(rest[2:].removeprefix("0")) in (9, 10)
        return 8 <= len(rest) <= 15
    return len(digits) in (10, 11) and digits not in _COUNTING


def _redact_phones(text: str) -> tuple[str, int]:
    """Phone numbers in digits, a letter O read as a zero ("07700 9OO123")."""
    scan = text
    if _O_NEAR_DIGIT.search(text):
        scan = _O_AS_ZERO.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)
    parts: list[str] = []
    count, position = 0, 0
    search_from = 0
    while (match := _PHONE_RE.search(scan, search_from)) is not None:
        span = _phone_span(scan, match)
        if span is None:
            first_group = _DIGITS.search(scan, match.start())
            search_from = first_group.end() if first_group else match.end()
            continue
        start, end = span
        extension = _EXTENSION.match(scan, end)
        end = extension.end() if extension else end
        parts += [text[position:start], PHONE]
        count += 1
        position = search_from = end
    parts.append(text[position:])
    return "".join(parts), count


def _spoken_digits(words: list[re.Match[str]]) -> str:
    digits, times = "", 1
    for word in words:
        lower = word.group().lower()
        if lower in _REPEATS:
            times = _REPEATS[lower]
            continue
        digits += (lower if lower.isdigit() else _SPOKEN[lower]) * times
        times = 1
    return digits


def _may_speak_digits(lower: str) -> bool:
    """A quick look at a text in lower case: a phone number in words has five number words or more (counted as
    parts of words too), a zero or a repeat among them (UK numbers start with 0)."""
    if not ("oh " in lower or "zero" in lower or "nought" in lower or "double" in lower or "triple" in lower):
        return False
    return sum(lower.count(word) for word in _SPOKEN if len(word) > 1) + sum(map(lower.count, _REPEATS)) >= 5


def _redact_spoken_phones(text: str) -> tuple[str, int]:
    """Phone numbers in words: "oh seven seven double oh nine ..." (ten digits or more, three of them words)."""
    parts: list[str] = []
    count, position = 0, 0
    run: list[re.Match[str]] = []
    for word in [*_SPOKEN_RE.finditer(text), None]:
        if word is not None and (not run or re.fullmatch(r"[ \t,.-]{1,3}", text[run[-1].end() : word.start()])):
            run.append(word)
            continue
        digits = _spoken_digits(run)
        spelled = sum(not w.group().isdigit() for w in run)
        if 10 <= len(digits) <= 13 and spelled >= 3 and digits not in _COUNTING:
            parts += [text[position : run[0].start()], PHONE]
            count += 1
            position = run[-1].end()
        run = [word] if word is not None else []
    parts.append(text[position:])
    return "".join(parts), count


def _postcode(match: re.Match[str]) -> str:
    """A postcode, unless it is a road and an ordinal in mixed case ("A40 2nd"; "B33 8TH" is a postcode)."""
    found = match.group()
    mixed = not (found.isupper() or found.islower())
    return found if mixed and match.group(1).lower() in _ORDINALS else POSTCODE


def _address(match: re.Match[str]) -> str:
    """A house number and a street, unless the number is a year or numbers a thing ("Level 2 Car Park"); with a
    rarer street word only where an address is expected (after "live at", "to", or before a postcode)."""
    street = match.group()[: match.start(1) - match.start()].split(None, 1)[-1]
    number = re.match(r"\d+", match.group()).group()
    before = match.string[max(0, match.start() - 24) : match.start()]
    previous = re.findall(r"[^\W\d_]+", before)
    if not _address_words_ok(street) or (len(number) == 4 and number[:2] in ("19", "20")):
        return match.group()
    if previous and previous[-1].lower() in _NUMBERED_THINGS:
        return match.group()
    if match.group(1).lower() in _RARER_STREETS and not (
        _EXPECTS_ADDRESS.search(before) or POSTCODE in match.string[match.end() : match.end() + 60]
    ):
        return match.group()
    return ADDRESS


def _cued_address(match: re.Match[str]) -> str:
    return _keep_before(match, "street", ADDRESS) if len(match.group("street").split()) <= 6 else match.group()


def _address_words_ok(street: str) -> bool:
    words = street.split()
    return all(word[0].isupper() for word in words) and len(words) <= 4


def _redact_dwellings(text: str) -> tuple[str, int]:
    """"Flat 3" (alone too), "Apartment 12, Rowan House", "Unit 4, [ADDRESS]": one address, counted once."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        follows = match.group(2) or ""
        building = follows.strip(", \t")
        if building and building != ADDRESS and not _address_words_ok(building):
            follows = building = ""
            found = match.group()[: match.start(2) - match.start()]
        else:
            found = match.group()
        if not building and match.group(1).lower() in ("unit", "studio") and ADDRESS not in match.group():
            return match.group()  # "Unit 4", "Studio 2" alone: a hospital or business unit, a studio
        count += ADDRESS not in match.group()
        return ADDRESS + match.group()[len(found) :]

    return _DWELLING_RE.sub(replace, text), count


def _drop_towns(text: str) -> tuple[str, int]:
    """The town lines or parts between an address and its postcode go with them ("[ADDRESS]\nNorth Holly\n[POSTCODE]"
    becomes "[ADDRESS]\n[POSTCODE]"): up to three parts of one to three capitalised words each."""
    position = 0
    while (start := text.find(ADDRESS, position)) >= 0:
        end = start + len(ADDRESS)
        postcode = text.find(POSTCODE, end, end + 120)
        between = text[end:postcode] if postcode >= 0 else ""
        parts = [part.strip() for part in re.split(r"[,\n]", between)]
        towns = [part for part in parts if part]
        if towns and len(towns) <= 3 and all(
            1 <= len(part.split()) <= 3 and all(word[0].isupper() for word in part.split()) for part in towns
        ):
            text = text[:end] + ("\n" if "\n" in between else ", ") + text[postcode:]
        position = end
    return text, 0


def _keep_before(match: re.Match[str], group: str, placeholder: str) -> str:
    """The match with its group ``group`` (the detail, after the words that announced it) replaced."""
    return match.group()[: match.start(group) - match.start()] + placeholder + match.group()[match.end(group) - match.start() :]


def _birth_date(match: re.Match[str]) -> str:
    return _keep_before(match, "date" if match.group("date") else "year", BIRTH_DATE)


def _plate_alone(match: re.Match[str]) -> str:
    """A plate in capitals without a word before it, unless its letters make a word ("PM10 AND", shouted)."""
    return match.group() if is_everyday_word(match.group()[-3:]) else VEHICLE


def _plate(match: re.Match[str]) -> str:
    return _keep_before(match, "plate", VEHICLE)


def _nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus 11 check: its last digit from the weighted sum of the other nine."""
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return (0 if check == 11 else check) == int(digits[9])


def _nhs(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group("number"))
    if match.group("cue") or (match.group(3) and digits[0] != "0" and _nhs_check_digit_ok(digits)):
        return _keep_before(match, "number", NHS_NUMBER)
    return match.group()


def _bank(match: re.Match[str]) -> str:
    found = match.group()
    if (found[:2].upper() == "GB" and found[2:4].isdigit()) or re.fullmatch(r"[A-Za-z]{4}\d{14}", found):
        return BANK  # an IBAN or a BBAN
    first_digit = _DIGIT.search(found)
    return found[: first_digit.start()] + BANK if first_digit else found


def _handle(match: re.Match[str], text: str) -> str:
    """A personal-looking handle ("@jo_bloggs77", "@JoBloggs", "@kieranlewis": no English word), or any near
    "twitter", "follow" ...; not "@Notes", "@council", "@10am", "@ASDA" or an organisation's ("@OxfordCityCouncil")."""
    handle = match.group("handle").rstrip(".")
    if re.fullmatch(r"\d{1,2}(?:[.:]\d{2})?(?:am|pm)?|\d+", handle, re.IGNORECASE):
        return match.group()
    if _ORG_HANDLE_WORDS.search(handle) and not re.search(r"\d|_", handle):
        return match.group()
    marked = re.search(r"\d|_|[a-z][A-Z]|\w\.\w", handle) is not None
    cued = _HANDLE_CUE.search(text, max(0, match.start() - 40), min(len(text), match.end() + 24)) is not None
    unlisted = handle.isalpha() and not handle.isupper() and not is_everyday_word(handle)  # "@kieranlewis"
    return HANDLE + match.group()[1 + len(handle) :] if marked or cued or unlisted else match.group()


def _ip(match: re.Match[str]) -> str:
    """An IPv4 address of parts up to 255, or an IPv6 address the ipaddress module accepts ("::" or all eight
    groups); not a clause number ("section 1.2.3.4")."""
    found = match.group()
    if "." in found and _CLAUSE_WORDS.search(match.string, 0, match.start()):
        return found
    if ":" in found and not ("::" in found or found.count(":") == 7) or found.strip(":") == "":
        return found
    if "." in found:  # "203.0.113.009" too: leading zeros are written by hand
        found_parts = [int(part) for part in found.split(".")]
        personal = all(part <= 255 for part in found_parts) and found_parts[0] not in (0, 127)
        return IP_ADDRESS if personal else found  # "127.0.0.1", "0.0.0.0": no one's
    try:
        address = ipaddress.ip_address(found.split("%")[0])
    except ValueError:
        return found
    return found if address.is_loopback or address.is_unspecified else IP_ADDRESS


def _redact_ips(text: str) -> tuple[str, int]:
    total = 0
    for pattern in (_IPV4_RE, _IPV6_RE) if "::" in text or text.count(":") >= 7 else (_IPV4_RE,):
        text, count = _count_sub(pattern, _ip, text)
        total += count
    if text.count(":") >= 5 or text.count("-") >= 5:
        text, count = _count_sub(_MAC_RE, lambda _m: IP_ADDRESS, text)
        total += count
    return text, total


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    """A card number with a valid check digit, or any after "card", "visa", "debit" ... shortly before it."""
    digits = re.sub(r"\D", "", match.group())
    if not 13 <= len(digits) <= 19:
        return match.group()
    cued = _CARD_CUE.search(match.string, max(0, match.start() - 30), match.start()) is not None
    return CARD if cued or _luhn_ok(digits) else match.group()


def _id_number(match: re.Match[str]) -> str:
    """A passport or driving licence number: two digits or more in it (not "licence holders")."""
    if match.group("licence"):
        return ID_NUMBER
    return _keep_before(match, "number", ID_NUMBER) if len(_DIGIT.findall(match.group("number"))) >= 2 else match.group()


def _spaced_postcode(match: re.Match[str]) -> str:
    """A postcode split after its area; without "postcode" before it not one whose inward code reads as an
    ordinal ("ME 3 2ND" in a text in capitals)."""
    if match.group("postcode"):
        return _keep_before(match, "postcode", POSTCODE)
    return match.group() if match.group()[-2:] in ("ST", "ND", "RD", "TH") else POSTCODE


def _count_sub(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> tuple[str, int]:
    count = 0

    def counted(match: re.Match[str]) -> str:
        nonlocal count
        result = replace(match)
        count += result != match.group()
        return result

    return pattern.sub(counted, text), count


def _has(*words: str) -> Callable[[str, int], bool]:
    """A quick look before a step: one of ``words`` is in the text (in lower case)."""
    return lambda lower, _digits: any(word in lower for word in words)


def _digits_at_least(least: int) -> Callable[[str, int], bool]:
    return lambda _lower, digits: digits >= least


#: The steps for details written with digits, each after a quick look at the text in lower case and its count of
#: digits, in order: a date of birth, bank details and an NHS number before phones (their digits could pass for
#: one), an address after the postcode, a flat after its address.
_DIGIT_STEPS: tuple[tuple[Callable[[str, int], bool], Callable[[str], tuple[str, int]]], ...] = (
    (lambda lower, digits: digits >= 4 and ("." in lower or ":" in lower or "-" in lower), _redact_ips),
    (_has("dob", "d.o.b", "birth", "born"), lambda t: _count_sub(_BIRTH_DATE_RE, _birth_date, t)),
    (_digits_at_least(13), lambda t: _count_sub(_CARD_RE, _card, t)),
    (_digits_at_least(6), lambda t: _count_sub(_ID_RE, _id_number, t)),
    (lambda lower, digits: digits >= 6 and ("-" in lower or digits >= 14 or any(w in lower for w in ("sort", "acc", "a/c", "gb"))),
     lambda t: _count_sub(_BANK_RE, _bank, t)),
    (_digits_at_least(10), lambda t: _count_sub(_NHS_RE, _nhs, t)),
    (_digits_at_least(6), _redact_phones),  # six: "07700 9OO12O" reads its letters O as zeros
    (_digits_at_least(6), lambda t: _count_sub(_NI_RE, lambda _m: NI_NUMBER, t)),
    (_digits_at_least(1), lambda t: _count_sub(_POSTCODE_RE, _postcode, t)),
    (_digits_at_least(2), lambda t: _count_sub(_SPACED_POSTCODE_RE, _spaced_postcode, t)),
    (_digits_at_least(2), lambda t: _count_sub(_PLATE_RE, _plate_alone, t)),
    (_has("reg", "plate", "car", "van", "vehicle", "motorbike"), lambda t: _count_sub(_CUED_PLATE_RE, _plate, t)),
    (_digits_at_least(1), lambda t: _count_sub(_ADDRESS_RE, _address, t)),
    (_has("flat", "apartment", "apt", "maisonette", "bedsit", "studio", "unit"), _redact_dwellings),
    (_digits_at_least(1), _drop_towns),  # finds "[ADDRESS]" itself
)


def _redact_names(text: str, sender: frozenset[str], *, label: bool = False) -> tuple[str, int]:
    """Replace names; in a label ``_``, ``.`` and ``-`` separate words ("Jo_Bloggs_notes.xlsx", "bloggs-family.org")."""
    spans = name_spans(text.translate(_LABEL_SEPARATORS) if label else text, sender, loose=label)
    held = []
    if "[" in text:  # a placeholder already there ("My name is [NAME]") is no name: redacting twice changes nothing
        held += [match.span() for match in _PLACEHOLDER_RE.finditer(text)]
    if label and "/" in text:  # a media type in a log line ("application/vnd.openxmlformats-officedocument...")
        held += [match.span() for match in _MEDIA_TYPE_RE.finditer(text)]
    if held:
        spans = [(a, b) for a, b in spans if not any(a < end and start < b for start, end in held)]
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text, len(spans)


def redact(text: str, names: Iterable[str] = (), *, label: bool = False) -> tuple[str, int]:
    """Replace personal details in ``text`` with placeholders; return the text and their count.

    Parameters
    ----------
    text : str
        Any text: a comment, a cell, a header, a file or sheet name.
    names : iterable of str, optional
        The sender's own names (an email's From name, in any order, case or
        punctuation, e.g. ``"BLOGGS, Jo"``): found as whole words anywhere.
    label : bool, default False
        The text names a thing (a file, a sheet, a domain): ``_``, ``.`` and ``-``
        also separate words, and one word of the sender's name counts in lower case.

    Returns
    -------
    tuple of (str, int)
        The redacted text and the number of details replaced.

    Examples
    --------
    >>> redact("Ring Sam Jones on 07700 900123 or sam@example.org, OX4 2XX", names=["JONES, Sam"])
    ('Ring [NAME] on [PHONE] or [EMAIL], [POSTCODE]', 4)
    >>> redact("My name is Priya Shah, NI QQ 12 34 56 C, I live at 12 Acacia Avenue.")
    ('My name is [NAME], NI [NI], I live at [ADDRESS].', 3)
    """
    total = 0
    if not text.isprintable() and _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(_control, text)
    scan = text.translate(_WIDE_MAIL_SIGNS) if "\uff20" in text or "\ufe6b" in text else text
    if "@" in scan or _AT.search(scan):
        text, count = _redact_emails(text, scan)
        total += count
        text, count = _count_sub(_CUED_EMAIL_RE, lambda match: _keep_before(match, "address", EMAIL), text)
        total += count
        for _ in range(3):
            text, tails = _EMAIL_ENDS.subn(EMAIL, text)
            if not tails:
                break
    lower = text.lower()
    if _DIGIT.search(text):
        digits = len(_DIGIT.findall(text))
        for needed, step in _DIGIT_STEPS:
            if needed(lower, digits):
                text, count = step(text)
                total += count
    if _may_speak_digits(lower):
        text, count = _redact_spoken_phones(text)
        total += count
    if any(word in lower for word in _ADDRESS_CUES):
        text, count = _count_sub(_CUED_ADDRESS_RE, _cued_address, text)
        total += count
    if "Cottage" in text or "Bungalow" in text or "Farmhouse" in text:
        text, count = _count_sub(_HOUSE_NAME_RE, lambda _m: ADDRESS, text)
        total += count
    if ".com/" in text or ".net/" in text or ".app/" in text or "wa.me/" in text:
        text, count = _count_sub(_PROFILE_RE, lambda _m: HANDLE, text)
        total += count
    if "@" in text and not label:
        text, count = _count_sub(_HANDLE_RE, lambda match: _handle(match, text), text)
        total += count
    text, count = _redact_names(text, sender_words(names), label=label)
    return text, total + count


@functools.lru_cache(maxsize=65536)
def _label(text: str, names: tuple[str, ...]) -> str:
    return redact(text, names, label=True)[0]


def redact_label(value: object, names: Iterable[str] = ()) -> object:
    """Redact the name of a thing (file, sheet, session, question, column, attachment); other values pass.

    Strings are redacted like comment text (results are cached, as the same
    labels repeat on every row), their line breaks and tabs made spaces;
    ``None``, numbers and dates are returned as given.

    >>> redact_label("notes/Jo Bloggs 07700 900123.xlsx")
    'notes/[NAME] [PHONE].xlsx'
    """
    if not isinstance(value, str) or not value:
        return value
    return _label(_LINE_BREAKS.sub(" ", value), tuple(names))  # a name is one line
