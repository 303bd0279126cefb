"""Charts: ranked, readable (no label cut off), colour-blind-safe, A4-sized, saved as PNG and SVG."""

from pathlib import Path

import pytest
from _outputs_fixtures import make_codebook, make_coded, make_register, write_exercises
from matplotlib.colors import to_hex

from tcs_themes.analysis.counts import count_all
from tcs_themes.ingest.exercises import load_exercises
from tcs_themes.outputs.charts import (
    A4_TEXT_WIDTH,
    OKABE_ITO,
    UNCODED_COLOUR,
    draw_charts,
    exercise_choice_chart,
    exercise_statement_chart,
    ranked_theme_chart,
    strand_heatmap,
)


@pytest.fixture(scope="module")
def counts():
    codebook = make_codebook()
    return count_all(make_coded(codebook), codebook, make_register())


def _inside(fig) -> None:
    """Everything drawn (labels, titles, legends) lies within the figure: nothing is cut off."""
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = fig.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01
    assert tight.x1 <= width + 0.01 and tight.y1 <= height + 0.01


def _no_overlap(labels) -> None:
    boxes = [label.get_window_extent() for label in labels if label.get_text()]
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert not upper.overlaps(lower)


def test_ranked_chart_is_ranked_with_uncoded_last(counts) -> None:
    fig = ranked_theme_chart(counts.overall, title="Most common themes across all discussions")
    ax = fig.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels[0] == "Community involvement and engagement"
    assert labels[-1] == "Uncoded (no theme fitted)"
    widths = [bar.get_width() for bar in ax.patches]
    assert widths[:-1] == sorted(widths[:-1], reverse=True)
    assert to_hex(ax.patches[-1].get_facecolor()) == UNCODED_COLOUR.lower()
    assert to_hex(ax.patches[0].get_facecolor()) == OKABE_ITO[0].lower()
    assert fig.get_size_inches()[0] == pytest.approx(A4_TEXT_WIDTH)
    assert ax.get_xlabel() == "Number of comments (main theme)"
    _inside(fig)
    _no_overlap(ax.get_yticklabels())


def test_long_names_are_wrapped_not_cut(counts) -> None:
    table = counts.overall.copy()
    table.loc[0, "theme"] = "A very long theme name that goes on and on about community involvement in everything"
    fig = ranked_theme_chart(table, title="A long title " * 8)
    label = fig.axes[0].get_yticklabels()[0].get_text()
    assert "\n" in label and "everything" in label
    _inside(fig)
    _no_overlap(fig.axes[0].get_yticklabels())


def test_top_limits_the_bars(counts) -> None:
    fig = ranked_theme_chart(counts.overall, title="Top three", top=3)
    assert len(fig.axes[0].patches) == 4  # three themes and uncoded


def test_heatmap_and_exercise_charts_fit(counts, tmp_path: Path) -> None:
    heat = strand_heatmap(counts.by_strand, title="How the themes compare", strand_names=make_register().strands)
    _inside(heat)
    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    for fig in (exercise_choice_chart(exercises), exercise_statement_chart(exercises)):
        _inside(fig)
        assert fig.legends, "the 4Ps need a legend"


def test_draw_charts_writes_png_and_svg(counts, tmp_path: Path) -> None:
    exercises = load_exercises(write_exercises(tmp_path / "4ps.xlsx"))
    paths = draw_charts(counts, tmp_path / "charts", strand_names=make_register().strands, exercises=exercises)
    assert set(paths) == {
        "themes_overall", "themes_strand_1", "themes_strand_2", "themes_strand_3", "themes_no_strand_emails",
        "strand_heatmap", "exercise_choices", "exercise_statements",
    }  # fmt: skip
    for files in paths.values():
        assert files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = files["svg"].read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Most common themes: Strand 3 - Locality conversations" in paths["themes_strand_3"]["svg"].read_text()
