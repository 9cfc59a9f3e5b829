"""The append-only history of actions' status (`action_events`), written inside the transaction
of each change, and read back, with the set's stable id, for /export."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from flows.action_changes import ActionChange, ChangeKind, follow_up_change
from flows.follow_up import ActionOutcome, FollowUpChange, Stage
from storage import rows
from storage.db import Database


def record_change(
    conn: sqlite3.Connection,
    action_id: int,
    change: ChangeKind,
    now: datetime,
    *,
    outcome: ActionOutcome | None = None,
    linked_action_id: int | None = None,
) -> None:
    """Append one change of an action's status inside the caller's transaction."""
    conn.execute(
        "INSERT INTO action_events (action_id, change, outcome, linked_action_id, at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            action_id,
            change.value,
            outcome.value if outcome else None,
            linked_action_id,
            rows.to_db(now),
        ),
    )


def mark_asked(
    conn: sqlite3.Connection, scheduled_id: int | None, action_id: int, now: datetime
) -> None:
    """An action's follow-up question is stored to be sent: the action waits for its answer."""
    conn.execute(
        "UPDATE actions SET stage = 'ask_outcome', asked_by = ? WHERE id = ?",
        (scheduled_id, action_id),
    )
    record_change(conn, action_id, ChangeKind.ASKED, now)


def record_follow_up(
    conn: sqlite3.Connection,
    stored: sqlite3.Row,
    change: FollowUpChange,
    now: datetime,
    next_action_id: int | None,
) -> None:
    """The change an answer makes to the action stored as `stored` (read before the answer was
    written), and the commitment of the next action it opened."""
    before = ActionOutcome(stored["outcome"]) if stored["outcome"] else None
    kind = follow_up_change(Stage(stored["stage"]), before, change)
    if kind is None:
        return
    action = change.action
    record_change(
        conn, action.id, kind, now, outcome=action.outcome, linked_action_id=next_action_id
    )
    if next_action_id is not None:
        record_change(conn, next_action_id, ChangeKind.COMMITTED, now, linked_action_id=action.id)


def _action_change(row: sqlite3.Row) -> ActionChange:
    change = ChangeKind(row["change"])
    linked = row["linked_action_id"]
    return ActionChange(
        action_id=row["action_id"],
        session_id=row["session_id"],
        change=change,
        outcome=ActionOutcome(row["outcome"]) if row["outcome"] else None,
        at=rows.from_db(row["at"]),
        previous_action_id=linked if change is ChangeKind.COMMITTED else None,
        next_action_id=None if change is ChangeKind.COMMITTED else linked,
    )


class ActionChangeStore:
    """Reads of the actions' history and of the set's id for exports."""

    db: Database

    async def set_export_id(self, chat_id: int) -> str:
        """The set's id in exports: opaque, and the same in every export (migration 0014)."""

        def work(conn: sqlite3.Connection) -> str:
            return conn.execute(
                "SELECT export_id FROM sets WHERE chat_id = ?", (chat_id,)
            ).fetchone()[0]

        return await self.db.read(work)

    async def action_changes(self, chat_id: int) -> list[ActionChange]:
        """Every change of a set's actions' status, in the order they happened."""

        def work(conn: sqlite3.Connection) -> list[ActionChange]:
            found = conn.execute(
                "SELECT e.*, a.session_id FROM actions a"
                " JOIN action_events e ON e.action_id = a.id"
                " WHERE a.chat_id = ? ORDER BY e.id",
                (chat_id,),
            ).fetchall()
            return [_action_change(row) for row in found]

        return await self.db.read(work)
