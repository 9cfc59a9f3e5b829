"""Run a session event: flows decide, storage persists (one transaction), then the bot acts."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import replace
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.render import render
from bot.replies import edit, mark_taken, send
from bot.scheduling import arm_new, disarm
from bot.services import services
from flows.exercises import builtin_exercises
from flows.session import handle
from flows.session_model import (
    Acknowledge,
    Button,
    ClearButtons,
    Edit,
    Event,
    Outcome,
    Say,
    SessionContext,
    SessionState,
)
from storage.sessions import AlreadyDone

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "s"


def callback_data(session_id: int, verb: str) -> str:
    """Compact callback data of a session button: s:<session>:<verb>."""
    return f"{CALLBACK_PREFIX}:{session_id}:{verb}"


async def statement_givers(context: ContextTypes.DEFAULT_TYPE, state: SessionState) -> int:
    """How many members give a reframing statement: the chat's people but the bot, the holder
    and the facilitator (bots cannot list members; other bots or observers delay the reveal
    to the facilitator's /next rather than bringing it early)."""
    try:
        count = await context.bot.get_chat_member_count(state.chat_id)
    except TelegramError:
        return 0
    leaving_out = {state.facilitator.user_id}
    if state.topic_holder:
        leaving_out.add(state.topic_holder.user_id)
    return max(count - 1 - len(leaving_out), 1)


async def session_context(
    context: ContextTypes.DEFAULT_TYPE, state: SessionState, now: datetime
) -> SessionContext:
    """What a transition may know about the set at this moment."""
    svc = services(context)
    chat_set = await svc.repo.get_set(state.chat_id)
    exercise = builtin_exercises()[state.exercise]
    step = exercise.step(state.step_index)
    member_count = await statement_givers(context, state) if step.reveal_together else 0
    return SessionContext(
        exercise=exercise,
        now=now,
        timezone=chat_set.timezone_or(svc.settings.default_timezone) if chat_set else "UTC",
        auto_advance=bool(chat_set and chat_set.auto_advance),
        member_count=member_count,
        next_meeting=chat_set.next_meeting_at if chat_set else None,
    )


async def run_event(
    update: Update | None,
    context: ContextTypes.DEFAULT_TYPE,
    state: SessionState,
    event: Event,
    *,
    fired_row: int | None = None,
    send_hints: bool = True,
) -> Outcome | None:
    """Apply an event to an open session; None when it was a re-delivered update or timer.

    A transition that only says something (a hint) is not stored; with send_hints=False it is
    returned unsent, so a button press can show it to the presser alone.
    """
    locks = services(context).session_locks
    return await locks.run(
        state.chat_id, _run_event(update, context, state, event, fired_row, send_hints)
    )


async def _run_event(
    update: Update | None,
    context: ContextTypes.DEFAULT_TYPE,
    state: SessionState,
    event: Event,
    fired_row: int | None,
    send_hints: bool,
) -> Outcome | None:
    """run_event under the chat's session lock, on the session as it is now."""
    svc = services(context)
    current = await svc.repo.open_session(state.chat_id)  # cached: no round trip
    if current is None or current.id != state.id:
        return None  # closed or replaced while this event waited
    state = current
    if update is not None and update.update_id <= state.last_update_id:
        return None
    now = svc.clock()
    outcome = handle(state, event, await session_context(context, state, now))
    if is_hint(state, outcome) and fired_row is None:
        if send_hints:
            await say_all(context, state, outcome.effects)
        return outcome
    if update is not None:
        stamped = outcome.state.model_copy(update={"last_update_id": update.update_id})
        outcome = replace(outcome, state=stamped)
    return await carry_out(context, outcome, now, fired_row=fired_row)


async def carry_out(
    context: ContextTypes.DEFAULT_TYPE,
    outcome: Outcome,
    now: datetime,
    *,
    fired_row: int | None = None,
) -> Outcome | None:
    """Persist first (with the timer row that caused it), then arm timers and send."""
    svc = services(context)
    try:
        saved = await svc.repo.save_session(
            outcome.state, outcome.effects, now, fired_row=fired_row
        )
    except AlreadyDone:
        return None
    disarm(context.application, saved.cancelled)
    arm_new(context.application, saved.armed, now)
    await clear_buttons(context, saved.state, outcome.effects)
    await say_all(context, saved.state, outcome.effects, retry_on_failure=fired_row is not None)
    return replace(outcome, state=saved.state)


def is_hint(before: SessionState, outcome: Outcome) -> bool:
    """Whether a transition only says something (nothing to persist)."""
    return (
        before.id != 0
        and outcome.state == before
        and all(isinstance(effect, Say) for effect in outcome.effects)
    )


async def say_all(
    context: ContextTypes.DEFAULT_TYPE,
    state: SessionState,
    effects: tuple,
    *,
    retry_on_failure: bool = False,
) -> None:
    """Show every Say, Edit and Acknowledge in the session's chat, in the set's language.

    The transition is stored already: a message that fails is logged and the rest still go,
    unless a scheduled row caused it (then the error reaches the job, which retries the row).
    """
    shown = [effect for effect in effects if isinstance(effect, Say | Edit | Acknowledge)]
    if not shown:
        return
    svc = services(context)
    language = svc.language_of_set(await svc.repo.get_set(state.chat_id))
    for effect in shown:
        try:
            await show(context, state, effect, language)
        except TelegramError as error:
            if retry_on_failure and not isinstance(error, BadRequest):
                raise
            shown_key = (effect.fallback if isinstance(effect, Acknowledge) else effect.message).key
            log.warning("could not send %s to %s: %s", shown_key, state.chat_id, error)


async def show(
    context: ContextTypes.DEFAULT_TYPE,
    state: SessionState,
    effect: Say | Edit | Acknowledge,
    language: str,
) -> None:
    """Post a Say; an Edit or Acknowledge that Telegram refuses posts its fallback instead."""
    if isinstance(effect, Edit):
        markup = keyboard(state.id, effect.buttons, language)
        chat_id, message_id = state.chat_id, effect.message_id
        if await edit(context, chat_id, message_id, effect.message, language, keyboard=markup):
            return
        effect = Say(message=effect.fallback)
    elif isinstance(effect, Acknowledge):
        if await mark_taken(context, state.chat_id, effect.message_id):
            return
        effect = Say(message=effect.fallback)
    sent = await send(
        context,
        state.chat_id,
        effect.message,
        language,
        thread_id=state.thread_id,
        keyboard=keyboard(state.id, effect.buttons, language),
    )
    if any(button.verb == "topic" for button in effect.buttons):
        await remember_holder_prompt(context, state, sent.message_id)


async def clear_buttons(
    context: ContextTypes.DEFAULT_TYPE, state: SessionState, effects: tuple
) -> None:
    """Take the buttons off messages that no longer apply (already gone is fine)."""
    for effect in effects:
        if isinstance(effect, ClearButtons):
            with suppress(TelegramError):
                await context.bot.edit_message_reply_markup(
                    state.chat_id, effect.message_id, reply_markup=None
                )


async def remember_holder_prompt(
    context: ContextTypes.DEFAULT_TYPE, state: SessionState, message_id: int
) -> None:
    """Store which message asks for a topic holder, so its button can be cleared later."""
    svc = services(context)
    remembered = state.model_copy(update={"holder_prompt_id": message_id})
    await svc.repo.save_session(remembered, (), svc.clock())


def keyboard(
    session_id: int, buttons: tuple[Button, ...], language: str
) -> InlineKeyboardMarkup | None:
    """The inline buttons of a message, if it has any."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(button.label, language),
                    callback_data=callback_data(session_id, button.verb),
                )
                for button in buttons
            ]
        ]
    )
