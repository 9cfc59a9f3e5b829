"""Drawing pictures off the event loop: one worker process, shared by /report and /digest.

A picture is about 0.2 s of matplotlib CPU work. In a worker thread it still holds the GIL for
most of that time, so every other group's updates wait behind it (measured: the loop's p99
latency ~40 ms while a picture draws); in a separate process the loop is untouched (~2 ms; see
benchmarks/bench_pictures.py). One process (max_workers=1) keeps memory small and pictures in
order. It is started on the first picture from a forkserver (whose server has matplotlib and the
pictures' modules imported, so a restarted worker is quick), and shut down with the application.
If the process dies, the picture fails (the caller sends its text lines instead) and the next
picture starts a new process; the log says so.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger(__name__)

# Imported once in the forkserver, so each worker it forks starts with them loaded.
PRELOAD = ["bot.report_picture", "bot.org_digest_picture", "matplotlib.backends.backend_agg"]


class DrawingFailed(Exception):
    """The drawing process died while drawing; the picture is lost, the process restarted."""


class Drawing:
    """The drawing process: started lazily, restarted after it dies, shut down at the end."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool

    async def draw(self, picture: Callable[..., bytes], *args: Any) -> bytes:
        """`picture(*args)` (a module-level function returning PNG bytes) in the process."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), picture, *args)
        except BrokenProcessPool as died:
            self._restart()
            raise DrawingFailed(str(died)) from died

    def _restart(self) -> None:
        """Drop the dead process's pool; the next picture starts a new one."""
        broken, self._pool = self._pool, None
        self.restarts += 1
        log.warning("the drawing process died; starting a new one (restart %d)", self.restarts)
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    def worker_pids(self) -> list[int]:
        """The drawing process's id, if it runs (tests and benchmarks)."""
        if self._pool is None:
            return []
        return [process.pid for process in (self._pool._processes or {}).values()]

    def shutdown(self) -> None:
        """Stop the process (with the application)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
