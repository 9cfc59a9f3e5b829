"""Members' words at rest: a private database file, and a backup taken while the bot runs."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from storage.backup import BackupRefused, backup
from tests.conftest import TOKEN, running_bot, settings_at
from tests.e2e.helpers import query

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_log_are_readable_by_their_owner_only(bot):
    database = Path(bot.settings.database_path)
    assert mode(database) == 0o600
    assert mode(Path(f"{database}-wal")) == 0o600


async def test_a_backup_taken_while_the_bot_runs_starts_a_bot_with_the_same_log(
    bot, clock, tmp_path
):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session consult")
    await ann.command("/topic Night staff leave early")
    copy = tmp_path / "copy" / "backup.sqlite3"
    assert backup(bot.settings.database_path, copy) > 0
    assert mode(copy) == 0o600
    with pytest.raises(BackupRefused, match="exists already"):
        backup(bot.settings.database_path, copy)
    async with running_bot(settings_at(copy), clock) as restored:
        (session,) = query(restored, "SELECT topic FROM sessions")
        assert session["topic"] == "Night staff leave early"


def test_python_m_bot_backup_says_what_it_did_in_one_line(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"),
    }
    run = [sys.executable, "-m", "bot", "backup"]
    missing = subprocess.run(
        [*run, str(tmp_path / "b.sqlite3")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    usage = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True)
    assert usage.returncode == 2 and "Usage: python -m bot backup <file>" in usage.stdout
    with sqlite3.connect(env["DATABASE_PATH"]) as conn:
        conn.execute("CREATE TABLE t (x)")
    made = subprocess.run(
        [*run, str(tmp_path / "b.sqlite3")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert made.returncode == 0 and made.stdout.startswith("Backed up ")
    assert (tmp_path / "b.sqlite3").exists()
