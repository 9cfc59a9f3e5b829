"""Inline buttons of a session: 'I have a topic' and the reframe picks."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import answer_press, fields, number, on_own_message
from bot.context import BotContext
from bot.render import plain
from bot.roles import person, record_member
from bot.session_runner import is_hint, run_event
from flows.session_model import Event, PickReframe, Say, Volunteer
from flows.text import msg


def _event(verb: str, argument: str, update: Update) -> Event | None:
    """The session event a button stands for."""
    presser = person(update.callback_query.from_user)
    if verb == "topic":
        return Volunteer(person=presser)
    index = number(argument)
    if verb == "pick" and index is not None:
        message_id = update.callback_query.message.message_id
        return PickReframe(person=presser, index=index, message_id=message_id)
    return None


async def session_button(update: Update, context: BotContext) -> None:
    """A press on a session button; always answered, hints shown to the presser only."""
    query = update.callback_query
    svc = context.services
    language = await svc.language_for(update)
    _, session_id, verb, argument = fields(query, 4)
    own = on_own_message(query)
    state = await svc.repo.open_session(query.message.chat.id) if own else None
    event = _event(verb, argument, update) if state is not None else None  # own message
    if state is None or str(state.id) != session_id or event is None:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    await record_member(context, query.message.chat, query.from_user)
    outcome = await run_event(update, context, state, event, send_hints=False)
    if outcome is not None and is_hint(state, outcome):
        says = [e for e in outcome.effects if isinstance(e, Say)]
        await answer_press(query, plain(says[0].message, language) if says else None)
        return
    await answer_press(query)


async def foreign_button(update: Update, context: BotContext) -> None:
    """A press on a button that is not ours (or from an old version): answer, do nothing."""
    language = await context.services.language_for(update)
    await answer_press(update.callback_query, plain(msg("button.expired"), language))
