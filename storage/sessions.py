"""Repository methods for sessions, their contributions, and the actions they commit."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from flows.action_changes import ChangeKind
from flows.answers import Asked, RepliedTo
from flows.digest import Answered, Said
from flows.follow_up import ActionRecord
from flows.guard import GuardReason
from flows.session_model import (
    ArmTimer,
    CancelTimers,
    Effect,
    Record,
    SaveAction,
    SaveFollowUp,
    SessionState,
    UpdateRecord,
)
from storage import rows
from storage.action_changes import record_change
from storage.actions import write_follow_up
from storage.db import Database
from storage.outbox import Outgoing, insert_outbox
from storage.scheduled import (
    Scheduled,
    ScheduledKind,
    ScheduledStatus,
    insert_scheduled,
    set_scheduled_status,
)

# A question's number: its rank among its step's questions, as the step's digest numbers them.
QUESTION_NUMBER = (
    "(SELECT count(*) FROM contributions p WHERE p.session_id = q.session_id"
    " AND p.step_index = q.step_index AND p.kind = 'question' AND p.id <= q.id)"
)
STEP_TIMERS = (ScheduledKind.STEP_WARNING, ScheduledKind.STEP_END)
TIMER_KINDS = {"warning": ScheduledKind.STEP_WARNING, "end": ScheduledKind.STEP_END}


@dataclass(frozen=True, slots=True)
class RecordedContribution:
    """What was recorded of a message: its kind, step and guard verdict."""

    kind: str
    step_index: int
    flagged: GuardReason | None
    answers_id: int | None = None  # the question an answer is linked to


class AlreadyDone(Exception):
    """A re-delivered message or an already-fired timer: change nothing."""


class SessionAlreadyOpen(Exception):
    """The chat already has an open session."""


@dataclass
class Saved:
    """What a saved transition did to the timers."""

    state: SessionState
    armed: list[Scheduled] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    opened: ActionRecord | None = None  # the next action an answer to a follow-up opened


def _select_open(conn: sqlite3.Connection, chat_id: int) -> SessionState | None:
    row = conn.execute(
        "SELECT id, chat_id, state FROM sessions WHERE chat_id = ? AND closed_at IS NULL",
        (chat_id,),
    ).fetchone()
    if row is None:
        return None
    # The columns are the truth: a supergroup migration moves chat_id, not the JSON.
    state = SessionState.model_validate_json(row["state"])
    return state.model_copy(update={"id": row["id"], "chat_id": row["chat_id"]})


class SessionStore:
    """Sessions, with each chat's open session cached in memory (the database fills it)."""

    db: Database

    def __init__(self) -> None:
        self._open: dict[int, SessionState | None] = {}
        self._last_update: dict[int, int] = {}
        self._last_session_id: int | None = None
        self._reserved: set[int] = set()  # ids of new sessions not yet written

    async def reserve_session_id(self) -> int:
        """The id a new session will have (one process owns the file, so memory can count)."""
        if self._last_session_id is None:
            latest = await self.db.read(
                lambda conn: conn.execute("SELECT coalesce(max(id), 0) FROM sessions").fetchone()[0]
            )
            # Another chat's first session may have counted while this read was on its way.
            self._last_session_id = max(latest, self._last_session_id or 0)
        self._last_session_id += 1
        self._reserved.add(self._last_session_id)
        return self._last_session_id

    async def open_session(self, chat_id: int) -> SessionState | None:
        """The chat's open session, if any."""
        if chat_id not in self._open:
            self._open[chat_id] = await self.db.read(_select_open, chat_id)
        return self._open[chat_id]

    async def save_session(
        self,
        state: SessionState,
        effects: tuple[Effect, ...],
        now: datetime,
        *,
        fired_row: int | None = None,
        outgoing: list[Outgoing] = (),
    ) -> Saved:
        """Persist a transition, its records, timers, action and messages (and the timer that
        caused it), in one transaction.

        A transition that changes nothing but the last update id (most answers and comments)
        stores its records and leaves the session row alone: should that update come again
        after a restart, its contribution is found stored and it changes nothing (AlreadyDone).
        """
        before = self._open.get(state.chat_id)
        new = state.id in self._reserved
        write_state = new or before is None or not _same_but_update_id(before, state)
        try:
            saved = await self.db.write(
                _save, state, effects, now, fired_row, write_state, list(outgoing), new
            )
        except (AlreadyDone, SessionAlreadyOpen):
            raise
        except Exception:
            self._open.pop(state.chat_id, None)
            raise
        finally:
            self._reserved.discard(state.id)
        self._open[state.chat_id] = saved.state if saved.state.is_open else None
        self._last_update[state.chat_id] = saved.state.last_update_id
        return saved

    async def sessions_closed(self, chat_id: int, start: datetime, end: datetime) -> int:
        """How many of the set's sessions closed in [start, end) (the meetings held)."""

        def work(conn: sqlite3.Connection) -> int:
            return conn.execute(
                "SELECT count(*) FROM sessions WHERE chat_id = ? AND closed_at IS NOT NULL"
                " AND closed_at >= ? AND closed_at < ?",
                (chat_id, rows.to_db(start), rows.to_db(end)),
            ).fetchone()[0]

        return await self.db.read(work)

    async def already_applied(self, chat_id: int, update_id: int) -> bool:
        """Whether a session of this chat already applied this update (a re-delivery)."""
        if chat_id not in self._last_update:

            def work(conn: sqlite3.Connection) -> int:
                row = conn.execute(
                    "SELECT max(json_extract(state, '$.last_update_id')) FROM sessions"
                    " WHERE chat_id = ?",
                    (chat_id,),
                ).fetchone()
                return row[0] or 0

            self._last_update[chat_id] = await self.db.read(work)
        return update_id <= self._last_update[chat_id]

    async def recorded_contribution(
        self, chat_id: int, message_id: int
    ) -> RecordedContribution | None:
        """What was recorded of a message in a session still open (None if nothing was): the
        words of a closed session stay as they were, or as /forget and retention left them."""

        def work(conn: sqlite3.Connection) -> RecordedContribution | None:
            row = conn.execute(
                "SELECT c.kind, c.step_index, c.flagged, c.answers_id FROM contributions c"
                " JOIN sessions s ON s.id = c.session_id"
                " WHERE c.chat_id = ? AND c.message_id = ? AND s.closed_at IS NULL",
                (chat_id, message_id),
            ).fetchone()
            if row is None:
                return None
            flagged = GuardReason(row["flagged"]) if row["flagged"] else None
            return RecordedContribution(row["kind"], row["step_index"], flagged, row["answers_id"])

        return await self.db.read(work)

    async def step_said(self, chat_id: int, session_id: int, step_index: int) -> tuple[Said, ...]:
        """What was said in one step of a session, in order, each with its author's name."""

        def work(conn: sqlite3.Connection) -> tuple[Said, ...]:
            found = conn.execute(
                "SELECT c.kind, c.user_id, c.text, c.voice_seconds, c.answers_id, m.name"
                " FROM contributions c"
                " LEFT JOIN members m ON m.chat_id = ? AND m.user_id = c.user_id"
                " WHERE c.session_id = ? AND c.step_index = ? ORDER BY c.id",
                (chat_id, session_id, step_index),
            ).fetchall()
            return tuple(
                Said(
                    kind=row["kind"],
                    user_id=row["user_id"],
                    name=row["name"],
                    text=row["text"],
                    voice_seconds=row["voice_seconds"],
                    answers_question=row["answers_id"] is not None,
                )
                for row in found
            )

        return await self.db.read(work)

    async def replied_to(
        self, session_id: int, chat_id: int, message_id: int, *, to_bot: bool
    ) -> RepliedTo | None:
        """The question a reply in an open session points at: a member's question message, or
        (a reply to the bot) the questions of the step whose digest it is; None for anything
        else."""

        def work(conn: sqlite3.Connection) -> RepliedTo | None:
            if to_bot:
                digest = conn.execute(
                    "SELECT step_index FROM digest_messages WHERE session_id = ?"
                    " AND message_id = ?",
                    (session_id, message_id),
                ).fetchone()
                if digest is None:
                    return None
                step = digest["step_index"]
                found = conn.execute(
                    "SELECT id FROM contributions WHERE session_id = ? AND step_index = ?"
                    " AND kind = 'question' ORDER BY id",
                    (session_id, step),
                ).fetchall()
                return RepliedTo(
                    digest=tuple(
                        Asked(id=row["id"], step_index=step, number=number)
                        for number, row in enumerate(found, 1)
                    )
                )
            row = conn.execute(
                f"SELECT q.id, q.step_index, {QUESTION_NUMBER} AS number FROM contributions q"
                " WHERE q.chat_id = ? AND q.message_id = ? AND q.session_id = ?"
                " AND q.kind = 'question'",
                (chat_id, message_id, session_id),
            ).fetchone()
            if row is None:
                return None
            asked = Asked(id=row["id"], step_index=row["step_index"], number=row["number"])
            return RepliedTo(question=asked)

        return await self.db.read(work)

    async def step_answers(
        self, session_id: int, first_step: int, last_step: int
    ) -> tuple[Answered, ...]:
        """The holder's linked answers given in steps first_step to last_step of a session,
        in the order of their questions, each with its question's step and number."""

        def work(conn: sqlite3.Connection) -> tuple[Answered, ...]:
            found = conn.execute(
                f"SELECT q.step_index, {QUESTION_NUMBER} AS number, a.text, a.voice_seconds"
                " FROM contributions a JOIN contributions q ON q.id = a.answers_id"
                " WHERE a.session_id = ? AND a.step_index BETWEEN ? AND ?"
                " AND a.answers_id IS NOT NULL"
                " AND (a.text != '' OR a.voice_seconds IS NOT NULL)"
                " ORDER BY q.step_index, q.id, a.id",
                (session_id, first_step, last_step),
            ).fetchall()
            return tuple(
                Answered(
                    step_index=row["step_index"],
                    number=row["number"],
                    text=row["text"],
                    voice_seconds=row["voice_seconds"],
                )
                for row in found
            )

        return await self.db.read(work)

    def _drop_cached_sessions(self, *chat_ids: int) -> None:
        """Drop everything cached of these chats' sessions."""
        for chat_id in chat_ids:
            self._open.pop(chat_id, None)
            self._last_update.pop(chat_id, None)


def _save(
    conn: sqlite3.Connection,
    state: SessionState,
    effects: tuple[Effect, ...],
    now: datetime,
    fired_row: int | None,
    write_state: bool = True,
    outgoing: list[Outgoing] = (),
    new: bool = False,
) -> Saved:
    """Write one transition (runs on the database thread, inside a transaction)."""
    if fired_row is not None and not set_scheduled_status(
        conn, fired_row, ScheduledStatus.SENT, now
    ):
        raise AlreadyDone(fired_row)
    if write_state:
        _upsert_session(conn, state, now, new)
    saved = Saved(state=state)
    for effect in effects:
        match effect:
            case Record():
                _insert_contribution(conn, state, effect, now)
            case UpdateRecord(reguarded=False):
                conn.execute(
                    "UPDATE contributions SET text = ?, edited_at = ?"
                    " WHERE chat_id = ? AND message_id = ?",
                    (
                        effect.text,
                        rows.to_db(now),
                        effect.source_chat_id or state.chat_id,
                        effect.message_id,
                    ),
                )
            case UpdateRecord():
                conn.execute(
                    "UPDATE contributions SET text = ?, flagged = ?, edited_at = ?"
                    " WHERE chat_id = ? AND message_id = ?",
                    (
                        effect.text,
                        effect.flagged.value if effect.flagged else None,
                        rows.to_db(now),
                        state.chat_id,
                        effect.message_id,
                    ),
                )
            case CancelTimers():
                saved.cancelled += _cancel_step_timers(conn, state.id, now)
            case ArmTimer():
                saved.armed.append(
                    insert_scheduled(
                        conn,
                        chat_id=state.chat_id,
                        thread_id=state.thread_id,
                        kind=TIMER_KINDS[effect.kind],
                        due_at=effect.due,
                        now=now,
                        session_id=state.id,
                        ref=effect.step_index,
                    )
                )
            case SaveAction():
                _insert_action(conn, state, effect, now)
            case SaveFollowUp():
                saved.opened = write_follow_up(
                    conn, effect.change, now, effect.next_due, effect.pressed_on
                )
    saved.outgoing = insert_outbox(
        conn,
        state.chat_id,
        state.thread_id,
        outgoing,
        now,
        session_id=state.id,
        scheduled_id=fired_row,
    )
    return saved


def _same_but_update_id(before: SessionState, after: SessionState) -> bool:
    """Whether a transition left the session as it was, but for the last update applied."""
    return before.id == after.id and (
        {**before.__dict__, "last_update_id": 0} == {**after.__dict__, "last_update_id": 0}
    )


def _upsert_session(
    conn: sqlite3.Connection, state: SessionState, now: datetime, new: bool
) -> None:
    columns = (
        state.thread_id,
        state.phase.value,
        state.step_index,
        state.topic_holder.user_id if state.topic_holder else None,
        state.topic,
        state.reframe,
        rows.to_db(now),
        rows.to_db(state.closed_at),
    )
    if new:
        try:
            conn.execute(
                "INSERT INTO sessions (thread_id, phase, step_index, topic_holder_id, topic,"
                " reframe, updated_at, closed_at, id, chat_id, exercise, started_by, started_at,"
                " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *columns,
                    state.id,
                    state.chat_id,
                    state.exercise,
                    state.facilitator.user_id,
                    rows.to_db(state.started_at),
                    state.model_dump_json(),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise SessionAlreadyOpen(state.chat_id) from exc
        return
    conn.execute(
        "UPDATE sessions SET thread_id = ?, phase = ?, step_index = ?, topic_holder_id = ?,"
        " topic = ?, reframe = ?, updated_at = ?, closed_at = ?, state = ? WHERE id = ?",
        (*columns, state.model_dump_json(), state.id),
    )


def _insert_contribution(
    conn: sqlite3.Connection, state: SessionState, record: Record, now: datetime
) -> None:
    inserted = conn.execute(
        "INSERT INTO contributions (chat_id, message_id, session_id, step_index, user_id, kind,"
        " text, flagged, voice_seconds, voice_file_id, answers_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
        (
            record.source_chat_id or state.chat_id,
            record.message_id,
            state.id,
            record.step_index,
            record.person.user_id,
            record.kind,
            record.text,
            record.flagged.value if record.flagged else None,
            record.voice.seconds if record.voice else None,
            record.voice.file_id if record.voice else None,
            record.answers,
            rows.to_db(now),
        ),
    )
    if inserted.rowcount == 0:
        raise AlreadyDone(record.message_id)


def _cancel_step_timers(conn: sqlite3.Connection, session_id: int, now: datetime) -> list[int]:
    marks = ", ".join("?" for _ in STEP_TIMERS)
    cancelled = conn.execute(
        f"UPDATE scheduled SET status = 'cancelled', updated_at = ?"
        f" WHERE session_id = ? AND status = 'pending' AND kind IN ({marks}) RETURNING id",
        (rows.to_db(now), session_id, *(kind.value for kind in STEP_TIMERS)),
    ).fetchall()
    return [row["id"] for row in cancelled]


def _insert_action(
    conn: sqlite3.Connection, state: SessionState, effect: SaveAction, now: datetime
) -> None:
    inserted = conn.execute(
        "INSERT INTO actions (chat_id, session_id, holder_id, holder_name, text, success_sign,"
        " help_needed, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            state.chat_id,
            state.id,
            effect.holder.user_id,
            effect.holder.name,
            effect.action.text,
            effect.action.success_sign,
            effect.action.help_needed,
            rows.to_db(effect.due),
            rows.to_db(now),
        ),
    )
    record_change(conn, inserted.lastrowid, ChangeKind.COMMITTED, now)
