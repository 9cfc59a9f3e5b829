"""The learning log as the set reads it: sessions with their topic, action, outcome, learnings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from flows.follow_up import ActionOutcome


class LoggedAction(BaseModel):
    """An action as the log and the export show it."""

    model_config = ConfigDict(frozen=True)

    id: int
    session_id: int | None
    holder_name: str
    text: str
    success_sign: str | None = None
    help_needed: str | None = None
    created_at: datetime
    due_at: datetime | None = None
    status: str
    outcome: ActionOutcome | None = None
    learning: str | None = None
    closed_at: datetime | None = None
    previous_id: int | None = None
    words_erased_at: datetime | None = None  # retention erased its words; the record stays


class LoggedSession(BaseModel):
    """One session of the log."""

    model_config = ConfigDict(frozen=True)

    id: int
    started_at: datetime
    closed_at: datetime | None
    exercise: str
    holder_name: str | None
    topic: str | None
    reframe: str | None
    question_count: int = 0
    learnings: tuple[str, ...] = ()
    actions: tuple[LoggedAction, ...] = ()
    words_erased_at: datetime | None = None  # retention erased its words; the record stays


FORGOTTEN_NAME = "a member"  # what /forget leaves on actions; the renderer translates it


def shown_actions(actions: tuple[LoggedAction, ...]) -> tuple[LoggedAction, ...]:
    """A session's actions as the log shows them: a carried-on action (the same words again,
    continuing one of this session's actions) is not listed a second time."""
    texts = {action.id: action.text for action in actions}
    return tuple(
        action
        for action in actions
        if action.previous_id is None or texts.get(action.previous_id) != action.text
    )
