"""The bot joining or leaving a group, members gaining or losing admin rights, and a group
becoming a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from bot.handlers.basics import READING_STATUSES
from bot.replies import send
from bot.scheduling import disarm
from bot.services import services
from flows.text import msg

log = logging.getLogger(__name__)

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def bot_membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome the set when the bot is added; mark it inactive when the bot is removed."""
    change = update.my_chat_member
    chat = change.chat
    if chat.type == chat.PRIVATE or chat.type == chat.CHANNEL:
        return
    svc = services(context)
    now = svc.clock()
    was_in = change.old_chat_member.status in PRESENT
    is_in = change.new_chat_member.status in PRESENT
    if is_in and not was_in:
        adder = change.from_user
        await svc.repo.ensure_set(chat.id, chat.title or "", adder.language_code, now)
        chat_set = await svc.repo.update_set(chat.id, now, active=True)
        language = svc.language_of_set(chat_set)
        await send(context, chat.id, msg("welcome"), language)
    elif was_in and not is_in:
        if await svc.repo.get_set(chat.id) is not None:
            cancelled = await svc.repo.deactivate_set(chat.id, now)
            disarm(context.application, cancelled)
        log.info("removed from chat %s; set marked inactive", chat.id)


async def member_status_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep the remembered admins true (Telegram sends these only while the bot is an admin)."""
    change, svc = update.chat_member, services(context)
    user = change.new_chat_member.user
    if change.new_chat_member.status in READING_STATUSES:
        svc.admins.remember(change.chat.id, user.id, svc.clock())
    else:
        svc.admins.forget(change.chat.id, user.id)


async def group_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Move the set's data to the new supergroup id (both service messages are handled)."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat_id
    svc = services(context)
    if await svc.repo.migrate_chat(old, new, svc.clock()):
        log.info("chat %s migrated to %s", old, new)
