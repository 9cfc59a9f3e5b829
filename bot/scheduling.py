"""Scheduler glue: a pending `scheduled` row gets one JobQueue job named after it.

The job's callback re-reads the row and acts only if it is still pending, so arming a row
twice, firing after a restart, or firing a cancelled row is harmless. A step's end row is
the one exception while the session runs: its job is armed when the step's warning fires
(see arm_new); at start every pending row is armed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from telegram.ext import Application, ContextTypes

from bot.services import services
from flows.models import Scheduled, ScheduledKind, ScheduledStatus

log = logging.getLogger(__name__)

Firer = Callable[[ContextTypes.DEFAULT_TYPE, Scheduled], Awaitable[None]]
FIRERS_KEY = "firers"
MAX_ATTEMPTS = 5
RETRY_SECONDS = 30


def register_firers(application: Application, firers: dict[ScheduledKind, Firer]) -> None:
    """Say which function carries out rows of each kind."""
    application.bot_data[FIRERS_KEY] = firers


def job_name(row_id: int) -> str:
    """The JobQueue job name (and APScheduler id) of a scheduled row."""
    return f"scheduled:{row_id}"


def arm(application: Application, item: Scheduled, now: datetime, *, fresh: bool = False) -> None:
    """Arm (or re-arm) the job of a pending row; a past-due row runs at once.

    `fresh`: the application has no job for the row yet (at start), so none to replace.
    """
    name = job_name(item.id)
    if not fresh:  # replace_existing does not apply before the scheduler starts
        disarm(application, [item.id])
    application.job_queue.run_once(
        fire_scheduled,
        when=max(item.due_at, now),
        data=item.id,
        name=name,
        # One job per row however often it is armed; our own grace policy decides what is
        # too late (APScheduler's default 1 s grace would silently drop late jobs).
        job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None},
    )


def arm_new(application: Application, items: list[Scheduled], now: datetime) -> None:
    """Arm rows a transition just added; a step's end waits until its warning has fired.

    Arming is the dearest part of moving on a step (APScheduler builds and checks every job),
    so a step has one job at a time. The end row is pending in the database all along: a
    restart arms every pending row, and the warning's job arms the end before it does anything
    else, so a warning that fails cannot hold the end back.
    """
    warned = {
        (item.session_id, item.ref) for item in items if item.kind is ScheduledKind.STEP_WARNING
    }
    for item in items:
        if item.kind is ScheduledKind.STEP_END and (item.session_id, item.ref) in warned:
            continue
        arm(application, item, now, fresh=True)


def disarm(application: Application, row_ids: Iterable[int]) -> None:
    """Remove the jobs of rows that are no longer pending (by id: no scan of every job)."""
    scheduler = application.job_queue.scheduler
    for row_id in row_ids:
        with suppress(JobLookupError):
            scheduler.remove_job(job_name(row_id))


async def rearm_pending(application: Application) -> int:
    """Arm a job for every pending row at start; returns how many were armed."""
    svc = application.bot_data["services"]
    now = svc.clock()
    pending = await svc.repo.pending_scheduled()
    for item in pending:
        arm(application, item, now, fresh=True)
    return len(pending)


async def fire_scheduled(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Carry out one scheduled row if it is still pending; a failure tries it again later.

    Firers only decide and store (the row's messages go through the outbox, which handles what
    Telegram says), so what fails here is storage or a bug: the row stays pending meanwhile.
    """
    svc = services(context)
    item = await svc.repo.get_scheduled(context.job.data)
    if item is None or item.status is not ScheduledStatus.PENDING:
        return
    if item.kind is ScheduledKind.STEP_WARNING and item.session_id is not None:
        end = await svc.repo.pending_step_end(item.session_id, item.ref)
        if end is not None:  # see arm_new: the step's end is armed now
            arm(context.application, end, svc.clock())
    firer = context.bot_data[FIRERS_KEY].get(item.kind)
    if firer is None:
        log.error("no firer for scheduled row %s of kind %s", item.id, item.kind)
        await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, svc.clock())
        return
    try:
        await firer(context, item)
    except Exception:
        if item.attempts + 1 >= MAX_ATTEMPTS:
            log.exception("giving up on scheduled row %s after %d attempts", item.id, MAX_ATTEMPTS)
            await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, svc.clock())
            return
        log.warning("scheduled row %s failed; trying again later", item.id, exc_info=True)
        await retry_later(context, item, RETRY_SECONDS * (item.attempts + 1))


async def retry_later(context: ContextTypes.DEFAULT_TYPE, item: Scheduled, delay: float) -> None:
    """Put off a row whose firing failed by `delay` seconds."""
    svc = services(context)
    now = svc.clock()
    again = await svc.repo.retry_scheduled(item.id, now + timedelta(seconds=delay), now)
    if again is not None:
        arm(context.application, again, now)
