"""Bot API methods about the bot, chats, members and command menus (mixed into FakeTelegram)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from fake_telegram.errors import bad_request
from fake_telegram.identity import BOT_ID, bot_user_json, bot_user_ref
from fake_telegram.members import PRESENT_STATUSES, chat_member_json

if TYPE_CHECKING:
    from fake_telegram.transport import FakeTelegram

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
ACCEPTED_GIFTS = {
    "unlimited_gifts": True,
    "limited_gifts": True,
    "unique_gifts": True,
    "premium_subscription": True,
    "gifts_from_channels": True,
}


def scope_key(scope: dict | None, language_code: str | None) -> tuple[str, str]:
    """How command menus are keyed: the scope as canonical JSON plus the language."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


class ChatMethods:
    """getMe, getChat*, *MyCommands and the harmless setup calls PTB or bots make."""

    def api_getMe(self: FakeTelegram, params: dict, files: dict) -> dict:
        return bot_user_json(self.privacy)

    def api_getChat(self: FakeTelegram, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": ACCEPTED_GIFTS,
        }

    def api_getChatMember(self: FakeTelegram, params: dict, files: dict) -> dict:
        chat = self._chat(params)
        user_id = params.get("user_id")
        user = bot_user_ref() if user_id == BOT_ID else self.user(user_id)
        if user is None:
            raise bad_request("user not found")
        return self.member_json(chat["id"], user)

    def api_getChatAdministrators(self: FakeTelegram, params: dict, files: dict) -> list[dict]:
        chat = self._chat(params)
        if chat["type"] == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = [
            self.member_json(chat["id"], self._user_or_bot(user_id))
            for (chat_id, user_id), (status, _rights) in self._statuses.items()
            if chat_id == chat["id"] and status in ("creator", "administrator")
        ]
        return admins

    def api_getChatMemberCount(self: FakeTelegram, params: dict, files: dict) -> int:
        chat = self._chat(params)
        return sum(
            1
            for (chat_id, _user), (status, _rights) in self._statuses.items()
            if chat_id == chat["id"] and status in PRESENT_STATUSES
        )

    def api_setMyCommands(self: FakeTelegram, params: dict, files: dict) -> bool:
        commands = params.get("commands", [])
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not COMMAND_NAME.fullmatch(command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._check_scope(params.get("scope"))
        key = scope_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = [dict(command) for command in commands]
        return True

    def api_getMyCommands(self: FakeTelegram, params: dict, files: dict) -> list[dict]:
        self._check_scope(params.get("scope"))
        return self._commands.get(scope_key(params.get("scope"), params.get("language_code")), [])

    def api_deleteMyCommands(self: FakeTelegram, params: dict, files: dict) -> bool:
        self._check_scope(params.get("scope"))
        self._commands.pop(scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    def api_getUpdates(self: FakeTelegram, params: dict, files: dict) -> list:
        offset = params.get("offset")
        if offset is not None:  # Telegram forgets what the offset acknowledges
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return [dict(update) for update in self.updates[: params.get("limit") or 100]]

    def api_getWebhookInfo(self: FakeTelegram, params: dict, files: dict) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _accept(self: FakeTelegram, params: dict, files: dict) -> bool:
        return True

    api_deleteWebhook = api_setWebhook = api_close = api_logOut = _accept
    api_setMyDescription = api_setMyShortDescription = api_setMyName = _accept
    api_setChatMenuButton = api_setMyDefaultAdministratorRights = _accept

    def commands(
        self: FakeTelegram,
        scope_type: str = "default",
        language_code: str | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> list[tuple[str, str]]:
        """The command menu stored for a scope and language, as (command, description) pairs."""
        scope: dict = {"type": scope_type}
        if chat_id is not None:
            scope["chat_id"] = chat_id
        if user_id is not None:
            scope["user_id"] = user_id
        stored = self._commands.get(scope_key(scope, language_code), [])
        return [(command["command"], command["description"]) for command in stored]

    def _check_scope(self: FakeTelegram, scope: dict | None) -> None:
        if scope and "chat_id" in scope:
            self._chat({"chat_id": scope["chat_id"]})

    def _user_or_bot(self: FakeTelegram, user_id: int) -> dict:
        if user_id == BOT_ID:
            return bot_user_ref()
        return self.user(user_id) or {"id": user_id, "is_bot": False, "first_name": "?"}

    def member_json(self: FakeTelegram, chat_id: int, user: dict) -> dict:
        """The ChatMember JSON of a user (or the bot) in a chat."""
        status, rights = self._statuses.get((chat_id, user["id"]), ("left", None))
        return chat_member_json(user, status, rights)
