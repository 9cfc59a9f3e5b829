"""The one error handler: log the update and the traceback, tell a person, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.callbacks import answer_press
from bot.context import BotContext
from bot.error_reports import log_storage_fault, report_error, where
from bot.render import plain
from bot.replies import send, thread_of
from flows.text import msg
from storage.faults import is_storage_fault

log = logging.getLogger(__name__)


async def log_error(update: object, context: BotContext) -> None:
    """Log what went wrong with which update; the bot carries on."""
    error = context.error
    if isinstance(error, RetryAfter | Forbidden | NetworkError):
        # Telegram-side conditions, not bugs: one line is enough.
        log.warning("Telegram refused or failed a call: %s", error)
        return
    if error is not None and is_storage_fault(error):
        log_storage_fault(error, context.application)
        await tell_sender_not_saved(update, context)
    else:  # the update itself stays in the inbox, set aside: the log holds no one's words
        job = getattr(context, "job", None)
        log.error(
            "Unhandled error while handling %s",
            where(update, job.name if job else None) or "an update",
            exc_info=error,
        )
    await report_error(update, context)


async def tell_sender_not_saved(update: object, context: BotContext) -> None:
    """Ask the sender, in one line, to send it again (a button press gets it as its answer)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    language = await _language(update, context)
    not_saved = msg("storage.full")
    if update.callback_query is not None:
        await answer_press(update.callback_query, plain(not_saved, language))
        return
    if update.effective_message is None:
        return  # a membership change: nobody to answer
    try:
        await send(
            context, update.effective_chat.id, not_saved, language, thread_id=thread_of(update)
        )
    except TelegramError as failure:
        log.warning("could not tell the sender their message was not saved: %s", failure)


async def _language(update: Update, context: BotContext) -> str:
    """The chat's language, or the default when the database cannot even be read."""
    svc = context.services
    try:
        return await svc.language_for(update)
    except Exception:
        return svc.settings.default_language
