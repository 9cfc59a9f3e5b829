"""/quiet and /daysoff through the bot, and what they change: an async step's end, its
reminder, the meeting reminder; after a restart too."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.conftest import BotUnderTest
from tests.e2e.helpers import (
    armed_like_pending_rows,
    cast,
    db_time,
    new_texts,
    pass_time,
    pending_timers,
    query,
    send_dates,
    step_texts,
)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in UTC (Paris is an hour ahead then)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def set_columns(bot: BotUnderTest) -> tuple:
    """The set's stored quiet hours and days off."""
    ((hours, days),) = bot.rows("SELECT quiet_hours, days_off FROM sets")
    return hours, days


async def test_quiet_and_daysoff_are_stored_shown_and_refused_in_one_line(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await fac.command("/timezone Europe/Paris")
    await fac.command("/quiet 21:00-07:00")
    assert group.bot_texts()[-1].startswith("🌙 Quiet hours: 21:00–07:00 (Europe/Paris).")
    await fac.command("/daysoff sat sun")
    assert group.bot_texts()[-1].startswith("🌙 Days off: Saturday, Sunday.")
    assert set_columns(bot) == ("21:00-07:00", "sat,sun")
    await ann.command("/settings")
    settings = group.bot_texts()[-1]
    assert "Quiet hours: 21:00–07:00 (/quiet)" in settings
    assert "Days off: Saturday, Sunday (/daysoff)" in settings
    await fac.command("/quiet")
    assert group.bot_texts()[-1].startswith(
        "🌙 Quiet hours: 21:00–07:00; days off: Saturday, Sunday (Europe/Paris)."
    )

    await fac.command("/quiet tonight")
    assert group.bot_texts()[-1] == (
        "Give the quiet hours as start-end, e.g. /quiet 21:00-07:00 (/quiet off: none)."
    )
    await fac.command("/quiet 7-7")
    assert "/quiet 21:00-07:00" in group.bot_texts()[-1]
    await fac.command("/daysoff fri someday")
    assert group.bot_texts()[-1].startswith("“someday” is not a day I know.")
    await fac.command("/daysoff mon tue wed thu fri sat sun")
    assert "at least one day" in group.bot_texts()[-1]
    assert set_columns(bot) == ("21:00-07:00", "sat,sun")  # refusals change nothing

    await fac.command("/quiet off")
    await fac.command("/daysoff off")
    assert set_columns(bot) == (None, None)
    await ann.command("/settings")
    assert "Quiet hours: none (/quiet)" in group.bot_texts()[-1]


async def test_only_facilitators_set_quiet_time(bot):
    people = cast(bot)
    await people.holder.command("/quiet 21:00-07:00")
    assert "facilitator" in people.group.bot_texts()[-1].lower()
    await people.holder.command("/daysoff fri")
    assert "facilitator" in people.group.bot_texts()[-1].lower()
    assert set_columns(bot) == (None, None)


async def test_french_and_arabic_forms_and_an_arabic_set(bot):
    people = cast(bot)
    group, fac = people.group, people.fac
    await fac.command("/quiet de 22h à 6h30")
    await fac.command("/daysoff samedi et dimanche")
    assert set_columns(bot) == ("22:00-06:30", "sat,sun")
    await fac.command("/language ar")
    await fac.command("/daysoff الجمعة والسبت")
    assert set_columns(bot) == ("22:00-06:30", "fri,sat")
    assert group.bot_texts()[-1].startswith("🌙 أيام العطلة: الجمعة، السبت.")
    await fac.command("/quiet إيقاف")
    assert set_columns(bot) == (None, "fri,sat")


async def test_help_all_lists_both_commands_for_facilitators(bot):
    people = cast(bot)
    await people.fac.command("/help all")
    text = people.group.bot_texts()[-1]
    assert "/quiet" in text and "/daysoff" in text


async def test_an_async_step_that_would_end_at_night_ends_when_quiet_hours_do(bot):
    people = cast(bot)
    group = people.group
    await people.fac.command("/timezone Europe/Paris")
    await people.fac.command("/quiet 21:00-07:00")
    await people.fac.command("/session consult async 12h")  # Monday 10:00 in Paris
    await people.holder.command("/topic Staff leave early")
    # 22:00 is quiet: the step ends on Tuesday at 07:00 (06:00 UTC), and says so
    assert step_texts(group)[-1].startswith(
        "Step 1/6 · Present the challenge (until Tuesday 24 November, 07:00 Europe/Paris)"
    )
    rows = pending_timers(bot)
    assert [(row["kind"], row["due_at"]) for row in rows] == [
        ("step_warning", db_time(utc(23, 19, 30))),  # 03:00 would be quiet: 20:30 instead
        ("step_end", db_time(utc(24, 6))),
    ]
    await pass_time(bot, hours=13)  # Monday 23:00: nothing ends at night
    assert len(step_texts(group)) == 1
    await pass_time(bot, hours=8)  # Tuesday 07:00
    assert step_texts(group)[-1].startswith("Step 2/6")


async def test_a_restart_in_the_middle_of_a_step_ends_it_once(bot):
    people = cast(bot)
    group = people.group
    await people.fac.command("/timezone Europe/Paris")
    await people.fac.command("/daysoff tue")
    await people.fac.command("/session consult async 24h")  # Monday 10:00
    await people.holder.command("/topic Staff leave early")
    assert "(until Wednesday 25 November, 00:00 Europe/Paris)" in step_texts(group)[-1]
    (end_row,) = [row for row in pending_timers(bot) if row["kind"] == "step_end"]
    assert end_row["due_at"] == db_time(utc(24, 23))
    await pass_time(bot, hours=5)
    await people.members[0].say("How early do they leave?")
    await bot.restart(crash=True)  # a new Application on the same file
    assert armed_like_pending_rows(bot)
    await pass_time(bot, hours=40)  # past the end, and more
    assert [text[:8] for text in step_texts(group)] == ["Step 1/6", "Step 2/6"]
    (ended,) = query(bot, "SELECT status FROM scheduled WHERE id = ?", end_row["id"])
    assert ended["status"] == "sent"
    await bot.restart()  # a second restart brings nothing again
    await pass_time(bot, minutes=1)
    assert len(step_texts(group)) == 2


async def test_a_step_end_missed_while_down_waits_for_the_morning(bot):
    people = cast(bot)
    group = people.group
    await people.fac.command("/timezone Europe/Paris")
    await people.fac.command("/quiet 21:00-07:00")
    await people.fac.command("/session consult async 8h")  # Monday 10:00, ends at 18:00
    await people.holder.command("/topic Staff leave early")
    await bot.repo.close()  # the bot dies before the end...
    bot.clock.now = utc(23, 21, 30)  # ...and is back at 22:30 Paris
    seen = len(group.bot_texts())
    await bot.restart(crash=True)
    await pass_time(bot, minutes=1)
    assert new_texts(group, seen) == []  # no step moves on at night, and no reminder
    ((due,),) = bot.rows(
        "SELECT due_at FROM scheduled WHERE status = 'pending' AND kind = 'step_end'"
    )
    assert due == db_time(utc(24, 6))
    await pass_time(bot, hours=9)
    assert step_texts(group)[-1].startswith("Step 2/6")


async def test_the_meeting_reminder_comes_before_quiet_time(bot):
    people = cast(bot)
    group, fac = people.group, people.fac
    await fac.command("/timezone Europe/Paris")
    await fac.command("/schedule 2026-11-30 10:00")  # Monday: the reminder on Sunday 10:00
    reminder_due = bot.rows("SELECT due_at FROM scheduled WHERE kind = 'reminder'")[-1][0]
    assert reminder_due == db_time(utc(29, 9))
    await fac.command("/daysoff sun")  # the reminder is planned again, on Saturday 23:30
    await fac.command("/quiet 21:00-07:00")  # and again, on Saturday 20:30
    rows = pending_timers(bot)
    assert [(row["kind"], row["due_at"]) for row in rows] == [
        ("reminder", db_time(utc(28, 19, 30))),
        ("follow_up", db_time(utc(30, 9))),
    ]
    assert armed_like_pending_rows(bot)
    await fac.command("/meeting")  # it tells when the reminder really comes, and why
    assert (
        "I'll send the reminder Saturday 28 November, 20:30 Europe/Paris: 24 hours before would"
        " fall in the set's quiet time." in group.bot_texts()[-1]
    )
    seen = len(group.bot_texts())
    await pass_time(bot, days=5, hours=10, minutes=30)  # Saturday 20:30 in Paris
    (reminder,) = new_texts(group, seen)
    assert reminder.startswith("🔔 Reminder: the next meeting is Monday 30 November, 10:00")


async def test_a_meeting_reminder_that_comes_due_in_quiet_time_is_not_sent(bot):
    people = cast(bot)
    group, fac = people.group, people.fac
    await fac.command("/timezone Europe/Paris")
    await fac.command("/quiet 21:00-07:00")
    await fac.command("/schedule 2026-11-30 10:00")  # reminder Sunday 10:00, awake
    await bot.repo.close()
    bot.clock.now = utc(29, 22)  # the bot is back on Sunday at 23:00, in quiet hours
    seen = len(group.bot_texts())
    await bot.restart(crash=True)
    await pass_time(bot, minutes=1)
    assert new_texts(group, seen) == []
    statuses = bot.rows("SELECT kind, status FROM scheduled ORDER BY id")
    assert ("reminder", "missed") in statuses and ("follow_up", "pending") in statuses


async def test_a_whole_async_session_over_the_dst_night_keeps_quiet_hours(bot):
    bot.clock.now = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)  # Saturday 10:00 in Paris
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, dan = people.members
    for member in (cat, dan):
        await member.command("/join")  # Dan joins and never says anything
    await fac.command("/timezone Europe/Paris")
    await fac.command("/quiet 21:00-07:00")
    await fac.command("/session consult async 12h")
    await ann.command("/topic Staff leave early")
    opened = len(group.bot_texts())
    await pass_time(bot, hours=23)  # Sunday 10:00 CEST: step 2 began at 07:00
    await ben.say("Who agreed the rota?")
    await cat.say("Since when?")
    await pass_time(bot, days=3)
    ends = [text.split("(until ")[1].split(" Europe")[0] for text in step_texts(group)]
    assert ends == [
        "Sunday 29 March, 07:00", "Sunday 29 March, 19:00", "Monday 30 March, 07:00",
        "Monday 30 March, 19:00", "Tuesday 31 March, 07:00", "Tuesday 31 March, 19:00",
    ]  # fmt: skip
    reminders = [t.split(" Europe")[0] for t in new_texts(group, opened) if t.startswith("🔔")]
    assert reminders == [  # Dan in every step he is asked to speak in; never at night
        "🔔 Dan, this step ends Sunday 29 March, 19:00",
        "🔔 Ben, Cat, Dan, this step ends Monday 30 March, 07:00",
        "🔔 Ann, this step ends Monday 30 March, 19:00",
        "🔔 Ann, this step ends Tuesday 31 March, 07:00",
        "🔔 Ann, Ben, Cat, Dan, this step ends Tuesday 31 March, 19:00",
    ]
    assert "Session summary" in group.bot_texts()[-1]
    # every message the bot sent by itself (after the session opened) came in waking hours
    paris = ZoneInfo("Europe/Paris")
    for sent in send_dates(bot)[opened:]:
        hour = datetime.fromtimestamp(sent, UTC).astimezone(paris).hour
        assert 7 <= hour < 21, datetime.fromtimestamp(sent, UTC).astimezone(paris)


async def test_an_async_session_is_paused_extended_and_ended_like_a_live_one(bot):
    people = cast(bot)
    group, fac = people.group, people.fac
    await fac.command("/timezone Europe/Paris")
    await fac.command("/quiet 21:00-07:00")
    await fac.command("/session consult async 8h")  # Monday 10:00: step 1 ends at 18:00
    await people.holder.command("/topic Staff leave early")
    await pass_time(bot, hours=2)
    await fac.command("/pause")  # 6 hours left
    await pass_time(bot, hours=8)  # Monday 20:00: nothing moves while paused
    assert len(step_texts(group)) == 1
    await fac.command("/resume")  # 02:00 is quiet: Tuesday 07:00
    assert group.bot_texts()[-1] == (
        "▶️ Resumed. This step now ends Tuesday 24 November, 07:00 Europe/Paris."
    )
    await fac.command("/extend 60")
    assert group.bot_texts()[-1] == (
        "⏱ +60 min: this step now ends Tuesday 24 November, 08:00 Europe/Paris."
    )
    ends = [row["due_at"] for row in pending_timers(bot) if row["kind"] == "step_end"]
    assert ends == [db_time(utc(24, 7))]
    await fac.command("/end")
    assert "Session summary" in group.bot_texts()[-1]
    assert pending_timers(bot) == []
