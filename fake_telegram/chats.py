"""Chats as tests see them: groups, private chats, and what the bot sent to each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_telegram.identity import BOT_ID, BOT_USERNAME
from fake_telegram.members import PRESENT_STATUSES
from fake_telegram.records import Document, SentMessage
from fake_telegram.speakers import COMMAND_RE, Person, Speaker, replies_to_bot

if TYPE_CHECKING:
    from fake_telegram.transport import FakeTelegram
    from fake_telegram.users import TelegramKit

TOPIC_ICON_COLOR = 7322096
SERVICE_KEYS = (
    "new_chat_members", "left_chat_member", "migrate_to_chat_id", "migrate_from_chat_id",
    "forum_topic_created", "group_chat_created", "pinned_message", "new_chat_title",
)  # fmt: skip


class ChatView:
    """What the bot sent to one chat."""

    def __init__(self, kit: TelegramKit, chat_id: int, chat_type: str) -> None:
        self.kit = kit
        self.id = chat_id
        self.type = chat_type
        self.is_forum = False
        self.topics: dict[int, dict] = {}
        self.old_ids: list[int] = []  # ids before a migration to a supergroup

    def bot_messages(self) -> list[SentMessage]:
        """The bot's messages still in the chat (old ids too, after a migration), as edited."""
        ids = [*self.old_ids, self.id]
        return [m for chat_id in ids for m in self.kit.fake.messages(chat_id) if not m.deleted]

    def bot_texts(self) -> list[str]:
        """Visible texts of the bot's text messages still in the chat, in order."""
        return [
            m.text
            for m in self.bot_messages()
            if m.document is None and m.photo is None and m.text is not None
        ]

    def last_bot_message(self) -> SentMessage:
        """The bot's latest message still in the chat; AssertionError if there is none."""
        messages = self.bot_messages()
        assert messages, f"the bot sent nothing (left) to chat {self.id}"
        return messages[-1]

    def documents(self) -> list[Document]:
        """Files the bot sent to this chat."""
        return self.kit.fake.documents(self.id)

    def photos(self) -> list[Document]:
        """Photos the bot sent to this chat."""
        return self.kit.fake.photos(self.id)

    def topic_root(self, thread_id: int) -> dict:
        """The forum_topic_created message that opened a topic (made up if not created here)."""
        if thread_id not in self.topics:
            self.topics[thread_id] = {
                "message_id": thread_id,
                "date": self.kit.now(),
                "chat": self.kit.fake.chat_json(self.id),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": {
                    "name": f"Topic {thread_id}",
                    "icon_color": TOPIC_ICON_COLOR,
                },
            }
        return self.topics[thread_id]


ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group"}  # Telegram's


class Group(ChatView):
    """A group or supergroup the kit registered in the fake."""

    def __init__(self, kit: TelegramKit, chat: dict) -> None:
        super().__init__(kit, chat["id"], chat["type"])
        self.title: str = chat["title"]
        self.is_forum = bool(chat.get("is_forum"))

    def __repr__(self) -> str:
        return f"<Group {self.title!r} {self.type} {self.id}>"

    async def command_as_group(self, text: str) -> None:
        """An anonymous admin sends a command in the group's own name (sender_chat)."""
        self.kit.fake.add_user(ANONYMOUS_ADMIN)
        chat = {"id": self.id, "type": self.type, "title": self.title}
        command = text.split()[0]
        message = {
            "message_id": self.kit.fake.next_message_id(self.id),
            "date": self.kit.now(),
            "chat": chat,
            "from": ANONYMOUS_ADMIN,
            "sender_chat": chat,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        }
        await self.kit.feed({"update_id": self.kit.next_update_id(), "message": message})

    def member(
        self,
        who: str | Person | Speaker,
        *,
        admin: bool = False,
        creator: bool = False,
        language_code: str | None = "en",
        username: str | None = None,
        rights: dict | None = None,
    ) -> Speaker:
        """Add a person (new from a name, or an existing one) as a member, admin or creator."""
        person = self.kit.person_of(who, language_code=language_code, username=username)
        status = "creator" if creator else "administrator" if admin else "member"
        self.kit.fake.set_member_status(self.id, person.id, status, rights)
        return Speaker(self.kit, self, person)

    async def create_topic(self, name: str, by: Speaker) -> int:
        """Open a forum topic (a forum_topic_created service message); returns its thread id."""
        if not self.is_forum:
            raise ValueError("topics need a forum: tg.group(..., kind='supergroup', forum=True)")
        content = {"forum_topic_created": {"name": name, "icon_color": TOPIC_ICON_COLOR}}
        sent = await self.kit.post(by, content, new_topic=True)
        self.topics[sent.message_id] = sent.message
        return sent.message_id


class PrivateChat(ChatView, Speaker):
    """A person's private chat with the bot; speak in it directly (private.command(...))."""

    def __init__(self, kit: TelegramKit, person: Person) -> None:
        ChatView.__init__(self, kit, person.id, "private")
        Speaker.__init__(self, kit, self, person)

    async def block(self) -> None:
        """The person blocks the bot (my_chat_member: kicked); sends then fail with Forbidden."""
        await self.kit.set_bot_status(self, "kicked", by=self)

    async def unblock(self) -> None:
        """The person unblocks the bot (my_chat_member: member)."""
        await self.kit.set_bot_status(self, "member", by=self)


def bot_sees(fake: FakeTelegram, chat: ChatView, message: dict) -> bool:
    """Whether Telegram delivers a group message to the bot (privacy mode rules)."""
    status = fake.member_status(chat.id, BOT_ID)
    if chat.type == "private" or status in ("creator", "administrator"):
        return True
    if status not in PRESENT_STATUSES:
        return False
    if not fake.privacy or replies_to_bot(message):
        return True
    if any(key in message for key in SERVICE_KEYS):
        return True
    command = COMMAND_RE.match(message.get("text") or message.get("caption") or "")
    # Under privacy mode, /cmd@OtherBot goes to the other bot only.
    return command is not None and (command.group(1) or BOT_USERNAME) == BOT_USERNAME
