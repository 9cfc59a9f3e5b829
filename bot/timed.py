"""Every timed thing the bot does: step timers, meeting reminders, meeting follow-ups and the
MEAL staff's monthly organisation digests.

A pending `scheduled` row gets one JobQueue job named after it (`Timers`). When the job runs,
the row is read again and, if still pending, the firer of its kind decides. One convention for
every firer: it stores its decision (messages, session state, the next rows) and the row's new
status in one transaction, and that transaction stores nothing when the row is no longer
pending; so arming a row twice, firing after a restart, or firing a cancelled row is harmless.
Firers only decide and store (their messages go through the outbox, which handles what
Telegram says), so what can fail here is storage or a bug: the row then stays pending and is
tried again later, a few times.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from telegram.ext import Application

from bot.context import BotContext
from bot.follow_up_runner import follow_up_questions
from bot.org_digest import digest_for, files_row, summary
from bot.render import render
from bot.session_runner import run_event, sends
from flows.goal import behind_line, goal_of, is_behind, period, planned_left
from flows.meetings import meeting_follow_up, rule_from_json
from flows.models import ChatSet
from flows.org_digest import month_bounds, next_digest_at
from flows.quiet import is_quiet
from flows.session_model import TimerFired
from flows.text import LocalTime, Msg, msg
from storage.meetings import Rearm
from storage.scheduled import Scheduled, ScheduledKind, ScheduledStatus

log = logging.getLogger(__name__)

Firer = Callable[[BotContext, Scheduled], Awaitable[None]]
MAX_ATTEMPTS = 5
RETRY_SECONDS = 30


def job_name(row_id: int) -> str:
    """The JobQueue job name (and APScheduler id) of a scheduled row."""
    return f"scheduled:{row_id}"


class Timers:
    """The jobs of pending rows: armed when a row is stored, disarmed when it is cancelled,
    re-armed at start and when the bot is added back to a group, and fired."""

    def __init__(self, application: Application) -> None:
        self.application = application

    def arm(self, item: Scheduled, now: datetime, *, fresh: bool = False) -> None:
        """Arm (or re-arm) the job of a pending row; a past-due row runs at once.

        `fresh`: the application has no job for the row yet (at start), so none to replace.
        """
        name = job_name(item.id)
        if not fresh:  # replace_existing does not apply before the scheduler starts
            self.disarm([item.id])
        self.application.job_queue.run_once(
            self._fire,
            when=max(item.due_at, now),
            data=item.id,
            name=name,
            # One job per row however often it is armed; our own grace policy decides what is
            # too late (APScheduler's default 1 s grace would silently drop late jobs).
            job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None},
        )

    def arm_steps(self, items: list[Scheduled], now: datetime) -> None:
        """Arm the step timers a transition just added; a step's end waits for its warning.

        Arming is the dearest part of moving on a step (APScheduler builds and checks every
        job), so a step has one job at a time. The end row is pending in the database all
        along: a restart arms every pending row, and the warning's firer arms the end before
        it does anything else, so a warning that fails cannot hold the end back.
        """
        warned = {
            (item.session_id, item.ref) for item in items if item.kind is ScheduledKind.STEP_WARNING
        }
        for item in items:
            if item.kind is ScheduledKind.STEP_END and (item.session_id, item.ref) in warned:
                continue
            self.arm(item, now, fresh=True)

    def rearm(self, change: Rearm, now: datetime) -> None:
        """A meeting change: drop the jobs of cancelled rows and arm the new ones."""
        self.disarm(change.cancelled)
        for item in change.armed:
            self.arm(item, now)

    def disarm(self, row_ids: Iterable[int]) -> None:
        """Remove the jobs of rows that are no longer pending (by id: no scan of every job)."""
        scheduler = self.application.job_queue.scheduler
        for row_id in row_ids:
            with suppress(JobLookupError):
                scheduler.remove_job(job_name(row_id))

    async def rearm_pending(self) -> int:
        """Arm a job for every pending row at start; returns how many were armed."""
        svc = self.application.bot_data["services"]
        now = svc.clock()
        pending = await svc.repo.pending_scheduled()
        for item in pending:
            self.arm(item, now, fresh=True)
        return len(pending)

    async def _fire(self, context: BotContext) -> None:
        """Carry out one scheduled row if it is still pending; a failure tries it again later."""
        svc = context.services
        item = await svc.repo.get_scheduled(context.job.data)
        if item is None or item.status is not ScheduledStatus.PENDING:
            return
        try:
            await FIRERS[item.kind](context, item)
        except Exception:
            if item.attempts + 1 >= MAX_ATTEMPTS:
                log.exception("giving up on scheduled row %s after %d tries", item.id, MAX_ATTEMPTS)
                await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, svc.clock())
                return
            log.warning("scheduled row %s failed; trying again later", item.id, exc_info=True)
            await self._retry_later(item, RETRY_SECONDS * (item.attempts + 1))

    async def _retry_later(self, item: Scheduled, delay: float) -> None:
        """Put off a row whose firing failed by `delay` seconds."""
        svc = self.application.bot_data["services"]
        now = svc.clock()
        again = await svc.repo.retry_scheduled(item.id, now + timedelta(seconds=delay), now)
        if again is not None:
            self.arm(again, now)


# --- the firers ------------------------------------------------------------------------------


async def step_timer(context: BotContext, item: Scheduled) -> None:
    """Tell the session its step timer went off; the row is marked sent with the transition."""
    svc = context.services
    if item.kind is ScheduledKind.STEP_WARNING and item.session_id is not None:
        end = await svc.repo.pending_step_end(item.session_id, item.ref)
        if end is not None:  # see Timers.arm_steps: the step's end is armed now
            svc.timers.arm(end, svc.clock())
    state = await svc.repo.open_session(item.chat_id)
    if state is None or state.id != item.session_id or item.ref is None:
        await svc.repo.settle_scheduled(item, ScheduledStatus.CANCELLED, svc.clock())
        return
    kind = "warning" if item.kind is ScheduledKind.STEP_WARNING else "end"
    event = TimerFired(kind=kind, step_index=item.ref)
    await run_event(None, context, state, event, fired_row=item.id)


async def remind(context: BotContext, item: Scheduled) -> None:
    """Before the meeting: one message naming the holders whose actions are due (planned
    before the set's quiet time; one that comes due in it is not sent)."""
    svc = context.services
    now = svc.clock()
    chat_set = await svc.repo.get_set(item.chat_id)
    meeting_at = chat_set.next_meeting_at if chat_set else None
    if chat_set is None or not chat_set.active or meeting_at is None or meeting_at <= now:
        await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, now)
        return
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    if is_quiet(now, chat_set.quiet, timezone):  # planned before it; late only if the bot was down
        await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, now)
        return
    actions = await svc.repo.open_actions(chat_set.chat_id)
    holders = tuple(msg("actions.line", holder=a.holder_mention(), action=a.text) for a in actions)
    text = msg(
        "reminder.before_meeting",
        when=LocalTime(moment=meeting_at, timezone=timezone),
        actions=holders or msg("actions.none"),
    )
    behind = await _behind_goal(context, chat_set, timezone, now)
    if behind is not None:
        text = msg("reminder.with_goal", reminder=text, behind=behind)
    outgoing = sends(render(text, svc.language_of_set(chat_set)), None)
    stored = await svc.repo.settle_scheduled(item, ScheduledStatus.SENT, now, outgoing)
    await svc.outbox.deliver(stored or ())


async def _behind_goal(
    context: BotContext, chat_set: ChatSet, timezone: str, now: datetime
) -> Msg | None:
    """The reminder's line when the set is behind its goal this period; else None."""
    goal = goal_of(chat_set.goal_count, chat_set.goal_unit)
    if goal is None:
        return None
    start, end = period(goal.unit, now, timezone)
    held = await context.services.repo.sessions_closed(chat_set.chat_id, start, end)
    rule = rule_from_json(chat_set.meeting_rule)
    planned = planned_left(rule, chat_set.next_meeting_at, now=now, end=end)
    return behind_line(goal, held) if is_behind(goal, held=held, planned=planned) else None


async def follow_up_at_meeting(context: BotContext, item: Scheduled) -> None:
    """At meeting time: ask each open action's follow-up, then plan the next meeting.

    The row, the next meeting and every message are stored in one transaction, then sent: a
    crash after it sends them on restart, a crash before it fires the row again.
    """
    svc = context.services
    now = svc.clock()
    chat_set = await svc.repo.get_set(item.chat_id)
    timezone = chat_set.timezone_or(svc.settings.default_timezone) if chat_set else "UTC"
    decided = meeting_follow_up(
        chat_set,
        await svc.repo.open_actions(item.chat_id),
        due_at=item.due_at,
        now=now,
        grace=svc.follow_up_grace,
        timezone=timezone,
    )
    if decided.missed:
        change = await svc.repo.roll_meeting(item, ScheduledStatus.MISSED, decided.plan, now)
        if change is not None:
            svc.timers.rearm(change, now)
            log.info("follow-up %s of chat %s missed: /session asks", item.id, item.chat_id)
        return
    language = svc.language_of_set(chat_set)
    outgoing = sends(render(decided.opening, language), None)
    outgoing += follow_up_questions(chat_set, list(decided.asked), language, timezone)
    if decided.next_meeting is not None:
        outgoing += sends(render(decided.next_meeting, language), None)
    change = await svc.repo.roll_meeting(item, ScheduledStatus.SENT, decided.plan, now, outgoing)
    if change is None:
        return  # fired already (a second job, or a restart right after firing)
    svc.timers.rearm(change, now)
    await svc.outbox.deliver(change.outgoing)


async def monthly_org_digest(context: BotContext, item: Scheduled) -> None:
    """The 1st of the month: last month's digest to a MEAL staff member, once.

    The row, next month's row, the summary lines and the row that sends the picture and the
    CSV are stored in one transaction, then sent through the outbox, so a crash loses none of
    them. Late (the bot was down) it covers the last full month before now. Someone no longer
    in MEAL_STAFF gets nothing more: the monthly digest ends.
    """
    svc = context.services
    now = svc.clock()
    plan = await svc.repo.digest_plan(item.chat_id)
    if plan is None or item.chat_id not in svc.settings.meal_staff:
        await svc.repo.roll_digest(item, None, now, [])
        return
    start, end = month_bounds(now, plan.timezone)
    digest = await digest_for(svc.repo, start, end, now, plan.timezone)
    lines = summary(digest, plan.language) if not digest.empty else msg("org_digest.empty")
    outgoing = sends(render(lines, plan.language), None)
    if not digest.empty:
        outgoing.append(files_row(start, end, plan.timezone, plan.language))
    rolled = await svc.repo.roll_digest(item, next_digest_at(now, plan.timezone), now, outgoing)
    if rolled is None:
        return  # fired already
    following, stored = rolled
    svc.timers.arm(following, now)
    await svc.outbox.deliver(stored)


FIRERS: dict[ScheduledKind, Firer] = {
    ScheduledKind.STEP_WARNING: step_timer,
    ScheduledKind.STEP_END: step_timer,
    ScheduledKind.REMINDER: remind,
    ScheduledKind.FOLLOW_UP: follow_up_at_meeting,
    ScheduledKind.ORG_DIGEST: monthly_org_digest,
}
