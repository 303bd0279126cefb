"""Case variables of an imported REFI-QDA project are decided like ingest's columns: personal ones dropped, others redacted.

Every detail is invented.
"""

from __future__ import annotations

from pathlib import Path

from test_qdpx_import import codes_xml, project, selection

from tcs_themes.codebook import load_codebook
from tcs_themes.ingest.qdpx import import_qdpx

VARIABLES = {"Full name": "Kwame Mensah", "E-mail": "kwame@example.org", "Column 7": "07700 900461",
             "Ward": "Cowley", "Notes": "ring 07700 900462 after six"}  # fmt: skip


def test_personal_case_variables_are_dropped_and_logged(tmp_path: Path) -> None:
    guids = {name: f"40000000-0000-4000-8000-{i:012d}" for i, name in enumerate(VARIABLES)}
    source = "30000000-0000-4000-8000-000000000001"
    body = codes_xml("Green spaces") + "<Variables>" + "".join(
        f'<Variable guid="{guid}" name="{name}" typeOfVariable="Text"/>' for name, guid in guids.items()
    ) + '</Variables><Cases><Case guid="50000000-0000-4000-8000-000000000001" name="Interviewee 1">' + "".join(
        f'<VariableValue><VariableRef targetGUID="{guids[name]}"/><TextValue>{value}</TextValue></VariableValue>'
        for name, value in VARIABLES.items()
    ) + f'<SourceRef targetGUID="{source}"/></Case></Cases><Sources>' + (
        f'<TextSource guid="{source}" name="Interview"><PlainTextContent>The park needs more lights at night.'
        f"</PlainTextContent>{selection(0, 36, 0)}</TextSource></Sources>"
    )
    result = import_qdpx(project(tmp_path / "cases.qdpx", body), load_codebook())
    [comment] = result.comments.to_dict("records")
    assert comment["ward"] == "Cowley" and comment["notes"] == "ring [PHONE] after six"
    assert not {"full_name", "e_mail", "column_7"} & set(result.comments.columns)
    assert not [v for v in ("Mensah", "kwame@", "900461") if v in str(result.comments.to_dict())]
    dropped = result.log[result.log["reason"] == "personal-column"]
    assert len(dropped) == 3 and dropped["detail"].str.startswith("case variable").all()
