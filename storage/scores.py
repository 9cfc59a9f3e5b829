"""Repository methods for the members' scores of a session ("how did we do, 1 to 10")."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage import rows
from storage.db import Database


@dataclass(frozen=True, slots=True)
class Scores:
    """A session's scores in short: how many members gave one, and their mean."""

    count: int
    mean: float


class ScoreStore:
    """Reads and writes of the scores table."""

    db: Database

    async def record_score(
        self, chat_id: int, session_id: int, user_id: int, score: int, now: datetime
    ) -> bool:
        """Keep a member's score of a closed session of this chat (a new one replaces theirs);
        False when the session is not this chat's or is still running."""

        def work(conn: sqlite3.Connection) -> bool:
            kept = conn.execute(
                "INSERT INTO scores (session_id, user_id, score, scored_at)"
                " SELECT id, ?, ?, ? FROM sessions"
                " WHERE id = ? AND chat_id = ? AND closed_at IS NOT NULL"
                " ON CONFLICT (session_id, user_id)"
                " DO UPDATE SET score = excluded.score, scored_at = excluded.scored_at",
                (user_id, score, rows.to_db(now), session_id, chat_id),
            )
            return kept.rowcount > 0

        return await self.db.write(work)

    async def scores_of(self, session_ids: list[int]) -> dict[int, Scores]:
        """The scores of these sessions (those with none are left out)."""
        if not session_ids:
            return {}

        def work(conn: sqlite3.Connection) -> dict[int, Scores]:
            marks = ", ".join("?" * len(session_ids))
            found = conn.execute(
                f"SELECT session_id, count(*), avg(score) FROM scores"
                f" WHERE session_id IN ({marks}) GROUP BY session_id",
                session_ids,
            ).fetchall()
            return {row[0]: Scores(row[1], row[2]) for row in found}

        return await self.db.read(work)
