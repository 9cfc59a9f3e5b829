"""/calendar's file: read back by `icalendar` and by `recurring-ical-events`, the same dates as
the bot's own schedule, across a DST change."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from flows.calendar import meetings_calendar, set_uid
from flows.models import ChatSet
from flows.schedule import next_meeting, parse_schedule

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # Europe/Paris moves to summer time on 29 March


def ics_for(text: str, zone: str, now: datetime = NOW, title: str = "Set A") -> tuple[bytes, list]:
    rule = parse_schedule(text, now=now, timezone=zone).rule
    first = next_meeting(rule, after=now)
    chat_set = ChatSet(
        chat_id=-1001, title=title, meeting_rule=rule.model_dump_json(), next_meeting_at=first
    )
    ours = [first]
    for _ in range(7):
        ours.append(next_meeting(rule, after=ours[-1]))
    content = meetings_calendar(chat_set, rule, timezone=zone, title=title, now=now)
    return content, ours


def second_reader(content: bytes, start: datetime, end: datetime) -> list[datetime]:
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(content)).between(start, end)
    return sorted(event["DTSTART"].dt.astimezone(UTC) for event in events)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("every monday 10:00", "Europe/Paris"),
        ("every 2 weeks tue 18:30", "America/New_York"),
        ("every day 07:00", "Europe/Paris"),
        ("every month 2026-03-31 10:00", "Europe/Paris"),
        ("every month 2026-03-30 09:00", "Asia/Amman"),
    ],
)
def test_both_readers_give_the_bots_own_next_dates(text, zone):
    content, ours = ics_for(text, zone)
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(UTC) == ours[0]
    assert event["DTSTART"].params.get("TZID") == zone
    assert calendar.walk("VTIMEZONE")  # built by the library, not written by hand
    read = second_reader(content, ours[0], ours[-1] + timedelta(minutes=1))
    assert read == ours


def test_a_weekly_paris_meeting_stays_ten_oclock_across_the_march_change():
    content, ours = ics_for("every monday 10:00", "Europe/Paris")
    read = second_reader(content, NOW, NOW + timedelta(weeks=6))
    paris = ZoneInfo("Europe/Paris")
    assert {moment.astimezone(paris).hour for moment in read} == {10}
    assert {moment.hour for moment in read} == {9, 8}  # UTC moves with the change
    assert read == ours[: len(read)]


def test_the_event_has_the_title_a_stable_uid_and_nothing_else_of_the_set():
    content, _ = ics_for("every monday 10:00", "Europe/Paris")
    again, _ = ics_for("every monday 10:00", "Europe/Paris", now=NOW + timedelta(days=3))
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    (later,) = icalendar.Calendar.from_ical(again).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Set A"
    assert str(event["UID"]) == str(later["UID"]) == set_uid(-1001)
    assert "DESCRIPTION" not in event and "ATTENDEE" not in event and "ORGANIZER" not in event


def test_a_one_off_meeting_is_one_event_and_no_meeting_no_file():
    rule = parse_schedule("2026-03-10 10:00", now=NOW, timezone="Asia/Amman").rule
    chat_set = ChatSet(chat_id=1, meeting_rule=rule.model_dump_json(), next_meeting_at=rule.first)
    content = meetings_calendar(chat_set, rule, timezone="Asia/Amman", title="S", now=NOW)
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert "RRULE" not in event and event["DTSTART"].dt.astimezone(UTC) == rule.first
    empty = ChatSet(chat_id=1)
    assert meetings_calendar(empty, None, timezone="UTC", title="S", now=NOW) is None


@pytest.mark.parametrize("day", [29, 30, 31])
def test_a_monthly_meeting_late_in_the_month_falls_on_februarys_last_day(day):
    now = datetime(2026, 1, 2, tzinfo=UTC)
    content, ours = ics_for(f"every month 2026-01-{day} 10:00", "Europe/Paris", now=now)
    assert ours[1].date() == datetime(2026, 2, 28).date()
    assert second_reader(content, ours[0], ours[-1] + timedelta(minutes=1)) == ours
