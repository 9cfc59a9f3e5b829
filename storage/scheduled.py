"""Repository methods for the `scheduled` table: every timed thing is a row first."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from storage import rows
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox


class ScheduledKind(StrEnum):
    """Every timed thing the bot does."""

    STEP_WARNING = "step_warning"
    STEP_END = "step_end"
    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"
    ORG_DIGEST = "org_digest"  # a MEAL staff member's monthly digest, in their private chat


class ScheduledStatus(StrEnum):
    """Where a scheduled row is in its life."""

    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Scheduled(BaseModel):
    """A row of the `scheduled` table: something the bot must do at a time."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    thread_id: int | None
    kind: ScheduledKind
    session_id: int | None
    ref: int | None
    due_at: datetime
    status: ScheduledStatus
    attempts: int = 0


def scheduled_item(row: sqlite3.Row) -> Scheduled:
    """A `scheduled` row as a Scheduled item."""
    return Scheduled(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        kind=ScheduledKind(row["kind"]),
        session_id=row["session_id"],
        ref=row["ref"],
        due_at=rows.from_db(row["due_at"]),
        status=ScheduledStatus(row["status"]),
        attempts=row["attempts"],
    )


def insert_scheduled(
    conn: sqlite3.Connection,
    *,
    chat_id: int,
    thread_id: int | None,
    kind: ScheduledKind,
    due_at: datetime,
    now: datetime,
    session_id: int | None = None,
    ref: int | None = None,
) -> Scheduled:
    """Add a pending row inside the caller's transaction."""
    stamp, due = rows.to_db(now), rows.to_db(due_at)
    inserted = conn.execute(
        "INSERT INTO scheduled (chat_id, thread_id, kind, session_id, ref, due_at,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_id, thread_id, kind.value, session_id, ref, due, stamp, stamp),
    )
    # Built from what was just written (no RETURNING row to read back and re-validate).
    return Scheduled.model_construct(
        id=inserted.lastrowid,
        chat_id=chat_id,
        thread_id=thread_id,
        kind=kind,
        session_id=session_id,
        ref=ref,
        due_at=rows.from_db(due),  # as stored: whole seconds, UTC
        status=ScheduledStatus.PENDING,
        attempts=0,
    )


def set_scheduled_status(
    conn: sqlite3.Connection, row_id: int, status: ScheduledStatus, now: datetime
) -> Scheduled | None:
    """Move a pending row to another status; None if it was no longer pending."""
    row = conn.execute(
        "UPDATE scheduled SET status = ?, updated_at = ?"
        " WHERE id = ? AND status = 'pending' RETURNING *",
        (status.value, rows.to_db(now), row_id),
    ).fetchone()
    return scheduled_item(row) if row else None


class ScheduledStore:
    """Reads and small writes of scheduled rows."""

    db: Database

    async def pending_scheduled(self) -> list[Scheduled]:
        """Every pending row of an active set, soonest first (re-armed at start); a paused set's
        rows wait for the bot to be added back."""

        def work(conn: sqlite3.Connection) -> list[Scheduled]:
            found = conn.execute(
                "SELECT * FROM scheduled WHERE status = 'pending' AND chat_id NOT IN"
                " (SELECT chat_id FROM sets WHERE active = 0) ORDER BY due_at, id"
            ).fetchall()
            return [scheduled_item(row) for row in found]

        return await self.db.read(work)

    async def last_follow_up(self, chat_id: int) -> Scheduled | None:
        """The chat's latest meeting follow-up row that is no longer pending, if any."""

        def work(conn: sqlite3.Connection) -> Scheduled | None:
            row = conn.execute(
                "SELECT * FROM scheduled WHERE chat_id = ? AND kind = 'follow_up'"
                " AND status != 'pending' ORDER BY due_at DESC, id DESC LIMIT 1",
                (chat_id,),
            ).fetchone()
            return scheduled_item(row) if row else None

        return await self.db.read(work)

    async def get_scheduled(self, row_id: int) -> Scheduled | None:
        """One scheduled row."""

        def work(conn: sqlite3.Connection) -> Scheduled | None:
            row = conn.execute("SELECT * FROM scheduled WHERE id = ?", (row_id,)).fetchone()
            return scheduled_item(row) if row else None

        return await self.db.read(work)

    async def pending_step_end(self, session_id: int, step_index: int) -> Scheduled | None:
        """The pending end timer of a session's step, if any."""

        def work(conn: sqlite3.Connection) -> Scheduled | None:
            row = conn.execute(
                "SELECT * FROM scheduled WHERE session_id = ? AND status = 'pending'"
                " AND kind = ? AND ref = ?",
                (session_id, ScheduledKind.STEP_END.value, step_index),
            ).fetchone()
            return scheduled_item(row) if row else None

        return await self.db.read(work)

    async def settle_scheduled(
        self,
        item: Scheduled,
        status: ScheduledStatus,
        now: datetime,
        outgoing: list[Outgoing] = (),
    ) -> list[Outgoing] | None:
        """Mark a pending row sent, missed or cancelled, with the messages it decided, in one
        transaction; None (and nothing stored) if it was no longer pending."""

        def work(conn: sqlite3.Connection) -> list[Outgoing] | None:
            if set_scheduled_status(conn, item.id, status, now) is None:
                return None
            return insert_outbox(
                conn, item.chat_id, item.thread_id, list(outgoing), now, scheduled_id=item.id
            )

        return await self.db.write(work)

    async def retry_scheduled(
        self, row_id: int, due_at: datetime, now: datetime
    ) -> Scheduled | None:
        """Put off a pending row whose firing failed until `due_at`."""

        def work(conn: sqlite3.Connection) -> Scheduled | None:
            row = conn.execute(
                "UPDATE scheduled SET due_at = ?, attempts = attempts + 1,"
                " updated_at = ? WHERE id = ? AND status = 'pending' RETURNING *",
                (rows.to_db(due_at), rows.to_db(now), row_id),
            ).fetchone()
            return scheduled_item(row) if row else None

        return await self.db.write(work)
