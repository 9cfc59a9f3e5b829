"""The retention store: one set's erasure keeps every row, and its lookups use indexes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from flows.retention import Sweep
from storage.db import _migrate, migration_scripts
from storage.repository import Repository
from tests.storage.test_query_plans import unused_keys

CHAT, OTHER = -100, -200
CLOSED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NOW = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)


def closed_session(conn: sqlite3.Connection, chat_id: int, topic: str) -> None:
    """A closed session of a chat with a question and a closed action, as the bot stores them."""
    closed = CLOSED.strftime("%Y-%m-%d %H:%M:%S")
    session = conn.execute(
        "INSERT INTO sessions (chat_id, exercise, phase, topic_holder_id, topic, reframe, state,"
        " started_at, updated_at, closed_at) VALUES (?, 'classic', 'closed', 1, ?, 'Pay',"
        " json_object('topic', ?, 'reframe', 'Pay', 'question_count', 1), ?, ?, ?)",
        (chat_id, topic, topic, closed, closed, closed),
    ).lastrowid
    conn.execute(
        "INSERT INTO contributions (chat_id, message_id, session_id, step_index, user_id, kind,"
        " text, created_at) VALUES (?, ?, ?, 1, 2, 'question', 'Who decides?', ?)",
        (chat_id, session, session, closed),
    )
    conn.execute(
        "INSERT INTO actions (chat_id, session_id, holder_id, holder_name, text, learning, status,"
        " outcome, created_at, closed_at) VALUES (?, ?, 1, 'Ann', 'Call', 'Numbers', 'closed',"
        " 'done', ?, ?)",
        (chat_id, session, closed, closed),
    )


@pytest.fixture
async def repo(tmp_path):
    """A repository on a fresh database file."""
    repository = await Repository.open(tmp_path / "bot.sqlite3")
    yield repository
    await repository.close()


async def test_a_sweep_erases_one_sets_words_and_keeps_every_row(repo):
    for chat_id in (CHAT, OTHER):
        await repo.ensure_set(chat_id, "Set", "en", CLOSED)
        await repo.db.write(closed_session, chat_id, f"Topic {chat_id}")
    statements: list[str] = []
    await repo.db.read(lambda conn: conn.set_trace_callback(statements.append))
    kept = {k.chat_id: k for k in await repo.words_kept(12)}
    assert kept[CHAT].oldest == CLOSED and kept[CHAT].oldest_untold == CLOSED
    sweep = Sweep(
        erase_before=NOW - timedelta(days=365),
        notice=None,
        told_until=None,
        told_at=None,
        erasable_until=None,
    )
    assert await repo.sweep_words(kept[CHAT], sweep, 12, NOW) == []
    assert await repo.sweep_words(kept[CHAT], sweep, 6, NOW) is None  # the default changed

    def stored(conn: sqlite3.Connection) -> list[tuple]:
        return conn.execute(
            "SELECT s.chat_id, s.topic, s.reframe, s.state, c.text, a.text, a.learning,"
            " a.outcome, s.words_erased_at IS NOT NULL FROM sessions s"
            " JOIN contributions c ON c.session_id = s.id JOIN actions a ON a.session_id = s.id"
            " ORDER BY s.chat_id"
        ).fetchall()

    assert [tuple(row) for row in await repo.db.read(stored)] == [
        (OTHER, "Topic -200", "Pay", '{"topic":"Topic -200","reframe":"Pay","question_count":1}',
         "Who decides?", "Call", "Numbers", "done", 0),
        (CHAT, "—", None, '{"question_count":1}', "", "", None, "done", 1),
    ]  # fmt: skip
    assert [k.oldest for k in await repo.words_kept(12)] == [CLOSED, None]  # OTHER, then CHAT

    plans = sqlite3.connect(":memory:", isolation_level=None)
    _migrate(plans, migration_scripts())
    traced = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "UPDATE"))]
    assert len(traced) >= 5
    assert {sql: missing for sql in traced if (missing := unused_keys(plans, sql))} == {}
