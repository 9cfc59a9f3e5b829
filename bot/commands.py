"""The command table: one place that feeds the command menus and /help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from bot.i18n import available_languages, template

Where = Literal["group", "private", "both"]


@dataclass(frozen=True)
class Command:
    """A command, where it works, and whether it is for facilitators."""

    name: str
    where: Where
    facilitator: bool = False

    @property
    def description_key(self) -> str:
        """The catalog key of its menu description."""
        return f"command.{self.name}"


COMMANDS: tuple[Command, ...] = (
    Command("start", "private"),
    Command("help", "both"),
    Command("exercises", "both"),
    Command("topic", "group"),
    Command("q", "group"),
    Command("action", "group"),
    Command("session", "group", facilitator=True),
    Command("holder", "group", facilitator=True),
    Command("next", "group", facilitator=True),
    Command("extend", "group", facilitator=True),
    Command("pause", "group", facilitator=True),
    Command("resume", "group", facilitator=True),
    Command("end", "group", facilitator=True),
    Command("meeting", "group"),
    Command("outcome", "group"),
    Command("schedule", "group", facilitator=True),
    Command("timezone", "group", facilitator=True),
    Command("reminder", "group", facilitator=True),
    Command("myactions", "private"),
    Command("log", "group"),
    Command("actions", "group"),
    Command("export", "group"),
    Command("settings", "group"),
    Command("join", "group"),
    Command("leave", "group"),
    Command("forget", "group"),
    Command("privacy", "group"),
    Command("language", "group", facilitator=True),
    Command("autoadvance", "group", facilitator=True),
    Command("exercise", "group", facilitator=True),
    Command("exportpolicy", "group", facilitator=True),
    Command("facilitator", "group", facilitator=True),
    Command("unfacilitator", "group", facilitator=True),
)


def group_commands(*, facilitator: bool) -> list[Command]:
    """The commands shown in groups, to members or to facilitators."""
    return [
        c for c in COMMANDS if c.where in ("group", "both") and (facilitator or not c.facilitator)
    ]


def private_commands() -> list[Command]:
    """The commands shown in a private chat with the bot."""
    return [c for c in COMMANDS if c.where in ("private", "both")]


def menu(commands: list[Command], language: str) -> list[BotCommand]:
    """Telegram BotCommands with translated descriptions."""
    return [BotCommand(c.name, template(language, c.description_key)) for c in commands]


async def publish_command_menus(bot: Bot) -> None:
    """Set the scoped command menus in every language that has a catalog."""
    scopes = (
        (BotCommandScopeAllPrivateChats(), private_commands()),
        (BotCommandScopeAllGroupChats(), group_commands(facilitator=False)),
        (BotCommandScopeAllChatAdministrators(), group_commands(facilitator=True)),
    )
    for language in available_languages():
        code = None if language == "en" else language
        for scope, commands in scopes:
            await bot.set_my_commands(menu(commands, language), scope=scope, language_code=code)
