"""Counterfactuals for the report: what a suggested change would save, measured, not guessed.

Each is a context manager that swaps one piece of the running bot inside the benchmark
process only (no project file changes) and puts it back afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def writes_on_loop_thread(database: Any, path: str) -> Iterator[None]:
    """Run the Database's reads and writes on the event loop's thread (no aiosqlite hop).

    A second sqlite3 connection to the same WAL file, opened with the app's pragmas; the
    round-trip counter still counts each call.
    """
    from storage.db import PRAGMAS, _in_transaction

    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        conn.execute(pragma)

    async def read(work, *args):
        database.round_trips += 1
        return work(conn, *args)

    async def write(work, *args):
        database.round_trips += 1
        return _in_transaction(conn, work, args)

    database.read, database.write = read, write
    try:
        yield
    finally:
        del database.read, database.write
        conn.close()
