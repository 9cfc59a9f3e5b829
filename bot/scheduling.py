"""Scheduler glue: every pending `scheduled` row gets one JobQueue job named after it.

The job's callback re-reads the row and acts only if it is still pending, so arming a row
twice, firing after a restart, or firing a cancelled row is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from telegram.ext import Application, ContextTypes

from bot.services import services
from flows.models import Scheduled, ScheduledKind, ScheduledStatus

log = logging.getLogger(__name__)

Firer = Callable[[ContextTypes.DEFAULT_TYPE, Scheduled], Awaitable[None]]
FIRERS_KEY = "firers"


def register_firers(application: Application, firers: dict[ScheduledKind, Firer]) -> None:
    """Say which function carries out rows of each kind."""
    application.bot_data[FIRERS_KEY] = firers


def job_name(row_id: int) -> str:
    """The JobQueue job name (and APScheduler id) of a scheduled row."""
    return f"scheduled:{row_id}"


def arm(application: Application, item: Scheduled, now: datetime) -> None:
    """Arm (or re-arm) the job of a pending row; a past-due row runs at once."""
    name = job_name(item.id)
    disarm(application, [item.id])  # replace_existing does not apply before the scheduler starts
    application.job_queue.run_once(
        fire_scheduled,
        when=max(item.due_at, now),
        data=item.id,
        name=name,
        # One job per row however often it is armed; our own grace policy decides what is
        # too late (APScheduler's default 1 s grace would silently drop late jobs).
        job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None},
    )


def disarm(application: Application, row_ids: Iterable[int]) -> None:
    """Remove the jobs of rows that are no longer pending."""
    for row_id in row_ids:
        for job in application.job_queue.get_jobs_by_name(job_name(row_id)):
            job.schedule_removal()


async def rearm_pending(application: Application) -> int:
    """Arm a job for every pending row at start; returns how many were armed."""
    svc = application.bot_data["services"]
    now = svc.clock()
    pending = await svc.repo.pending_scheduled()
    for item in pending:
        arm(application, item, now)
    return len(pending)


async def fire_scheduled(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Carry out one scheduled row if it is still pending."""
    svc = services(context)
    item = await svc.repo.get_scheduled(context.job.data)
    if item is None or item.status is not ScheduledStatus.PENDING:
        return
    firer = context.bot_data[FIRERS_KEY].get(item.kind)
    if firer is None:
        log.error("no firer for scheduled row %s of kind %s", item.id, item.kind)
        await svc.repo.finish_scheduled(item.id, ScheduledStatus.MISSED, svc.clock())
        return
    await firer(context, item)
