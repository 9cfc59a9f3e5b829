"""/settings and the commands that change them; /facilitator and /unfacilitator."""

from __future__ import annotations

from collections.abc import Callable

from telegram import (
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeChatMember,
    Update,
)
from telegram.error import TelegramError

from bot.command_args import command_name, command_text
from bot.commands import group_commands, menu
from bot.context import BotContext
from bot.handlers.meetings import goal_status
from bot.handlers.session_commands import named_user
from bot.replies import respond
from bot.roles import facilitators_only, record_member
from bot.services import Services
from flows.exercises import builtin_exercises
from flows.meetings import duration, meeting_line
from flows.models import SUPPORTED_LANGUAGES, ChatSet, Role
from flows.quiet import days_words, hours_words
from flows.retention import kept_for, policy
from flows.text import Msg, msg

SWITCH = {"on": True, "off": False}
EXPORT_POLICIES = {
    "facilitators": msg("settings.export.facilitators"),
    "members": msg("settings.export.members"),
}


async def this_set(update: Update, context: BotContext) -> ChatSet:
    """This group's set (members.record_sender made sure of it)."""
    return await context.services.repo.get_set(update.effective_chat.id)


def settings_lines(chat_set: ChatSet, svc: Services, goal: Msg) -> Msg:
    """Every setting of a set, one per line."""
    default_language = svc.settings.default_language
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    reminder = (
        duration(chat_set.reminder_minutes) if chat_set.reminder_minutes else msg("settings.off")
    )
    return msg(
        "settings.show",
        language=chat_set.language_or(default_language),
        timezone=timezone,
        reminder=reminder,
        autoadvance=msg("settings.on" if chat_set.auto_advance else "settings.off"),
        exercise=chat_set.default_exercise,
        export=EXPORT_POLICIES[chat_set.export_policy],
        meeting=meeting_line(chat_set, timezone, svc.clock(), svc.follow_up_grace),
        retention=kept_for(chat_set.retention_or(svc.settings.retention_months)),
        quiet_hours=hours_words(chat_set.quiet),
        days_off=days_words(chat_set.quiet.days_off if chat_set.quiet else frozenset()),
        goal=goal,
    )


def privacy_notice(chat_set: ChatSet, default_retention: int) -> Msg:
    """What the bot keeps of a set, for how long, who may export it, and how to remove it."""
    kept = policy(chat_set.retention_or(default_retention))
    return msg("privacy.notice", who=EXPORT_POLICIES[chat_set.export_policy], kept=kept)


async def show_privacy(update: Update, context: BotContext) -> None:
    """/privacy: the privacy notice of this set."""
    default_retention = context.services.settings.retention_months
    await respond(
        update, context, privacy_notice(await this_set(update, context), default_retention)
    )


async def show_settings(update: Update, context: BotContext) -> None:
    """/settings: the set's settings and how to change them."""
    svc = context.services
    chat_set = await this_set(update, context)
    facilitators = await svc.repo.facilitators(chat_set.chat_id)
    lines = settings_lines(chat_set, svc, await goal_status(chat_set, svc))
    if facilitators:
        names = ", ".join(m.name for m in facilitators)
        shown = msg("settings.with_facilitators", settings=lines, names=names)
    else:
        shown = msg("settings.admins_facilitate", settings=lines)
    await respond(update, context, shown)


async def change_setting(
    update: Update,
    context: BotContext,
    valid: dict[str, object],
    column: str,
    confirm: Callable[[str], Msg],
) -> ChatSet | None:
    """Change one setting to one of `valid` (returns the changed set); a bad value gets one
    line listing the valid ones."""
    chat_set = await this_set(update, context)
    value = command_text(update).strip().lower()
    if value not in valid:
        example = f"{command_name(update)} {next(iter(valid))}"
        await respond(
            update, context, msg("settings.valid", values=" | ".join(valid), example=example)
        )
        return None
    svc = context.services
    changed = await svc.repo.update_set(chat_set.chat_id, svc.clock(), **{column: valid[value]})
    await respond(update, context, confirm(value))
    return changed


@facilitators_only
async def set_language(update: Update, context: BotContext) -> None:
    """/language en|fr|ar: the set's language, and its group's command menus in it."""
    languages = {code: code for code in SUPPORTED_LANGUAGES}
    changed = await change_setting(
        update, context, languages, "language", lambda _: msg("settings.language_set")
    )
    if changed is not None:
        await chat_menus(context, changed)


async def chat_menus(context: BotContext, chat_set: ChatSet) -> None:
    """This group's menus in the set's language, whatever language each member's app uses
    (menus are chosen per user language otherwise), its granted facilitators' too."""
    language = context.services.language_of_set(chat_set)
    chat_id = chat_set.chat_id
    scopes = [
        (BotCommandScopeChat(chat_id), group_commands(facilitator=False)),
        (BotCommandScopeChatAdministrators(chat_id), group_commands(facilitator=True)),
    ]
    for member in await context.services.repo.facilitators(chat_id):
        scopes.append(
            (BotCommandScopeChatMember(chat_id, member.user_id), group_commands(facilitator=True))
        )
    try:
        for scope, commands in scopes:
            await context.bot.set_my_commands(menu(commands, language), scope)
    except TelegramError:
        pass  # the menu is a convenience; the language is stored either way


@facilitators_only
async def set_autoadvance(update: Update, context: BotContext) -> None:
    """/autoadvance on|off."""
    await change_setting(
        update,
        context,
        SWITCH,
        "auto_advance",
        lambda value: msg(
            "settings.autoadvance_set",
            value=msg("settings.on" if SWITCH[value] else "settings.off"),
        ),
    )


@facilitators_only
async def set_exercise(update: Update, context: BotContext) -> None:
    """/exercise <name>: the set's default exercise."""
    names = {name: name for name in builtin_exercises()}
    await change_setting(
        update,
        context,
        names,
        "default_exercise",
        lambda value: msg("settings.exercise_set", value=value),
    )


@facilitators_only
async def set_export_policy(update: Update, context: BotContext) -> None:
    """/exportpolicy facilitators|members: who may /export."""
    policies = {p: p for p in EXPORT_POLICIES}
    await change_setting(
        update,
        context,
        policies,
        "export_policy",
        lambda value: msg("settings.export_set", value=EXPORT_POLICIES[value]),
    )


@facilitators_only
async def grant(update: Update, context: BotContext) -> None:
    """/facilitator (reply to a member, or @username): grant the facilitator role."""
    await set_role(update, context, Role.FACILITATOR)


@facilitators_only
async def revoke(update: Update, context: BotContext) -> None:
    """/unfacilitator (reply to a member, or @username): take the role back."""
    await set_role(update, context, Role.MEMBER)


async def set_role(update: Update, context: BotContext, role: Role) -> None:
    """Give the member the command points at this role, and their group menu to match."""
    chosen = await named_user(update, context)
    if chosen is None:
        await respond(update, context, msg("usage.role", command=command_name(update)))
        return
    chat_set = await this_set(update, context)
    svc = context.services
    await record_member(context, update.effective_chat, chosen)
    await svc.repo.set_role(chat_set.chat_id, chosen.id, role)
    await member_menu(context, chat_set, chosen.id, role, svc.language_of_set(chat_set))
    key = "settings.granted" if role is Role.FACILITATOR else "settings.revoked"
    await respond(update, context, msg(key, name=chosen.full_name))


async def member_menu(
    context: BotContext, chat_set: ChatSet, user_id: int, role: Role, language: str
) -> None:
    """Show a granted facilitator the facilitator commands in this group's menu."""
    scope = BotCommandScopeChatMember(chat_set.chat_id, user_id)
    try:
        if role is Role.FACILITATOR:
            await context.bot.set_my_commands(
                menu(group_commands(facilitator=True), language), scope
            )
        else:
            await context.bot.delete_my_commands(scope)
    except TelegramError:
        pass  # the menu is a convenience; the role is stored either way
