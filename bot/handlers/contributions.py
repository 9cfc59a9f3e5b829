"""Group messages during a session: plain text, replies to the bot, voice notes, edits."""

from __future__ import annotations

from datetime import timedelta

from telegram import Message, Update

from bot.command_args import command_of
from bot.context import BotContext
from bot.handlers.follow_up_answers import reply_to_follow_up
from bot.replies import thread_of
from bot.roles import person
from bot.session_runner import run_event
from flows.answers import RepliedTo, numbered
from flows.session_model import Contribute, EditContribution, Phase, SessionState, Voice

RECORDED_COMMANDS = ("q", "topic", "action")


def recorded_text(message: Message) -> str | None:
    """The words of a message as they are recorded: a command's argument, else the text."""
    command = command_of(message)
    if command is None:
        return message.text or message.caption or ""
    name, argument = command
    return argument if name in RECORDED_COMMANDS else None


async def _session_here(update: Update, context: BotContext) -> SessionState | None:
    """The open session this message belongs to (same chat and forum topic), if any."""
    state = await context.services.repo.open_session(update.effective_chat.id)
    if state is None or thread_of(update) != state.thread_id:
        return None
    return state


async def contribution(update: Update, context: BotContext) -> None:
    """A text or voice message in the group: a contribution to the current step."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    if await reply_to_follow_up(update, context):
        return
    state = await _session_here(update, context)
    if state is None:
        return
    incoming = update.message
    replied = incoming.reply_to_message
    to_bot = _is_to_bot(incoming, context)
    event = Contribute(
        person=person(user),
        text=incoming.text or incoming.caption or "",
        message_id=incoming.message_id,
        via="reply" if to_bot else "plain",
        voice=voice_of(incoming),
        replied=await _holder_replied_to(context, state, user.id, replied, to_bot),
    )
    await run_event(update, context, state, event)


async def _holder_replied_to(
    context: BotContext,
    state: SessionState,
    user_id: int,
    replied: Message | None,
    to_bot: bool,
) -> RepliedTo | None:
    """The question the holder's reply points at (a question, or a digest's questions); only
    the holder's replies are looked up, so other messages cost no round trip."""
    holder = state.topic_holder
    if replied is None or holder is None or holder.user_id != user_id:
        return None
    if state.phase is not Phase.STEP:
        return None
    return await context.services.repo.replied_to(
        state.id, state.chat_id, replied.message_id, to_bot=to_bot
    )


def _is_to_bot(message: Message, context: BotContext) -> bool:
    """Whether a message replies to one of the bot's own."""
    replied = message.reply_to_message
    return (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    )


def voice_of(message: Message) -> Voice | None:
    """A voice note's length and file id (its file stays on Telegram's servers)."""
    if message.voice is None:
        return None
    length = message.voice.duration  # a timedelta (PTB_TIMEDELTA, see bot/__init__.py)
    seconds = length.total_seconds() if isinstance(length, timedelta) else length
    return Voice(seconds=int(seconds), file_id=message.voice.file_id)


async def edited_contribution(update: Update, context: BotContext) -> None:
    """An edited message updates its recorded contribution."""
    edit = update.edited_message
    text = recorded_text(edit) if edit is not None else None
    if not text:
        return
    state = await _session_here(update, context)
    if state is None:
        return
    recorded = await context.services.repo.recorded_contribution(edit.chat_id, edit.message_id)
    if recorded is None:
        return  # only what was recorded can change
    parsed = numbered(text) if recorded.answers_id and _is_to_bot(edit, context) else None
    if parsed is not None:  # an answer to a digest keeps its words without the number
        text = parsed[1]
    event = EditContribution(
        message_id=edit.message_id,
        text=text,
        person=person(update.effective_user) if update.effective_user else None,
        kind=recorded.kind,
        step_index=recorded.step_index,
        flagged=recorded.flagged,
    )
    await run_event(update, context, state, event)
