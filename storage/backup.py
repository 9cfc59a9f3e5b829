"""Members' words at rest: the database is private to its owner, and copied consistently.

A new database file is created readable and writable by its owner only (SQLite gives its -wal
and -shm files the same mode), in a folder only its owner can enter when the bot creates it.
`backup` uses SQLite's online backup, so a copy taken while the bot runs is consistent.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class BackupRefused(Exception):
    """The backup cannot be made (the target exists, or the source is missing)."""


def create_private(path: Path | str) -> None:
    """Create an empty database file with owner-only access, if there is none yet."""
    path = Path(path)
    if path.exists():
        return
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # created meanwhile: SQLite opens it as it is
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))


def backup(source: Path | str, target: Path | str) -> int:
    """Copy the database to a new private file, consistently even while the bot writes;
    returns the copy's size in bytes."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise BackupRefused(f"{source} does not exist; check DATABASE_PATH.")
    if target.exists():
        raise BackupRefused(f"{target} exists already; choose a new file name.")
    create_private(target)
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    return target.stat().st_size
