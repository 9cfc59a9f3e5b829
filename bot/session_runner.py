"""Run a session event: flows decide, storage persists (one transaction), then the bot acts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.callback_data import SessionButton
from bot.context import BotContext
from bot.outbox import markup_json
from bot.render import render
from bot.replies import send
from bot.telegram_text import split_for_telegram
from flows.exercises import builtin_exercises
from flows.session import handle
from flows.session_model import (
    Acknowledge,
    Button,
    ClearHolderPrompt,
    Edit,
    Event,
    Outcome,
    Person,
    Phase,
    Say,
    SessionContext,
    SessionState,
    TimerFired,
)
from storage.outbox import Outgoing
from storage.sessions import AlreadyDone, SessionAlreadyOpen

log = logging.getLogger(__name__)

AlsoSend = Callable[[Outcome], list[Outgoing]]


async def statement_givers(context: BotContext, state: SessionState) -> int:
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
    context: BotContext, state: SessionState, now: datetime, event: Event | None = None
) -> SessionContext:
    """What a transition may know about the set at this moment; an async step's own timer
    also brings what was said in the step and who the set's members are."""
    svc = context.services
    chat_set = await svc.repo.get_set(state.chat_id)
    exercise = builtin_exercises()[state.exercise]
    step = exercise.step(state.step_index)
    member_count = await statement_givers(context, state) if step.reveal_together else 0
    in_round = state.phase is Phase.FOLLOW_UP
    open_actions = tuple(await svc.repo.open_actions(state.chat_id)) if in_round else ()
    step_said, step_answers, members = None, (), ()
    own_timer = isinstance(event, TimerFired) and event.step_index == state.step_index
    if own_timer and state.step_length is not None and state.phase is Phase.STEP:
        step_said = await svc.repo.step_said(state.chat_id, state.id, state.step_index)
        if event.kind == "end":
            first = state.digest_answers_from
            step_answers = await svc.repo.step_answers(state.id, first, state.step_index)
        if event.kind == "warning":
            members = tuple(
                Person(user_id=m.user_id, name=m.name)
                for m in await svc.repo.active_members(state.chat_id)
            )
    return SessionContext(
        exercise=exercise,
        now=now,
        timezone=chat_set.timezone_or(svc.settings.default_timezone) if chat_set else "UTC",
        auto_advance=bool(chat_set and chat_set.auto_advance),
        member_count=member_count,
        next_meeting=chat_set.next_meeting_at if chat_set else None,
        open_actions=open_actions,
        step_said=step_said,
        step_answers=step_answers,
        members=members,
        quiet=chat_set.quiet if chat_set else None,
    )


async def run_event(
    update: Update | None,
    context: BotContext,
    state: SessionState,
    event: Event,
    *,
    fired_row: int | None = None,
    send_hints: bool = True,
    also_send: AlsoSend | None = None,
) -> Outcome | None:
    """Apply an event to an open session; None when it was a re-delivered update or timer.

    A transition that only says something (a hint) is not stored; with send_hints=False it is
    returned unsent, so a button press can show it to the presser alone. `also_send`: see
    carry_out.
    """
    locks = context.services.session_locks
    return await locks.run(
        state.chat_id, _run_event(update, context, state, event, fired_row, send_hints, also_send)
    )


async def _run_event(
    update: Update | None,
    context: BotContext,
    state: SessionState,
    event: Event,
    fired_row: int | None,
    send_hints: bool,
    also_send: AlsoSend | None,
) -> Outcome | None:
    """run_event under the chat's session lock, on the session as it is now."""
    svc = context.services
    current = await svc.repo.open_session(state.chat_id)  # cached: no round trip
    if current is None or current.id != state.id:
        return None  # closed or replaced while this event waited
    state = current
    # Updates of the session's own chat arrive in order, so an id at or below the last one
    # applied is a re-delivery. Another chat's (a private statement) may be handled before or
    # after them: it neither is judged by that id nor moves it; its stored contribution's
    # unique key recognises a re-delivery instead (AlreadyDone).
    own_chat = update is not None and chat_of(update) == state.chat_id
    if own_chat and update.update_id <= state.last_update_id:
        return None
    now = svc.clock()
    outcome = handle(state, event, await session_context(context, state, now, event))
    if is_hint(state, outcome) and fired_row is None:
        if send_hints:
            await say_all(context, state, outcome.effects)
        return outcome
    if own_chat:
        outcome = applied(outcome, update)
    return await carry_out(context, outcome, now, fired_row=fired_row, also_send=also_send)


async def run_start(
    update: Update,
    context: BotContext,
    opening: Callable[[datetime], Awaitable[tuple[Outcome, AlsoSend | None]]],
) -> Outcome | None:
    """Open a session in the update's chat, under its session lock like every other event;
    None when this very update was applied already (a re-delivered /session).

    `opening(now)`: the new session and its first messages, decided under the lock. Raises
    SessionAlreadyOpen when the chat has an open session.
    """
    svc = context.services
    chat_id = chat_of(update)

    async def start() -> Outcome | None:
        if await svc.repo.already_applied(chat_id, update.update_id):
            return None
        if await svc.repo.open_session(chat_id) is not None:
            raise SessionAlreadyOpen(chat_id)
        now = svc.clock()
        outcome, also_send = await opening(now)
        return await carry_out(context, applied(outcome, update), now, also_send=also_send)

    return await svc.session_locks.run(chat_id, start())


def applied(outcome: Outcome, update: Update) -> Outcome:
    """The outcome with the update it applied remembered (a re-delivery then changes nothing)."""
    stamped = outcome.state.model_copy(update={"last_update_id": update.update_id})
    return replace(outcome, state=stamped)


async def carry_out(
    context: BotContext,
    outcome: Outcome,
    now: datetime,
    *,
    fired_row: int | None = None,
    also_send: AlsoSend | None = None,
) -> Outcome | None:
    """Persist the transition with its messages (and the timer row that caused it) in one
    transaction, then arm timers and deliver the messages.

    `also_send`: more messages of the same decision, given its outcome (the follow-up questions
    of a new session; the confirmation of a private statement, in the private chat).
    """
    svc = context.services
    state = outcome.state
    if state.id == 0:  # a new session: its id is in its buttons' data, so it comes first
        state = state.model_copy(update={"id": await svc.repo.reserve_session_id()})
    language = svc.language_of_set(await svc.repo.get_set(state.chat_id))
    outgoing = outgoing_of(state, outcome.effects, language)
    if also_send is not None:
        outgoing += also_send(outcome)
    try:
        saved = await svc.repo.save_session(
            state, outcome.effects, now, fired_row=fired_row, outgoing=outgoing
        )
    except AlreadyDone:
        return None
    svc.timers.disarm(saved.cancelled)
    svc.timers.arm_steps(saved.armed, now)
    await svc.outbox.deliver(saved.outgoing)
    return replace(outcome, state=saved.state)


def chat_of(update: Update) -> int | None:
    """The chat an update came from."""
    return update.effective_chat.id if update.effective_chat is not None else None


def is_hint(before: SessionState, outcome: Outcome) -> bool:
    """Whether a transition only says something (nothing to persist)."""
    return (
        before.id != 0
        and outcome.state == before
        and all(isinstance(effect, Say) for effect in outcome.effects)
    )


async def say_all(context: BotContext, state: SessionState, effects: tuple) -> None:
    """Say a hint in the session's chat: nothing was stored, so an update that is handled again
    after a crash says it again."""
    svc = context.services
    language = svc.language_of_set(await svc.repo.get_set(state.chat_id))
    for effect in effects:
        try:
            await send(
                context,
                state.chat_id,
                effect.message,
                language,
                thread_id=state.thread_id,
                keyboard=session_keyboard(state.id, effect.buttons, language),
            )
        except TelegramError as error:
            log.warning("could not say %s in %s: %s", effect.message.key, state.chat_id, error)


def outgoing_of(state: SessionState, effects: tuple, language: str) -> list[Outgoing]:
    """The outbox rows of a transition's Say, Edit, Acknowledge and ClearHolderPrompt, in
    order."""
    items: list[Outgoing] = []
    for effect in effects:
        match effect:
            case Say(digest_step=int() as step):  # every part: a reply to any names the step
                parts = sends(render(effect.message, language), None)
                items += [replace(part, purpose="digest", ref=step) for part in parts]
            case Say():
                markup = session_keyboard(state.id, effect.buttons, language)
                items += sends(
                    render(effect.message, language),
                    markup_json(markup),
                    purpose="holder_prompt" if effect.holder_prompt else None,
                )
            case Edit():
                markup = session_keyboard(state.id, effect.buttons, language)
                items.append(
                    Outgoing(
                        op="edit",
                        text=render(effect.message, language),
                        markup=markup_json(markup),
                        target_id=effect.message_id,
                        fallback=render(effect.fallback, language),
                    )
                )
            case Acknowledge():
                fallback = render(effect.fallback, language)
                items.append(Outgoing(op="react", target_id=effect.message_id, fallback=fallback))
            case ClearHolderPrompt():  # its message id is looked up when it is done
                items.append(Outgoing(op="clear_buttons", purpose="holder_prompt"))
    return items


def sends(
    text: str, markup: str | None, *, purpose: str | None = None, ref: int | None = None
) -> list[Outgoing]:
    """One message as outbox rows: split at Telegram's limit, buttons and purpose on the last."""
    parts = split_for_telegram(text)
    last = len(parts) - 1
    return [
        Outgoing(text=part)
        if index < last
        else Outgoing(text=part, markup=markup, purpose=purpose, ref=ref)
        for index, part in enumerate(parts)
    ]


def session_keyboard(
    session_id: int, buttons: tuple[Button, ...], language: str
) -> InlineKeyboardMarkup | None:
    """A session message's inline buttons, if it has any, five to a row (the scores)."""
    if not buttons:
        return None
    row = [
        InlineKeyboardButton(
            render(button.label, language),
            callback_data=SessionButton.of_verb(session_id, button.verb).data,
        )
        for button in buttons
    ]
    return InlineKeyboardMarkup([row[start : start + 5] for start in range(0, len(row), 5)])
