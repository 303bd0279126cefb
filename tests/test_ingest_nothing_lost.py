"""Nothing lost from emails: only real boilerplate is removed, every line is a comment or logged, mbox survives bad messages."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import _ingest_files as files
from tcs_themes.ingest import ingest

BODY = """Dear consultation team,

Our first point: the disclaimer on the survey form put people off answering.

If you have received complaints about the buses, please publish them.

The views expressed at the meeting do not match what residents told us.

Sent from my GP to the community centre, I found no step-free entrance.

More bus routes

Kind regards,
Robin Ashby
Ashby Community Trust
01865 000123

PS the library should open on Sundays.

This email is confidential and intended solely for the addressee. If you have received it in error, delete it.
"""


def _lines_accounted(body: str, result) -> None:
    """Every non-blank line of ``body`` is inside a comment or inside a logged removed range."""
    text = " ".join(result.comments["text"])
    removed: set[int] = set()
    for location in result.log.loc[result.log["reason"] == "removed", "location"]:
        first, _, last = re.search(r"lines? (\d+(?:-\d+)?)$", location).group(1).partition("-")
        removed.update(range(int(first), int(last or first) + 1))
    for number, line in enumerate(body.split("\n"), start=1):
        words = re.sub(r"^\s*(?:\d+[.)]|[-*])\s+", "", line).split()
        if words and number not in removed:
            assert " ".join(words) in text, f"line {number} lost"


def test_only_real_boilerplate_is_removed_and_every_line_is_accounted_for(tmp_path: Path) -> None:
    path = files.write_eml(tmp_path / "mixed.eml", files._message("Points", "Robin Ashby <robin@ashby-trust.org>", BODY))
    result = ingest(path)
    assert result.errors == []
    assert result.comments["text"].tolist() == [
        "Our first point: the disclaimer on the survey form put people off answering.",
        "If you have received complaints about the buses, please publish them.",
        "The views expressed at the meeting do not match what residents told us.",
        "Sent from my GP to the community centre, I found no step-free entrance.",
        "More bus routes",
        "PS the library should open on Sundays.",
    ]
    removed = result.log[result.log["reason"] == "removed"]
    assert removed[["location", "detail"]].values.tolist() == [
        ["mixed.eml line 1", "greeting"],
        ["mixed.eml line 13", "sign-off"],
        ["mixed.eml lines 14-16", "signature block at the end"],
        ["mixed.eml line 20", "disclaimer at the end"],
    ]
    row = result.files.iloc[0]
    assert (row["rows_read"], row["kept"], row["removed"]) == (10, 6, 4)
    # the organisation carries the sender's surname, which is redacted in every name of a thing
    assert result.comments["sender_org"].tolist() == ["[NAME] Community Trust"] * 6
    _lines_accounted(BODY, result)


def test_quoted_reply_and_lists_are_logged_line_by_line(tmp_path: Path) -> None:
    body = "> Can you come?\nYes, two of us.\n\n" + files.REPLY.get_content()
    message = files._message("Reply", "Alex Moreno <alex.moreno@county.example.gov.uk>", body)
    result = ingest(files.write_eml(tmp_path / "reply.eml", message))
    assert result.comments["text"].tolist() == [
        "Yes, two of us.", "Please count our officers in for the next round of sessions.",
    ]
    details = result.log.loc[result.log["reason"] == "removed", "detail"].tolist()
    assert details.count("quoted earlier message") == 3  # the inline quote, the reply header block, its paragraph
    _lines_accounted(body, result)
    points = "Hi all,\n\nOur points are:\n1. Define 'thriving' in plain English.\n2. Publish the\n   action plan.\n\nThanks,\nJo\n"
    result = ingest(files.write_eml(tmp_path / "points.eml", files._message("P", "jo@example.org", points)))
    assert result.comments["text"].tolist() == ["Define 'thriving' in plain English.", "Publish the action plan."]
    assert result.log["detail"].tolist() == ["greeting", "lead-in to a list", "sign-off", "signature block at the end"]
    _lines_accounted(points, result)


def test_a_short_body_paragraph_and_prose_after_the_sign_off_stay(tmp_path: Path) -> None:
    body = (
        "Keep the library\n\nThanks\nSam\n\n"
        "Also, I forgot to say that the bus stop by the school needs a shelter because children wait there in the rain.\n"
    )
    result = ingest(files.write_eml(tmp_path / "s.eml", files._message("Short", "Sam Lee <sam@example.org>", body)))
    assert result.comments["text"].tolist() == [
        "Keep the library",
        "Also, I forgot to say that the bus stop by the school needs a shelter because children wait there in the rain.",
    ]


def test_mbox_with_an_unescaped_from_line_and_a_message_without_sender(tmp_path: Path) -> None:
    good = bytes(files._message("Good", "Ann Lee <ann@example.org>", "The park needs lights.\n"))
    split = bytes(files._message(
        "Split", "Bo Ray <bo@example.org>", "The market is great.\n\nFrom my window I see the bus stop.\nIt is always full.\n"
    ))
    no_sender = b"Subject: lost sender\nDate: Tue, 19 Jul 2022 10:15:00 +0100\n\nA body with no From header.\n"
    mbox = b"".join(b"From sender@example.org Tue Jul 19 10:15:00 2022\n" + m.replace(b"\r\n", b"\n") + b"\n"
                    for m in (good, split, no_sender, good.replace(b"park", b"river")))
    (tmp_path / "box.mbox").write_bytes(mbox)
    files.csv_export(tmp_path / "good.csv", "utf-8")
    result = ingest(tmp_path)
    box = result.comments[result.comments["source_file"].str.endswith("box.mbox")]
    assert box["text"].tolist() == [
        "The park needs lights.", "The market is great.", "From my window I see the bus stop. It is always full.",
        "The river needs lights.",
    ]
    assert box["location"].str.split("#").str[0].tolist() == ["box.mbox:1", "box.mbox:2", "box.mbox:2", "box.mbox:4"]
    assert len(result.errors) == 1 and result.errors[0].endswith("(box.mbox:3): it has no From header, so it is not an email; export the message again as .eml")
    failed = result.log[result.log["reason"] == "error"]
    assert failed["location"].tolist() == ["box.mbox:3"]
    assert len(result.comments[result.comments["source_file"].str.endswith("good.csv")]) == 3


def _raw_email(charset: str, body: bytes) -> bytes:
    return (
        b"From: Ann Lee <ann@example.org>\nSubject: test\nMessage-ID: <" + charset.encode() + b"@x>\n"
        b"Content-Type: text/plain; charset=\"" + charset.encode() + b"\"\nContent-Transfer-Encoding: 8bit\n\n" + body
    )


def test_wrong_or_bogus_email_charsets_are_decoded_and_logged(tmp_path: Path) -> None:
    french = "Le café près de l\u2019église doit rester ouvert, même l\u2019été."
    (tmp_path / "bogus.eml").write_bytes(_raw_email("x-bogus-8", french.encode("cp1252")))
    (tmp_path / "ascii.eml").write_bytes(_raw_email("us-ascii", french.encode("utf-8")))
    (tmp_path / "latin.eml").write_bytes(_raw_email("iso-8859-1", french.encode("utf-8")))
    (tmp_path / "right.eml").write_bytes(_raw_email("windows-1252", french.replace("café", "bar").encode("cp1252")))
    result = ingest(tmp_path)
    assert result.errors == []
    assert result.comments["text"].str.contains("\ufffd").sum() == 0
    assert sorted(result.comments["text"]) == sorted([french, french, french, french.replace("café", "bar")])
    notes = result.log[result.log["reason"] == "decoded"].set_index("location")["detail"].to_dict()
    assert notes == {
        "ascii.eml": "declared charset 'us-ascii' does not fit the bytes; read as UTF-8",
        "bogus.eml": "declared charset 'x-bogus-8' is unknown; read as Windows-1252",
        "latin.eml": "declared charset 'iso-8859-1' but the text is UTF-8; read as UTF-8",
    }


def test_undecodable_email_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    (tmp_path / "bad.eml").write_bytes(_raw_email("utf-8", "Ça \u0436".encode("utf-8") + b" \x81\x8d\x8f\x90 end"))
    result = ingest(tmp_path)
    detail = result.log.loc[result.log["reason"] == "decoded", "detail"].tolist()
    assert len(detail) == 1 and detail[0].startswith("declared charset 'utf-8' does not fit the bytes; read as ")


def test_windows_1252_french_csv_is_read(tmp_path: Path) -> None:
    text = (
        "Comment\r\nLe march\u00e9 \u00e0\u00a0\u00ab\u00a0ciel ouvert\u00a0\u00bb est tr\u00e8s appr\u00e9ci\u00e9.\r\n"
        "R\u00c9SUM\u00c9\u00bb des id\u00e9es\u00a0: plus de bancs de 2\u00d73 m\u00e8tres \u00e0 5\u00a0\u20ac.\r\n"
        "L\u2019\u00e9t\u00e9 la f\u00eate du quartier \u2013 un succ\u00e8s\u2026\r\n"
    )
    (tmp_path / "fr.csv").write_bytes(text.encode("cp1252"))
    result = ingest(tmp_path / "fr.csv")
    assert result.errors == []
    assert result.comments["text"].tolist() == [line.replace("\xa0", " ") for line in text.split("\r\n")[1:] if line]
    mixed = text.encode("cp1252") + "Caf\u00e9 \u2019\r\n".encode("utf-8")
    (tmp_path / "mixed.csv").write_bytes(mixed)
    assert "mixes UTF-8 with another encoding" in ingest(tmp_path / "mixed.csv").errors[0]


def test_prose_after_the_sign_off_that_mentions_a_disclaimer_stays(tmp_path: Path) -> None:
    body = (
        "The park needs lights.\n\nBest wishes,\nLee\n\n"
        "One more thing: the disclaimer on the survey form was confusing and put many of our neighbours off answering.\n\n"
        "Lee Hart\nFlat 2, Some Road\n\n"
        "Lee Road needs a crossing near the school because the traffic is fast and there is no safe place to cross.\n"
    )
    message = files._message("After", "Lee Hart <lee.hart@example.net>", body)
    texts = ingest(files.write_eml(tmp_path / "a.eml", message)).comments["text"].tolist()
    assert texts[:2] == [
        "The park needs lights.",
        "One more thing: the disclaimer on the survey form was confusing and put many of our neighbours off answering.",
    ]
    ending = "Road needs a crossing near the school because the traffic is fast and there is no safe place to cross."
    assert len(texts) == 3 and texts[2].endswith(ending)  # prose starting with the sender's name is not a signature


@pytest.mark.parametrize("last", [
    "The views expressed by the council do not reflect what residents want.",
    "Disclaimer: I am a trustee of the park.",
    "If you have received this leaflet, please recycle it.",
    "Registered charity shops should pay lower business rates.",
])
def test_a_last_point_that_only_sounds_like_a_disclaimer_stays(tmp_path: Path, last: str) -> None:
    message = files._message("Last", "Ann Lee <ann@example.org>", f"The park needs lights.\n\n{last}\n")
    assert ingest(files.write_eml(tmp_path / "l.eml", message)).comments["text"].tolist() == [
        "The park needs lights.", last,
    ]


def test_comments_packed_as_they_come_give_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger packs comments into tables every PACK_EVERY (memory); the table is the same whatever that is."""
    from tcs_themes.ingest import ledger

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    whole = ingest([str(raw)])
    monkeypatch.setattr(ledger, "PACK_EVERY", 37)  # many packs, cut inside sessions and between sheets and emails
    packed = ingest([str(raw)])
    assert len(whole.comments) > 10 * 37
    pd.testing.assert_frame_equal(packed.comments, whole.comments)
    pd.testing.assert_frame_equal(packed.log, whole.log)
