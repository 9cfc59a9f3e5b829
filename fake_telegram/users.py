"""Drive a PTB Application as Telegram users would: groups, members, updates."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from fake_telegram.chats import ChatView, Group, PrivateChat, bot_sees
from fake_telegram.identity import BOT_ID, bot_user_ref
from fake_telegram.records import SentMessage
from fake_telegram.speakers import (
    MessageRef,
    Person,
    Press,
    Speaker,
    UserMessage,
)
from fake_telegram.transport import FakeTelegram


class TelegramKit:
    """Feeds realistic updates to an Application whose request object is `fake`."""

    def __init__(self, application: Application, fake: FakeTelegram, raise_errors: bool = True):
        self.app = application
        self.fake = fake
        self.raise_errors = raise_errors
        self.errors: list[Exception] = []
        self.fed: list[dict] = []
        self._held: list[dict] | None = None  # see holding
        self.poller = None  # see use_polling
        self._update_ids = itertools.count(100_001)
        self._user_ids = itertools.count(1_000_001)
        self._chat_numbers = itertools.count(1)
        self._query_ids = itertools.count(1)
        self.attach(application)

    def attach(self, application: Application) -> None:
        """Feed updates to another Application from now on (a restarted bot)."""
        self.app = application
        application.add_error_handler(self._collect_error)
        if self.poller is not None:
            self.use_polling()

    def use_polling(self) -> None:
        """Deliver updates as Telegram does: queued until the bot's getUpdates fetches them."""
        from bot.polling import Poller

        self.poller = Poller(self.app)

    async def _collect_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.errors.append(context.error)

    def now(self) -> int:
        """The fake clock, in Telegram's unix seconds."""
        return int(self.fake.clock().timestamp())

    # --- people and chats ----------------------------------------------------------------------

    def user(
        self,
        first_name: str,
        *,
        language_code: str | None = "en",
        username: str | None = None,
        last_name: str | None = None,
    ) -> Person:
        """A new person, known to the fake."""
        person = Person(next(self._user_ids), first_name, username, language_code, last_name)
        self.fake.add_user(person.json())
        return person

    def person_of(self, who: str | Person | Speaker, **details: Any) -> Person:
        """The person behind a name (creating them), a Person or a Speaker."""
        if isinstance(who, Speaker):
            return who.person
        return who if isinstance(who, Person) else self.user(who, **details)

    def group(
        self,
        title: str,
        kind: str = "group",
        forum: bool = False,
        bot_status: str = "member",
        username: str | None = None,
    ) -> Group:
        """A new group ("group" or "supergroup", optionally a forum) with the bot in it."""
        if kind not in ("group", "supergroup") or (forum and kind != "supergroup"):
            raise ValueError("kind is 'group' or 'supergroup'; forums are supergroups")
        chat: dict[str, Any] = {"id": self._new_chat_id(kind), "type": kind, "title": title}
        if forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        self.fake.add_chat(chat, bot_status=bot_status)
        return Group(self, chat)

    def private_chat(self, who: Person | Speaker, started: bool = True) -> PrivateChat:
        """A person's private chat with the bot (started=False: the bot may not write first)."""
        person = self.person_of(who)
        chat = {"id": person.id, "type": "private", "first_name": person.first_name}
        if person.username:
            chat["username"] = person.username
        self.fake.add_chat(chat, bot_status="member" if started else "left")
        self.fake.set_member_status(person.id, person.id, "member")
        return PrivateChat(self, person)

    def _new_chat_id(self, kind: str) -> int:
        number = next(self._chat_numbers)
        return -1_002_000_000_000 - number if kind == "supergroup" else -4_000_000_000 - number

    # --- updates -------------------------------------------------------------------------------

    def next_update_id(self) -> int:
        """A fresh, increasing update id."""
        return next(self._update_ids)

    @contextmanager
    def holding(self) -> Iterator[list[dict]]:
        """Updates made meanwhile are collected, not delivered (to queue, journal or replay)."""
        self._held = held = []
        try:
            yield held
        finally:
            self._held = None

    async def feed(self, update: dict) -> Update:
        """Deliver one update through the bot's inbox, as polling does, and wait until it is
        handled; re-raises the first handler error (unless raise_errors off)."""
        parsed = Update.de_json(copy.deepcopy(update), self.app.bot)
        if self._held is not None:
            self._held.append(update)
            return parsed
        self.fed.append(update)
        seen = len(self.errors)
        services = self.app.bot_data.get("services")
        if services is None:  # a plain PTB application (the kit's own tests)
            await self.app.process_update(parsed)
        elif self.poller is not None:  # Telegram holds it until the bot's poller fetches it
            self.fake.updates.append(copy.deepcopy(update))
            await self.poller.fetch_once()
            await services.inbox.drain()
        else:
            await services.inbox.receive([copy.deepcopy(update)])
            await services.inbox.drain()
        if self.raise_errors and len(self.errors) > seen:
            raise self.errors[seen]
        return parsed

    async def replay(self, update: dict) -> Update:
        """Feed an exact update again (Telegram may deliver an update twice)."""
        return await self.feed(update)

    async def post(
        self,
        speaker: Speaker,
        content: dict,
        *,
        thread_id: int | None = None,
        reply_to: MessageRef | None = None,
        new_topic: bool = False,
    ) -> UserMessage:
        """A user's new message in the speaker's chat, delivered if the bot can see it."""
        chat = speaker.chat
        if chat.type == "private":
            await self._start_private(chat, speaker)
        message_id = self.fake.next_message_id(chat.id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": self.now(),
            "chat": self.fake.chat_json(chat.id),
            "from": speaker.user,
            **content,
        }
        if new_topic:
            thread_id = message_id
            message["message_thread_id"] = message_id
            message["is_topic_message"] = True
            self.fake.add_thread(chat.id, message_id)
        else:
            self._place(chat, message, thread_id, reply_to)
        self.fake.record_user_message(message)
        return await self._deliver(chat, message, "message")

    async def edit(self, speaker: Speaker, original: UserMessage, content: dict) -> UserMessage:
        """The user edits their message: an edited_message update with edit_date."""
        current = self.fake.user_message(original.chat_id, original.message_id) or original.message
        kept = {k: v for k, v in current.items() if k not in ("text", "entities")}
        message = {**kept, **content, "edit_date": self.now()}
        self.fake.record_user_message(message)
        return await self._deliver(speaker.chat, message, "edited_message")

    async def press(self, speaker: Speaker, target: SentMessage | int, label: str) -> Press:
        """A callback_query for a button of a bot message as it currently is in the fake."""
        message_id = target if isinstance(target, int) else target.message_id
        chat_id = target.chat_id if isinstance(target, SentMessage) else speaker.chat.id
        current = self.fake.message(chat_id, message_id)
        assert not current.deleted, f"message {message_id} was deleted; nothing to press"
        button = current.button(label)
        if "callback_data" not in button:
            raise ValueError(f"button {button['text']!r} has no callback_data: {button}")
        query_id = f"{speaker.user_id}{next(self._query_ids):06d}"
        self.fake.register_callback(query_id)
        query = {
            "id": query_id,
            "from": speaker.user,
            "chat_instance": str(abs(chat_id) * 7 % 10**12),
            "data": button["callback_data"],
            "message": self.fake.message_json(current),
        }
        update = {"update_id": self.next_update_id(), "callback_query": query}
        await self.feed(update)
        return Press(query_id, button["callback_data"], message_id, update, self.fake)

    def _place(
        self, chat: ChatView, message: dict, thread_id: int | None, reply_to: MessageRef | None
    ) -> None:
        """Set reply and thread fields like Telegram does."""
        target = self._message_json(chat, reply_to) if reply_to is not None else None
        if target is not None:
            message["reply_to_message"] = target
            if thread_id is None and target.get("is_topic_message"):
                thread_id = target["message_thread_id"]
        if thread_id is not None:
            if not chat.is_forum:
                raise ValueError("thread_id needs a forum: tg.group(..., forum=True)")
            self.fake.add_thread(chat.id, thread_id)
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
            # Telegram quirk: a topic message that replies to nothing "replies" to the topic's
            # forum_topic_created message, so filters.REPLY matches every topic message.
            message.setdefault("reply_to_message", chat.topic_root(thread_id))
        elif target is not None and chat.type == "supergroup":
            # In supergroups a reply carries its reply chain's root as message_thread_id.
            message["message_thread_id"] = target.get("message_thread_id", target["message_id"])

    def _message_json(self, chat: ChatView, ref: MessageRef) -> dict:
        if isinstance(ref, UserMessage):
            found: dict | None = self.fake.user_message(chat.id, ref.message_id) or ref.message
        elif isinstance(ref, SentMessage):
            found = self.fake.message_json(ref)
        elif ref in {m.message_id for m in self.fake.messages(chat.id)}:
            found = self.fake.message_json(self.fake.message(chat.id, ref))
        else:
            found = self.fake.user_message(chat.id, ref)
        if found is None:
            raise LookupError(f"no message {ref!r} in chat {chat.id}")
        return {key: value for key, value in found.items() if key != "reply_to_message"}

    async def _deliver(self, chat: ChatView, message: dict, key: str) -> UserMessage:
        update = {"update_id": self.next_update_id(), key: message}
        delivered = bot_sees(self.fake, chat, message)
        if delivered:
            await self.feed(update)
        text = message.get("text", message.get("caption"))
        return UserMessage(message["message_id"], chat.id, text, message, update, delivered)

    async def _start_private(self, chat: ChatView, speaker: Speaker) -> None:
        """Writing to the bot starts the chat; writing after blocking it unblocks it."""
        status = self.fake.member_status(chat.id, BOT_ID)
        if status == "kicked":
            await self.set_bot_status(chat, "member", by=speaker)
        elif status != "member":
            self.fake.set_member_status(chat.id, BOT_ID, "member")

    # --- the bot's own membership --------------------------------------------------------------

    async def set_bot_status(
        self, chat: ChatView, status: str, by: Speaker | Person, rights: dict | None = None
    ) -> dict:
        """Change the bot's status in a chat and send the my_chat_member update; returns it."""
        old_member = self.fake.member_json(chat.id, bot_user_ref())
        self.fake.set_member_status(chat.id, BOT_ID, status, rights)
        return await self._member_changed("my_chat_member", chat.id, bot_user_ref(), old_member, by)

    async def set_member_status(
        self, group: Group, who: Speaker, status: str, by: Speaker, rights: dict | None = None
    ) -> dict | None:
        """Promote or demote a member; Telegram tells an admin bot (chat_member) and no other."""
        old_member = self.fake.member_json(group.id, who.user)
        self.fake.set_member_status(group.id, who.user_id, status, rights)
        if self.fake.member_status(group.id, BOT_ID) not in ("administrator", "creator"):
            return None
        return await self._member_changed("chat_member", group.id, who.user, old_member, by)

    async def _member_changed(
        self, kind: str, chat_id: int, user: dict, old_member: dict, by: Speaker | Person
    ) -> dict:
        """Feed a my_chat_member or chat_member update for a status just changed; returns it."""
        change = {
            "chat": self.fake.chat_json(chat_id),
            "from": self.person_of(by).json(),
            "date": self.now(),
            "old_chat_member": old_member,
            "new_chat_member": self.fake.member_json(chat_id, user),
        }
        update = {"update_id": self.next_update_id(), kind: change}
        await self.feed(update)
        return update

    async def bot_added(self, group: Group, by: Speaker, status: str = "member") -> None:
        """Someone adds the bot: my_chat_member, then the new_chat_members service message."""
        await self.set_bot_status(group, status, by=by)
        await self.post(by, {"new_chat_members": [bot_user_ref()]})

    async def bot_promoted(self, group: Group, by: Speaker, rights: dict | None = None) -> None:
        """An admin makes the bot an administrator."""
        await self.set_bot_status(group, "administrator", by=by, rights=rights)

    async def bot_removed(self, group: Group, by: Speaker, status: str | None = None) -> None:
        """Someone removes the bot (left in groups, kicked in supergroups by default)."""
        status = status or ("kicked" if group.type == "supergroup" else "left")
        await self.set_bot_status(group, status, by=by)

    async def migrate(self, group: Group, by: Speaker | None = None) -> int:
        """Upgrade a basic group to a supergroup: both service messages; returns the new id."""
        if group.type != "group":
            raise ValueError(f"only basic groups migrate, {group!r} is a {group.type}")
        old_id, new_id = group.id, self._new_chat_id("supergroup")
        new_chat = {**self.fake.chat_json(old_id), "id": new_id, "type": "supergroup"}
        self.fake.migrate_chat(old_id, new_chat)
        speaker = by or Speaker(self, group, Person(777000, "Telegram"))
        await self.post(speaker, {"migrate_to_chat_id": new_id})
        group.old_ids.append(old_id)
        group.id, group.type = new_id, "supergroup"
        await self.post(speaker, {"migrate_from_chat_id": old_id})
        return new_id
