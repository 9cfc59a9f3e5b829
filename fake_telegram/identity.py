"""The bot as Telegram describes it: its id, its names and its User JSON."""

from __future__ import annotations

from typing import Any

BOT_ID = 777000111
BOT_FIRST_NAME = "Facilitator Bot"
BOT_USERNAME = "ActionLearningBot"


def bot_user_json(privacy: bool = True) -> dict[str, Any]:
    """The bot as getMe returns it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": not privacy,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def bot_user_ref() -> dict[str, Any]:
    """The bot as it appears in `from` of its messages."""
    return {"id": BOT_ID, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}
