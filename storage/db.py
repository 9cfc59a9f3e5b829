"""One aiosqlite connection, one-hop transactions, group commit, and migrations.

Each read or write transaction runs as a single function on aiosqlite's worker thread
(one round trip), because the hop to that thread, not the SQL, is what an update costs.
That reaches inside aiosqlite, in one small adapter (storage/aiosqlite_hop.py) that says
what it saves and is guarded by a test against every new aiosqlite version.

Writes that queue up while another commit is in flight (many groups at once) go to the
thread together and commit as one transaction, each inside its own savepoint: one write
that fails is undone alone, and every caller still awaits its own commit. Commits are
chained by a callback, not a lock and a leader task: the next group leaves the moment the
one in flight ends, whether or not the callers of either are still waiting.
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

from storage.aiosqlite_hop import submit
from storage.backup import create_private
from storage.faults import is_unreadable, unreadable

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
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk can)
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
                if not conn.in_transaction:
                    raise  # SQLite rolled back the whole group (a full disk can): all fail
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
    if hop.cancelled():  # nobody cancels it but a loop shutting down
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
        self._queued: list[_Write] = []
        self._in_flight: asyncio.Future[list] | None = None  # the group commit on the thread
        self.round_trips = 0

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database file and bring its schema up to date.

        Raises UnreadableDatabase when the file is not SQLite, corrupt, or cannot be opened.
        """
        create_private(path)
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            for pragma in PRAGMAS:
                await connection.execute(pragma)
            database = cls(connection)
            await database.migrate()
        except BaseException as error:
            await connection.close()  # its worker thread would otherwise keep the process alive
            if is_unreadable(error):
                raise unreadable(path, error) from error
            raise
        return database

    async def close(self) -> None:
        """Close the connection after every queued write has committed."""
        while self._in_flight is not None:
            await asyncio.wait([self._in_flight])
        await self.connection.close()

    def _submit(self, work: Work[T], *args: Any) -> asyncio.Future[T]:
        """Queue work(conn, *args) for aiosqlite's thread: one hop."""
        return submit(self.connection, lambda conn: work(conn, *args))

    async def read(self, work: Work[T], *args: Any) -> T:
        """Run work(conn, *args) on the database thread: one round trip."""
        self.round_trips += 1
        return await self._submit(work, *args)

    async def write(self, work: Work[T], *args: Any) -> T:
        """Run work(conn, *args) in a transaction on the database thread; return once committed.

        One round trip, shared with every write queued behind the commit in flight.
        """
        write = _Write(work, args)
        self._queued.append(write)
        if self._in_flight is None:
            self._commit_queued()
        return await write.done

    def _commit_queued(self) -> None:
        """Send the queued writes to the thread as one group commit."""
        batch, self._queued = self._queued, []
        self.round_trips += 1
        try:
            hop = self._submit(_in_group, [(w.work, w.args) for w in batch])
        except Exception as error:  # closed: nothing reached the thread
            for write in batch:
                if not write.done.done():
                    write.done.set_exception(error)
            return
        self._in_flight = hop
        hop.add_done_callback(lambda hop: self._committed(batch, hop))

    def _committed(self, batch: list[_Write], hop: asyncio.Future[list]) -> None:
        """Hand out a group commit's outcomes and send whatever queued up meanwhile."""
        self._in_flight = None
        _settle(batch, hop)
        if self._queued:
            self._commit_queued()

    async def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return await self.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])

    async def migrate(self) -> int:
        """Apply every migration newer than the file's version; return the new version."""
        return await self._submit(_migrate, migration_scripts())
