"""The command table: one place that feeds the command menus and /help."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import BadRequest, TelegramError

from bot.i18n import available_languages, template

log = logging.getLogger(__name__)

Where = Literal["group", "private", "both"]


@dataclass(frozen=True)
class Command:
    """A command, where it works, whether it is for facilitators, and whether /help shows it
    first (the few that run a session; `/help all` lists the rest)."""

    name: str
    where: Where
    facilitator: bool = False
    essential: bool = False
    staff: bool = False  # for the organisation's MEAL staff only (MEAL_STAFF)

    @property
    def description_key(self) -> str:
        """The catalog key of its menu description."""
        return f"command.{self.name}"


COMMANDS: tuple[Command, ...] = (
    Command("start", "private"),
    Command("help", "both", essential=True),
    Command("exercises", "both"),
    Command("topic", "group", essential=True),
    Command("q", "group", essential=True),
    Command("action", "group", essential=True),
    Command("session", "group", facilitator=True, essential=True),
    Command("holder", "group", facilitator=True, essential=True),
    Command("next", "group", facilitator=True, essential=True),
    Command("extend", "group", facilitator=True),
    Command("pause", "group", facilitator=True),
    Command("resume", "group", facilitator=True),
    Command("end", "group", facilitator=True, essential=True),
    Command("meeting", "group", essential=True),
    Command("calendar", "group"),
    Command("outcome", "group", essential=True),
    Command("schedule", "group", facilitator=True, essential=True),
    Command("timezone", "group", facilitator=True),
    Command("reminder", "group", facilitator=True),
    Command("goal", "group", facilitator=True),
    Command("myactions", "private"),
    Command("digest", "private", staff=True),
    Command("log", "group", essential=True),
    Command("actions", "group"),
    Command("export", "group"),
    Command("report", "group"),
    Command("settings", "group"),
    Command("join", "group"),
    Command("leave", "group"),
    Command("forget", "group"),
    Command("privacy", "group"),
    Command("language", "group", facilitator=True),
    Command("autoadvance", "group", facilitator=True),
    Command("exercise", "group", facilitator=True),
    Command("exportpolicy", "group", facilitator=True),
    Command("retention", "group", facilitator=True),
    Command("quiet", "group", facilitator=True),
    Command("daysoff", "group", facilitator=True),
    Command("facilitator", "group", facilitator=True),
    Command("unfacilitator", "group", facilitator=True),
)


def group_commands(*, facilitator: bool, essential_only: bool = False) -> list[Command]:
    """The commands shown in groups, to members or to facilitators (all, or the essential)."""
    return [
        c
        for c in COMMANDS
        if c.where in ("group", "both")
        and (facilitator or not c.facilitator)
        and (c.essential or not essential_only)
    ]


def private_commands(*, staff: bool = False) -> list[Command]:
    """The commands shown in a private chat with the bot (MEAL staff see theirs too)."""
    return [c for c in COMMANDS if c.where in ("private", "both") and (staff or not c.staff)]


def menu(commands: list[Command], language: str) -> list[BotCommand]:
    """Telegram BotCommands with translated descriptions."""
    return [BotCommand(c.name, template(language, c.description_key)) for c in commands]


async def publish_command_menus(bot: Bot, staff: Iterable[int] = ()) -> None:
    """Set the scoped command menus in every language that has a catalog; each MEAL staff
    member's private chat also lists /digest (a chat Telegram does not know yet, because they
    never wrote to the bot, is skipped: the command works there all the same)."""
    scopes = [
        (BotCommandScopeAllPrivateChats(), private_commands()),
        (BotCommandScopeAllGroupChats(), group_commands(facilitator=False)),
        (BotCommandScopeAllChatAdministrators(), group_commands(facilitator=True)),
    ]
    scopes += [(BotCommandScopeChat(user), private_commands(staff=True)) for user in staff]
    for scope, commands in scopes:
        await _publish(bot, scope, commands)


async def publish_staff_menu(bot: Bot, user_id: int) -> None:
    """A MEAL staff member's own menu, with /digest (again when they open the private chat:
    Telegram may have refused it at start, before it knew the chat). A menu is a nicety: if
    Telegram cannot be reached now, the answer it came with still goes out."""
    try:
        await _publish(bot, BotCommandScopeChat(user_id), private_commands(staff=True))
    except TelegramError as error:
        log.info("no command menu for staff member %s now: %s", user_id, error)


async def _publish(bot: Bot, scope: BotCommandScope, commands: list[Command]) -> None:
    """One scope's menu in every language that has a catalog."""
    for language in available_languages():
        code = None if language == "en" else language
        try:
            await bot.set_my_commands(menu(commands, language), scope=scope, language_code=code)
        except BadRequest as refused:  # "chat not found": a staff member not met yet
            log.info("no command menu for %s: %s", scope, refused.message)
            return
