"""The history of an action's status, one change at a time: committed, asked, answered, then
carried on, changed or closed (the long-format export for monitoring and evaluation)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from flows.follow_up import ActionOutcome, Decision, FollowUpChange, Stage


class ChangeKind(StrEnum):
    """What happened to an action's status."""

    COMMITTED = "committed"
    ASKED = "asked"
    ANSWERED = "answered"
    CARRIED_ON = "carried_on"
    CHANGED = "changed"
    CLOSED = "closed"


SETTLED_BY = {
    Decision.CARRY_ON: ChangeKind.CARRIED_ON,
    Decision.CHANGE: ChangeKind.CHANGED,
    Decision.CLOSE: ChangeKind.CLOSED,
}
CLOSING = frozenset(SETTLED_BY.values())  # the action is closed after these


class ActionChange(BaseModel):
    """One change of an action's status, as the export shows it."""

    model_config = ConfigDict(frozen=True)

    action_id: int
    session_id: int | None
    change: ChangeKind
    outcome: ActionOutcome | None = None  # the answer given, and the one it closed with
    at: datetime | None  # None: before the bot kept that moment (migration 0014's back-fill)
    previous_action_id: int | None = None  # committed: the action it carries on or changes
    next_action_id: int | None = None  # carried on or changed: the action that follows

    @property
    def status_after(self) -> str:
        """The action's status once changed, as the actions' export says it: open or closed."""
        return "closed" if self.change in CLOSING else "open"


def follow_up_change(
    stage: Stage, outcome: ActionOutcome | None, change: FollowUpChange
) -> ChangeKind | None:
    """The status change an answer makes to an action stored at `stage` with `outcome`: an
    outcome given (the same one pressed again changes nothing), or the action settled. What
    was learned, or "change" before its new text, is no change of status."""
    after = change.action
    if stage is Stage.CLOSED:
        return None
    if after.stage is Stage.CLOSED:
        return SETTLED_BY[change.decision or Decision.CLOSE]
    if after.stage is not Stage.DECIDE or after.outcome is None:
        return None
    asked = stage in (Stage.NOT_ASKED, Stage.ASK_OUTCOME)  # re-asked: the same answer counts
    return ChangeKind.ANSWERED if asked or after.outcome != outcome else None


def utc_text(moment: datetime | None) -> str:
    """ISO 8601 in UTC with a Z, '2026-03-28T09:00:00Z' (empty when not known)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def local_text(moment: datetime | None, timezone: str) -> str:
    """ISO 8601 in a zone with its offset that day, '2026-03-28T10:00:00+01:00'."""
    return moment.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds") if moment else ""
