"""Sending what flows decided: render in the set's language, split long texts, keep the thread."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.render import render
from bot.telegram_text import split_for_telegram
from flows.text import Msg


async def send(
    context: BotContext,
    chat_id: int,
    message: Msg | str,
    language: str,
    *,
    thread_id: int | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send a message (split at Telegram's limit); returns the last part sent."""
    text = message if isinstance(message, str) else render(message, language)
    parts = split_for_telegram(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        sent = await context.bot.send_message(
            chat_id,
            part,
            message_thread_id=thread_id,
            reply_markup=keyboard if index == len(parts) - 1 else None,
        )
    assert sent is not None
    return sent


async def respond(
    update: Update,
    context: BotContext,
    message: Msg | str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message:
    """Respond to an update in its own chat and forum topic, in the chat's language."""
    chat = update.effective_chat
    language = await context.services.language_for(update)
    return await send(
        context, chat.id, message, language, thread_id=thread_of(update), keyboard=keyboard
    )


def thread_of(update: Update) -> int | None:
    """The forum topic an update came from, if any."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None
