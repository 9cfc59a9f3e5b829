"""Tests for flows.session: the holder commits to an action; edits of what was said."""

from __future__ import annotations

import pytest

from flows.session_model import (
    Acknowledge,
    ActionDraft,
    Advance,
    CommitAction,
    EditContribution,
    Phase,
    Record,
    UpdateRecord,
    Volunteer,
)
from flows.steps import parse_action
from flows.text import LocalTime
from tests.flows.session_kit import (
    ACTION_TEXT,
    AMINA,
    EXERCISES,
    HOLDER,
    NEXT_MEETING,
    TOPIC,
    assert_hint,
    at_step,
    commit_index,
    context,
    keys,
    of,
    only,
    run,
    says,
    started,
)

# Committing to an action ----------------------------------------------------------------------

PARSED = [
    ("a | b | c", ActionDraft(text="a", success_sign="b", help_needed="c", message_id=5)),
    ("  call Ali  ", ActionDraft(text="call Ali", message_id=5)),
    (
        "call Ali | he says yes",
        ActionDraft(text="call Ali", success_sign="he says yes", message_id=5),
    ),
    ("call Ali || a car", ActionDraft(text="call Ali", help_needed="a car", message_id=5)),
    ("a | b | c | d", ActionDraft(text="a", success_sign="b", help_needed="c | d", message_id=5)),
]


@pytest.mark.parametrize(("text", "draft"), PARSED, ids=[p[0] for p in PARSED])
def test_parse_action(text, draft):
    assert parse_action(text, 5) == draft


@pytest.mark.parametrize("text", ["", "   ", "| how | help", "  |  "])
def test_parse_action_needs_the_what(text):
    assert parse_action(text, 5) is None


def test_commit_action_by_the_holder_in_the_commit_step():
    state = at_step("classic", 4)
    outcome = run(
        state,
        CommitAction(person=HOLDER, text=ACTION_TEXT, message_id=77),
        ctx=context(next_meeting=NEXT_MEETING, timezone="Africa/Bamako"),
    )
    assert outcome.state.action == parse_action(ACTION_TEXT, 77)
    assert keys(outcome) == []  # no new message: a reaction on the holder's own
    record = only(outcome, Record)
    assert (record.kind, record.message_id, record.text) == ("action", 77, ACTION_TEXT)
    taken = only(outcome, Acknowledge)
    assert (taken.message_id, taken.fallback.key) == (77, "session.action_recorded")
    params = taken.fallback.params
    assert params["action"] == "Call the district office"
    assert params["due"] == LocalTime(moment=NEXT_MEETING, timezone="Africa/Bamako")


def test_commit_action_without_a_next_meeting():
    outcome = run(at_step("consult", 4), CommitAction(person=HOLDER, text="Ask Ali"))
    assert outcome.state.action == ActionDraft(text="Ask Ali")
    assert keys(outcome) == ["session.action_recorded_no_meeting"]
    assert not of(outcome, Record)  # no message to record against


def test_commit_action_from_someone_else_is_refused():
    state = at_step("classic", 4)
    message = assert_hint(
        state,
        run(state, CommitAction(person=AMINA, text=ACTION_TEXT)),
        "session.action_holder_only",
    )
    assert message.params["holder"] == HOLDER.mention()


@pytest.mark.parametrize(("exercise", "index"), [("classic", 0), ("classic", 3), ("classic", 5)])
def test_commit_action_outside_the_commit_step_is_refused(exercise, index):
    state = at_step(exercise, index)
    outcome = run(state, CommitAction(person=HOLDER, text=ACTION_TEXT))
    assert_hint(state, outcome, "session.action_not_now")


def test_commit_action_before_any_holder_is_refused():
    state = started()
    assert_hint(
        state, run(state, CommitAction(person=HOLDER, text="x")), "session.action_holder_only"
    )


def test_an_empty_action_gets_the_usage():
    state = at_step("classic", 4)
    assert_hint(state, run(state, CommitAction(person=HOLDER, text=" | ")), "session.action_usage")


def test_the_holders_plain_message_in_the_commit_step_is_the_action():
    message = says(HOLDER, ACTION_TEXT)
    outcome = run(at_step("reframe", 4), message)
    assert outcome.state.action == parse_action(ACTION_TEXT, message.message_id)
    record = only(outcome, Record)
    assert (record.kind, record.message_id, record.step_index) == ("action", message.message_id, 4)
    taken = only(outcome, Acknowledge)
    assert (taken.message_id, taken.fallback.key) == (
        message.message_id,
        "session.action_recorded_no_meeting",
    )


def test_the_holders_unusable_message_in_the_commit_step_is_a_comment():
    state = run(at_step("classic", 4), says(HOLDER, ACTION_TEXT)).state
    outcome = run(state, says(HOLDER, "| just the help"))
    assert only(outcome, Record).kind == "comment"
    assert outcome.state.action == state.action


def test_editing_the_action_message_updates_the_action():
    message = says(HOLDER, ACTION_TEXT)
    state = run(at_step("classic", 4), message).state
    outcome = run(state, EditContribution(message_id=message.message_id, text="Visit Ali | yes"))
    assert outcome.state.action == ActionDraft(
        text="Visit Ali", success_sign="yes", message_id=message.message_id
    )
    assert outcome.effects == (UpdateRecord(message_id=message.message_id, text="Visit Ali | yes"),)


def test_editing_the_action_to_nothing_keeps_the_action():
    message = says(HOLDER, ACTION_TEXT)
    state = run(at_step("classic", 4), message).state
    outcome = run(state, EditContribution(message_id=message.message_id, text=" | oops"))
    assert outcome.state.action == state.action
    assert of(outcome, UpdateRecord)


def test_editing_the_topic_message_updates_the_topic():
    state = run(started(), Volunteer(person=HOLDER, topic=TOPIC, message_id=50)).state
    outcome = run(state, EditContribution(message_id=50, text="Staff turnover\nand more"))
    assert outcome.state.topic == "Staff turnover"
    unrelated = run(state, EditContribution(message_id=51, text="Something else"))
    assert unrelated.state == state
    assert unrelated.effects == (UpdateRecord(message_id=51, text="Something else"),)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_advance_at_commit_without_an_action_warns_once_then_moves_on(exercise):
    index = commit_index(exercise)
    state = at_step(exercise, index)
    warned = run(state, Advance())
    assert keys(warned) == ["session.no_action_yet"]
    assert (warned.state.step_index, warned.state.commit_warned) == (index, True)
    moved = run(warned.state, Advance())
    assert moved.state.step_index == index + 1
    assert moved.state.action is None


def test_advance_at_commit_with_an_action_moves_on_at_once():
    state = run(at_step("classic", 4), says(HOLDER, ACTION_TEXT)).state
    outcome = run(state, Advance())
    assert outcome.state.step_index == 5
    assert outcome.state.action == state.action


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_advance_walks_every_step_then_closes(exercise):
    state = at_step(exercise, 0)
    seen = [0]
    while state.is_open:
        state = run(state, Advance()).state
        if state.is_open:
            seen.append(state.step_index)
    unique = sorted(set(seen))
    assert unique == list(range(len(EXERCISES[exercise].steps)))
    assert state.phase is Phase.CLOSED
