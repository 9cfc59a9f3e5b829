"""The organisation digest's picture: its size, its series (read from matplotlib's objects, not
pixels), quiet sets marked, many sets as the first rows and the rest, each language."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.org_digest_picture import ROWS, digest_figure, digest_png
from bot.picture_style import SIZE
from flows.org_digest import SetFacts, month_bounds, org_digest

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
START, END = month_bounds(NOW, "UTC")
CREATED = NOW - timedelta(days=300)


def facts(set_id, members=4, **fields) -> SetFacts:
    return SetFacts(set_id=set_id, members=members, created_at=CREATED, **fields)


SETS = [
    facts("aaaaaa11", held=3, goal_count=2, goal_unit="month", last_meeting_at=NOW - timedelta(2)),
    facts("bbbbbb22", held=0, last_meeting_at=NOW - timedelta(days=45), closed=2, completed=1),
    facts("cccccc33", members=2, held=4, closed=4, completed=4, last_meeting_at=NOW),
]
DIGEST = org_digest(SETS, start=START, end=END, now=NOW, timezone="UTC")


def by_gid(figure, gid):
    [ax] = [ax for ax in figure.axes if ax.get_gid() == gid]
    return ax


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_picture_is_a_png_of_its_size(language):
    image = Image.open(io.BytesIO(digest_png(DIGEST, language)))
    assert image.format == "PNG" and image.size == SIZE == (960, 1200)
    low, high = image.convert("L").getextrema()
    assert high - low > 100


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_one_row_per_set_quiet_first_small_sets_pooled_last(language):
    figure = digest_figure(DIGEST, language)
    meetings, completion = by_gid(figure, "meetings"), by_gid(figure, "completion")
    assert [bar.get_width() for bar in meetings.patches] == [0, 3, 4]  # quiet bbbb first
    assert [bar.get_width() for bar in completion.patches] == [50, 0, 100]
    names = [t.get_text() for t in meetings.get_yticklabels()]
    assert names[0].startswith("#bbbbbb") and names[1] == "#aaaaaa" and "1" in names[2]
    assert names[0] != "#bbbbbb"  # marked quiet
    assert meetings.get_yticklabels()[0].get_color() == "#c62828"
    [goal] = [c for c in meetings.collections if c.get_gid() == "goal"]
    assert goal.get_offsets().tolist() == [[2.0, 1.0]]  # aaaa's goal of 2, on its row
    assert meetings.xaxis_inverted() == (language == "ar")
    assert "cccccc" not in " ".join(names)  # a small set is never named


def test_the_words_are_the_staff_members_language_without_bidi_controls():
    figure = digest_figure(DIGEST, "ar")
    assert "المجموعات" in figure.get_suptitle() and "\u2068" not in figure.get_suptitle()
    names = [t.get_text() for t in by_gid(figure, "meetings").get_yticklabels()]
    assert "متوقّفة" in names[0] and names[2] == "مجموعات صغيرة: 1"
    assert "Réunions" in by_gid(digest_figure(DIGEST, "fr"), "meetings").get_title(loc="left")


def test_a_thousand_sets_show_the_first_rows_and_the_rest_as_one_per_set():
    many = [
        facts(f"{i:016x}", held=i % 3, last_meeting_at=NOW - timedelta(days=i % 40))
        for i in range(1000)
    ]
    digest = org_digest(many, start=START, end=END, now=NOW, timezone="UTC")
    meetings = by_gid(digest_figure(digest, "en"), "meetings")
    assert len(meetings.patches) == ROWS
    rest = digest.rows[ROWS - 1 :]
    assert meetings.get_yticklabels()[-1].get_text() == f"other sets: {sum(r.sets for r in rest)}"
    mean = sum(r.held for r in rest) / sum(r.sets for r in rest)
    assert meetings.patches[-1].get_width() == pytest.approx(mean)  # per set, on the same scale


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_zero_bar_has_its_value_past_the_axis_in_the_reading_direction(language):
    figure = digest_figure(DIGEST, language)
    figure.canvas.draw()
    meetings = by_gid(figure, "meetings")
    zero_bar = meetings.patches[0]  # the quiet set held no meeting
    assert zero_bar.get_width() == 0
    label = meetings.texts[0]
    axis_x = zero_bar.get_window_extent().x0
    box = label.get_window_extent()
    if language == "ar":  # bars grow leftwards from the axis on the right
        assert box.x1 <= axis_x
    else:
        assert box.x0 >= axis_x
