"""A session's state, the events that move it, and the effects it asks the bot to carry out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from flows.answers import RepliedTo
from flows.digest import Answered, Said
from flows.exercises import Exercise
from flows.guard import GuardReason
from flows.quiet import QuietTime
from flows.text import Mention, Msg

if TYPE_CHECKING:  # flows.follow_up builds on this module's Person, Button and Say
    from flows.follow_up import ActionRecord, FollowUpChange

Frozen = ConfigDict(frozen=True)


class Phase(StrEnum):
    """Where a session is."""

    FOLLOW_UP = "follow_up"
    CHOOSE_HOLDER = "choose_holder"
    STEP = "step"
    CLOSED = "closed"


class Person(BaseModel):
    """Someone in the set, as the session knows them."""

    model_config = Frozen

    user_id: int
    name: str

    def mention(self) -> Mention:
        """This person as a mention in a message."""
        return Mention(name=self.name, user_id=self.user_id)


class ActionDraft(BaseModel):
    """The holder's committed action: what, how they will know, what help they need."""

    model_config = Frozen

    text: str
    success_sign: str | None = None
    help_needed: str | None = None
    message_id: int | None = None


class Statement(BaseModel):
    """A member's 'what is the real problem' statement, held back until the reveal."""

    model_config = Frozen

    person: Person
    text: str
    message_id: int | None = None


class TopicOffer(BaseModel):
    """Someone who offered the topic during the follow-up round: they hold it once it ends."""

    model_config = Frozen

    person: Person
    topic: str | None = None
    message_id: int | None = None


class SessionState(BaseModel):
    """Everything about an open session; stored in the `sessions` table."""

    model_config = Frozen

    id: int = 0
    chat_id: int
    thread_id: int | None = None
    exercise: str
    phase: Phase
    facilitator: Person
    step_index: int = 0
    topic_holder: Person | None = None
    next_holder: TopicOffer | None = None  # offered during the follow-up round
    topic: str | None = None
    topic_message_id: int | None = None
    reframe: str | None = None
    action: ActionDraft | None = None
    started_at: datetime
    step_started_at: datetime | None = None
    deadline: datetime | None = None
    paused_remaining: float | None = None  # seconds left when paused
    nudged: tuple[int, ...] = ()  # members nudged in this step
    nudge_count: int = 0  # nudges given in the whole session (the summary reports it)
    holder_reminded: bool = False  # reminded to listen in this step
    commit_warned: bool = False  # /next in the commit step without an action, once
    reminded: bool = False  # across days: this step's reminder is done (one per step)
    statements: tuple[Statement, ...] = ()
    revealed: bool = False
    holder_left: bool = False  # the holder left the group mid-session: paused until replaced
    blind: bool = False  # the bot sees only commands and replies here (privacy mode)
    step_length: timedelta | None = None  # across days (async): every step lasts this long
    question_count: int = 0
    digest_answers_from: int = 0  # across days: answers given from this step on await a digest
    closed_at: datetime | None = None
    last_update_id: int = 0  # the last Telegram update applied; re-delivered ones are skipped

    @property
    def is_open(self) -> bool:
        """Whether the session still takes events."""
        return self.phase is not Phase.CLOSED

    @property
    def paused(self) -> bool:
        """Whether the step timer is stopped."""
        return self.paused_remaining is not None


# Events ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Volunteer:
    """A member offers a topic (/topic or the button)."""

    person: Person
    topic: str | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChooseHolder:
    """A facilitator names the topic holder (/holder)."""

    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class Contribute:
    """Someone says something: a plain message, a reply to the bot, /q, or a voice note."""

    person: Person
    text: str
    message_id: int
    via: Literal["plain", "reply", "command", "private"] = "plain"
    voice: Voice | None = None
    source_chat_id: int | None = None  # a private chat, when not said in the group
    replied: RepliedTo | None = None  # the holder's reply to a question or to a digest


@dataclass(frozen=True, slots=True, kw_only=True)
class Voice:
    """A voice note: how long it is, and Telegram's id of its file (nothing is downloaded)."""

    seconds: int
    file_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EditContribution:
    """A recorded message was edited (with what was recorded of it, when known)."""

    message_id: int
    text: str
    person: Person | None = None
    kind: str | None = None
    step_index: int | None = None
    flagged: GuardReason | None = None
    source_chat_id: int | None = None  # a private chat, when not said in the group


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitAction:
    """The holder states the action (/action)."""

    person: Person
    text: str
    message_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PickReframe:
    """The holder picks one of the revealed statements."""

    person: Person
    index: int
    message_id: int | None = None  # the reveal message whose button was pressed


@dataclass(frozen=True, slots=True, kw_only=True)
class Advance:
    """A facilitator moves on (/next), or auto-advance does."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Extend:
    """A facilitator adds minutes to the step (/extend)."""

    minutes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause:
    """A facilitator stops the clock (/pause)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Resume:
    """A facilitator restarts the clock (/resume)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class End:
    """A facilitator closes the session early (/end); what was said is kept."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerFired:
    """A step timer went off."""

    kind: Literal["warning", "end"]
    step_index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SightChanged:
    """The bot was made admin (or no longer is): whether it sees plain messages changed."""

    blind: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberLeft:
    """Someone left the group or was removed from it."""

    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpAnswered:
    """An answer to an action's follow-up, given while a session is open."""

    change: FollowUpChange
    pressed_on: int | None = None  # the copy of the question whose button was pressed


Event = (
    Volunteer
    | ChooseHolder
    | Contribute
    | EditContribution
    | CommitAction
    | PickReframe
    | Advance
    | Extend
    | Pause
    | Resume
    | End
    | TimerFired
    | FollowUpAnswered
    | MemberLeft
    | SightChanged
)


# Effects -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Button:
    """An inline button: a label and the verb its callback carries."""

    label: Msg
    verb: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Say:
    """Post a message in the session's chat and thread."""

    message: Msg
    buttons: tuple[Button, ...] = ()
    step_message: bool = False  # replies to it count as contributions
    holder_prompt: bool = False  # the "who brings a topic?" message (ClearHolderPrompt finds it)
    digest_step: int | None = None  # the digest of this step (a reply to it names a question)


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """Change a message the bot sent (text and buttons); say `fallback` where it cannot."""

    message_id: int
    message: Msg
    buttons: tuple[Button, ...] = ()
    fallback: Msg


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledge:
    """Mark a person's message as taken with a reaction; say `fallback` where one cannot."""

    message_id: int
    fallback: Msg


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Store a contribution against the current step."""

    person: Person
    message_id: int
    step_index: int
    kind: str
    text: str
    flagged: GuardReason | None = None
    source_chat_id: int | None = None  # where the message was said, if not the set's group
    voice: Voice | None = None
    answers: int | None = None  # the question (contribution id) this answer is linked to


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateRecord:
    """Change the text of a stored contribution (an edit), and its guard verdict if checked."""

    message_id: int
    text: str
    reguarded: bool = False
    flagged: GuardReason | None = None
    source_chat_id: int | None = None  # where the message was said, if not the set's group


@dataclass(frozen=True, slots=True, kw_only=True)
class ArmTimer:
    """Schedule a step timer."""

    kind: Literal["warning", "end"]
    due: datetime
    step_index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelTimers:
    """Cancel the session's pending step timers."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveAction:
    """Store the committed action as an open action of the set."""

    holder: Person
    action: ActionDraft
    due: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveFollowUp:
    """Store an answer to an action's follow-up (and open the next action it asks for)."""

    change: FollowUpChange
    pressed_on: int | None
    next_due: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClearHolderPrompt:
    """Take the button off the session's "who brings a topic?" message, once sent."""


Effect = (
    Say
    | Edit
    | Acknowledge
    | Record
    | UpdateRecord
    | ArmTimer
    | CancelTimers
    | SaveAction
    | SaveFollowUp
    | ClearHolderPrompt
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """A new state and what to do about it."""

    state: SessionState
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionContext:
    """What a transition may know beyond the state: the exercise, the time, the set."""

    exercise: Exercise
    now: datetime
    timezone: str = "UTC"
    auto_advance: bool = False
    member_count: int = 0  # members other than the holder, for the reframing reveal
    next_meeting: datetime | None = None
    open_actions: tuple[ActionRecord, ...] = ()  # the set's, during the follow-up round only
    # Async sessions only, when a step's timer fires: what was said in that step (its digest,
    # who has not spoken yet) and the set's members (whom a reminder may name).
    step_said: tuple[Said, ...] | None = None
    step_answers: tuple[Answered, ...] = ()  # at a step's end: answers not yet in a digest
    members: tuple[Person, ...] = ()
    quiet: QuietTime | None = None  # the set's quiet time: async steps end and remind outside it
