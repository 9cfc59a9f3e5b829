"""One bot per database file: an exclusive lock the kernel drops when its process dies.

Two bots polling with one token steal each other's updates, and two writers on one file
interleave their sessions; so `python -m bot` holds `<database>.lock` for its whole life.
`flock` locks belong to the open file, so a crashed or killed bot leaves nothing to clean up.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):
    """Another process holds the database's lock."""


def lock_path(database: Path | str) -> Path:
    """The sidecar file locked for a database file (through any symlink to it, so two names
    for one file share one lock)."""
    return Path(f"{os.path.realpath(database)}.lock")


class DatabaseLock:
    """An exclusive, non-blocking lock on `<database>.lock`, held until released or exit."""

    def __init__(self, database: Path | str) -> None:
        self.database = Path(database)
        self.path = lock_path(database)
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._file is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock, or raise AlreadyRunning naming the database (and the holder's pid)."""
        handle = self.path.open("a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise AlreadyRunning(
                f"Another bot{pid} is already running on {self.database}; stop it first, "
                "or set DATABASE_PATH to another file."
            ) from None
        except BaseException:
            handle.close()
            raise
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        """Let the lock go (closing the file releases it)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
