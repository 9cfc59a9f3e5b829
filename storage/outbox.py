"""Repository methods for the outbox: messages stored with the change that decided them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage import rows
from storage.action_changes import mark_asked
from storage.db import Database

# What a message of some purpose changes besides its own row, with (scheduled_id, ref) when it
# is stored, and (message_id, outbox id) when Telegram took it: the same transaction as the row's
# own mark, so one commit is the whole window.
ON_QUEUED = {"follow_up": mark_asked}
ON_SENT = {
    "follow_up": (
        "UPDATE actions SET follow_up_message_id = ?"
        " WHERE id = (SELECT ref FROM outbox WHERE id = ?)"
    ),
    # A digest's messages outlive its outbox rows: a reply may come days later.
    "digest": (
        "INSERT OR IGNORE INTO digest_messages (message_id, session_id, step_index)"
        " SELECT ?, session_id, ref FROM outbox WHERE id = ?"
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Outgoing:
    """One thing to do in a chat (send, edit, react, clear buttons), as stored in the outbox."""

    op: str = "send"
    text: str | None = None
    markup: str | None = None  # inline keyboard JSON
    target_id: int | None = None  # what an edit, reaction or clear applies to; a send replies to it
    fallback: str | None = None  # sent instead where an edit or a reaction is refused
    purpose: str | None = None
    ref: int | None = None
    id: int = 0
    chat_id: int = 0  # set before storing: a message to another chat than the decision's
    thread_id: int | None = None


def insert_outbox(
    conn: sqlite3.Connection,
    chat_id: int,
    thread_id: int | None,
    items: list[Outgoing],
    now: datetime,
    *,
    session_id: int | None = None,
    scheduled_id: int | None = None,
) -> list[Outgoing]:
    """Store messages to send inside the caller's transaction; returns them with their ids.

    Items go to `chat_id` and `thread_id` unless they name a chat of their own.
    """
    stamp = rows.to_db(now)
    stored = []
    for item in items:
        own = item.chat_id != 0
        to_chat, to_thread = (item.chat_id, item.thread_id) if own else (chat_id, thread_id)
        inserted = conn.execute(
            "INSERT INTO outbox (chat_id, thread_id, op, text, markup, target_id, fallback,"
            " purpose, ref, session_id, scheduled_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_chat,
                to_thread,
                item.op,
                item.text,
                item.markup,
                item.target_id,
                item.fallback,
                item.purpose,
                item.ref,
                session_id,
                scheduled_id,
                stamp,
            ),
        )
        stored.append(_with(item, inserted.lastrowid, to_chat, to_thread))
        if item.purpose in ON_QUEUED:
            ON_QUEUED[item.purpose](conn, scheduled_id, item.ref, now)
    return stored


def _with(item: Outgoing, row_id: int, chat_id: int, thread_id: int | None) -> Outgoing:
    """The item as stored: its row id, chat and thread."""
    return Outgoing(
        op=item.op,
        text=item.text,
        markup=item.markup,
        target_id=item.target_id,
        fallback=item.fallback,
        purpose=item.purpose,
        ref=item.ref,
        id=row_id,
        chat_id=chat_id,
        thread_id=thread_id,
    )


def outgoing(row: sqlite3.Row) -> Outgoing:
    """An `outbox` row as an Outgoing item."""
    return Outgoing(
        op=row["op"],
        text=row["text"],
        markup=row["markup"],
        target_id=row["target_id"],
        fallback=row["fallback"],
        purpose=row["purpose"],
        ref=row["ref"],
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
    )


def _mark_sent(conn: sqlite3.Connection, item: Outgoing, message_id: int | None, now: datetime):
    conn.execute(
        "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
        (message_id, rows.to_db(now), item.id),
    )
    if message_id is not None and item.purpose in ON_SENT:
        conn.execute(ON_SENT[item.purpose], (message_id, item.id))


class OutboxStore:
    """Reads and writes of the outbox table."""

    db: Database

    async def pending_outbox(self, chat_id: int | None = None) -> list[Outgoing]:
        """Messages not yet sent, oldest first: a chat's, or (at start) every active set's."""

        def work(conn: sqlite3.Connection) -> list[Outgoing]:
            if chat_id is not None:
                found = conn.execute(
                    "SELECT * FROM outbox WHERE status = 'pending' AND chat_id = ? ORDER BY id",
                    (chat_id,),
                )
            else:
                found = conn.execute(
                    "SELECT * FROM outbox WHERE status = 'pending' AND chat_id NOT IN"
                    " (SELECT chat_id FROM sets WHERE active = 0) ORDER BY id"
                )
            return [outgoing(row) for row in found.fetchall()]

        return await self.db.read(work)

    async def outbox_sent(self, item: Outgoing, message_id: int | None, now: datetime) -> None:
        """Record that Telegram took a message (and its id): the one statement after a send."""
        await self.db.write(_mark_sent, item, message_id, now)

    async def sent_holder_prompt(self, item: Outgoing) -> int | None:
        """The message id of the "who brings a topic?" message of the session a row belongs
        to, if Telegram took it."""

        def work(conn: sqlite3.Connection) -> int | None:
            row = conn.execute(
                "SELECT message_id FROM outbox WHERE session_id ="
                " (SELECT session_id FROM outbox WHERE id = ?) AND op = 'send'"
                " AND purpose = 'holder_prompt' AND message_id IS NOT NULL"
                " ORDER BY id DESC LIMIT 1",
                (item.id,),
            ).fetchone()
            return row[0] if row else None

        return await self.db.read(work)

    async def outbox_failed(self, item: Outgoing, error: str, now: datetime) -> None:
        """Record that Telegram refused a message for good."""
        await self.db.write(
            lambda conn: conn.execute(
                "UPDATE outbox SET status = 'failed', error = ?, attempts = attempts + 1,"
                " sent_at = ? WHERE id = ?",
                (error[:500], rows.to_db(now), item.id),
            )
        )
