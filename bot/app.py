"""build_application(): the PTB Application, its handlers, and its start and stop hooks."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import gc_tuning
from bot.callback_data import (
    FollowUpButton,
    ForgetChoice,
    LogDetail,
    LogPage,
    SessionButton,
    SetChoice,
    pattern,
)
from bot.commands import COMMANDS, publish_command_menus
from bot.config import Settings
from bot.context import CONTEXT_TYPES, BotContext
from bot.handlers import (
    basics,
    buttons,
    contributions,
    errors,
    follow_up_answers,
    learning_log,
    meetings,
    members,
    membership,
    org_digest,
    private_statements,
    quiet,
    report,
    retention,
    set_settings,
)
from bot.handlers import session_commands as sessions
from bot.inbox import Inbox
from bot.outbox import Outbox
from bot.retention_sweep import arm_sweep
from bot.services import Clock, Services, services_of, utc_now
from bot.timed import Timers
from bot.update_order import PerChatUpdateProcessor
from flows.exercises import builtin_exercises
from storage.repository import Repository

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=6)


def build_application(
    settings: Settings, request: BaseRequest | None = None, *, clock: Clock = utc_now
) -> Application:
    """The bot's Application; `request` replaces the HTTP transport (tests), `clock` the time."""
    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(True))
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerChatUpdateProcessor())
        .updater(None)  # bot/polling.py fetches updates through the inbox
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    builtin_exercises()  # an invalid exercise file stops the bot here, naming the file
    application = builder.build()
    inbox = Inbox(application)
    application.bot_data["services"] = Services(
        settings=settings,
        clock=clock,
        inbox=inbox,
        outbox=Outbox(application),
        timers=Timers(application),
    )
    application.add_error_handler(inbox.handler_failed)
    register_handlers(application)
    return application


# The update types the handlers below take; Telegram sends no others (see bot/polling.py).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member", "chat_member"]
GROUPS = filters.ChatType.GROUPS
NEW_MESSAGE = filters.UpdateType.MESSAGE
# Runs before every other group: the chores every update of a group needs (see the handler).
EARLY = -1


def register_handlers(application: Application) -> None:
    """Every handler, in one visible place."""
    # A CommandHandler given filters no longer restricts itself to new messages: say so, and
    # require a sender (channel posts and some service updates have none).
    anywhere = NEW_MESSAGE & filters.User(allow_empty=True)
    in_group = GROUPS & anywhere
    in_private = filters.ChatType.PRIVATE & anywhere
    group_commands = [c.name for c in COMMANDS if c.where == "group"]
    private_only = [c.name for c in COMMANDS if c.where == "private" and c.name != "start"]
    application.add_handler(TypeHandler(Update, members.record_sender), group=EARLY)
    application.add_handlers(
        [
            # First, so the most common update (a plain message in a session) is matched by the
            # first handler PTB tries rather than after every command's.
            MessageHandler(
                in_group & (filters.TEXT | filters.VOICE) & ~filters.COMMAND,
                contributions.contribution,
            ),
            CommandHandler(["start", "help"], basics.help_command, anywhere),
            CommandHandler("exercises", sessions.exercises, anywhere),
            CommandHandler("privacy", set_settings.show_privacy, in_group),
            CommandHandler("session", sessions.new_session, in_group),
            CommandHandler("topic", sessions.topic, in_group),
            CommandHandler("holder", sessions.holder, in_group),
            CommandHandler("q", sessions.question, in_group),
            CommandHandler("action", sessions.action, in_group),
            CommandHandler("next", sessions.advance, in_group),
            CommandHandler("extend", sessions.extend, in_group),
            CommandHandler("pause", sessions.pause_clock, in_group),
            CommandHandler("resume", sessions.resume_clock, in_group),
            CommandHandler("end", sessions.end, in_group),
            CommandHandler("schedule", meetings.schedule, in_group),
            CommandHandler("timezone", meetings.set_timezone, in_group),
            CommandHandler("reminder", meetings.set_reminder, in_group),
            CommandHandler("goal", meetings.set_goal, in_group),
            CommandHandler("meeting", meetings.meeting, in_group),
            CommandHandler("calendar", meetings.calendar, in_group),
            CommandHandler("outcome", follow_up_answers.outcome_command, in_group),
            CommandHandler("myactions", follow_up_answers.my_actions, in_private),
            CommandHandler("digest", org_digest.org_digest, in_private),
            CommandHandler("log", learning_log.show_log, in_group),
            CommandHandler("actions", learning_log.show_actions, in_group),
            CommandHandler("export", learning_log.export_log, in_group),
            CommandHandler("report", report.show_report, in_group),
            CommandHandler("settings", set_settings.show_settings, in_group),
            CommandHandler("language", set_settings.set_language, in_group),
            CommandHandler("autoadvance", set_settings.set_autoadvance, in_group),
            CommandHandler("exercise", set_settings.set_exercise, in_group),
            CommandHandler("exportpolicy", set_settings.set_export_policy, in_group),
            CommandHandler("retention", retention.set_retention, in_group),
            CommandHandler("quiet", quiet.set_quiet, in_group),
            CommandHandler("daysoff", quiet.set_days_off, in_group),
            CommandHandler("facilitator", set_settings.grant, in_group),
            CommandHandler("unfacilitator", set_settings.revoke, in_group),
            CommandHandler("join", members.join, in_group),
            CommandHandler("leave", members.leave, in_group),
            CommandHandler("forget", members.forget, in_group),
            CommandHandler(group_commands, basics.group_only, in_private),
            CommandHandler(private_only, basics.private_only, in_group),
            MessageHandler(
                GROUPS & filters.UpdateType.EDITED_MESSAGE, contributions.edited_contribution
            ),
            MessageHandler(
                filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.TEXT,
                private_statements.edited_statement,
            ),
            MessageHandler(
                filters.ChatType.PRIVATE & NEW_MESSAGE & filters.TEXT & ~filters.COMMAND,
                private_statements.private_message,
            ),
            CallbackQueryHandler(buttons.session_button, pattern(SessionButton)),
            CallbackQueryHandler(follow_up_answers.follow_up_button, pattern(FollowUpButton)),
            CallbackQueryHandler(learning_log.turn_page, pattern(LogPage)),
            CallbackQueryHandler(learning_log.show_session_detail, pattern(LogDetail)),
            CallbackQueryHandler(members.forget_choice, pattern(ForgetChoice)),
            CallbackQueryHandler(private_statements.set_chosen, pattern(SetChoice)),
            CallbackQueryHandler(buttons.foreign_button),
            ChatMemberHandler(membership.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
            ChatMemberHandler(membership.member_status_changed, ChatMemberHandler.CHAT_MEMBER),
            MessageHandler(filters.StatusUpdate.MIGRATE, membership.group_migrated),
            MessageHandler(
                GROUPS & filters.StatusUpdate.LEFT_CHAT_MEMBER, membership.left_chat_member
            ),
        ]
    )
    application.add_error_handler(errors.log_error)


async def _post_init(application: Application) -> None:
    """Open storage, re-arm pending timers and the retention sweep, publish the command menus."""
    svc = services_of(application)
    svc._repo = await Repository.open(svc.settings.database_path)
    armed = await svc.timers.rearm_pending()
    await arm_sweep(application)
    application.job_queue.run_repeating(
        _prune_delivered, interval=PRUNE_EVERY, first=timedelta(minutes=1), name="prune"
    )
    await publish_command_menus(application.bot, svc.settings.meal_staff)
    gc_tuning.tune()
    log.info("ready as @%s; %d scheduled item(s) re-armed", application.bot.username, armed)


async def _prune_delivered(context: BotContext) -> None:
    """Keep the journal and the outbox small: drop what was handled or sent days ago."""
    svc = context.services
    gone = await svc.repo.prune_delivered(svc.clock())
    log.info("pruned %d handled update(s) and sent message(s)", gone)


async def _post_shutdown(application: Application) -> None:
    """Stop the drawing process; close storage; the collector as it was."""
    gc_tuning.restore()
    svc = services_of(application)
    svc.drawing.shutdown()
    if svc._repo is not None:
        await svc._repo.close()
        svc._repo = None
