"""The report's sentences: numbers formatted like the workbook, English like an analyst's."""

import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register, write_exercises

from tcs_themes.analysis.counts import count_all
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.outputs.report import narrative


@pytest.mark.parametrize(
    ("rank", "tied", "expected"),
    [(1, False, "most common"), (2, True, "joint second most common"), (11, False, "11th most common"), (22, False, "22nd most common")],
)
def test_ordinal_rank(rank: int, tied: bool, expected: str) -> None:
    assert narrative.ordinal_rank(rank, tied) == expected


def test_numbers_and_lists() -> None:
    assert narrative.percent(0.23529) == "23.5%"
    assert narrative.count(1067) == "1,067"
    assert [narrative.words(n) for n in (0, 4, 10, 11)] == ["no", "four", "ten", "11"]
    assert narrative.plural(1, "comment") == "1 comment" and narrative.plural(3, "email") == "3 emails"
    assert narrative.join(["a"]) == "a" and narrative.join(["a", "b", "c"]) == "a, b and c"


def test_less_common_line_and_summary() -> None:
    codebook = make_codebook()
    counts = count_all(make_coded(codebook), codebook, make_register())
    row = counts.overall[counts.overall["theme_id"] == "community_safety"].iloc[0]
    line = narrative.less_common_line(row, codebook)
    assert line == (
        "Community safety - 2 comments as the main theme (5.9%), 2 touching on it, in two of the eight sessions: "
        "policing, lighting, safe places."
    )
    points = narrative.summary_points(counts, codebook, make_register().strands, None)
    # figures the workbook shows (34 comments, 4 by email): the sessions' 30 is left as "the rest"
    assert points[0] == "34 comments were recorded: 4 in 3 emails to the consultation mailbox, and the rest in seven group sessions across three strands."
    assert "In Strand 3 (Locality conversations) the most common theme was Green spaces (42.9% of the strand's comments)." in points


def test_exercise_paragraph(tmp_path) -> None:
    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    assert narrative.exercise_paragraph(exercises) == (
        "At two community events, people placed 87 stickers against the P that matters most to them: "
        "People (33, 37.9%), Place (29, 33.3%), Pride (17, 19.5%) and Progress (8, 9.2%)."
    )
