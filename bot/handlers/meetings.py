"""/schedule, /timezone, /reminder and /meeting (what happens at meeting time: bot/timed.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from telegram import InputFile, Update

from bot.command_args import command_text
from bot.context import BotContext
from bot.render import plain
from bot.replies import respond, thread_of
from bot.roles import facilitators_only, require_facilitator
from bot.services import Services
from flows.calendar import meetings_calendar
from flows.follow_up import Stage
from flows.goal import goal_line, goal_of, parse_goal, period
from flows.meetings import duration, meeting_line, plan_meeting, rule_from_json, usual_time
from flows.models import ChatSet
from flows.schedule import (
    ScheduleError,
    ScheduleOff,
    parse_reminder,
    parse_schedule,
    parse_timezone,
)
from flows.schedule_reply import schedule_refused, schedule_set
from flows.text import LocalTime, Msg, msg
from storage.scheduled import ScheduledStatus


@facilitators_only
async def schedule(update: Update, context: BotContext) -> None:
    """/schedule <when>: a facilitator sets the next meeting (or a rhythm, or off)."""
    svc = context.services
    chat_set = await _set_of(update, context)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    now = svc.clock()
    text = command_text(update)
    parsed = (
        parse_schedule(text, now=now, timezone=timezone, usual=usual_time(chat_set, timezone))
        if text
        else ScheduleError(reason="empty")
    )
    if isinstance(parsed, ScheduleError):
        await respond(update, context, schedule_refused(parsed, said=text, timezone=timezone))
        return
    if isinstance(parsed, ScheduleOff):
        change = await svc.repo.set_meeting(
            chat_set.chat_id, rule_json=None, plan=None, thread_id=thread_of(update), now=now
        )
        svc.timers.rearm(change, now)
        await respond(update, context, msg("schedule.off"))
        return
    plan = plan_meeting(
        parsed.rule,
        after=now,
        reminder_minutes=chat_set.reminder_minutes,
        quiet=chat_set.quiet,
        timezone=timezone,
    )
    if plan is None:
        past = ScheduleError(reason="past", when=parsed.rule.first)
        await respond(update, context, schedule_refused(past, said=text, timezone=timezone))
        return
    change = await svc.repo.set_meeting(
        chat_set.chat_id,
        rule_json=parsed.rule.model_dump_json(),
        plan=plan,
        thread_id=thread_of(update),
        now=now,
    )
    svc.timers.rearm(change, now)
    updated = await svc.repo.get_set(chat_set.chat_id)
    line = meeting_line(updated, timezone, now, svc.follow_up_grace)
    await respond(update, context, schedule_set(line, parsed, said=text))


async def set_timezone(update: Update, context: BotContext) -> None:
    """/timezone <Area/City>: a facilitator sets the set's time zone."""
    svc = context.services
    chat_set = await _set_of(update, context)
    text = command_text(update)
    if not text:
        current = chat_set.timezone_or(svc.settings.default_timezone)
        await respond(update, context, msg("timezone.current", timezone=current))
        return
    if not await require_facilitator(update, context):
        return
    zone = parse_timezone(text)
    if zone is None:
        await respond(update, context, msg("timezone.unknown", name=text))
        return
    changed = await svc.repo.update_set(chat_set.chat_id, svc.clock(), timezone=zone)
    if changed.quiet is not None:  # quiet time is local: the reminder may now fall in it
        await plan_reminder_again(changed, svc)
    now = LocalTime(moment=svc.clock(), timezone=zone)
    await respond(update, context, msg("timezone.set", timezone=zone, now=now))


@facilitators_only
async def set_reminder(update: Update, context: BotContext) -> None:
    """/reminder 24h|2h|off: how long before a meeting the set is reminded."""
    svc = context.services
    chat_set = await _set_of(update, context)
    parsed = parse_reminder(command_text(update))
    if isinstance(parsed, ScheduleError):
        await respond(update, context, msg("reminder.usage"))
        return
    minutes = int(parsed.total_seconds() // 60) if isinstance(parsed, timedelta) else None
    now = svc.clock()
    chat_set = await svc.repo.update_set(chat_set.chat_id, now, reminder_minutes=minutes)
    await plan_reminder_again(chat_set, svc)
    reply = msg("reminder.set", before=duration(minutes)) if minutes else msg("reminder.off")
    await respond(update, context, reply)


async def plan_reminder_again(chat_set: ChatSet, svc: Services) -> None:
    """Plan the next meeting's reminder again after a setting it depends on changed."""
    rule = rule_from_json(chat_set.meeting_rule)
    if rule is None or chat_set.next_meeting_at is None:
        return
    now = svc.clock()
    plan = plan_meeting(
        rule,
        after=now,
        reminder_minutes=chat_set.reminder_minutes,
        quiet=chat_set.quiet,
        timezone=chat_set.timezone_or(svc.settings.default_timezone),
    )
    change = await svc.repo.set_meeting(
        chat_set.chat_id,
        rule_json=chat_set.meeting_rule,
        plan=plan,
        thread_id=chat_set.thread_id,
        now=now,
    )
    svc.timers.rearm(change, now)


async def meetings_held(chat_set: ChatSet, svc: Services) -> int:
    """Sessions closed in the current period of the set's goal (0 without a goal)."""
    goal = goal_of(chat_set.goal_count, chat_set.goal_unit)
    if goal is None:
        return 0
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    start, end = period(goal.unit, svc.clock(), timezone)
    return await svc.repo.sessions_closed(chat_set.chat_id, start, end)


async def goal_status(chat_set: ChatSet, svc: Services) -> Msg:
    """The goal line of /settings, /meeting and /goal."""
    goal = goal_of(chat_set.goal_count, chat_set.goal_unit)
    return goal_line(goal, await meetings_held(chat_set, svc))


async def set_goal(update: Update, context: BotContext) -> None:
    """/goal 2 per month|1 per week|off: the rhythm the set commits to (a facilitator sets it);
    alone, anyone sees it."""
    svc = context.services
    chat_set = await _set_of(update, context)
    text = command_text(update)
    if not text:
        await respond(update, context, await goal_status(chat_set, svc))
        return
    if not await require_facilitator(update, context):
        return
    parsed = parse_goal(text)
    if parsed is None:
        await respond(update, context, msg("goal.usage"))
        return
    if parsed == "off":
        await svc.repo.update_set(chat_set.chat_id, svc.clock(), goal_count=None, goal_unit=None)
        await respond(update, context, msg("goal.off"))
        return
    changed = await svc.repo.update_set(
        chat_set.chat_id, svc.clock(), goal_count=parsed.count, goal_unit=parsed.unit
    )
    await respond(update, context, msg("goal.set", status=await goal_status(changed, svc)))


async def meeting(update: Update, context: BotContext) -> None:
    """/meeting: the next meeting and the open actions (and a missed follow-up, if any)."""
    svc = context.services
    chat_set = await _set_of(update, context)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    actions = await svc.repo.open_actions(chat_set.chat_id)
    lines = tuple(msg("actions.line", holder=a.holder_mention(), action=a.text) for a in actions)
    missed = await _missed_follow_up(chat_set.chat_id, actions, timezone, svc)
    upcoming = meeting_line(chat_set, timezone, svc.clock(), svc.follow_up_grace)
    if chat_set.goal_count is not None:
        upcoming = (upcoming, await goal_status(chat_set, svc))
    await respond(
        update,
        context,
        msg(
            "meeting.overview",
            meeting=(missed, upcoming) if missed else upcoming,
            actions=lines or msg("actions.none"),
        ),
    )


async def calendar(update: Update, context: BotContext) -> None:
    """/calendar: the set's next meetings as an .ics file (a recurring rule as one recurring
    event); with no meeting set, one line saying how to set one."""
    svc = context.services
    chat_set = await _set_of(update, context)
    language = svc.language_of_set(chat_set)
    title = chat_set.title or plain(msg("calendar.untitled"), language)
    content = meetings_calendar(
        chat_set,
        rule_from_json(chat_set.meeting_rule),
        timezone=chat_set.timezone_or(svc.settings.default_timezone),
        title=title,
        now=svc.clock(),
    )
    if content is None:
        await respond(update, context, msg("calendar.none"))
        return
    slug = re.sub(r"[^a-z0-9]+", "-", chat_set.title.lower()).strip("-")[:40] or "set"
    await context.bot.send_document(
        chat_set.chat_id,
        InputFile(content, filename=f"meetings-{slug}.ics"),
        caption=plain(msg("calendar.caption"), language, limit=1024),
        message_thread_id=thread_of(update),
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


async def _set_of(update: Update, context: BotContext) -> ChatSet:
    """The set of this group (recorded on first sight, with its sender: see record_sender)."""
    return await context.services.repo.get_set(update.effective_chat.id)
