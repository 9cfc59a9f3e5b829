"""What every in-process fake of the Bot API shares: PTB's request interface without a network,
a message counter per chat, and Telegram's answer to a call that succeeded."""

from __future__ import annotations

import json

from telegram.request import BaseRequest


class InProcessRequest(BaseRequest):
    """A PTB request object answered in-process: nothing to open, close or wait for."""

    def __init__(self) -> None:
        self._last_ids: dict[int, int] = {}

    @property
    def read_timeout(self) -> float | None:
        """Default read timeout (unused: nothing goes over a network)."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def next_message_id(self, chat_id: int) -> int:
        """The chat's next message id (users and bot share one counter, as in Telegram)."""
        value = self._last_ids.get(chat_id, 0) + 1
        self._last_ids[chat_id] = value
        return value


def api_method(url: str) -> str:
    """The Bot API method a request URL calls (PTB's URLs end with it)."""
    return url[url.rfind("/") + 1 :]


def ok_body(result: object) -> bytes:
    """Telegram's answer to a call that succeeded, as (JSON) bytes."""
    return json.dumps({"ok": True, "result": result}).encode()
