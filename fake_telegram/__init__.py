"""A fake Telegram Bot API (FakeTelegram) and TelegramKit to speak as users: a development aid."""

from fake_telegram.chats import ChatView, Group, PrivateChat
from fake_telegram.errors import (
    ApiError,
    NetworkFailure,
    bad_request,
    forbidden,
    migrated,
    network_error,
    retry_after,
    timed_out,
)
from fake_telegram.identity import BOT_ID, BOT_USERNAME
from fake_telegram.records import Call, Document, SentMessage, visible
from fake_telegram.speakers import Person, Press, Speaker, UserMessage
from fake_telegram.transport import FakeTelegram
from fake_telegram.users import TelegramKit

__all__ = [
    "visible",
    "BOT_ID",
    "BOT_USERNAME",
    "ApiError",
    "Call",
    "ChatView",
    "Document",
    "FakeTelegram",
    "Group",
    "NetworkFailure",
    "Person",
    "Press",
    "PrivateChat",
    "SentMessage",
    "Speaker",
    "TelegramKit",
    "UserMessage",
    "bad_request",
    "forbidden",
    "migrated",
    "network_error",
    "retry_after",
    "timed_out",
]
