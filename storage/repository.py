"""The repository: one method per question the app asks of the database."""

from __future__ import annotations

from pathlib import Path

from storage.action_changes import ActionChangeStore
from storage.actions import ActionStore
from storage.changes import Change, ChatMoved, MemberRemoved, SetWritten
from storage.db import Database
from storage.inbox import InboxStore
from storage.log import LogStore
from storage.meetings import MeetingStore
from storage.org_digest import OrgDigestStore
from storage.outbox import OutboxStore
from storage.report import ReportStore
from storage.retention import RetentionStore
from storage.scheduled import ScheduledStore
from storage.scores import ScoreStore
from storage.sessions import SessionStore
from storage.sets import SetStore


class Repository(
    SetStore,
    SessionStore,
    ActionStore,
    MeetingStore,
    LogStore,
    RetentionStore,
    ScheduledStore,
    InboxStore,
    OutboxStore,
    ScoreStore,
    ReportStore,
    ActionChangeStore,
    OrgDigestStore,
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

    def _changed(self, change: Change) -> None:
        """The one place a store's write reaches what another store caches."""
        match change:
            case SetWritten(chat):  # a meeting set or rolled on
                self._cache_set(chat.chat_id, chat)
            case MemberRemoved(chat_id, user_id):  # /forget
                self._drop_cached_member(chat_id, user_id)
            case ChatMoved(old_chat_id, new_chat_id):  # sets, members and sessions all moved
                self._drop_cached_chats(old_chat_id, new_chat_id)
                self._drop_cached_sessions(old_chat_id, new_chat_id)

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
