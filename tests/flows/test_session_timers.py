"""Tests for flows.session: timeboxes, extend, pause and resume, timers, auto-advance."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from flows.exercises import Exercise
from flows.session_model import (
    ArmTimer,
    CancelTimers,
    Extend,
    Outcome,
    Pause,
    Phase,
    Resume,
    Say,
    SessionContext,
    TimerFired,
)
from flows.steps import enter_step
from tests.flows.session_kit import (
    AMINA,
    EXERCISES,
    FACILITATOR,
    HOLDER,
    NOW,
    assert_hint,
    at_step,
    commit_index,
    context,
    keys,
    minutes,
    of,
    only,
    run,
    says,
    started,
)

# Timeboxes ------------------------------------------------------------------------------------


def timers_of(outcome: Outcome) -> list[tuple[str, datetime, int]]:
    """The (kind, due, step index) of each ArmTimer effect."""
    return [(t.kind, t.due, t.step_index) for t in of(outcome, ArmTimer)]


@pytest.mark.parametrize(("exercise", "index"), [("classic", 2), ("consult", 4), ("reframe", 0)])
def test_entering_a_step_arms_a_warning_a_minute_before_the_end(exercise, index):
    state = at_step(exercise, index)
    outcome = enter_step(state, index, context(exercise))
    length = minutes(EXERCISES[exercise].step(index).minutes)
    assert timers_of(outcome) == [
        ("warning", NOW + length - minutes(1), index),
        ("end", NOW + length, index),
    ]


def test_a_one_minute_step_has_no_warning():
    base = EXERCISES["consult"]
    short = Exercise.model_validate(
        {**base.model_dump(), "steps": [s.model_copy(update={"minutes": 1}) for s in base.steps]}
    )
    ctx = SessionContext(exercise=short, now=NOW)
    state = started("consult").model_copy(update={"topic_holder": HOLDER})
    assert timers_of(enter_step(state, 0, ctx)) == [("end", NOW + minutes(1), 0)]


EXTENSIONS = [
    # (deadline relative to now, minutes added, new deadline relative to now, warning armed)
    (minutes(4), 5, minutes(9), True),
    (minutes(-3), 5, minutes(5), True),
    (minutes(-3), 1, minutes(1), False),
    (timedelta(seconds=30), 1, timedelta(seconds=90), True),
    (timedelta(0), 2, minutes(2), True),
]


@pytest.mark.parametrize(("left", "added", "new_left", "warned"), EXTENSIONS)
def test_extend_moves_the_deadline_and_rearms_the_timers(left, added, new_left, warned):
    later = NOW + minutes(30)
    state = at_step("classic", 2).model_copy(update={"deadline": later + left})
    outcome = run(state, Extend(minutes=added), ctx=context(now=later, timezone="Asia/Amman"))
    deadline = later + new_left
    assert outcome.state.deadline == deadline
    assert isinstance(outcome.effects[0], CancelTimers)
    said = only(outcome, Say).message
    assert (said.key, said.params["minutes"]) == ("session.extended", added)
    until = said.params["until"]
    assert (until.moment, until.timezone) == (deadline, "Asia/Amman")
    expected = [("end", deadline, 2)]
    if warned:
        expected.insert(0, ("warning", deadline - minutes(1), 2))
    assert timers_of(outcome) == expected


def test_pause_keeps_the_remaining_time_and_cancels_the_timers():
    state = at_step("classic", 1)
    outcome = run(state, Pause(), ctx=context(now=NOW + minutes(4)))
    assert outcome.state.paused_remaining == 6 * 60
    assert outcome.state.paused
    assert isinstance(outcome.effects[0], CancelTimers)
    assert keys(outcome) == ["session.paused"]
    assert not of(outcome, ArmTimer)


def test_pause_after_the_deadline_keeps_no_time():
    state = at_step("classic", 1)
    assert run(state, Pause(), ctx=context(now=NOW + minutes(12))).state.paused_remaining == 0


def test_resume_restarts_the_clock_with_the_time_that_was_left():
    paused = run(at_step("classic", 1), Pause(), ctx=context(now=NOW + minutes(4))).state
    later = NOW + minutes(20)
    outcome = run(paused, Resume(), ctx=context(now=later))
    assert outcome.state.deadline == later + minutes(6)
    assert not outcome.state.paused
    assert keys(outcome) == ["session.resumed"]
    assert outcome.effects[0].message.params["until"].moment == later + minutes(6)
    assert timers_of(outcome) == [
        ("warning", later + minutes(5), 1),
        ("end", later + minutes(6), 1),
    ]


def test_resume_with_no_time_left_ends_the_step_at_once():
    paused = run(at_step("classic", 1), Pause(), ctx=context(now=NOW + minutes(12))).state
    later = NOW + minutes(15)
    outcome = run(paused, Resume(), ctx=context(now=later))
    assert outcome.state.deadline == later
    assert timers_of(outcome) == [("end", later, 1)]


@pytest.mark.parametrize(
    ("event", "key"),
    [(Pause(), "session.paused_already"), (Extend(minutes=5), "session.paused_already")],
)
def test_pause_and_extend_while_paused_get_a_hint(event, key):
    paused = run(at_step("classic", 1), Pause()).state
    assert_hint(paused, run(paused, event), key)


def test_resume_when_not_paused_gets_a_hint():
    state = at_step("classic", 1)
    assert_hint(state, run(state, Resume()), "session.not_paused")


@pytest.mark.parametrize("kind", ["warning", "end"])
def test_timers_do_nothing_while_paused(kind):
    paused = run(at_step("classic", 1), Pause()).state
    fired = TimerFired(kind=kind, step_index=1)
    ctx = context(now=NOW + minutes(11), auto_advance=True)
    assert run(paused, fired, ctx=ctx) == Outcome(state=paused)


@pytest.mark.parametrize("kind", ["warning", "end"])
def test_a_timer_of_an_earlier_step_does_nothing(kind):
    state = at_step("classic", 2)
    fired = TimerFired(kind=kind, step_index=1)
    ctx = context(now=NOW + minutes(1), auto_advance=True)
    assert run(state, fired, ctx=ctx) == Outcome(state=state)


def test_the_warning_says_a_minute_is_left():
    state = at_step("classic", 1)
    outcome = run(
        state, TimerFired(kind="warning", step_index=1), ctx=context(now=NOW + minutes(9))
    )
    assert outcome.state == state
    assert keys(outcome) == ["session.minute_left"]


def test_a_warning_fired_after_the_deadline_does_nothing():
    state = at_step("classic", 1)
    fired = TimerFired(kind="warning", step_index=1)
    assert run(state, fired, ctx=context(now=NOW + minutes(10))) == Outcome(state=state)
    assert run(state, fired, ctx=context(now=NOW + minutes(50))) == Outcome(state=state)


def test_the_end_without_auto_advance_tells_the_facilitator():
    state = at_step("classic", 1)
    outcome = run(state, TimerFired(kind="end", step_index=1), ctx=context(now=NOW + minutes(10)))
    message = assert_hint(state, outcome, "session.time_up")
    assert message.params["facilitator"] == FACILITATOR.mention()


def test_the_end_with_auto_advance_moves_on():
    state = at_step("classic", 1)
    later = NOW + minutes(10)
    outcome = run(
        state, TimerFired(kind="end", step_index=1), ctx=context(now=later, auto_advance=True)
    )
    assert outcome.state.step_index == 2
    assert outcome.state.deadline == later + minutes(15)
    assert ("end", later + minutes(15), 2) in timers_of(outcome)


def test_the_end_of_the_last_step_with_auto_advance_closes():
    state = at_step("classic", 5)
    fired = TimerFired(kind="end", step_index=5)
    outcome = run(state, fired, ctx=context(now=NOW + minutes(5), auto_advance=True))
    assert outcome.state.phase is Phase.CLOSED
    assert keys(outcome)[-1] == "summary.lines"


def test_auto_advance_in_the_commit_step_without_an_action_moves_on():
    state = at_step("classic", commit_index("classic"))
    ctx = context(auto_advance=True, now=NOW + minutes(3))
    outcome = run(state, TimerFired(kind="end", step_index=state.step_index), ctx=ctx)
    assert outcome.state.step_index == state.step_index + 1
    assert outcome.state.action is None


def test_auto_advance_reveals_held_back_statements_then_moves_on_after_the_pick_time():
    state = at_step("reframe", 2)
    state = run(state, says(AMINA, "It is trust."), ctx=context("reframe", member_count=3)).state
    ctx = context("reframe", auto_advance=True, now=NOW + minutes(7), member_count=3)
    shown = run(state, TimerFired(kind="end", step_index=2), ctx=ctx)
    assert shown.state.revealed and shown.state.step_index == 2
    assert "session.reveal" in keys(shown)
    (timer,) = of(shown, ArmTimer)
    assert timer.due == NOW + minutes(9) and timer.kind == "end"
    later = context("reframe", auto_advance=True, now=timer.due, member_count=3)
    moved = run(shown.state, TimerFired(kind="end", step_index=2), ctx=later)
    assert moved.state.step_index == 3
