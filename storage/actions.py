"""Repository methods for committed actions."""

from __future__ import annotations

import sqlite3

from storage.db import Database


class ActionStore:
    """Reads of the actions table."""

    db: Database

    async def count_open_actions(self, chat_id: int) -> int:
        """How many actions of a set are still open."""

        def work(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "SELECT count(*) FROM actions WHERE chat_id = ? AND status = 'open'", (chat_id,)
            ).fetchone()[0]

        return await self.db.read(work)
