"""`python -m bot`: check the settings and the database, then poll Telegram until stopped."""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

from telegram.error import InvalidToken

from bot.app import build_application
from bot.config import ConfigError, Settings, load_settings
from bot.polling import run_polling
from flows.exercises import ExerciseError
from storage.backup import BackupRefused, backup
from storage.faults import UnreadableDatabase, check_readable
from storage.lock import AlreadyRunning, DatabaseLock


def claim_database(path: Path) -> DatabaseLock:
    """Hold the database's lock and check the file is readable SQLite, before anything opens it.

    Raises AlreadyRunning or UnreadableDatabase; the lock is held until released or exit.
    """
    lock = DatabaseLock(path).acquire()
    try:
        check_readable(path)
    except BaseException:
        lock.release()
        raise
    return lock


def main(argv: list[str] | None = None) -> int:
    """Run the bot (or `backup <file>`); exit 2 with one clear line when it cannot start."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["backup"]:
        return make_backup(argv[1:])
    try:
        settings = load_settings()
        application = build_application(settings)
    except (ConfigError, ExerciseError) as problem:
        print(f"Configuration error: {problem}", file=sys.stderr)
        return 2
    try:
        lock = claim_database(settings.database_path)
    except (AlreadyRunning, UnreadableDatabase) as problem:
        print(problem, file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        run_polling(application)
    except UnreadableDatabase as problem:  # damaged between the check and the open
        print(problem, file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "Telegram rejected the bot token: check TELEGRAM_BOT_TOKEN (from @BotFather).",
            file=sys.stderr,
        )
        return 2
    finally:
        lock.release()
    return 0


def make_backup(args: list[str]) -> int:
    """`python -m bot backup <file>`: a consistent copy of the database, even while it runs."""
    if len(args) != 1:
        print("Usage: python -m bot backup <file>, e.g. python -m bot backup backup.sqlite3")
        return 2
    try:
        database = load_settings().database_path
        size = backup(database, args[0])
    except (ConfigError, BackupRefused, sqlite3.Error) as problem:
        print(f"Backup failed: {problem}", file=sys.stderr)
        return 2
    print(f"Backed up {database} to {args[0]} ({size / 1e6:.1f} MB).")
    return 0


def configure_logging(settings: Settings) -> None:
    """Log lines with time, level and source; httpx logs every poll and APScheduler every
    job it adds at INFO, so keep those two quiet."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for chatty in ("httpx", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
