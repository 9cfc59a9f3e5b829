"""The actions' history: migration 0014 back-fills it from the rows in the order it happened,
answers append to it in their own transaction, and a set's export id stays put."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from flows.action_changes import ChangeKind
from flows.follow_up import ActionOutcome, Decision, decide, record_learning, record_outcome
from storage.db import _migrate, migration_scripts
from storage.repository import Repository
from tests.storage.test_query_plans import unused_keys

CHAT, OTHER = -100, -200
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
EVENTS = "SELECT action_id, change, outcome, linked_action_id, at FROM action_events ORDER BY id"


def at(day_and_time: str) -> str:
    """A stored moment of March 2026, '03-08 09:10' → '2026-03-08 09:10:00'."""
    return f"2026-{day_and_time}:00"


def before_0014(path) -> sqlite3.Connection:
    """A database file at the schema just before migration 0014."""
    conn = sqlite3.connect(path, isolation_level=None)
    _migrate(conn, [script for script in migration_scripts() if script[0] < 14])
    return conn


def old_history(conn: sqlite3.Connection) -> None:
    """Actions as the bot left them before 0014: a chain carried on, one changed, one closed."""
    for chat in (CHAT, OTHER):
        conn.execute(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (?, 'A', '', '')",
            (chat,),
        )
    conn.execute(
        "INSERT INTO scheduled (id, chat_id, kind, due_at, status, created_at, updated_at)"
        " VALUES (40, ?, 'follow_up', '2026-03-08 09:00:00', 'sent', '', '2026-03-08 09:00:00')",
        (CHAT,),
    )
    actions = [
        # id, text, status, stage, outcome, previous, asked_by, created, closed
        (1, "Call", "closed", "closed", "partly", None, 40, at("03-01 09:00"), at("03-08 09:10")),
        (2, "Call", "open", "ask_outcome", None, 1, None, at("03-08 09:10"), None),
        (3, "Ask", "closed", "closed", "done", None, 40, at("03-01 09:05"), at("03-08 09:20")),
        (4, "Ask Bo", "open", "not_asked", None, 3, None, at("03-08 09:20"), None),
        (5, "Map", "closed", "closed", "dropped", None, None, at("03-01 09:06"), at("03-08 09:30")),
    ]
    conn.executemany(
        "INSERT INTO actions (id, chat_id, holder_id, holder_name, text, status, stage, outcome,"
        " previous_id, asked_by, created_at, closed_at) VALUES (?, ?, 9, 'Ann', ?, ?, ?, ?, ?, ?,"
        " ?, ?)",
        [(a[0], CHAT, *a[1:]) for a in actions],
    )
    # The question that asked action 2 is still in the outbox (kept two days).
    conn.execute(
        "INSERT INTO outbox (chat_id, op, text, purpose, ref, status, created_at)"
        " VALUES (?, 'send', 'What happened?', 'follow_up', 2, 'sent', '2026-03-15 09:00:00')",
        (CHAT,),
    )


async def test_the_migration_back_fills_the_history_in_the_order_it_happened(tmp_path):
    path = tmp_path / "bot.sqlite3"
    conn = before_0014(path)
    old_history(conn)
    _migrate(conn, migration_scripts())
    assert conn.execute(EVENTS).fetchall() == [
        (1, "committed", None, None, "2026-03-01 09:00:00"),
        (3, "committed", None, None, "2026-03-01 09:05:00"),
        (5, "committed", None, None, "2026-03-01 09:06:00"),
        (1, "asked", None, None, "2026-03-08 09:00:00"),  # the meeting's timer asked it
        (3, "asked", None, None, "2026-03-08 09:00:00"),
        (1, "answered", "partly", None, None),  # when was never stored
        (1, "carried_on", "partly", 2, "2026-03-08 09:10:00"),  # the same words again
        (2, "committed", None, 1, "2026-03-08 09:10:00"),
        (3, "answered", "done", None, None),
        (3, "changed", "done", 4, "2026-03-08 09:20:00"),  # other words
        (4, "committed", None, 3, "2026-03-08 09:20:00"),
        (5, "answered", "dropped", None, None),
        (5, "closed", "dropped", None, "2026-03-08 09:30:00"),
        (2, "asked", None, None, "2026-03-15 09:00:00"),  # its question, still in the outbox
    ]
    ids = [row[0] for row in conn.execute("SELECT export_id FROM sets ORDER BY chat_id")]
    assert len(set(ids)) == 2 and all(len(i) == 16 and int(i, 16) >= 0 for i in ids)
    conn.close()


async def test_a_sets_export_id_is_made_once_and_survives_the_supergroup_move(tmp_path):
    repo = await Repository.open(tmp_path / "bot.sqlite3")
    try:
        await repo.ensure_set(CHAT, "Set A", None, NOW)
        first = await repo.set_export_id(CHAT)
        await repo.ensure_set(CHAT, "Set A renamed", None, NOW)  # the upsert keeps it
        assert await repo.set_export_id(CHAT) == first
        await repo.ensure_set(OTHER, "Set B", None, NOW)
        assert await repo.set_export_id(OTHER) != first
        assert str(-CHAT) not in first
        assert await repo.migrate_chat(CHAT, -1009, NOW)
        assert await repo.set_export_id(-1009) == first
    finally:
        await repo.close()


async def test_answers_append_their_changes_once_with_the_next_action_linked(tmp_path):
    path = tmp_path / "bot.sqlite3"
    conn = before_0014(path)
    conn.execute(
        "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (?, 'A', '', '')", (CHAT,)
    )
    conn.execute(
        "INSERT INTO actions (id, chat_id, holder_id, holder_name, text, stage, created_at)"
        " VALUES (1, ?, 9, 'Ann', 'Call', 'ask_outcome', '2026-03-01 09:00:00')",
        (CHAT,),
    )
    conn.close()
    repo = await Repository.open(path)
    statements: list[str] = []
    await repo.db.read(lambda conn: conn.set_trace_callback(statements.append))
    try:

        async def answer(change, at):
            await repo.save_follow_up(change, at, next_due=None)
            return await repo.get_action(1)

        action = await repo.get_action(1)
        later = NOW.replace(minute=5)
        action = await answer(record_outcome(action, ActionOutcome.PARTLY, None), NOW)
        action = await answer(record_outcome(action, ActionOutcome.PARTLY, None), later)
        action = await answer(record_learning(action, "Numbers"), later)
        await answer(decide(action, Decision.CARRY_ON), NOW.replace(minute=9))
        changes = await repo.action_changes(CHAT)
        assert len(await repo.set_export_id(CHAT)) == 16
    finally:
        await repo.close()
    rows = [
        (c.action_id, c.change, c.outcome, c.previous_action_id, c.next_action_id, c.at)
        for c in changes
    ]
    assert len(rows) == 4 and rows[0][1] is ChangeKind.COMMITTED  # back-filled
    assert rows[1:] == [
        (1, ChangeKind.ANSWERED, ActionOutcome.PARTLY, None, None, NOW),
        (1, ChangeKind.CARRIED_ON, ActionOutcome.PARTLY, None, 2, NOW.replace(minute=9)),
        (2, ChangeKind.COMMITTED, None, 1, None, NOW.replace(minute=9)),
    ]
    assert [c.status_after for c in changes[-3:]] == ["open", "closed", "open"]
    plans = sqlite3.connect(":memory:", isolation_level=None)
    _migrate(plans, migration_scripts())
    traced = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "UPDATE"))]
    assert any("action_events" in sql for sql in traced)
    assert {sql: missing for sql in traced if (missing := unused_keys(plans, sql))} == {}
