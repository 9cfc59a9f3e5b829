"""build_application(): the PTB Application, its handlers, and its start and stop hooks."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.commands import publish_command_menus
from bot.config import Settings
from bot.handlers import basics, errors, membership
from bot.scheduling import rearm_pending
from bot.services import Clock, Services, utc_now
from storage.repository import Repository

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, request: BaseRequest | None = None, *, clock: Clock = utc_now
) -> Application:
    """The bot's Application; `request` replaces the HTTP transport (tests), `clock` the time."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(True))
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    application = builder.build()
    application.bot_data["services"] = Services(settings=settings, clock=clock)
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    """Every handler, in one visible place."""
    application.add_handlers(
        [
            CommandHandler(["start", "help"], basics.help_command),
            ChatMemberHandler(membership.bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
            MessageHandler(filters.StatusUpdate.MIGRATE, membership.group_migrated),
        ]
    )
    application.add_error_handler(errors.log_error)


async def _post_init(application: Application) -> None:
    """Open storage, re-arm pending timers, publish the command menus."""
    svc: Services = application.bot_data["services"]
    svc._repo = await Repository.open(svc.settings.database_path)
    armed = await rearm_pending(application)
    await publish_command_menus(application.bot)
    log.info("ready as @%s; %d scheduled item(s) re-armed", application.bot.username, armed)


async def _post_shutdown(application: Application) -> None:
    """Close storage."""
    svc: Services = application.bot_data["services"]
    if svc._repo is not None:
        await svc._repo.close()
        svc._repo = None
