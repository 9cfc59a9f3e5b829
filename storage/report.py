"""Repository method for the set's report (`/report`): the period's meetings and actions as plain
facts; flows/report.py computes the figures."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from flows.report import ActionFact, ReportData, SessionFact
from storage import rows
from storage.db import Database
from storage.log import LOGGED


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
            actions = conn.execute(
                "SELECT id, previous_id, text, created_at, closed_at, status, outcome"
                " FROM actions WHERE chat_id = ? AND created_at >= ? ORDER BY id",
                (chat_id, rows.to_db(since)),
            ).fetchall()
            # Carried on: the next action has its words; changed: other words. (The next one is
            # always newer, so it is among these rows; actions.previous_id has no index.)
            texts = {r["id"]: r["text"] for r in actions}
            continued: dict[int, str] = {}
            for r in actions:
                before = r["previous_id"]
                if before in texts and before not in continued:
                    continued[before] = "carried" if texts[before] == r["text"] else "changed"
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
                        continued=continued.get(r["id"]),
                    )
                    for r in actions
                ),
            )

        return await self.db.read(work)
