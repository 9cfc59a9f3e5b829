"""What can go wrong with the database file itself, recognised in one place.

A full disk or an I/O error fails one write (its transaction is rolled back, nothing stored is
harmed) and passes once space is back; a file that is not SQLite stops the bot before it starts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_IOERR = 10
SQLITE_NOTADB = 26
UNREADABLE = {SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB}


class UnreadableDatabase(Exception):
    """The database file exists but SQLite cannot read it (corrupt, truncated, not SQLite)."""


def unreadable(path: Path | str, error: sqlite3.Error) -> UnreadableDatabase:
    """The one-line explanation of why a database file cannot be used."""
    return UnreadableDatabase(
        f"{path} is not a readable SQLite database ({error}); restore it from a backup, "
        "or set DATABASE_PATH to another file."
    )


def _primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and the ones it was raised from or while handling."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_storage_full(error: BaseException) -> bool:
    """Whether a write failed because the disk (or the database's size limit) is full."""
    return any(
        isinstance(e, sqlite3.Error)
        and (_primary_code(e) == SQLITE_FULL or "database or disk is full" in str(e))
        for e in _chain(error)
    )


def is_io_error(error: BaseException) -> bool:
    """Whether SQLite reported an I/O error from the disk."""
    return any(
        isinstance(e, sqlite3.Error)
        and (_primary_code(e) == SQLITE_IOERR or "disk i/o error" in str(e).lower())
        for e in _chain(error)
    )


def is_damaged(error: BaseException) -> bool:
    """Whether SQLite found the file damaged while the bot ran (the start check reads only
    the schema, so a damaged page elsewhere shows up here)."""
    return any(
        isinstance(e, sqlite3.DatabaseError) and _primary_code(e) == SQLITE_CORRUPT
        for e in _chain(error)
    )


def is_storage_fault(error: BaseException) -> bool:
    """Whether an error is the disk's or the file's (full, failing, damaged), not the bot's."""
    return is_storage_full(error) or is_io_error(error) or is_damaged(error)


def is_unreadable(error: BaseException) -> bool:
    """Whether SQLite says the file is not a database, corrupt, or cannot be opened."""
    return isinstance(error, sqlite3.DatabaseError) and _primary_code(error) in UNREADABLE


def check_readable(path: Path | str) -> None:
    """Raise UnreadableDatabase unless the file is missing or SQLite finds every page sound.

    Opened read-only, so a damaged file is left exactly as it was found.
    """
    path = Path(path)
    if not path.exists():
        return  # a new database is created on open
    # Without a write-ahead log the file is the whole database: read it as immutable, so SQLite
    # creates no -wal or -shm beside it. With one (a bot stopped mid-checkpoint), the file alone
    # may be half-updated, so read it as SQLite would, through the log.
    wal = Path(f"{path}-wal")
    has_log = wal.exists() and wal.stat().st_size > 0
    mode = "mode=ro" if has_log else "mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
    except sqlite3.Error as error:
        raise unreadable(path, error) from None
    try:
        # quick_check reads every page (0.2 s for 125 MB here): damage anywhere is found now,
        # not by the member whose message lands on the broken page.
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if is_unreadable(error) or is_io_error(error):
            raise unreadable(path, error) from None
        return  # anything else (say, a lock another program holds) is for the open to wait out
    finally:
        connection.close()
    if verdict != "ok":
        found = " ".join(verdict.replace("*** in database main ***", "").split())
        raise unreadable(path, sqlite3.DatabaseError(f"damaged: {found}"))
