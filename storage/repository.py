"""The repository: one method per question the app asks of the database."""

from __future__ import annotations

from pathlib import Path

from storage.actions import ActionStore
from storage.db import Database
from storage.inbox import InboxStore
from storage.log import LogStore
from storage.meetings import MeetingStore
from storage.outbox import OutboxStore
from storage.scheduled import ScheduledStore
from storage.sessions import SessionStore
from storage.sets import SetStore


class Repository(
    SetStore,
    SessionStore,
    ActionStore,
    MeetingStore,
    LogStore,
    ScheduledStore,
    InboxStore,
    OutboxStore,
):
    """Every read and write of the bot's data, over one Database."""

    def __init__(self, db: Database) -> None:
        SetStore.__init__(self)
        SessionStore.__init__(self)
        self.db = db

    @classmethod
    async def open(cls, path: Path | str) -> Repository:
        """Open the database file (migrating it) and wrap it."""
        return cls(await Database.open(path))

    def _forget_chat(self, *chat_ids: int) -> None:
        """Drop every cached row of these chats."""
        SetStore._forget_chat(self, *chat_ids)
        self._forget_sessions(*chat_ids)

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
