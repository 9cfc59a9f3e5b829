"""Unit tests of flows.follow_up: what each answer to a follow-up question does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.follow_up import (
    ActionOutcome,
    ActionRecord,
    Decision,
    Stage,
    decide,
    record_outcome,
)

CREATED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def asked() -> ActionRecord:
    return ActionRecord(
        id=1,
        chat_id=-100,
        holder=None,
        holder_name="Ann",
        text="Call the night supervisor",
        created_at=CREATED,
        stage=Stage.ASK_OUTCOME,
    )


def verbs(change) -> list[str]:
    return [button.verb for button in change.buttons]


@pytest.mark.parametrize(
    "outcome", [ActionOutcome.DONE, ActionOutcome.PARTLY, ActionOutcome.NOT_YET]
)
def test_after_an_outcome_the_holder_may_carry_on_change_or_close(outcome):
    assert verbs(record_outcome(asked(), outcome, None)) == ["d:carry", "d:change", "d:close"]


def test_a_dropped_action_is_not_offered_carry_on_nor_carried_on():
    dropped = record_outcome(asked(), ActionOutcome.DROPPED, None)
    assert verbs(dropped) == ["d:change", "d:close"]
    refused = decide(dropped.action, Decision.CARRY_ON)
    assert refused.hint.key == "follow_up.no_carry_after_drop"
    assert refused.action == dropped.action and refused.next_action_text is None
    closed = decide(dropped.action, Decision.CLOSE)
    assert closed.action.stage is Stage.CLOSED and closed.next_action_text is None
