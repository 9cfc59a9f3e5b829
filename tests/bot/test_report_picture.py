"""The report's picture: produced, of its size, with the expected series (read from
matplotlib's objects, not from pixels), in each language."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.picture_style import SIZE, shaped
from bot.report_picture import report_figure, report_png
from flows.report import ActionFact, ReportData, SessionFact, figures

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)
DATA = ReportData(
    sessions=(
        SessionFact(NOW - timedelta(days=60), score_mean=6.5, score_count=2),
        SessionFact(NOW - timedelta(days=30)),
        SessionFact(NOW - timedelta(days=1), score_mean=9.0, score_count=3),
    ),
    actions=(
        ActionFact(NOW - timedelta(days=60), NOW - timedelta(days=30), "partly", "carried"),
        ActionFact(NOW - timedelta(days=30), NOW - timedelta(days=1), "done"),
        ActionFact(NOW - timedelta(days=1)),
    ),
)
REPORT = figures(DATA, NOW, "UTC", 6)


def by_gid(figure, gid):
    [ax] = [ax for ax in figure.axes if ax.get_gid() == gid]
    return ax


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_picture_is_a_png_of_its_size(language):
    png = report_png(REPORT, language)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == SIZE == (960, 1200)
    low, high = image.convert("L").getextrema()
    assert high - low > 100  # not blank


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_picture_holds_the_figures_series(language):
    figure = report_figure(REPORT, language)
    meetings = by_gid(figure, "meetings")
    assert [bar.get_height() for bar in meetings.patches] == [0, 0, 0, 1, 1, 1]
    assert [t.get_text() for t in meetings.get_xticklabels()][-1] in ("Dec", "déc.", "ديسمبر")
    actions = by_gid(figure, "actions")
    assert [bar.get_width() for bar in actions.patches] == [1, 1, 0, 0, 1]
    [line] = by_gid(figure, "scores").get_lines()
    assert list(line.get_ydata()) == [6.5, 9.0]
    assert (
        "1" in [t for t in figure.texts + actions.texts if t.get_gid() == "continued"][0].get_text()
    )
    assert meetings.xaxis_inverted() == (language == "ar")


def test_labels_are_in_the_sets_language_without_bidi_controls():
    figure = report_figure(REPORT, "ar")
    title = figure.get_suptitle()
    assert "الأشهر" in title and "\u2068" not in title
    assert shaped("\u2068Ann\u2069 يسأل") == "Ann يسأل"
    assert by_gid(figure, "actions").get_yticklabels()[0].get_text() == "أُنجز"


def test_the_goal_hook_draws_a_line_when_a_goal_is_given():
    assert not [line for line in by_gid(report_figure(REPORT, "en"), "meetings").get_lines()]
    meetings = by_gid(report_figure(replace(REPORT, goal=2), "en"), "meetings")
    [goal] = [line for line in meetings.get_lines() if line.get_gid() == "goal"]
    assert list(goal.get_ydata()) == [2, 2]


def test_no_scores_says_so_instead_of_an_empty_line():
    figure = report_figure(replace(REPORT, scores=()), "en")
    scores = by_gid(figure, "scores")
    assert scores.get_lines() == [] and "No session scored yet" in scores.texts[0].get_text()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_count_stands_past_its_bar_end_in_the_reading_direction(language):
    figure = report_figure(REPORT, language)
    figure.canvas.draw()
    actions = by_gid(figure, "actions")
    bar = actions.patches[0]
    [label] = [t for t in actions.texts if t.get_text() == "1"][:1]
    bar_box = bar.get_window_extent()
    label_box = label.get_window_extent()
    if language == "ar":  # bars grow leftwards from the right edge
        assert actions.xaxis_inverted() and label_box.x1 <= bar_box.x0
    else:
        assert not actions.xaxis_inverted() and label_box.x0 >= bar_box.x1
