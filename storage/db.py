"""One aiosqlite connection, one-hop transactions, and migrations by `user_version`.

Each read or write transaction runs as a single function on aiosqlite's worker thread
(one round trip), because the hop to that thread, not the SQL, is what an update costs.
That uses aiosqlite's `Connection._execute`, the queue every public method goes through;
the version is pinned in pyproject.toml and `tests/storage/test_db.py` guards it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
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
        """Run work(conn, *args) as one transaction on the database thread: one round trip."""
        async with self._write_lock:
            self.round_trips += 1
            return await self.connection._execute(
                _in_transaction, self.connection._conn, work, args
            )

    async def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return await self.read(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])

    async def migrate(self) -> int:
        """Apply every migration newer than the file's version; return the new version."""
        async with self._write_lock:
            return await self.connection._execute(
                _migrate, self.connection._conn, migration_scripts()
            )
