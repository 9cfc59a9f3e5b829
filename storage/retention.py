"""Repository methods for retention: what each set still keeps, and the daily erasure."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from flows.retention import KeptWords, Sweep
from storage import rows
from storage.db import Database
from storage.erasure import SESSION_WORDS, erase_contributions, erase_session_words
from storage.outbox import Outgoing, insert_outbox

# Words still kept: a closed session's or a closed action's, not erased yet (see the indexes
# of migration 0007). `{since}` narrows them to those that ended at or after a moment.
KEPT_SESSIONS = (
    "SELECT min(closed_at) FROM sessions WHERE chat_id = s.chat_id"
    " AND closed_at IS NOT NULL AND words_erased_at IS NULL{since}"
)
KEPT_ACTIONS = (
    "SELECT min(closed_at) FROM actions WHERE chat_id = s.chat_id"
    " AND status = 'closed' AND words_erased_at IS NULL{since}"
)
UNTOLD = " AND closed_at >= coalesce(s.retention_told_until, '')"


def _earliest(*texts: str | None) -> datetime | None:
    """The earliest of some stored moments, if any."""
    moments = [rows.from_db(text) for text in texts if text]
    return min(moments) if moments else None


def _kept(row: sqlite3.Row) -> KeptWords:
    return KeptWords(
        chat_id=row["chat_id"],
        months=row["months"],
        active=bool(row["active"]),
        oldest=_earliest(row["oldest_session"], row["oldest_action"]),
        oldest_untold=_earliest(row["untold_session"], row["untold_action"]),
        told_until=rows.from_db(row["retention_told_until"]),
        told_at=rows.from_db(row["retention_told_at"]),
        erasable_until=rows.from_db(row["retention_erasable_until"]),
    )


class RetentionStore:
    """The retention sweep's reads and its one write per set."""

    db: Database

    async def words_kept(self, default_months: int) -> list[KeptWords]:
        """Every set that erases words, with the age of its oldest kept words and its notices."""

        def work(conn: sqlite3.Connection) -> list[KeptWords]:
            found = conn.execute(
                "SELECT s.chat_id, s.active, s.retention_told_until, s.retention_told_at,"
                " s.retention_erasable_until, coalesce(s.retention_months, ?) AS months,"
                f" ({KEPT_SESSIONS.format(since='')}) AS oldest_session,"
                f" ({KEPT_SESSIONS.format(since=UNTOLD)}) AS untold_session,"
                f" ({KEPT_ACTIONS.format(since='')}) AS oldest_action,"
                f" ({KEPT_ACTIONS.format(since=UNTOLD)}) AS untold_action"
                " FROM sets s WHERE coalesce(s.retention_months, ?) > 0 ORDER BY s.chat_id",
                (default_months, default_months),
            ).fetchall()
            return [_kept(row) for row in found]

        return await self.db.read(work)

    async def sweep_words(
        self,
        kept: KeptWords,
        sweep: Sweep,
        default_months: int,
        now: datetime,
        outgoing: list[Outgoing] = (),
    ) -> list[Outgoing] | None:
        """Carry out one set's sweep in one transaction: erase, store what the set was told and
        its notice. None (and nothing stored) if the set changed since `kept` was read: its
        retention, whether the bot is in the group, or its notices (another sweep ran)."""
        chat_id = kept.chat_id

        def work(conn: sqlite3.Connection) -> list[Outgoing] | None:
            current = conn.execute(
                "UPDATE sets SET retention_told_until = ?, retention_told_at = ?,"
                " retention_erasable_until = ? WHERE chat_id = ?"
                " AND coalesce(retention_months, ?) = ? AND active = ? AND retention_told_at IS ?"
                " RETURNING thread_id",
                (
                    rows.to_db(sweep.told_until),
                    rows.to_db(sweep.told_at),
                    rows.to_db(sweep.erasable_until),
                    chat_id,
                    default_months,
                    kept.months,
                    int(kept.active),
                    rows.to_db(kept.told_at),
                ),
            ).fetchone()
            if current is None:
                return None
            if sweep.erase_before is not None:
                _erase_before(conn, chat_id, rows.to_db(sweep.erase_before), rows.to_db(now))
            return insert_outbox(conn, chat_id, current["thread_id"], list(outgoing), now)

        return await self.db.write(work)

    async def last_sweep(self, name: str) -> datetime | None:
        """When a daily sweep last ran to its end, if ever."""

        def work(conn: sqlite3.Connection) -> datetime | None:
            row = conn.execute("SELECT last_run_at FROM sweeps WHERE name = ?", (name,)).fetchone()
            return rows.from_db(row["last_run_at"]) if row else None

        return await self.db.read(work)

    async def sweep_done(self, name: str, now: datetime) -> None:
        """Store that a daily sweep ran to its end."""
        await self.db.write(
            lambda conn: conn.execute(
                "INSERT INTO sweeps (name, last_run_at) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at",
                (name, rows.to_db(now)),
            )
        )


def _erase_before(conn: sqlite3.Connection, chat_id: int, before: str, now: str) -> None:
    """Erase a set's words that ended before a moment; the rows stay, marked erased."""
    ended = "chat_id = ? AND closed_at < ? AND words_erased_at IS NULL"
    erase_contributions(
        conn, f"session_id IN (SELECT id FROM sessions WHERE {ended})", (chat_id, before)
    )
    erase_session_words(
        conn, ended, (now, chat_id, before), paths=SESSION_WORDS, assign=", words_erased_at = ?"
    )
    conn.execute(
        "UPDATE actions SET text = '', success_sign = NULL, help_needed = NULL, learning = NULL,"
        f" words_erased_at = ? WHERE status = 'closed' AND {ended}",
        (now, chat_id, before),
    )
