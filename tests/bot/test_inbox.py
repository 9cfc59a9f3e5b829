"""Durable input: updates are journalled before Telegram's offset moves on, handled from the
journal, replayed after a crash, and an update that cannot be read or handled is set aside."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram.error import InvalidToken, NetworkError
from telegram.ext import CommandHandler

from bot import polling
from bot.app import ALLOWED_UPDATES
from tests.e2e.helpers import query

# A poll as an older self-hosted Bot API server sends it: PTB cannot parse it.
UNREADABLE_POLL = {
    "id": "5",
    "question": "Lunch?",
    "options": [{"text": "yes", "voter_count": 0}],
    "total_voter_count": 0,
    "is_closed": False,
    "is_anonymous": True,
    "type": "regular",
    "allows_multiple_answers": False,
}


def inbox(bot) -> dict[int, str]:
    return {row["update_id"]: row["status"] for row in query(bot, "SELECT * FROM inbox")}


def offsets(bot) -> list[int | None]:
    return [call.params.get("offset") for call in bot.fake.calls_of("getUpdates")]


def queue(bot, *updates: dict) -> None:
    """Telegram holds these updates until the bot's getUpdates fetches them."""
    bot.fake.updates.extend(updates)


async def test_a_batch_is_journalled_before_the_offset_acknowledges_it(bot):
    bot.tg.use_polling()
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/session classic")
    (first,) = inbox(bot)
    assert inbox(bot) == {first: "done"}
    assert offsets(bot) == [None]  # the first call acknowledges nothing yet
    call = bot.fake.calls_of("getUpdates")[0]
    assert call.params["allowed_updates"] == ALLOWED_UPDATES
    await fac.command("/help")
    assert offsets(bot)[-1] == first + 1  # sent only after `first` was committed


async def test_after_a_restart_the_poller_acknowledges_what_the_journal_holds(bot):
    bot.tg.use_polling()
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/session classic")
    last = max(inbox(bot))
    await bot.restart(crash=True)
    await bot.tg.poller.fetch_once()
    assert offsets(bot)[-1] == last + 1


async def test_journalled_updates_are_handled_at_start_in_order(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session classic")
    await ann.command("/topic Reports arrive late")
    await fac.command("/next")
    with bot.tg.holding() as updates:
        for name in "BCD":
            await group.member(name).command(f"/q Question from {name}?")
    await bot.repo.journal(updates, bot.clock())  # the process died before handling them
    await bot.restart(crash=True)
    stored = query(bot, "SELECT text FROM contributions WHERE kind = 'question' ORDER BY id")
    assert [row["text"] for row in stored] == [f"Question from {n}?" for n in "BCD"]
    assert set(inbox(bot).values()) == {"done"}


async def test_an_unreadable_update_is_set_aside_once_and_the_others_go_on(bot, caplog):
    bot.tg.use_polling()
    a = bot.tg.group("Set A", bot_status="administrator")
    b = bot.tg.group("Set B", bot_status="administrator")
    fac_a, fac_b = a.member("Fatou", admin=True), b.member("Bob", admin=True)
    with bot.tg.holding() as held:
        await fac_a.command("/session classic")
        await fac_b.command("/session classic")
    poison = {"update_id": bot.tg.next_update_id(), "poll": UNREADABLE_POLL}
    queue(bot, held[0], poison, held[1])
    await bot.tg.poller.fetch_once()
    await bot.app.bot_data["services"].inbox.drain()
    assert a.bot_texts()[-1].startswith("▶️ Session started")
    assert b.bot_texts()[-1].startswith("▶️ Session started")
    assert inbox(bot)[poison["update_id"]] == "set_aside"
    lines = [r for r in caplog.records if str(poison["update_id"]) in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.ERROR

    await bot.restart(crash=True)  # not tried again, nor fetched again
    await bot.tg.poller.fetch_once()
    assert inbox(bot)[poison["update_id"]] == "set_aside"
    assert not bot.fake.updates


async def test_an_update_whose_handler_raises_is_set_aside_and_its_chat_goes_on(bot, caplog):
    async def broken(update, context):
        raise RuntimeError("boom")

    bot.app.add_handler(CommandHandler("boom", broken), group=-2)
    bot.tg.raise_errors = False
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/boom")
    (failed,) = inbox(bot)
    row = query(bot, "SELECT status, error FROM inbox WHERE update_id = ?", failed)[0]
    assert row["status"] == "set_aside" and "boom" in row["error"]
    await fac.command("/session classic")
    assert group.bot_texts()[-1].startswith("▶️ Session started")
    await bot.restart(crash=True)
    assert inbox(bot)[failed] == "set_aside"  # not replayed


async def test_a_redelivered_update_is_handled_once(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session classic")
    await ann.command("/topic Reports arrive late")
    await fac.command("/next")
    said = len(group.bot_texts())
    with bot.tg.holding() as held:
        await group.member("Ben").command("/q Who reads them?")
    (update,) = held
    fresh = await bot.app.bot_data["services"].inbox.receive([update, update])
    await bot.app.bot_data["services"].inbox.drain()
    assert fresh == 1
    assert await bot.app.bot_data["services"].inbox.receive([update]) == 0
    assert len(query(bot, "SELECT * FROM contributions WHERE kind = 'question'")) == 1
    assert len(group.bot_texts()) == said


async def test_handled_updates_and_sent_messages_are_pruned_after_two_days(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/session classic")
    await group.member("Ann").command("/topic Reports arrive late")
    newest = max(inbox(bot))
    assert await bot.repo.prune_delivered(bot.clock() + timedelta(days=1)) == 0
    gone = await bot.repo.prune_delivered(bot.clock() + timedelta(days=3))
    assert gone > 0
    assert list(inbox(bot)) == [newest]  # it is the offset
    assert query(bot, "SELECT * FROM outbox") == []


class Stop(Exception):
    pass


@pytest.mark.parametrize(
    ("failure", "backs_off"),
    [(NetworkError("connection reset"), True), (InvalidToken("Unauthorized"), False)],
)
async def test_the_poll_loop_backs_off_on_failures_and_stops_on_a_bad_token(
    bot, monkeypatch, failure, backs_off
):
    waits: list[int] = []

    async def back_off(failures: int, reason: str) -> None:
        waits.append(failures)
        if len(waits) == 3:
            raise Stop

    calls = 0

    async def fetch_once(self, hold_seconds: int = 0) -> int:
        nonlocal calls
        calls += 1
        raise failure

    monkeypatch.setattr(polling, "_back_off", back_off)
    monkeypatch.setattr(polling.Poller, "fetch_once", fetch_once)
    if backs_off:
        with pytest.raises(Stop):
            await polling.poll(bot.app)
        assert waits == [1, 2, 3]
    else:
        await polling.poll(bot.app)  # returns: nothing to retry with a rejected token
        assert waits == [] and calls == 1


async def test_starting_without_a_network_tries_again_one_line_a_try(
    settings, clock, monkeypatch, caplog
):
    import asyncio

    from bot.app import build_application
    from fake_telegram import FakeTelegram, network_error

    fake = FakeTelegram(clock=clock)
    fake.fail_next("getMe", network_error(), times=2)
    app = build_application(settings, request=fake, clock=clock)
    monkeypatch.setattr(polling, "MAX_BACKOFF", 0)  # no real waiting in a test
    assert await polling.reach_telegram(app, asyncio.Event())
    lines = [r.getMessage() for r in caplog.records if "cannot reach Telegram" in r.getMessage()]
    assert len(lines) == 2 and "Traceback" not in caplog.text
    await app.shutdown()

    stopped = asyncio.Event()
    stopped.set()  # SIGTERM while waiting for the network
    again = build_application(settings, request=fake, clock=clock)
    fake.fail_next("getMe", network_error())
    assert not await polling.reach_telegram(again, stopped)
