"""Telegram refusing or failing a call on every send path: replies, steps, timers, meetings.

Intended behaviour (bot/outbox.py, bot/timed.py, bot/session_runner.py):
- what a session or a follow-up says is stored with the change that decided it and sent after:
  429 and network errors keep the chat's messages pending, in order, and a retry sends each once;
  403 keeps them until the bot can speak there again; nothing scheduled is cancelled;
- a 400 is logged with the row and the message is sent again as plain text;
- plain command replies are not stored: a failure is an error of that update, nothing else;
- a follow-up message edit that Telegram calls "not modified" (a double tap) is ignored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pytest

from fake_telegram import (
    ApiError,
    Group,
    Speaker,
    bad_request,
    forbidden,
    network_error,
    retry_after,
    timed_out,
)
from tests.conftest import BotUnderTest
from tests.e2e.helpers import armed_like_pending_rows, pass_time, query, step_texts
from tests.faults.helpers import MINUTE_LEFT, TIME_UP, snapshot

WHAT_HAPPENED = "What happened?"
TRANSIENT = {
    "429": lambda: retry_after(20),
    "network": network_error,
    "timed out": timed_out,
}


@dataclass
class Set:
    group: Group
    fac: Speaker
    ann: Speaker
    ben: Speaker


def new_set(bot: BotUnderTest, title: str = "Set A") -> Set:
    group = bot.tg.group(title, bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    return Set(group, fac, group.member("Ann"), group.member("Ben"))


async def in_questions(bot: BotUnderTest) -> Set:
    """A classic session in step 2 (clarifying questions), its two timers armed."""
    people = new_set(bot)
    await people.fac.command("/session classic")
    await people.ann.command("/topic Staff leave early")
    await people.fac.command("/next")
    return people


async def with_action(bot: BotUnderTest, people: Set, action: str, holder: Speaker) -> None:
    """A consult session in which `holder` commits to `action`, closed."""
    await people.fac.command("/session consult")
    if query(bot, "SELECT phase FROM sessions WHERE closed_at IS NULL")[0]["phase"] == "follow_up":
        await people.fac.command("/next")  # skip the follow-up round of earlier actions
    await holder.command(f"/topic Topic for {action}")
    for _ in range(4):
        await people.fac.command("/next")
    await holder.command(f"/action {action}")
    await people.fac.command("/next")
    await people.fac.command("/next")


def step_index(bot: BotUnderTest) -> int:
    (row,) = query(bot, "SELECT step_index FROM sessions WHERE closed_at IS NULL")
    return row["step_index"]


def scheduled(bot: BotUnderTest, kind: str) -> list[dict]:
    return query(bot, "SELECT * FROM scheduled WHERE kind = ? ORDER BY id", kind)


def errors_of(bot: BotUnderTest) -> list[type]:
    return [type(error) for error in bot.tg.errors]


def no_unhandled_error_logged(caplog) -> bool:
    return "Unhandled error" not in caplog.text


# --- replies in handlers -------------------------------------------------------------------------


def pending_messages(bot: BotUnderTest) -> list[dict]:
    return query(bot, "SELECT * FROM outbox WHERE status = 'pending' ORDER BY id")


@pytest.mark.parametrize("error", ["429", "network", "timed out"])
async def test_a_step_message_telegram_cannot_take_now_is_sent_later_once(bot, caplog, error):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    await people.fac.command("/next")  # raise_errors is on: nothing may reach the handler
    assert step_index(bot) == 2, "the transition was lost with its message"
    assert armed_like_pending_rows(bot)
    (waiting,) = pending_messages(bot)
    assert waiting["text"].startswith("<b>Step 3/6")
    assert not people.group.bot_texts()[-1].startswith("Step 3/6")
    assert no_unhandled_error_logged(caplog)
    await pass_time(bot, seconds=30)
    assert [t for t in people.group.bot_texts() if t.startswith("Step 3/6")] != []
    assert pending_messages(bot) == []
    await people.fac.command("/next")
    texts = people.group.bot_texts()
    assert len([t for t in texts if t.startswith("Step 3/6")]) == 1
    assert texts[-1].startswith("Step 4/6")


async def test_messages_of_a_chat_that_waits_keep_their_order(bot):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", retry_after(20), chat_id=people.group.id)
    await people.fac.command("/next")
    await people.fac.command("/next")  # Telegram takes messages again: step 3, then step 4
    steps = [t[:8] for t in people.group.bot_texts() if t.startswith("Step ")]
    assert steps[-2:] == ["Step 3/6", "Step 4/6"]
    await pass_time(bot, minutes=1)  # the retry finds nothing left to send
    assert len([t for t in people.group.bot_texts() if t.startswith("Step 3/6")]) == 1


async def test_a_removed_bot_keeps_the_step_message_for_when_it_is_back(bot, caplog):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", forbidden(), chat_id=people.group.id)
    await people.fac.command("/next")
    assert step_index(bot) == 2
    assert len(pending_messages(bot)) == 1
    assert [job.name for job in bot.timed_jobs() if job.name.startswith("outbox:")] == []
    assert no_unhandled_error_logged(caplog)


async def test_a_step_message_telegram_refuses_is_sent_as_plain_text(bot, caplog):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", bad_request("can't parse entities: unclosed tag"))
    await people.fac.command("/next")  # raise_errors is on: nothing may reach the handler
    assert step_index(bot) == 2
    assert "sending it as plain text" in caplog.text
    plain = bot.fake.calls_of("sendMessage")[-1]
    assert "parse_mode" not in plain.params and "<b>" not in plain.params["text"]
    assert plain.params["text"].startswith("Step 3/6")
    assert query(bot, "SELECT status FROM outbox ORDER BY id DESC LIMIT 1") == [{"status": "sent"}]


async def test_a_message_refused_even_as_plain_text_is_marked_failed(bot, caplog):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", bad_request("message thread not found"), times=2)
    await people.fac.command("/next")
    (row,) = query(bot, "SELECT status, error FROM outbox ORDER BY id DESC LIMIT 1")
    assert row["status"] == "failed" and "thread not found" in row["error"]
    assert "refused by Telegram for good" in caplog.text
    await people.fac.command("/next")  # the next message goes as usual
    assert people.group.bot_texts()[-1].startswith("Step 4/6")


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_failed_reply_to_a_plain_command_is_logged_not_raised(bot, caplog, error):
    people = await in_questions(bot)
    tables = ("sessions", "contributions", "actions", "scheduled")
    before = snapshot(bot, tables)
    bot.tg.raise_errors = False
    for command in ("/help", "/meeting", "/exercises"):
        bot.fake.fail_next("sendMessage", TRANSIENT[error]())
        await people.ben.command(command)
    assert len(bot.tg.errors) == 3
    assert snapshot(bot, tables) == before
    assert no_unhandled_error_logged(caplog)


async def open_action_set(bot: BotUnderTest, title: str) -> Set:
    people = new_set(bot, title)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    return people


SESSION_STARTS = {"no open action": new_set, "an open action": open_action_set}


@pytest.mark.parametrize("error", ["429", "network"])
@pytest.mark.parametrize("before", sorted(SESSION_STARTS))
async def test_a_failed_send_loses_no_message(bot, error, before):
    """Stored, then sent: a send that fails is sent again, and the ones after it follow it."""
    prepare = SESSION_STARTS[before]
    if before == "no open action":
        baseline, faulty = prepare(bot, "Baseline"), prepare(bot, "Faulty")
    else:
        baseline, faulty = await prepare(bot, "Baseline"), await prepare(bot, "Faulty")
    seen = len(baseline.group.bot_texts())
    await baseline.fac.command("/session classic")
    expected = baseline.group.bot_texts()[seen:]

    seen = len(faulty.group.bot_texts())
    bot.fake.fail_next("sendMessage", TRANSIENT[error](), chat_id=faulty.group.id)
    await faulty.fac.command("/session classic")
    assert query(bot, "SELECT count(*) AS n FROM sessions WHERE closed_at IS NULL") == [{"n": 2}]
    await pass_time(bot, minutes=1)
    assert faulty.group.bot_texts()[seen:] == expected
    if baseline.group.last_bot_message().buttons():
        assert faulty.group.last_bot_message().buttons(), "the topic button was lost"


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_pressed_button_is_answered_even_when_the_step_message_fails(bot, error):
    people = new_set(bot)
    await people.fac.command("/session classic")
    ask = people.group.last_bot_message()
    bot.tg.raise_errors = False
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    press = await people.ann.press(ask, "🙋 I have a topic")
    assert query(bot, "SELECT topic_holder_id FROM sessions") == [
        {"topic_holder_id": people.ann.user_id}
    ]
    assert press.answered, "callbacks are always answered: Ann's button keeps spinning"


# --- step timers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("error", ["429", "network", "timed out"])
async def test_a_timer_notice_that_fails_is_retried_and_delivered_once(bot, error):
    people = await in_questions(bot)
    warning, end = scheduled(bot, "step_warning")[-1], scheduled(bot, "step_end")[-1]
    bot.clock.advance(minutes=9)
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    assert await bot.fire_due() == 1
    (row,) = query(bot, "SELECT status FROM scheduled WHERE id = ?", warning["id"])
    assert row["status"] == "sent", "the warning is decided and stored with its message"
    (waiting,) = pending_messages(bot)
    assert waiting["scheduled_id"] == warning["id"]
    assert armed_like_pending_rows(bot)
    armed = [job.name for job in bot.jobs()]
    assert f"scheduled:{end['id']}" in armed, "the end waits on a warning that keeps failing"
    assert MINUTE_LEFT not in people.group.bot_texts()
    assert bot.tg.errors == []

    await pass_time(bot, seconds=40)
    assert people.group.bot_texts().count(MINUTE_LEFT) == 1
    await pass_time(bot, minutes=1)
    assert people.group.bot_texts().count(MINUTE_LEFT) == 1
    assert len([t for t in people.group.bot_texts() if t.startswith(TIME_UP)]) == 1
    statuses = query(
        bot, "SELECT status FROM scheduled WHERE id IN (?, ?)", warning["id"], end["id"]
    )
    assert statuses == [{"status": "sent"}, {"status": "sent"}]
    assert step_index(bot) == 1


async def test_a_chat_unreachable_for_a_while_gets_every_notice_in_order(bot, caplog):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", network_error(), times=6, chat_id=people.group.id)
    await pass_time(bot, hours=2)
    texts = people.group.bot_texts()
    assert texts.count(MINUTE_LEFT) == 1
    assert texts.index(MINUTE_LEFT) < max(i for i, t in enumerate(texts) if t.startswith(TIME_UP))
    assert pending_messages(bot) == []
    assert no_unhandled_error_logged(caplog)


async def test_a_timer_that_cannot_be_stored_gives_up_after_five_attempts(bot, caplog, monkeypatch):
    people = await in_questions(bot)
    end = scheduled(bot, "step_end")[-1]

    async def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bot.repo, "save_session", disk_full)
    await pass_time(bot, hours=2)
    (row,) = query(bot, "SELECT status, attempts FROM scheduled WHERE id = ?", end["id"])
    assert (row["attempts"], row["status"]) == (4, "missed")
    assert "giving up on scheduled row" in caplog.text
    assert bot.jobs() == []
    assert len([t for t in people.group.bot_texts() if t.startswith(TIME_UP)]) == 0


async def test_bot_removed_when_a_timer_fires_keeps_the_notice_and_the_timers(bot):
    people = await in_questions(bot)
    bot.clock.advance(minutes=9)
    bot.fake.fail_next("sendMessage", forbidden(), chat_id=people.group.id)
    await bot.fire_due()
    assert len(pending_messages(bot)) == 1
    assert [
        row["kind"] for row in query(bot, "SELECT kind FROM scheduled WHERE status = 'pending'")
    ] == ["step_end"]
    # Nothing is deleted: the session and what was said are still there.
    assert query(bot, "SELECT step_index FROM sessions") == [{"step_index": 1}]
    assert bot.tg.errors == []


async def test_a_timer_notice_telegram_refuses_is_not_retried_forever(bot, caplog):
    people = await in_questions(bot)
    bot.clock.advance(minutes=9)
    bot.fake.fail_next("sendMessage", bad_request("message thread not found"))
    await bot.fire_due()
    assert bot.tg.errors == []
    (warning,) = scheduled(bot, "step_warning")[-1:]
    assert warning["status"] == "sent"
    assert armed_like_pending_rows(bot)
    await pass_time(bot, minutes=1)
    assert people.group.bot_texts()[-1].startswith(TIME_UP)


# --- reminders and meeting follow-ups ------------------------------------------------------------


async def meeting_set(bot: BotUnderTest, when: str = "in 48 hours") -> Set:
    """A set with Ann's open action and a meeting (reminder 24 h before)."""
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await people.fac.command(f"/schedule {when}")
    return people


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_reminder_that_fails_is_delivered_later_once(bot, error):
    people = await meeting_set(bot)
    (reminder,) = scheduled(bot, "reminder")
    await pass_time(bot, days=1, seconds=-1)
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    await pass_time(bot, seconds=1)
    (row,) = query(bot, "SELECT status FROM scheduled WHERE id = ?", reminder["id"])
    assert row["status"] == "sent"
    assert [m["scheduled_id"] for m in pending_messages(bot)] == [reminder["id"]]
    assert armed_like_pending_rows(bot)
    await pass_time(bot, minutes=5)
    reminders = [t for t in people.group.bot_texts() if "Reminder" in t]
    assert len(reminders) == 1 and "Call the night supervisor" in reminders[0]
    assert bot.tg.errors == []


async def test_bot_removed_before_the_reminder_cancels_nothing(bot):
    people = await meeting_set(bot)
    bot.fake.fail_next("sendMessage", forbidden(), times=10, chat_id=people.group.id)
    await pass_time(bot, days=1)
    assert len(pending_messages(bot)) == 1
    assert [
        r["kind"] for r in query(bot, "SELECT kind FROM scheduled WHERE status = 'pending'")
    ] == ["follow_up"]
    cancelled = "SELECT * FROM scheduled WHERE status = 'cancelled' AND session_id IS NULL"
    assert query(bot, cancelled) == []


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_meeting_follow_up_that_fails_is_posted_later_once(bot, error):
    people = await meeting_set(bot, "in 2 hours")
    (follow_up,) = scheduled(bot, "follow_up")
    bot.clock.advance(hours=2)
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    await bot.fire_due()
    (row,) = query(bot, "SELECT status FROM scheduled WHERE id = ?", follow_up["id"])
    assert row["status"] == "sent"
    assert {m["scheduled_id"] for m in pending_messages(bot)} == {follow_up["id"]}
    await pass_time(bot, minutes=5)
    assert len([t for t in people.group.bot_texts() if WHAT_HAPPENED in t]) == 1
    assert pending_messages(bot) == []
    assert bot.tg.errors == []


async def test_flood_control_on_a_recurring_meeting_plans_the_next_meeting_once(bot):
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await people.fac.command("/reminder off")
    await people.fac.command("/schedule every 2 weeks tue 10:00")
    bot.clock.now = bot.clock.now.replace(day=24, hour=10)
    bot.fake.fail_next("sendMessage", retry_after(30))
    await bot.fire_due()
    await pass_time(bot, minutes=5)
    assert len([t for t in people.group.bot_texts() if WHAT_HAPPENED in t]) == 1
    pending = query(bot, "SELECT kind, due_at FROM scheduled WHERE status = 'pending'")
    assert pending == [{"kind": "follow_up", "due_at": "2026-12-08 10:00:00"}]
    assert query(bot, "SELECT next_meeting_at FROM sets") == [
        {"next_meeting_at": "2026-12-08 10:00:00"}
    ]
    assert armed_like_pending_rows(bot)


def fail_call(bot: BotUnderTest, monkeypatch, method: str, number: int, error) -> None:
    """Make only the `number`-th call of `method` from now on fail (fail_next fails the next)."""
    real = getattr(bot.fake, f"api_{method}")
    calls = {"count": 0}

    def flaky(params: dict, files: dict):
        calls["count"] += 1
        if calls["count"] == number:
            raise error
        return real(params, files)

    monkeypatch.setattr(bot.fake, f"api_{method}", flaky)


async def test_a_meeting_retried_after_a_partial_failure_asks_each_action_once(bot, monkeypatch):
    """Flood control hits the second action's question: the retry must not ask the first twice."""
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await with_action(bot, people, "Draft the rota", people.ben)
    await people.fac.command("/schedule in 2 hours")
    bot.clock.advance(hours=2)
    seen = len(people.group.bot_texts())
    # The opening line and Ann's question go out; Ben's question meets flood control.
    fail_call(bot, monkeypatch, "sendMessage", 3, retry_after(10))
    await bot.fire_due()
    await pass_time(bot, minutes=1)
    asked = [t for t in people.group.bot_texts()[seen:] if WHAT_HAPPENED in t]
    assert len([t for t in asked if "Call the night supervisor" in t]) == 1, asked
    assert len([t for t in asked if "Draft the rota" in t]) == 1, asked


async def test_bot_removed_at_a_recurring_meeting_keeps_the_next_meetings(bot):
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await people.fac.command("/schedule every 2 weeks tue 10:00")
    bot.clock.now = bot.clock.now.replace(day=24, hour=10)
    bot.fake.fail_next("sendMessage", forbidden(), times=5, chat_id=people.group.id)
    await bot.fire_due()
    pending = query(bot, "SELECT kind FROM scheduled WHERE status = 'pending' ORDER BY due_at")
    assert [row["kind"] for row in pending] == ["reminder", "follow_up"]
    assert len(pending_messages(bot)) >= 2  # the opening line and the question wait
    assert armed_like_pending_rows(bot)
    assert bot.tg.errors == []


# --- edits of a follow-up message ----------------------------------------------------------------


async def asked_follow_up(bot: BotUnderTest) -> tuple[Set, object]:
    people = await meeting_set(bot, "in 2 hours")
    await pass_time(bot, hours=2)
    (message,) = [m for m in people.group.bot_messages() if WHAT_HAPPENED in (m.text or "")]
    return people, message


async def test_a_double_tap_on_an_outcome_is_ignored(bot, caplog):
    people, message = await asked_follow_up(bot)
    first = await people.ann.press(message, "✅ Done")
    assert first.answered
    after_first = snapshot(bot)
    # The same button again, from the message as it was (a double tap before the edit arrived).
    update = dict(first.update)
    update["update_id"] = bot.tg.next_update_id()
    query_id = f"{first.query_id}again"
    update["callback_query"] = {**first.update["callback_query"], "id": query_id}
    bot.fake.register_callback(query_id)
    await bot.tg.feed(update)
    assert bot.fake.callback_answer(query_id) is not None
    assert snapshot(bot) == after_first
    assert query(bot, "SELECT outcome FROM actions") == [{"outcome": "done"}]
    assert "could not update follow-up" not in caplog.text


async def test_not_modified_when_editing_a_follow_up_is_ignored(bot, caplog):
    people, message = await asked_follow_up(bot)
    bot.fake.fail_next(
        "editMessageText",
        bad_request(
            "message is not modified: specified new message content and reply markup are"
            " exactly the same as a current content and reply markup of the message"
        ),
    )
    press = await people.ann.press(message, "✅ Done")  # raise_errors is on
    assert press.answered
    assert query(bot, "SELECT outcome, stage FROM actions")[0]["outcome"] == "done"
    assert "could not update follow-up" not in caplog.text


@pytest.mark.parametrize("error", [retry_after(5), network_error()], ids=["429", "network"])
async def test_a_follow_up_edit_that_fails_is_made_later(bot, error: ApiError):
    people, message = await asked_follow_up(bot)
    bot.fake.fail_next("editMessageText", error)
    press = await people.ann.press(message, "✅ Done")  # raise_errors is on
    assert press.answered
    assert query(bot, "SELECT outcome FROM actions")[0]["outcome"] == "done"
    assert len(pending_messages(bot)) == 1
    await pass_time(bot, minutes=1)
    assert pending_messages(bot) == []
    (edited,) = [m for m in people.group.bot_messages() if m.message_id == message.message_id]
    assert "carry on, change or close" in edited.text


async def test_a_follow_up_edit_telegram_refuses_is_said_instead(bot, caplog):
    people, message = await asked_follow_up(bot)
    bot.fake.fail_next("editMessageText", bad_request("message to edit not found"))
    press = await people.ann.press(message, "✅ Done")
    assert press.answered
    assert query(bot, "SELECT outcome FROM actions")[0]["outcome"] == "done"
    assert "could not edit" in caplog.text
    assert "carry on, change or close" in people.group.bot_texts()[-1]


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_failed_callback_answer_does_not_lose_the_press(bot, error):
    people, message = await asked_follow_up(bot)
    bot.tg.raise_errors = False
    bot.fake.fail_next("answerCallbackQuery", TRANSIENT[error]())
    await people.ann.press(message, "✅ Done")
    assert query(bot, "SELECT outcome FROM actions")[0]["outcome"] == "done", (
        "the answer was not stored because answering the button failed first"
    )


async def test_a_message_whose_sent_mark_fails_is_not_sent_again(bot, monkeypatch):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session classic")
    await ann.command("/topic Reports arrive late")
    mark = bot.repo.outbox_sent
    failed = []

    async def disk_full_once(item, message_id, now):
        if not failed:
            failed.append(item.id)
            raise sqlite3.OperationalError("database or disk is full")
        await mark(item, message_id, now)

    monkeypatch.setattr(bot.repo, "outbox_sent", disk_full_once)
    await fac.command("/next")  # Step 2 is sent; storing that it was fails
    assert failed and len(step_texts(group)) == 2
    await fac.command("/next")  # the next send stores the old mark first, then goes on
    assert [t.split(" ·")[0] for t in step_texts(group)] == ["Step 1/6", "Step 2/6", "Step 3/6"]
    assert query(bot, "SELECT status FROM outbox WHERE id = ?", failed[0]) == [{"status": "sent"}]
