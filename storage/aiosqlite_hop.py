"""The one place that reaches inside aiosqlite: run a function on its worker thread.

aiosqlite has no public way to run a whole transaction as one call on its thread: through its
public methods each statement is its own hop (BEGIN, every statement, COMMIT). A hop costs
about 160 µs here and a question's save needs four statements, so the private queue saves
about 0.5 ms per write (`make bench anatomy`: 159 µs per empty round trip; save_session 285 µs
as one hop against roughly 6 x 160 µs through the public API), and lets many groups' writes
commit as one transaction. `tests/storage/test_aiosqlite_hop.py` fails on any aiosqlite
version this was not checked against, so an upgrade is a decision, not a surprise.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from importlib.metadata import version
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")
CHECKED_VERSIONS = ("0.20.0", "0.21.0", "0.22.0", "0.22.1")


def submit(connection: aiosqlite.Connection, work: Callable[..., T]) -> asyncio.Future[T]:
    """Queue work(sqlite3_connection) on the connection's thread, as `Connection._execute`
    does, without a coroutine around the future (a group commit is settled by a callback)."""
    if not connection._running or not connection._connection:
        raise ValueError("Connection closed")
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    raw = connection._conn
    connection._tx.put_nowait((future, lambda: work(raw)))
    return future


def installed_version() -> str:
    """The aiosqlite version installed."""
    return version("aiosqlite")
