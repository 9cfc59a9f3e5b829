"""Repository methods for committed actions and their follow-ups."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from flows.follow_up import ActionOutcome, ActionRecord, FollowUpChange, Stage
from flows.session_model import Person
from storage import rows
from storage.action_changes import record_follow_up
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox

OPEN = "status = 'open'"


def action_record(row: sqlite3.Row) -> ActionRecord:
    """An `actions` row as an ActionRecord."""
    holder = Person(user_id=row["holder_id"], name=row["holder_name"]) if row["holder_id"] else None
    return ActionRecord(
        id=row["id"],
        chat_id=row["chat_id"],
        holder=holder,
        holder_name=row["holder_name"],
        text=row["text"],
        success_sign=row["success_sign"],
        help_needed=row["help_needed"],
        due_at=rows.from_db(row["due_at"]),
        created_at=rows.from_db(row["created_at"]),
        stage=Stage(row["stage"]),
        outcome=ActionOutcome(row["outcome"]) if row["outcome"] else None,
        learning=row["learning"],
        follow_up_message_id=row["follow_up_message_id"],
        asked_by=row["asked_by"],
    )


def select_open_actions(conn: sqlite3.Connection, chat_id: int) -> list[ActionRecord]:
    """A set's open actions, oldest first."""
    found = conn.execute(
        f"SELECT * FROM actions WHERE chat_id = ? AND {OPEN} ORDER BY id", (chat_id,)
    ).fetchall()
    return [action_record(row) for row in found]


class ActionStore:
    """Reads and writes of the actions table."""

    db: Database

    async def count_open_actions(self, chat_id: int) -> int:
        """How many actions of a set are still open."""

        def work(conn: sqlite3.Connection) -> int:
            return conn.execute(
                f"SELECT count(*) FROM actions WHERE chat_id = ? AND {OPEN}", (chat_id,)
            ).fetchone()[0]

        return await self.db.read(work)

    async def open_actions(self, chat_id: int) -> list[ActionRecord]:
        """A set's open actions, oldest first."""
        return await self.db.read(select_open_actions, chat_id)

    async def get_action(self, action_id: int) -> ActionRecord | None:
        """One action."""

        def work(conn: sqlite3.Connection) -> ActionRecord | None:
            row = conn.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
            return action_record(row) if row else None

        return await self.db.read(work)

    async def action_by_follow_up_message(
        self, chat_id: int, message_id: int
    ) -> ActionRecord | None:
        """The open action whose follow-up message this is."""

        def work(conn: sqlite3.Connection) -> ActionRecord | None:
            row = conn.execute(
                f"SELECT * FROM actions WHERE chat_id = ? AND follow_up_message_id = ? AND {OPEN}",
                (chat_id, message_id),
            ).fetchone()
            return action_record(row) if row else None

        return await self.db.read(work)

    async def save_follow_up(
        self,
        change: FollowUpChange,
        now: datetime,
        *,
        next_due: datetime | None,
        thread_id: int | None = None,
        outgoing: list[Outgoing] = (),
        message_id: int | None = None,
    ) -> tuple[ActionRecord | None, list[Outgoing]]:
        """Store an answer with its messages (and, given, the follow-up message it was given
        on); returns the next action opened (if any) and the messages to send."""

        def work(conn: sqlite3.Connection) -> tuple[ActionRecord | None, list[Outgoing]]:
            created = write_follow_up(conn, change, now, next_due, message_id)
            chat_id = change.action.chat_id
            return created, insert_outbox(conn, chat_id, thread_id, list(outgoing), now)

        return await self.db.write(work)

    async def holder_open_actions(self, user_id: int) -> list[tuple[str, ActionRecord]]:
        """A person's open actions in every active set, with the set's title."""

        def work(conn: sqlite3.Connection) -> list[tuple[str, ActionRecord]]:
            found = conn.execute(
                "SELECT actions.*, sets.title AS set_title FROM actions"
                " JOIN sets ON sets.chat_id = actions.chat_id"
                f" WHERE actions.holder_id = ? AND actions.{OPEN} AND sets.active = 1"
                " ORDER BY actions.due_at IS NULL, actions.due_at, actions.id",
                (user_id,),
            ).fetchall()
            return [(row["set_title"], action_record(row)) for row in found]

        return await self.db.read(work)


def write_follow_up(
    conn: sqlite3.Connection,
    change: FollowUpChange,
    now: datetime,
    next_due: datetime | None,
    message_id: int | None = None,
) -> ActionRecord | None:
    """Store an answer (and the question's copy it was given on) inside the caller's
    transaction; returns the next action it opened, if any."""
    action = change.action
    stored = conn.execute(
        "SELECT stage, outcome FROM actions WHERE id = ?", (action.id,)
    ).fetchone()
    if message_id is not None:
        conn.execute(
            "UPDATE actions SET follow_up_message_id = ? WHERE id = ?", (message_id, action.id)
        )
    closed = action.stage is Stage.CLOSED
    conn.execute(
        "UPDATE actions SET stage = ?, outcome = ?, learning = ?, status = ?,"
        " closed_at = COALESCE(closed_at, ?) WHERE id = ?",
        (
            action.stage.value,
            action.outcome.value if action.outcome else None,
            action.learning,
            "closed" if closed else "open",
            rows.to_db(now) if closed else None,
            action.id,
        ),
    )
    if not change.next_action_text or action.holder is None:
        record_follow_up(conn, stored, change, now, None)
        return None
    row = conn.execute(
        "INSERT INTO actions (chat_id, session_id, holder_id, holder_name, text, due_at,"
        " previous_id, created_at)"
        " SELECT chat_id, session_id, holder_id, holder_name, ?, ?, id, ? FROM actions"
        " WHERE id = ? RETURNING *",
        (change.next_action_text, rows.to_db(next_due), rows.to_db(now), action.id),
    ).fetchone()
    record_follow_up(conn, stored, change, now, row["id"])
    return action_record(row)
