"""Every /schedule form through the bot: the stored UTC time and the reply in the set's zone."""

import sqlite3
from datetime import UTC, datetime

import pytest

# The clock starts on Monday 23 November 2026, 09:00 UTC.
FORMS = [
    ("Africa/Bamako", "2026-12-01 10:00", "2026-12-01 10:00:00", "Tuesday 1 December, 10:00"),
    ("Africa/Bamako", "tomorrow 10:00", "2026-11-24 10:00:00", "Tuesday 24 November, 10:00"),
    ("Africa/Bamako", "thursday 14:30", "2026-11-26 14:30:00", "Thursday 26 November, 14:30"),
    ("Asia/Amman", "in 90 minutes", "2026-11-23 10:30:00", "Monday 23 November, 13:30"),
    ("Asia/Amman", "in 2 weeks", "2026-12-07 09:00:00", "Monday 7 December, 12:00"),
    ("Europe/Paris", "demain à 10h", "2026-11-24 09:00:00", "Tuesday 24 November, 10:00"),
    ("Asia/Amman", "غدا الساعة 10:00", "2026-11-24 07:00:00", "Tuesday 24 November, 10:00"),
    (
        "Africa/Bamako",
        "every 2 weeks tue 10:00",
        "2026-11-24 10:00:00",
        "Tuesday 24 November, 10:00",
    ),
    ("Africa/Bamako", "every week", "2026-11-30 09:00:00", "Monday 30 November, 09:00"),
    ("Africa/Bamako", "every month", "2026-12-23 09:00:00", "Wednesday 23 December, 09:00"),
]


def pending(bot, kind):
    """Due times of pending rows of a kind."""
    with sqlite3.connect(bot.settings.database_path) as conn:
        sql = "SELECT due_at FROM scheduled WHERE status='pending' AND kind=? ORDER BY due_at"
        return [row[0] for row in conn.execute(sql, (kind,))]


@pytest.mark.parametrize(("zone", "said", "stored", "shown"), FORMS)
async def test_schedule_form(bot, zone, said, stored, shown):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command(f"/timezone {zone}")
    await fac.command(f"/schedule {said}")
    assert f"{shown} {zone}" in group.bot_texts()[-1]
    assert pending(bot, "follow_up") == [stored]


async def test_schedule_off_cancels_the_rows(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/schedule in 3 days")
    assert len(bot.jobs()) == 2
    await fac.command("/schedule off")
    assert pending(bot, "follow_up") == [] and pending(bot, "reminder") == []
    assert all(job.removed for job in bot.jobs()) or bot.jobs() == []
    await fac.command("/meeting")
    assert "No next meeting" in group.bot_texts()[-1]


async def test_weekly_meeting_keeps_its_local_time_across_the_dst_change(bot):
    bot.clock.now = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/timezone Europe/Paris")
    await fac.command("/schedule every week sat 10:00")
    assert pending(bot, "follow_up") == ["2027-03-27 09:00:00"]  # 10:00 CET
    bot.clock.now = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    await bot.fire_due()
    assert pending(bot, "follow_up") == ["2027-04-03 08:00:00"]  # 10:00 CEST
    assert "Saturday 3 April, 10:00 Europe/Paris" in group.bot_texts()[-1]


async def test_reminder_setting_moves_the_reminder(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/schedule 2026-12-01 10:00")
    assert pending(bot, "reminder") == ["2026-11-30 10:00:00"]
    await fac.command("/reminder 2h")
    assert pending(bot, "reminder") == ["2026-12-01 08:00:00"]
    await fac.command("/reminder off")
    assert pending(bot, "reminder") == []
    await fac.command("/reminder soon")
    assert "/reminder 24h" in group.bot_texts()[-1]


async def test_timezone_is_validated(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/timezone Mars/Olympus")
    assert "Africa/Bamako" in group.bot_texts()[-1]
    await fac.command("/timezone africa/bamako")
    assert "Africa/Bamako" in group.bot_texts()[-1] and "set" in group.bot_texts()[-1]


async def test_a_meeting_too_close_for_its_reminder_says_so(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/schedule in 2 hours")
    assert "too soon for a reminder" in group.bot_texts()[-1]
    await fac.command("/schedule in 3 days")
    assert "reminder 24 hours before" in group.bot_texts()[-1]
