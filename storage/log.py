"""Repository methods for the learning log, the export, and /forget."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from flows.follow_up import ActionOutcome
from flows.guard import GuardReason
from flows.log import DETAIL_KINDS, FORGOTTEN_NAME, LoggedAction, LoggedContribution, LoggedSession
from storage import rows
from storage.changes import Change, MemberRemoved
from storage.db import Database
from storage.erasure import HOLDER_WORDS, erase_contributions, erase_session_words

# A session belongs in the log once it is closed and had a topic or a holder.
LOGGED = "s.closed_at IS NOT NULL AND (s.topic_holder_id IS NOT NULL OR s.topic IS NOT NULL)"
DETAIL = (
    f"((c.kind IN ({', '.join(repr(kind) for kind in DETAIL_KINDS)}) AND c.text != '')"
    " OR (c.kind = 'voice' AND c.voice_seconds IS NOT NULL))"
)

LINKED_ANSWER = "(c.kind = 'answer' AND c.answers_id IS NOT NULL AND c.text != '')"


@dataclass(frozen=True)
class Forgotten:
    """What /forget removed."""

    contributions: int
    actions: int


def logged_action(row: sqlite3.Row) -> LoggedAction:
    """An `actions` row as the log shows it."""
    return LoggedAction(
        id=row["id"],
        session_id=row["session_id"],
        holder_name=row["holder_name"],
        text=row["text"],
        success_sign=row["success_sign"],
        help_needed=row["help_needed"],
        created_at=rows.from_db(row["created_at"]),
        due_at=rows.from_db(row["due_at"]),
        status=row["status"],
        outcome=ActionOutcome(row["outcome"]) if row["outcome"] else None,
        learning=row["learning"],
        closed_at=rows.from_db(row["closed_at"]),
        previous_id=row["previous_id"],
        words_erased_at=rows.from_db(row["words_erased_at"]),
    )


def logged_contribution(row: sqlite3.Row) -> LoggedContribution:
    """A `contributions` row, with its author's name, as the detail and the export show it."""
    return LoggedContribution(
        step_index=row["step_index"],
        kind=row["kind"],
        author=row["author"],
        text=row["text"],
        flagged=GuardReason(row["flagged"]) if row["flagged"] else None,
        created_at=rows.from_db(row["created_at"]),
        voice_seconds=row["voice_seconds"],
    )


def _sessions(
    conn: sqlite3.Connection,
    chat_id: int,
    limit: int,
    offset: int,
    *,
    session_id: int | None = None,
    detailed: bool = False,
) -> list[LoggedSession]:
    """Logged sessions of a set, newest first (one, with `session_id`); `detailed` adds what
    was said in each."""
    only = "AND s.id = ?" if session_id is not None else ""
    found = conn.execute(
        "SELECT s.id, s.started_at, s.closed_at, s.exercise, s.topic, s.reframe, s.words_erased_at,"
        " m.name AS holder_name,"
        # as the session's summary counts: a message flagged as no question is not one
        " (SELECT count(*) FROM contributions c WHERE c.session_id = s.id"
        "  AND c.kind = 'question' AND c.flagged IS NOT 'not_a_question') AS question_count,"
        f" (SELECT count(*) FROM contributions c WHERE c.session_id = s.id AND {DETAIL})"
        "  AS detail_count,"
        " (SELECT count(*) FROM scores WHERE session_id = s.id) AS score_count,"
        " (SELECT avg(score) FROM scores WHERE session_id = s.id) AS score_mean"
        " FROM sessions s LEFT JOIN members m"
        "  ON m.chat_id = s.chat_id AND m.user_id = s.topic_holder_id"
        f" WHERE s.chat_id = ? AND {LOGGED} {only}"
        " ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?",
        (chat_id, *(() if session_id is None else (session_id,)), limit, offset),
    ).fetchall()
    sessions = []
    for row in found:
        learnings = conn.execute(
            "SELECT text FROM contributions WHERE session_id = ? AND kind = 'learning'"
            " AND text != '' ORDER BY id",
            (row["id"],),
        ).fetchall()
        actions = conn.execute(
            "SELECT * FROM actions WHERE session_id = ? ORDER BY id", (row["id"],)
        ).fetchall()
        said = _said(conn, chat_id, row["id"]) if detailed else ()
        sessions.append(
            LoggedSession(
                id=row["id"],
                started_at=rows.from_db(row["started_at"]),
                closed_at=rows.from_db(row["closed_at"]),
                exercise=row["exercise"],
                holder_name=row["holder_name"],
                topic=row["topic"],
                reframe=row["reframe"],
                question_count=row["question_count"],
                detail_count=row["detail_count"],
                contributions=said,
                learnings=tuple(r["text"] for r in learnings),
                actions=tuple(logged_action(a) for a in actions),
                words_erased_at=rows.from_db(row["words_erased_at"]),
                score_count=row["score_count"],
                score_mean=row["score_mean"],
            )
        )
    return sessions


def _said(
    conn: sqlite3.Connection, chat_id: int, session_id: int
) -> tuple[LoggedContribution, ...]:
    """What a session's detail lists, in step order, each named by its author in the set; the
    holder's linked answers sit under their question (an answer to a question whose words
    are gone goes with it)."""
    found = conn.execute(
        "SELECT c.id, c.answers_id, c.step_index, c.kind, c.text, c.flagged, c.created_at,"
        " c.voice_seconds, m.name AS author"
        " FROM contributions c LEFT JOIN members m ON m.chat_id = ? AND m.user_id = c.user_id"
        f" WHERE c.session_id = ? AND ({DETAIL} OR {LINKED_ANSWER}) ORDER BY c.step_index, c.id",
        (chat_id, session_id),
    ).fetchall()
    answers: dict[int, list[LoggedContribution]] = {}
    for row in found:
        if row["answers_id"] is not None:  # an answer, in words or a voice note
            answers.setdefault(row["answers_id"], []).append(logged_contribution(row))
    return tuple(
        logged_contribution(row).model_copy(update={"answers": tuple(answers.get(row["id"], ()))})
        for row in found
        if row["answers_id"] is None
    )


class LogStore:
    """Reads of the learning log and the /forget write."""

    db: Database
    _changed: Callable[[Change], None]  # the Repository's one cache coordinator

    async def log_page(
        self, chat_id: int, *, limit: int, offset: int
    ) -> tuple[list[LoggedSession], int]:
        """A page of closed sessions, newest first, and how many there are in all."""

        def work(conn: sqlite3.Connection) -> tuple[list[LoggedSession], int]:
            total = conn.execute(
                f"SELECT count(*) FROM sessions s WHERE s.chat_id = ? AND {LOGGED}", (chat_id,)
            ).fetchone()[0]
            return _sessions(conn, chat_id, limit, offset), total

        return await self.db.read(work)

    async def session_detail(self, chat_id: int, session_id: int) -> LoggedSession | None:
        """One logged session of this set with what was said in it; None for any other."""

        def work(conn: sqlite3.Connection) -> LoggedSession | None:
            found = _sessions(conn, chat_id, 1, 0, session_id=session_id, detailed=True)
            return found[0] if found else None

        return await self.db.read(work)

    async def whole_log(self, chat_id: int) -> tuple[list[LoggedSession], list[LoggedAction]]:
        """Every logged session (oldest first) and every action of a set, for the export."""

        def work(conn: sqlite3.Connection) -> tuple[list[LoggedSession], list[LoggedAction]]:
            sessions = list(reversed(_sessions(conn, chat_id, -1, 0, detailed=True)))
            actions = conn.execute(
                "SELECT * FROM actions WHERE chat_id = ? ORDER BY id", (chat_id,)
            ).fetchall()
            return sessions, [logged_action(a) for a in actions]

        return await self.db.read(work)

    async def forget_member(self, chat_id: int, user_id: int) -> Forgotten:
        """Erase a member's words and name from a set's log; actions and counts stay."""

        def work(conn: sqlite3.Connection) -> Forgotten:
            mine = "user_id = ? AND session_id IN (SELECT id FROM sessions WHERE chat_id = ?)"
            statements = [
                row[0]
                for row in conn.execute(
                    f"SELECT text FROM contributions WHERE kind = 'reframe' AND {mine}",
                    (user_id, chat_id),
                )
            ]
            removed = erase_contributions(conn, mine, (user_id, chat_id), unlink=True)
            renamed = conn.execute(
                "UPDATE actions SET holder_id = NULL, holder_name = ? WHERE chat_id = ?"
                " AND holder_id = ?",
                (FORGOTTEN_NAME, chat_id, user_id),
            ).rowcount
            # As holder: the topic and the reframed problem were my words too.
            erase_session_words(
                conn,
                "chat_id = ? AND topic_holder_id = ?",
                (chat_id, user_id),
                paths=(*HOLDER_WORDS, "$.topic_holder"),
                assign=", topic_holder_id = NULL",
            )
            # A reframed problem some holder took from my statement.
            conn.executemany(
                "UPDATE sessions SET reframe = NULL, state = json_remove(state, '$.reframe')"
                " WHERE chat_id = ? AND reframe = ? AND closed_at IS NOT NULL",
                ((chat_id, text.strip()) for text in statements),
            )
            _drop_statements(conn, chat_id, user_id)
            conn.execute(
                "DELETE FROM members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
            )
            return Forgotten(contributions=removed, actions=renamed)

        forgotten = await self.db.write(work)
        self._changed(MemberRemoved(chat_id, user_id))
        return forgotten


def _drop_statements(conn: sqlite3.Connection, chat_id: int, user_id: int) -> None:
    """Take a person's reframing statements out of the closed sessions' stored state."""
    found = conn.execute(
        "SELECT id, state FROM sessions WHERE chat_id = ? AND closed_at IS NOT NULL"
        " AND json_array_length(state, '$.statements') > 0",
        (chat_id,),
    ).fetchall()
    for row in found:
        state = json.loads(row["state"])
        kept = [s for s in state["statements"] if s["person"]["user_id"] != user_id]
        if len(kept) != len(state["statements"]):
            state["statements"] = kept
            conn.execute(
                "UPDATE sessions SET state = ? WHERE id = ?", (json.dumps(state), row["id"])
            )
