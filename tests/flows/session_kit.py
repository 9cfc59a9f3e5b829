"""Shared pieces of the session state machine tests: people, states, and how to run events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from flows.exercises import builtin_exercises
from flows.session import handle, start_session
from flows.session_model import (
    Contribute,
    Event,
    Outcome,
    Person,
    Say,
    SessionContext,
    SessionState,
)
from flows.steps import enter_step
from flows.text import Msg

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
