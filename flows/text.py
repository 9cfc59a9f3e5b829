"""What flows say: message keys and parameters, never sentences (the renderer translates)."""

from __future__ import annotations

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


class Msg(BaseModel):
    """A message key with its parameters; `count` picks the plural form."""

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, Any] = {}
    count: int | None = None


def msg(key: str, count: int | None = None, **params: Any) -> Msg:
    """Shorthand for Msg(key, params, count)."""
    return Msg(key=key, params=params, count=count)
