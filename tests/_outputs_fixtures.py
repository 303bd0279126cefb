"""A small but realistic coded table, codebook, register and 4Ps workbook for the output tests.

The coded table has the schema's columns, three strands with sessions of
different sizes, emails with no strand, multi-theme comments, sub-themes,
uncoded comments, comments with redaction markers and comments that start
with characters a spreadsheet would run as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from tcs_themes.codebook.model import Codebook, Theme
from tcs_themes.schema import CODED_COLUMNS, LIST_SEPARATOR, UNCODED, conform_comments, score_column


def make_codebook() -> Codebook:
    """Return a six-theme codebook with sub-themes under two of its themes."""
    themes = (
        Theme("clarity", "Clarity", "Jargon, length, plain English.", colour="#0072B2"),
        Theme("funding_costs", "Funding and costs", "Costs and funding.", colour="#E69F00"),
        Theme("green_spaces", "Green spaces", "Parks and nature.", colour="#009E73"),
        Theme("community_involvement", "Community involvement and engagement", "Listening to residents."),
        Theme("governance", "Governance and leadership", "Who owns the strategy."),
        Theme("community_safety", "Community safety", "Policing, lighting, safe places."),
    )
    subthemes = (
        Theme("terminology", "Terminology", parent="clarity"),
        Theme("length", "Length", parent="clarity"),
        Theme("funding_strategy", "Funding the strategy", parent="funding_costs"),
        Theme("access_to_funds", "Communities' access to funds", parent="funding_costs"),
    )
    return Codebook(name="Test codebook", themes=themes, subthemes=subthemes)


@dataclass
class Register:
    """A sessions register with the shape of ``tcs_themes.ingest.register.SessionRegister``."""

    sessions: pd.DataFrame
    strands: dict[str, str]


def make_register() -> Register:
    """Return a register of 8 sessions in three strands (one strand-3 session has no comments)."""
    rows = [
        ("S01", "Corporate management team", "Strand 1", "2022-07-05", "online"),
        ("S02", "Policy officers' network", "Strand 1", "2022-07-14", "online"),
        ("S03", "Community partners", "Strand 2", "2022-07-07", "online"),
        ("S04", "Councillors' briefing", "Strand 2", "2022-07-13", "online"),
        ("S05", "Voluntary sector forum", "Strand 2", "2022-08-03", "in person"),
        ("S06", "Play day at Florence Park", "Strand 3", "2022-08-04", "community event"),
        ("S07", "Eid celebration", "Strand 3", "2022-07-10", "community event"),
        ("S08", "Lived experience advisory forum", "Strand 3", "2022-09-15", "in person"),
    ]
    sessions = pd.DataFrame(rows, columns=["session_id", "session_name", "strand", "date", "format"])
    sessions["date"] = pd.to_datetime(sessions["date"])
    strands = {
        "Strand 1": "Strategic overview",
        "Strand 2": "Whole-system conversations",
        "Strand 3": "Locality conversations",
    }
    return Register(sessions=sessions, strands=strands)


# (themes most confident first, subthemes, text); "" themes means uncoded.
_COMMENTS: dict[str, list[tuple[str, str, str]]] = {
    "S01": [
        ("clarity", "clarity/terminology", "The paper uses a lot of jargon that residents will not understand."),
        ("clarity; governance", "clarity/length", "It is far too long and it is not clear who will own it."),
        ("governance", "", "We need a named lead who is accountable for delivering this strategy."),
        ("funding_costs", "funding_costs/funding_strategy", "How will the strategy be funded when budgets are being cut?"),
    ],
    "S02": [
        ("clarity", "clarity/terminology", "Terms like thriving communities need a plain English definition."),
        ("clarity", "", "Write it in plain English so that people can read it in ten minutes."),
        ("governance; clarity", "", "Who makes the decisions and how will residents know who is responsible?"),
        ("", "", "Thanks for the presentation."),
    ],
    "S03": [
        ("community_involvement", "", "Do things with communities, not to them, and listen to what they tell you."),
        ("community_involvement; green_spaces", "", "Community events in the park bring neighbours together."),
        ("funding_costs", "funding_costs/access_to_funds", "Small groups find it hard to get grants; make funding simpler to access."),
        ("clarity", "clarity/terminology", "Avoid acronyms in the final strategy, they put people off."),
        ("community_involvement", "", "Pay people for their time when they help design services."),
    ],
    "S04": [
        ("community_involvement", "", "Go out to where people already meet instead of asking them to come to you."),
        ("funding_costs; governance", "funding_costs/funding_strategy", "Be honest about what money is available and who decides how it is spent."),
        ("green_spaces", "", "Parks need to be open and welcoming to everyone in the city."),
        ("community_safety", "", "Better street lighting would make people feel safer walking home."),
        ("", "", "- more youth clubs please"),
    ],
    "S05": [
        ("community_involvement", "", "Volunteers and residents should help shape the plan from the start."),
        ("community_involvement", "", "Listen to residents and show them what changed because of what they said."),
        ("funding_costs", "funding_costs/access_to_funds", "Community groups need small grants that are quick to apply for."),
        ("green_spaces; community_involvement", "", "=HYPERLINK(\"http://example.org\",\"Friends of the park groups\") should be involved."),
        ("", "", "Contact [NAME] on [PHONE] for more details."),
    ],
    "S06": [
        ("green_spaces", "", "The park is the only safe place for the children to play in the summer."),
        ("green_spaces", "", "More trees and benches in the park would help families spend time outside."),
        ("community_safety; green_spaces", "", "The park needs lights because it feels unsafe after dark."),
        ("community_involvement", "", "Fun days like this one bring the whole estate together."),
    ],
    "S07": [
        ("community_involvement", "", "Events like this make people feel part of the city."),
        ("green_spaces", "", "Families need green space close to home that is free to use."),
        ("", "", "Lovely food today."),
    ],
}

_EMAILS: list[tuple[str, str, str, str]] = [
    ("<e1@example.org>", "Oxford Civic Society", "clarity; funding_costs", "The document should say in plain terms what it will cost."),
    ("<e1@example.org>", "Oxford Civic Society", "governance", "The board should publish who is accountable for each aim."),
    ("<e2@example.org>", "Park Friends Network", "green_spaces", "Green spaces are vital for wellbeing and must be protected."),
    ("<e3@example.org>", "Unknown", "", "Please email me at [EMAIL] with the outcome."),
]


def make_coded(codebook: Codebook | None = None) -> pd.DataFrame:
    """Return a coded table (schema columns and per-theme scores) of 35 comments."""
    codebook = codebook or make_codebook()
    register = make_register().sessions.set_index("session_id")
    questions = ["What have we missed?", "What does success look like and how do we measure it?"]
    rng = np.random.default_rng(7)
    rows = []
    for session_id, comments in _COMMENTS.items():
        session = register.loc[session_id]
        for position, (themes, subthemes, text) in enumerate(comments, start=1):
            rows.append(
                {
                    "source_file": f"notes/{session['strand'].replace(' ', '_').lower()}.xlsx",
                    "source_kind": "spreadsheet",
                    "sheet": session_id,
                    "row": position + 1,
                    "location": f"{session_id}!R{position + 1}",
                    "session_id": session_id,
                    "session_name": session["session_name"],
                    "strand": session["strand"],
                    "date": session["date"],
                    "question": questions[position % 2] if session["strand"] != "Strand 3" else None,
                    "text": text,
                    "_themes": themes,
                    "_subthemes": subthemes,
                }
            )
    for part, (message_id, org, themes, text) in enumerate(_EMAILS, start=1):
        rows.append(
            {
                "source_file": "mailbox/consultation.mbox",
                "source_kind": "email",
                "message_id": message_id,
                "part": part,
                "location": f"consultation.mbox#{part}",
                "date": "2022-09-01",
                "sender_org": org,
                "text": text,
                "_themes": themes,
                "_subthemes": "",
            }
        )
    frame = pd.DataFrame(rows)
    frame["comment_id"] = [f"c{index:012x}" for index in range(1, len(frame) + 1)]
    frame["redactions"] = frame["text"].str.count(r"\[(?:EMAIL|PHONE|POSTCODE|NAME)\]")
    ids = codebook.ids
    scores = np.round(rng.uniform(0.0, 0.3, size=(len(frame), len(ids))), 3)
    theme_lists = [[t for t in value.split("; ") if t in ids] for value in frame["_themes"]]
    for row, themes in enumerate(theme_lists):
        for rank, theme_id in enumerate(themes):
            scores[row, ids.index(theme_id)] = round(0.95 - 0.2 * rank - 0.01 * (row % 5), 3)
    frame["themes"] = [LIST_SEPARATOR.join(t) if t else UNCODED for t in theme_lists]
    frame["primary_theme"] = [t[0] if t else UNCODED for t in theme_lists]
    frame["confidence"] = [float(scores[i, ids.index(t[0])]) if t else 0.0 for i, t in enumerate(theme_lists)]
    frame["n_themes"] = [len(t) for t in theme_lists]
    frame["sources"] = [LIST_SEPARATOR.join("both" if k == 0 else "model" for k in range(len(t))) for t in theme_lists]
    frame["subthemes"] = frame["_subthemes"]
    # every fourth session comment came coded by an analyst
    analyst = (frame["source_kind"] == "spreadsheet") & (frame.index % 4 == 0)
    frame["code_source"] = np.where(analyst, "analyst", "machine")
    frame.loc[analyst, "sources"] = [LIST_SEPARATOR.join(["analyst"] * max(len(theme_lists[i]), 1)) for i in frame.index[analyst]]
    frame["machine_themes"] = frame["themes"]
    frame["evidence"] = [
        " | ".join(f'{t}: rule "{t.split("_")[0]}"' if k == 0 else f"{t}: model {scores[i, ids.index(t)]:.2f}" for k, t in enumerate(ts))
        for i, ts in enumerate(theme_lists)
    ]
    frame["low_confidence"] = [bool(t) and row % 7 == 3 for row, t in enumerate(theme_lists)]
    for index, theme_id in enumerate(ids):
        frame[score_column(theme_id)] = scores[:, index]
    frame = conform_comments(frame.drop(columns=["_themes", "_subthemes"]))
    for name, dtype in CODED_COLUMNS.items():
        frame[name] = frame[name].astype(dtype)
    standard = list(frame.columns[: -len(ids) - len(CODED_COLUMNS)])
    return frame[standard + list(CODED_COLUMNS) + [score_column(t) for t in ids]]


def write_exercises(path: Path) -> Path:
    """Write a valid 4Ps exercise workbook (two events) to ``path`` and return it."""
    book = Workbook()
    choices = book.active
    choices.title = "Choices"
    choices.append(["Event", "People", "Pride", "Place", "Progress"])
    choices.append(["Play day at Florence Park", 14, 6, 21, 3])
    choices.append(["Eid celebration", 19, 11, 8, 5])
    statements = book.create_sheet("Statements")
    statements.append(["Event", "P", "Statement", "Stickers", "Reasons"])
    statements.append(["Play day at Florence Park", "Place", "Parks and play areas are safe and clean", 12, "Somewhere for the kids to go\nMore bins"])
    statements.append(["Play day at Florence Park", "People", "Everyone can take part in community life", 7, None])
    statements.append(["Eid celebration", "People", "Everyone can take part in community life", 9, "Events for all ages"])
    statements.append(["Eid celebration", "Pride", "People are proud of where they live", 4, "Our mosque and our street"])
    statements.append(["Eid celebration", "Progress", "Good jobs and skills for local people", 3, ""])
    book.save(path)
    return path
