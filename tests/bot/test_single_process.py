"""One bot per database file: a second `python -m bot` stops at once with one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import claim_database
from storage.lock import AlreadyRunning, DatabaseLock, lock_path
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def run_bot(database: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot` on this database, with no .env or machine settings of its own."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(database.parent),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(database),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # never reached: nothing may poll
    }
    return subprocess.run(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def child_holding_the_lock(database: Path) -> subprocess.Popen[str]:
    """A process that takes the lock, says "locked", and waits on its stdin."""
    code = (
        "import sys; from storage.lock import DatabaseLock; "
        f"lock = DatabaseLock({str(database)!r}).acquire(); "
        "print('locked', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def test_a_second_bot_on_the_same_database_exits_2_with_one_line(tmp_path):
    database = tmp_path / "bot.sqlite3"
    with DatabaseLock(database):
        result = run_bot(database)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "already running" in line
    assert str(database) in line
    assert f"pid {os.getpid()}" in line
    assert not database.exists(), "the second bot touched the database"
    assert result.stdout == ""


def test_a_second_bot_leaves_an_existing_database_unchanged(tmp_path):
    database = tmp_path / "bot.sqlite3"
    database.write_bytes(b"whatever the first bot wrote")
    with DatabaseLock(database):
        result = run_bot(database)
    assert result.returncode == 2
    assert database.read_bytes() == b"whatever the first bot wrote"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3", "bot.sqlite3.lock"]


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    database = tmp_path / "bot.sqlite3"
    child = child_holding_the_lock(database)
    try:
        with pytest.raises(AlreadyRunning, match=f"pid {child.pid}"):
            DatabaseLock(database).acquire()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    lock = DatabaseLock(database).acquire()  # the kernel let it go with the process
    assert lock.held
    lock.release()


def test_a_lock_is_taken_once_and_free_again_after_release(tmp_path):
    database = tmp_path / "bot.sqlite3"
    first = DatabaseLock(database).acquire()
    with pytest.raises(AlreadyRunning, match="already running"):
        DatabaseLock(database).acquire()
    first.release()
    assert not first.held
    with DatabaseLock(database) as second:
        assert second.held
        assert lock_path(database).read_text() == str(os.getpid())


def test_with_the_lock_free_the_bot_gets_past_it_and_holds_it(tmp_path):
    database = tmp_path / "bot.sqlite3"
    lock = claim_database(database)  # what `python -m bot` does before building anything
    try:
        assert lock.held
        assert not database.exists()  # claiming opens nothing: the bot creates it in post_init
        with pytest.raises(AlreadyRunning):
            DatabaseLock(database).acquire()
    finally:
        lock.release()
    DatabaseLock(database).acquire().release()


def test_a_symlink_to_a_locked_database_is_refused_too(tmp_path):
    from storage.lock import AlreadyRunning, DatabaseLock

    database = tmp_path / "bot.sqlite3"
    database.touch()
    alias = tmp_path / "alias.sqlite3"
    alias.symlink_to(database)
    with DatabaseLock(database), pytest.raises(AlreadyRunning):
        DatabaseLock(alias).acquire()
