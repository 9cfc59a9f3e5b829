"""Tests for flows.session: starting, choosing the holder, walking the steps, closing."""

from __future__ import annotations

import typing

import pytest

from flows.session import TRANSITIONS, close, follow_up_done, handle, start_session, summary
from flows.session_model import (
    Advance,
    ArmTimer,
    CancelTimers,
    ChooseHolder,
    ClearHolderPrompt,
    CommitAction,
    Contribute,
    EditContribution,
    End,
    Event,
    Extend,
    MemberLeft,
    Outcome,
    Pause,
    Person,
    Phase,
    PickReframe,
    Record,
    Resume,
    SaveAction,
    Say,
    SessionState,
    TimerFired,
    Volunteer,
)
from flows.steps import TOPIC_MAX_CHARS, first_line
from flows.text import Msg
from tests.flows.session_kit import (
    ACTION_TEXT,
    AMINA,
    CHAT_ID,
    EXERCISES,
    FACILITATOR,
    FAIR,
    HOLDER,
    NEXT_MEETING,
    NOW,
    TOPIC,
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

# Starting, the follow-up round, choosing the holder --------------------------------------------


def test_start_without_open_actions_asks_for_a_holder():
    outcome = start_session(
        chat_id=CHAT_ID,
        thread_id=7,
        exercise=EXERCISES["consult"],
        facilitator=FACILITATOR,
        open_actions=0,
        now=NOW,
    )
    state = outcome.state
    assert (state.phase, state.exercise, state.thread_id) == (Phase.CHOOSE_HOLDER, "consult", 7)
    assert (state.facilitator, state.started_at, state.topic_holder) == (FACILITATOR, NOW, None)
    assert keys(outcome) == ["session.started_ask_holder"]
    (ask,) = outcome.effects
    assert ask.message.params["exercise"] == EXERCISES["consult"].title
    assert ask.step_message
    assert [b.verb for b in ask.buttons] == ["topic"]
    assert not of(outcome, ArmTimer)


@pytest.mark.parametrize("open_actions", [1, 3])
def test_start_with_open_actions_enters_the_follow_up_first(open_actions):
    outcome = start_session(
        chat_id=CHAT_ID,
        thread_id=None,
        exercise=EXERCISES["classic"],
        facilitator=FACILITATOR,
        open_actions=open_actions,
        now=NOW,
    )
    assert outcome.state.phase is Phase.FOLLOW_UP
    assert keys(outcome)[0] == "session.started"
    assert "session.ask_holder" not in keys(outcome)
    assert not of(outcome, ArmTimer)


def test_advance_leaves_the_follow_up_to_choose_the_holder():
    state = started(open_actions=2)
    outcome = run(state, Advance())
    assert outcome.state.phase is Phase.CHOOSE_HOLDER
    assert keys(outcome) == ["session.ask_holder"]
    assert outcome == follow_up_done(state, context())


def test_follow_up_done_outside_the_follow_up_changes_nothing():
    state = at_step("classic", 1)
    assert follow_up_done(state, context()) == Outcome(state=state)
    choosing = started()
    assert follow_up_done(choosing, context()) == Outcome(state=choosing)


def test_a_topic_offered_during_the_follow_up_is_kept_and_starts_the_steps_after_it():
    state = started(open_actions=1)
    offered = run(state, Volunteer(person=HOLDER, topic=TOPIC, message_id=5))
    assert offered.state.phase is Phase.FOLLOW_UP
    assert keys(offered) == ["session.topic_kept"]
    assert offered.state.next_holder.person == HOLDER
    other = Person(user_id=99, name="Omar")
    assert_hint(
        offered.state,
        run(offered.state, Volunteer(person=other, topic="Mine")),
        "session.topic_offered_already",
    )
    ended = run(offered.state, Advance())
    assert (ended.state.phase, ended.state.step_index) == (Phase.STEP, 0)
    assert (ended.state.topic_holder, ended.state.topic) == (HOLDER, TOPIC)
    assert ended.state.next_holder is None
    assert only(ended, Record) == Record(
        person=HOLDER, message_id=5, step_index=0, kind="topic", text=TOPIC
    )
    assert "session.ask_holder" not in keys(ended)


def test_a_holder_named_during_the_follow_up_holds_the_topic_after_it():
    state = started(open_actions=1)
    named = run(state, ChooseHolder(person=HOLDER), Advance())
    assert (named.state.phase, named.state.topic_holder) == (Phase.STEP, HOLDER)
    assert named.state.topic is None  # they name it with /topic in the first step


def test_volunteer_with_a_topic_starts_the_first_step():
    state = started()
    outcome = run(
        state, Volunteer(person=HOLDER, topic=f"\n  {TOPIC}  \nmore detail", message_id=9)
    )
    new = outcome.state
    assert (new.phase, new.step_index, new.topic_holder) == (Phase.STEP, 0, HOLDER)
    assert (new.topic, new.topic_message_id) == (TOPIC, 9)
    assert (new.step_started_at, new.deadline) == (NOW, NOW + minutes(5))
    record, clear, cancel = outcome.effects[:3]
    assert record == Record(person=HOLDER, message_id=9, step_index=0, kind="topic", text=TOPIC)
    assert isinstance(clear, ClearHolderPrompt)  # the prompt's button is done
    assert isinstance(cancel, CancelTimers)
    step_say = only(outcome, Say)
    assert step_say.step_message
    assert step_say.message.key == "session.step"
    assert step_say.message.params["number"] == 1
    assert step_say.message.params["total"] == 6
    assert step_say.message.params["timebox"].params["minutes"] == 5


def test_volunteer_without_a_topic_asks_the_holder_for_it():
    outcome = run(started(), Volunteer(person=HOLDER, message_id=9))
    assert outcome.state.topic_holder == HOLDER
    assert (outcome.state.topic, outcome.state.topic_message_id) == (None, None)
    assert keys(outcome) == ["session.step_topic_needed"]
    assert not of(outcome, Record)


def test_volunteer_by_button_with_no_message_records_nothing():
    outcome = run(started(), Volunteer(person=HOLDER, topic=TOPIC))
    assert outcome.state.topic == TOPIC
    assert not of(outcome, Record)


def test_the_holders_first_message_in_the_present_step_is_the_topic():
    state = run(started(), Volunteer(person=HOLDER)).state
    first = says(HOLDER, f"{TOPIC}\nIt has been going on for months.")
    outcome = run(state, first)
    assert outcome.state.topic == TOPIC
    assert outcome.state.topic_message_id == first.message_id
    assert only(outcome, Record).kind == "topic"
    later = run(outcome.state, says(HOLDER, "Also the trucks are old."))
    assert later.state.topic == TOPIC
    assert only(later, Record).kind == "topic"


def test_a_long_topic_is_trimmed():
    outcome = run(started(), Volunteer(person=HOLDER, topic="x" * 500))
    assert outcome.state.topic == "x" * TOPIC_MAX_CHARS


@pytest.mark.parametrize(
    ("text", "line"),
    [("  one  \ntwo", "one"), ("\n\n  \n two ", "two"), ("", ""), ("   \n ", "")],
)
def test_first_line(text, line):
    assert first_line(text) == line


def test_a_holder_chosen_without_a_topic_names_it_later():
    state = run(started(), ChooseHolder(person=HOLDER)).state
    outcome = run(state, Volunteer(person=HOLDER, topic=f"{TOPIC}\nmore", message_id=31))
    assert (outcome.state.topic, outcome.state.topic_message_id) == (TOPIC, 31)
    assert outcome.state.step_index == state.step_index
    assert only(outcome, Record) == Record(
        person=HOLDER, message_id=31, step_index=0, kind="topic", text=TOPIC
    )
    assert keys(outcome) == ["session.topic_set"]
    again = run(outcome.state, Volunteer(person=HOLDER, topic="Another", message_id=32))
    assert_hint(outcome.state, again, "session.holder_already")


def test_someone_else_cannot_name_the_holders_topic():
    state = run(started(), ChooseHolder(person=HOLDER)).state
    assert_hint(state, run(state, Volunteer(person=AMINA, topic="Mine")), "session.holder_already")


@pytest.mark.parametrize("index", [0, 1, 4])
def test_topic_while_a_holder_exists_is_refused(index):
    state = at_step("classic", index)
    message = assert_hint(
        state, run(state, Volunteer(person=AMINA, topic="Mine")), "session.holder_already"
    )
    assert message.params["holder"] == HOLDER.mention()


def test_choose_holder_before_any_volunteer_starts_the_first_step():
    outcome = run(started("reframe"), ChooseHolder(person=AMINA))
    assert (outcome.state.phase, outcome.state.step_index) == (Phase.STEP, 0)
    assert outcome.state.topic_holder == AMINA
    assert keys(outcome) == ["session.step_topic_needed"]


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_choose_holder_before_the_commit_step_changes_the_holder(index):
    state = at_step("classic", index)
    outcome = run(state, ChooseHolder(person=AMINA))
    assert outcome.state.topic_holder == AMINA
    assert outcome.state.step_index == index
    assert keys(outcome) == ["session.holder_changed"]
    assert outcome.effects[0].message.params["holder"] == AMINA.mention()


def test_choosing_the_current_holder_again_changes_nothing():
    state = at_step("classic", 1)
    assert_hint(state, run(state, ChooseHolder(person=HOLDER)), "session.holder_already")


@pytest.mark.parametrize(("exercise", "index"), [("classic", 4), ("classic", 5), ("consult", 4)])
def test_choose_holder_from_the_commit_step_on_is_too_late(exercise, index):
    state = at_step(exercise, index)
    assert_hint(state, run(state, ChooseHolder(person=AMINA)), "session.holder_too_late")


@pytest.mark.parametrize(
    ("event", "key"),
    [
        (Advance(), "session.need_holder"),
        (Extend(minutes=5), "session.no_step"),
        (Pause(), "session.no_step"),
        (Resume(), "session.not_paused"),
        (Contribute(person=AMINA, text=FAIR, message_id=1, via="command"), "session.q_not_now"),
    ],
)
def test_step_events_before_a_holder_get_a_hint(event, key):
    state = started()
    assert_hint(state, run(state, event), key)


@pytest.mark.parametrize("open_actions", [0, 1])
def test_plain_messages_before_the_steps_are_ignored(open_actions):
    state = started(open_actions=open_actions)
    assert run(state, says(AMINA, FAIR)) == Outcome(state=state)
    assert run(state, TimerFired(kind="end", step_index=0)) == Outcome(state=state)


# Closing --------------------------------------------------------------------------------------

OPEN_STATES = [
    ("follow_up", lambda: started(open_actions=1)),
    ("choose_holder", lambda: started()),
    *[
        (f"{name}-{index}", lambda name=name, index=index: at_step(name, index))
        for name, exercise in EXERCISES.items()
        for index in range(len(exercise.steps))
    ],
]


@pytest.mark.parametrize("make", [m for _, m in OPEN_STATES], ids=[n for n, _ in OPEN_STATES])
def test_end_closes_in_every_phase(make):
    state = make()
    later = NOW + minutes(7)
    outcome = run(state, End(), ctx=context(state.exercise, now=later))
    assert outcome.state.phase is Phase.CLOSED
    assert outcome.state.closed_at == later
    assert not outcome.state.is_open
    assert isinstance(outcome.effects[0], CancelTimers)
    assert not of(outcome, SaveAction)
    expected = "summary.nothing" if state.topic_holder is None else "summary.lines"
    assert keys(outcome) == [expected]
    assert outcome.state.model_copy(update={"phase": state.phase, "closed_at": None}) == state


def with_action(exercise: str = "classic", action: str = ACTION_TEXT) -> SessionState:
    """A session in the step after the commit, with Hana's action stored."""
    state = run(at_step(exercise, commit_index(exercise)), says(HOLDER, action)).state
    return run(state, Advance()).state


def summary_keys(message: Msg) -> list[str]:
    """The keys of the summary's lines."""
    assert message.key == "summary.lines"
    return [line.key for line in message.params["lines"]]


def test_end_with_an_action_saves_it_and_summarises_with_the_follow_up():
    state = with_action()
    outcome = run(state, End(), ctx=context(next_meeting=NEXT_MEETING))
    saved = only(outcome, SaveAction)
    assert saved == SaveAction(holder=HOLDER, action=state.action, due=NEXT_MEETING)
    assert summary_keys(outcome.effects[-1].message) == [
        "summary.head",
        "summary.questions",
        "summary.nudges",
        "summary.action",
        "summary.success_sign",
        "summary.help_needed",
        "summary.follow_up",
        "summary.score_ask",
    ]


def test_the_summary_without_a_next_meeting_says_so():
    state = with_action(action="Ask Ali")
    outcome = run(state, End())
    assert only(outcome, SaveAction).due is None
    assert summary_keys(outcome.effects[-1].message) == [
        "summary.head",
        "summary.questions",
        "summary.nudges",
        "summary.action",
        "summary.no_meeting",
        "summary.score_ask",
    ]


def test_the_summary_shows_the_topic_holder_and_reframe():
    state = at_step("classic", 3)
    state = run(state, says(HOLDER, "Trust."), Advance(), Advance(), Advance()).state
    assert (state.step_index, state.action) == (5, None)
    message = summary(state, context(next_meeting=NEXT_MEETING))
    head, questions, nudges, reframe, no_action, score = message.params["lines"]
    assert head.params == {"topic": TOPIC, "holder": HOLDER.mention()}
    assert questions.count == nudges.count == 0
    assert (reframe.key, reframe.params["reframe"]) == ("summary.reframe", "Trust.")
    assert no_action.key == "summary.no_action" and score.key == "summary.score_ask"


def test_the_summary_without_a_topic_uses_a_dash():
    state = at_step("classic", 1, topic=None)
    head = summary(state, context()).params["lines"][0]
    assert head.params["topic"] == "—"


def test_close_is_what_end_does():
    state = with_action()
    ctx = context(next_meeting=NEXT_MEETING)
    assert close(state, ctx) == run(state, End(), ctx=ctx)


AFTER_CLOSE = [
    Volunteer(person=AMINA, topic="x"),
    ChooseHolder(person=AMINA),
    Contribute(person=AMINA, text=FAIR, message_id=1, via="command"),
    EditContribution(message_id=1, text="x"),
    CommitAction(person=HOLDER, text="x"),
    PickReframe(person=HOLDER, index=0),
    Advance(),
    Extend(minutes=5),
    Pause(),
    Resume(),
    End(),
    TimerFired(kind="end", step_index=1),
]


@pytest.mark.parametrize("event", AFTER_CLOSE, ids=[type(e).__name__ for e in AFTER_CLOSE])
def test_events_after_close_change_nothing(event):
    closed = run(at_step("classic", 1), End()).state
    ctx = context(now=NOW + minutes(3), auto_advance=True)
    assert handle(closed, event, ctx) == Outcome(state=closed)


def test_the_table_says_what_every_event_does_in_every_open_phase():
    events = set(typing.get_args(Event))
    for phase in (Phase.FOLLOW_UP, Phase.CHOOSE_HOLDER, Phase.STEP):
        assert set(TRANSITIONS[phase]) == events, phase
    assert Phase.CLOSED not in TRANSITIONS  # a closed session changes for nothing


def test_the_holder_leaving_stops_the_step_until_someone_takes_over():
    state = at_step("classic", 1)
    left = run(state, MemberLeft(person=HOLDER), ctx=context(now=NOW + minutes(2)))
    assert left.state.holder_left and left.state.paused
    assert keys(left) == ["session.holder_left"] and of(left, CancelTimers)
    assert run(left.state, MemberLeft(person=HOLDER)).effects == ()  # said once
    other = Person(user_id=99, name="Omar")
    assert run(state, MemberLeft(person=other)) == Outcome(state=state)
    taken = run(left.state, ChooseHolder(person=other), ctx=context(now=NOW + minutes(9)))
    assert taken.state.topic_holder == other and not taken.state.holder_left
    assert not taken.state.paused and of(taken, ArmTimer)


def test_an_offer_made_during_the_follow_up_goes_with_its_giver():
    offered = run(started(open_actions=1), Volunteer(person=HOLDER, topic=TOPIC))
    gone = run(offered.state, MemberLeft(person=HOLDER))
    assert gone.state.next_holder is None and gone.effects == ()
