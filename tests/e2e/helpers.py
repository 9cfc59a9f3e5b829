"""Shared helpers of the session end-to-end tests: a cast of people, database reads, time."""

from __future__ import annotations

import copy
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fake_telegram import Group, Press, SentMessage, Speaker
from tests.conftest import BotUnderTest, due_time

HAVE_TOPIC = "🙋 I have a topic"
TAKEN = [{"type": "emoji", "emoji": "✍"}]  # the bot's reaction on a message it recorded


@dataclass
class Cast:
    """A group with a facilitator (admin), a topic holder and some members."""

    group: Group
    fac: Speaker
    holder: Speaker
    members: list[Speaker]


def cast(
    bot: BotUnderTest,
    *,
    holder: str = "Ann",
    members: tuple[str, ...] = ("Ben", "Cat", "Dan"),
    bot_admin: bool = True,
) -> Cast:
    """Fatou (admin) facilitates; the bot reads every message unless bot_admin is False."""
    group = bot.tg.group("Set A", bot_status="administrator" if bot_admin else "member")
    fac = group.member("Fatou", admin=True)
    return Cast(group, fac, group.member(holder), [group.member(name) for name in members])


async def start_with_holder(bot: BotUnderTest, people: Cast, exercise: str, topic: str) -> None:
    """/session <exercise> and /topic <topic>: the session is in its first step."""
    await people.fac.command(f"/session {exercise}")
    await people.holder.command(f"/topic {topic}")


async def reframing_step(bot: BotUnderTest) -> tuple[Group, Speaker, Speaker, Speaker, Speaker]:
    """A reframe session at its reframing step: the group, Fatou, Ann (holder), Ben and Cat."""
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben, cat = group.member("Ann"), group.member("Ben"), group.member("Cat")
    await fac.command("/session reframe")
    await ann.command("/topic Staff leave early")
    await fac.command("/next")
    await ben.say("What changed this year?")
    await cat.say("Who decides the rota?")
    await fac.command("/next")
    assert "Reframing" in group.bot_texts()[-1]
    return group, fac, ann, ben, cat


# --- what the bot sent ---------------------------------------------------------------------------


def new_texts(group: Group, seen: int) -> list[str]:
    """The bot's texts in the group after the first `seen` ones."""
    return group.bot_texts()[seen:]


def step_texts(group: Group) -> list[str]:
    """The bot's step messages ("Step n/N · ...") in the group."""
    return [text for text in group.bot_texts() if text.startswith("Step ")]


def mention_link(who: Speaker) -> str:
    """The HTML link the bot uses to mention someone."""
    return f'href="tg://user?id={who.user_id}"'


def assert_every_call_ok(bot: BotUnderTest, *, refused: tuple[str, ...] = ()) -> None:
    """No Bot API call failed (e.g. invalid HTML, which the bot would only log) but `refused`
    methods, whose failures the test itself planned."""
    calls = bot.fake.calls
    failed = [(c.method, c.error) for c in calls if not c.ok and c.method not in refused]
    assert not failed, failed


def send_dates(bot: BotUnderTest) -> list[int]:
    """Telegram dates (unix seconds) of every message the bot sent, in order."""
    return [call.result["date"] for call in bot.fake.calls_of("sendMessage") if call.ok]


# --- the database --------------------------------------------------------------------------------


def query(bot: BotUnderTest, sql: str, *params: object) -> list[dict]:
    """Rows of a query on the bot's database file, as dicts (committed data only)."""
    conn = sqlite3.connect(bot.settings.database_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def sessions(bot: BotUnderTest) -> list[dict]:
    """Every stored session, oldest first."""
    return query(bot, "SELECT * FROM sessions ORDER BY id")


def only_session(bot: BotUnderTest) -> dict:
    """The one stored session (fails if there are none or several)."""
    (row,) = sessions(bot)
    return row


def contributions(bot: BotUnderTest) -> list[dict]:
    """Every stored contribution, in the order stored."""
    return query(bot, "SELECT * FROM contributions ORDER BY id")


def contribution(bot: BotUnderTest, message_id: int) -> dict | None:
    """The contribution recorded for one message, if any."""
    rows = query(bot, "SELECT * FROM contributions WHERE message_id = ?", message_id)
    return rows[0] if rows else None


def actions(bot: BotUnderTest) -> list[dict]:
    """Every stored action."""
    return query(bot, "SELECT * FROM actions ORDER BY id")


def pending_timers(bot: BotUnderTest) -> list[dict]:
    """Pending scheduled rows, soonest first."""
    return query(bot, "SELECT * FROM scheduled WHERE status = 'pending' ORDER BY due_at, id")


def db_time(moment: datetime) -> str:
    """A moment as the database stores it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def armed(bot: BotUnderTest) -> list[tuple[str, datetime]]:
    """(job name, due time) of the armed scheduled jobs, soonest first."""
    return [(job.name, due_time(job)) for job in bot.jobs()]


def armed_like_pending_rows(bot: BotUnderTest) -> bool:
    """Whether the armed jobs are the pending scheduled rows, each once, at their due times; a
    step's end may wait unarmed while its warning is pending (a restart arms it all the same)."""
    rows = pending_timers(bot)
    jobs = [(name, db_time(due)) for name, due in armed(bot)]
    every = {(f"scheduled:{row['id']}", row["due_at"]) for row in rows}
    needed = {
        (f"scheduled:{row['id']}", row["due_at"])
        for row in rows
        if not waits_for_its_warning(row, rows)
    }
    return len(set(jobs)) == len(jobs) and needed <= set(jobs) <= every


def waits_for_its_warning(row: dict, rows: list[dict]) -> bool:
    """A step's end row, armed only once the step's warning has fired (see bot.timed)."""
    return row["kind"] == "step_end" and any(
        other["kind"] == "step_warning"
        and (other["session_id"], other["ref"]) == (row["session_id"], row["ref"])
        for other in rows
    )


# --- time ----------------------------------------------------------------------------------------


async def pass_time(bot: BotUnderTest, **delta: float) -> int:
    """Move the clock forward, firing every timer exactly when it falls due; returns how many."""
    target = bot.clock.now + timedelta(**delta)
    fired = 0
    while True:
        due = [due_time(job) for job in bot.timed_jobs() if due_time(job) <= target]
        if not due:
            break
        bot.clock.now = max(bot.clock.now, min(due))
        fired += await bot.fire_due()
    bot.clock.now = target
    return fired


# --- updates -------------------------------------------------------------------------------------


async def tap_again(bot: BotUnderTest, first: Press, by: Speaker | None = None) -> dict | None:
    """Another tap on the button of `first`, from the message as it was then; its answer.

    By the same person this is a double tap; by someone else (`by`), a press from a client
    that still showed the button.
    """
    update = copy.deepcopy(first.update)
    update["update_id"] = bot.tg.next_update_id()
    query_id = f"{first.query_id}{update['update_id']}"
    update["callback_query"]["id"] = query_id
    if by is not None:
        update["callback_query"]["from"] = by.user
    bot.fake.register_callback(query_id)
    await bot.tg.feed(update)
    return bot.fake.callback_answer(query_id)


def buttons(message: SentMessage) -> list[str]:
    """The labels of a bot message's inline buttons."""
    return [button["text"] for button in message.buttons()]
