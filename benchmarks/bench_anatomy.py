"""Where an update's time goes: each ingredient of the hot path, timed on its own.

Set up like bench_updates (200 groups in the clarifying step, 400 step timers armed), then
each piece is run many times and its median cost per call is printed. Read it next to
bench_updates: a plain question there is about one DB round trip + flows + PTB dispatch.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Update

from benchmarks.bench_updates import (
    CLASSIC,
    admins_of,
    baseline_application,
    groups_from,
    play,
)
from benchmarks.fake_api import LeanTelegram
from benchmarks.harness import REPRODUCE, Clock, note, running_bot, table
from bot.outbox import SEND_DEFAULTS

GROUPS = 200
REPEATS = 3


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    """Median over REPEATS batches of the cost of one call, µs."""
    results = []
    for _ in range(REPEATS):
        began = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        results.append((time.perf_counter_ns() - began) / calls / 1000)
    return statistics.median(results)


async def per_await_us(fn: Callable[[], Awaitable[object]], calls: int) -> float:
    """Median over REPEATS batches of the cost of one awaited call, µs."""
    results = []
    for _ in range(REPEATS):
        began = time.perf_counter_ns()
        for _ in range(calls):
            await fn()
        results.append((time.perf_counter_ns() - began) / calls / 1000)
    return statistics.median(results)


async def measure() -> list[tuple[str, str, float, str]]:
    """(layer, ingredient, µs per call, note) rows."""
    from bot.i18n import template
    from bot.render import render
    from flows.exercises import builtin_exercises
    from flows.session import handle
    from flows.session_model import Contribute, Person, Record, SessionContext, SessionState
    from flows.text import msg
    from storage import sessions as session_store
    from storage.db import PRAGMAS
    from storage.rows import to_db
    from storage.scheduled import Scheduled, ScheduledKind, ScheduledStatus

    rows: list[tuple[str, str, float, str]] = []

    def add(layer: str, ingredient: str, us: float, why: str = "") -> None:
        rows.append((layer, ingredient, us, why))

    clock = Clock()
    groups = groups_from(1, GROUPS)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(groups))
    async with running_bot(fake, clock) as running:
        app, repo = running.app, running.repo
        # Every group in the clarifying step: 200 open sessions, 400 step timers armed.
        await play(app, fake, clock, groups, CLASSIC[:5])
        group = groups[0]
        chat = group.chat_id
        state: SessionState = await repo.open_session(chat)
        jobs = len(app.job_queue.jobs())

        # --- PTB, the same for the baseline -------------------------------------------------
        sample = {
            "update_id": 1,
            "message": {
                "message_id": 10_000,
                "from": group.members[0].json(),
                "chat": group.json(),
                "date": int(clock.timestamp()),
                "text": "What would success look like?",
            },
        }
        add(
            "PTB",
            "Update.de_json, plain group message",
            per_call_us(lambda: Update.de_json(sample, app.bot), 500),
            "not in bench_updates' timing (polling does it)",
        )
        sticker = {key: value for key, value in sample["message"].items() if key != "text"}
        sticker["sticker"] = {
            "file_id": "s", "file_unique_id": "u", "type": "regular", "width": 1, "height": 1,
            "is_animated": False, "is_video": False,
        }  # fmt: skip
        no_match = Update.de_json({"update_id": 2, "message": sticker}, app.bot)
        add(
            "PTB",
            "process_update, no handler matches: ours (~45 handlers)",
            await per_await_us(lambda: app.process_update(no_match), 500),
            "PTB dispatch: check_update of every handler",
        )
        base = baseline_application(fake)
        await base.initialize()
        add(
            "PTB",
            "process_update, no handler matches: baseline (1 handler)",
            await per_await_us(lambda: base.process_update(no_match), 500),
            "",
        )
        await base.shutdown()
        add(
            "PTB",
            "bot.send_message to the lean fake",
            await per_await_us(lambda: app.bot.send_message(chat, "Noted."), 300),
            "serialise, 'HTTP', Message.de_json of the answer",
        )
        raw = {"chat_id": chat, "text": "Noted.", **SEND_DEFAULTS}
        add(
            "PTB",
            "  the outbox's raw sendMessage (Bot.do_api_request)",
            await per_await_us(lambda: app.bot.do_api_request("send_message", raw), 300),
            "the same request; Telegram's answer left as JSON (only its id is kept)",
        )
        add(
            "PTB",
            "bot.get_chat_member (the admin check of /next)",
            await per_await_us(
                lambda: app.bot.get_chat_member(chat, group.facilitator.user_id), 300
            ),
            "a real Telegram round trip in production: tens of ms",
        )

        # --- storage ------------------------------------------------------------------------
        db = repo.db
        add(
            "storage",
            "aiosqlite round trip, empty read",
            await per_await_us(lambda: db.read(lambda conn: None), 300),
            "the hop to aiosqlite's thread and back",
        )
        add(
            "storage",
            "aiosqlite round trip, empty write transaction",
            await per_await_us(lambda: db.write(lambda conn: None), 300),
            "BEGIN IMMEDIATE + COMMIT (WAL, synchronous=NORMAL)",
        )
        person = Person(user_id=group.members[0].user_id, name="Ben")
        ids = iter(range(1_000_000, 2_000_000))

        def record() -> tuple:
            return (
                Record(person=person, message_id=next(ids), step_index=1, kind="question",
                       text="What would success look like?"),
            )  # fmt: skip

        now = clock()
        add(
            "storage",
            "repo.save_session, one question (hop + SQL)",
            await per_await_us(lambda: repo.save_session(state, record(), now), 500),
            "the one write of a plain question",
        )
        conn = sqlite3.connect(running.database, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:  # the app's own: WAL, synchronous=NORMAL, ...
            conn.execute(pragma)

        def save_in_thread() -> None:
            conn.execute("BEGIN IMMEDIATE")
            session_store._save(conn, state, record(), now, None)
            conn.execute("COMMIT")

        add(
            "storage",
            "  the same transaction's SQL alone (no hop)",
            per_call_us(save_in_thread, 500),
            "sqlite3 on the calling thread",
        )
        conn.close()
        add(
            "storage",
            "  SessionState.model_dump_json (inside it)",
            per_call_us(state.model_dump_json, 300),
            f"{len(state.model_dump_json())} bytes, rewritten when the session changes",
        )
        add(
            "storage",
            "  storage.rows.to_db, x2-3 per save",
            per_call_us(lambda: to_db(now), 1000),
            "",
        )

        # --- flows and rendering ------------------------------------------------------------
        exercise = builtin_exercises()[state.exercise]
        ctx = SessionContext(exercise=exercise, now=now)
        add(
            "flows",
            "SessionContext(...) (built per event)",
            per_call_us(lambda: SessionContext(exercise=exercise, now=now), 1000),
            "",
        )
        question = Contribute(person=person, text="What would success look like?", message_id=1)
        add(
            "flows",
            "handle(): a plain question",
            per_call_us(lambda: handle(state, question, ctx), 500),
            "guard regexes + pydantic model_copy",
        )
        advice = Contribute(person=person, text="Have you tried talking to them?", message_id=2)
        add(
            "flows",
            "handle(): advice (nudge)",
            per_call_us(lambda: handle(state, advice, ctx), 500),
            "",
        )
        add(
            "flows",
            "state.model_copy(update=...) ",
            per_call_us(lambda: state.model_copy(update={"last_update_id": 5}), 300),
            "run_event adds one per update",
        )
        add(
            "flows",
            "state == state (is_hint compares states)",
            per_call_us(lambda: state == state.model_copy(), 1000),
            "",
        )
        nudge = msg("nudge.advice", person=person.mention(), example="What have you tried?")
        add("bot", "render(nudge)", per_call_us(lambda: render(nudge, "en"), 1000), "")
        add(
            "bot",
            "i18n.template() (stats the .po file each call)",
            per_call_us(lambda: template("en", "nudge.advice"), 300),
            "catalog_path(language).exists() per render",
        )

        # --- scheduling ---------------------------------------------------------------------
        name = f"scheduled:{10**9}"
        add(
            "bot",
            f"JobQueue.get_jobs_by_name, {jobs} jobs armed",
            per_call_us(lambda: app.job_queue.get_jobs_by_name(name), 200),
            "O(jobs): wraps each job, re.compile(...).search per job",
        )
        item = Scheduled(
            id=10**9, chat_id=chat, thread_id=None, kind=ScheduledKind.STEP_END, session_id=1,
            ref=1, due_at=now + timedelta(minutes=5), status=ScheduledStatus.PENDING, attempts=0,
        )  # fmt: skip

        timers = app.bot_data["services"].timers

        def arm_and_disarm() -> None:
            timers.arm(item, now)
            timers.disarm([item.id])

        add(
            "bot",
            "Timers.arm() + disarm() of one timer row",
            per_call_us(arm_and_disarm, 100),
            "/next cancels 2 jobs and arms 1 (a step's end: once its warning fired)",
        )
        aps = app.job_queue.scheduler
        add(
            "bot",
            "  what-if: scheduler.get_job(id) instead",
            per_call_us(lambda: aps.get_job(name), 200),
            "scans APScheduler's list when stopped; a dict lookup when running",
        )
    return rows


async def main() -> None:
    """Print the ingredients' costs."""
    rows = await measure()
    print(
        f"Anatomy of an update: each ingredient timed alone (median of {REPEATS} batches),"
        f" with {GROUPS} sessions open in the clarifying step.\n"
    )
    headers = ["layer", "ingredient", "µs/call", "note"]
    print(table(headers, [list(r) for r in rows], left=(0, 1, 3)))
    print()
    note(
        "Indented rows are parts of the row above them.",
        REPRODUCE.replace("<name>", "anatomy"),
    )


if __name__ == "__main__":
    asyncio.run(main())
