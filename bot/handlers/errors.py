"""The one error handler: log the update and the traceback, never crash."""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what went wrong with which update; the bot carries on."""
    error = context.error
    if isinstance(error, RetryAfter | Forbidden | NetworkError):
        # Telegram-side conditions, not bugs: one line is enough.
        log.warning("Telegram refused or failed a call: %s", error)
        return
    described = update.to_dict() if isinstance(update, Update) else repr(update)
    log.error(
        "Unhandled error while handling %s",
        json.dumps(described, ensure_ascii=False, default=str)[:2000],
        exc_info=error,
    )
