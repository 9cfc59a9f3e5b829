"""One aiosqlite connection, one-hop transactions, group commit, and migrations.

Each read or write transaction runs as a single function on aiosqlite's worker thread
(one round trip), because the hop to that thread, not the SQL, is what an update costs.
That uses aiosqlite's `Connection._execute`, the queue every public method goes through;
the version is pinned in pyproject.toml and `tests/storage/test_db.py` guards it.

Writes that queue up while another commit is in flight (many groups at once) go to the
thread together and commit as one transaction, each inside its own savepoint: one write
that fails is undone alone, and every caller still awaits its own commit.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")
Work = Callable[..., T]

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def migration_scripts() -> list[tuple[int, str]]:
    """The ordered (version, sql) migrations shipped in storage/migrations."""
    folder = resources.files("storage") / "migrations"
    scripts = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(scripts)


def _in_transaction(conn: sqlite3.Connection, work: Work[T], args: tuple[Any, ...]) -> T:
    """Run work(conn, *args) between BEGIN IMMEDIATE and COMMIT, rolling back on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn, *args)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


@dataclass
class _Write:
    """A write waiting for its commit."""

    work: Work[Any]
    args: tuple[Any, ...]
    done: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def _in_group(conn: sqlite3.Connection, batch: list[tuple[Work[Any], tuple[Any, ...]]]) -> list:
    """Run several writes in one transaction, each in a savepoint; [(ok, result or error)]."""
    if len(batch) == 1:
        work, args = batch[0]
        try:
            return [(True, _in_transaction(conn, work, args))]
        except Exception as error:
            return [(False, error)]
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for work, args in batch:
            conn.execute("SAVEPOINT one_write")
            try:
                outcomes.append((True, work(conn, *args)))
            except Exception as error:
                conn.execute("ROLLBACK TO one_write")
                outcomes.append((False, error))
            conn.execute("RELEASE one_write")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _settle(writes: list[_Write], hop: asyncio.Future[list]) -> None:
    """Hand each write its own outcome (or the commit's failure to all of them)."""
    if hop.cancelled():  # only at shutdown, when every task is cancelled
        for write in writes:
            write.done.cancel()
        return
    failure = hop.exception()
    outcomes = [(False, failure)] * len(writes) if failure else hop.result()
    for write, (ok, value) in zip(writes, outcomes, strict=True):
        if write.done.done():  # its caller was cancelled; the write may have committed
            continue
        if ok:
            write.done.set_result(value)
        else:
            write.done.set_exception(value)


def _migrate(conn: sqlite3.Connection, scripts: list[tuple[int, str]]) -> int:
    """Apply scripts newer than the file's user_version, each in its own transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version, sql in scripts:
        if version > current:
            # executescript commits first, so the BEGIN/COMMIT live inside the script.
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version={version};\nCOMMIT;")
            current = version
    return current


class Database:
    """The bot's single SQLite connection."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self._write_lock = asyncio.Lock()
        self._queued: list[_Write] = []
        self.round_trips = 0

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database file and bring its schema up to date."""
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            for pragma in PRAGMAS:
                await connection.execute(pragma)
            database = cls(connection)
            await database.migrate()
        except BaseException:
            await connection.close()  # its worker thread would otherwise keep the process alive
            raise
        return database

    async def close(self) -> None:
        """Close the connection after any queued work."""
        async with self._write_lock:
            await self.connection.close()

    async def read(self, work: Work[T], *args: Any) -> T:
        """Run work(conn, *args) on the database thread: one round trip."""
        self.round_trips += 1
        return await self.connection._execute(work, self.connection._conn, *args)

    async def write(self, work: Work[T], *args: Any) -> T:
        """Run work(conn, *args) in a transaction on the database thread; return once committed.

        One round trip, shared with every write queued behind the commit in flight.
        """
        write = _Write(work, args)
        self._queued.append(write)
        async with self._write_lock:
            if self._queued:  # else an earlier leader took this write and it is in flight
                batch, self._queued = self._queued, []
                self.round_trips += 1
                hop = asyncio.ensure_future(
                    self.connection._execute(
                        _in_group, self.connection._conn, [(w.work, w.args) for w in batch]
                    )
                )
                hop.add_done_callback(lambda hop: _settle(batch, hop))
                await asyncio.wait([hop])  # not cancelled with this caller: others wait on it
        return await write.done

    async def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return await self.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])

    async def migrate(self) -> int:
        """Apply every migration newer than the file's version; return the new version."""
        async with self._write_lock:
            return await self.connection._execute(
                _migrate, self.connection._conn, migration_scripts()
            )
