"""Smoke: on a fresh file the bot starts, answers in a group, runs a session's first steps, and
shuts down leaving the file whole and closed."""

import sqlite3
from datetime import timedelta
from pathlib import Path

from storage.db import migration_scripts
from tests.conftest import START, due_time, running_bot
from tests.e2e.helpers import assert_every_call_ok, query

HELP_OPENING = "I walk this set through an action learning session"


def read_file(database: Path, sql: str) -> list[tuple]:
    """One query on a database file, the connection closed at once."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def left_beside(database: Path) -> list[str]:
    """Files SQLite keeps beside a database while it is open (write-ahead log, shared memory)."""
    return sorted(path.name for path in database.parent.glob(f"{database.name}-*"))


async def test_a_fresh_bot_answers_start_and_help_and_shuts_down_cleanly(settings, clock):
    database = settings.database_path
    assert not database.exists()
    async with running_bot(settings, clock) as bot:
        assert bot.fake.calls[0].method == "getMe"
        group = bot.tg.group("Set A")  # the bot is a plain member: privacy mode applies
        fac = group.member("Fatou", admin=True)
        await fac.command("/start")
        await fac.command("/help")
        help_text, hint, same_help, same_hint = group.bot_texts()
        assert help_text.startswith(HELP_OPENING)
        assert "/session — Start a session" in help_text  # a facilitator sees their commands
        assert "/setprivacy" in hint  # it cannot read plain messages here, and says how to fix it
        assert (same_help, same_hint) == (help_text, hint)
        assert bot.tg.errors == []
        assert_every_call_ok(bot)
    # Closing the last connection checkpoints the write-ahead log into the file and removes it.
    assert left_beside(database) == []
    assert read_file(database, "PRAGMA integrity_check") == [("ok",)]
    latest = migration_scripts()[-1][0]
    assert read_file(database, "PRAGMA user_version") == [(latest,)]
    assert read_file(database, "SELECT status FROM inbox") == [("done",), ("done",)]


async def test_a_session_reaches_its_questions(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben = group.member("Ann"), group.member("Ben")
    await fac.command("/session")
    await ann.command("/topic Staff leave early")
    early = await ben.say("What happened last week?")  # the holder's step: a comment
    await fac.command("/next")
    asked = await ben.say("Who decides the rota?")

    started, step_1, step_2 = group.bot_texts()
    assert started.startswith("▶️ Session started: Classic action learning set.")
    assert step_1.startswith("Step 1/6 · Present the issue") and "🎤 Ann speaks" in step_1
    assert step_2.startswith("Step 2/6 · Clarifying questions (10 min)")
    stored = query(bot, "SELECT message_id, kind, step_index FROM contributions ORDER BY id")
    assert [(row["message_id"], row["kind"], row["step_index"]) for row in stored[1:]] == [
        (early.message_id, "comment", 0),
        (asked.message_id, "question", 1),
    ]
    assert (await bot.repo.open_session(group.id)).question_count == 1
    (timer,) = bot.jobs()  # the step's one-minute warning
    assert due_time(timer) == START + timedelta(minutes=9)
    assert bot.tg.errors == []
    assert_every_call_ok(bot)
