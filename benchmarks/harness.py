"""What the benchmarks share: a fake clock, starting and stopping the bot, timers, tables."""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing telegram here would hide its import cost from bench_restart
    from telegram.ext import Application, ContextTypes

    from benchmarks.fake_api import LeanTelegram

TOKEN = "123456:" + "A" * 35
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REPRODUCE = "Reproduce: make bench  (or: .venv/bin/python -m benchmarks <name>)"


@dataclass
class Clock:
    """Time that moves only when the benchmark says so."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        """Unix seconds, for Telegram dates."""
        return self.now.timestamp()

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += timedelta(seconds=seconds)


@dataclass
class Running:
    """Our Application started on the lean fake, with the errors its handlers raised."""

    app: Application
    fake: LeanTelegram
    clock: Clock
    database: Path
    errors: list[BaseException] = field(default_factory=list)

    @property
    def repo(self):
        """The running bot's repository."""
        return self.app.bot_data["services"].repo

    def round_trips(self) -> int:
        """aiosqlite round trips so far (0 when the counter does not exist)."""
        return getattr(self.repo.db, "round_trips", 0)


def settings_for(database: Path):
    """Settings as tests use them: no .env, no rate limiter."""
    from bot.config import Settings

    return Settings(
        _env_file=None, telegram_bot_token=TOKEN, database_path=database, rate_limiter=False
    )


@asynccontextmanager
async def running_bot(
    fake: LeanTelegram, clock: Clock, *, paused_scheduler: bool = False
) -> AsyncIterator[Running]:
    """Build and start our Application as tests do (no polling, JobQueue not started).

    paused_scheduler: start the JobQueue's scheduler paused, so armed timers sit in its job
    store as in production (found by id in a dict) but none fires in real time.
    """
    from bot.app import build_application

    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        database = Path(folder) / "bench.sqlite3"
        app = build_application(settings_for(database), request=fake, clock=clock)
        running = Running(app, fake, clock, database)

        async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            running.errors.append(context.error)

        app.add_error_handler(collect)
        await app.initialize()
        if paused_scheduler:
            app.job_queue.scheduler.start(paused=True)
        await app.post_init(app)
        try:
            yield running
        finally:
            if app.job_queue.scheduler.running:
                app.job_queue.scheduler.shutdown(wait=False)
            await app.post_shutdown(app)
            await app.shutdown()


def scheduled_jobs(app: Application) -> list:
    """The JobQueue jobs of scheduled rows (the scheduler is not running)."""
    return [job for job in app.job_queue.jobs() if job.name and job.name.startswith("scheduled:")]


def due_time(job) -> datetime:
    """When a (not yet started) date job is due."""
    return job.job.trigger.run_date


async def pass_time(
    running: Running,
    seconds: float,
    on_run: Callable[[int], None] | None = None,
    concurrent: bool = False,
) -> int:
    """Move the fake clock, running every job exactly when it falls due; returns how many ran.

    `on_run` receives the nanoseconds the jobs of each moment took (the scan for due jobs is
    the benchmark's, not the bot's, and is not timed). concurrent=True runs the jobs due at
    one moment together, as the running JobQueue would.
    """
    clock = running.clock
    target = clock.now + timedelta(seconds=seconds)
    fired = 0
    while True:
        due = sorted(
            (due_time(job), job.name, job)
            for job in scheduled_jobs(running.app)
            if due_time(job) <= target
        )
        if not due:
            break
        clock.now = max(clock.now, due[0][0])
        now_due = [job for when, _, job in due if when <= clock.now]
        began = time.perf_counter_ns()
        for job in now_due:
            job.schedule_removal()
        if concurrent:
            await asyncio.gather(*(job.run(running.app) for job in now_due))
        else:
            for job in now_due:
                await job.run(running.app)
        if on_run is not None:
            on_run(time.perf_counter_ns() - began)
        fired += len(now_due)
    clock.now = max(clock.now, target)
    return fired


# --- figures -------------------------------------------------------------------------------------


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The value at `fraction` (0..1) of an ascending sequence (nearest rank)."""
    if not ordered:
        return math.nan
    rank = max(math.ceil(fraction * len(ordered)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    left: Sequence[int] = (0,),
    indent: str = "  ",
) -> str:
    """An aligned text table: the `left` columns left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [
            value.ljust(widths[i]) if i in left else value.rjust(widths[i])
            for i, value in enumerate(row)
        ]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(ok: bool) -> str:
    """PASS or MISSED, for a target line."""
    return "PASS" if ok else "MISSED"


def note(*lines: str) -> None:
    """Print explanatory lines under a table."""
    for text in lines:
        print(f"  {text}")
