"""The report's figures from plain data: months, per-month meetings, outcomes, the median."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from flows.report import ActionFact, ReportData, SessionFact, figures, month_starts, period_start

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def at(month: int, day: int, year: int = 2026, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_months_run_back_across_the_year_in_the_sets_zone():
    assert month_starts(NOW, "UTC", 6) == tuple(
        date(y, m, 1)
        for y, m in ((2026, 7), (2026, 8), (2026, 9), (2026, 10), (2026, 11), (2026, 12))
    )
    assert month_starts(NOW, "UTC", 12)[0] == date(2026, 1, 1)
    # 23:30 UTC on 31 December is already January in Lagos (UTC+1)
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert month_starts(new_year, "Africa/Lagos", 6)[-1] == date(2027, 1, 1)
    assert period_start(NOW, "Africa/Lagos", 6) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_meetings_are_counted_in_their_month_and_older_ones_left_out():
    data = ReportData(
        sessions=(
            SessionFact(at(5, 3)),  # before the six months
            SessionFact(at(7, 1)),
            SessionFact(at(9, 10), score_mean=7.5, score_count=2),
            SessionFact(at(9, 24), score_mean=9.0, score_count=1),
            SessionFact(at(12, 1)),
        )
    )
    f = figures(data, NOW, "UTC", 6)
    assert f.meetings == (1, 0, 2, 0, 0, 1) and f.meetings_total == 4
    assert f.scores == ((date(2026, 9, 10), 7.5), (date(2026, 9, 24), 9.0))
    assert f.score_mean == 8.25


def test_outcomes_continuations_and_the_median_days():
    data = ReportData(
        actions=(
            ActionFact(at(8, 1), at(8, 15), "partly", continued="carried"),
            ActionFact(at(8, 15), at(9, 15), "done"),
            ActionFact(at(9, 1), at(9, 4), "not_yet", continued="changed"),
            ActionFact(at(9, 4), at(10, 4), "dropped"),
            ActionFact(at(11, 20)),  # still open
            ActionFact(at(1, 2), at(1, 30), "done"),  # before the six months
        )
    )
    f = figures(data, NOW, "UTC", 6)
    assert dict(f.outcomes) == {"done": 1, "partly": 1, "not_yet": 1, "dropped": 1, "open": 1}
    assert [name for name, _ in f.outcomes] == ["done", "partly", "not_yet", "dropped", "open"]
    assert (f.carried, f.changed) == (1, 1)
    assert f.median_days == 22.0  # 14, 31, 3, 30 → (14 + 30) / 2
    assert not f.empty and f.goal is None


def test_a_set_with_no_history_is_empty_and_has_no_median():
    f = figures(ReportData(), NOW, "UTC", 12)
    assert f.empty and f.median_days is None and f.score_mean is None
    assert len(f.months) == len(f.meetings) == 12


@given(
    st.lists(st.integers(min_value=0, max_value=400), max_size=40),
    st.sampled_from((6, 12)),
)
def test_every_meeting_in_the_period_lands_in_exactly_one_month(days_ago, months):
    data = ReportData(sessions=tuple(SessionFact(NOW - timedelta(days=d)) for d in days_ago))
    f = figures(data, NOW, "Asia/Riyadh", months)
    since = period_start(NOW, "Asia/Riyadh", months)
    assert f.meetings_total == sum(NOW - timedelta(days=d) >= since for d in days_ago)
