"""The database file's faults: a damaged file stops the bot untouched; a full or failing disk
costs one write, tells its sender in one line, logs once a minute, and passes when space is back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from storage.db import Database
from storage.faults import (
    UnreadableDatabase,
    check_readable,
    is_io_error,
    is_storage_fault,
    is_storage_full,
)
from tests.conftest import TOKEN, BotUnderTest
from tests.e2e.helpers import query
from tests.faults.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
NOT_SAVED = "I could not save that; please send it again in a minute."
NOT_SAVED_FR = "Je n’ai pas pu enregistrer cela ; merci de le renvoyer dans une minute."
LOG_LINE = "Could not write to the database"
LONG = "长" * 3000  # 9,000 bytes of UTF-8: new pages however much room the last one has
SQLITE_MAX_PAGES = 1073741823


# --- recognising faults -------------------------------------------------------------------------


def full_error(tmp_path: Path) -> sqlite3.Error:
    """The error SQLite really raises when a write needs a page it may not have."""
    conn = sqlite3.connect(tmp_path / "small.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        conn.execute("INSERT INTO t VALUES (?)", (LONG,))
    except sqlite3.Error as error:
        return error
    finally:
        conn.close()
    raise AssertionError("the write fitted")


def test_a_full_database_is_recognised_and_other_errors_are_not(tmp_path):
    error = full_error(tmp_path)
    assert is_storage_full(error) and is_storage_fault(error)
    assert not is_io_error(error)
    wrapped = RuntimeError("while recording a question")
    wrapped.__cause__ = error
    assert is_storage_full(wrapped)
    for other in (
        sqlite3.IntegrityError("UNIQUE constraint failed: contributions.message_id"),
        sqlite3.OperationalError("database is locked"),
        ValueError("database or disk is full"),  # not SQLite's
        RuntimeError("boom"),
    ):
        assert not is_storage_fault(other), other


def test_an_io_error_is_recognised_by_code_or_by_message():
    by_message = sqlite3.OperationalError("disk I/O error")
    assert is_io_error(by_message) and is_storage_fault(by_message)
    by_code = sqlite3.OperationalError("something")
    by_code.sqlite_errorcode = 10 | (3 << 8)  # SQLITE_IOERR_WRITE
    assert is_io_error(by_code) and not is_storage_full(by_code)


# --- a damaged database file --------------------------------------------------------------------


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(16_384))


async def real_database(path: Path) -> None:
    database = await Database.open(path)
    await database.write(
        lambda conn: conn.executemany(
            "INSERT INTO sets (chat_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(-4_000_000_000 - n, "x" * 500, "2026-01-01", "2026-01-01") for n in range(50)],
        )
    )
    await database.close()


def truncated_real_database(path: Path) -> None:
    asyncio.run(real_database(path))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def damaged_page_in_the_middle(path: Path) -> None:
    """A sound header and schema, one data page overwritten: only a full read finds it."""
    asyncio.run(real_database(path))
    whole = bytearray(path.read_bytes())
    page = 4096
    middle = (len(whole) // page // 2) * page
    whole[middle : middle + page] = os.urandom(page)
    path.write_bytes(bytes(whole))


def damage(kind: str, path: Path) -> bytes:
    if kind == "random bytes":
        random_bytes(path)
    elif kind == "a page in the middle":
        damaged_page_in_the_middle(path)
    else:
        truncated_real_database(path)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path.read_bytes()


DAMAGE = ["random bytes", "truncated"]


@pytest.mark.parametrize("kind", [*DAMAGE, "a page in the middle"])
def test_python_m_bot_on_a_damaged_database_exits_2_and_leaves_it_untouched(tmp_path, kind):
    database = tmp_path / "bot.sqlite3"
    before = damage(kind, database)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(database),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # never reached
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"{database} is not a readable SQLite database" in line
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3", "bot.sqlite3.lock"]


@pytest.mark.parametrize("kind", DAMAGE)
async def test_the_check_and_the_open_both_refuse_a_damaged_file(tmp_path, kind):
    database = tmp_path / "bot.sqlite3"
    before = await asyncio.to_thread(damage, kind, database)
    with pytest.raises(UnreadableDatabase, match="not a readable SQLite database"):
        check_readable(database)
    with pytest.raises(UnreadableDatabase, match=str(database)):
        await Database.open(database)
    assert database.read_bytes() == before


async def test_a_sound_database_and_a_missing_one_pass_the_check(tmp_path):
    check_readable(tmp_path / "new.sqlite3")
    assert not (tmp_path / "new.sqlite3").exists()
    database = await Database.open(tmp_path / "bot.sqlite3")
    check_readable(tmp_path / "bot.sqlite3")  # open, with its write-ahead log beside it
    await database.close()
    check_readable(tmp_path / "bot.sqlite3")


# --- a full disk while the bot runs -------------------------------------------------------------


async def pages(bot: BotUnderTest) -> tuple[int, int]:
    conn = bot.repo.db.connection
    (count,) = await (await conn.execute("PRAGMA page_count")).fetchone()
    (free,) = await (await conn.execute("PRAGMA freelist_count")).fetchone()
    return count, free


def fill_the_disk(bot: BotUnderTest) -> TypeHandler:
    """From now on the database may not grow, from just after each update is journalled."""

    async def no_more_pages(update: object, context: object) -> None:
        count, _ = await pages(bot)
        await bot.repo.db.connection.execute(f"PRAGMA max_page_count = {count}")

    handler = TypeHandler(Update, no_more_pages)
    bot.app.add_handler(handler, group=-2)
    return handler


async def free_the_disk(bot: BotUnderTest, handler: TypeHandler) -> None:
    bot.app.remove_handler(handler, group=-2)
    await bot.repo.db.connection.execute(f"PRAGMA max_page_count = {SQLITE_MAX_PAGES}")


def fault_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(LOG_LINE)]


def questions(bot: BotUnderTest) -> list[str]:
    return [
        row["text"]
        for row in query(bot, "SELECT text FROM contributions WHERE kind = 'question' ORDER BY id")
    ]


async def test_a_full_disk_costs_one_write_tells_the_sender_and_passes(bot, caplog):
    caplog.set_level(logging.INFO)
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = group.member("Fatou", admin=True), group.member("Ann"), group.member("Ben")
    await fac.command("/session classic")
    await ann.command("/topic Staff leave early")
    await fac.command("/next")
    await ben.command("/q How many nurses are on the night shift?")
    stored = snapshot(bot)
    assert len(questions(bot)) == 1
    await bot.repo.db.connection.execute(
        "VACUUM"
    )  # the rebuilds of migrations 0015 and 0016 left free pages
    _, free = await pages(bot)
    assert free == 0, "free pages would let a write through"

    bot.tg.raise_errors = False
    full = fill_the_disk(bot)
    said_before = len(group.bot_texts())
    for _ in range(3):
        await ben.command(f"/q {LONG}")
    assert group.bot_texts()[said_before:] == [NOT_SAVED] * 3
    assert all(is_storage_full(error) for error in bot.tg.errors) and len(bot.tg.errors) == 3
    assert snapshot(bot) == stored, "a failed write harmed what was stored"
    (line,) = fault_lines(caplog)
    assert "the disk is full" in line
    assert "Unhandled error" not in caplog.text

    bot.clock.advance(seconds=61)
    await ben.command(f"/q {LONG}")
    assert fault_lines(caplog)[1:] == [
        f"{LOG_LINE}: the disk is full (database or disk is full); "
        "5 more failed writes since the last line"  # journal, handling and marks alike
    ]

    await free_the_disk(bot, full)
    bot.tg.raise_errors = True
    await ben.command(f"/q What would make staying possible? {LONG}")
    assert questions(bot)[-1].startswith("What would make staying possible?")
    assert len(questions(bot)) == 2
    assert NOT_SAVED not in group.bot_texts()[-1]
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 3/6")


def fail_every_write(monkeypatch, error: sqlite3.Error) -> None:
    """A full write-ahead log: every write fails, however small (the journal's too)."""

    def full(conn: sqlite3.Connection, batch: list) -> list:
        raise error

    monkeypatch.setattr("storage.db._in_group", full)


async def test_a_button_pressed_on_a_full_disk_is_answered_in_the_set_language(
    bot, monkeypatch, tmp_path
):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/language fr")
    await fac.command("/session")
    ask = group.last_bot_message()
    said = len(group.bot_texts())
    bot.tg.raise_errors = False
    with monkeypatch.context() as disk:
        fail_every_write(disk, full_error(tmp_path))
        press = await ann.press(ask, ask.buttons()[0]["text"])
        assert press.answer["text"] == NOT_SAVED_FR
        assert len(group.bot_texts()) == said  # answered on the button, not in the chat
    assert (await bot.repo.open_session(group.id)).topic_holder is None

    bot.tg.raise_errors = True
    await ann.press(ask, ask.buttons()[0]["text"])
    assert (await bot.repo.open_session(group.id)).topic_holder.user_id == ann.user_id


async def test_a_page_damaged_while_running_is_said_once_and_the_sender_told(bot, caplog, tmp_path):
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    damaged.sqlite_errorcode = 11  # SQLITE_CORRUPT
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    bot.tg.raise_errors = False
    with pytest.MonkeyPatch.context() as disk:
        fail_every_write(disk, damaged)
        await fac.command("/session classic")
        await fac.command("/session classic")
    assert group.bot_texts() == [NOT_SAVED, NOT_SAVED]
    (line,) = fault_lines(caplog)
    assert "the database file is damaged" in line and "restore it from a backup" in line
