"""Repository method for the set's report (`/report`): the period's meetings and actions as plain
facts; flows/report.py computes the figures."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from flows.report import ActionFact, ReportData, SessionFact
from storage import rows
from storage.db import Database
from storage.log import LOGGED

CONTINUED = {"carried_on": "carried", "changed": "changed"}  # history's words -> the report's


class ReportStore:
    """Reads for the report."""

    db: Database

    async def report_data(self, chat_id: int, since: datetime) -> ReportData:
        """The set's meetings (logged sessions) and actions from `since` on."""

        def work(conn: sqlite3.Connection) -> ReportData:
            sessions = conn.execute(
                "SELECT s.started_at,"
                " (SELECT count(*) FROM scores WHERE session_id = s.id) AS score_count,"
                " (SELECT avg(score) FROM scores WHERE session_id = s.id) AS score_mean"
                f" FROM sessions s WHERE s.chat_id = ? AND {LOGGED} AND s.started_at >= ?"
                " ORDER BY s.started_at",
                (chat_id, rows.to_db(since)),
            ).fetchall()
            # Carried on or changed: the holder's own choice, as the action's history keeps it.
            actions = conn.execute(
                "SELECT a.id, a.created_at, a.closed_at, a.status, a.outcome,"
                " (SELECT e.change FROM action_events e WHERE e.action_id = a.id"
                "  AND e.change IN ('carried_on', 'changed') ORDER BY e.id LIMIT 1) AS continued"
                " FROM actions a WHERE a.chat_id = ? AND a.created_at >= ? ORDER BY a.id",
                (chat_id, rows.to_db(since)),
            ).fetchall()
            return ReportData(
                sessions=tuple(
                    SessionFact(
                        started_at=rows.from_db(r["started_at"]),
                        score_mean=r["score_mean"],
                        score_count=r["score_count"],
                    )
                    for r in sessions
                ),
                actions=tuple(
                    ActionFact(
                        created_at=rows.from_db(r["created_at"]),
                        closed_at=rows.from_db(r["closed_at"]) if r["status"] == "closed" else None,
                        outcome=r["outcome"] if r["status"] == "closed" else None,
                        continued=CONTINUED.get(r["continued"]),
                    )
                    for r in actions
                ),
            )

        return await self.db.read(work)
