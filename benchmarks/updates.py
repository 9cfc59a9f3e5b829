"""Update JSON as Telegram sends it to a bot, built small and fast for benchmarks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?(?=\s|$)")


@dataclass(frozen=True)
class Member:
    """A person in a benchmark group."""

    user_id: int
    first_name: str

    def json(self) -> dict:
        """The User JSON of this person."""
        return {"id": self.user_id, "is_bot": False, "first_name": self.first_name}


@dataclass
class Group:
    """A group chat: a facilitator (an admin), a topic holder and members."""

    chat_id: int
    title: str
    facilitator: Member
    holder: Member
    members: list[Member]

    def json(self) -> dict:
        """The Chat JSON of this group."""
        return {"id": self.chat_id, "type": "group", "title": self.title}


NAMES = ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay", "Gus", "Hana")


def make_group(number: int, members: int = 5) -> Group:
    """Group `number` (chat id -1000-number): facilitator id ...0, holder ...1, members ...2+."""
    chat_id = -1_000_000 - number
    base = 10_000_000 + number * 10
    people = [Member(base + 1 + i, NAMES[i % len(NAMES)]) for i in range(members)]
    return Group(
        chat_id=chat_id,
        title=f"Set {number}",
        facilitator=Member(base, "Fatou"),
        holder=people[0],
        members=people[1:],
    )


UPDATE_IDS = itertools.count(1)


@dataclass
class UpdateFactory:
    """Builds update dicts; message ids come from the chat's counter, dates from the clock."""

    next_message_id: Callable[[int], int]
    clock: Callable[[], float]
    # Telegram numbers updates once for the bot, across all chats: ids never repeat.
    _update_ids: itertools.count = field(default_factory=lambda: UPDATE_IDS)

    def message(
        self, group: Group, sender: Member, text: str, *, reply_to: dict | None = None
    ) -> dict:
        """A text message in the group; a leading /command gets its bot_command entity."""
        message: dict = {
            "message_id": self.next_message_id(group.chat_id),
            "from": sender.json(),
            "chat": group.json(),
            "date": int(self.clock()),
            "text": text,
        }
        command = COMMAND.match(text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(command.group())}
            ]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._update_ids), "message": message}

    def button(self, group: Group, sender: Member, bot_message: dict, data: str) -> dict:
        """A press on an inline button of a bot message."""
        update_id = next(self._update_ids)
        return {
            "update_id": update_id,
            "callback_query": {
                "id": f"q{update_id}",
                "from": sender.json(),
                "message": bot_message,
                "chat_instance": f"ci{group.chat_id}",
                "data": data,
            },
        }


def kind_of(update: dict, bot_id: int) -> str:
    """How a benchmark names an update: '/next', 'question', 'reply to bot', 'button'..."""
    if "callback_query" in update:
        return "button"
    message = update["message"]
    text = message.get("text", "")
    if text.startswith("/"):
        return text.split()[0]
    replied = message.get("reply_to_message")
    if replied is not None and replied.get("from", {}).get("id") == bot_id:
        return "plain, reply to bot"
    return "plain"
