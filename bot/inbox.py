"""Durable input: an update counts as received once it is journalled, then it is handled.

The poller (bot/polling.py) moves Telegram's offset on only after a batch is committed here, so
a crash loses nothing Telegram was told we have; on start the journal's pending updates are
handled first. A webhook would call `receive` the same way and answer 200 after it returns.
An update is marked done once handled (marks are committed together, like group commit); one
that cannot be parsed, or whose handler raises, is logged once with its id and set aside, and
every other chat goes on. An update handled again after a crash (its mark not yet committed) is
recognised by the session's last update id and the contributions' unique keys.
"""

from __future__ import annotations

import asyncio
import json
import logging

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from bot.error_reports import log_storage_fault
from bot.services import Services, services_of
from storage.faults import is_storage_fault
from storage.inbox import Journalled

log = logging.getLogger(__name__)


class Inbox:
    """Journals fetched updates and hands each to the application, in order per chat."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self._handling: set[asyncio.Task] = set()
        self._done: list[int] = []
        self._set_aside: dict[int, str] = {}
        self._failed: dict[int, str] = {}  # update id -> error, told by the error handler
        self._settling: asyncio.Task | None = None

    @property
    def _services(self) -> Services:
        return services_of(self.application)

    async def receive(self, updates: list[dict]) -> int:
        """Journal a batch in one commit, then start handling the new ones; returns how many.

        When the disk is full the batch is handled unjournalled: what only reads still works,
        and whatever needed storing fails and its sender is asked to send it again.
        """
        try:
            fresh = await self._services.repo.journal(updates, self._services.clock())
        except Exception as error:
            if not is_storage_fault(error):
                raise
            log_storage_fault(error, self.application)
            for update in updates:
                self._start(update["update_id"], update, journalled=False)
            return len(updates)
        by_id = {update["update_id"]: update for update in updates}
        for item in fresh:
            self._start(item.update_id, by_id[item.update_id])
        return len(fresh)

    def replay(self, pending: list[Journalled]) -> None:
        """At start: handle what an earlier run journalled and did not finish (in tasks)."""
        for item in pending:
            self._start(item.update_id, item.body)

    def _start(self, update_id: int, source: dict | str, journalled: bool = True) -> None:
        """Handle an update (as fetched, or its journalled JSON) in its own task; tasks start
        in arrival order, which the per-chat update processor keeps."""
        task = asyncio.create_task(
            self._handle(update_id, source, journalled), name=f"update:{update_id}"
        )
        self._handling.add(task)
        task.add_done_callback(self._handling.discard)

    async def _handle(self, update_id: int, source: dict | str, journalled: bool) -> None:
        application = self.application
        try:
            data = json.loads(source) if isinstance(source, str) else source
            update = Update.de_json(data, application.bot)
        except Exception as error:  # whatever the library cannot read must not stop the rest
            log.error("update %s cannot be read and is set aside: %r", update_id, error)
            if journalled:
                self._settle(update_id, f"unreadable: {error!r}")
            return
        try:
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except Exception as error:
            log.exception("update %s could not be handled and is set aside", update_id)
            self._failed[update_id] = repr(error)[:500]
        failure = self._failed.pop(update_id, None)
        if journalled:
            self._settle(update_id, failure)

    async def handler_failed(self, update: object, context: BotContext) -> None:
        """The error handler's part: an update whose handler raised is set aside."""
        if isinstance(update, Update):
            self._failed[update.update_id] = repr(context.error)[:500]

    def _settle(self, update_id: int, error: str | None) -> None:
        """Mark an update done (or set aside); the marks of many updates share one commit."""
        if error is None:
            self._done.append(update_id)
        else:
            self._set_aside[update_id] = error
        if self._settling is None:
            self._settling = asyncio.create_task(self._write_marks())

    async def _write_marks(self) -> None:
        try:
            while self._done or self._set_aside:
                done, self._done = self._done, []
                set_aside, self._set_aside = self._set_aside, {}
                try:
                    await self._services.repo.settle_updates(done, list(set_aside.items()))
                except Exception as error:  # kept for the next mark; pending after a restart
                    self._done[:0] = done
                    self._set_aside = set_aside | self._set_aside
                    if is_storage_fault(error):
                        log_storage_fault(error, self.application)
                    else:
                        log.warning("could not mark %d update(s) handled: %r", len(done), error)
                    return
        finally:
            self._settling = None

    async def drain(self) -> None:
        """Wait until every started update is handled and its mark committed."""
        while self._handling or self._settling:
            await asyncio.gather(*self._handling, *([self._settling] if self._settling else []))
