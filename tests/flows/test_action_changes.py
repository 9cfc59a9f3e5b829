"""Which change of status an answer makes, and the moments as the long export writes them."""

from datetime import UTC, datetime

import pytest

from flows.action_changes import ActionChange, ChangeKind, follow_up_change, local_text, utc_text
from flows.follow_up import (
    ActionOutcome,
    ActionRecord,
    Decision,
    Stage,
    decide,
    record_learning,
    record_outcome,
    reply,
)
from flows.session_model import Person

ANN = Person(user_id=1, name="Ann")
WHEN = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


def action(stage: Stage, outcome: ActionOutcome | None = None, holder=ANN) -> ActionRecord:
    """An action stored at a stage."""
    return ActionRecord(
        id=7,
        chat_id=-1,
        holder=holder,
        holder_name="Ann",
        text="Call the supervisor",
        created_at=WHEN,
        stage=stage,
        outcome=outcome,
    )


def change_of(stored: ActionRecord, change) -> ChangeKind | None:
    """The change an answer makes to the action as stored."""
    return follow_up_change(stored.stage, stored.outcome, change)


@pytest.mark.parametrize("stage", [Stage.ASK_OUTCOME, Stage.NOT_ASKED])
def test_an_outcome_given_is_answered(stage):
    stored = action(stage)
    assert change_of(stored, record_outcome(stored, ActionOutcome.PARTLY, None)) is (
        ChangeKind.ANSWERED
    )


def test_the_same_outcome_pressed_again_changes_nothing_but_another_one_is_a_new_answer():
    stored = action(Stage.DECIDE, ActionOutcome.PARTLY)
    assert change_of(stored, record_outcome(stored, ActionOutcome.PARTLY, None)) is None
    assert change_of(stored, record_outcome(stored, ActionOutcome.DONE, None)) is (
        ChangeKind.ANSWERED
    )


def test_asked_again_the_same_outcome_is_answered_again():
    stored = action(Stage.ASK_OUTCOME, ActionOutcome.NOT_YET)  # answered at an earlier meeting
    assert change_of(stored, record_outcome(stored, ActionOutcome.NOT_YET, None)) is (
        ChangeKind.ANSWERED
    )


def test_what_was_learned_and_change_before_its_text_are_no_change_of_status():
    asked = action(Stage.ASK_OUTCOME, ActionOutcome.NOT_YET)
    assert change_of(asked, record_learning(asked, "Numbers help")) is None
    deciding = action(Stage.DECIDE, ActionOutcome.PARTLY)
    assert change_of(deciding, record_learning(deciding, "Numbers help")) is None
    waiting_for_text = decide(deciding, Decision.CHANGE)
    assert waiting_for_text.action.stage is Stage.NEW_TEXT
    assert change_of(deciding, waiting_for_text) is None


@pytest.mark.parametrize(
    ("decision", "text", "kind"),
    [
        (Decision.CARRY_ON, None, ChangeKind.CARRIED_ON),
        (Decision.CHANGE, "Call the director", ChangeKind.CHANGED),
        (Decision.CLOSE, None, ChangeKind.CLOSED),
    ],
)
def test_each_decision_settles_the_action_its_own_way(decision, text, kind):
    stored = action(Stage.DECIDE, ActionOutcome.PARTLY)
    assert change_of(stored, decide(stored, decision, text)) is kind


def test_a_change_given_as_the_same_words_is_still_changed():
    # The holder chose "change"; the export says so even if the words are the same.
    stored = action(Stage.NEW_TEXT, ActionOutcome.PARTLY)
    assert change_of(stored, reply(stored, "Call the supervisor")) is ChangeKind.CHANGED


def test_a_closed_action_changes_no_more():
    stored = action(Stage.CLOSED, ActionOutcome.DONE)
    assert change_of(stored, decide(action(Stage.DECIDE, ActionOutcome.DONE), Decision.CLOSE)) is (
        None
    )


def test_status_after_is_the_actions_status():
    statuses = {
        kind: ActionChange(action_id=1, session_id=1, change=kind, at=WHEN).status_after
        for kind in ChangeKind
    }
    assert statuses == {
        ChangeKind.COMMITTED: "open",
        ChangeKind.ASKED: "open",
        ChangeKind.ANSWERED: "open",
        ChangeKind.CARRIED_ON: "closed",
        ChangeKind.CHANGED: "closed",
        ChangeKind.CLOSED: "closed",
    }


def test_moments_in_utc_and_in_the_sets_zone_across_a_dst_change():
    before = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # Saturday: Paris is UTC+1
    after = datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # Monday: Paris is UTC+2
    assert utc_text(before) == "2027-03-27T09:00:00Z"
    assert local_text(before, "Europe/Paris") == "2027-03-27T10:00:00+01:00"
    assert local_text(after, "Europe/Paris") == "2027-03-29T10:00:00+02:00"
    assert local_text(after, "UTC") == "2027-03-29T08:00:00+00:00"
    assert utc_text(None) == local_text(None, "Europe/Paris") == ""
