"""Conversions between SQLite rows and the domain's models."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from flows.models import ChatSet, Member, Role
from flows.quiet import stored_quiet


def to_db(moment: datetime | None) -> str | None:
    """An aware datetime as UTC text for SQLite ('2026-11-23 09:00:00', SQLite's own form)."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # the clock's own moments are UTC already: no conversion
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "seconds")[:19]


def from_db(text: str | None) -> datetime | None:
    """UTC text from SQLite as an aware datetime (fromisoformat: strptime is 50x slower)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


def chat_set(row: sqlite3.Row) -> ChatSet:
    """A `sets` row as a ChatSet."""
    return ChatSet(
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        title=row["title"],
        language=row["language"],
        language_hint=row["language_hint"],
        timezone=row["timezone"],
        default_exercise=row["default_exercise"],
        reminder_minutes=row["reminder_minutes"],
        auto_advance=bool(row["auto_advance"]),
        export_policy=row["export_policy"],
        meeting_rule=row["meeting_rule"],
        next_meeting_at=from_db(row["next_meeting_at"]),
        active=bool(row["active"]),
        retention_months=row["retention_months"],
        goal_count=row["goal_count"],
        goal_unit=row["goal_unit"],
        quiet=stored_quiet(row["quiet_hours"], row["days_off"]),
    )


def member(row: sqlite3.Row) -> Member:
    """A `members` row as a Member."""
    return Member(
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        name=row["name"],
        username=row["username"],
        language_code=row["language_code"],
        role=Role(row["role"]),
        active=bool(row["active"]),
    )
