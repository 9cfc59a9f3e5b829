"""The bot joining or leaving a group, members gaining or losing admin rights, and a group
becoming a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update, User

from bot.context import BotContext
from bot.handlers.basics import READING_STATUSES
from bot.handlers.set_settings import privacy_notice
from bot.render import render
from bot.replies import send
from bot.roles import person
from bot.session_runner import run_event, sends
from flows.meetings import back_in_the_group
from flows.models import ChatSet
from flows.session_model import MemberLeft, SightChanged
from flows.text import msg

log = logging.getLogger(__name__)

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)
GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """Welcome a new set; pause a set when the bot is removed, and resume it when added back."""
    change = update.my_chat_member
    chat = change.chat
    if chat.type == chat.PRIVATE or chat.type == chat.CHANNEL:
        return
    svc = context.services
    now = svc.clock()
    was_in = change.old_chat_member.status in PRESENT
    is_in = change.new_chat_member.status in PRESENT
    if is_in and not was_in:
        known = await svc.repo.get_set(chat.id)
        if known is not None and not known.active:
            await resume_set(context, known)
            return
        adder = change.from_user
        await svc.repo.ensure_set(chat.id, chat.title or "", adder.language_code, now)
        chat_set = await svc.repo.update_set(chat.id, now, active=True)
        language = svc.language_of_set(chat_set)
        await send(context, chat.id, msg("welcome"), language)
        notice = privacy_notice(chat_set, svc.settings.retention_months)
        await send(context, chat.id, notice, language)
    elif was_in and is_in:  # made admin, or no longer: what the bot sees may have changed
        state = await svc.repo.open_session(chat.id)
        if state is not None:
            status = change.new_chat_member.status
            reads_all = context.bot.can_read_all_group_messages or status in READING_STATUSES
            await run_event(update, context, state, SightChanged(blind=not reads_all))
    elif was_in and not is_in:
        if await svc.repo.get_set(chat.id) is not None:
            svc.timers.disarm(await svc.repo.pause_set(chat.id, now))
        log.info("removed from chat %s; its set is paused", chat.id)


async def resume_set(context: BotContext, chat_set: ChatSet) -> None:
    """Added back: say so in one line, send what waited, and re-arm what is pending (what fell
    due meanwhile fires at once and follows the grace policy)."""
    svc = context.services
    now = svc.clock()
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    line = back_in_the_group(chat_set, timezone, now, svc.follow_up_grace)
    outgoing = sends(render(line, svc.language_of_set(chat_set)), None)
    waiting, _ = await svc.repo.resume_set(chat_set.chat_id, now, outgoing)
    await svc.outbox.send_pending(chat_set.chat_id)
    for item in waiting:
        svc.timers.arm(item, now)
    log.info("added back to chat %s; %d scheduled row(s) re-armed", chat_set.chat_id, len(waiting))


async def member_status_changed(update: Update, context: BotContext) -> None:
    """Keep the remembered admins true, and hear of someone leaving (Telegram sends these only
    while the bot is an admin)."""
    change, svc = update.chat_member, context.services
    user = change.new_chat_member.user
    if change.new_chat_member.status in READING_STATUSES:
        svc.admins.remember(change.chat.id, user.id, svc.clock())
    else:
        svc.admins.forget(change.chat.id, user.id)
    if change.new_chat_member.status in GONE and change.old_chat_member.status not in GONE:
        await member_left(update, context, user)


async def left_chat_member(update: Update, context: BotContext) -> None:
    """The "left the group" service message (sent to every bot, privacy mode or not)."""
    user = update.effective_message.left_chat_member
    if user.id != context.bot.id:  # the bot's own removal is a my_chat_member update
        await member_left(update, context, user)


async def member_left(update: Update, context: BotContext, user: User) -> None:
    """Someone left or was removed: the open session hears it (its holder leaving stops it)."""
    state = await context.services.repo.open_session(update.effective_chat.id)
    if state is not None:
        await run_event(update, context, state, MemberLeft(person=person(user)))


async def group_migrated(update: Update, context: BotContext) -> None:
    """Move the set's data to the new supergroup id (both service messages are handled)."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat_id
    svc = context.services
    if await svc.repo.migrate_chat(old, new, svc.clock()):
        log.info("chat %s migrated to %s", old, new)
