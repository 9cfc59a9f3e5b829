"""The organisation digest (`/digest`): every set at a glance for the organisation's MEAL staff,
computed from plain per-set facts. No titles, names or words: a set is its export id.

Per set, over the period: meetings held (sessions closed, as for /goal) against what the set's
goal asks for in the period; the action completion rate (done or partly done, over the actions
closed in the period, dropped and not yet included); the carry-over rate (carried on, as the
holder chose, over the same closed actions); the days since the set's last meeting; and whether
it has gone quiet: no meeting for more than twice its goal's spacing (a goal of 2 a month: 30
days), or 30 days without a goal, counted from its creation when it never met. Sets with fewer
than three members are pooled into one row, so no small set can be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.goal import WEEKS_PER_MONTH, Goal, goal_of

SMALL_SET = 3  # fewer members than this: pooled
QUIET_WITHOUT_GOAL_DAYS = 30
DAYS_PER_MONTH = WEEKS_PER_MONTH * 7
DIGEST_HOUR = time(9)  # the monthly digest: the 1st of the month at 09:00 in the staff's zone
RECENT_DAYS = 30  # /digest on demand covers the last 30 days, today included


@dataclass(frozen=True, slots=True)
class SetFacts:
    """What storage knows of one set for the period: counts and moments, no words."""

    set_id: str  # sets.export_id
    members: int  # active members
    created_at: datetime
    goal_count: int | None = None
    goal_unit: str | None = None
    held: int = 0  # sessions closed in the period
    last_meeting_at: datetime | None = None  # the latest session closed before the period's end
    closed: int = 0  # actions closed in the period
    completed: int = 0  # of those, done or partly done
    carried: int = 0  # of those, carried on


@dataclass(frozen=True, slots=True)
class DigestRow:
    """One line of the digest: a set, or the small sets pooled (`set_id` None)."""

    set_id: str | None
    sets: int
    held: int
    target: int | None  # meetings the goals ask for in the period; None: no goal among them
    with_goal: int  # sets that have a goal
    goal_met: int  # sets that held at least their goal's meetings
    closed: int
    completed: int
    carried: int
    last_meeting: date | None  # local date of the latest meeting (the most recent of a pool)
    days_since: int | None  # whole days from that meeting to the digest's moment
    quiet: int  # sets gone quiet

    @property
    def completion_rate(self) -> float | None:
        """Done or partly done over the actions closed; None when none closed."""
        return self.completed / self.closed if self.closed else None

    @property
    def carry_rate(self) -> float | None:
        """Carried on over the actions closed; None when none closed."""
        return self.carried / self.closed if self.closed else None


@dataclass(frozen=True, slots=True)
class OrgDigest:
    """The digest: its period (local dates, `end` excluded) and rows, the sets most in need of
    attention first (quiet, then furthest behind their goal), the pooled small sets last."""

    start: date
    end: date
    rows: tuple[DigestRow, ...]

    @property
    def last_day(self) -> date:
        """The period's last day (its `end` is the day after)."""
        return self.end - timedelta(days=1)

    @property
    def total(self) -> DigestRow:
        """Every set in one row (the summary's figures)."""
        return pooled(None, self.rows)

    @property
    def empty(self) -> bool:
        """No set at all."""
        return not self.rows


def goal_target(goal: Goal, start: date, end: date) -> int:
    """The meetings a goal asks for from `start` to `end`: whole calendar months count as months,
    other spans pro rata (rounded)."""
    if goal.unit == "month" and start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        return goal.count * months
    days = (end - start).days
    per_day = goal.count / (7 if goal.unit == "week" else DAYS_PER_MONTH)
    return max(1, int(per_day * days + 0.5))


def quiet_after(goal: Goal | None) -> timedelta:
    """How long without a meeting makes a set quiet: twice its goal's spacing, or 30 days."""
    if goal is None:
        return timedelta(days=QUIET_WITHOUT_GOAL_DAYS)
    spacing = (7 if goal.unit == "week" else DAYS_PER_MONTH) / goal.count
    return timedelta(days=2 * spacing)


def set_row(facts: SetFacts, start: date, end: date, now: datetime, zone: ZoneInfo) -> DigestRow:
    """One set's row."""
    goal = goal_of(facts.goal_count, facts.goal_unit)
    target = goal_target(goal, start, end) if goal is not None else None
    since = facts.last_meeting_at or facts.created_at
    return DigestRow(
        set_id=facts.set_id,
        sets=1,
        held=facts.held,
        target=target,
        with_goal=int(goal is not None),
        goal_met=int(target is not None and facts.held >= target),
        closed=facts.closed,
        completed=facts.completed,
        carried=facts.carried,
        last_meeting=facts.last_meeting_at.astimezone(zone).date()
        if facts.last_meeting_at
        else None,
        days_since=whole_days(facts.last_meeting_at, now) if facts.last_meeting_at else None,
        quiet=int(now - since > quiet_after(goal)),
    )


def whole_days(since: datetime, now: datetime) -> int:
    """Whole days elapsed."""
    return max(0, int((now - since).total_seconds() // 86400))


def pooled(set_id: str | None, rows: tuple[DigestRow, ...] | list[DigestRow]) -> DigestRow:
    """Several rows as one: counts added, the most recent meeting kept."""
    targets = [row.target for row in rows if row.target is not None]
    meetings = [(row.last_meeting, row.days_since) for row in rows if row.last_meeting]
    last, days_since = max(meetings, key=lambda pair: pair[0]) if meetings else (None, None)
    return DigestRow(
        set_id=set_id,
        sets=sum(row.sets for row in rows),
        held=sum(row.held for row in rows),
        target=sum(targets) if targets else None,
        with_goal=sum(row.with_goal for row in rows),
        goal_met=sum(row.goal_met for row in rows),
        closed=sum(row.closed for row in rows),
        completed=sum(row.completed for row in rows),
        carried=sum(row.carried for row in rows),
        last_meeting=last,
        days_since=days_since,
        quiet=sum(row.quiet for row in rows),
    )


def need(row: DigestRow) -> tuple:
    """Sort key: quiet first, then the furthest behind its goal, then the longest without a
    meeting, then by id (a stable order)."""
    ratio = row.held / row.target if row.target else 1.0
    days = row.days_since if row.days_since is not None else 10**6
    return (-row.quiet, ratio, -days, row.set_id or "")


def org_digest(
    facts: list[SetFacts] | tuple[SetFacts, ...],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    timezone: str,
) -> OrgDigest:
    """The digest of every set's facts for the period [start, end) (UTC), seen at `now`."""
    zone = ZoneInfo(timezone)
    # Local dates, the end's excluded: a period ending at local midnight ends the day before.
    first = start.astimezone(zone).date()
    after = (end - timedelta(microseconds=1)).astimezone(zone).date() + timedelta(days=1)
    rows = [set_row(f, first, after, now, zone) for f in facts]
    small = [row for f, row in zip(facts, rows, strict=True) if f.members < SMALL_SET]
    large = sorted(
        (row for f, row in zip(facts, rows, strict=True) if f.members >= SMALL_SET), key=need
    )
    if small:
        large.append(pooled(None, small))
    return OrgDigest(start=first, end=after, rows=tuple(large))


def month_bounds(moment: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The calendar month before the one `moment` falls in, in the zone, as UTC [start, end)."""
    zone = ZoneInfo(timezone)
    this_month = moment.astimezone(zone).date().replace(day=1)
    previous = (this_month - timedelta(days=1)).replace(day=1)
    return _local_midnight(previous, zone), _local_midnight(this_month, zone)


def recent_bounds(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The period of /digest on demand: the last 30 days in the zone, today included, as UTC
    [start, end)."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=RECENT_DAYS - 1)
    return _local_midnight(first, zone), _local_midnight(today + timedelta(days=1), zone)


def next_digest_at(after: datetime, timezone: str) -> datetime:
    """The first 1st-of-the-month 09:00 (local wall clock, so DST does not move it) after
    `after`, in UTC."""
    zone = ZoneInfo(timezone)
    day = after.astimezone(zone).date().replace(day=1)
    while True:
        moment = datetime.combine(day, DIGEST_HOUR, zone).astimezone(UTC)
        if moment > after:
            return moment
        day = (day + timedelta(days=32)).replace(day=1)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)
