"""The daily retention sweep: words older than each set keeps them are erased, and the set is
told a week before (rules: flows/retention.py; the erasure: storage/retention.py).

One JobQueue job for every set rather than a `scheduled` row per set (bot/timed.py): it is
housekeeping, not a set's own timer, and it must reach the sets the bot was removed from too,
whose rows wait unarmed. Its work is idempotent: each set's part is one transaction that erases
only what is not erased yet and stores nothing if the set's notices changed since they were read
(two sweeps at once tell a set once). The end of each sweep is stored; at start the next one is
armed a day after it, so a day missed while the bot was down is swept at once.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from babel.dates import format_date
from telegram.ext import Application

from bot.context import BotContext
from bot.render import render
from bot.services import Services, services_of
from bot.session_runner import sends
from flows.retention import Notice, sweep_set
from flows.text import msg

log = logging.getLogger(__name__)

SWEEP = "retention"  # the job's name and its row in `sweeps`
EVERY = timedelta(days=1)
AFTER_START = timedelta(minutes=1)  # the start's backlog of updates and messages goes first
RETRY = timedelta(hours=1)


async def arm_sweep(application: Application) -> datetime:
    """At start: arm the next sweep a day after the last one (soon if that is past)."""
    svc = services_of(application)
    now = svc.clock()
    last = await svc.repo.last_sweep(SWEEP)
    due = now + AFTER_START if last is None else max(last + EVERY, now + AFTER_START)
    _arm(application, due)
    return due


def _arm(application: Application, due: datetime) -> None:
    with suppress(JobLookupError):  # replace_existing does not apply before the scheduler starts
        application.job_queue.scheduler.remove_job(SWEEP)
    application.job_queue.run_once(
        sweep,
        when=due,
        name=SWEEP,
        # Late is fine (after a busy moment or a restart): APScheduler's 1 s grace would drop it.
        job_kwargs={"id": SWEEP, "replace_existing": True, "misfire_grace_time": None},
    )


async def sweep(context: BotContext) -> None:
    """Sweep every set, store that it ran, and arm tomorrow's (in an hour if it failed)."""
    svc = context.services
    now = svc.clock()
    try:
        erased = await sweep_sets(svc, now)
        await svc.repo.sweep_done(SWEEP, now)
    except Exception:
        log.exception("retention sweep failed; trying again in an hour")
        _arm(context.application, now + RETRY)
        return
    log.info("retention sweep: %d set(s) erased or told", erased)
    _arm(context.application, now + EVERY)


async def sweep_sets(svc: Services, now: datetime) -> int:
    """Each set's part of the sweep, one transaction each; returns how many sets it changed."""
    default = svc.settings.retention_months
    changed = 0
    for kept in await svc.repo.words_kept(default):
        decided = sweep_set(kept, now)
        if decided is None:
            continue
        outgoing = []
        if decided.notice is not None:
            outgoing = await _notice(svc, kept.chat_id, kept.months, decided.notice)
        stored = await svc.repo.sweep_words(kept, decided, default, now, outgoing)
        if stored is None:
            continue  # the set changed meanwhile: tomorrow's sweep decides again
        changed += 1
        await svc.outbox.deliver(stored)
    return changed


async def _notice(svc: Services, chat_id: int, months: int, notice: Notice) -> list:
    """The message that tells a set's facilitators what will be erased, and from when."""
    chat_set = await svc.repo.get_set(chat_id)
    language = svc.language_of_set(chat_set)
    zone = ZoneInfo(chat_set.timezone_or(svc.settings.default_timezone))

    def day(moment: datetime) -> str:
        return format_date(moment.astimezone(zone).date(), format="long", locale=language)

    text = msg(
        "retention.notice",
        starts=day(notice.starts),
        until=day(notice.until),
        period=msg("retention.months", count=months),
    )
    return sends(render(text, language), None)
