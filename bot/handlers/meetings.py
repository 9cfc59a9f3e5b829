"""/schedule, /timezone, /reminder and /meeting, and the reminder and follow-up at meeting time."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.command_args import command_text
from bot.follow_ups import follow_up_questions
from bot.render import render
from bot.replies import answer, thread_of
from bot.roles import require_facilitator, track
from bot.scheduling import arm, disarm
from bot.services import Services, services
from bot.session_runner import sends
from flows.follow_up import Stage
from flows.meetings import plan_meeting, rule_from_json
from flows.models import ChatSet, Scheduled, ScheduledStatus
from flows.schedule import (
    MeetingRule,
    ScheduleError,
    ScheduleOff,
    overdue_decision,
    parse_reminder,
    parse_schedule,
    parse_timezone,
)
from flows.text import LocalTime, Msg, msg
from storage.meetings import Rearm

log = logging.getLogger(__name__)


def rhythm(rule: MeetingRule | None) -> Msg | str:
    """'every 2 weeks' for a recurring rule, nothing for a one-off."""
    if rule is None or rule.kind == "once" or rule.unit is None:
        return ""
    return msg(f"rhythm.{rule.unit}", count=rule.interval)


def duration(minutes: int) -> Msg:
    """A reminder's lead time in words: '24 hours', '30 minutes'."""
    if minutes % 60 == 0:
        return msg("duration.hours", count=minutes // 60)
    return msg("duration.minutes", count=minutes)


def meeting_line(chat_set: ChatSet, timezone: str, now: datetime, grace: timedelta) -> Msg:
    """The next meeting in words, with its rhythm and reminder; that none is set; or that it
    passed without its follow-up yet (the bot was out or down) and what happens then."""
    meeting_at = chat_set.next_meeting_at
    if meeting_at is None:
        return msg("meeting.none")
    when = LocalTime(moment=meeting_at, timezone=timezone)
    passed = overdue_decision(meeting_at, now=now, grace=grace)
    if passed == "fire":
        return msg("meeting.passed_follow_up_due", when=when)
    if passed == "missed":
        return msg("meeting.passed_follow_up_missed", when=when)
    minutes = chat_set.reminder_minutes
    if not minutes:
        reminder = msg("meeting.no_reminder")
    elif meeting_at - timedelta(minutes=minutes) <= now:
        reminder = msg("meeting.reminder_too_late")
    else:
        reminder = msg("meeting.reminder", before=duration(minutes))
    return msg(
        "meeting.next",
        when=when,
        rhythm=rhythm(rule_from_json(chat_set.meeting_rule)),
        reminder=reminder,
    )


def back_in_the_group(chat_set: ChatSet, timezone: str, now: datetime, grace: timedelta) -> Msg:
    """The one line said when the bot is added back: nothing deleted, and what happens next."""
    meeting_at = chat_set.next_meeting_at
    if meeting_at is None:
        following = msg("back.no_meeting")
    else:
        when = LocalTime(moment=meeting_at, timezone=timezone)
        following = {
            "wait": msg("back.meeting_ahead", when=when),
            "fire": msg("back.follow_up_now", when=when),
            "missed": msg("back.follow_up_at_session", when=when),
        }[overdue_decision(meeting_at, now=now, grace=grace)]
    return msg("welcome.back", next=following)


def rearm(context: ContextTypes.DEFAULT_TYPE, change: Rearm) -> None:
    """Arm new meeting rows and drop the jobs of cancelled ones."""
    disarm(context.application, change.cancelled)
    now = services(context).clock()
    for item in change.armed:
        arm(context.application, item, now)


async def schedule(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/schedule <when>: a facilitator sets the next meeting (or a rhythm, or off)."""
    if not await require_facilitator(update, context, "/schedule"):
        return
    svc = services(context)
    chat_set = await _set_of(update, context)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    now = svc.clock()
    text = command_text(update)
    parsed = (
        parse_schedule(text, now=now, timezone=timezone) if text else ScheduleError(reason="empty")
    )
    if isinstance(parsed, ScheduleError):
        await answer(update, context, msg(f"schedule.error.{parsed.reason}", timezone=timezone))
        return
    if isinstance(parsed, ScheduleOff):
        change = await svc.repo.set_meeting(
            chat_set.chat_id, rule_json=None, plan=None, thread_id=thread_of(update), now=now
        )
        rearm(context, change)
        await answer(update, context, msg("schedule.off"))
        return
    plan = plan_meeting(parsed, after=now, reminder_minutes=chat_set.reminder_minutes)
    if plan is None:
        await answer(update, context, msg("schedule.error.past", timezone=timezone))
        return
    change = await svc.repo.set_meeting(
        chat_set.chat_id,
        rule_json=parsed.model_dump_json(),
        plan=plan,
        thread_id=thread_of(update),
        now=now,
    )
    rearm(context, change)
    updated = await svc.repo.get_set(chat_set.chat_id)
    await answer(update, context, meeting_line(updated, timezone, now, svc.follow_up_grace))


async def set_timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timezone <Area/City>: a facilitator sets the set's time zone."""
    svc = services(context)
    chat_set = await _set_of(update, context)
    text = command_text(update)
    if not text:
        current = chat_set.timezone_or(svc.settings.default_timezone)
        await answer(update, context, msg("timezone.current", timezone=current))
        return
    if not await require_facilitator(update, context, "/timezone"):
        return
    zone = parse_timezone(text)
    if zone is None:
        await answer(update, context, msg("timezone.unknown", name=text))
        return
    await svc.repo.update_set(chat_set.chat_id, svc.clock(), timezone=zone)
    now = LocalTime(moment=svc.clock(), timezone=zone)
    await answer(update, context, msg("timezone.set", timezone=zone, now=now))


async def set_reminder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reminder 24h|2h|off: how long before a meeting the set is reminded."""
    if not await require_facilitator(update, context, "/reminder"):
        return
    svc = services(context)
    chat_set = await _set_of(update, context)
    parsed = parse_reminder(command_text(update))
    if isinstance(parsed, ScheduleError):
        await answer(update, context, msg("reminder.usage"))
        return
    minutes = int(parsed.total_seconds() // 60) if isinstance(parsed, timedelta) else None
    now = svc.clock()
    chat_set = await svc.repo.update_set(chat_set.chat_id, now, reminder_minutes=minutes)
    rule = rule_from_json(chat_set.meeting_rule)
    if rule is not None and chat_set.next_meeting_at is not None:
        plan = plan_meeting(rule, after=now, reminder_minutes=minutes)
        change = await svc.repo.set_meeting(
            chat_set.chat_id,
            rule_json=chat_set.meeting_rule,
            plan=plan,
            thread_id=chat_set.thread_id,
            now=now,
        )
        rearm(context, change)
    reply = msg("reminder.set", before=duration(minutes)) if minutes else msg("reminder.off")
    await answer(update, context, reply)


async def meeting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/meeting: the next meeting and the open actions (and a missed follow-up, if any)."""
    svc = services(context)
    chat_set = await _set_of(update, context)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    actions = await svc.repo.open_actions(chat_set.chat_id)
    lines = tuple(msg("actions.line", holder=a.holder_mention(), action=a.text) for a in actions)
    missed = await _missed_follow_up(chat_set.chat_id, actions, timezone, svc)
    upcoming = meeting_line(chat_set, timezone, svc.clock(), svc.follow_up_grace)
    await answer(
        update,
        context,
        msg(
            "meeting.overview",
            meeting=(missed, upcoming) if missed else upcoming,
            actions=lines or msg("actions.none"),
        ),
    )


async def _missed_follow_up(
    chat_id: int, actions: list, timezone: str, svc: Services
) -> Msg | None:
    """That the last meeting passed without its follow-up, while its actions wait unasked."""
    last = await svc.repo.last_follow_up(chat_id)
    if last is None or last.status is not ScheduledStatus.MISSED:
        return None
    if not any(action.stage is Stage.NOT_ASKED for action in actions):
        return None
    return msg(
        "meeting.passed_follow_up_missed", when=LocalTime(moment=last.due_at, timezone=timezone)
    )


async def _set_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ChatSet:
    """The set of this group (recorded on first sight)."""
    await track(context, update.effective_chat, update.effective_user)
    return await services(context).repo.get_set(update.effective_chat.id)


async def remind(context: ContextTypes.DEFAULT_TYPE, item: Scheduled) -> None:
    """Before the meeting: one message naming the holders whose actions are due."""
    svc = services(context)
    now = svc.clock()
    chat_set = await svc.repo.get_set(item.chat_id)
    meeting_at = chat_set.next_meeting_at if chat_set else None
    if chat_set is None or not chat_set.active or meeting_at is None or meeting_at <= now:
        await svc.repo.settle_scheduled(item, ScheduledStatus.MISSED, now)
        return
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    actions = await svc.repo.open_actions(chat_set.chat_id)
    holders = tuple(msg("actions.line", holder=a.holder_mention(), action=a.text) for a in actions)
    text = msg(
        "reminder.before_meeting",
        when=LocalTime(moment=meeting_at, timezone=timezone),
        actions=holders or msg("actions.none"),
    )
    outgoing = sends(render(text, svc.language_of_set(chat_set)), None)
    stored = await svc.repo.settle_scheduled(item, ScheduledStatus.SENT, now, outgoing)
    await svc.outbox.deliver(stored or ())


async def follow_up_at_meeting(context: ContextTypes.DEFAULT_TYPE, item: Scheduled) -> None:
    """At meeting time: ask each open action's follow-up, then plan the next meeting.

    The row, the next meeting and every message are stored in one transaction, then sent: a
    crash after it sends them on restart, a crash before it fires the row again.
    """
    svc = services(context)
    now = svc.clock()
    chat_set = await svc.repo.get_set(item.chat_id)
    grace = svc.follow_up_grace
    late = overdue_decision(item.due_at, now=now, grace=grace) == "missed"
    inactive = chat_set is None or not chat_set.active
    rule = rule_from_json(chat_set.meeting_rule) if chat_set else None
    reminder = chat_set.reminder_minutes if chat_set else None
    plan = plan_meeting(rule, after=now, reminder_minutes=reminder) if rule else None
    if late or inactive:
        change = await svc.repo.roll_meeting(item, ScheduledStatus.MISSED, plan, now)
        if change is not None:
            rearm(context, change)
            log.info(
                "follow-up %s for chat %s missed; it waits for the next /session",
                item.id,
                item.chat_id,
            )
        return
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    actions = await svc.repo.open_actions(item.chat_id)
    opening = msg("follow_up.meeting", count=len(actions)) if actions else msg("follow_up.nothing")
    outgoing = sends(render(opening, language), None)
    outgoing += follow_up_questions(chat_set, actions, language, timezone)
    if plan is not None:
        planned = chat_set.model_copy(update={"next_meeting_at": plan.meeting_at})
        outgoing += sends(render(meeting_line(planned, timezone, now, grace), language), None)
    change = await svc.repo.roll_meeting(item, ScheduledStatus.SENT, plan, now, outgoing)
    if change is None:
        return  # fired already (a second job, or a restart right after firing)
    rearm(context, change)
    await svc.outbox.deliver(change.outgoing)
