"""Reading a command message: its name and its argument, by Telegram's bot_command entity."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update


def command_of(message: Message | None) -> tuple[str, str] | None:
    """(name, argument) when the message starts with a command: the name lower-case without
    "@botname", the argument with its line breaks and inner spacing as written."""
    if message is None:
        return None
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities
    first = entities[0] if entities else None
    if first is None or first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    # A command is ASCII, so its UTF-16 length is its length in characters.
    name = text[1 : first.length].split("@")[0].lower()
    return name, text[first.length :].strip()


def command_text(update: Update) -> str:
    """The argument of the update's command ("" without one)."""
    command = command_of(update.effective_message)
    return command[1] if command else ""


def command_name(update: Update) -> str:
    """The update's command as it is matched: "/name", lower-case, without "@botname"."""
    command = command_of(update.effective_message)
    return f"/{command[0]}" if command else ""
