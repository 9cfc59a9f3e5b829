"""The database file: pragmas, migrations, one-hop transactions."""

import sqlite3

import pytest

from storage.db import Database, migration_scripts


async def test_migrates_from_empty_and_records_the_version(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    latest = migration_scripts()[-1][0]
    assert await db.schema_version() == latest
    tables = await db.read(
        lambda c: {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    )
    assert {"sets", "members", "sessions", "contributions", "actions", "scheduled"} <= tables
    await db.close()


async def test_reopening_does_not_reapply_migrations(tmp_path):
    path = tmp_path / "a.sqlite3"
    db = await Database.open(path)
    await db.write(
        lambda c: c.execute(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (-1, 'x', '', '')"
        )
    )
    await db.close()
    again = await Database.open(path)
    assert await again.migrate() == migration_scripts()[-1][0]
    count = await again.read(lambda c: c.execute("SELECT count(*) FROM sets").fetchone()[0])
    assert count == 1
    await again.close()


async def test_pragmas_are_set(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")

    def pragmas(conn):
        return {
            name: conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }

    assert await db.read(pragmas) == {
        "journal_mode": "wal",
        "synchronous": 1,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    await db.close()


async def test_write_is_one_round_trip_and_all_or_nothing(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    before = db.round_trips

    def two_inserts_then_fail(conn):
        conn.execute(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (-1, 'a', '', '')"
        )
        conn.execute(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (-1, 'b', '', '')"
        )

    with pytest.raises(sqlite3.IntegrityError):
        await db.write(two_inserts_then_fail)
    assert db.round_trips == before + 1
    assert await db.read(lambda c: c.execute("SELECT count(*) FROM sets").fetchone()[0]) == 0
    await db.close()


async def test_a_failed_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "a.sqlite3"
    good = migration_scripts()
    broken = [*good, (good[-1][0] + 1, "CREATE TABLE extra (x);\nTHIS IS NOT SQL;")]
    monkeypatch.setattr("storage.db.migration_scripts", lambda: broken)
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(path)
    monkeypatch.setattr("storage.db.migration_scripts", lambda: good)
    db = await Database.open(path)
    assert await db.schema_version() == good[-1][0]
    tables = await db.read(
        lambda c: [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE name='extra'")]
    )
    assert tables == []
    await db.close()
