"""Every /schedule form through the bot: the stored UTC time and the reply in the set's zone."""

import re
import sqlite3
from datetime import UTC, datetime

import pytest

from bot.i18n import template
from flows.schedule import Scheduled, ScheduleOff, parse_schedule

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"))
SCHEDULE_KEYS = [f"schedule.error.{r}" for r in ("empty", "unparseable", "past", "too_far")] + [
    "schedule.error.bad_interval"
]
EXAMPLE = re.compile(r"/schedule ([^·]+)")

# The clock starts on Monday 23 November 2026, 09:00 UTC.
FORMS = [
    ("Africa/Bamako", "2026-12-01 10:00", "2026-12-01 10:00:00", "Tuesday 1 December, 10:00"),
    ("Africa/Bamako", "tomorrow 10:00", "2026-11-24 10:00:00", "Tuesday 24 November, 10:00"),
    ("Africa/Bamako", "10am tomorrow", "2026-11-24 10:00:00", "Tuesday 24 November, 10:00"),
    ("Africa/Bamako", "tomorrow at noon", "2026-11-24 12:00:00", "Tuesday 24 November, 12:00"),
    ("Africa/Bamako", "thursday 14:30", "2026-11-26 14:30:00", "Thursday 26 November, 14:30"),
    ("Africa/Bamako", "next week 10:00", "2026-11-30 10:00:00", "Monday 30 November, 10:00"),
    ("Asia/Amman", "in 90 minutes", "2026-11-23 10:30:00", "Monday 23 November, 13:30"),
    ("Asia/Amman", "in 2 weeks 12:00", "2026-12-07 09:00:00", "Monday 7 December, 12:00"),
    ("Europe/Paris", "demain à 10h", "2026-11-24 09:00:00", "Tuesday 24 November, 10:00"),
    ("Europe/Paris", "demain matin", "2026-11-24 08:00:00", "Tuesday 24 November, 09:00"),
    ("Asia/Amman", "غدا الساعة 10:00", "2026-11-24 07:00:00", "Tuesday 24 November, 10:00"),
    ("Asia/Amman", "غدا ظهرا", "2026-11-24 09:00:00", "Tuesday 24 November, 12:00"),
    (
        "Africa/Bamako",
        "every 2 weeks tue 10:00",
        "2026-11-24 10:00:00",
        "Tuesday 24 November, 10:00",
    ),
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
    await fac.command("/schedule in 3 days 10:00")
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
    await fac.command("/schedule in 3 days 10:00")
    assert "reminder 24 hours before" in group.bot_texts()[-1]


async def test_a_span_without_a_time_asks_for_one_then_keeps_the_usual_time(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/schedule in 2 weeks")
    assert group.bot_texts()[-1] == (
        "At what time? The set has no usual meeting time yet. Example: /schedule in 2 weeks 10:00"
    )
    assert pending(bot, "follow_up") == []
    await fac.command("/schedule in 2 weeks 10:00")
    assert pending(bot, "follow_up") == ["2026-12-07 10:00:00"]
    await fac.command("/schedule every monday")
    assert group.bot_texts()[-1].splitlines() == [
        "📅 Next meeting: Monday 23 November, 10:00 UTC every week",
        "It is too soon for a reminder before this one.",
        "🕙 At 10:00, the set's usual meeting time. Another time: /schedule every monday 14:00",
    ]
    await fac.command("/schedule every month")
    assert pending(bot, "follow_up") == ["2026-12-23 10:00:00"]
    assert "At 10:00, the set's usual meeting time" in group.bot_texts()[-1]


async def test_the_usual_time_outlives_a_one_off_meeting(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/schedule tomorrow 16:30")
    bot.clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # the meeting has passed
    await bot.fire_due()
    await fac.command("/schedule la semaine prochaine")
    assert pending(bot, "follow_up") == ["2026-12-02 16:30:00"]


# The set's language, what the facilitator typed, the reply (Monday 23 November, 09:00, in UTC).
REFUSALS = [
    (
        "en",
        "/schedule today 08:00",
        "That time has already passed: Monday 23 November 2026, 08:00 UTC. "
        "Example: /schedule tomorrow 10:00",
    ),
    (
        "en",
        "/schedule 2030-01-01 10:00",
        "That is too far ahead: Tuesday 1 January 2030, 10:00 UTC. A meeting can be "
        "at most two years away. Example: /schedule in 2 weeks 10:00",
    ),
    (
        "en",
        "/schedule when the rains stop",
        "I could not read that as a day and time. Examples: /schedule tomorrow 10:00 · "
        "/schedule tuesday 10:00 · /schedule in 2 weeks 10:00 · /schedule every monday 18:00",
    ),
    (
        "fr",
        "/schedule aujourd’hui 8h",
        "Ce moment est déjà passé : lundi 23 novembre 2026, 08:00 UTC. "
        "Exemple : /schedule demain 10h",
    ),
    (
        "fr",
        "/schedule la semaine prochaine",
        "À quelle heure ? Le groupe n’a pas encore d’heure habituelle de réunion. "
        "Exemple : /schedule la semaine prochaine 10h",
    ),
    (
        "ar",
        "/schedule بعد أسبوعين",
        "في أي ساعة؟ ليس للمجموعة وقت اجتماع معتاد بعد. مثال: /schedule بعد أسبوعين الساعة 10:00",
    ),
    (
        "ar",
        "/schedule عندما يتوقف المطر",
        "لم أفهم هذا اليوم أو الوقت. أمثلة: /schedule غدًا الساعة 10:00 · "
        "/schedule الثلاثاء 10:00 · /schedule بعد أسبوعين الساعة 10:00 · "
        "/schedule كل اثنين الساعة 18:00",
    ),
]


@pytest.mark.parametrize(("language", "said", "reply"), REFUSALS)
async def test_a_refusal_says_what_is_wrong_in_the_set_language(bot, language, said, reply):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command(f"/language {language}")
    await fac.command(said)
    assert group.bot_texts()[-1].translate(BIDI_CONTROLS) == reply
    assert pending(bot, "follow_up") == []


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_every_example_in_the_schedule_messages_is_accepted(language):
    """The examples the bot gives (/schedule …) are read, with or without a usual time."""
    examples = [
        example.strip()
        for key in SCHEDULE_KEYS
        for example in EXAMPLE.findall(template(language, key))
        if "{" not in example
    ]
    assert len(examples) >= 8
    for example in examples:
        read = parse_schedule(example, now=NOW, timezone="Africa/Bamako")
        assert isinstance(read, Scheduled | ScheduleOff), (example, read)
