"""Counterfactuals for the report: what a suggested change would save, measured, not guessed.

Each is a context manager that swaps one piece of the running bot inside the benchmark
process only (no project file changes) and puts it back afterwards.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError


@contextmanager
def fast_timers() -> Iterator[None]:
    """arm()/disarm() by job id (APScheduler's own lookup) instead of get_jobs_by_name().

    get_jobs_by_name() wraps every armed job and runs re.compile(pattern).search on each
    name: O(jobs) per call, and /next makes four calls. Removing by id is a dict lookup
    once the scheduler runs (a short list scan before it starts).
    """
    import bot.scheduling as scheduling

    original_arm, original_disarm = scheduling.arm, scheduling.disarm

    def disarm(application, row_ids: Iterable[int]) -> None:
        scheduler = application.job_queue.scheduler
        for row_id in row_ids:
            with suppress(JobLookupError):
                scheduler.remove_job(scheduling.job_name(row_id))

    def arm(application, item, now: datetime) -> None:
        name = scheduling.job_name(item.id)
        disarm(application, [item.id])
        application.job_queue.run_once(
            scheduling.fire_scheduled,
            when=max(item.due_at, now),
            data=item.id,
            name=name,
            job_kwargs={"id": name, "replace_existing": True, "misfire_grace_time": None},
        )

    patched = _swap({original_arm: arm, original_disarm: disarm})
    try:
        yield
    finally:
        _swap({arm: original_arm, disarm: original_disarm}, patched)


def _swap(replacements: dict[Any, Any], modules: list | None = None) -> list:
    """Replace functions wherever a bot module imported them; returns the modules touched."""
    touched = []
    for module in modules or [m for name, m in list(sys.modules.items()) if name.startswith("bot")]:
        for attribute, value in list(vars(module).items()):
            if any(value is old for old in replacements):
                setattr(module, attribute, replacements[value])
                touched.append(module)
    return touched


@contextmanager
def writes_on_loop_thread(database: Any, path: str) -> Iterator[None]:
    """Run the Database's reads and writes on the event loop's thread (no aiosqlite hop).

    A second sqlite3 connection to the same WAL file, opened with the app's pragmas; the
    round-trip counter still counts each call.
    """
    from storage.db import PRAGMAS, _in_transaction

    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        conn.execute(pragma)

    async def read(work, *args):
        database.round_trips += 1
        return work(conn, *args)

    async def write(work, *args):
        database.round_trips += 1
        return _in_transaction(conn, work, args)

    database.read, database.write = read, write
    try:
        yield
    finally:
        del database.read, database.write
        conn.close()
