"""Our buttons' callback data: one small type per kind of button, formatted and parsed here.

The wire format is the one buttons already posted in chats carry: a short prefix per kind and
':'-separated fields, at most 64 bytes. `parse` accepts only data in the exact form `data`
writes (canonical numbers, known verbs), so forged or malformed data parses to None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

from flows.follow_up import ActionOutcome, Decision

MAX_BYTES = 64  # Telegram's limit on callback data
SCORES = range(1, 11)
# Ids and offsets we issue are far shorter; SQLite integers end at 2**63.
NUMBER = re.compile(r"0|[1-9][0-9]{0,14}", re.ASCII)
CHAT_ID = re.compile(r"-?[1-9][0-9]{0,14}", re.ASCII)


def _fields(data: str | None, prefix: str) -> list[str] | None:
    """The fields after `prefix`, when the data starts with it and is not oversized."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    head, *rest = data.split(":")
    return rest if head == prefix else None


def _number(text: str, pattern: re.Pattern[str] = NUMBER) -> int | None:
    """A number written as we write it (no sign, no leading zero, ASCII digits), or None."""
    return int(text) if pattern.fullmatch(text) else None


@dataclass(frozen=True, slots=True)
class SessionButton:
    """A session's button: `s:<session>:topic` ("I have a topic"), `s:<session>:pick:<i>` (a
    reframe) or `s:<session>:score:<n>` (how did we do, 1 to 10)."""

    PREFIX: ClassVar[str] = "s"
    session_id: int
    verb: Literal["topic", "pick", "score"]
    index: int | None = None  # the reframe picked, or the score given

    @property
    def data(self) -> str:
        """The callback data."""
        suffix = f":{self.index}" if self.verb != "topic" else ""
        return f"{self.PREFIX}:{self.session_id}:{self.verb}{suffix}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [session, "topic"] if (session_id := _number(session)) is not None:
                return cls(session_id, "topic")
            case [session, "pick", index] if (session_id := _number(session)) is not None:
                picked = _number(index)
                return cls(session_id, "pick", picked) if picked is not None else None
            case [session, "score", given] if (session_id := _number(session)) is not None:
                score = _number(given)
                return cls(session_id, "score", score) if score in SCORES else None
        return None

    @classmethod
    def of_verb(cls, session_id: int, verb: str) -> Self:
        """The button of a flows Button's verb ("topic", "pick:<i>")."""
        button = cls.parse(f"{cls.PREFIX}:{session_id}:{verb}")
        if button is None:
            raise ValueError(f"not a session button verb: {verb!r}")
        return button


OUTCOMES = {outcome.value: outcome for outcome in ActionOutcome}
DECISIONS = {decision.value: decision for decision in Decision}


@dataclass(frozen=True, slots=True)
class FollowUpButton:
    """A follow-up's button: `a:<action>:o:<outcome>` or `a:<action>:d:<decision>`."""

    PREFIX: ClassVar[str] = "a"
    action_id: int
    choice: ActionOutcome | Decision

    @property
    def data(self) -> str:
        """The callback data."""
        kind = "o" if isinstance(self.choice, ActionOutcome) else "d"
        return f"{self.PREFIX}:{self.action_id}:{kind}:{self.choice.value}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [action, "o", value] if value in OUTCOMES:
                choice: ActionOutcome | Decision = OUTCOMES[value]
            case [action, "d", value] if value in DECISIONS:
                choice = DECISIONS[value]
            case _:
                return None
        action_id = _number(action)
        return cls(action_id, choice) if action_id is not None else None

    @classmethod
    def of_verb(cls, action_id: int, verb: str) -> Self:
        """The button of a flows Button's verb ("o:<outcome>", "d:<decision>")."""
        button = cls.parse(f"{cls.PREFIX}:{action_id}:{verb}")
        if button is None:
            raise ValueError(f"not a follow-up button verb: {verb!r}")
        return button


@dataclass(frozen=True, slots=True)
class LogPage:
    """A learning-log page button (Newer, Older): `l:<offset>`."""

    PREFIX: ClassVar[str] = "l"
    offset: int

    @property
    def data(self) -> str:
        """The callback data."""
        return f"{self.PREFIX}:{self.offset}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [offset] if (number := _number(offset)) is not None:
                return cls(number)
        return None


@dataclass(frozen=True, slots=True)
class LogDetail:
    """A session's detail under a log page: `ld:<session>:<offset>` (the page to go back to)."""

    PREFIX: ClassVar[str] = "ld"
    session_id: int
    offset: int

    @property
    def data(self) -> str:
        """The callback data."""
        return f"{self.PREFIX}:{self.session_id}:{self.offset}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [session, offset] if (session_id := _number(session)) is not None:
                number = _number(offset)
                return cls(session_id, number) if number is not None else None
        return None


@dataclass(frozen=True, slots=True)
class ForgetChoice:
    """An answer to /forget's question, for the person who asked: `f:<user>:yes|no`."""

    PREFIX: ClassVar[str] = "f"
    user_id: int
    confirmed: bool

    @property
    def data(self) -> str:
        """The callback data."""
        return f"{self.PREFIX}:{self.user_id}:{'yes' if self.confirmed else 'no'}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [user, "yes" | "no" as choice] if (user_id := _number(user)) is not None:
                return cls(user_id, choice == "yes")
        return None


@dataclass(frozen=True, slots=True)
class SetChoice:
    """In private, the set a reframing statement is for: `ps:<chat_id>` (negative for groups)."""

    PREFIX: ClassVar[str] = "ps"
    chat_id: int

    @property
    def data(self) -> str:
        """The callback data."""
        return f"{self.PREFIX}:{self.chat_id}"

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None."""
        match _fields(data, cls.PREFIX):
            case [chat] if (chat_id := _number(chat, CHAT_ID)) is not None:
                return cls(chat_id)
        return None


ButtonData = SessionButton | FollowUpButton | LogPage | LogDetail | ForgetChoice | SetChoice
KINDS: tuple[type[ButtonData], ...] = (
    SessionButton,
    FollowUpButton,
    LogPage,
    LogDetail,
    ForgetChoice,
    SetChoice,
)


def parse_button(data: str | None) -> ButtonData | None:
    """Whichever of our buttons the data stands for, or None."""
    for kind in KINDS:
        if (button := kind.parse(data)) is not None:
            return button
    return None


def pattern(kind: type[ButtonData]) -> str:
    """The CallbackQueryHandler pattern that routes a kind's presses (parsed in its handler)."""
    return f"^{kind.PREFIX}:"
