"""Emails (.eml, .mbox) become comments: cleaned, split into points, redacted, attachments logged."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pandas as pd
import pytest

import _ingest_files as files
from tcs_themes.ingest import ingest


def _comments(tmp_path: Path, name: str, message) -> pd.DataFrame:
    result = ingest(files.write_eml(tmp_path / name, message))
    assert result.errors == []
    return result.comments


def test_plain_email(tmp_path: Path) -> None:
    comments = _comments(tmp_path, "plain.eml", files.PLAIN)
    assert comments["text"].tolist() == ["The paper reads well but needs a plan for how we will know it has worked."]
    row = comments.iloc[0]
    assert row["source_kind"] == "email"
    assert row["location"] == "plain.eml#1"
    assert row["part"] == 1
    assert row["message_id"] == "views-on-the-paper@mail.example"
    assert row["sender_org"] == "Riverside Community Trust"  # from the signature
    assert row["date"] == pd.Timestamp("2022-07-19 09:15:00")
    assert pd.isna(row["session_id"]) and pd.isna(row["question"]) and pd.isna(row["sheet"]) and pd.isna(row["strand"])


def test_html_only_email(tmp_path: Path) -> None:
    comments = _comments(tmp_path, "html.eml", files.HTML_ONLY)
    assert comments["text"].tolist() == ["As a resident I think the parks need more benches."]
    assert pd.isna(comments.iloc[0]["sender_org"])  # webmail, no signature


def test_quoted_reply_signature_and_disclaimer_removed(tmp_path: Path) -> None:
    comments = _comments(tmp_path, "reply.eml", files.REPLY)
    assert comments["text"].tolist() == ["Please count our officers in for the next round of sessions."]
    assert comments.iloc[0]["sender_org"] == "Oxfordshire County Council"


def test_attachment_is_logged_not_read(tmp_path: Path) -> None:
    path = files.write_eml(tmp_path / "attached.eml", files.with_attachment(copy.deepcopy(files.PLAIN)))
    result = ingest(path)
    assert len(result.comments) == 1
    attachment = result.log[result.log["reason"] == "attachment"]
    assert attachment["detail"].tolist() == ["attachment 1 (.pdf, application/pdf, 20 bytes): attachments are not read"]
    assert result.files.iloc[0]["attachments"] == 1


def test_several_points_become_several_comments(tmp_path: Path) -> None:
    comments = _comments(tmp_path, "points.eml", files.POINTS)
    assert comments["text"].tolist() == [
        "Define 'thriving' in plain English.",
        "Ring [NAME] on [PHONE] about the venue list.",
        "Publish the action plan.",
    ]
    assert comments["part"].tolist() == [1, 2, 3]
    assert comments["message_id"].nunique() == 1
    assert comments["redactions"].tolist() == [0, 2, 0]
    assert comments["sender_org"].tolist() == ["arts-network.org"] * 3  # from the domain


def test_separate_paragraphs_are_separate_points(tmp_path: Path) -> None:
    message = files._message(
        "Paragraphs", "a@b.org", "Parks need benches.\n\nBuses need to run later.\n\nKind regards\nA\n"
    )
    assert _comments(tmp_path, "p.eml", message)["text"].tolist() == ["Parks need benches.", "Buses need to run later."]


def test_mbox_with_several_messages_and_strand_from_register(tmp_path: Path) -> None:
    register = files.write_register(tmp_path)
    path = files.write_mbox(tmp_path / "inbox.mbox", [files.POINTS, files.HTML_ONLY])
    result = ingest(path, register=register)
    assert result.comments["location"].tolist() == [
        "inbox.mbox:1#1", "inbox.mbox:1#2", "inbox.mbox:1#3", "inbox.mbox:2#1",
    ]
    assert set(result.comments["strand"]) == {"Emails"}


def test_settings_email_strand_wins_over_register(tmp_path: Path) -> None:
    register = files.write_register(tmp_path)
    settings = tmp_path / "tcs-themes.yaml"
    settings.write_text("emails: {strand: null}\n", encoding="utf-8")
    path = files.write_eml(tmp_path / "plain.eml", files.PLAIN)
    assert ingest(path, register=register, settings=settings).comments["strand"].isna().all()


def test_sender_address_and_name_never_in_text(tmp_path: Path) -> None:
    message = files._message(
        "Contact", "Morgan Price <morgan.price@example.org>",
        "Morgan Price here: write to morgan.price@example.org or visit us at OX4 1AA.\n",
    )
    text = _comments(tmp_path, "c.eml", message)["text"].tolist()
    assert text == ["[NAME] here: write to [EMAIL] or visit us at [POSTCODE]."]


def test_the_same_email_twice_is_merged(tmp_path: Path) -> None:
    files.write_eml(tmp_path / "a.eml", files.PLAIN)
    files.write_mbox(tmp_path / "box.mbox", [files.PLAIN])
    result = ingest(tmp_path)
    assert len(result.comments) == 1
    assert result.log.loc[result.log["reason"] != "removed", "reason"].tolist() == ["duplicate"]


def test_msg_without_the_outlook_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # import fails as when not installed
    (tmp_path / "message.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    files.write_eml(tmp_path / "plain.eml", files.PLAIN)
    result = ingest(tmp_path)
    assert len(result.comments) == 1
    assert len(result.errors) == 1
    assert 'pip install "tcs-themes[outlook]"' in result.errors[0]
    assert result.errors[0].startswith(f"{tmp_path.as_posix()}/message.msg: ")


def test_sign_off_before_dash_signature_and_headings(tmp_path: Path) -> None:
    message = files._message(
        "Headings", "Kit Lowe <kit@towpath-trust.org>",
        "Dear team,\n\nAlignment\n- Link it to the county plan.\n- Avoid duplicate surveys.\n\nGovernance\n\n"
        "Name one lead officer.\n\nBest wishes,\nKit\n\n--\nKit Lowe\nCoordinator, Towpath Trust\nCharity no. 1234567\n",
    )
    comments = _comments(tmp_path, "h.eml", message)
    assert comments["text"].tolist() == ["Link it to the county plan.", "Avoid duplicate surveys.", "Name one lead officer."]
    assert comments["sender_org"].tolist() == ["Towpath Trust"] * 3


def test_signature_without_sign_off_starts_with_the_sender_name(tmp_path: Path) -> None:
    message = files._message(
        "Name only", "Lee Hart <lee.hart@example.net>", "The buses stop too early.\n\nLee Hart\nFlat 2, Some Road\n"
    )
    assert _comments(tmp_path, "n.eml", message)["text"].tolist() == ["The buses stop too early."]


def test_an_organisation_as_sender_name_is_not_redacted_word_by_word(tmp_path: Path) -> None:
    message = files._message(
        "Org", "Southfield Food Bank <info@foodbank.example.org>", "Food banks are community spaces too.\n"
    )
    comments = _comments(tmp_path, "o.eml", message)
    assert comments["text"].tolist() == ["Food banks are community spaces too."]
    assert comments["redactions"].tolist() == [0]
