"""The follow-up at the next meeting: schedule, fire, answer, carry on; durable across restarts."""

from datetime import UTC, datetime

import pytest

from fake_telegram import visible
from tests.e2e.helpers import tap_again


async def committed_session(
    bot,
    group,
    *,
    topic: str = "Night staff leave early",
    action: str = "/action Call the night supervisor | she agrees to a rota",
):
    """Run a short consult session in which Ann commits to an action (sent as `action`);
    returns the people."""
    fac = group.member("Fatou", admin=True)
    ann, ben = group.member("Ann"), group.member("Ben")
    await fac.command("/session consult")
    await ann.command(f"/topic {topic}")
    for _ in range(4):
        await fac.command("/next")
    await ann.command(action)
    await fac.command("/next")
    await fac.command("/next")
    return fac, ann, ben


async def test_full_cycle_session_meeting_outcome_next_action(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)
    assert "/schedule" in group.bot_texts()[-1]
    await fac.command("/timezone Africa/Bamako")
    await fac.command("/schedule 2026-12-01 10:00")
    assert "Tuesday 1 December, 10:00 Africa/Bamako" in group.bot_texts()[-1]
    due = bot.rows("SELECT kind, due_at FROM scheduled WHERE status='pending' ORDER BY due_at")
    assert due == [("reminder", "2026-11-30 10:00:00"), ("follow_up", "2026-12-01 10:00:00")]

    bot.clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert await bot.fire_due() == 1
    assert (
        "Reminder" in group.bot_texts()[-1] and "Call the night supervisor" in group.bot_texts()[-1]
    )

    bot.clock.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert await bot.fire_due() == 1
    follow_up = group.bot_messages()[-1]
    assert "Call the night supervisor" in follow_up.text
    press = await ben.press(follow_up, "✅ Done")
    assert "Only" in press.answer["text"]  # not Ben's action
    await ann.press(follow_up, "✅ Done")
    await ann.reply(follow_up, "Supervisors listen when I bring numbers")
    await ann.press(follow_up, "↻ Carry on")
    final = bot.fake.message(group.id, follow_up.message_id).text
    assert "Carried on" in final and "Supervisors listen" in final
    actions = bot.rows(
        "SELECT text, status, outcome, learning, previous_id FROM actions ORDER BY id"
    )
    assert actions == [
        (
            "Call the night supervisor",
            "closed",
            "done",
            "Supervisors listen when I bring numbers",
            None,
        ),
        ("Call the night supervisor", "open", None, None, 1),
    ]


async def test_recurring_schedule_rolls_to_the_next_meeting(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/timezone Europe/Paris")
    await fac.command("/schedule every 2 weeks tue 10:00")
    assert "every 2 weeks" in group.bot_texts()[-1]
    bot.clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 10:00 in Paris
    await bot.fire_due()
    assert "No open actions" in group.bot_texts()[-2]
    pending = bot.rows("SELECT kind, due_at FROM scheduled WHERE status='pending' ORDER BY due_at")
    assert pending == [("reminder", "2026-12-07 09:00:00"), ("follow_up", "2026-12-08 09:00:00")]


async def test_restart_before_the_meeting_still_follows_up_once(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, _ = await committed_session(bot, group)
    await fac.command("/schedule in 2 hours")
    await bot.restart(crash=True)
    assert len(bot.jobs()) == 1  # a meeting in 2 hours is too close for the 24 h reminder
    bot.clock.advance(hours=2)
    await bot.fire_due()
    await bot.restart()
    await bot.fire_due()
    asks = [t for t in group.bot_texts() if "What happened?" in t]
    assert len(asks) == 1


@pytest.mark.parametrize(("late_hours", "sent"), [(3, True), (13, False)])
async def test_meeting_passed_while_down_fires_within_grace_only(bot, late_hours, sent):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    await bot.restart(crash=True)
    bot.clock.advance(hours=1 + late_hours)
    await bot.restart()
    await bot.fire_due()
    asks = [t for t in group.bot_texts() if "What happened?" in t]
    assert len(asks) == (1 if sent else 0)
    status = bot.rows("SELECT status FROM scheduled WHERE kind='follow_up'")
    assert status == [("sent",)] if sent else [("missed",)]
    if not sent:  # the missed follow-up waits for the next /session
        await fac.command("/session")
        assert any("What happened?" in t for t in group.bot_texts()[-3:])


async def test_double_armed_row_fires_once(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    (row_id,) = bot.rows("SELECT id FROM scheduled WHERE kind='follow_up'")[0]
    bot.clock.advance(hours=1)
    await bot.fire_row(row_id)
    timers = bot.app.bot_data["services"].timers
    timers.arm(await bot.repo.get_scheduled(row_id), bot.clock())
    await bot.fire_row(row_id)
    assert len([t for t in group.bot_texts() if "What happened?" in t]) == 1


async def test_schedule_refusals(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await ann.command("/schedule tomorrow 10:00")
    assert "Only facilitators" in group.bot_texts()[-1]
    await fac.command("/schedule")
    assert "Examples" in group.bot_texts()[-1]
    await fac.command("/schedule the day the rains stop")
    assert "could not read" in group.bot_texts()[-1]
    await fac.command("/schedule 2020-01-01 10:00")
    assert "already passed" in group.bot_texts()[-1]
    assert bot.rows("SELECT count(*) FROM scheduled") == [(0,)]


async def test_myactions_in_private_and_outcome_command(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, _ = await committed_session(bot, group)
    await fac.command("/schedule in 2 weeks 10:00")
    private = bot.tg.private_chat(ann)
    await private.command("/myactions")
    assert "Call the night supervisor" in private.bot_texts()[-1]
    assert "Set A" in private.bot_texts()[-1]
    await ann.command("/outcome partly the rota needs a second nurse")
    await ann.command("/outcome change Ask HR for a second nurse")
    assert "Ask HR for a second nurse" in group.bot_texts()[-1]
    texts = bot.rows("SELECT text, status FROM actions ORDER BY id")
    assert texts == [("Call the night supervisor", "closed"), ("Ask HR for a second nurse", "open")]


async def scheduled_meeting(bot):
    """A set with an open action and a meeting due in one hour; returns the group."""
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1)
    return group


async def test_flood_control_at_meeting_time_delays_the_follow_up_without_losing_it(bot):
    from fake_telegram import retry_after

    group = await scheduled_meeting(bot)
    bot.fake.fail_next("sendMessage", retry_after(30))
    await bot.fire_due()
    assert not any("What happened?" in t for t in group.bot_texts())
    assert bot.rows("SELECT status FROM scheduled WHERE kind='follow_up'")[0] == ("sent",)
    assert bot.rows("SELECT count(*) FROM outbox WHERE status='pending'") == [(2,)]
    bot.clock.advance(seconds=30)
    await bot.fire_due()
    assert len([t for t in group.bot_texts() if "What happened?" in t]) == 1


async def test_bot_removed_at_meeting_time_keeps_the_follow_up_waiting(bot):
    from fake_telegram import forbidden

    group = await scheduled_meeting(bot)
    bot.fake.fail_next("sendMessage", forbidden(), chat_id=group.id)
    await bot.fire_due()
    assert not any("What happened?" in t for t in group.bot_texts())
    assert bot.rows("SELECT count(*) FROM outbox WHERE status='pending'") == [(2,)]
    cancelled = "SELECT count(*) FROM scheduled WHERE status='cancelled' AND session_id IS NULL"
    assert bot.rows(cancelled) == [(0,)]


async def test_group_migrated_at_meeting_time_moves_the_set_and_retries(bot):
    from fake_telegram import migrated

    group = await scheduled_meeting(bot)
    upgraded = bot.tg.group("Set A", kind="supergroup", bot_status="administrator")
    bot.fake.fail_next("sendMessage", migrated(upgraded.id))
    await bot.fire_due()  # Telegram says the group moved: the set follows, the row is re-armed
    await bot.fire_due()
    assert bot.rows("SELECT count(*) FROM sets WHERE chat_id = ?", group.id) == [(0,)]
    assert bot.rows("SELECT count(*) FROM actions WHERE chat_id = ?", upgraded.id) == [(1,)]
    assert any("What happened?" in t for t in upgraded.bot_texts())


class Died(BaseException):
    """The process was killed here."""


async def test_the_last_answer_and_the_end_of_the_round_are_stored_together(bot, monkeypatch):
    from bot.outbox import Outbox

    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, _ = await committed_session(bot, group)
    bot.clock.advance(days=7)
    await fac.command("/session")  # a week on: opens with the follow-up round on Ann's action
    question = [m for m in group.bot_messages() if m.text.startswith("🔁")][-1]
    await ann.press(question, "✅ Done")
    await ann.reply(question, "Supervisors listen when I bring numbers")

    async def killed(*args) -> None:
        raise Died

    monkeypatch.setattr(Outbox, "deliver", killed)
    with pytest.raises(Died):  # died right after the answer's commit, before sending
        await ann.press(bot.fake.message(group.id, question.message_id), "✓ Close")
    monkeypatch.undo()
    assert bot.rows("SELECT status FROM actions WHERE id = 1") == [("closed",)]
    assert bot.rows("SELECT phase FROM sessions ORDER BY id DESC LIMIT 1") == [("choose_holder",)]

    asked = sum("Who brings a topic today?" in text for text in group.bot_texts())
    await bot.restart(crash=True)  # the stored messages go out; the press changes nothing more
    assert "Who brings a topic today?" in group.bot_texts()[-1]
    assert sum("Who brings a topic today?" in text for text in group.bot_texts()) == asked + 1


async def test_an_action_follows_its_meeting_when_the_meeting_moves(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/schedule 2026-12-01 10:00")
    await fac.command("/schedule 2026-12-03 10:00")  # moved
    assert bot.rows("SELECT due_at FROM actions") == [("2026-12-03 10:00:00",)]
    await fac.command("/actions")
    assert "Thursday 3 December, 10:00" in group.bot_texts()[-1]
    await fac.command("/schedule off")
    assert bot.rows("SELECT due_at FROM actions") == [(None,)]


async def test_an_answer_a_facilitator_gives_for_the_holder_says_so(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1)
    await bot.fire_due()
    question = [m for m in group.bot_messages() if "What happened?" in m.text][-1]
    await fac.press(question, "✅ Done")  # Ann told the meeting; Fatou records it
    assert bot.fake.message(group.id, question.message_id).text.endswith(
        "Answered by Fatou for the holder."
    )
    await ann.press(question, "✓ Close")
    assert "Answered by" not in bot.fake.message(group.id, question.message_id).text


async def test_a_second_session_the_same_day_does_not_follow_up_the_action_just_committed(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)
    bot.clock.advance(minutes=10)
    await fac.command("/session")  # a second topic, the same meeting
    assert "Who brings a topic today?" in group.bot_texts()[-1]
    assert not any(text.startswith("🔁") for text in group.bot_texts())
    await fac.command("/end")
    bot.clock.advance(days=7)
    await fac.command("/session")  # the next meeting follows it up
    assert group.bot_texts()[-1].startswith("🔁 Ann")


async def test_a_topic_offered_during_the_follow_up_round_is_taken_when_it_ends(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = await committed_session(bot, group)
    bot.clock.advance(days=7)
    await fac.command("/session")
    question = group.last_bot_message()
    await ben.command("/topic Drivers arrive late")
    assert "Ben brings today's topic" in group.bot_texts()[-1]
    await ann.press(question, "✅ Done")
    await ann.press(bot.fake.message(group.id, question.message_id), "✓ Close")
    assert group.bot_texts()[-1].startswith("Step 1/")
    state = await bot.repo.open_session(group.id)
    assert (state.topic_holder.name, state.topic) == ("Ben", "Drivers arrive late")


async def test_asked_at_the_meeting_then_again_by_session_only_the_new_question_has_buttons(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, _ = await committed_session(bot, group)
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1)
    await bot.fire_due()
    at_meeting = [m for m in group.bot_messages() if m.text.startswith("🔁")][-1]
    await fac.command("/session")  # the round asks again, in the session
    again = [m for m in group.bot_messages() if m.text.startswith("🔁")][-1]
    assert again.message_id != at_meeting.message_id and again.buttons()
    assert bot.fake.message(group.id, at_meeting.message_id).buttons() == []
    await ann.press(again, "✅ Done")
    closed = await ann.press(bot.fake.message(group.id, again.message_id), "✓ Close")
    late = await tap_again(bot, closed)  # her other device still showed the buttons
    assert visible(late["text"]) == "This action's follow-up is already finished."
