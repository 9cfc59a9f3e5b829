"""The set's report (`/report`): what the picture and its three lines show, computed from plain
data: meetings per month, actions by outcome, carried on and changed, the median days from
commitment to close, and the set's own score of each session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from statistics import median
from zoneinfo import ZoneInfo

# The bars of "actions by outcome", in order: flows.follow_up.ActionOutcome values, then open.
OUTCOMES = ("done", "partly", "not_yet", "dropped", "open")
PERIODS = (6, 12)  # months a report may cover


@dataclass(frozen=True, slots=True)
class SessionFact:
    """A meeting held (a logged session): when it started, and its members' mean score."""

    started_at: datetime
    score_mean: float | None = None
    score_count: int = 0


@dataclass(frozen=True, slots=True)
class ActionFact:
    """An action committed: when, when it closed and how, and what became of it next."""

    created_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = None  # an ActionOutcome value; None while open
    continued: str | None = None  # "carried" or "changed", as the holder chose; None: neither


@dataclass(frozen=True, slots=True)
class ReportData:
    """What storage hands over for a report: the period's meetings and actions."""

    sessions: tuple[SessionFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()


@dataclass(frozen=True, slots=True)
class Figures:
    """Every figure of a report; `goal`: the set's goal in meetings per month, drawn over the
    bars (see flows/goal.py per_month)."""

    months: tuple[date, ...]  # the first day of each month, oldest first
    meetings: tuple[int, ...]  # meetings held in each of `months`
    outcomes: tuple[tuple[str, int], ...]  # (OUTCOMES value, actions), in OUTCOMES order
    carried: int
    changed: int
    median_days: float | None  # None: no action closed in the period
    scores: tuple[tuple[date, float], ...]  # each scored session's day and mean, oldest first
    goal: float | None = None

    @property
    def meetings_total(self) -> int:
        return sum(self.meetings)

    @property
    def actions_total(self) -> int:
        return sum(count for _, count in self.outcomes)

    @property
    def empty(self) -> bool:
        """Nothing to draw: no meeting and no action in the period."""
        return not self.meetings_total and not self.actions_total

    @property
    def score_mean(self) -> float | None:
        """The mean of the sessions' scores (each session counts once)."""
        if not self.scores:
            return None
        return sum(score for _, score in self.scores) / len(self.scores)


def month_starts(now: datetime, timezone: str, months: int) -> tuple[date, ...]:
    """The first days of the last `months` months in the set's time zone, this one last."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    index = today.year * 12 + today.month - 1
    return tuple(date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1))


def period_start(now: datetime, timezone: str, months: int) -> datetime:
    """The first moment (UTC) of the period a report of `months` months covers."""
    first = month_starts(now, timezone, months)[0]
    return datetime.combine(first, time(), ZoneInfo(timezone)).astimezone(UTC)


def days_between(start: datetime, end: datetime) -> float:
    """Days from one moment to another, in fractions of a day."""
    return (end - start).total_seconds() / 86400


def figures(data: ReportData, now: datetime, timezone: str, months: int) -> Figures:
    """The report's figures for the last `months` months of `data` (older rows are ignored)."""
    zone = ZoneInfo(timezone)
    starts = month_starts(now, timezone, months)
    since = period_start(now, timezone, months)

    def month_of(moment: datetime) -> date:
        local = moment.astimezone(zone).date()
        return local.replace(day=1)

    sessions = sorted(
        (s for s in data.sessions if since <= s.started_at <= now), key=lambda s: s.started_at
    )
    per_month = dict.fromkeys(starts, 0)
    for session in sessions:
        per_month[month_of(session.started_at)] += 1
    actions = [a for a in data.actions if since <= a.created_at <= now]
    counts = dict.fromkeys(OUTCOMES, 0)
    for action in actions:
        if action.closed_at is None:
            counts["open"] += 1
        elif action.outcome in counts:
            counts[action.outcome] += 1
    closed = [
        days_between(a.created_at, a.closed_at)
        for a in actions
        if a.closed_at is not None and a.outcome is not None
    ]
    return Figures(
        months=starts,
        meetings=tuple(per_month[m] for m in starts),
        outcomes=tuple(counts.items()),
        carried=sum(a.continued == "carried" for a in actions),
        changed=sum(a.continued == "changed" for a in actions),
        median_days=median(closed) if closed else None,
        scores=tuple(
            (s.started_at.astimezone(zone).date(), s.score_mean)
            for s in sessions
            if s.score_count and s.score_mean is not None
        ),
    )
