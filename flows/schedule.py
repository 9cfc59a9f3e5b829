"""Meeting schedules: read /schedule and /reminder arguments, compute the next meeting.

Accepted /schedule forms (words from `schedule_words`, in the languages asked for):
- one-off: `2026-12-01 10:00`, `1 décembre 10h`, `tomorrow 10:00`, `10am tomorrow`,
  `demain à 10h`, `demain matin`, `غدا الساعة 10:00`, `غدا ظهرا`, `tuesday 10:00`, `mardi 10h`,
  `الثلاثاء 10:00`, `10:00` (the next 10:00); a weekday is its next occurrence still ahead.
  Parts of the day have fixed times (`schedule_words.PART_OF_DAY`): morning 09:00, noon 12:00,
  afternoon 15:00, evening 18:00.
- relative: `in 90 minutes`, `in 2 weeks`, `dans 2 semaines à 10h`, `بعد أسبوعين`, `بعد 3 أيام`;
  `next week`/`la semaine prochaine`/`الأسبوع القادم` is `in 1 week` (`next month` likewise).
- recurring: `every [N] day|week|month [when]`, `every [other] tuesday 10:00`,
  `toutes les 2 semaines mardi 10h`, `tous les mardis`, `chaque mois`, `كل أسبوعين`, `كل شهر`,
  `weekly`/`hebdomadaire`/`أسبوعيا`. `when` names the first meeting exactly as a one-off would;
  without it the first meeting is one interval from today. `every month` keeps the day of
  month, using the last day of shorter months.
- `off` (also `stop`, `arrêt`, `إيقاف`) switches scheduling off.
A day or a span of days without a time is at the set's usual meeting time, passed in; with
none, the answer is `needs_time` (minutes and hours from now need no time of day).
Occurrences are computed in local wall-clock time, so 10:00 stays 10:00 across DST changes.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from flows.schedule_parse import Day, Every, Off, Once, Relative, read_duration, read_schedule

MAX_AHEAD = timedelta(days=731)  # two years (schedule.error.too_far says so)
MAX_REMINDER = timedelta(days=7)
LANGUAGES = ("en", "fr", "ar")


class MeetingRule(BaseModel):
    """A set's meeting schedule, stored as JSON."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["once", "every"]
    first: AwareDatetime  # UTC: the first (or only) meeting
    unit: Literal["day", "week", "month"] | None = None
    interval: int = Field(1, ge=1)
    timezone: str  # IANA name the rule was made in
    local_time: time | None = None  # wall-clock time of every meeting; None: that of `first`
    day_of_month: int | None = Field(None, ge=1, le=31)  # monthly anchor; None: `first`'s day

    @field_validator("first")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        """Store `first` in UTC."""
        return value.astimezone(UTC)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        """Store the canonical IANA name."""
        name = parse_timezone(value)
        if name is None:
            raise ValueError(f"unknown time zone {value!r}")
        return name

    @model_validator(mode="after")
    def _consistent(self) -> MeetingRule:
        """A recurring rule needs a unit and a one-off rule none."""
        if (self.kind == "every") != (self.unit is not None):
            raise ValueError("a recurring rule needs a unit and a one-off rule none")
        return self


class ScheduleError(BaseModel):
    """Why a /schedule or /reminder argument was refused."""

    model_config = ConfigDict(frozen=True)

    reason: Literal[
        "empty", "unparseable", "past", "too_far", "needs_time", "bad_interval", "bad_timezone"
    ]
    when: AwareDatetime | None = None  # the meeting understood (past, too_far)


class ScheduleOff(BaseModel):
    """The facilitator switched scheduling off."""

    model_config = ConfigDict(frozen=True)


class Scheduled(BaseModel):
    """A schedule read: its rule, and whether its time is the set's usual one (none was said)."""

    model_config = ConfigDict(frozen=True)

    rule: MeetingRule
    usual_time: bool = False


def parse_schedule(
    text: str,
    *,
    now: datetime,
    timezone: str,
    usual: time | None = None,
    languages: Sequence[str] = LANGUAGES,
) -> Scheduled | ScheduleOff | ScheduleError:
    """Read a /schedule argument in the set's time zone; `now` is aware UTC, `usual` the set's
    usual meeting time (local wall clock), if it has one."""
    zone_name = parse_timezone(timezone)
    if zone_name is None:
        return ScheduleError(reason="bad_timezone")
    now = _as_utc(now)
    today = now.astimezone(ZoneInfo(zone_name)).date()
    try:
        spec = read_schedule(text, today=today, languages=tuple(languages))
        if isinstance(spec, str):
            return ScheduleError(reason=spec)
        if isinstance(spec, Off):
            return ScheduleOff()
        read = _resolve(spec, now, zone_name, usual)
    except (OverflowError, ValueError):  # date arithmetic beyond the years 1 to 9999
        return ScheduleError(reason="unparseable")
    if isinstance(read, ScheduleError):
        return read
    if read.rule.first <= now:
        return ScheduleError(reason="past", when=read.rule.first)
    if read.rule.first > now + MAX_AHEAD:
        return ScheduleError(reason="too_far", when=read.rule.first)
    return read


def _resolve(
    spec: Once | Relative | Every, now: datetime, zone_name: str, usual: time | None
) -> Scheduled | ScheduleError:
    """Turn a read spec into a rule, relative to `now` (UTC) in the zone."""
    zone = ZoneInfo(zone_name)
    if isinstance(spec, Relative) and spec.unit in ("minute", "hour"):
        step = timedelta(**{f"{spec.unit}s": spec.amount})
        first = (now + step).replace(second=0, microsecond=0)
        # Built from the UTC instant: a naive local time loses DST's fold.
        local = first.astimezone(zone).time()
        return Scheduled(
            rule=MeetingRule(kind="once", first=first, timezone=zone_name, local_time=local)
        )
    at = spec.at or usual
    if at is None:
        return ScheduleError(reason="needs_time")
    today = now.astimezone(zone).date()
    if isinstance(spec, Relative):
        start = datetime.combine(_shift(today, spec.unit, spec.amount, today.day), at)
        rule = _rule("once", start, zone_name)
    elif isinstance(spec, Once):
        rule = _rule("once", _first_local(spec.day, at, now, zone), zone_name)
    elif spec.day is None and spec.at is None:  # "every month": one interval from today
        start = datetime.combine(_shift(today, spec.unit, spec.interval, today.day), at)
        rule = _rule("every", start, zone_name, spec.unit, spec.interval, today.day)
    else:
        start = _first_local(spec.day, at, now, zone)
        rule = _rule("every", start, zone_name, spec.unit, spec.interval)
    return Scheduled(rule=rule, usual_time=spec.at is None)


def _rule(
    kind: Literal["once", "every"],
    start: datetime,
    zone_name: str,
    unit: Literal["day", "week", "month"] | None = None,
    interval: int = 1,
    day_of_month: int | None = None,
) -> MeetingRule:
    """Build a rule whose first meeting is the local wall-clock `start`."""
    return MeetingRule(
        kind=kind,
        first=_to_utc(start, ZoneInfo(zone_name)),
        unit=unit,
        interval=interval,
        timezone=zone_name,
        local_time=start.time(),
        day_of_month=(day_of_month or start.day) if unit == "month" else None,
    )


def _first_local(day: Day | None, when: time, now: datetime, zone: ZoneInfo) -> datetime:
    """The local wall-clock meeting a day and a time name (may be past for explicit dates)."""
    today = now.astimezone(zone).date()
    if day is None or day.weekday is not None:
        ahead = 0 if day is None else (day.weekday - today.weekday()) % 7
        start = datetime.combine(today + timedelta(days=ahead), when)
        if _to_utc(start, zone) <= now:
            start += timedelta(days=1 if day is None else 7)
        return start
    if day.offset is not None:
        return datetime.combine(today + timedelta(days=day.offset), when)
    return datetime.combine(day.on, when)


def _shift(start: date, unit: str, amount: int, day_of_month: int) -> date:
    """`start` moved by `amount` days, weeks or months (month ends clamp to the last day)."""
    if unit != "month":
        return start + timedelta(days=amount * (7 if unit == "week" else 1))
    year, month = divmod(start.year * 12 + start.month - 1 + amount, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day_of_month, last))


def _as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Aware UTC for a naive wall-clock time; a time skipped by DST moves forward by the gap."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    """Whether a naive wall-clock time occurs in the zone (not inside a DST gap)."""
    return _to_utc(local, zone).astimezone(zone).replace(tzinfo=None) == local


def next_meeting(rule: MeetingRule, *, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (aware UTC in and out); None if none is left."""
    after = _as_utc(after)
    if after < rule.first:
        return rule.first
    if rule.kind == "once":
        return None
    zone = ZoneInfo(rule.timezone)
    at = rule.local_time or rule.first.astimezone(zone).time()
    start = rule.first.astimezone(zone).date()
    if rule.unit == "month":
        return _next_monthly(rule, start, at, after, zone)
    period = rule.interval * (7 if rule.unit == "week" else 1)
    periods = (after.astimezone(zone).date() - start).days // period
    trigger = CalendarIntervalTrigger(
        days=period,
        hour=at.hour,
        minute=at.minute,
        second=at.second,
        start_date=start + timedelta(days=max(0, periods - 1) * period),
        timezone=zone,
    )
    # The trigger returns its start date first, whatever `now`; walk on from there.
    fire = trigger.get_next_fire_time(None, after)
    while fire is not None and fire <= after:
        fire = trigger.get_next_fire_time(fire, after)
    return None if fire is None else fire.astimezone(UTC)


def _next_monthly(
    rule: MeetingRule, start: date, at: time, after: datetime, zone: ZoneInfo
) -> datetime:
    """Monthly by hand: CalendarIntervalTrigger skips months lacking the anchor day (31st)."""
    day = rule.day_of_month or start.day
    local_after = after.astimezone(zone)
    months = (local_after.year - start.year) * 12 + local_after.month - start.month
    count = max(1, months // rule.interval - 1)
    while True:
        local = datetime.combine(_shift(start, "month", count * rule.interval, day), at)
        # Like the trigger, skip a meeting whose wall-clock time falls in a DST gap.
        if _exists(local, zone) and _to_utc(local, zone) > after:
            return _to_utc(local, zone)
        count += 1


def reminder_time(meeting_at: datetime, reminder: timedelta | None) -> datetime | None:
    """When to remind before a meeting (None when reminders are off); may be past."""
    return None if reminder is None else meeting_at - reminder


def overdue_decision(
    due: datetime, *, now: datetime, grace: timedelta
) -> Literal["fire", "missed", "wait"]:
    """On start: "fire" a row due within `grace`, "missed" if older, "wait" if still ahead."""
    if due > now:
        return "wait"
    return "fire" if now - due <= grace else "missed"


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA name -> canonical name (system aliases like `localtime` left out)."""
    names = available_timezones() - {"localtime", "Factory", "posixrules"}
    return {name.lower(): name for name in names}


def parse_timezone(name: str) -> str | None:
    """Validated canonical IANA name (case-insensitive; spaces read as `_`), None if unknown."""
    return _zone_names().get("_".join(name.split()).lower())


_UNIT_STEPS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1),
               "day": timedelta(days=1), "week": timedelta(weeks=1)}  # fmt: skip


def parse_reminder(text: str) -> timedelta | None | ScheduleError:
    """Read a reminder lead time: "24h", "2h", "30m", "1d", "1h30m", "2 heures"; "off" -> None."""
    parts = read_duration(text, LANGUAGES)
    if isinstance(parts, Off):
        return None
    if isinstance(parts, str):
        return ScheduleError(reason=parts)
    if any(unit not in _UNIT_STEPS for _, unit in parts):
        return ScheduleError(reason="unparseable")
    total = sum((amount * _UNIT_STEPS[unit] for amount, unit in parts), timedelta())
    if not timedelta() < total <= MAX_REMINDER:
        return ScheduleError(reason="bad_interval")
    return total
