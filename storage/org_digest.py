"""Repository methods for the organisation digest (`/digest`): every set's facts for a period in
one aggregate query (counts and moments, no words), and the staff members' monthly digests.

Which sets count: every set the bot is in, and a set it was removed from only if it held a
meeting or closed an action in the period (its history counts; a set long gone is not "quiet").
Private chats are not sets (sets are group chats only), so they never appear.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from flows.org_digest import SetFacts
from storage import rows
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox
from storage.scheduled import (
    Scheduled,
    ScheduledKind,
    ScheduledStatus,
    insert_scheduled,
    set_scheduled_status,
)

FACTS = """
WITH
    held AS (SELECT chat_id, sum(closed_at >= :start) AS held, max(closed_at) AS last_at
             FROM sessions WHERE closed_at IS NOT NULL AND closed_at < :end GROUP BY chat_id),
    settled AS (SELECT a.chat_id, count(*) AS closed,
                       sum(a.outcome IN ('done', 'partly')) AS completed,
                       sum(EXISTS (SELECT 1 FROM action_events e WHERE e.action_id = a.id
                                   AND e.change = 'carried_on')) AS carried
                FROM actions a WHERE a.status = 'closed' AND a.closed_at >= :start
                AND a.closed_at < :end GROUP BY a.chat_id),
    people AS (SELECT chat_id, count(*) AS members FROM members WHERE active = 1
               GROUP BY chat_id)
SELECT s.export_id, s.created_at, s.goal_count, s.goal_unit, coalesce(p.members, 0) AS members,
       coalesce(h.held, 0) AS held, h.last_at, coalesce(c.closed, 0) AS closed,
       coalesce(c.completed, 0) AS completed, coalesce(c.carried, 0) AS carried
FROM sets s
LEFT JOIN held h ON h.chat_id = s.chat_id
LEFT JOIN settled c ON c.chat_id = s.chat_id
LEFT JOIN people p ON p.chat_id = s.chat_id
WHERE s.created_at < :end AND (s.active = 1 OR coalesce(h.held, 0) + coalesce(c.closed, 0) > 0)
ORDER BY s.export_id
"""


@dataclass(frozen=True, slots=True)
class DigestPlan:
    """A staff member's monthly digest: in which zone its month is counted, in which language."""

    chat_id: int
    timezone: str
    language: str


def _cancel_pending(conn: sqlite3.Connection, chat_id: int, now: datetime) -> list[int]:
    """Cancel the chat's pending digest rows; their ids (to disarm)."""
    found = conn.execute(
        "UPDATE scheduled SET status = 'cancelled', updated_at = ?"
        " WHERE chat_id = ? AND kind = ? AND status = 'pending' RETURNING id",
        (rows.to_db(now), chat_id, ScheduledKind.ORG_DIGEST.value),
    ).fetchall()
    return [row[0] for row in found]


def _digest_row(
    conn: sqlite3.Connection, chat_id: int, due_at: datetime, now: datetime
) -> Scheduled:
    """A pending digest row in a staff member's private chat."""
    return insert_scheduled(
        conn, chat_id=chat_id, thread_id=None, kind=ScheduledKind.ORG_DIGEST, due_at=due_at, now=now
    )


class OrgDigestStore:
    """Reads and writes of the organisation digest."""

    db: Database

    async def org_digest_facts(self, start: datetime, end: datetime) -> list[SetFacts]:
        """Every set's facts for [start, end), in one query."""

        def work(conn: sqlite3.Connection) -> list[SetFacts]:
            found = conn.execute(
                FACTS, {"start": rows.to_db(start), "end": rows.to_db(end)}
            ).fetchall()
            return [
                SetFacts(
                    set_id=r["export_id"],
                    members=r["members"],
                    created_at=rows.from_db(r["created_at"]),
                    goal_count=r["goal_count"],
                    goal_unit=r["goal_unit"],
                    held=r["held"],
                    last_meeting_at=rows.from_db(r["last_at"]),
                    closed=r["closed"],
                    completed=r["completed"],
                    carried=r["carried"],
                )
                for r in found
            ]

        return await self.db.read(work)

    async def digest_plan(self, chat_id: int) -> DigestPlan | None:
        """The staff member's monthly digest, if they asked for one."""

        def work(conn: sqlite3.Connection) -> DigestPlan | None:
            row = conn.execute(
                "SELECT chat_id, timezone, language FROM org_digests WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            return DigestPlan(row[0], row[1], row[2]) if row else None

        return await self.db.read(work)

    async def plan_digest(
        self, plan: DigestPlan, due_at: datetime, now: datetime
    ) -> tuple[Scheduled, list[int]]:
        """Store a monthly digest and its first row (replacing any earlier one) in one
        transaction; the new row and the ids of the rows it replaced."""

        def work(conn: sqlite3.Connection) -> tuple[Scheduled, list[int]]:
            conn.execute(
                "INSERT INTO org_digests (chat_id, timezone, language, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET"
                " timezone = excluded.timezone, language = excluded.language",
                (plan.chat_id, plan.timezone, plan.language, rows.to_db(now)),
            )
            cancelled = _cancel_pending(conn, plan.chat_id, now)
            return _digest_row(conn, plan.chat_id, due_at, now), cancelled

        return await self.db.write(work)

    async def stop_digest(self, chat_id: int, now: datetime) -> tuple[bool, list[int]]:
        """Forget the staff member's monthly digest: whether there was one, and the ids of the
        rows cancelled."""

        def work(conn: sqlite3.Connection) -> tuple[bool, list[int]]:
            gone = conn.execute("DELETE FROM org_digests WHERE chat_id = ?", (chat_id,)).rowcount
            return bool(gone), _cancel_pending(conn, chat_id, now)

        return await self.db.write(work)

    async def roll_digest(
        self, item: Scheduled, next_due: datetime | None, now: datetime, outgoing: list[Outgoing]
    ) -> tuple[Scheduled | None, list[Outgoing]] | None:
        """The digest row fired: mark it sent, store its messages and next month's row, in one
        transaction; None (and nothing stored) if it was no longer pending. Without `next_due`
        the monthly digest ends (the person is no longer staff)."""

        def work(conn: sqlite3.Connection) -> tuple[Scheduled | None, list[Outgoing]] | None:
            status = ScheduledStatus.SENT if next_due is not None else ScheduledStatus.CANCELLED
            if set_scheduled_status(conn, item.id, status, now) is None:
                return None
            if next_due is None:
                conn.execute("DELETE FROM org_digests WHERE chat_id = ?", (item.chat_id,))
                return None, []
            following = _digest_row(conn, item.chat_id, next_due, now)
            stored = insert_outbox(conn, item.chat_id, None, outgoing, now, scheduled_id=item.id)
            return following, stored

        return await self.db.write(work)
