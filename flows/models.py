"""The domain's records: a set (one group chat) and its members."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flows.quiet import QuietTime

SUPPORTED_LANGUAGES = ("en", "fr", "ar")


class Role(StrEnum):
    """What a member may do in a set."""

    MEMBER = "member"
    FACILITATOR = "facilitator"


class ChatSet(BaseModel):
    """One action learning set: a group chat and its settings."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    thread_id: int | None = None
    title: str = ""
    language: str | None = None
    language_hint: str | None = None
    timezone: str | None = None
    default_exercise: str = "classic"
    reminder_minutes: int | None = 1440
    auto_advance: bool = False
    export_policy: str = "facilitators"
    meeting_rule: str | None = None
    next_meeting_at: datetime | None = None
    active: bool = True
    retention_months: int | None = None  # None: RETENTION_MONTHS; 0: words kept until removed
    goal_count: int | None = None  # the routine goal (/goal): meetings per goal_unit
    goal_unit: Literal["week", "month"] | None = None
    quiet: QuietTime | None = None  # quiet hours and days off (/quiet, /daysoff)

    def language_or(self, default: str) -> str:
        """The set's language: chosen, else its starter's if supported, else the default."""
        if self.language:
            return self.language
        hint = (self.language_hint or "").split("-")[0].lower()
        return hint if hint in SUPPORTED_LANGUAGES else default

    def timezone_or(self, default: str) -> str:
        """The set's time zone, else the default."""
        return self.timezone or default

    def retention_or(self, default: int) -> int:
        """How many months the set keeps members' words (0: until removed), else the default."""
        return default if self.retention_months is None else self.retention_months


class Member(BaseModel):
    """A person who takes part in a set."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    user_id: int
    name: str
    username: str | None = None
    language_code: str | None = None
    role: Role = Role.MEMBER
    active: bool = True
