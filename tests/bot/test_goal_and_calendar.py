"""/goal and /calendar through the bot: who may, what the set sees, the file it gets."""

from datetime import UTC, datetime

import icalendar

from tests.bot.test_follow_up import committed_session


async def test_calendar_without_a_meeting_says_how_and_sends_no_file(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann")
    await ann.command("/calendar")
    assert "/schedule every 2 weeks tue 10:00" in group.bot_texts()[-1]
    assert group.documents() == []


async def test_calendar_sends_the_sets_recurring_meeting(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/timezone Europe/Paris")
    await fac.command("/schedule every monday 10:00")
    await ann.command("/calendar")
    (document,) = group.documents()
    assert document.filename == "meetings-set-a.ics"
    assert document.mime_type == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(document.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Set A"
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert b"Ann" not in document.content and b"Fatou" not in document.content


async def test_goal_is_for_facilitators_and_shown_in_settings_and_meeting(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await ann.command("/goal 2 per month")
    assert "facilitator" in group.bot_texts()[-1].lower()
    await fac.command("/goal twice")
    assert "/goal 2 per month" in group.bot_texts()[-1]
    await fac.command("/goal 2 per month")
    assert "2 per month" in group.bot_texts()[-1]
    await ann.command("/goal")  # anyone may see it
    assert "held this month: 0" in group.bot_texts()[-1]
    await ann.command("/settings")
    assert "Routine goal: 2 per month" in group.bot_texts()[-1]
    await ann.command("/meeting")
    assert "Routine goal: 2 per month" in group.bot_texts()[-1]
    await fac.command("/goal off")
    await ann.command("/settings")
    assert "Routine goal: none" in group.bot_texts()[-1]


async def test_goal_in_french_and_arabic_forms(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/goal 1 par semaine")
    assert "1 per week" in group.bot_texts()[-1]
    await fac.command("/goal مرتين في الشهر")
    assert "2 per month" in group.bot_texts()[-1]


async def test_the_reminder_says_when_the_set_is_behind_its_goal(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)  # one session closed in November
    await fac.command("/goal 3 per month")
    await fac.command("/schedule 2026-11-27 10:00")  # one more meeting this month: 2 of 3
    bot.clock.now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert await bot.fire_due() == 1
    assert "Behind the goal of 3 per month: 1 held this month" in group.bot_texts()[-1]


async def test_the_reminder_says_nothing_of_a_goal_within_reach(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)
    await fac.command("/goal 2 per month")
    await fac.command("/schedule 2026-11-27 10:00")
    bot.clock.now = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert await bot.fire_due() == 1
    assert "Reminder" in group.bot_texts()[-1] and "Behind" not in group.bot_texts()[-1]
