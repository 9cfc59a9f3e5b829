"""A set's next meetings as an iCalendar file (/calendar), built with the `icalendar` library.

One VEVENT: the next meeting, with an RRULE when the set's rule recurs. Times are local with a
TZID and the VTIMEZONE the library builds from the zone's rules, so a weekly 10:00 meeting stays
10:00 on the wall clock across DST changes, as `flows.schedule.next_meeting` computes it. The
event carries the set's title, its time and a stable UID per set: no member's name or words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from flows.models import ChatSet
from flows.schedule import MeetingRule

MEETING_LENGTH = timedelta(hours=1)  # the bot does not know it; a phone needs an end
PRODID = "-//Action learning facilitator bot//EN"
FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY"}


def set_uid(chat_id: int) -> str:
    """The event's UID: the same for every /calendar of a set, so a phone updates, not adds."""
    return f"meetings-{chat_id}@actionlearning-bot"


def recurrence(rule: MeetingRule) -> dict[str, object] | None:
    """The RRULE of a recurring rule (None for a one-off). A monthly rule on the 29th-31st
    falls on the month's last day in shorter months, as the bot's own schedule does."""
    if rule.kind == "once" or rule.unit is None:
        return None
    rrule: dict[str, object] = {"FREQ": FREQ[rule.unit], "INTERVAL": rule.interval}
    if rule.unit == "month":
        day = rule.day_of_month or rule.first.astimezone(ZoneInfo(rule.timezone)).day
        if day == 31:
            rrule["BYMONTHDAY"] = [-1]
        elif day > 28:
            rrule["BYMONTHDAY"] = [day, -1]
            rrule["BYSETPOS"] = [1]
        else:
            rrule["BYMONTHDAY"] = [day]
    return rrule


def meetings_calendar(
    chat_set: ChatSet,
    rule: MeetingRule | None,
    *,
    timezone: str,
    title: str,
    now: datetime,
) -> bytes | None:
    """The .ics of the set's next meetings; None when no next meeting is set.

    A recurring rule's meetings are in the zone the rule was made in (where its wall-clock time
    is kept); a one-off meeting is shown in the set's zone."""
    start = chat_set.next_meeting_at
    if start is None:
        return None
    rrule = recurrence(rule) if rule is not None else None
    zone = ZoneInfo(rule.timezone if rule is not None and rrule else timezone)
    local_start = start.astimezone(zone)
    event = Event()
    event.add("uid", set_uid(chat_set.chat_id))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", title)
    event.add("dtstart", local_start)
    event.add("dtend", local_start + MEETING_LENGTH)
    if rrule:
        event.add("rrule", rrule)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    calendar.add_component(event)
    # The zone's rules from a year before the first meeting: enough, and a smaller file.
    calendar.add_missing_timezones(first_date=local_start.date() - timedelta(days=366))
    return calendar.to_ical()
