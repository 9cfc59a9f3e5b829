"""Button presses: only presses on the button's own message count, and every press is answered.

What the data says is parsed in bot/callback_data.py.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

log = logging.getLogger(__name__)


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
