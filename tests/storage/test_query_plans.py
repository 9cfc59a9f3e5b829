"""Every lookup that a whole session and its follow-up run uses an index on its key.

A lookup that scans is invisible with one group and slows with every group the bot serves:
a step change cancelling its timers would read every pending timer of every group.
"""

from __future__ import annotations

import io
import re
import sqlite3

from demo.script import run
from storage import db as db_module
from storage.db import _migrate, migration_scripts

KEYS = ("id", "chat_id", "session_id", "user_id", "holder_id", "message_id")
KEY_FILTER = re.compile(rf"\b({'|'.join(KEYS)}) = ", re.IGNORECASE)
INDEX_TERMS = re.compile(r"\((.*)\)$")


async def traced_statements(monkeypatch) -> set[str]:
    """Every SQL statement the demo (a classic session and its follow-up) runs."""
    statements: set[str] = set()
    opened = db_module.Database.open.__func__

    async def open_and_trace(cls, path):
        database = await opened(cls, path)
        await database.read(lambda conn: conn.set_trace_callback(statements.add))
        return database

    monkeypatch.setattr(db_module.Database, "open", classmethod(open_and_trace))
    await run(io.StringIO())
    return statements


def unused_keys(plans: sqlite3.Connection, sql: str) -> set[str]:
    """Key columns the WHERE clause gives that no step of the plan looks up by."""
    where = sql.upper().split(" WHERE ", 1)
    if len(where) == 1:
        return set()
    wanted = {key.lower() for key in KEY_FILTER.findall(where[1])}
    used: set[str] = set()
    for step in (row[3] for row in plans.execute(f"EXPLAIN QUERY PLAN {sql}")):
        terms = INDEX_TERMS.search(step)
        if step.startswith("SEARCH") and terms:
            used |= {term.split("=")[0].strip().lower() for term in terms[1].split(" AND ")}
        if "rowid" in used:  # the table's INTEGER PRIMARY KEY
            table = step.split()[1]
            used |= {c[1] for c in plans.execute(f"PRAGMA table_info({table})") if c[5] == 1}
    return wanted - used


async def test_every_lookup_by_key_uses_an_index(monkeypatch):
    statements = await traced_statements(monkeypatch)
    plans = sqlite3.connect(":memory:", isolation_level=None)
    _migrate(plans, migration_scripts())
    unindexed = {
        sql: missing
        for sql in statements
        if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))
        and (missing := unused_keys(plans, sql))
    }
    assert len(statements) > 20  # the trace saw the session's statements
    assert unindexed == {}
