"""Tests for flows.session: the session state machine, step by step, with time passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from flows.exercises import Exercise, builtin_exercises
from flows.guard import GuardReason
from flows.session import close, follow_up_done, handle, start_session, summary
from flows.session_model import (
    Acknowledge,
    ActionDraft,
    Advance,
    ArmTimer,
    CancelTimers,
    ChooseHolder,
    CommitAction,
    Contribute,
    Edit,
    EditContribution,
    End,
    Event,
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
    UpdateRecord,
    Volunteer,
)
from flows.steps import TOPIC_MAX_CHARS, enter_step, first_line, parse_action, reveal_message
from flows.text import LocalTime, Msg, msg

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NEXT_MEETING = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
EXERCISES = builtin_exercises()
CHAT_ID = -100123

FACILITATOR = Person(user_id=1, name="Fatou")
HOLDER = Person(user_id=2, name="Hana")
AMINA = Person(user_id=3, name="Amina")
BOB = Person(user_id=4, name="Bob")
CHEN = Person(user_id=5, name="Chen")

FAIR = "What have you tried so far?"
ADVICE = "Why don't you call the district office?"
NOT_A_QUESTION = "I had the same problem last year."
ACTION_TEXT = "Call the district office | they reply within a week | a phone"
TOPIC = "Supply delays at the clinic"

_message_ids = count(1000)


def minutes(n: float) -> timedelta:
    """A duration in minutes."""
    return timedelta(minutes=n)


def context(exercise: str = "classic", now: datetime = NOW, **changes) -> SessionContext:
    """The context of a transition: a built-in exercise at a fixed time."""
    return SessionContext(exercise=EXERCISES[exercise], now=now, **changes)


def started(exercise: str = "classic", open_actions: int = 0) -> SessionState:
    """A session that has just started, no holder yet."""
    return start_session(
        chat_id=CHAT_ID,
        thread_id=None,
        exercise=EXERCISES[exercise],
        facilitator=FACILITATOR,
        open_actions=open_actions,
        now=NOW,
    ).state


def at_step(
    exercise: str = "classic", index: int = 0, topic: str | None = TOPIC, now: datetime = NOW
) -> SessionState:
    """A session with Hana as the holder, in step `index`, entered at `now`."""
    state = started(exercise).model_copy(update={"topic_holder": HOLDER, "topic": topic})
    return enter_step(state, index, context(exercise, now)).state


def commit_index(exercise: str) -> int:
    """Where the holder commits in an exercise."""
    return EXERCISES[exercise].commit_index


def says(person: Person, text: str, **fields) -> Contribute:
    """A plain group message with a fresh message id."""
    return Contribute(person=person, text=text, message_id=next(_message_ids), **fields)


def run(state: SessionState, *events: Event, ctx: SessionContext | None = None) -> Outcome:
    """Apply events in order (in the state's exercise at NOW unless told); the last outcome."""
    ctx = ctx or context(state.exercise)
    outcome = Outcome(state=state)
    for event in events:
        outcome = handle(outcome.state, event, ctx)
    return outcome


def keys(outcome: Outcome) -> list[str]:
    """The message keys of the outcome's Say effects, in order."""
    return [e.message.key for e in outcome.effects if isinstance(e, Say)]


def only(outcome: Outcome, kind: type):
    """The single effect of a kind in an outcome."""
    found = [e for e in outcome.effects if isinstance(e, kind)]
    assert len(found) == 1, outcome.effects
    return found[0]


def of(outcome: Outcome, kind: type) -> list:
    """The effects of a kind in an outcome."""
    return [e for e in outcome.effects if isinstance(e, kind)]


def said_text(outcome: Outcome, text: str) -> bool:
    """Whether any Say effect carries `text` anywhere in its message or buttons."""
    return any(text in repr(e) for e in outcome.effects if isinstance(e, Say))


def assert_hint(before: SessionState, outcome: Outcome, key: str) -> Msg:
    """The outcome changed nothing and said exactly one line with `key`; returns it."""
    assert outcome.state == before
    assert len(outcome.effects) == 1, outcome.effects
    (say,) = outcome.effects
    assert isinstance(say, Say) and say.message.key == key
    return say.message


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
    assert outcome == follow_up_done(state)


def test_follow_up_done_outside_the_follow_up_changes_nothing():
    state = at_step("classic", 1)
    assert follow_up_done(state) == Outcome(state=state)
    choosing = started()
    assert follow_up_done(choosing) == Outcome(state=choosing)


@pytest.mark.parametrize(
    "event", [Volunteer(person=HOLDER, topic=TOPIC), ChooseHolder(person=HOLDER)]
)
def test_no_holder_during_the_follow_up(event):
    state = started(open_actions=1)
    assert_hint(state, run(state, event), "session.topic_after_follow_up")


def test_volunteer_with_a_topic_starts_the_first_step():
    state = started()
    outcome = run(
        state, Volunteer(person=HOLDER, topic=f"\n  {TOPIC}  \nmore detail", message_id=9)
    )
    new = outcome.state
    assert (new.phase, new.step_index, new.topic_holder) == (Phase.STEP, 0, HOLDER)
    assert (new.topic, new.topic_message_id) == (TOPIC, 9)
    assert (new.step_started_at, new.deadline) == (NOW, NOW + minutes(5))
    record, cancel = outcome.effects[:2]
    assert record == Record(person=HOLDER, message_id=9, step_index=0, kind="topic", text=TOPIC)
    assert isinstance(cancel, CancelTimers)
    step_say = only(outcome, Say)
    assert step_say.step_message
    assert step_say.message.key == "session.step"
    assert step_say.message.params["number"] == 1
    assert step_say.message.params["total"] == 6
    assert step_say.message.params["minutes"] == 5


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


# What a message means in each step ------------------------------------------------------------

KINDS = [
    # (exercise, step index, who speaks, recorded kind)
    ("classic", 0, HOLDER, "topic"),
    ("classic", 0, AMINA, "comment"),
    ("classic", 1, AMINA, "question"),
    ("classic", 1, HOLDER, "answer"),
    ("classic", 2, BOB, "question"),
    ("classic", 2, HOLDER, "answer"),
    ("classic", 3, HOLDER, "reframe"),
    ("classic", 3, AMINA, "comment"),
    ("classic", 4, HOLDER, "action"),
    ("classic", 4, AMINA, "comment"),
    ("classic", 5, HOLDER, "learning"),
    ("classic", 5, FACILITATOR, "learning"),
    ("consult", 1, AMINA, "question"),
    ("consult", 2, AMINA, "idea"),
    ("consult", 2, HOLDER, "answer"),
    ("consult", 3, HOLDER, "insight"),
    ("consult", 3, BOB, "comment"),
    ("consult", 4, HOLDER, "action"),
    ("consult", 5, CHEN, "learning"),
    ("reframe", 1, AMINA, "question"),
    ("reframe", 2, AMINA, "reframe"),
    ("reframe", 2, HOLDER, "answer"),
    ("reframe", 3, BOB, "question"),
    ("reframe", 3, HOLDER, "answer"),
    ("reframe", 4, HOLDER, "action"),
    ("reframe", 5, AMINA, "learning"),
]


@pytest.mark.parametrize(
    ("exercise", "index", "person", "kind"),
    KINDS,
    ids=[f"{e}-{i}-{p.name}-{k}" for e, i, p, k in KINDS],
)
def test_each_step_records_what_its_speakers_say(exercise, index, person, kind):
    state = at_step(exercise, index)
    text = ACTION_TEXT if kind == "action" else FAIR
    message = says(person, text)
    record = only(run(state, message), Record)
    assert record == Record(
        person=person, message_id=message.message_id, step_index=index, kind=kind, text=text
    )


@pytest.mark.parametrize(("exercise", "index"), [("classic", 1), ("classic", 4), ("reframe", 2)])
def test_a_voice_note_is_recorded_as_voice_and_nothing_else(exercise, index):
    state = at_step(exercise, index)
    outcome = run(state, says(HOLDER, "", voice=True))
    assert only(outcome, Record).kind == "voice"
    assert outcome.state == state


def test_the_holder_reframes_in_the_classic_problem_now_step():
    state = at_step("classic", 3)
    outcome = run(state, says(HOLDER, "  The real problem is trust.  "))
    assert outcome.state.reframe == "The real problem is trust."
    assert run(state, says(AMINA, "I agree.")).state.reframe is None


def test_the_holders_insight_does_not_set_the_reframe():
    outcome = run(at_step("consult", 3), says(HOLDER, "The rota idea struck me."))
    assert outcome.state.reframe is None


# The questions-only rule ----------------------------------------------------------------------


def test_an_advice_like_question_is_recorded_flagged_and_nudged():
    outcome = run(at_step("classic", 1), says(AMINA, ADVICE))
    record = only(outcome, Record)
    assert (record.kind, record.flagged) == ("question", GuardReason.ADVICE)
    nudge = only(outcome, Say)
    assert nudge.message.key == "nudge.advice"
    assert nudge.message.params["person"] == AMINA.mention()
    assert outcome.state.nudged == (AMINA.user_id,)


def test_a_fair_question_is_recorded_without_a_nudge():
    outcome = run(at_step("classic", 2), says(AMINA, FAIR))
    assert only(outcome, Record).flagged is None
    assert keys(outcome) == []
    assert outcome.state.nudged == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ADVICE, GuardReason.ADVICE),
        (NOT_A_QUESTION, GuardReason.NOT_A_QUESTION),
        ("Who decides? When? Why?", GuardReason.SEVERAL_QUESTIONS),
        ("What happened because the budget was cut?", GuardReason.BECAUSE),
    ],
)
def test_the_nudge_names_the_reason(text, reason):
    outcome = run(at_step("reframe", 3), says(BOB, text))
    assert keys(outcome) == [f"nudge.{reason.value}"]
    assert only(outcome, Record).flagged is reason


def test_a_member_is_nudged_at_most_once_per_step():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    second = run(state, says(AMINA, NOT_A_QUESTION))
    assert keys(second) == []
    assert only(second, Record).flagged is GuardReason.NOT_A_QUESTION
    assert second.state.nudged == (AMINA.user_id,)


def test_another_member_is_nudged_separately():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    outcome = run(state, says(BOB, ADVICE))
    assert keys(outcome) == ["nudge.advice"]
    assert outcome.state.nudged == (AMINA.user_id, BOB.user_id)


def test_nudges_start_afresh_in_the_next_step():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    state = run(state, Advance()).state
    assert (state.step_index, state.nudged) == (2, ())
    assert keys(run(state, says(AMINA, ADVICE))) == ["nudge.advice"]


def test_the_holders_answers_are_never_nudged():
    outcome = run(at_step("classic", 1), says(HOLDER, NOT_A_QUESTION))
    assert only(outcome, Record).flagged is None
    assert keys(outcome) == []


def test_suggestions_are_welcome_in_the_consult_ideas_step():
    state = at_step("consult", 2)
    for person in (AMINA, AMINA, BOB):
        outcome = run(state, says(person, ADVICE))
        state = outcome.state
        assert keys(outcome) == []
        assert only(outcome, Record).flagged is None
    assert (state.nudged, state.question_count) == ((), 0)


def test_the_holder_is_reminded_to_listen_once_in_the_ideas_step():
    first = run(at_step("consult", 2), says(HOLDER, "But we tried that."))
    assert keys(first) == ["session.holder_listen"]
    assert first.effects[-1].message.params["holder"] == HOLDER.mention()
    assert only(first, Record).kind == "answer"
    second = run(first.state, says(HOLDER, "Well, sort of."))
    assert keys(second) == []
    assert only(second, Record).kind == "answer"


def test_the_holder_is_not_reminded_to_listen_in_question_steps():
    assert keys(run(at_step("consult", 1), says(HOLDER, "Yes."))) == []


def test_questions_are_counted_across_steps_flagged_or_not():
    state = at_step("classic", 1)
    state = run(
        state,
        says(AMINA, FAIR),
        says(BOB, ADVICE),
        says(BOB, ADVICE),
        says(HOLDER, "Since May."),
        Advance(),
        says(CHEN, FAIR),
        Advance(),
        says(AMINA, "Not a question in the holder's step."),
    ).state
    assert state.question_count == 4
    closed = run(state, End(), ctx=context(now=NOW))
    summary_lines = closed.effects[-1].message.params["lines"]
    questions = next(m for m in summary_lines if m.key == "summary.questions")
    assert questions.count == 4


@pytest.mark.parametrize("reaction", ["👍", "+1", "🙏🙏"])
def test_reactions_in_a_question_step_are_not_counted_as_questions(reaction):
    """The guard ignores letterless reactions; the summary's question count must too."""
    outcome = run(at_step("classic", 1), says(AMINA, reaction))
    assert keys(outcome) == []
    assert outcome.state.question_count == 0


def test_ideas_and_reframing_statements_are_not_questions():
    state = run(at_step("consult", 2), says(AMINA, FAIR)).state
    assert state.question_count == 0
    state = run(at_step("reframe", 2), says(AMINA, FAIR)).state
    assert state.question_count == 0


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


# Reframing: statements held back, revealed together, picked by the holder ---------------------


def reframing(member_count: int = 3) -> tuple[SessionState, SessionContext]:
    """The reframe exercise's reframing step and a context with `member_count` members."""
    return at_step("reframe", 2), context("reframe", member_count=member_count)


def test_statements_are_held_back_until_every_member_sent_one():
    state, ctx = reframing()
    statements = {AMINA: "It is about trust.", BOB: "It is about money.", CHEN: "It is the rota."}
    for person in (AMINA, BOB):
        outcome = run(state, says(person, statements[person]), ctx=ctx)
        state = outcome.state
        assert keys(outcome) == []
        assert not said_text(outcome, statements[person])
        assert only(outcome, Record).kind == "reframe"
    assert not state.revealed
    outcome = run(state, says(CHEN, statements[CHEN]), ctx=ctx)
    assert outcome.state.revealed
    assert keys(outcome) == ["session.reveal"]
    reveal_say = only(outcome, Say)
    lines = reveal_say.message.params["statements"]
    assert [(m.params["name"], m.params["text"]) for m in lines] == [
        (p.name, statements[p]) for p in (AMINA, BOB, CHEN)
    ]
    assert [b.verb for b in reveal_say.buttons] == ["pick:0", "pick:1", "pick:2"]


def test_a_second_statement_before_the_reveal_replaces_the_first():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), says(AMINA, "Money, really."), ctx=ctx).state
    assert [(s.person, s.text) for s in state.statements] == [(AMINA, "Money, really.")]
    assert not state.revealed


def test_the_holders_words_do_not_count_towards_the_reveal():
    state, ctx = reframing(member_count=1)
    outcome = run(state, says(HOLDER, "Hmm."), ctx=ctx)
    assert (outcome.state.statements, outcome.state.revealed) == ((), False)
    assert only(outcome, Record).kind == "answer"


def test_without_a_member_count_only_advance_reveals():
    state, ctx = reframing(member_count=0)
    state = run(
        state, says(AMINA, "Trust."), says(BOB, "Money."), says(CHEN, "Rota."), ctx=ctx
    ).state
    assert not state.revealed


def test_the_first_advance_reveals_and_the_second_moves_on():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), ctx=ctx).state
    revealed = run(state, Advance(), ctx=ctx)
    assert keys(revealed) == ["session.reveal"]
    assert (revealed.state.revealed, revealed.state.step_index) == (True, 2)
    assert not of(revealed, ArmTimer)
    moved = run(revealed.state, Advance(), ctx=ctx)
    assert moved.state.step_index == 3
    assert (moved.state.statements, moved.state.revealed) == ((), False)


def test_advance_without_statements_moves_on():
    state, ctx = reframing()
    assert run(state, Advance(), ctx=ctx).state.step_index == 3


def revealed_reframing() -> tuple[SessionState, SessionContext]:
    """The reframing step after Amina, Bob and Chen's statements were revealed."""
    state, ctx = reframing()
    state = run(
        state, says(AMINA, "Trust."), says(BOB, "Money."), says(CHEN, "Rota."), ctx=ctx
    ).state
    assert state.revealed
    return state, ctx


def test_the_holder_picks_a_revealed_statement_and_the_reveal_shows_it():
    state, ctx = revealed_reframing()
    outcome = run(state, PickReframe(person=HOLDER, index=1, message_id=40), ctx=ctx)
    assert outcome.state.reframe == "Money."
    assert keys(outcome) == []  # the reveal message changes; nothing new is posted
    shown = only(outcome, Edit)
    assert shown.message_id == 40
    assert shown.message.params["reveal"] == reveal_message(state)
    assert shown.message.params["picked"] == msg("session.reframe_picked", reframe="Money.")
    assert shown.fallback == shown.message.params["picked"]
    assert [b.verb for b in shown.buttons] == ["pick:0", "pick:1", "pick:2"]  # may change


def test_a_pick_without_its_message_is_said():
    state, ctx = revealed_reframing()
    outcome = run(state, PickReframe(person=HOLDER, index=1), ctx=ctx)
    assert keys(outcome) == ["session.reframe_picked"]
    assert outcome.effects[0].message.params["reframe"] == "Money."


def test_picking_the_same_statement_twice_says_it_once():
    state, ctx = revealed_reframing()
    once = run(state, PickReframe(person=HOLDER, index=2), ctx=ctx).state
    assert run(once, PickReframe(person=HOLDER, index=2), ctx=ctx) == Outcome(state=once)
    other = run(once, PickReframe(person=HOLDER, index=0), ctx=ctx)
    assert (other.state.reframe, keys(other)) == ("Trust.", ["session.reframe_picked"])


def test_only_the_holder_picks():
    state, ctx = revealed_reframing()
    assert_hint(
        state, run(state, PickReframe(person=AMINA, index=0), ctx=ctx), "session.pick_holder_only"
    )


@pytest.mark.parametrize("index", [3, -1, 99])
def test_picking_out_of_range_changes_nothing(index):
    state, ctx = revealed_reframing()
    assert run(state, PickReframe(person=HOLDER, index=index), ctx=ctx) == Outcome(state=state)


def test_picking_before_the_reveal_changes_nothing():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), ctx=ctx).state
    assert run(state, PickReframe(person=HOLDER, index=0), ctx=ctx) == Outcome(state=state)


def test_the_holders_words_after_the_reveal_are_the_reframe():
    state, ctx = revealed_reframing()
    outcome = run(state, says(HOLDER, " Trust and money, together. "), ctx=ctx)
    assert outcome.state.reframe == "Trust and money, together."
    assert only(outcome, Record).kind == "reframe"


def test_a_statement_resent_after_the_reveal_keeps_the_revealed_numbering():
    """The buttons were numbered at the reveal: pick:0 must still pick Amina's statement."""
    state, ctx = revealed_reframing()
    state = run(state, says(AMINA, "Trust, after all."), ctx=ctx).state
    picked = run(state, PickReframe(person=HOLDER, index=0), ctx=ctx).state
    assert picked.reframe in {"Trust.", "Trust, after all."}


def test_an_edited_statement_is_revealed_as_edited():
    """An edit before the reveal changes the record, so the reveal must show the new text."""
    state, ctx = reframing()
    first = says(AMINA, "It is about trust.")
    state = run(state, first, says(BOB, "Money."), ctx=ctx).state
    state = run(
        state, EditContribution(message_id=first.message_id, text="It is pride."), ctx=ctx
    ).state
    outcome = run(state, says(CHEN, "Rota."), ctx=ctx)
    assert said_text(outcome, "It is pride.")
    assert not said_text(outcome, "It is about trust.")


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
        "summary.action",
        "summary.success_sign",
        "summary.help_needed",
        "summary.follow_up",
    ]


def test_the_summary_without_a_next_meeting_says_so():
    state = with_action(action="Ask Ali")
    outcome = run(state, End())
    assert only(outcome, SaveAction).due is None
    assert summary_keys(outcome.effects[-1].message) == [
        "summary.head",
        "summary.questions",
        "summary.action",
        "summary.no_meeting",
    ]


def test_the_summary_shows_the_topic_holder_and_reframe():
    state = at_step("classic", 3)
    state = run(state, says(HOLDER, "Trust."), Advance(), Advance(), Advance()).state
    assert (state.step_index, state.action) == (5, None)
    message = summary(state, context(next_meeting=NEXT_MEETING))
    head, questions, reframe, no_action = message.params["lines"]
    assert head.params == {"topic": TOPIC, "holder": HOLDER.mention()}
    assert questions.count == 0
    assert (reframe.key, reframe.params["reframe"]) == ("summary.reframe", "Trust.")
    assert no_action.key == "summary.no_action"


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
