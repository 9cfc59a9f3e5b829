"""Settings: validated once, with one clear line for each mistake."""

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import TOKEN


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No settings from the machine or a .env file."""
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_PATH", "DEFAULT_TIMEZONE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_and_database_folder_created(tmp_path):
    settings = load_settings(telegram_bot_token=TOKEN)
    assert settings.database_path.as_posix() == "data/actionlearning.sqlite3"
    assert (tmp_path / "data").is_dir()
    assert settings.default_timezone == "UTC"
    assert settings.rate_limiter is True
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(settings)


def test_reads_dotenv(tmp_path):
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nDEFAULT_TIMEZONE=Africa/Bamako\nRATE_LIMITER=off\n"
    )
    settings = load_settings()
    assert settings.default_timezone == "Africa/Bamako"
    assert settings.rate_limiter is False


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"telegram_bot_token": "not-a-token"}, "@BotFather"),
        ({"telegram_bot_token": TOKEN, "default_timezone": "Mars/Olympus"}, "IANA"),
        ({"telegram_bot_token": TOKEN, "default_language": "de"}, "en, fr, ar"),
        ({"telegram_bot_token": TOKEN, "log_level": "LOUD"}, "LOG_LEVEL"),
        ({"telegram_bot_token": TOKEN, "database_path": "/proc/nope/x.sqlite3"}, "DATABASE_PATH"),
        ({"telegram_bot_token": TOKEN, "meal_staff": "123, Olu"}, "MEAL_STAFF"),
    ],
)
def test_each_mistake_gets_one_line(overrides, says):
    with pytest.raises(ConfigError) as raised:
        load_settings(**overrides)
    message = str(raised.value)
    assert says in message
    assert "\n" not in message


def test_meal_staff_are_comma_separated_user_ids_and_blank_is_none(tmp_path):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nMEAL_STAFF=123456789, 42,\n")
    assert load_settings().meal_staff == {123456789, 42}
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nMEAL_STAFF=\n")
    assert load_settings().meal_staff == frozenset()


def test_database_path_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="not writable"):
        load_settings(telegram_bot_token=TOKEN, database_path=str(tmp_path))


def test_python_m_bot_without_token_exits_2_without_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(__import__("pathlib").Path(__file__).parents[2])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "@BotFather" in result.stderr
