"""Durable output: deliver the outbox, in order per chat, and mark each row with Telegram's id.

A row is written in the transaction that decided it; it is sent after that commit and marked
sent with Telegram's message id in one statement. `sendMessage` has no idempotency key, so the
only window for a duplicate is a crash between Telegram's answer and that statement's commit.
Telegram refusing a message (400) is logged with the row, tried once more as plain text, and
marked failed if that is refused too; a throttled, unreachable or removed chat keeps its rows
pending and is tried again later (or when the bot is added back).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import warnings
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode, ReactionEmoji
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.org_digest import FILES_OP, send_files_row
from bot.services import services_of
from bot.telegram_text import plain_text
from bot.update_order import ChatLocks
from storage.outbox import Outgoing

log = logging.getLogger(__name__)

TAKEN = ReactionEmoji.WRITING_HAND  # "written down": the bot's mark on a message it recorded
MAX_RETRY_SECONDS = 600
# A row needs only the sent message's id, so sendMessage is asked raw (Bot.do_api_request, with
# the application's Defaults spelled out): no Message is built from Telegram's answer and the
# stored keyboard goes out as stored (`make bench anatomy`: about 110 µs a send through
# Bot.send_message, 30 µs asked raw). PTB warns that Bot.send_message exists, which is the point.
SEND_DEFAULTS = {"parse_mode": ParseMode.HTML, "link_preview_options": {"is_disabled": True}}
warnings.filterwarnings("ignore", message=".*Bot.send_message.*", category=PTBUserWarning)


class ChatPaused(Exception):
    """Telegram will not take this chat's messages now; its rows wait, in order."""

    def __init__(self, retry_in: float | None) -> None:
        super().__init__(retry_in)
        self.retry_in = retry_in  # None: not before the bot is added back


def markup_json(markup: InlineKeyboardMarkup | None) -> str | None:
    """An inline keyboard as stored in the outbox."""
    return json.dumps(markup.to_dict(), separators=(",", ":")) if markup else None


class Outbox:
    """The sender of stored messages: one chat at a time in row order, many chats at once."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self._queued: dict[int, list[Outgoing]] = defaultdict(list)  # pending rows, by chat
        self._chats = ChatLocks()
        self._failures: dict[int, int] = {}  # chat -> network failures in a row
        self._flushing: set[asyncio.Task] = set()
        self._unmarked: list[tuple[Outgoing, int | None]] = []  # sent; the mark failed

    @property
    def _repo(self):
        return services_of(self.application).repo

    def _now(self):
        return services_of(self.application).clock()

    async def deliver(self, items: Iterable[Outgoing]) -> None:
        """Send rows just committed (after any earlier rows of their chats)."""
        chats = []
        for item in items:
            self._queued[item.chat_id].append(item)
            chats.append(item.chat_id)
        for chat_id in dict.fromkeys(chats):
            await self.flush(chat_id)

    def deliver_stored(self, pending: list[Outgoing]) -> None:
        """At start: queue the rows an earlier run stored and did not send, and send them in
        background tasks, chats concurrently (see drain)."""
        for item in pending:
            self._queued[item.chat_id].append(item)
        for chat_id in list(self._queued):
            task = asyncio.create_task(self.flush(chat_id), name=f"outbox:{chat_id}")
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)

    async def drain(self) -> None:
        """Wait until the rows queued at start are sent (or wait for Telegram)."""
        while self._flushing:
            await asyncio.gather(*self._flushing)

    async def send_pending(self, chat_id: int) -> None:
        """The bot is back in a chat: send everything of it still stored as pending."""

        async def reload_and_flush() -> None:
            self._queued[chat_id] = await self._repo.pending_outbox(chat_id)
            await self._flush(chat_id)

        await self._chats.run(chat_id, reload_and_flush())

    async def flush(self, chat_id: int) -> None:
        """Send a chat's queued rows in order until done or Telegram says wait."""
        await self._chats.run(chat_id, self._flush(chat_id))

    async def _flush(self, chat_id: int) -> None:
        await self._mark_again()
        queue = self._queued.get(chat_id)
        while queue:
            item = queue[0]
            try:
                message_id = await self._carry(item)
            except ChatMigrated as moved:
                await self._move(item.chat_id, moved.new_chat_id)
                await self._flush(moved.new_chat_id)
                return
            except ChatPaused as paused:
                if paused.retry_in is not None:
                    self._retry_later(chat_id, paused.retry_in)
                return
            except BadRequest as refused:
                log.error("outbox row %s refused by Telegram for good: %s", item.id, refused)
                await self._repo.outbox_failed(item, str(refused), self._now())
            else:
                await self._mark_sent(item, message_id)
            queue.pop(0)
            self._failures.pop(chat_id, None)
        self._queued.pop(chat_id, None)

    async def _mark_sent(self, item: Outgoing, message_id: int | None) -> None:
        """Store that Telegram took a row; if the disk refuses, remember it and try again at the
        next flush: the row is never sent twice because its mark failed."""
        try:
            await self._repo.outbox_sent(item, message_id, self._now())
        except Exception as error:
            log.warning("outbox row %s was sent; storing that failed (%r)", item.id, error)
            self._unmarked.append((item, message_id))

    async def _mark_again(self) -> None:
        """Store the marks that failed before (a full disk), oldest first."""
        unmarked, self._unmarked = self._unmarked, []
        for item, message_id in unmarked:
            await self._mark_sent(item, message_id)

    async def _carry(self, item: Outgoing) -> int | None:
        """Do one row; returns the message id to remember (None when nothing new was sent)."""
        bot = self.application.bot
        try:
            if item.op == "clear_buttons":
                target = item.target_id or await self._repo.sent_holder_prompt(item)
                if target is not None:  # None: the prompt never reached the chat
                    with contextlib.suppress(BadRequest):  # gone, too old, or without buttons
                        await bot.edit_message_reply_markup(item.chat_id, target)
                return None
            if item.op == "react":
                try:
                    await bot.set_message_reaction(item.chat_id, item.target_id, TAKEN)
                    return None
                except TelegramError as error:
                    log.info("could not react in %s: %s", item.chat_id, error)
                    return await self._send(item, item.fallback)
            if item.op == FILES_OP:
                await send_files_row(self.application, item)
                return None
            if item.op == "edit":
                try:
                    await bot.edit_message_text(
                        item.text,
                        chat_id=item.chat_id,
                        message_id=item.target_id,
                        reply_markup=self._markup(item),
                    )
                    return None
                except BadRequest as error:
                    if "not modified" in str(error).lower():
                        return None  # it already says this
                    log.warning("could not edit %s in %s: %s", item.target_id, item.chat_id, error)
                    return await self._send(item, item.fallback, with_markup=False)
            return await self._send(item, item.text)
        except BadRequest:
            raise  # refused for good (PTB's BadRequest is a NetworkError)
        except Forbidden as error:
            if item.chat_id > 0:  # a person blocked the bot: no re-adding will resume it
                raise BadRequest(str(error)) from error
            raise self._pause(item, error) from error
        except (RetryAfter, NetworkError) as error:
            raise self._pause(item, error) from error

    async def _send(self, item: Outgoing, text: str | None, *, with_markup: bool = True):
        """Send a row's text; Telegram refusing the HTML gets the same words as plain text."""
        params: dict[str, object] = {"chat_id": item.chat_id, "text": text, **SEND_DEFAULTS}
        if item.thread_id is not None:
            params["message_thread_id"] = item.thread_id
        if with_markup and item.markup:
            params["reply_markup"] = item.markup  # stored as Telegram's JSON already
        if item.op == "send" and item.target_id is not None:
            params["reply_parameters"] = {
                "message_id": item.target_id,
                "allow_sending_without_reply": True,
            }
        bot = self.application.bot
        try:
            sent = await bot.do_api_request("send_message", api_kwargs=params)
        except BadRequest as refused:
            log.warning("outbox row %s refused (%s); sending it as plain text", item.id, refused)
            del params["parse_mode"]
            params["text"] = plain_text(text or "")
            sent = await bot.do_api_request("send_message", api_kwargs=params)
        return sent["message_id"]

    def _markup(self, item: Outgoing) -> InlineKeyboardMarkup | None:
        if not item.markup:
            return None
        return InlineKeyboardMarkup.de_json(json.loads(item.markup), self.application.bot)

    def _pause(self, item: Outgoing, error: TelegramError) -> ChatPaused:
        """How long a chat's rows wait after a throttle, a network failure or a removal."""
        if isinstance(error, RetryAfter):
            wait = error.retry_after
            return ChatPaused(wait.total_seconds() if isinstance(wait, timedelta) else wait)
        if isinstance(error, Forbidden):
            log.warning("chat %s refuses the bot (%s); its messages wait", item.chat_id, error)
            return ChatPaused(None)
        failures = self._failures.get(item.chat_id, 0) + 1
        self._failures[item.chat_id] = failures
        log.warning("network error sending outbox row %s (%s); retrying", item.id, error)
        return ChatPaused(min(5 * 2**failures, MAX_RETRY_SECONDS))

    def _retry_later(self, chat_id: int, seconds: float) -> None:
        """Flush the chat again after a while (rows are in the database meanwhile)."""
        queue = self.application.job_queue
        name = f"outbox:{chat_id}"
        if queue is None or queue.get_jobs_by_name(name):
            return
        when = self._now() + timedelta(seconds=max(seconds, 0.0))
        queue.run_once(self._retry_job, when=when, data=chat_id, name=name)

    async def _retry_job(self, context: BotContext) -> None:
        """The job that tries a paused chat again."""
        await self.flush(context.job.data)

    async def _move(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its data and its queued rows follow the new id."""
        await self._repo.migrate_chat(old_chat_id, new_chat_id, self._now())
        moved = [replace(item, chat_id=new_chat_id) for item in self._queued.pop(old_chat_id, [])]
        self._queued[new_chat_id] = moved + self._queued.get(new_chat_id, [])
