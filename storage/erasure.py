"""Erasing members' words while the log keeps its shape: one person's words (/forget) and a
set's words older than it keeps them (retention). Rows stay, so counts, outcomes and dates stay.

Both run inside the caller's transaction; `where` selects the rows, its `?` filled from `params`.
"""

from __future__ import annotations

import sqlite3

ERASED_TOPIC = "—"  # an erased topic: the session keeps its place in the log
HOLDER_WORDS = ("$.topic", "$.reframe")  # what a session's stored state keeps of its holder's words
SESSION_WORDS = (*HOLDER_WORDS, "$.action", "$.statements")  # every word it keeps


def erase_contributions(
    conn: sqlite3.Connection, where: str, params: tuple, *, unlink: bool = False
) -> int:
    """Blank the text of the contributions `where` selects, and forget their voice notes (and,
    unlinking, who wrote them); returns how many. Their kind, step and time stay: a session's
    question count stays."""
    who = ", user_id = NULL" if unlink else ""
    return conn.execute(
        f"UPDATE contributions SET text = '', voice_seconds = NULL, voice_file_id = NULL{who}"
        f" WHERE {where}",
        params,
    ).rowcount


def erase_session_words(
    conn: sqlite3.Connection,
    where: str,
    params: tuple,
    *,
    paths: tuple[str, ...] = HOLDER_WORDS,
    assign: str = "",
) -> int:
    """Take the topic, the reframed problem and the state's `paths` out of the closed sessions
    `where` selects; `assign` adds columns to set (its `?` come first in `params`)."""
    removed = ", ".join("?" * len(paths))
    return conn.execute(
        # A session in the log (it had a topic or a holder) keeps its place there with "—".
        "UPDATE sessions SET topic = iif(topic IS NULL AND topic_holder_id IS NULL, NULL, ?),"
        f" reframe = NULL, state = json_remove(state, {removed}){assign}"
        f" WHERE closed_at IS NOT NULL AND {where}",
        (ERASED_TOPIC, *paths, *params),
    ).rowcount
