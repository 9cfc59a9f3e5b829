"""The bot removed from a group and added back: the set pauses, nothing is cancelled or lost,
and coming back says in one line what happens next."""

from __future__ import annotations

import pytest

from fake_telegram import BOT_ID
from tests.bot.test_follow_up import committed_session
from tests.e2e.helpers import armed_like_pending_rows, pass_time, pending_timers, query

ASK = "What happened?"


def asks(group) -> list[str]:
    return [text for text in group.bot_texts() if ASK in text]


def out_before_told(bot, group) -> None:
    """The bot is removed, and its my_chat_member update has not arrived yet."""
    bot.fake.set_member_status(group.id, BOT_ID, "left")


async def told_removed(bot, group, by) -> None:
    """The my_chat_member update of that removal arrives."""
    bot.fake.set_member_status(group.id, BOT_ID, "administrator")
    await bot.tg.bot_removed(group, by=by)


def statuses(bot, kind: str) -> list[str]:
    return [r["status"] for r in query(bot, "SELECT status FROM scheduled WHERE kind = ?", kind)]


async def test_removal_pauses_the_session_and_adding_back_resumes_it(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session")
    await ann.command("/topic Late reports")
    timers = pending_timers(bot)
    assert timers and bot.jobs()

    await bot.tg.bot_removed(group, by=fac)
    assert pending_timers(bot) == timers, "a removal cancelled or changed a timer"
    assert bot.jobs() == [], "a paused set's timers must not fire"
    assert bot.rows("SELECT active FROM sets WHERE chat_id = ?", group.id) == [(0,)]

    said = len(group.bot_texts())
    await bot.tg.bot_added(group, by=fac, status="administrator")
    (back,) = group.bot_texts()[said:]
    assert back.startswith("👋 Thanks for adding me back. Nothing was deleted.")
    assert "No meeting is set" in back
    assert "Hello! I'm here" not in back  # not the first-time welcome
    assert armed_like_pending_rows(bot) and bot.jobs()
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 2/")


async def test_a_restart_while_removed_arms_and_sends_nothing_for_the_paused_set(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule every week 10:00")
    out_before_told(bot, group)
    await pass_time(bot, weeks=1)  # the meeting's messages are refused: the bot is out
    await told_removed(bot, group, fac)
    waiting = query(bot, "SELECT id FROM outbox WHERE status = 'pending'")
    assert waiting and pending_timers(bot)
    calls = len(bot.fake.calls)

    await bot.restart(crash=True)
    assert bot.jobs() == []
    assert [c for c in bot.fake.calls[calls:] if c.method == "sendMessage"] == []
    await pass_time(bot, weeks=3)
    assert asks(group) == []
    assert query(bot, "SELECT id FROM outbox WHERE status = 'pending'") == waiting


@pytest.mark.parametrize(
    ("away_hours", "line", "asked_now"),
    [
        (2, "I am asking about its actions now", True),
        (20, "its actions will be followed up at the next /session", False),
    ],
)
async def test_a_meeting_that_fell_while_out_follows_the_grace_policy_when_back(
    bot, away_hours, line, asked_now
):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    await bot.tg.bot_removed(group, by=fac)
    await pass_time(bot, hours=1 + away_hours)
    assert asks(group) == [] and statuses(bot, "follow_up") == ["pending"]

    said = len(group.bot_texts())
    await bot.tg.bot_added(group, by=fac, status="administrator")
    assert line in group.bot_texts()[said]
    await bot.fire_due()
    assert len(asks(group)) == (1 if asked_now else 0)
    assert statuses(bot, "follow_up") == ["sent" if asked_now else "missed"]
    if not asked_now:
        await fac.command("/meeting")
        assert "has passed without its follow-up" in group.bot_texts()[-1]
        await fac.command("/session")
        assert len(asks(group)) == 1
        await fac.command("/meeting")
        assert "without its follow-up" not in group.bot_texts()[-1]  # asked now
    await bot.fire_due()
    assert len(asks(group)) == 1


async def test_messages_refused_while_removed_are_sent_when_back_in_order(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    out_before_told(bot, group)
    bot.clock.advance(hours=1)
    await bot.fire_due()  # the meeting's messages are refused: the bot is out
    assert asks(group) == []
    await told_removed(bot, group, fac)
    await bot.restart(crash=True)

    said = len(group.bot_texts())
    await bot.tg.bot_added(group, by=fac, status="administrator")
    back = group.bot_texts()[said:]
    assert back[0].startswith("📅 It's meeting time!")
    assert sum(ASK in text for text in back) == 1
    assert back[-1].startswith("👋 Thanks for adding me back.")
    assert query(bot, "SELECT count(*) AS n FROM outbox WHERE status != 'sent'") == [{"n": 0}]


@pytest.mark.parametrize(
    ("late_hours", "said"),
    [(1, "has passed; its follow-up is on its way"), (13, "has passed without its follow-up")],
)
async def test_meeting_tells_the_truth_when_a_follow_up_has_not_come(bot, late_hours, said):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1 + late_hours)  # the meeting's job has not fired yet
    await fac.command("/meeting")
    assert said in group.bot_texts()[-1]
    assert "Call the night supervisor" in group.bot_texts()[-1]
