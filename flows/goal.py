"""The set's routine goal (/goal 2 per month): reading it, its period, and whether the set is
behind it. Meetings held are the set's sessions closed in the period (README, Decisions).

Behind: even if every meeting still planned this period (by the set's schedule, the coming one
included) is held, the set would end the period under its goal. So a set meeting every week
with a goal of 2 a month is never behind; one whose next meeting is next month, with one
session held this month, is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from flows.schedule import MeetingRule, next_meeting
from flows.text import Msg, msg

Unit = Literal["week", "month"]
MAX_PER = {"week": 7, "month": 31}
OFF_WORDS = {"off", "none", "stop", "arrêt", "arret", "aucun", "إيقاف", "ايقاف", "لا"}
UNIT_WORDS: dict[str, Unit] = {
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "semaine": "week",
    "semaines": "week",
    "sem": "week",
    "أسبوع": "week",
    "اسبوع": "week",
    "الأسبوع": "week",
    "الاسبوع": "week",
    "أسبوعيا": "week",
    "اسبوعيا": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mois": "month",
    "شهر": "month",
    "الشهر": "month",
    "شهريا": "month",
}
ARABIC_COUNTS = {"مرة": 1, "مرتين": 2, "مرتان": 2}
# "2 per month", "2 a month", "2/month", "2 times per week", "2 fois par mois", "2 par mois",
# "2 في الشهر", "2 مرات في الشهر", "مرتين في الشهر", "2 كل شهر".
GOAL = re.compile(
    r"^(?P<count>\d+|مرة|مرتين|مرتان)\s*"
    r"(?:(?:times|time|x|fois|مرات|مرة)\s*)?"
    r"(?:/|per|a|an|every|each|par|chaque|tous\s+les|toutes\s+les|في|كل)?\s*"
    r"(?P<unit>[^\s/]+)$"
)


class Goal(BaseModel):
    """So many meetings per week or per month."""

    model_config = ConfigDict(frozen=True)

    count: int = Field(ge=1)
    unit: Unit


def parse_goal(text: str) -> Goal | Literal["off"] | None:
    """A /goal argument: a goal, "off", or None when it cannot be read."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = folded.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    folded = re.sub(r"\s+", " ", folded)
    if folded in OFF_WORDS:
        return "off"
    match = GOAL.match(folded)
    if match is None:
        return None
    unit = UNIT_WORDS.get(match["unit"])
    raw = match["count"]
    count = ARABIC_COUNTS[raw] if raw in ARABIC_COUNTS else int(raw)
    if unit is None or not 1 <= count <= MAX_PER[unit]:
        return None
    return Goal(count=count, unit=unit)


WEEKS_PER_MONTH = 365.25 / 12 / 7


def per_month(goal: Goal | None) -> float | None:
    """A goal as meetings per month (a weekly goal times the weeks in a month): the report's
    line over its monthly bars."""
    if goal is None:
        return None
    return goal.count * (WEEKS_PER_MONTH if goal.unit == "week" else 1)


def goal_of(count: int | None, unit: str | None) -> Goal | None:
    """A set's stored goal, if any."""
    if count is None or unit not in MAX_PER:
        return None
    return Goal(count=count, unit=unit)


def period(unit: Unit, now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The current calendar week (Monday to Sunday) or month in the set's zone, as UTC bounds
    [start, end)."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    if unit == "week":
        first = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
    else:
        first = today.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, datetime.min.time(), zone).astimezone(UTC)
    end = datetime.combine(after, datetime.min.time(), zone).astimezone(UTC)
    return start, end


def planned_left(
    rule: MeetingRule | None, next_meeting_at: datetime | None, *, now: datetime, end: datetime
) -> int:
    """Meetings still planned from `now` to the period's `end`: the next one, then the rule's."""
    count = 0
    meeting = next_meeting_at
    while meeting is not None and now <= meeting < end and count < 31:
        count += 1
        meeting = next_meeting(rule, after=meeting) if rule is not None else None
    return count


def is_behind(goal: Goal, *, held: int, planned: int) -> bool:
    """Behind: the meetings held plus every one still planned this period fall short."""
    return held + planned < goal.count


def goal_words(goal: Goal) -> Msg:
    """'2 per month'."""
    key = {"week": "goal.per_week", "month": "goal.per_month"}[goal.unit]
    return msg(key, number=goal.count)


def goal_line(goal: Goal | None, held: int) -> Msg:
    """The goal and the meetings held this period, for /settings, /meeting and /goal."""
    if goal is None:
        return msg("goal.none")
    key = {"week": "goal.line_week", "month": "goal.line_month"}[goal.unit]
    return msg(key, goal=goal_words(goal), held=held)


def behind_line(goal: Goal, held: int) -> Msg:
    """The reminder's line when the set is behind its goal."""
    key = {"week": "goal.behind_week", "month": "goal.behind_month"}[goal.unit]
    return msg(key, goal=goal_words(goal), held=held)
