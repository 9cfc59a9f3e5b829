"""Property tests for flows.session: random event sequences keep the session's invariants."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.session import handle, start_session
from flows.session_model import (
    Advance,
    ArmTimer,
    ChooseHolder,
    CommitAction,
    Contribute,
    EditContribution,
    End,
    Extend,
    Outcome,
    Pause,
    Person,
    Phase,
    PickReframe,
    Record,
    Resume,
    SaveAction,
    Say,
    SessionContext,
    SessionState,
    TimerFired,
    Volunteer,
)
from tests.flows.session_kit import (
    AMINA,
    BOB,
    CHEN,
    EXERCISES,
    FACILITATOR,
    HOLDER,
    NEXT_MEETING,
    NOW,
)

CANDIDATE = HOLDER  # who volunteers or is chosen; the holder only if that happens
MEMBERS = (AMINA, BOB, CHEN)
PEOPLE = (FACILITATOR, CANDIDATE, *MEMBERS)

FAIR = ["What have you tried so far?", "Who else is involved?", "What would success look like?"]
ADVICE = [
    "Why don't you call the district office?",
    "Have you tried asking your manager?",
    "You should talk to the nurses.",
    "Wouldn't it be better to wait?",
]
STATEMENTS = [
    "I think the real problem is trust.",
    "Call Ali | he answers | a phone",
    "Who decides? When? Why?",
    "| only help",
    "",
]

THE_HOLDER = Person(user_id=-1, name="(whoever holds the topic)")  # resolved when played
people = st.sampled_from((*PEOPLE, THE_HOLDER, THE_HOLDER))
texts = st.one_of(
    st.sampled_from(FAIR),
    st.sampled_from(ADVICE),
    st.sampled_from(STATEMENTS),
    st.text(max_size=60),
)
message_ids = st.integers(min_value=1, max_value=25)  # small, so edits hit recorded messages

contributions = st.builds(
    Contribute,
    person=people,
    text=texts,
    message_id=message_ids,
    via=st.sampled_from(["plain", "reply", "command", "private"]),
    voice=st.sampled_from([False, False, False, True]),
)
# (kind, step index); a None index means the step the session is in when the timer fires.
timer_fired = st.tuples(
    st.sampled_from(["warning", "end"]), st.none() | st.integers(min_value=0, max_value=6)
)
# Repeated branches make Advance and contributions more likely, so sessions get far.
events = st.one_of(
    st.builds(
        Volunteer, person=people, topic=st.none() | texts, message_id=st.none() | message_ids
    ),
    st.builds(ChooseHolder, person=people),
    contributions,
    contributions,
    contributions,
    st.builds(EditContribution, message_id=message_ids, text=texts),
    st.builds(CommitAction, person=people, text=texts, message_id=st.none() | message_ids),
    st.builds(PickReframe, person=people, index=st.integers(min_value=-1, max_value=4)),
    st.just(Advance()),
    st.just(Advance()),
    st.just(Advance()),
    st.just(Advance()),
    st.builds(Extend, minutes=st.integers(min_value=1, max_value=60)),
    st.just(Pause()),
    st.just(Resume()),
    timer_fired,
    timer_fired,
)
delays = st.one_of(
    st.integers(min_value=0, max_value=90), st.integers(min_value=0, max_value=20 * 60)
).map(lambda seconds: timedelta(seconds=seconds))
scenario = st.fixed_dictionaries(
    {
        "open_actions": st.integers(min_value=0, max_value=2),
        "member_count": st.integers(min_value=0, max_value=4),
        "auto_advance": st.booleans(),
        "next_meeting": st.none() | st.just(NEXT_MEETING),
        "volunteer_first": st.booleans(),
        "steps": st.lists(st.tuples(events, delays), min_size=5, max_size=60),
        "end_at": st.none() | st.integers(min_value=0, max_value=60),
    }
)


def script(scenario: dict) -> list:
    """The scenario's (event, delay) pairs: a quick start if asked, and End where it falls."""
    steps = list(scenario["steps"])
    if scenario["volunteer_first"]:
        volunteer = Volunteer(person=CANDIDATE, topic="Supply delays", message_id=1)
        steps[:0] = [(Advance(), timedelta(0)), (volunteer, timedelta(0))]
    if scenario["end_at"] is not None:
        steps.insert(min(scenario["end_at"], len(steps)), (End(), timedelta(seconds=1)))
    return steps


def resolve(event, state: SessionState):
    """Make a drawn event concrete: the current step's timer, the current holder (or Hana)."""
    if isinstance(event, tuple):
        kind, index = event
        return TimerFired(kind=kind, step_index=state.step_index if index is None else index)
    if getattr(event, "person", None) == THE_HOLDER:
        return replace(event, person=state.topic_holder or CANDIDATE)
    return event


def nudged_people(outcome: Outcome) -> list[int]:
    """The user ids named by the outcome's nudges."""
    return [
        e.message.params["person"].user_id
        for e in outcome.effects
        if isinstance(e, Say) and e.message.key.startswith("nudge.")
    ]


def check_step(before: SessionState, event, outcome: Outcome, ctx: SessionContext) -> None:
    """The invariants that must hold after any single event."""
    after = outcome.state
    exercise = ctx.exercise
    commit = exercise.commit_index

    if not before.is_open:
        assert outcome == Outcome(state=before)
        return

    assert 0 <= after.step_index < len(exercise.steps)
    assert after.step_index >= before.step_index
    assert after.question_count >= before.question_count
    if after.phase is Phase.STEP:
        assert after.topic_holder is not None
        assert after.deadline is not None
    if before.phase is Phase.STEP and before.step_index >= commit:
        assert after.topic_holder == before.topic_holder
    if before.topic_holder is not None:
        assert after.topic_holder is not None
    if after.action is not None:
        assert after.topic_holder is not None
        assert after.step_index >= commit
        assert after.phase in (Phase.STEP, Phase.CLOSED)

    if isinstance(event, End):
        assert after.phase is Phase.CLOSED

    for effect in outcome.effects:
        if isinstance(effect, Record):
            assert effect.step_index == after.step_index
        if isinstance(effect, ArmTimer):
            assert effect.step_index == after.step_index
            # A step resumed with no time left ends at once; a warning is always still ahead.
            assert effect.due >= ctx.now
            if effect.kind == "warning":
                assert effect.due > ctx.now
                assert effect.due < after.deadline
            else:
                assert effect.due == after.deadline
    if after.paused:
        assert not any(isinstance(e, ArmTimer) for e in outcome.effects)

    if nudged_people(outcome):
        assert after.phase is Phase.STEP
        assert exercise.step(after.step_index).questions_only

    if after.phase is Phase.CLOSED:
        assert after.closed_at == ctx.now
        summaries = [e for e in outcome.effects if isinstance(e, Say)]
        assert summaries and summaries[-1].message.key in {"summary.lines", "summary.nothing"}
        if before.topic_holder is None:
            assert summaries[-1].message.key == "summary.nothing"
        saved = [e for e in outcome.effects if isinstance(e, SaveAction)]
        if before.action is None:
            assert saved == []
        else:
            assert saved == [
                SaveAction(holder=before.topic_holder, action=before.action, due=ctx.next_meeting)
            ]


def play(exercise_name: str, scenario: dict) -> None:
    """Run a scenario's events through `handle`, checking the invariants after each."""
    exercise = EXERCISES[exercise_name]
    now = NOW
    state = start_session(
        chat_id=-100,
        thread_id=None,
        exercise=exercise,
        facilitator=FACILITATOR,
        open_actions=scenario["open_actions"],
        now=now,
    ).state
    nudges: Counter[tuple[int, int]] = Counter()
    for raw, delay in script(scenario):
        now += delay
        event = resolve(raw, state)
        ctx = SessionContext(
            exercise=exercise,
            now=now,
            auto_advance=scenario["auto_advance"],
            member_count=scenario["member_count"],
            next_meeting=scenario["next_meeting"],
        )
        outcome = handle(state, event, ctx)
        check_step(state, event, outcome, ctx)
        if outcome.state.step_index != state.step_index:
            nudges.clear()
        for user_id in nudged_people(outcome):
            nudges[(outcome.state.step_index, user_id)] += 1
        assert all(n <= 1 for n in nudges.values()), nudges
        if state.phase is Phase.CLOSED:
            assert outcome.state.phase is Phase.CLOSED
        state = outcome.state


@pytest.mark.parametrize("exercise_name", sorted(EXERCISES))
@settings(max_examples=75, deadline=None)
@given(scenario=scenario)
def test_random_sessions_keep_their_invariants(exercise_name, scenario):
    play(exercise_name, scenario)
