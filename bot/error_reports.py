"""Errors reach a person: a short report to ERROR_CHAT_ID, at most one a minute.

A report names the error's type, the update and chat ids and the innermost lines of the
traceback, never the error's message or the update itself: either may quote what someone wrote.
"""

from __future__ import annotations

import html
import logging
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.services import services_of
from storage.faults import is_damaged, is_storage_full

log = logging.getLogger(__name__)

INTERVAL = timedelta(minutes=1)
TRACEBACK_BUDGET = 3000  # characters of escaped traceback; the whole report stays under 4096


@dataclass
class Throttle:
    """Lets one event through per interval and counts the ones held back meanwhile."""

    interval: timedelta = INTERVAL
    held_back: int = 0
    _last: datetime | None = None

    def admit(self, now: datetime) -> int | None:
        """None when held back; else how many were held back since the last one let through."""
        if self._last is not None and now - self._last < self.interval:
            self.held_back += 1
            return None
        self._last = now
        held, self.held_back = self.held_back, 0
        return held


@dataclass
class ErrorDesk:
    """The throttles of one running bot: storage-fault log lines and error reports."""

    storage_log: Throttle = field(default_factory=Throttle)
    reports: Throttle = field(default_factory=Throttle)


def desk(application: Application) -> ErrorDesk:
    """The running application's ErrorDesk (made on first use)."""
    return application.bot_data.setdefault("error_desk", ErrorDesk())


def log_storage_fault(error: BaseException, application: Application) -> None:
    """One log line a minute while the disk is full or failing, however many writes fail."""
    held_back = desk(application).storage_log.admit(services_of(application).clock())
    if held_back is None:
        return
    if is_storage_full(error):
        cause = "the disk is full"
    elif is_damaged(error):
        cause = "the database file is damaged; stop the bot and restore it from a backup"
    else:
        cause = "a disk I/O error"
    repeats = f"; {held_back} more failed writes since the last line" if held_back else ""
    log.error("Could not write to the database: %s (%s)%s", cause, error, repeats)


def error_name(error: BaseException) -> str:
    """The error's qualified type, with SQLite's result code name when it has one."""
    kind = type(error)
    name = kind.__qualname__
    if kind.__module__ != "builtins":
        name = f"{kind.__module__}.{name}"
    code = getattr(error, "sqlite_errorname", None)
    return f"{name} ({code})" if code else name


def innermost_lines(error: BaseException, budget: int = TRACEBACK_BUDGET) -> str:
    """The traceback's frames without the error's message, cut from the outside to fit."""
    lines = "".join(traceback.format_tb(error.__traceback__)).rstrip("\n").splitlines()
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        used += len(html.escape(line)) + 1
        if used > budget:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(reversed(kept))


def where(update: object, job_name: str | None = None) -> str:
    """Where an error happened, by ids only ("update 5 · chat -100…"), never by its words."""
    parts: list[str] = []
    if isinstance(update, Update):
        parts.append(f"update {update.update_id}")
        if update.effective_chat is not None:
            parts.append(f"chat {update.effective_chat.id}")
    elif job_name:
        parts.append(f"job {job_name}")
    return " · ".join(parts)


def describe(
    error: BaseException, update: object, job_name: str | None = None, held_back: int = 0
) -> str:
    """The report's HTML: the error's type, where it happened, and the innermost frames."""
    place = where(update, job_name)
    lines = [f"⚠️ <b>Error</b>: <code>{html.escape(error_name(error))}</code>"]
    if place:
        lines.append(html.escape(place))
    if held_back:
        lines.append(f"({held_back} more since the last report)")
    frames = innermost_lines(error)
    if frames:
        lines.append(f"<pre>{html.escape(frames)}</pre>")
    return "\n".join(lines)


async def report_error(update: object, context: BotContext) -> None:
    """Send a report of context.error to ERROR_CHAT_ID, if set and not sent in the last minute.

    Never raises: a report that cannot be sent is logged.
    """
    error = context.error
    try:
        svc = context.services
        chat_id = svc.settings.error_chat_id
        if chat_id is None or error is None:
            return
        held_back = desk(context.application).reports.admit(svc.clock())
        if held_back is None:
            return
        job = getattr(context, "job", None)
        text = describe(error, update, job.name if job else None, held_back)
        await context.bot.send_message(chat_id, text, parse_mode="HTML")
    except Exception as failure:
        log.warning("could not send the error report to ERROR_CHAT_ID: %r", failure)
