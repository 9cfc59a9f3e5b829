"""The organisation digest's figures: goal met or not, rates, quiet sets, pooling, periods."""

from datetime import UTC, date, datetime, timedelta

from flows.goal import Goal
from flows.org_digest import (
    SetFacts,
    goal_target,
    month_bounds,
    next_digest_at,
    org_digest,
    quiet_after,
    recent_bounds,
)

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
START, END = month_bounds(NOW, "UTC")  # November 2026
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def facts(set_id: str, **fields) -> SetFacts:
    return SetFacts(set_id=set_id, members=fields.pop("members", 4), created_at=LONG_AGO, **fields)


def digest(*sets: SetFacts, now: datetime = NOW):
    return org_digest(list(sets), start=START, end=END, now=now, timezone="UTC")


def row(result, set_id):
    [found] = [r for r in result.rows if r.set_id == set_id]
    return found


def test_goal_met_or_not_against_what_the_goal_asks_for_in_the_month():
    recent = NOW - timedelta(days=3)
    result = digest(
        facts("met", goal_count=2, goal_unit="month", held=2, last_meeting_at=recent),
        facts("short", goal_count=2, goal_unit="month", held=1, last_meeting_at=recent),
        facts("weekly", goal_count=1, goal_unit="week", held=4, last_meeting_at=recent),
        facts("nogoal", held=1, last_meeting_at=recent),
    )
    assert (row(result, "met").target, row(result, "met").goal_met) == (2, 1)
    assert (row(result, "short").target, row(result, "short").goal_met) == (2, 0)
    assert (row(result, "weekly").target, row(result, "weekly").goal_met) == (4, 1)  # 30 days
    nogoal = row(result, "nogoal")
    assert (nogoal.target, nogoal.with_goal, nogoal.goal_met) == (None, 0, 0)


def test_goal_target_counts_calendar_months_whole_and_other_spans_pro_rata():
    month = Goal(count=7, unit="month")
    assert goal_target(month, date(2026, 2, 1), date(2026, 3, 1)) == 7  # a short February too
    assert goal_target(month, date(2026, 1, 1), date(2026, 4, 1)) == 21
    assert goal_target(Goal(count=2, unit="week"), date(2026, 11, 1), date(2026, 11, 15)) == 4
    assert goal_target(Goal(count=1, unit="month"), date(2026, 11, 3), date(2026, 12, 3)) == 1


def test_completion_and_carry_over_rates_are_over_the_actions_closed():
    result = digest(facts("a", closed=4, completed=3, carried=1), facts("b"))
    a, b = row(result, "a"), row(result, "b")
    assert (a.completion_rate, a.carry_rate) == (0.75, 0.25)
    assert (b.completion_rate, b.carry_rate) == (None, None)  # none closed: no rate, not 0 %


def test_quiet_is_twice_the_goals_spacing_or_thirty_days_without_a_goal():
    assert quiet_after(Goal(count=1, unit="week")) == timedelta(days=14)
    assert quiet_after(None) == timedelta(days=30)
    result = digest(
        facts("weekly_15d", goal_count=1, goal_unit="week", last_meeting_at=NOW - timedelta(15)),
        facts("weekly_13d", goal_count=1, goal_unit="week", last_meeting_at=NOW - timedelta(13)),
        facts("nogoal_29d", last_meeting_at=NOW - timedelta(days=29)),
        facts("nogoal_31d", last_meeting_at=NOW - timedelta(days=31)),
    )
    quiet = {r.set_id: r.quiet for r in result.rows}
    assert quiet == {"weekly_15d": 1, "weekly_13d": 0, "nogoal_29d": 0, "nogoal_31d": 1}
    assert row(result, "nogoal_31d").days_since == 31
    assert [r.set_id for r in result.rows][:2] == ["weekly_15d", "nogoal_31d"]  # quiet first


def test_a_set_that_never_met_is_quiet_from_its_creation():
    new = SetFacts(set_id="new", members=5, created_at=NOW - timedelta(days=10))
    old = SetFacts(set_id="old", members=5, created_at=NOW - timedelta(days=40))
    result = digest(new, old)
    assert (row(result, "new").quiet, row(result, "old").quiet) == (0, 1)
    assert row(result, "new").days_since is None and row(result, "new").last_meeting is None


def test_sets_under_three_members_are_pooled_into_one_last_row():
    result = digest(
        facts("big", members=3, held=1, last_meeting_at=NOW - timedelta(days=2)),
        facts(
            "tiny1", members=2, held=2, closed=2, completed=1, last_meeting_at=NOW - timedelta(9)
        ),
        facts(
            "tiny2", members=1, held=1, closed=2, completed=2, last_meeting_at=NOW - timedelta(5)
        ),
        facts("tiny3", members=0, goal_count=1, goal_unit="month"),
    )
    assert [r.set_id for r in result.rows] == ["big", None]
    pool = result.rows[-1]
    assert (pool.sets, pool.held, pool.closed, pool.completed) == (3, 3, 4, 3)
    assert (pool.target, pool.with_goal, pool.goal_met, pool.quiet) == (1, 1, 0, 1)
    assert pool.days_since == 5 and pool.last_meeting == date(2026, 11, 26)  # the most recent
    assert pool.completion_rate == 0.75
    assert result.total.sets == 4 and result.total.held == 4


def test_an_empty_organisation_has_no_rows_and_a_zero_total():
    result = digest()
    assert result.empty and result.rows == ()
    assert (result.total.sets, result.total.completion_rate, result.total.days_since) == (
        0,
        None,
        None,
    )
    assert (result.start, result.end) == (date(2026, 11, 1), date(2026, 12, 1))


def test_the_month_before_and_the_next_digest_are_local_and_dst_safe():
    start, end = month_bounds(datetime(2026, 11, 1, 8, tzinfo=UTC), "Europe/Paris")
    assert start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # 1 October 00:00 in Paris (CEST)
    assert end == datetime(2026, 10, 31, 23, tzinfo=UTC)  # 1 November 00:00 (CET)
    after_october = next_digest_at(datetime(2026, 10, 1, 7, tzinfo=UTC), "Europe/Paris")
    assert after_october == datetime(2026, 11, 1, 8, tzinfo=UTC)  # 09:00 CET, not 10:00
    before_nine = next_digest_at(datetime(2026, 11, 1, 7, 59, tzinfo=UTC), "Europe/Paris")
    assert before_nine == datetime(2026, 11, 1, 8, tzinfo=UTC)
    assert next_digest_at(datetime(2026, 12, 15, tzinfo=UTC), "UTC") == datetime(
        2027, 1, 1, 9, tzinfo=UTC
    )
    assert recent_bounds(NOW, "Europe/Paris") == (
        datetime(2026, 11, 1, 23, tzinfo=UTC),  # 2 November 00:00 in Paris
        datetime(2026, 12, 1, 23, tzinfo=UTC),  # today (1 December) included
    )
