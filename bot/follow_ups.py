"""Posting follow-ups of open actions and applying the holders' answers."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.render import render
from bot.replies import edit, send
from bot.services import services
from bot.session_runner import carry_out
from flows.follow_up import ActionRecord, FollowUpChange, Stage, ask
from flows.models import ChatSet
from flows.session import follow_up_done
from flows.session_model import Button, Phase

log = logging.getLogger(__name__)

PREFIX = "a"
WAITING = (Stage.ASK_OUTCOME, Stage.DECIDE, Stage.NEW_TEXT)


def keyboard(action_id: int, buttons: tuple[Button, ...], language: str):
    """Follow-up buttons: callback data a:<action>:<verb>."""
    if not buttons:
        return None
    row = [
        InlineKeyboardButton(
            render(b.label, language), callback_data=f"{PREFIX}:{action_id}:{b.verb}"
        )
        for b in buttons
    ]
    return InlineKeyboardMarkup([row[:2], row[2:]] if len(row) > 3 else [row])


async def post_follow_ups(
    context: ContextTypes.DEFAULT_TYPE,
    chat_set: ChatSet,
    actions: list[ActionRecord],
    *,
    meeting_row: int | None = None,
) -> int:
    """Post one follow-up message per open action; returns how many were posted.

    Each asked action is stored as asked by the meeting row at once, so a retried meeting asks
    only the rest (its errors reach the job, which retries); in a handler a failed message is
    logged and the others still go.
    """
    svc = services(context)
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    posted = 0
    for action in actions:
        say = ask(action, timezone)
        try:
            sent = await send(
                context,
                chat_set.chat_id,
                say.message,
                language,
                thread_id=chat_set.thread_id,
                keyboard=keyboard(action.id, say.buttons, language),
            )
        except TelegramError as error:
            if meeting_row is not None and not isinstance(error, BadRequest):
                raise
            log.warning("could not ask the follow-up of action %s: %s", action.id, error)
            continue
        await svc.repo.follow_up_asked(action.id, sent.message_id, meeting_row)
        posted += 1
    return posted


async def apply_change(
    context: ContextTypes.DEFAULT_TYPE, chat_set: ChatSet, change: FollowUpChange
) -> ActionRecord | None:
    """Store an answer, update the follow-up message, and finish a session's follow-up round."""
    svc = services(context)
    now = svc.clock()
    created = await svc.repo.save_follow_up(change, now, next_due=chat_set.next_meeting_at)
    action = change.action
    if change.message is not None and action.follow_up_message_id is not None:
        language = svc.language_of_set(chat_set)
        markup = keyboard(action.id, change.buttons, language)
        await edit(
            context,
            chat_set.chat_id,
            action.follow_up_message_id,
            change.message,
            language,
            keyboard=markup,
        )
    await _finish_round_if_answered(context, chat_set.chat_id)
    return created


async def _finish_round_if_answered(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """A session waiting on the follow-up round moves on once every asked action is settled."""
    svc = services(context)
    state = await svc.repo.open_session(chat_id)
    if state is None or state.phase is not Phase.FOLLOW_UP:
        return
    if any(a.stage in WAITING for a in await svc.repo.open_actions(chat_id)):
        return
    await svc.session_locks.run(chat_id, carry_out(context, follow_up_done(state), svc.clock()))
