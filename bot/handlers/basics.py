"""/start and /help, and the privacy-mode check behind them."""

from __future__ import annotations

import html

from telegram import Bot, ChatMember, Update
from telegram.error import TelegramError

from bot.command_args import command_of, command_text
from bot.commands import group_commands, private_commands, publish_staff_menu
from bot.context import BotContext
from bot.i18n import template
from bot.render import Html
from bot.replies import respond
from flows.text import msg

READING_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def can_read_all_messages(bot: Bot, chat_id: int) -> bool:
    """Whether the bot sees every group message (privacy mode off, or an admin)."""
    if bot.can_read_all_group_messages:
        return True
    try:
        me = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError:
        return False
    return me.status in READING_STATUSES


def command_lines(commands: list, language: str) -> str:
    """One line per command: /name — description."""
    return "\n".join(
        f"/{c.name} — {html.escape(template(language, c.description_key))}" for c in commands
    )


async def help_command(update: Update, context: BotContext) -> None:
    """Say what the bot does and list the commands (with a privacy hint in groups)."""
    chat = update.effective_chat
    svc = context.services
    if chat.type == chat.PRIVATE:
        user = update.effective_user
        language = svc.language_of_user(user.language_code)
        staff = user.id in svc.settings.meal_staff
        if staff:
            await publish_staff_menu(context.bot, user.id)
        listed = private_commands(staff=staff)
        await respond(
            update, context, msg("help.private", commands=Html(command_lines(listed, language)))
        )
        return
    user = update.effective_user
    language = await svc.language_for(update)  # of the set members.record_sender made sure of
    facilitator = await is_chat_admin(context, chat.id, user.id if user else None)
    everything = command_text(update).lower() == "all"
    listed = group_commands(facilitator=facilitator, essential_only=not everything)
    text = msg(
        "help.group",
        commands=Html(command_lines(listed, language)),
        start="" if facilitator else msg("help.how_to_start"),
        more="" if everything else msg("help.more"),
    )
    await respond(update, context, text)
    if not await can_read_all_messages(context.bot, chat.id):
        await respond(update, context, msg("privacy.hint", bot=context.bot.username))


async def is_chat_admin(context: BotContext, chat_id: int, user_id: int | None) -> bool:
    """Whether a user administers the group (a recent "yes" is remembered, see bot/admins.py)."""
    if user_id is None:
        return False
    svc = context.services
    if svc.admins.known(chat_id, user_id, svc.clock()):
        return True
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    if member.status not in READING_STATUSES:
        return False
    svc.admins.remember(chat_id, user_id, svc.clock())
    return True


async def private_only(update: Update, context: BotContext) -> None:
    """A private-chat command sent in a group: say where it works, and how to get there."""
    command = command_of(update.effective_message)
    name = command[0] if command else "start"
    said = msg("group.private_only", bot=context.bot.username, command=name)
    await respond(update, context, said)


async def group_only(update: Update, context: BotContext) -> None:
    """A group command sent in a private chat: say where it works."""
    await respond(update, context, msg("private.group_only"))
