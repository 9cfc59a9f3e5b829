"""Who is who in a set: members by taking part, facilitators by admin rights or by grant."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import Chat, Update, User

from bot.command_args import command_name
from bot.context import BotContext
from bot.handlers.basics import is_chat_admin
from bot.replies import respond
from flows.models import Member, Role
from flows.session_model import Person
from flows.text import msg

Command = Callable[[Update, BotContext], Awaitable[None]]


def person(user: User) -> Person:
    """A Telegram user as the session knows them."""
    return Person(user_id=user.id, name=user.full_name)


async def record_member(context: BotContext, chat: Chat, user: User) -> Member:
    """Remember a person of the group, with their role (cached: writes only when new or renamed)."""
    svc = context.services
    return await svc.repo.upsert_member(
        chat.id, user.id, user.full_name, user.username, user.language_code, svc.clock()
    )


async def is_facilitator(context: BotContext, chat: Chat, user: User) -> bool:
    """Group admins and members granted the role are facilitators."""
    member = await context.services.repo.get_member(chat.id, user.id)
    if member is not None and member.role is Role.FACILITATOR:
        return True
    return await is_chat_admin(context, chat.id, user.id)


def posted_as_the_group(update: Update) -> bool:
    """Whether the message was sent by an anonymous admin, in the group's own name."""
    message, chat = update.effective_message, update.effective_chat
    return bool(message and message.sender_chat and chat and message.sender_chat.id == chat.id)


async def may_facilitate(update: Update, context: BotContext) -> bool:
    """Whether the sender may run a facilitator's command."""
    if posted_as_the_group(update):
        return True  # an anonymous admin: only admins can post as the group
    return await is_facilitator(context, update.effective_chat, update.effective_user)


async def say_facilitators_only(update: Update, context: BotContext) -> None:
    """The one polite line, naming the command the update carries."""
    await respond(update, context, msg("roles.facilitators_only", command=command_name(update)))


def facilitators_only(command: Command) -> Command:
    """A command for facilitators; anyone else gets one polite line saying who can."""

    @functools.wraps(command)
    async def for_facilitators(update: Update, context: BotContext) -> None:
        if await may_facilitate(update, context):
            await command(update, context)
        else:
            await say_facilitators_only(update, context)

    return for_facilitators


async def require_facilitator(
    update: Update, context: BotContext, command: str | None = None
) -> bool:
    """True for a facilitator; otherwise one polite line saying who can. For a check in the
    middle of a command (/timezone shows the zone to anyone); else use @facilitators_only.
    `command` is ignored: the line names the command the update carries."""
    if await may_facilitate(update, context):
        return True
    await say_facilitators_only(update, context)
    return False
