"""An in-process fake of the Telegram Bot API, plugged into PTB as its request object."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from fake_telegram.chat_methods import ChatMethods
from fake_telegram.errors import ApiError, NetworkFailure, bad_request, forbidden, migrated
from fake_telegram.identity import BOT_ID
from fake_telegram.message_methods import MessageMethods
from fake_telegram.records import Call, Document, SentMessage
from fake_telegram.request import InProcessRequest, api_method, ok_body

# Fields Telegram reads as JSON objects: a caller may send them as objects or as JSON text.
OBJECT_FIELDS = frozenset(
    ("reply_markup", "reply_parameters", "link_preview_options", "entities", "caption_entities",
     "reaction", "commands", "scope", "allowed_updates")
)  # fmt: skip


def wire_params(request_data: RequestData | None) -> dict:
    """A call's parameters as Telegram reads them (object fields given as JSON text decoded)."""
    if request_data is None:
        return {}
    params = json.loads(json.dumps(request_data.parameters))
    for name in OBJECT_FIELDS.intersection(params):
        if isinstance(params[name], str):
            params[name] = json.loads(params[name])
    return params


@dataclass
class _PlannedFailure:
    method: str
    error: ApiError | NetworkFailure
    remaining: int
    chat_id: int | None


class FakeTelegram(MessageMethods, ChatMethods, InProcessRequest):
    """A strict fake Bot API: records calls, keeps chat state, answers like Telegram."""

    def __init__(self, privacy: bool = True, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.privacy = privacy
        self.clock = clock or (lambda: datetime.now(UTC))
        self.calls: list[Call] = []
        self._chats: dict[int, dict] = {}
        self._migrated_to: dict[int, int] = {}
        self._users: dict[int, dict] = {}
        self._statuses: dict[tuple[int, int], tuple[str, dict | None]] = {}
        self._bot_messages: dict[int, dict[int, SentMessage]] = {}
        self._user_messages: dict[int, dict[int, dict]] = {}
        self._threads: dict[int, set[int]] = {}
        self._documents: dict[int, list[Document]] = {}
        self._photos: dict[int, list[Document]] = {}
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._callbacks: dict[str, dict | None] = {}
        self._failures: list[_PlannedFailure] = []
        self._pinned: dict[int, list[int]] = {}
        self._reactions: dict[tuple[int, int], list[dict]] = {}
        self.updates: list[dict] = []  # waiting for getUpdates, until an offset acknowledges them

    # --- BaseRequest ---------------------------------------------------------------------------

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API request as (HTTP status, JSON body)."""
        method_name = api_method(url)
        params = wire_params(request_data)
        call = Call(method_name, params, _read_files(request_data))
        self.calls.append(call)
        try:
            self._raise_planned_failure(method_name, params)
            handler = getattr(self, f"api_{method_name}", None)
            if handler is None:
                raise bad_request(f"method {method_name!r} is not implemented by FakeTelegram")
            call.result = handler(params, call.files)
        except ApiError as error:
            call.error = error
            return error.code, json.dumps(error.payload()).encode()
        except NetworkFailure as failure:
            call.error = failure
            raise (TimedOut if failure.timed_out else NetworkError)(failure.message) from None
        return 200, ok_body(call.result)

    # --- errors on demand ----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: ApiError | NetworkFailure,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (optionally to one chat) fail with `error`."""
        self._failures.append(_PlannedFailure(method, error, times, chat_id))

    def _raise_planned_failure(self, method: str, params: dict) -> None:
        for planned in self._failures:
            if planned.method != method:
                continue
            if planned.chat_id is not None and params.get("chat_id") != planned.chat_id:
                continue
            planned.remaining -= 1
            if planned.remaining <= 0:
                self._failures.remove(planned)
            raise planned.error

    # --- registry used by the user kit ---------------------------------------------------------

    def add_chat(self, chat: dict, bot_status: str = "member") -> None:
        """Register a chat (Chat JSON: id, type, title / first_name, is_forum)."""
        self._chats[chat["id"]] = dict(chat)
        self.set_member_status(chat["id"], BOT_ID, bot_status)

    def chat_json(self, chat_id: int) -> dict:
        """The short Chat JSON used inside messages."""
        return dict(self._chats[chat_id])

    def add_user(self, user: dict) -> None:
        """Register a user (User JSON) so mentions and getChatMember know them."""
        self._users[user["id"]] = dict(user)

    def user(self, user_id: int) -> dict | None:
        """A registered user's JSON, or None."""
        return self._users.get(user_id)

    def set_member_status(
        self, chat_id: int, user_id: int, status: str, rights: dict | None = None
    ) -> None:
        """Set someone's status in a chat (the bot's too: user_id=BOT_ID); rights for admins."""
        self._statuses[(chat_id, user_id)] = (status, rights)

    def member_status(self, chat_id: int, user_id: int) -> str:
        """Someone's status in a chat; "left" when never set."""
        return self._statuses.get((chat_id, user_id), ("left", None))[0]

    def record_user_message(self, message: dict) -> None:
        """Remember a user's message so the bot can reply to, react to or delete it."""
        self._user_messages.setdefault(message["chat"]["id"], {})[message["message_id"]] = message

    def user_message(self, chat_id: int, message_id: int) -> dict | None:
        """A user's message JSON as recorded, or None."""
        return self._user_messages.get(chat_id, {}).get(message_id)

    def add_thread(self, chat_id: int, thread_id: int) -> None:
        """Make a forum topic known, so the bot may post into it."""
        self._threads.setdefault(chat_id, set()).add(thread_id)

    def migrate_chat(self, old_id: int, new_chat: dict) -> None:
        """Move a group to a new supergroup id; later calls to the old id fail with ChatMigrated."""
        self.add_chat(new_chat)
        for (chat_id, user_id), status in list(self._statuses.items()):
            if chat_id == old_id:
                self._statuses[(new_chat["id"], user_id)] = status
        self._migrated_to[old_id] = new_chat["id"]

    def register_callback(self, query_id: str) -> None:
        """Expect an answerCallbackQuery for this query id."""
        self._callbacks[query_id] = None

    def callback_answer(self, query_id: str) -> dict | None:
        """The answer the bot gave to a callback query (text, show_alert, ...), or None."""
        return self._callbacks.get(query_id)

    # --- reading what happened -----------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        """All recorded calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    def clear_calls(self) -> None:
        """Forget the recorded calls (chat state is kept)."""
        self.calls.clear()

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Everything the bot sent to a chat, in order, deleted ones included (flagged)."""
        return list(self._bot_messages.get(chat_id, {}).values())

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """One bot message; KeyError when the bot never sent it."""
        return self._bot_messages[chat_id][message_id]

    def documents(self, chat_id: int) -> list[Document]:
        """Files the bot sent to a chat, in order."""
        return list(self._documents.get(chat_id, []))

    def photos(self, chat_id: int) -> list[Document]:
        """Photos the bot sent to a chat (as uploaded), in order."""
        return list(self._photos.get(chat_id, []))

    def pinned(self, chat_id: int) -> list[int]:
        """Ids of the chat's pinned messages, oldest first."""
        return list(self._pinned.get(chat_id, []))

    def reactions(self, chat_id: int, message_id: int) -> list[dict]:
        """The bot's current reactions on a message."""
        return list(self._reactions.get((chat_id, message_id), []))

    # --- helpers for the api_* methods ---------------------------------------------------------

    def _now(self) -> int:
        return int(self.clock().timestamp())

    def _resolve_chat_id(self, raw: Any) -> int:
        if isinstance(raw, str) and raw.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == raw[1:].lower():
                    return chat["id"]
            raise bad_request("chat not found")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def _chat(self, params: dict) -> dict:
        """The target chat of a call, checked like Telegram: exists, not migrated, bot inside."""
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat_id = self._resolve_chat_id(params["chat_id"])
        if chat_id in self._migrated_to:
            raise migrated(self._migrated_to[chat_id])
        chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        self._check_bot_present(chat)
        return chat

    def _check_bot_present(self, chat: dict) -> None:
        status = self.member_status(chat["id"], BOT_ID)
        if status in ("creator", "administrator", "member"):
            return
        if chat["type"] == "private":
            if status == "kicked":
                raise forbidden("Forbidden: bot was blocked by the user")
            raise forbidden("Forbidden: bot can't initiate conversation with a user")
        verb = "was kicked from" if status == "kicked" else "is not a member of"
        raise forbidden(f"Forbidden: bot {verb} the {chat['type']} chat")


def _read_files(request_data: RequestData | None) -> dict[str, tuple[str, bytes, str]]:
    """Uploaded files by part name: (filename, content, mime type)."""
    if request_data is None or not request_data.contains_files:
        return {}
    files = {}
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        files[name] = (filename, data, mime_type)
    return files
