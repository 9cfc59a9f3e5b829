"""Test kit: a fake Telegram Bot API (FakeTelegram) and TelegramKit to speak as users."""

from tests.kit.chats import ChatView, Group, PrivateChat
from tests.kit.fake_state import (
    BOT_ID,
    BOT_USERNAME,
    ApiError,
    Call,
    Document,
    NetworkFailure,
    SentMessage,
    bad_request,
    forbidden,
    migrated,
    network_error,
    retry_after,
    timed_out,
)
from tests.kit.fake_telegram import FakeTelegram
from tests.kit.speakers import Person, Press, Speaker, UserMessage
from tests.kit.users import TelegramKit

__all__ = [
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
