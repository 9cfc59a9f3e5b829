"""Repository methods for the inbox: the journal of updates fetched from Telegram."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import rows
from storage.db import Database

KEEP_DONE = timedelta(days=2)  # Telegram re-sends an unacknowledged update for 24 hours


@dataclass(frozen=True, slots=True)
class Journalled:
    """An update as stored in the inbox, not yet handled."""

    update_id: int
    body: str


def _journal(conn: sqlite3.Connection, updates: list[dict], now: datetime) -> list[Journalled]:
    """Store new updates; a known update_id is a re-delivery and is left out of the result."""
    stamp = rows.to_db(now)
    fresh: list[Journalled] = []
    for update in updates:
        body = json.dumps(update, ensure_ascii=False, separators=(",", ":"))
        inserted = conn.execute(
            "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)"
            " ON CONFLICT (update_id) DO NOTHING",
            (update["update_id"], body, stamp),
        )
        if inserted.rowcount:
            fresh.append(Journalled(update["update_id"], body))
    return fresh


def _settle(
    conn: sqlite3.Connection, done: Iterable[int], set_aside: Iterable[tuple[int, str]]
) -> None:
    """Mark handled updates done, and failed ones set aside with their error."""
    conn.executemany(
        "UPDATE inbox SET status = 'done' WHERE update_id = ? AND status = 'pending'",
        ((update_id,) for update_id in done),
    )
    conn.executemany(
        "UPDATE inbox SET status = 'set_aside', error = ? WHERE update_id = ?",
        ((error, update_id) for update_id, error in set_aside),
    )


class InboxStore:
    """Reads and writes of the inbox table."""

    db: Database

    async def journal(self, updates: list[dict], now: datetime) -> list[Journalled]:
        """Store a fetched batch in one commit; returns the updates not seen before."""
        return await self.db.write(_journal, updates, now)

    async def settle_updates(self, done: list[int], set_aside: list[tuple[int, str]]) -> None:
        """Mark handled updates done and failed ones set aside."""
        await self.db.write(_settle, done, set_aside)

    async def pending_updates(self) -> list[Journalled]:
        """Journalled updates not yet handled, in the order Telegram sent them."""

        def work(conn: sqlite3.Connection) -> list[Journalled]:
            found = conn.execute(
                "SELECT update_id, body FROM inbox WHERE status = 'pending' ORDER BY update_id"
            ).fetchall()
            return [Journalled(row["update_id"], row["body"]) for row in found]

        return await self.db.read(work)

    async def next_update_offset(self) -> int | None:
        """The getUpdates offset that acknowledges every journalled update, if any."""

        def work(conn: sqlite3.Connection) -> int | None:
            latest = conn.execute("SELECT max(update_id) FROM inbox").fetchone()[0]
            return latest + 1 if latest is not None else None

        return await self.db.read(work)

    async def prune_delivered(self, now: datetime) -> int:
        """Forget handled updates and sent messages older than Telegram could re-send; the newest
        update stays (it is the poller's offset). Returns how many rows went."""

        def work(conn: sqlite3.Connection) -> int:
            before = rows.to_db(now - KEEP_DONE)
            updates = conn.execute(
                "DELETE FROM inbox WHERE status != 'pending' AND received_at < ?"
                " AND update_id < (SELECT max(update_id) FROM inbox)",
                (before,),
            ).rowcount
            messages = conn.execute(
                "DELETE FROM outbox WHERE status != 'pending' AND created_at < ?", (before,)
            ).rowcount
            return updates + messages

        return await self.db.write(work)
