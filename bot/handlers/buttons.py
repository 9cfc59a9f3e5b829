"""Inline buttons of a session: 'I have a topic', the reframe picks, and the scores."""

from __future__ import annotations

from telegram import Update

from bot.callback_data import SessionButton
from bot.callbacks import answer_press, on_own_message
from bot.context import BotContext
from bot.render import plain
from bot.roles import person, record_member
from bot.session_runner import is_hint, run_event
from flows.session_model import Event, PickReframe, Say, Volunteer
from flows.text import msg


def event_of(button: SessionButton, update: Update) -> Event:
    """The session event a button stands for."""
    query = update.callback_query
    presser = person(query.from_user)
    if button.verb == "topic":
        return Volunteer(person=presser)
    return PickReframe(person=presser, index=button.index, message_id=query.message.message_id)


async def session_button(update: Update, context: BotContext) -> None:
    """A press on a session button; always answered, hints shown to the presser only."""
    query = update.callback_query
    svc = context.services
    language = await svc.language_for(update)
    button = SessionButton.parse(query.data) if on_own_message(query) else None
    if button is not None and button.verb == "score":
        await score_given(update, context, button)
        return
    state = await svc.repo.open_session(query.message.chat.id) if button else None
    if state is None or state.id != button.session_id:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    await record_member(context, query.message.chat, query.from_user)
    outcome = await run_event(update, context, state, event_of(button, update), send_hints=False)
    if outcome is not None and is_hint(state, outcome):
        says = [e for e in outcome.effects if isinstance(e, Say)]
        await answer_press(query, plain(says[0].message, language) if says else None)
        return
    await answer_press(query)


async def score_given(update: Update, context: BotContext, button: SessionButton) -> None:
    """A tap on the summary's "how did we do?" keyboard: the member's score, kept (or changed)."""
    query, svc = update.callback_query, context.services
    language = await svc.language_for(update)
    chat, user = query.message.chat, query.from_user
    kept = not user.is_bot and await svc.repo.record_score(
        chat.id, button.session_id, user.id, button.index, svc.clock()
    )
    if not kept:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    await record_member(context, chat, user)
    await answer_press(query, plain(msg("score.thanks", score=button.index), language))


async def foreign_button(update: Update, context: BotContext) -> None:
    """A press on a button that is not ours (or from an old version): answer, do nothing."""
    language = await context.services.language_for(update)
    await answer_press(update.callback_query, plain(msg("button.expired"), language))
