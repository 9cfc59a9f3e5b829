"""Shared fixtures: settings on a temporary database, a clock tests move, and a running bot."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.polling import finish_previous_run
from bot.timed import job_name
from fake_telegram import FakeTelegram, TelegramKit

TOKEN = "123456:" + "A" * 35
TIMED_JOBS = ("scheduled:", "outbox:")
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    """Time that moves only when a test says so."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward (minutes=5, hours=2, ...)."""
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A clock starting on Monday 23 November 2026, 09:00 UTC."""
    return Clock()


def settings_at(database: Path) -> Settings:
    """Settings for tests: this database file, no rate limiter, no .env."""
    return Settings(
        _env_file=None, telegram_bot_token=TOKEN, database_path=database, rate_limiter=False
    )


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for tests on a temporary database."""
    return settings_at(tmp_path / "bot.sqlite3")


@dataclass
class BotUnderTest:
    """The real Application on the fake transport, with the kit to speak as users."""

    app: Application
    fake: FakeTelegram
    tg: TelegramKit
    clock: Clock
    settings: Settings
    old_apps: list[Application] = field(default_factory=list)

    @property
    def repo(self):
        """The running bot's repository."""
        return self.app.bot_data["services"].repo

    def rows(self, sql: str, *args) -> list[tuple]:
        """Read the bot's database file directly, as a person with sqlite3 would."""
        with sqlite3.connect(self.settings.database_path) as conn:
            return conn.execute(sql, args).fetchall()

    async def restart(self, *, crash: bool = False) -> None:
        """Stop the bot (cleanly, or as a crash without shutdown) and start a new one."""
        if crash:
            await self.repo.close()  # the process died: only the file remains
        else:
            await stop(self.app)
        self.old_apps.append(self.app)
        self.app = await start(self.settings, self.fake, self.clock)
        self.tg.attach(self.app)

    def jobs(self) -> list:
        """The JobQueue jobs of scheduled rows, soonest first (the scheduler is not running)."""
        jobs = [j for j in self.app.job_queue.jobs() if j.name.startswith("scheduled:")]
        return sorted(jobs, key=due_time)

    def timed_jobs(self) -> list:
        """The jobs of scheduled rows and of outbox retries, soonest first."""
        jobs = [j for j in self.app.job_queue.jobs() if j.name.startswith(TIMED_JOBS)]
        return sorted(jobs, key=due_time)

    async def fire_due(self) -> int:
        """Run every armed job due at the clock's time, as APScheduler would; returns how many."""
        fired = 0
        for job in self.timed_jobs():
            if due_time(job) <= self.clock.now:
                job.schedule_removal()
                await job.run(self.app)
                fired += 1
        return fired

    async def fire_row(self, row_id: int) -> None:
        """Run the job of one scheduled row now."""
        (job,) = self.app.job_queue.get_jobs_by_name(job_name(row_id))
        await job.run(self.app)


def due_time(job) -> datetime:
    """When a (not yet started) date job is due."""
    return job.job.trigger.run_date


async def start(settings: Settings, fake: FakeTelegram, clock: Clock) -> Application:
    """Build and start the application as `python -m bot` does, without polling."""
    app = build_application(settings, request=fake, clock=clock)
    await app.initialize()
    await app.post_init(app)
    await finish_previous_run(app)
    await drain(app)
    return app


async def drain(app: Application) -> None:
    """Wait until what the bot resumed or was handed is handled and sent."""
    services = app.bot_data["services"]
    await services.outbox.drain()
    await services.inbox.drain()


async def stop(app: Application) -> None:
    """Shut the application down as `python -m bot` does."""
    await drain(app)
    await app.post_shutdown(app)
    await app.shutdown()


@asynccontextmanager
async def running_bot(settings: Settings, clock: Clock) -> AsyncIterator[BotUnderTest]:
    """The bot started on the fake transport, stopped afterwards."""
    fake = FakeTelegram(clock=clock)
    app = await start(settings, fake, clock)
    harness = BotUnderTest(app, fake, TelegramKit(app, fake), clock, settings)
    try:
        yield harness
    finally:
        await stop(harness.app)


@pytest.fixture
async def bot(settings, clock) -> AsyncIterator[BotUnderTest]:
    """A started bot on a fresh database."""
    async with running_bot(settings, clock) as harness:
        yield harness
