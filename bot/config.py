"""Settings read from the environment and `.env`, validated once at start."""

from __future__ import annotations

import os
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{10,}$")


class ConfigError(Exception):
    """A setting is missing or wrong; the message says what to do."""


class Settings(BaseSettings):
    """Everything the bot needs from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr
    telegram_api_base_url: str | None = None
    database_path: Path = Path("data/actionlearning.sqlite3")
    default_timezone: str = "UTC"
    default_language: Literal["en", "fr", "ar"] = "en"
    rate_limiter: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    follow_up_grace_hours: float = Field(default=12.0, ge=0)
    error_chat_id: int | None = None
    retention_months: int = Field(default=12, ge=0)  # for sets that chose none; 0 = off
    # The organisation's MEAL staff (Telegram user ids) who may ask for /digest; blank: none.
    meal_staff: Annotated[frozenset[int], NoDecode] = frozenset()

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone") from exc
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _blank_is_default(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @field_validator("error_chat_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("retention_months", mode="before")
    @classmethod
    def _off_is_zero(cls, value: object) -> object:
        return 0 if isinstance(value, str) and value.strip().lower() == "off" else value

    @field_validator("meal_staff", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


_HINTS = {
    "telegram_bot_token": (
        "TELEGRAM_BOT_TOKEN is missing or malformed: create a bot with @BotFather in Telegram "
        "(/newbot), then put TELEGRAM_BOT_TOKEN=123456:ABC... in .env (see .env.example)."
    ),
    "default_timezone": (
        "DEFAULT_TIMEZONE must be an IANA time zone such as UTC, Africa/Bamako or Asia/Amman."
    ),
    "default_language": "DEFAULT_LANGUAGE must be one of: en, fr, ar.",
    "rate_limiter": "RATE_LIMITER must be on or off.",
    "log_level": "LOG_LEVEL must be one of: DEBUG, INFO, WARNING, ERROR.",
    "follow_up_grace_hours": "FOLLOW_UP_GRACE_HOURS must be a number of hours, 0 or more.",
    "error_chat_id": (
        "ERROR_CHAT_ID must be a Telegram chat id such as 123456789 or -1001234567890 "
        "(or empty for no error reports)."
    ),
    "retention_months": (
        "RETENTION_MONTHS must be a whole number of months such as 12, or off (words are then "
        "kept until members remove them)."
    ),
    "meal_staff": (
        "MEAL_STAFF must be Telegram user ids separated by commas, such as 123456789,987654321 "
        "(or empty for none)."
    ),
}


def load_settings(**overrides: object) -> Settings:
    """Read and check the settings; raise ConfigError with a one-line fix."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
        raise ConfigError(_HINTS.get(field, f"Invalid setting {field.upper()}: {exc}")) from None
    _ensure_writable(settings.database_path)
    return settings


def _ensure_writable(path: Path) -> None:
    """Create the database folder and check we may write there."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # see storage/backup.py
    except OSError as exc:
        raise ConfigError(
            f"DATABASE_PATH {path}: cannot create its folder ({exc.strerror}); "
            "choose a writable path."
        ) from None
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK) or path.is_dir():
        raise ConfigError(f"DATABASE_PATH {path} is not writable; choose a writable file path.")
