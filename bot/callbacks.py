"""Button presses: only presses on the button's own message count, and every press is answered.

What the data says is parsed in bot/callback_data.py.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

log = logging.getLogger(__name__)

MAX_DIGITS = 15  # ids and offsets we issue are far smaller; SQLite integers end at 2**63


def on_own_message(query: CallbackQuery) -> bool:
    """Whether the data is one of the pressed message's buttons (not forged by a client)."""
    markup = getattr(query.message, "reply_markup", None)
    if markup is None or not query.data:
        return False
    return any(b.callback_data == query.data for row in markup.inline_keyboard for b in row)


async def answer_press(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a press; a failed answer only leaves a spinner, so it never stops the work."""
    try:
        await query.answer(text)
    except TelegramError as error:
        log.warning("could not answer a button press: %s", error)


# Kept for bot/handlers/follow_up_answers.py until it parses with bot.callback_data.FollowUpButton.
answer = answer_press


def fields(query: CallbackQuery, count: int) -> list[str]:
    """The ':'-separated parts of the data, padded to `count` (no data: all empty)."""
    return ((query.data or "").split(":") + [""] * count)[:count]


def number(text: str) -> int | None:
    """A non-negative integer from callback data, or None for anything else."""
    return int(text) if text.isdecimal() and len(text) <= MAX_DIGITS else None
