"""Telegram refusing or failing a call on every send path: replies, steps, timers, meetings.

Intended behaviour (bot/scheduling.py, bot/session_runner.py, bot/follow_ups.py, errors.py):
- scheduled sends: 429 and network errors put the row back to pending (attempts + 1) and a later
  firing delivers it once; 403 marks the set inactive and cancels its timers;
- handler sends: the transition is stored first, the error is logged as one warning line, the
  bot carries on; a 400 on a step message is logged and the transition kept;
- a follow-up message edit that Telegram calls "not modified" (a double tap) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import BotUnderTest
from tests.e2e.helpers import armed_like_pending_rows, pass_time, query
from tests.faults.helpers import MINUTE_LEFT, TIME_UP, snapshot
from tests.kit import (
    ApiError,
    Group,
    Speaker,
    bad_request,
    forbidden,
    network_error,
    retry_after,
    timed_out,
)

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


@pytest.mark.parametrize("error", ["429", "network", "timed out", "403"])
async def test_a_failed_step_message_keeps_the_transition_and_the_bot_carries_on(
    bot, caplog, error
):
    people = await in_questions(bot)
    bot.tg.raise_errors = False
    make = TRANSIENT.get(error, forbidden)
    bot.fake.fail_next("sendMessage", make())
    await people.fac.command("/next")
    assert step_index(bot) == 2, "the transition was lost with its message"
    assert armed_like_pending_rows(bot)
    pending = query(bot, "SELECT ref FROM scheduled WHERE status = 'pending'")
    assert [row["ref"] for row in pending] == [2, 2]  # the new step's timers
    assert errors_of(bot) == []  # handled where it happened: logged, and the rest goes on
    assert no_unhandled_error_logged(caplog)
    assert "could not send session.step" in caplog.text
    # The bot carries on: the next command works.
    bot.tg.raise_errors = True
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 4/6")


async def test_a_step_message_telegram_refuses_keeps_the_transition(bot, caplog):
    people = await in_questions(bot)
    bot.fake.fail_next("sendMessage", bad_request("can't parse entities: unclosed tag"))
    await people.fac.command("/next")  # raise_errors is on: nothing may reach the handler
    assert step_index(bot) == 2
    assert "could not send" in caplog.text


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
async def test_a_failed_send_loses_at_most_that_one_message(bot, error, before):
    """Persist, then act: a failed send costs that message, not the ones after it."""
    prepare = SESSION_STARTS[before]
    if before == "no open action":
        baseline, faulty = prepare(bot, "Baseline"), prepare(bot, "Faulty")
    else:
        baseline, faulty = await prepare(bot, "Baseline"), await prepare(bot, "Faulty")
    seen = len(baseline.group.bot_texts())
    await baseline.fac.command("/session classic")
    expected = baseline.group.bot_texts()[seen:]

    seen = len(faulty.group.bot_texts())
    bot.tg.raise_errors = False
    bot.fake.fail_next("sendMessage", TRANSIENT[error](), chat_id=faulty.group.id)
    await faulty.fac.command("/session classic")
    delivered = faulty.group.bot_texts()[seen:]
    assert query(bot, "SELECT count(*) AS n FROM sessions WHERE closed_at IS NULL") == [{"n": 2}]
    assert len(delivered) >= len(expected) - 1, (expected, delivered)
    if any(WHAT_HAPPENED in text for text in expected[1:]):
        assert any(WHAT_HAPPENED in t for t in delivered), "the session waits for an unasked answer"
    if len(expected) > 1 and baseline.group.last_bot_message().buttons():
        # When the lost message was not the one carrying it, the topic button still came.
        assert faulty.group.last_bot_message().buttons(), "the topic button was lost too"


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
    (row,) = query(
        bot, "SELECT status, attempts, due_at FROM scheduled WHERE id = ?", warning["id"]
    )
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["due_at"] > warning["due_at"], "retried at once, into the same flood control"
    assert armed_like_pending_rows(bot)
    armed = [job.name for job in bot.jobs()]
    assert f"scheduled:{end['id']}" in armed, "the end waits on a warning that keeps failing"
    assert MINUTE_LEFT not in people.group.bot_texts()
    assert bot.tg.errors == []  # handled in fire_scheduled, not an error

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


async def test_a_timer_that_keeps_failing_gives_up_after_five_attempts(bot, caplog):
    people = await in_questions(bot)
    end = scheduled(bot, "step_end")[-1]
    bot.fake.fail_next("sendMessage", network_error(), times=100, chat_id=people.group.id)
    await pass_time(bot, hours=2)
    (row,) = query(bot, "SELECT status, attempts FROM scheduled WHERE id = ?", end["id"])
    assert row["attempts"] == 4 and row["status"] != "pending"
    assert "giving up on scheduled row" in caplog.text
    assert bot.jobs() == []
    assert no_unhandled_error_logged(caplog)


async def test_bot_removed_when_a_timer_fires_marks_the_set_inactive(bot):
    people = await in_questions(bot)
    bot.clock.advance(minutes=9)
    bot.fake.fail_next("sendMessage", forbidden())
    await bot.fire_due()
    assert query(bot, "SELECT active FROM sets WHERE chat_id = ?", people.group.id) == [
        {"active": 0}
    ]
    assert query(bot, "SELECT * FROM scheduled WHERE status = 'pending'") == []
    assert bot.jobs() == []
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


async def meeting_set(bot: BotUnderTest, when: str = "in 2 days") -> Set:
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
    (row,) = query(bot, "SELECT status, attempts FROM scheduled WHERE id = ?", reminder["id"])
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert armed_like_pending_rows(bot)
    await pass_time(bot, minutes=5)
    reminders = [t for t in people.group.bot_texts() if "Reminder" in t]
    assert len(reminders) == 1 and "Call the night supervisor" in reminders[0]
    assert bot.tg.errors == []


async def test_bot_removed_before_the_reminder_marks_the_set_inactive(bot):
    people = await meeting_set(bot)
    bot.fake.fail_next("sendMessage", forbidden())
    await pass_time(bot, days=1)
    assert query(bot, "SELECT active FROM sets WHERE chat_id = ?", people.group.id) == [
        {"active": 0}
    ]
    assert query(bot, "SELECT * FROM scheduled WHERE status = 'pending'") == []
    assert bot.jobs() == []
    await pass_time(bot, days=2)  # the meeting time passes: nothing is sent to a lost group
    assert not any(WHAT_HAPPENED in t for t in people.group.bot_texts())


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_meeting_follow_up_that_fails_is_posted_later_once(bot, error):
    people = await meeting_set(bot, "in 2 hours")
    (follow_up,) = scheduled(bot, "follow_up")
    bot.clock.advance(hours=2)
    bot.fake.fail_next("sendMessage", TRANSIENT[error]())
    await bot.fire_due()
    (row,) = query(bot, "SELECT status, attempts FROM scheduled WHERE id = ?", follow_up["id"])
    assert (row["status"], row["attempts"]) == ("pending", 1)
    await pass_time(bot, minutes=5)
    assert len([t for t in people.group.bot_texts() if WHAT_HAPPENED in t]) == 1
    assert bot.tg.errors == []


async def test_flood_control_on_a_recurring_meeting_plans_the_next_meeting_once(bot):
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await people.fac.command("/reminder off")
    await people.fac.command("/schedule every 2 weeks tue 10:00")
    (first,) = scheduled(bot, "follow_up")
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


async def test_bot_removed_at_a_recurring_meeting_cancels_the_next_meetings(bot):
    people = new_set(bot)
    await with_action(bot, people, "Call the night supervisor", people.ann)
    await people.fac.command("/schedule every 2 weeks tue 10:00")
    bot.clock.now = bot.clock.now.replace(day=24, hour=10)
    bot.fake.fail_next("sendMessage", forbidden(), times=5)
    await bot.fire_due()
    assert query(bot, "SELECT active FROM sets") == [{"active": 0}]
    assert query(bot, "SELECT * FROM scheduled WHERE status = 'pending'") == []
    assert bot.jobs() == []
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


@pytest.mark.parametrize(
    "error",
    [retry_after(5), forbidden(), network_error(), bad_request("message to edit not found")],
    ids=["429", "403", "network", "400"],
)
async def test_a_failed_follow_up_edit_keeps_the_answer(bot, caplog, error: ApiError):
    people, message = await asked_follow_up(bot)
    bot.fake.fail_next("editMessageText", error)
    press = await people.ann.press(message, "✅ Done")  # raise_errors is on
    assert press.answered
    assert query(bot, "SELECT outcome FROM actions")[0]["outcome"] == "done"
    assert "could not edit message" in caplog.text


@pytest.mark.parametrize("error", ["429", "network"])
async def test_a_failed_callback_answer_does_not_lose_the_press(bot, error):
    people, message = await asked_follow_up(bot)
    bot.tg.raise_errors = False
    bot.fake.fail_next("answerCallbackQuery", TRANSIENT[error]())
    await people.ann.press(message, "✅ Done")
    assert query(bot, "SELECT outcome FROM actions")[0]["outcome"] == "done", (
        "the answer was not stored because answering the button failed first"
    )
