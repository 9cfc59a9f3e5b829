"""Shared helpers of the fault tests: a bot per hypothesis example, database snapshots, sends."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fake_telegram import Group
from tests.conftest import BotUnderTest, Clock, running_bot, settings_at
from tests.e2e.helpers import query

TABLES = ("sets", "members", "sessions", "contributions", "actions", "scheduled", "scores")
MINUTE_LEFT = "⏳ About a minute left in this step."
TIME_UP = "⌛ Time is up for this step."


@asynccontextmanager
async def fresh_bot() -> AsyncIterator[BotUnderTest]:
    """A started bot on a new database in its own temporary folder (one per hypothesis example)."""
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(settings_at(Path(folder) / "bot.sqlite3"), Clock()) as bot:
            yield bot


def snapshot(bot: BotUnderTest, tables: tuple[str, ...] = TABLES) -> dict[str, list[dict]]:
    """Every row of the given tables, in a stable order (to compare before and after)."""
    return {table: query(bot, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}


def job_names(bot: BotUnderTest) -> list[str]:
    """Names of the armed scheduled jobs."""
    return sorted(job.name for job in bot.jobs())


def sent_texts(bot: BotUnderTest, chat_id: int) -> list[str]:
    """Texts of every message the bot sent successfully to a chat, in order (edits excluded)."""
    return [
        call.params.get("text", "")
        for call in bot.fake.calls_of("sendMessage")
        if call.ok and call.params.get("chat_id") == chat_id
    ]


def sends(bot: BotUnderTest) -> int:
    """How many messages the bot has sent or tried to send so far."""
    return len(bot.fake.calls_of("sendMessage"))


def last_text(group: Group) -> str:
    """The bot's latest visible text in a group."""
    return group.bot_texts()[-1]
