"""What flows say: message keys and parameters, never sentences (the renderer translates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Mention(BaseModel):
    """A person named in a message (a link when their id is known)."""

    model_config = ConfigDict(frozen=True)

    name: str
    user_id: int | None = None


class LocalTime(BaseModel):
    """A moment to show in a set's time zone, in words."""

    model_config = ConfigDict(frozen=True)

    moment: datetime
    timezone: str
    with_date: bool = True  # False: only the time of day (a step's end)
    with_year: bool = False  # True: the year too (a date that may not be this year's)


@dataclass(frozen=True, slots=True, kw_only=True)
class Msg:
    """A message key with its parameters; `count` picks the plural form."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InLanguage:
    """A parameter in one language (a member's own words): shown when the set speaks it,
    else `otherwise` is shown."""

    language: str
    text: Msg
    otherwise: Any


def msg(key: str, count: int | None = None, **params: Any) -> Msg:
    """Shorthand for Msg(key, params, count)."""
    return Msg(key=key, params=params, count=count)


def voice_length(seconds: int) -> str:
    """A voice note's length as a player shows it: '0:23', '12:05'."""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"{minutes}:{rest:02d}"


def said_or_heard(text: str, voice_seconds: int | None) -> str:
    """A message's words, or for a voice note its length: '🎤 0:23' (an answer's, say)."""
    return text if voice_seconds is None else f"🎤 {voice_length(voice_seconds)}"
