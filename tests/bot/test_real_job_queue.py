"""The real JobQueue (APScheduler running on the event loop), not a test's hand on the jobs.

Tests elsewhere fire due jobs themselves; this one lets APScheduler do it, with a job that is
already late when the scheduler starts, as after a busy moment or a restart. APScheduler's
default misfire grace (1 s) would drop it silently; the bot's own grace policy must decide.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.conftest import Clock, running_bot
from tests.e2e.helpers import query

LATE = timedelta(seconds=3)


async def test_apscheduler_runs_a_follow_up_that_is_already_late(settings):
    # The bot's clock runs a minute and LATE behind the real one, so a meeting "in 1 minute"
    # is due LATE ago for APScheduler, which schedules in real time.
    clock = Clock(now=datetime.now(UTC) - timedelta(minutes=1) - LATE)
    async with running_bot(settings, clock) as bot:
        group = bot.tg.group("Set A", bot_status="administrator")
        fac = group.member("Fatou", admin=True)
        await fac.command("/schedule in 1 minute")
        (row,) = query(bot, "SELECT id, due_at FROM scheduled WHERE kind = 'follow_up'")
        outbox = bot.app.bot_data["services"].outbox
        delivered = asyncio.Event()
        deliver = outbox.deliver

        async def deliver_and_tell(items):
            await deliver(items)
            delivered.set()

        outbox.deliver = deliver_and_tell
        await bot.app.job_queue.start()
        try:
            await asyncio.wait_for(delivered.wait(), timeout=10)
        finally:
            await bot.app.job_queue.stop()
        assert group.bot_texts()[-2].startswith("📅 It's meeting time!")
        (fired,) = query(bot, "SELECT status FROM scheduled WHERE id = ?", row["id"])
        assert fired["status"] == "sent"
