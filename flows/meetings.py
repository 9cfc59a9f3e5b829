"""The next meeting and its reminder, from a set's rule; what to do with a late follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from flows.schedule import MeetingRule, next_meeting, reminder_time


class MeetingPlan(BaseModel):
    """When the next meeting is, and when to remind the set of it."""

    model_config = ConfigDict(frozen=True)

    meeting_at: datetime
    reminder_at: datetime | None = None


def plan_meeting(
    rule: MeetingRule, *, after: datetime, reminder_minutes: int | None
) -> MeetingPlan | None:
    """The next meeting strictly after `after`, with a reminder only if it is still ahead."""
    meeting = next_meeting(rule, after=after)
    if meeting is None:
        return None
    reminder = reminder_time(
        meeting, timedelta(minutes=reminder_minutes) if reminder_minutes else None
    )
    return MeetingPlan(
        meeting_at=meeting, reminder_at=reminder if reminder and reminder > after else None
    )


def rule_from_json(text: str | None) -> MeetingRule | None:
    """A stored rule, if any."""
    return MeetingRule.model_validate_json(text) if text else None
