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
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from telegram import Bot, InputFile
from telegram.error import NetworkError

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

    async def worker_pid(self) -> int:
        """The drawing process's id, asked of the process itself (tests and benchmarks)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), os.getpid)

    def shutdown(self) -> None:
        """Stop the process (with the application)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


async def send_picture(
    bot: Bot,
    drawing: Drawing,
    picture: Callable[..., bytes],
    *args: Any,
    chat_id: int,
    filename: str,
    caption: str | None = None,
    thread_id: int | None = None,
) -> bool:
    """Draw a picture in the drawing process and send it as a photo; False (logged) when it
    could not be drawn or sent, so the caller sends its figures as text instead."""
    try:
        png = await drawing.draw(picture, *args)
        await bot.send_photo(
            chat_id, InputFile(png, filename=filename), caption=caption, message_thread_id=thread_id
        )
    except DrawingFailed:
        log.warning("picture %s for chat %s not drawn: the drawing process died", filename, chat_id)
        return False
    # Refused (400: no rights to send photos), timed out or Telegram unreachable: the figures
    # still come as text (after a timeout the photo may have arrived too; the text is harmless).
    except NetworkError as failed:
        log.warning("picture %s not sent to chat %s: %s", filename, chat_id, failed.message)
        return False
    return True
