"""What `/session` is asked for: an exercise, and whether it runs live or across days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flows.schedule import ScheduleError, parse_reminder

ASYNC_WORDS = ("async", "asynchrone", "غير_متزامنة")
DEFAULT_STEP_LENGTH = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SessionArgs:
    """An exercise's name, and each step's length when the session runs across days."""

    exercise: str
    step_length: timedelta | None = None


@dataclass(frozen=True, slots=True)
class UnknownExercise:
    """The name given is no exercise."""

    name: str


@dataclass(frozen=True, slots=True)
class BadStepLength:
    """An async session's step length that is not a duration from a minute to a week."""

    given: str


def read_session_args(
    text: str, exercises: tuple[str, ...], default: str
) -> SessionArgs | UnknownExercise | BadStepLength:
    """Read '/session [exercise] [async [step length]]', e.g. 'consult async 12h'."""
    words = text.lower().split()
    name = default
    if words and words[0] not in ASYNC_WORDS:
        name, words = words[0], words[1:]
        if name not in exercises:
            return UnknownExercise(name)
    if not words:
        return SessionArgs(name)
    if words[0] not in ASYNC_WORDS:
        return UnknownExercise(" ".join(words))
    given = " ".join(words[1:])
    if not given:
        return SessionArgs(name, DEFAULT_STEP_LENGTH)
    length = parse_reminder(given)
    if isinstance(length, ScheduleError) or length is None or length < timedelta(minutes=1):
        return BadStepLength(given)
    return SessionArgs(name, length)
