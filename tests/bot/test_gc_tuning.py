"""The garbage collector is tuned while the bot runs (see bot/gc_tuning.py)."""

from __future__ import annotations

import gc

from bot import gc_tuning
from tests.conftest import running_bot


async def test_the_collector_is_tuned_while_the_bot_runs_and_restored_after(settings, clock):
    untuned = gc.get_threshold()
    async with running_bot(settings, clock) as bot:
        assert gc.get_threshold() == gc_tuning.THRESHOLDS
        assert gc.get_freeze_count() > 0  # what was alive at start is not walked again
        await bot.restart(crash=True)  # a second application in the process: still tuned
        assert gc.get_threshold() == gc_tuning.THRESHOLDS
    assert gc.get_threshold() == untuned and gc.get_freeze_count() == 0
