"""Following up a committed action: what happened, what was learned, carry on, change or close.

Each open action moves through stages: ASK_OUTCOME → DECIDE (learning may come any time)
→ closed (carry on and change also open the next action, linked to this one). Answers come
by button, by reply to the follow-up message, or by /outcome.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from flows.session_model import Button, Person, Say
from flows.text import LocalTime, Msg, msg


class ActionOutcome(StrEnum):
    """What happened to an action."""

    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    DROPPED = "dropped"


class Stage(StrEnum):
    """Where an action's follow-up is."""

    NOT_ASKED = "not_asked"
    ASK_OUTCOME = "ask_outcome"
    DECIDE = "decide"
    NEW_TEXT = "new_text"
    CLOSED = "closed"


WAITING = frozenset({Stage.ASK_OUTCOME, Stage.DECIDE, Stage.NEW_TEXT})  # asked, not settled


class Decision(StrEnum):
    """What the holder wants next."""

    CARRY_ON = "carry"
    CHANGE = "change"
    CLOSE = "close"


class ActionRecord(BaseModel):
    """An action as the follow-up sees it."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    holder: Person | None  # None after /forget
    holder_name: str
    text: str
    success_sign: str | None = None
    help_needed: str | None = None
    due_at: datetime | None = None
    created_at: datetime
    stage: Stage = Stage.NOT_ASKED
    outcome: ActionOutcome | None = None
    learning: str | None = None
    follow_up_message_id: int | None = None
    asked_by: int | None = None  # the meeting-time row that last asked it

    @property
    def is_open(self) -> bool:
        """Whether the action still waits for its follow-up to finish."""
        return self.stage is not Stage.CLOSED

    @property
    def is_waiting(self) -> bool:
        """Whether its follow-up was asked and is not settled yet."""
        return self.stage in WAITING

    def holder_mention(self):
        """The holder as a mention, or their stored name."""
        return self.holder.mention() if self.holder else self.holder_name


class FollowUpChange(BaseModel):
    """What an answer does: the updated action, a next action to open, and what to show."""

    model_config = ConfigDict(frozen=True)

    action: ActionRecord
    next_action_text: str | None = None
    decision: Decision | None = None  # set when the answer settles the action
    message: Msg | None = None  # the follow-up message's new text
    buttons: tuple[Button, ...] = ()
    hint: Msg | None = None  # a short answer for the person (toast or one line)


OUTCOME_BUTTONS = tuple(
    Button(label=msg(f"follow_up.button.{o.value}"), verb=f"o:{o.value}") for o in ActionOutcome
)
DECISION_BUTTONS = tuple(
    Button(label=msg(f"follow_up.button.{d.value}"), verb=f"d:{d.value}") for d in Decision
)


def decision_buttons(outcome: ActionOutcome | None) -> tuple[Button, ...]:
    """What may come next: a dropped action is changed or closed, not carried on."""
    if outcome is ActionOutcome.DROPPED:
        return tuple(b for b in DECISION_BUTTONS if b.verb != f"d:{Decision.CARRY_ON.value}")
    return DECISION_BUTTONS


def ask(action: ActionRecord, timezone: str) -> Say:
    """The follow-up message of one open action: its holder, its text, the outcome buttons."""
    since = LocalTime(moment=action.created_at, timezone=timezone)
    details = []
    if action.success_sign:
        details.append(msg("summary.success_sign", sign=action.success_sign))
    if action.help_needed:
        details.append(msg("summary.help_needed", help=action.help_needed))
    return Say(
        message=msg(
            "follow_up.ask",
            holder=action.holder_mention(),
            action=action.text,
            since=since,
            details=msg("follow_up.details", lines=tuple(details)) if details else "",
        ),
        buttons=OUTCOME_BUTTONS,
    )


def current_message(action: ActionRecord) -> Msg:
    """The follow-up message's text for the action's stage."""
    outcome = msg(f"follow_up.outcome.{action.outcome.value}") if action.outcome else ""
    learning = msg("follow_up.learned", learning=action.learning) if action.learning else ""
    key = {
        Stage.DECIDE: "follow_up.decide_learned" if action.learning else "follow_up.decide",
        Stage.NEW_TEXT: "follow_up.new_text",
    }.get(action.stage, "follow_up.closed")
    return msg(
        key, holder=action.holder_mention(), action=action.text, outcome=outcome, learning=learning
    )


def from_earlier_meetings(
    actions: list[ActionRecord], now: datetime, timezone: str
) -> list[ActionRecord]:
    """The actions a new session follows up: committed on an earlier day (the set's time zone)
    or due at a meeting that has come; not one committed minutes ago, at this same meeting."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    return [
        action
        for action in actions
        if action.created_at.astimezone(zone).date() < today
        or (action.due_at is not None and action.due_at <= now)
    ]


def round_over(answered: ActionRecord, open_actions: tuple[ActionRecord, ...]) -> bool:
    """Whether a session's follow-up round is over once this answer is stored: no asked action
    waits any more (actions never asked, e.g. opened by carry on, do not hold it up)."""
    others = (action for action in open_actions if action.id != answered.id)
    return not answered.is_waiting and not any(action.is_waiting for action in others)


def asked_first(actions: list[ActionRecord]) -> list[ActionRecord]:
    """Actions whose follow-up waits for an answer first, then the rest (order kept)."""
    return [a for a in actions if a.is_waiting] + [a for a in actions if not a.is_waiting]


def may_answer(action: ActionRecord, person: Person, is_facilitator: bool) -> bool:
    """The holder answers; a facilitator may answer for them (e.g. told in the meeting)."""
    return is_facilitator or (action.holder is not None and action.holder.user_id == person.user_id)


def answered_for(change: FollowUpChange, by: Person) -> FollowUpChange:
    """An answer a facilitator gave for the holder says so on the follow-up message."""
    holder = change.action.holder
    if change.message is None or (holder is not None and holder.user_id == by.user_id):
        return change
    marked = msg("follow_up.answered_for", message=change.message, by=by.mention())
    return change.model_copy(update={"message": marked})


def record_outcome(
    action: ActionRecord, outcome: ActionOutcome, learning: str | None
) -> FollowUpChange:
    """What happened; the holder is then asked to carry on, change or close."""
    if action.stage is Stage.CLOSED:
        return FollowUpChange(action=action, hint=msg("follow_up.already_closed"))
    updated = action.model_copy(
        update={"outcome": outcome, "stage": Stage.DECIDE, "learning": learning or action.learning}
    )
    return FollowUpChange(
        action=updated, message=current_message(updated), buttons=decision_buttons(outcome)
    )


def record_learning(action: ActionRecord, learning: str) -> FollowUpChange:
    """What the holder learned (any time before the follow-up closes)."""
    if action.stage is Stage.CLOSED or not learning.strip():
        return FollowUpChange(action=action)
    updated = action.model_copy(update={"learning": learning.strip()})
    buttons = (
        decision_buttons(updated.outcome) if updated.stage is Stage.DECIDE else OUTCOME_BUTTONS
    )
    return FollowUpChange(action=updated, message=current_message(updated), buttons=buttons)


def decide(action: ActionRecord, decision: Decision, new_text: str | None = None) -> FollowUpChange:
    """Carry on (same action again), change (a new text), or close."""
    if action.stage is Stage.CLOSED:
        return FollowUpChange(action=action, hint=msg("follow_up.already_closed"))
    if action.outcome is None:
        return FollowUpChange(action=action, hint=msg("follow_up.outcome_first"))
    if decision is Decision.CARRY_ON and action.outcome is ActionOutcome.DROPPED:
        return FollowUpChange(action=action, hint=msg("follow_up.no_carry_after_drop"))
    if decision is Decision.CHANGE and not (new_text and new_text.strip()):
        updated = action.model_copy(update={"stage": Stage.NEW_TEXT})
        return FollowUpChange(action=updated, message=current_message(updated))
    next_text = {Decision.CARRY_ON: action.text, Decision.CHANGE: (new_text or "").strip()}.get(
        decision
    )
    closed = action.model_copy(update={"stage": Stage.CLOSED})
    return FollowUpChange(
        action=closed,
        next_action_text=next_text,
        decision=decision,
        message=msg(
            f"follow_up.result.{decision.value}",
            holder=action.holder_mention(),
            action=action.text,
            outcome=msg(f"follow_up.outcome.{action.outcome.value}"),
            learning=msg("follow_up.learned", learning=action.learning) if action.learning else "",
            next=next_text or "",
        ),
    )


def reply(action: ActionRecord, text: str) -> FollowUpChange:
    """A reply to the follow-up message: the new action text, else what was learned."""
    if action.stage is Stage.NEW_TEXT:
        return decide(action, Decision.CHANGE, text)
    return record_learning(action, text)
