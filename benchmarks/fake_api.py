"""A lean in-process Bot API for benchmarks: answers like Telegram, validates nothing.

`fake_telegram`'s FakeTelegram checks HTML, limits and chat state; that is right for tests and
too slow for a fair benchmark. This fake does the least a real transport would hand back to
PTB (a JSON body), so what is measured is PTB plus the bot, for our app and the baseline alike.
It shares with FakeTelegram only what costs nothing per call: the bot's identity, the ChatMember
JSON, the message counter and the answer envelope.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.request import BaseRequest, RequestData

from fake_telegram.identity import BOT_ID, bot_user_json, bot_user_ref
from fake_telegram.members import chat_member_json
from fake_telegram.request import InProcessRequest, api_method, ok_body

BOT_REF = bot_user_ref()
GET_ME = ok_body(bot_user_json(privacy=False))  # privacy mode off: plain group messages arrive
TRUE = ok_body(True)


@dataclass
class Sent:
    """One message the bot sent (kept only when the fake records)."""

    chat_id: int
    message_id: int
    date: int
    text: str
    reply_markup: Any = None


class LeanTelegram(InProcessRequest):
    """Answers getMe, sendMessage, editMessageText, getChatMember(Count); `true` to the rest."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        admins: set[int] | None = None,
        member_count: int = 7,
        record: bool = False,
        latency: float = 0.0,
    ) -> None:
        super().__init__()
        self.clock = clock  # unix seconds, for the `date` of sent messages
        self.latency = latency  # seconds each call waits, as for a network round trip
        self.admins = admins if admins is not None else set()
        self.member_count = member_count
        self.record = record
        self.calls: Counter[str] = Counter()
        self.total_calls = 0
        self.sent: list[Sent] = []
        self.last_sent: dict[int, dict] = {}  # chat id -> Message JSON of the bot's last message

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
        """Answer one Bot API call with a minimal valid body."""
        api = api_method(url)
        self.calls[api] += 1
        self.total_calls += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if api == "sendMessage" or api == "editMessageText":
            return 200, self._message(api, request_data.parameters)
        if api == "getChatMember":
            user_id = int(request_data.parameters["user_id"])
            user = BOT_REF if user_id == BOT_ID else _user(user_id)
            status = "administrator" if user_id == BOT_ID or user_id in self.admins else "member"
            return 200, ok_body(chat_member_json(user, status))
        if api == "getChatMemberCount":
            return 200, ok_body(self.member_count)
        if api == "getMe":
            return 200, GET_ME
        return 200, TRUE  # answerCallbackQuery, setMyCommands and anything else

    def _message(self, api: str, params: dict) -> bytes:
        chat_id = int(params["chat_id"])
        if api == "editMessageText":
            message_id = int(params["message_id"])
        else:
            message_id = self.next_message_id(chat_id)
        date = int(self.clock())
        message = {
            "message_id": message_id,
            "date": date,
            "chat": {"id": chat_id, "type": "group", "title": f"Set {chat_id}"},
            "from": BOT_REF,
            "text": params["text"],
        }
        markup = params.get("reply_markup")
        if markup is not None:
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        self.last_sent[chat_id] = message
        if self.record and api == "sendMessage":
            self.sent.append(Sent(chat_id, message_id, date, params["text"], markup))
        return ok_body(message)


def _user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
