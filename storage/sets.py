"""Repository methods for sets (group chats) and their members."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from flows.models import ChatSet, Member, Role
from storage import rows
from storage.changes import Change, ChatMoved
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox
from storage.scheduled import Scheduled, scheduled_item


def _select_set(conn: sqlite3.Connection, chat_id: int) -> ChatSet | None:
    row = conn.execute("SELECT * FROM sets WHERE chat_id = ?", (chat_id,)).fetchone()
    return rows.chat_set(row) if row else None


class SetStore:
    """Sets and members, both cached in memory (the database fills the caches)."""

    db: Database
    _changed: Callable[[Change], None]  # the Repository's one cache coordinator

    def __init__(self) -> None:
        self._sets: dict[int, ChatSet | None] = {}
        self._members: dict[int, dict[int, Member]] = {}

    async def get_set(self, chat_id: int) -> ChatSet | None:
        """The set of this chat, if the bot has met it."""
        if chat_id not in self._sets:
            self._sets[chat_id] = await self.db.read(_select_set, chat_id)
        return self._sets[chat_id]

    async def ensure_set(
        self, chat_id: int, title: str, language_hint: str | None, now: datetime
    ) -> ChatSet:
        """The set of this chat, created on first sight; its title kept current."""
        known = await self.get_set(chat_id)
        if known is not None and known.title == title:
            return known

        def work(conn: sqlite3.Connection) -> ChatSet:
            conn.execute(
                "INSERT INTO sets (chat_id, title, language_hint, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
                " updated_at = excluded.updated_at",
                (chat_id, title, language_hint, rows.to_db(now), rows.to_db(now)),
            )
            return _select_set(conn, chat_id)

        return self._cache_set(chat_id, await self.db.write(work))

    async def update_set(self, chat_id: int, now: datetime, **fields: object) -> ChatSet:
        """Change some of a set's columns; returns the updated set."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values = [_db_value(value) for value in fields.values()]

        def work(conn: sqlite3.Connection) -> ChatSet:
            conn.execute(
                f"UPDATE sets SET {assignments}, updated_at = ? WHERE chat_id = ?",
                (*values, rows.to_db(now), chat_id),
            )
            return _select_set(conn, chat_id)

        return self._cache_set(chat_id, await self.db.write(work))

    async def pause_set(self, chat_id: int, now: datetime) -> list[int]:
        """Mark the set inactive (the bot was removed); returns its pending rows' ids to disarm.

        Nothing is cancelled: scheduled and outbox rows wait for the bot to be added back.
        """

        def work(conn: sqlite3.Connection) -> tuple[ChatSet | None, list[int]]:
            conn.execute(
                "UPDATE sets SET active = 0, updated_at = ? WHERE chat_id = ?",
                (rows.to_db(now), chat_id),
            )
            waiting = conn.execute(
                "SELECT id FROM scheduled WHERE chat_id = ? AND status = 'pending'", (chat_id,)
            ).fetchall()
            return _select_set(conn, chat_id), [row["id"] for row in waiting]

        chat_set, waiting = await self.db.write(work)
        self._cache_set(chat_id, chat_set)
        return waiting

    async def resume_set(
        self, chat_id: int, now: datetime, outgoing: list[Outgoing]
    ) -> tuple[list[Scheduled], list[Outgoing]]:
        """Mark the set active again with its back-in-the-group line stored to send; returns
        its pending scheduled rows to re-arm and the stored line."""

        def work(conn: sqlite3.Connection) -> tuple[ChatSet | None, list[Scheduled], list]:
            conn.execute(
                "UPDATE sets SET active = 1, updated_at = ? WHERE chat_id = ?",
                (rows.to_db(now), chat_id),
            )
            chat_set = _select_set(conn, chat_id)
            waiting = conn.execute(
                "SELECT * FROM scheduled WHERE chat_id = ? AND status = 'pending'"
                " ORDER BY due_at, id",
                (chat_id,),
            ).fetchall()
            thread_id = chat_set.thread_id if chat_set else None
            stored = insert_outbox(conn, chat_id, thread_id, outgoing, now)
            return chat_set, [scheduled_item(row) for row in waiting], stored

        chat_set, waiting, stored = await self.db.write(work)
        self._cache_set(chat_id, chat_set)
        return waiting, stored

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int, now: datetime) -> bool:
        """Move everything of a group to its new supergroup id; False if already moved."""

        def work(conn: sqlite3.Connection) -> bool:
            exists = conn.execute("SELECT 1 FROM sets WHERE chat_id = ?", (old_chat_id,))
            if exists.fetchone() is None:
                return False
            if conn.execute("SELECT 1 FROM sets WHERE chat_id = ?", (new_chat_id,)).fetchone():
                # The new id spoke first (a message raced the service message): the old
                # set's history wins; the placeholder set holds nothing worth keeping.
                conn.execute("DELETE FROM members WHERE chat_id = ?", (new_chat_id,))
                conn.execute("DELETE FROM sets WHERE chat_id = ?", (new_chat_id,))
            # ON UPDATE CASCADE carries members, sessions and actions.
            conn.execute(
                "UPDATE sets SET chat_id = ?, updated_at = ? WHERE chat_id = ?",
                (new_chat_id, rows.to_db(now), old_chat_id),
            )
            # No foreign key (scheduled: since 0015, for staff members' digests): moved by hand.
            for table in ("contributions", "outbox", "scheduled"):
                conn.execute(
                    f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
                )
            return True

        moved = await self.db.write(work)
        self._changed(ChatMoved(old_chat_id, new_chat_id))
        return moved

    def _cache_set(self, chat_id: int, chat_set: ChatSet | None) -> ChatSet | None:
        """Keep a set's row as just written (None: the chat has no set)."""
        self._sets[chat_id] = chat_set
        return chat_set

    def _drop_cached_chats(self, *chat_ids: int) -> None:
        """Drop the cached sets and members of these chats."""
        for chat_id in chat_ids:
            self._sets.pop(chat_id, None)
            self._members.pop(chat_id, None)

    def _drop_cached_member(self, chat_id: int, user_id: int) -> None:
        """Drop a cached member: the next read comes from the database."""
        self._members.get(chat_id, {}).pop(user_id, None)

    async def upsert_member(
        self,
        chat_id: int,
        user_id: int,
        name: str,
        username: str | None,
        language_code: str | None,
        now: datetime,
    ) -> Member:
        """Record a member (or refresh their name); returns them with their role."""
        known = self._members.get(chat_id, {}).get(user_id)
        if known and (known.name, known.username, known.language_code) == (
            name,
            username,
            language_code,
        ):
            return known

        def work(conn: sqlite3.Connection) -> Member:
            row = conn.execute(
                "INSERT INTO members (chat_id, user_id, name, username, language_code, joined_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, user_id) DO UPDATE SET name = excluded.name,"
                " username = excluded.username, language_code = excluded.language_code"
                " RETURNING *",
                (chat_id, user_id, name, username, language_code, rows.to_db(now)),
            ).fetchone()
            return rows.member(row)

        return self._remember(await self.db.write(work))

    def _remember(self, member: Member) -> Member:
        """Keep a member in the cache."""
        self._members.setdefault(member.chat_id, {})[member.user_id] = member
        return member

    async def get_member(self, chat_id: int, user_id: int) -> Member | None:
        """A member of a set, if known."""
        known = self._members.get(chat_id, {}).get(user_id)
        if known is not None:
            return known

        def work(conn: sqlite3.Connection) -> Member | None:
            row = conn.execute(
                "SELECT * FROM members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
            ).fetchone()
            return rows.member(row) if row else None

        found = await self.db.read(work)
        return self._remember(found) if found else None

    async def member_by_username(self, chat_id: int, username: str) -> Member | None:
        """A member found by @username (case-insensitive)."""

        def work(conn: sqlite3.Connection) -> Member | None:
            row = conn.execute(
                "SELECT * FROM members WHERE chat_id = ? AND lower(username) = lower(?)",
                (chat_id, username),
            ).fetchone()
            return rows.member(row) if row else None

        return await self.db.read(work)

    async def chats_of_member(self, user_id: int, *, former: bool = False) -> list[int]:
        """The active sets a person takes part in (`former`: or once took part in)."""

        def work(conn: sqlite3.Connection) -> list[int]:
            found = conn.execute(
                "SELECT members.chat_id FROM members JOIN sets USING (chat_id)"
                " WHERE members.user_id = ? AND (members.active = 1 OR ?) AND sets.active = 1",
                (user_id, former),
            ).fetchall()
            return [row["chat_id"] for row in found]

        return await self.db.read(work)

    async def facilitators(self, chat_id: int) -> list[Member]:
        """Members granted the facilitator role (group admins are facilitators too)."""

        def work(conn: sqlite3.Connection) -> list[Member]:
            found = conn.execute(
                "SELECT * FROM members WHERE chat_id = ? AND role = 'facilitator' ORDER BY name",
                (chat_id,),
            ).fetchall()
            return [rows.member(row) for row in found]

        return await self.db.read(work)

    async def active_members(self, chat_id: int) -> list[Member]:
        """The set's members who take part (not after /leave), by name."""

        def work(conn: sqlite3.Connection) -> list[Member]:
            found = conn.execute(
                "SELECT * FROM members WHERE chat_id = ? AND active = 1 ORDER BY name",
                (chat_id,),
            ).fetchall()
            return [rows.member(row) for row in found]

        return await self.db.read(work)

    async def set_member_active(self, chat_id: int, user_id: int, active: bool) -> None:
        """Opt a member in (/join) or out (/leave)."""
        await self.db.write(
            lambda conn: conn.execute(
                "UPDATE members SET active = ? WHERE chat_id = ? AND user_id = ?",
                (int(active), chat_id, user_id),
            )
        )
        self._drop_cached_member(chat_id, user_id)

    async def set_role(self, chat_id: int, user_id: int, role: Role) -> None:
        """Grant or take back the facilitator role."""
        await self.db.write(
            lambda conn: conn.execute(
                "UPDATE members SET role = ? WHERE chat_id = ? AND user_id = ?",
                (role.value, chat_id, user_id),
            )
        )
        self._drop_cached_member(chat_id, user_id)


def _db_value(value: object) -> object:
    """A Python value as SQLite stores it."""
    if isinstance(value, datetime):
        return rows.to_db(value)
    if isinstance(value, bool):
        return int(value)
    return value
