"""Unit tests of flows.meetings: what a set's meeting time brings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from flows.follow_up import ActionRecord, Stage
from flows.meetings import meeting_follow_up, usual_time
from flows.models import ChatSet
from flows.schedule import MeetingRule

MEETING = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GRACE = timedelta(hours=2)
WEEKLY = MeetingRule(kind="every", first=MEETING, unit="week", timezone="UTC")


def open_action(action_id: int, stage: Stage = Stage.NOT_ASKED) -> ActionRecord:
    return ActionRecord(
        id=action_id,
        chat_id=-100,
        holder=None,
        holder_name="Ann",
        text=f"Action {action_id}",
        created_at=MEETING - timedelta(days=7),
        stage=stage,
    )


def a_set(**changes) -> ChatSet:
    return ChatSet(**{"chat_id": -100, "meeting_rule": WEEKLY.model_dump_json(), **changes})


def at(now: datetime, chat_set: ChatSet | None, actions: list[ActionRecord]):
    return meeting_follow_up(
        chat_set, actions, due_at=MEETING, now=now, grace=GRACE, timezone="UTC"
    )


def test_on_time_every_open_action_is_asked_and_the_next_meeting_said():
    actions = [open_action(1), open_action(2, Stage.ASK_OUTCOME)]  # the second asked before
    decided = at(MEETING, a_set(), actions)
    assert not decided.missed
    assert decided.opening.key == "follow_up.meeting" and decided.opening.count == 2
    assert [a.id for a in decided.asked] == [1, 2]
    assert decided.plan.meeting_at == MEETING + timedelta(weeks=1)
    assert decided.next_meeting.key == "meeting.next"


def test_without_open_actions_the_meeting_still_opens():
    decided = at(MEETING, a_set(meeting_rule=None), [])
    assert decided.opening.key == "follow_up.nothing"
    assert decided.asked == () and decided.plan is None and decided.next_meeting is None


def test_past_the_grace_nothing_is_said_and_the_next_meeting_is_planned():
    decided = at(MEETING + GRACE + timedelta(minutes=1), a_set(), [open_action(1)])
    assert decided.missed and decided.opening is None and decided.asked == ()
    assert decided.plan.meeting_at == MEETING + timedelta(weeks=1)


def test_within_the_grace_it_is_still_asked():
    assert not at(MEETING + GRACE - timedelta(minutes=1), a_set(), [open_action(1)]).missed


def test_a_paused_or_forgotten_set_misses_it():
    assert at(MEETING, a_set(active=False), [open_action(1)]).missed
    assert at(MEETING, None, []).missed


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, time(10)),  # the weekly rule's 10:00
        ({"meeting_rule": MeetingRule(kind="once", first=MEETING, timezone="Asia/Amman")
          .model_dump_json()}, time(13)),  # its own zone's wall clock, whatever the set's
        ({"meeting_rule": None, "next_meeting_at": MEETING}, time(11)),  # in the set's zone
        ({"meeting_rule": None}, None),
    ],
)  # fmt: skip
def test_usual_time_is_the_wall_clock_time_of_the_rule_else_of_the_next_meeting(fields, expected):
    assert usual_time(a_set(**fields), "Europe/Paris") == expected
