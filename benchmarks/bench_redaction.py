"""Benchmark redaction: what ordinary text it wrongly takes (precision), what planted details it misses (recall), speed.

Precision, on real and sample text:

* the sample consultation (``data/raw``): every placeholder ingest writes into
  the comments, with the text it replaced;
* real patient feedback (pxtextmining, about 10,000 distinct comments, read in
  place from ``../shared/datasets``): every name, phone, email... found.

Each found detail is looked up in :data:`REVIEWED`, the verdicts a person gave
after reading each one in its context ("true": a personal detail, "false": not
one). Precision is true / (true + false); anything found that nobody reviewed
yet is counted and listed as "unreviewed", so a change to the rules shows up.

Recall:

* end to end: the 45 details ``tests/test_planted_personal_data.py`` plants
  in every place an input can hold them, and the 33 of
  ``tests/test_planted_personal_data_variants.py`` in other layouts and places,
  each set run through ``run_pipeline`` and searched for in every output file;
* per layout and context: each phone layout, NI number, email, postcode and
  address of ``tests/test_redaction_details.py``, and names in each context,
  both names in the given-name list and names that are not in it.

Speed: comments redacted per second (the sample's comments repeated to 50,000),
and the share of that time the name rules take, measured in the same run.

Run ``python benchmarks/bench_redaction.py`` from the repository root; it
prints every finding and replaces the ``redaction`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from _report import machine_description, write_section  # noqa: E402

from tcs_themes.ingest import ingest  # noqa: E402
from tcs_themes.ingest.name_lists import faker_given_names, given_names  # noqa: E402
from tcs_themes.ingest.person_names import name_spans  # noqa: E402
from tcs_themes.ingest.redaction import PLACEHOLDERS, redact  # noqa: E402

#: Verdicts after reading each finding in its context: (placeholder, text replaced) -> is it a personal detail?
REVIEWED: dict[tuple[str, str], bool] = {
    # the sample consultation: the invented contact details it plants, and a resident who gives his name
    **{("[PHONE]", t): True for t in ("01865 000 417", "01865 000 902", "07700 900418", "07700 900461", "07700 900773")},
    **{("[EMAIL]", t): True for t in (
        "coordinator@accessforall.example.org", "membership@chamber.example.co.uk",
        "youthgroup.eastoxford@example.org", "farm.office@example.org", "participation.team@example.org",
    )},
    **{("[POSTCODE]", t): True for t in ("OX3 9XX", "OX4 6XX", "OX4 1ZZ")},
    ("[NAME]", "Tom Ashdown"): True,
    ("[ADDRESS]", "flat 2"): True,  # "post to flat 2, OX4 1ZZ": the sample's invented address
    # pxtextmining: staff and patients named in real feedback (already-masked "XXXX" names are true too)
    **{("[NAME]", t): True for t in (
        "Schofield", "Scofield", "Schofield's", "Chris Scofield", "Tracey X", "Pierzchniak", "Pierzschniak",
        "Peirzniach", "Piotr", "Piotor", "Peter", "P", "Nixon", "X", "Watson-O'Neil", "Vicky X", "Vicky Lewis",
        "Sriddran", "Simon", "S", "Ryan Lawty", "Rita", "Richards", "Richard Y", "Powar", "Paul X", "Neil Boston",
        "Morris", "Matthew X", "Madelson", "M", "Khan's", "Kerry Anne", "Katsha", "Jolly", "Jenna", "Gordon",
        "Garth X", "Fred", "Dawn", "Davis", "David X", "Croft", "Clee", "Chris", "Chatterjee", "C", "Bohane",
        "Boghal", "Bhogal", "Angus Morrison", "XXXX", "XXX", "Sara", "Steve", "Trevor", "Paul, Angela",
        "Elizabeth, Suze",
        # staff named after their role ("Nurse, Christy,", "My therapist Lata", "Matron Anne"), a masked name
        "Christy", "Tina", "Gabbitas", "Yvonne", "Sharon", "Megan", "Anne", "Hillary", "Lata", "xxxx", "Mandy",
        # staff named by a first name alone ("Then Lesley said", "thanks to Katie", "Trevor's kindliness", "I saw
        # Natasha at the QMC", "Debbie helped a lot", "Lisa, the activities coordinator"), each read in its comment
        "Alex", "Amanda", "Amber", "Amy", "Andrea", "Andy", "Angela, Dianne", "Angus", "Anna", "Carmen", "Catherine",
        "Claire", "Dan", "Debbie", "Dianne", "Elaine", "Elissa", "Emma", "Felix", "Freya", "Gail", "Gaynor", "Gwen",
        "Hannah", "Hayley", "Jo", "Jules", "Kathryn", "Katie", "Kayleigh", "Kerry", "Kirsty", "Laura", "Leah",
        "Lesley", "Linda", "Lisa", "Lise", "Louise", "Lucy", "Marie", "Mathew", "Natalie", "Natasha", "Patricia",
        "Paul", "Paula", "Phil", "Rachel", "Richard", "Sandra", "Sean", "Sheryl", "Stacey", "Susanne", "Suzanne",
        "Tanya", "Trevor's", "Kirsty's", "Vanessa", "Vicky", "Zoe",
    )},
    # pxtextmining: a charity named after a person, not a person in the comment
    **{("[NAME]", t): False for t in ("Marie Curie", "Marie Currie")},
}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


def findings(original: str, redacted: str) -> list[tuple[str, str]]:
    """(placeholder, text it replaced) for each redaction: the text between placeholders is unchanged."""
    pieces = _PLACEHOLDER.split(redacted)
    found, position = [], len(pieces[0])
    placeholders = _PLACEHOLDER.findall(redacted)
    for number, (placeholder, following) in enumerate(zip(placeholders, pieces[1:], strict=True), start=1):
        last = number == len(placeholders)
        end = len(original) - len(following) if last else original.find(following, position + 1)
        found.append((placeholder, original[position:end].strip()))
        position = end + len(following)
    return found


def _review(found: list[tuple[str, str]]) -> tuple[int, int, list[tuple[str, str]]]:
    true = sum(1 for item in found if REVIEWED.get(item) is True)
    false = sum(1 for item in found if REVIEWED.get(item) is False)
    return true, false, [item for item in found if item not in REVIEWED]


def _precision_rows(name: str, texts: list[str]) -> tuple[str, list[tuple[str, str]]]:
    found = []
    for text in texts:
        redacted, count = redact(text)
        if count:
            found += findings(text, redacted)
    true, false, unreviewed = _review(found)
    share = f"{false / (true + false):.1%}" if true + false else "n/a"
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(Counter(p for p, _ in found).items()))
    row = f"| {name} | {len(texts):,} | {len(found)} ({kinds or 'none'}) | {true} | {false} | {share} | {len(unreviewed)} |"
    return row, found


def _unredacted_sample_comments() -> list[str]:
    """Ingest the sample with redaction switched off, to get each comment's original text."""
    from tcs_themes.ingest import ledger as ledger_module  # noqa: PLC0415

    saved = ledger_module.redact
    ledger_module.redact = lambda text, names=(): (text, 0)
    try:
        texts = ingest([ROOT / "data" / "raw"]).comments["text"].dropna().tolist()
    finally:
        ledger_module.redact = saved
    return texts


KNOWN = ["Sarah Mitchell", "David Evans", "Priya Shah", "Mohammed Iqbal", "Siobhan Kelly", "Tomasz Nowak",
         "Grace Okafor", "Hannah Clarke"]
UNKNOWN = ["Oluwaseun Adeyemi", "Nkechi Obi", "Tendai Moyo", "Wei Zhang", "Anh Nguyen", "Chidi Okonkwo"]
CONTEXTS = {
    "my name is": "My name is {full} and I live nearby.",
    "I am": "Hello, I am {full}, a resident.",
    "I'm (first name)": "I'm {first} and the buses are poor.",
    "sign-off, own line": "The bus is late.\nBest wishes,\n{full}",
    "sign-off, same line": "Great evening, thanks, {first}",
    "title": "Cllr {last} promised new benches.",
    "given name + surname": "{full} from the tenants group said repairs are slow.",
    "first name alone": "Then {first} said the park is unsafe at night.",
    "sender's name": "{last}, {first} here. {first} {last} again, and {last_upper}.",
    "relative": "My son {first} goes to the youth club.",
    "staff role": "Nurse {first} was lovely.",
    "signature below the text": "The buses are late.\n\n{full}\nResident",
}


def _name_recall() -> list[str]:
    rows = []
    for context, template in CONTEXTS.items():
        cells = []
        for names in (KNOWN, UNKNOWN):
            caught = 0
            for full in names:
                first, last = full.split()
                text = template.format(full=full, first=first, last=last, last_upper=last.upper())
                sender = [f"{last.upper()}, {first}"] if context == "sender's name" else []
                redacted = redact(text, names=sender)[0]
                wanted = {first, last} if "{full}" in template or context == "sender's name" else (
                    {first} if "{first}" in template else {last}
                )
                caught += all(not re.search(rf"\b{word}\b", redacted, re.IGNORECASE) for word in wanted)
            cells.append(f"{caught}/{len(names)}")
        rows.append(f"| name: {context} | {' | '.join(cells)} |")
    return rows


def _detail_recall() -> list[str]:
    details = importlib.import_module("test_redaction_details")
    groups = {
        "UK phone layouts": details.UK_PHONES,
        "phones with extensions": details.EXTENSIONS,
        "international phones": details.INTERNATIONAL,
        "NI numbers": ["QQ 12 34 56 C", "QQ123456C", "qq 123456 c", "AB-12-34-56-A", "JK 12 34 56"],
        "emails": ["jo.b+tcs@council.example.gov.uk", "JO@EXAMPLE.ORG", "jo.bloggs [at] example [dot] com",
                   "jo(at)example.org"],
        "postcodes": ["OX4 2XX", "ox1 1aa", "SW1A 1AA", "B33 8TH", "M1 1AE"],
        "addresses": ["12 Acacia Avenue", "14a Lime Tree Close", "3 Station Rd", "221B Baker Street", "5 The Green"],
        "flats, buildings, house names": ["Flat 3, 12 Mill Lane", "flat 3b Rowan Court", "Apartment 12, Kestrel House",
                                          "Unit 4, Marsh Industrial Estate", "Rose Cottage"],
        "phones in odd layouts": ["0 7 7 0 0 9 0 0 4 1 8", "07 700 900 418", "(0)7700 900418", "07700 9OO418",
                                  "oh seven seven double oh nine double oh four one eight"],
        "dates of birth": ["DOB 12/03/1980", "born on 3 March 1980", "date of birth: 1980-03-12", "born in 1948"],
        "NHS numbers": ["NHS number 943 476 5919", "NHS no 9434765919", "943 476 5919"],
        "bank details, number plates": ["sort code 12-34-56", "acc no 12345678", "AB12 CDE", "reg ab12cde"],
        "handles, profile links": ["@jo_bloggs77", "@JoBloggs", "facebook.com/jo.bloggs", "twitter @tendaimoyo"],
        "IP and MAC addresses": ["192.0.2.44", "2001:db8:85a3::8a2e:370:7334", "fe80::1ff:fe23:4567:890a",
                                 "00:1A:2B:3C:4D:5E"],
        "card, passport, licence numbers": ["card 4111 1111 1111 1111", "5500-0000-0000-0004",
                                            "passport number 123456789", "BLOGG802153J99AB"],
        "postcodes, spaced": ["OX 4 2XX", "postcode ox 4 2xx", "BS 1 4DJ"],
        "dates of birth in words": ["born on the third of March 1984", "born March 1984", "born 3 Mar 84",
                                    "date of birth 12 June"],
    }
    rows = []
    for name, values in groups.items():
        caught = sum(redact(f"Details: {value} (thanks).")[1] == 1 for value in values)
        rows.append(f"| {name} | {caught}/{len(values)} | |")
    return rows


def _write_planted(module: object, raw: Path) -> None:
    """The input files a planted-data test writes (``tests/test_planted_personal_data*.py``)."""
    (raw / "sessions.yaml").write_text(module.REGISTER, encoding="utf-8")
    (raw / "tcs-themes.yaml").write_text("register: sessions.yaml\n", encoding="utf-8")
    if module.__name__ == "test_planted_personal_data":
        module._workbook(raw / "Feedback from Tomasz Nowak.xlsx")
        module._csv(raw / "responses 07700 900207.csv")
        module._emails(raw)
    else:
        module._workbook(raw / "notes_kwame_mensah.xlsx")
        module._csv(raw / "responses.csv")
        module._email(raw / "reply.eml")


def _planted_recall(name: str) -> tuple[str, list[str]]:
    planted = importlib.import_module(name)
    from _output_search import found_in, output_texts  # noqa: PLC0415

    from tcs_themes.pipeline import run_pipeline  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        raw, out = Path(folder) / "raw", Path(folder) / "out"
        raw.mkdir()
        _write_planted(planted, raw)
        run_pipeline([raw], out)
        texts = output_texts(out)
        leaks = [f"{kind} {value!r} in {Path(path).name}"
                 for kind, value in planted.PLANTED for path, text in texts.items() if found_in(kind, value, text)]
        kinds = Counter(kind for kind, _ in planted.PLANTED)
        files = len(texts)
    leaked = {leak.split(" in ")[0] for leak in leaks}
    row = (f"{len(planted.PLANTED) - len(leaked)}/{len(planted.PLANTED)} planted details absent from all {files} "
           f"output files ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    return row, leaks


def _speed(texts: list[str], size: int) -> str:
    """Comments redacted a second, and the share of the time the name rules take (same run, same texts)."""
    batch = (texts * (size // max(len(texts), 1) + 1))[:size]
    redact("warm up: Jo Bloggs, 07700 900123")
    seconds = {}
    for name, function in (("redact", redact), ("names", name_spans)):
        start = time.perf_counter()
        for text in batch:
            function(text)
        seconds[name] = time.perf_counter() - start
    load = f"; 1-minute load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores" if hasattr(os, "getloadavg") else ""
    return (
        f"{size:,} comments (mean {sum(map(len, batch)) / size:.0f} characters) in {seconds['redact']:.1f} s: "
        f"{size / seconds['redact']:,.0f} a second; the name rules alone take {seconds['names']:.1f} s "
        f"({seconds['names'] / seconds['redact']:.0%} of it){load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--size", type=int, default=50_000, help="comments for the speed figure")
    args = parser.parse_args()
    print(machine_description())
    known = faker_given_names()
    assert not any(full.split()[0] in known for full in UNKNOWN), "an 'unknown' name is in the given-name list"
    sample = _unredacted_sample_comments()
    sample_row, sample_found = _precision_rows("sample consultation (`data/raw`)", sample)
    feedback_file = args.datasets / "pxtextmining" / "phase1_text_data.csv"
    feedback = pd.read_csv(feedback_file)["feedback"].dropna().astype(str).drop_duplicates().tolist()
    feedback_row, feedback_found = _precision_rows("pxtextmining patient feedback", feedback)
    for name, found in (("sample", sample_found), ("pxtextmining", feedback_found)):
        print(f"\n{name}: {len(found)} found")
        for placeholder, text in found:
            verdict = {True: "true", False: "FALSE"}.get(REVIEWED.get((placeholder, text)), "unreviewed")
            print(f"  {placeholder:10} {verdict:10} {text!r}")
    planted_row, leaks = _planted_recall("test_planted_personal_data")
    print("\n" + planted_row, *leaks, sep="\n  ")
    variants_row, variant_leaks = _planted_recall("test_planted_personal_data_variants")
    print("\n" + variants_row, *variant_leaks, sep="\n  ")
    speed = _speed(sample, args.size)
    print(speed)
    false_found = sorted({f"`{t}`" for p, t in sample_found + feedback_found if REVIEWED.get((p, t)) is False})
    unreviewed = sorted({f"{p} `{t}`" for p, t in sample_found + feedback_found if (p, t) not in REVIEWED})
    given = len(given_names())
    section = "\n".join([
        "### Redaction: precision on ordinary text, recall on planted details",
        "",
        "Precision: every detail redaction finds, looked up in the verdicts a person gave after reading each one in "
        "its context (`REVIEWED` in `benchmarks/bench_redaction.py`).",
        "",
        "| text | comments | found | true | false | false share | unreviewed |",
        "|---|---:|---|---:|---:|---:|---:|",
        sample_row,
        feedback_row,
        "",
        f"Wrongly redacted: {', '.join(false_found) or 'none'}. Unreviewed: {', '.join(unreviewed) or 'none'}.",
        "",
        f"Recall end to end (`run` on the files of `tests/test_planted_personal_data.py`): {planted_row}."
        + (f" Leaked: {'; '.join(leaks)}." if leaks else ""),
        "",
        f"Recall end to end (`run` on the files of `tests/test_planted_personal_data_variants.py`, other layouts and "
        f"places): {variants_row}." + (f" Leaked: {'; '.join(variant_leaks)}." if variant_leaks else ""),
        "",
        f"Recall per layout and context ({given:,} trusted given names from Faker; the unknown names are not in its lists):",
        "",
        "| details | caught (names in the given-name list) | caught (names not in it) |",
        "|---|---:|---:|",
        *_detail_recall(),
        *_name_recall(),
        "",
        f"Speed: {speed}.",
    ])
    path = write_section("redaction", section)
    print(f"\nWrote the redaction section of {path}")


if __name__ == "__main__":
    main()
