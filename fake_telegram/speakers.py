"""People in chats: sending messages, commands, edits and button presses as a user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fake_telegram.identity import BOT_ID
from fake_telegram.records import SentMessage
from fake_telegram.telegram_html import utf16_len

if TYPE_CHECKING:
    from fake_telegram.transport import FakeTelegram
    from fake_telegram.users import ChatView, TelegramKit

COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@([A-Za-z0-9_]{5,32}))?(?=\s|$)")
MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b")

SAMPLE_CONTENT: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "sticker-1", "file_unique_id": "us1", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
        }
    },
    "voice": {
        "voice": {
            "file_id": "voice-1", "file_unique_id": "uv1", "duration": 3, "mime_type": "audio/ogg"
        }
    },
    "photo": {
        "photo": [{"file_id": "photo-1", "file_unique_id": "up1", "width": 90, "height": 90}]
    },
    "document": {
        "document": {
            "file_id": "userdoc-1", "file_unique_id": "ud1", "file_name": "notes.pdf",
            "mime_type": "application/pdf",
        }
    },
    "location": {"location": {"latitude": 12.65, "longitude": -8.0}},
    "contact": {"contact": {"phone_number": "+22370000000", "first_name": "Awa"}},
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    """A Telegram user the kit can speak as."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    last_name: str | None = None

    def json(self) -> dict[str, Any]:
        """The User JSON of this person."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        return user | {key: value for key, value in optional.items() if value is not None}


@dataclass
class UserMessage:
    """A message a user sent; `delivered` tells whether the bot received it (privacy mode)."""

    message_id: int
    chat_id: int
    text: str | None
    message: dict = field(repr=False)
    update: dict = field(repr=False)
    delivered: bool


@dataclass
class Press:
    """A callback query from pressing an inline button, and how the bot answered it."""

    query_id: str
    data: str
    message_id: int
    update: dict = field(repr=False)
    fake: FakeTelegram = field(repr=False)

    @property
    def answer(self) -> dict | None:
        """The answerCallbackQuery parameters (text, show_alert, ...), or None if unanswered."""
        return self.fake.callback_answer(self.query_id)

    @property
    def answered(self) -> bool:
        """Whether the bot answered the query (Telegram shows a spinner until it does)."""
        return self.answer is not None


MessageRef = UserMessage | SentMessage | int


def auto_entities(text: str) -> list[dict]:
    """Entities a Telegram client adds by itself: a leading /command and @mentions."""
    entities = []
    command = COMMAND_RE.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in MENTION_RE.finditer(text):
        offset = utf16_len(text[: mention.start()])
        entities.append({"type": "mention", "offset": offset, "length": utf16_len(mention.group())})
    return entities


def text_content(text: str, entities: list[dict] | None = None) -> dict[str, Any]:
    """The text fields of a message, with client-made entities."""
    content: dict[str, Any] = {"text": text}
    all_entities = list(entities or []) + auto_entities(text)
    if all_entities:
        content["entities"] = sorted(all_entities, key=lambda e: e["offset"])
    return content


class Speaker:
    """A person speaking in one chat."""

    def __init__(self, kit: TelegramKit, chat: ChatView, person: Person) -> None:
        self.kit = kit
        self.chat = chat
        self.person = person

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.person.first_name} in {self.chat.id}>"

    @property
    def user_id(self) -> int:
        """The person's user id."""
        return self.person.id

    @property
    def name(self) -> str:
        """The person's first name."""
        return self.person.first_name

    @property
    def user(self) -> dict[str, Any]:
        """The person's User JSON."""
        return self.person.json()

    async def say(
        self,
        text: str,
        *,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
        entities: list[dict] | None = None,
    ) -> UserMessage:
        """Send a text message (a leading /command gets its bot_command entity)."""
        content = text_content(text, entities)
        return await self.kit.post(self, content, thread_id=thread_id, reply_to=reply_to)

    async def command(
        self, text: str, *, thread_id: int | None = None, reply_to: MessageRef | None = None
    ) -> UserMessage:
        """Send a command such as "/session classic" or "/help@ActionLearningBot"."""
        if not COMMAND_RE.match(text):
            raise ValueError(f"not a bot command: {text!r}")
        return await self.say(text, thread_id=thread_id, reply_to=reply_to)

    async def reply(
        self, to: MessageRef, text: str, *, thread_id: int | None = None
    ) -> UserMessage:
        """Reply to a bot message (SentMessage), a user message or a message id."""
        return await self.say(text, thread_id=thread_id, reply_to=to)

    async def edit(self, message: UserMessage, text: str) -> UserMessage:
        """Edit one's own text message; the bot gets an edited_message update."""
        return await self.kit.edit(self, message, text_content(text))

    async def press(self, message: SentMessage | int, label_or_data: str) -> Press:
        """Press an inline button (matched by its text or callback data) on a bot message."""
        return await self.kit.press(self, message, label_or_data)

    async def send_raw(
        self,
        kind: str | None = None,
        *,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
        **fields: Any,
    ) -> UserMessage:
        """Send a non-text message: a sample `kind` (sticker, voice, photo...) and/or raw fields."""
        if kind is not None and kind not in SAMPLE_CONTENT:
            raise ValueError(f"unknown sample {kind!r}; choose from {sorted(SAMPLE_CONTENT)}")
        content = {**SAMPLE_CONTENT.get(kind or "", {}), **fields}
        if not content:
            raise ValueError("send_raw needs a kind or message fields, e.g. sticker={...}")
        return await self.kit.post(self, content, thread_id=thread_id, reply_to=reply_to)

    async def join(self) -> UserMessage:
        """Join the group (a new_chat_members service message)."""
        self.kit.fake.set_member_status(self.chat.id, self.user_id, "member")
        return await self.kit.post(self, {"new_chat_members": [self.user]})

    async def leave(self) -> UserMessage:
        """Leave the group (a left_chat_member service message)."""
        self.kit.fake.set_member_status(self.chat.id, self.user_id, "left")
        return await self.kit.post(self, {"left_chat_member": self.user})


def replies_to_bot(message: dict) -> bool:
    """Whether a message replies to one of the bot's messages."""
    return message.get("reply_to_message", {}).get("from", {}).get("id") == BOT_ID
