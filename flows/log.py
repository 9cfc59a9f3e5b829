"""The learning log as the set reads it: sessions with their topic, action, outcome, learnings,
and what was asked and said in them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from flows.follow_up import ActionOutcome
from flows.guard import GuardReason
from flows.text import voice_length  # noqa: F401  (the log's readers find it here)

# What a session's detail and the export show: what members asked and offered, the statements
# of the problem, the holder's insight, the learning lines, and voice notes (by their length).
# Comments and the holder's presentation stay out; so do answers, but for the holder's answers
# linked to a question, shown under it.
DETAIL_KINDS = ("question", "idea", "reframe", "insight", "learning")


class LoggedAction(BaseModel):
    """An action as the log and the export show it."""

    model_config = ConfigDict(frozen=True)

    id: int
    session_id: int | None
    holder_name: str
    text: str
    success_sign: str | None = None
    help_needed: str | None = None
    created_at: datetime
    due_at: datetime | None = None
    status: str
    outcome: ActionOutcome | None = None
    learning: str | None = None
    closed_at: datetime | None = None
    previous_id: int | None = None
    words_erased_at: datetime | None = None  # retention erased its words; the record stays


class LoggedContribution(BaseModel):
    """One thing said in a session, as its detail and the export show it."""

    model_config = ConfigDict(frozen=True)

    step_index: int
    kind: str
    author: str | None  # None: no member record names them (the renderer says "a member")
    text: str
    flagged: GuardReason | None = None
    created_at: datetime
    voice_seconds: int | None = None  # a voice note (its text is empty)
    answers: tuple[LoggedContribution, ...] = ()  # a question's: the holder's linked answers


class LoggedSession(BaseModel):
    """One session of the log."""

    model_config = ConfigDict(frozen=True)

    id: int
    started_at: datetime
    closed_at: datetime | None
    exercise: str
    holder_name: str | None
    topic: str | None
    reframe: str | None
    question_count: int = 0
    detail_count: int = 0  # contributions of DETAIL_KINDS, listed or not
    contributions: tuple[LoggedContribution, ...] = ()  # filled for the detail and the export
    learnings: tuple[str, ...] = ()
    actions: tuple[LoggedAction, ...] = ()
    words_erased_at: datetime | None = None  # retention erased its words; the record stays
    score_count: int = 0  # members who scored it ("how did we do?")
    score_mean: float | None = None

    @property
    def score(self) -> str | None:
        """Its members' mean score, '7.5', when any were given."""
        return f"{self.score_mean:.1f}" if self.score_count and self.score_mean else None


FORGOTTEN_NAME = "a member"  # what /forget leaves on actions; the renderer translates it


def shown_actions(actions: tuple[LoggedAction, ...]) -> tuple[LoggedAction, ...]:
    """A session's actions as the log shows them: a carried-on action (the same words again,
    continuing one of this session's actions) is not listed a second time."""
    texts = {action.id: action.text for action in actions}
    return tuple(
        action
        for action in actions
        if action.previous_id is None or texts.get(action.previous_id) != action.text
    )


def by_step(
    contributions: tuple[LoggedContribution, ...],
) -> list[tuple[int, tuple[LoggedContribution, ...]]]:
    """Contributions grouped by their step, in step order (each group in the order said)."""
    steps: dict[int, list[LoggedContribution]] = {}
    for contribution in sorted(contributions, key=lambda c: c.step_index):
        steps.setdefault(contribution.step_index, []).append(contribution)
    return [(index, tuple(said)) for index, said in steps.items()]
