"""The organisation digest's facts: one query over sets, members, sessions, actions and their
history; which sets count; migration 0015 keeps every scheduled row and lets a private chat's
digest row exist."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from storage.db import _migrate, migration_scripts
from storage.org_digest import DigestPlan
from storage.repository import Repository

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def seed(conn: sqlite3.Connection) -> None:
    """Set -1 (active, three members and one who left, two meetings in November, one in October;
    three actions closed in November: done and carried on, partly, dropped; one closed in
    October), set -2 (removed, a meeting in November), set -3 (removed, nothing in November)."""
    for chat, active in ((-1, 1), (-2, 0), (-3, 0)):
        conn.execute(
            "INSERT INTO sets (chat_id, title, active, goal_count, goal_unit, created_at,"
            " updated_at) VALUES (?, 'Night ward', ?, 2, 'month', '2026-01-01 00:00:00', '')",
            (chat, active),
        )
    for user, active in ((1, 1), (2, 1), (3, 1), (4, 0)):
        conn.execute(
            "INSERT INTO members (chat_id, user_id, name, active, joined_at)"
            " VALUES (-1, ?, 'Ann', ?, '')",
            (user, active),
        )
    for chat, closed in (
        (-1, "2026-10-20 10:00:00"),
        (-1, "2026-11-03 10:00:00"),
        (-1, "2026-11-17 10:00:00"),
        (-2, "2026-11-10 10:00:00"),
        (-3, "2026-09-10 10:00:00"),
    ):
        conn.execute(
            "INSERT INTO sessions (chat_id, exercise, phase, topic, started_at, updated_at,"
            " closed_at) VALUES (?, 'classic', 'closed', 'Night staff', ?, ?, ?)",
            (chat, closed, closed, closed),
        )
    for action_id, outcome, closed in (
        (1, "done", "2026-11-03 10:00:00"),
        (2, "partly", "2026-11-17 10:00:00"),
        (3, "dropped", "2026-11-17 10:00:00"),
        (4, "done", "2026-10-20 10:00:00"),
    ):
        conn.execute(
            "INSERT INTO actions (id, chat_id, holder_name, text, status, outcome, created_at,"
            " closed_at) VALUES (?, -1, 'Ann', 'Call', 'closed', ?, '2026-10-01 00:00:00', ?)",
            (action_id, outcome, closed),
        )
    conn.execute("INSERT INTO action_events (action_id, change) VALUES (1, 'carried_on')")
    conn.execute("INSERT INTO action_events (action_id, change) VALUES (4, 'carried_on')")


@pytest.fixture
async def repo(tmp_path):
    opened = await Repository.open(tmp_path / "bot.sqlite3")
    await opened.db.write(seed)
    yield opened
    await opened.close()


async def test_one_query_gives_each_sets_facts_for_the_period(repo):
    facts = {f.set_id: f for f in await repo.org_digest_facts(START, END)}
    ids = dict(
        await repo.db.read(lambda c: c.execute("SELECT chat_id, export_id FROM sets").fetchall())
    )
    assert set(facts) == {ids[-1], ids[-2]}  # -3 was removed and did nothing in the period
    active = facts[ids[-1]]
    assert (active.members, active.held, active.goal_count, active.goal_unit) == (3, 2, 2, "month")
    assert active.last_meeting_at == datetime(2026, 11, 17, 10, tzinfo=UTC)
    assert (active.closed, active.completed, active.carried) == (3, 2, 1)
    assert (facts[ids[-2]].held, facts[ids[-2]].members) == (1, 0)


async def test_a_meeting_after_the_period_is_not_the_last_meeting_of_it(repo):
    facts = await repo.org_digest_facts(START, datetime(2026, 11, 10, tzinfo=UTC))
    active = [f for f in facts if f.members == 3][0]
    assert active.held == 1 and active.last_meeting_at == datetime(2026, 11, 3, 10, tzinfo=UTC)


async def test_a_private_chats_digest_row_needs_no_set_and_stop_cancels_it(repo):
    plan = DigestPlan(chat_id=555, timezone="UTC", language="en")
    item, replaced = await repo.plan_digest(plan, END, NOW)
    again, replaced = await repo.plan_digest(plan, END, NOW)
    assert replaced == [item.id] and (await repo.get_scheduled(item.id)).status == "cancelled"
    assert await repo.digest_plan(555) == plan
    assert await repo.stop_digest(555, NOW) == (True, [again.id])
    assert await repo.digest_plan(555) is None and await repo.stop_digest(555, NOW) == (False, [])


def test_migration_0015_keeps_every_scheduled_row(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    _migrate(conn, [script for script in migration_scripts() if script[0] < 15])
    conn.execute(
        "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (-1, '', '', '')"
    )
    conn.execute(
        "INSERT INTO scheduled (id, chat_id, kind, due_at, status, attempts, created_at,"
        " updated_at) VALUES (7, -1, 'reminder', '2026-12-01 09:00:00', 'pending', 2, 'c', 'u')"
    )
    _migrate(conn, migration_scripts())
    assert conn.execute("SELECT * FROM scheduled").fetchall() == [
        (7, -1, None, "reminder", None, None, "2026-12-01 09:00:00", "pending", 2, "c", "u")
    ]
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'scheduled' AND type = 'index'"
        )
    }
    assert indexes == {"scheduled_pending", "scheduled_by_chat", "scheduled_pending_by_session"}
    conn.execute(
        "INSERT INTO scheduled (chat_id, kind, due_at, created_at, updated_at)"
        " VALUES (555, 'org_digest', '2026-12-01 09:00:00', '', '')"
    )  # a private chat: no set, no foreign key error
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
