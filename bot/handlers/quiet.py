"""/quiet and /daysoff: the set's quiet time (its rules: flows/quiet.py)."""

from __future__ import annotations

from telegram import Update

from bot.command_args import command_text
from bot.context import BotContext
from bot.handlers.meetings import plan_reminder_again
from bot.replies import respond
from bot.roles import facilitators_only
from bot.services import Services
from flows.models import ChatSet
from flows.quiet import (
    Refused,
    days_text,
    days_words,
    hours_text,
    hours_words,
    parse_days_off,
    parse_hours,
)
from flows.text import Msg, msg


def quiet_now(chat_set: ChatSet, svc: Services) -> Msg:
    """The set's quiet hours and days off in one line, with how to change them."""
    quiet = chat_set.quiet
    return msg(
        "quiet.current",
        hours=hours_words(quiet),
        days=days_words(quiet.days_off if quiet else frozenset()),
        timezone=chat_set.timezone_or(svc.settings.default_timezone),
    )


async def _argument_or_shown(update: Update, context: BotContext) -> tuple[ChatSet, str] | None:
    """The set and the command's argument; without one, the set's quiet time shown (None)."""
    svc = context.services
    chat_set = await svc.repo.get_set(update.effective_chat.id)
    text = command_text(update).strip()
    if not text:
        await respond(update, context, quiet_now(chat_set, svc))
        return None
    return chat_set, text


@facilitators_only
async def set_quiet(update: Update, context: BotContext) -> None:
    """/quiet 21:00-07:00|off: the set's quiet hours; alone, shows them."""
    svc = context.services
    asked = await _argument_or_shown(update, context)
    if asked is None:
        return
    chat_set, text = asked
    hours = parse_hours(text)
    if isinstance(hours, Refused):
        key = "quiet.same" if hours.reason == "same" else "quiet.usage"
        await respond(update, context, msg(key))
        return
    window = None if hours == "off" else hours
    changed = await svc.repo.update_set(
        chat_set.chat_id, svc.clock(), quiet_hours=hours_text(window)
    )
    await plan_reminder_again(changed, svc)
    if window is None:
        await respond(update, context, msg("quiet.off"))
        return
    timezone = changed.timezone_or(svc.settings.default_timezone)
    await respond(
        update, context, msg("quiet.set", hours=hours_words(changed.quiet), timezone=timezone)
    )


@facilitators_only
async def set_days_off(update: Update, context: BotContext) -> None:
    """/daysoff fri|sat sun|off: the set's days off; alone, shows them."""
    svc = context.services
    asked = await _argument_or_shown(update, context)
    if asked is None:
        return
    chat_set, text = asked
    days = parse_days_off(text)
    if isinstance(days, Refused):
        refusal = (
            msg("daysoff.every_day")
            if days.reason == "every_day"
            else msg("daysoff.usage", word=days.word)
        )
        await respond(update, context, refusal)
        return
    chosen = frozenset() if days == "off" else days
    changed = await svc.repo.update_set(chat_set.chat_id, svc.clock(), days_off=days_text(chosen))
    await plan_reminder_again(changed, svc)
    if not chosen:
        await respond(update, context, msg("daysoff.off"))
        return
    await respond(update, context, msg("daysoff.set", days=days_words(chosen)))
