"""storage/aiosqlite_hop.py reaches inside aiosqlite; this fails loudly on any version it was
not checked against, and proves the one-hop call still works on this one."""

from __future__ import annotations

import sqlite3

import aiosqlite

from storage.aiosqlite_hop import CHECKED_VERSIONS, installed_version, submit


def test_the_installed_aiosqlite_is_one_the_adapter_was_checked_against():
    assert installed_version() in CHECKED_VERSIONS, (
        f"aiosqlite {installed_version()} is new: read storage/aiosqlite_hop.py against its"
        " Connection (_tx, _conn, _running, _connection), run the tests and `make bench`,"
        " then add the version to CHECKED_VERSIONS"
    )


async def test_a_function_runs_on_the_connection_thread_in_one_hop(tmp_path):
    connection = await aiosqlite.connect(tmp_path / "hop.sqlite3")
    try:

        def work(conn: sqlite3.Connection) -> list[tuple]:
            conn.execute("CREATE TABLE t (x)")
            conn.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
            return conn.execute("SELECT sum(x) FROM t").fetchall()

        assert await submit(connection, work) == [(3,)]
    finally:
        await connection.close()
