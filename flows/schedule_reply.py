"""What /schedule answers besides the next meeting: why it refused, or the time it chose."""

from __future__ import annotations

from flows.schedule import Scheduled, ScheduleError
from flows.text import LocalTime, Msg, msg


def schedule_refused(error: ScheduleError, *, said: str, timezone: str) -> Msg:
    """One line saying what is wrong with `said`, with an example."""
    when = LocalTime(moment=error.when, timezone=timezone, with_year=True) if error.when else ""
    return msg(f"schedule.error.{error.reason}", when=when, said=said)


def schedule_set(meeting: Msg, scheduled: Scheduled, *, said: str) -> Msg:
    """The next meeting, and the time it took when none was said (the set's usual one)."""
    if not scheduled.usual_time:
        return meeting
    rule = scheduled.rule
    at = LocalTime(moment=rule.first, timezone=rule.timezone, with_date=False)
    return msg("schedule.usual_time", meeting=meeting, time=at, said=said)
