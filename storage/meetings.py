"""Repository methods for a set's meetings: the rule, the next meeting, its scheduled rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flows.meetings import MeetingPlan
from flows.models import ChatSet
from storage import rows
from storage.changes import Change, SetWritten
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox
from storage.scheduled import (
    Scheduled,
    ScheduledKind,
    ScheduledStatus,
    insert_scheduled,
    set_scheduled_status,
)

MEETING_KINDS = (ScheduledKind.REMINDER.value, ScheduledKind.FOLLOW_UP.value)


@dataclass
class Rearm:
    """Rows to arm and rows whose jobs to remove after a meeting change."""

    armed: list[Scheduled] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)  # messages to send


def _cancel_meeting_rows(conn: sqlite3.Connection, chat_id: int, now: datetime) -> list[int]:
    found = conn.execute(
        "UPDATE scheduled SET status = 'cancelled', updated_at = ?"
        " WHERE chat_id = ? AND status = 'pending' AND kind IN (?, ?) RETURNING id",
        (rows.to_db(now), chat_id, *MEETING_KINDS),
    ).fetchall()
    return [row["id"] for row in found]


def _plan_rows(
    conn: sqlite3.Connection, chat: ChatSet, plan: MeetingPlan | None, now: datetime
) -> list[Scheduled]:
    """Insert the follow-up and reminder rows of a planned meeting."""
    if plan is None:
        return []
    kinds = [(ScheduledKind.FOLLOW_UP, plan.meeting_at)]
    if plan.reminder_at is not None:
        kinds.insert(0, (ScheduledKind.REMINDER, plan.reminder_at))
    return [
        insert_scheduled(
            conn, chat_id=chat.chat_id, thread_id=chat.thread_id, kind=kind, due_at=due, now=now
        )
        for kind, due in kinds
    ]


class MeetingStore:
    """Writes that change when a set meets next; each keeps rows and set in one transaction."""

    db: Database
    _changed: Callable[[Change], None]  # the Repository's one cache coordinator

    async def set_meeting(
        self,
        chat_id: int,
        *,
        rule_json: str | None,
        plan: MeetingPlan | None,
        thread_id: int | None,
        now: datetime,
    ) -> Rearm:
        """Replace the set's rule and next meeting (None: no meetings) and their rows."""

        def work(conn: sqlite3.Connection) -> tuple[ChatSet, Rearm]:
            rearm = Rearm(cancelled=_cancel_meeting_rows(conn, chat_id, now))
            meeting_at = rows.to_db(plan.meeting_at) if plan else None
            conn.execute(
                "UPDATE sets SET meeting_rule = ?, next_meeting_at = ?, thread_id = ?,"
                " updated_at = ? WHERE chat_id = ?",
                (rule_json, meeting_at, thread_id, rows.to_db(now), chat_id),
            )
            # Actions not yet asked about are due at the next meeting, wherever it moves.
            conn.execute(
                "UPDATE actions SET due_at = ? WHERE chat_id = ? AND status = 'open'"
                " AND stage = 'not_asked'",
                (meeting_at, chat_id),
            )
            chat = rows.chat_set(
                conn.execute("SELECT * FROM sets WHERE chat_id = ?", (chat_id,)).fetchone()
            )
            rearm.armed = _plan_rows(conn, chat, plan, now)
            return chat, rearm

        chat, rearm = await self.db.write(work)
        self._changed(SetWritten(chat))
        return rearm

    async def roll_meeting(
        self,
        fired: Scheduled,
        status: ScheduledStatus,
        plan: MeetingPlan | None,
        now: datetime,
        outgoing: list[Outgoing] = (),
    ) -> Rearm | None:
        """Mark a fired follow-up row with the messages it decided and plan the next meeting,
        in one transaction; None (and nothing stored) if it was not pending."""

        def work(conn: sqlite3.Connection) -> tuple[ChatSet, Rearm] | None:
            if set_scheduled_status(conn, fired.id, status, now) is None:
                return None
            thread_id = fired.thread_id
            sent = insert_outbox(
                conn, fired.chat_id, thread_id, list(outgoing), now, scheduled_id=fired.id
            )
            rearm = Rearm(cancelled=_cancel_meeting_rows(conn, fired.chat_id, now))
            conn.execute(
                "UPDATE sets SET next_meeting_at = ?, updated_at = ? WHERE chat_id = ?",
                (rows.to_db(plan.meeting_at) if plan else None, rows.to_db(now), fired.chat_id),
            )
            chat = rows.chat_set(
                conn.execute("SELECT * FROM sets WHERE chat_id = ?", (fired.chat_id,)).fetchone()
            )
            rearm.armed = _plan_rows(conn, chat, plan, now)
            rearm.outgoing = sent
            return chat, rearm

        done = await self.db.write(work)
        if done is None:
            return None
        chat, rearm = done
        self._changed(SetWritten(chat))
        return rearm
