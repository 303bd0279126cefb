"""A coded table edited or made by hand is redacted again before anything is published from it (issue 14).

The toolkit's own coded tables are already redacted and come back unchanged;
an analyst's hand-edited copy may carry a name, an email or a phone number in
any text column, and count, quotes, export and report must not publish them.
Every detail here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from _output_search import Normalised, found_in, output_texts
from tcs_themes.cli import app
from tcs_themes.ingest.plain_tables import redact_coded
from tcs_themes.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
CODED = ROOT / "data" / "coded" / "coded.parquet"
runner = CliRunner()

PLANTED = [
    ("phone", "07700 900461"),
    ("email", "kwame.mensah@example.org"),
    ("name", "Oluwaseun Adeyemi"),
    ("postcode", "OX4 9ZZ"),
]


def test_the_toolkits_own_coded_table_comes_back_unchanged() -> None:
    coded = read_table(CODED)
    pd.testing.assert_frame_equal(redact_coded(coded), coded)


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's coded table, given to a colleague who typed details into its text and session columns."""
    coded = read_table(CODED)
    coded = coded[coded["primary_theme"] == "green_spaces"].head(12).reset_index(drop=True)
    coded["text"] = coded["text"].astype(object)
    coded.loc[0, "text"] = "The park needs more benches. Ring me on 07700 900461 or kwame.mensah@example.org"
    coded.loc[1, "text"] = "My name is Oluwaseun Adeyemi and the park by OX4 9ZZ needs trees and a playground."
    coded["session_name"] = coded["session_name"].astype(object)
    coded.loc[2, "session_name"] = "Session with kwame.mensah@example.org"
    path = tmp_path_factory.mktemp("hand") / "coded.csv"
    coded.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("command", ["export", "quotes", "report", "count", "discover", "review"])
def test_nothing_typed_into_a_coded_table_is_published(hand_made: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    args = {
        "export": ["export", hand_made, "--out", out / "counts.xlsx"],
        "quotes": ["quotes", hand_made, "--theme", "green_spaces", "--n", "12", "--out", out / "quotes.csv"],
        "report": ["report", hand_made, "--out", out / "report.html"],
        "count": ["count", hand_made, "--by", "session", "--out", out / "counts.csv"],
        "discover": ["discover", hand_made, "--from", "all", "--out", out],
        "review": ["review", "export", hand_made, "--strategy", "random", "--n", "12", "--out", out / "review.xlsx"],
    }[command]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    texts = output_texts(out)
    assert texts, "nothing was written"
    texts["terminal"] = Normalised(result.output)
    leaks = [(kind, value, where) for kind, value in PLANTED for where, text in texts.items() if found_in(kind, value, text)]
    assert leaks == []

