"""Unit tests of flows.follow_up: what each answer to a follow-up question does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.follow_up import (
    ActionOutcome,
    ActionRecord,
    Decision,
    Stage,
    asked_first,
    decide,
    record_outcome,
    round_over,
)
from flows.session_model import FollowUpAnswered, Phase, SaveFollowUp
from tests.flows.session_kit import at_step, context, keys, only, run, started

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


# --- the session's follow-up round ----------------------------------------------------------


def action(action_id: int, stage: Stage) -> ActionRecord:
    return asked().model_copy(update={"id": action_id, "stage": stage})


def test_the_round_is_over_when_no_asked_action_waits():
    closing = decide(record_outcome(asked(), ActionOutcome.DONE, None).action, Decision.CLOSE)
    never_asked = action(3, Stage.NOT_ASKED)  # opened by carry on: not part of this round
    assert round_over(closing.action, (asked(), never_asked))
    assert not round_over(closing.action, (asked(), action(2, Stage.DECIDE)))
    partly = record_outcome(asked(), ActionOutcome.PARTLY, None)  # now deciding what next
    assert not round_over(partly.action, (asked(),))


def test_asked_actions_come_first():
    actions = [action(1, Stage.NOT_ASKED), action(2, Stage.NEW_TEXT), action(3, Stage.DECIDE)]
    assert [a.id for a in asked_first(actions)] == [2, 3, 1]


def test_the_answer_that_ends_the_round_moves_the_session_on_with_it():
    round_open = started(open_actions=2)
    closing = decide(record_outcome(asked(), ActionOutcome.DONE, None).action, Decision.CLOSE)
    waiting = (asked(), action(2, Stage.ASK_OUTCOME))
    stays = run(round_open, FollowUpAnswered(change=closing), ctx=context(open_actions=waiting))
    assert stays.state == round_open
    assert only(stays, SaveFollowUp).change == closing
    last = (asked(), action(2, Stage.CLOSED))
    ends = run(
        round_open, FollowUpAnswered(change=closing, pressed_on=7), ctx=context(open_actions=last)
    )
    assert ends.state.phase is Phase.CHOOSE_HOLDER
    assert only(ends, SaveFollowUp).pressed_on == 7
    assert keys(ends) == ["session.ask_holder"]


def test_an_answer_outside_the_round_is_stored_and_moves_nothing():
    session = at_step()
    closing = decide(record_outcome(asked(), ActionOutcome.DONE, None).action, Decision.CLOSE)
    outcome = run(session, FollowUpAnswered(change=closing), ctx=context(open_actions=()))
    assert outcome.state == session and len(outcome.effects) == 1
    assert only(outcome, SaveFollowUp).change == closing
