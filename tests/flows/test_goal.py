"""The routine goal: reading /goal, its period, and the rule "behind or not"."""

from datetime import UTC, datetime

import pytest

from flows.goal import Goal, is_behind, parse_goal, period, planned_left
from flows.schedule import parse_schedule

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [
        ("2 per month", 2, "month"),
        ("1 per week", 1, "week"),
        ("2/month", 2, "month"),
        ("3 a month", 3, "month"),
        ("2 times per week", 2, "week"),
        ("2 fois par mois", 2, "month"),
        ("1 par semaine", 1, "week"),
        ("2 في الشهر", 2, "month"),
        ("٢ في الأسبوع", 2, "week"),
        ("مرتين في الشهر", 2, "month"),
    ],
)
def test_goal_forms(text, count, unit):
    assert parse_goal(text) == Goal(count=count, unit=unit)


@pytest.mark.parametrize("text", ["off", "OFF", "arrêt", "إيقاف"])
def test_goal_off(text):
    assert parse_goal(text) == "off"


@pytest.mark.parametrize("text", ["", "2", "per month", "0 per week", "8 per week", "2 per year"])
def test_goal_unreadable(text):
    assert parse_goal(text) is None


def test_period_is_the_calendar_week_or_month_in_the_zone():
    assert period("week", NOW, "UTC") == (
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    start, end = period("month", NOW, "Europe/Paris")
    assert start == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def test_behind_when_held_and_planned_fall_short():
    goal = Goal(count=2, unit="month")
    assert is_behind(goal, held=0, planned=1)
    assert not is_behind(goal, held=1, planned=1)
    assert not is_behind(goal, held=2, planned=0)
    assert is_behind(goal, held=1, planned=0)


def test_planned_left_counts_the_rules_meetings_to_the_period_end():
    rule = parse_schedule("every monday 10:00", now=NOW, timezone="UTC").rule
    first = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    _, end = period("month", NOW, "UTC")
    assert planned_left(rule, first, now=NOW, end=end) == 2  # 23 and 30 November
    assert planned_left(None, first, now=NOW, end=end) == 1  # a one-off
    assert planned_left(None, end, now=NOW, end=end) == 0  # next month's
    assert planned_left(rule, None, now=NOW, end=end) == 0


def test_a_goal_per_month_for_the_report_line():
    from flows.goal import Goal, per_month

    assert per_month(Goal(count=2, unit="month")) == 2
    assert 4.3 < per_month(Goal(count=1, unit="week")) < 4.4
    assert per_month(None) is None
