"""The database file: pragmas, migrations, one-hop transactions."""

import asyncio
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


def _insert_set(chat_id: int, title: str = "x"):
    def work(conn):
        conn.execute(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (?, ?, '', '')",
            (chat_id, title),
        )
        return chat_id

    return work


async def _count_sets(db: Database) -> int:
    return await db.read(lambda c: c.execute("SELECT count(*) FROM sets").fetchone()[0])


async def test_writes_queued_behind_a_commit_share_the_next_round_trip(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    before = db.round_trips
    results = await asyncio.gather(*(db.write(_insert_set(-n)) for n in range(1, 11)))
    assert results == [-n for n in range(1, 11)]
    assert db.round_trips == before + 2  # the first alone, the nine queued behind it together
    assert await _count_sets(db) == 10
    await db.close()


async def test_a_failing_write_in_a_group_is_undone_alone(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")

    def half_then_fail(conn):
        _insert_set(-50)(conn)
        _insert_set(-1)(conn)  # -1 is taken by the first write: the whole write is undone

    outcomes = await asyncio.gather(
        db.write(_insert_set(-1)),
        db.write(_insert_set(-2)),
        db.write(half_then_fail),
        db.write(_insert_set(-3)),
        return_exceptions=True,
    )
    assert outcomes[:2] == [-1, -2] and outcomes[3] == -3
    assert isinstance(outcomes[2], sqlite3.IntegrityError)
    chats = await db.read(lambda c: sorted(r[0] for r in c.execute("SELECT chat_id FROM sets")))
    assert chats == [-3, -2, -1]
    await db.close()


async def test_a_broken_group_commit_fails_every_write_in_it(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")

    def end_the_transaction(conn):
        conn.execute("ROLLBACK")

    first = asyncio.ensure_future(db.write(_insert_set(-1)))
    group = [db.write(_insert_set(-2)), db.write(end_the_transaction), db.write(_insert_set(-3))]
    outcomes = await asyncio.gather(*group, return_exceptions=True)
    assert await first == -1
    assert all(isinstance(o, sqlite3.OperationalError) for o in outcomes)
    assert await _count_sets(db) == 1
    await db.write(_insert_set(-4))  # the connection is usable afterwards
    assert await _count_sets(db) == 2
    await db.close()


async def test_a_leader_cancelled_mid_commit_does_not_strand_the_writes_it_took(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    first = asyncio.ensure_future(db.write(_insert_set(-1)))
    await asyncio.sleep(0)  # the first write's hop is in flight
    leader = asyncio.ensure_future(db.write(_insert_set(-2)))
    follower = asyncio.ensure_future(db.write(_insert_set(-3)))
    assert await first == -1
    assert not db._queued  # the leader has taken both writes to the database thread
    leader.cancel()
    assert await asyncio.wait_for(follower, timeout=10) == -3  # a stranded write would hang
    assert leader.cancelled()
    assert await _count_sets(db) == 3  # the cancelled caller's write committed all the same
    await db.close()


async def test_close_waits_for_queued_writes_and_a_later_write_fails_cleanly(tmp_path):
    db = await Database.open(tmp_path / "a.sqlite3")
    writes = [asyncio.ensure_future(db.write(_insert_set(-n))) for n in range(1, 4)]
    await asyncio.sleep(0)  # the first is in flight, the other two queued behind it
    await db.close()
    assert [await write for write in writes] == [-1, -2, -3]
    with pytest.raises(ValueError, match="closed"):
        await asyncio.wait_for(db.write(_insert_set(-9)), timeout=10)  # not a hang
