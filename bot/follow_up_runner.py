"""Running the follow-up of actions: ask the questions, store each answer, then send it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callback_data import FollowUpButton
from bot.context import BotContext
from bot.outbox import markup_json
from bot.render import render
from bot.session_runner import run_event, sends
from flows.follow_up import ActionRecord, FollowUpChange, answered_for, ask
from flows.models import ChatSet
from flows.session_model import Button, FollowUpAnswered, Person
from storage.outbox import Outgoing


def follow_up_keyboard(action_id: int, buttons: tuple[Button, ...], language: str):
    """An action's follow-up buttons (outcomes, or what next), two to a row beyond three."""
    if not buttons:
        return None
    row = [
        InlineKeyboardButton(
            render(b.label, language), callback_data=FollowUpButton.of_verb(action_id, b.verb).data
        )
        for b in buttons
    ]
    return InlineKeyboardMarkup([row[:2], row[2:]] if len(row) > 3 else [row])


def follow_up_questions(
    chat_set: ChatSet, actions: list[ActionRecord], language: str, timezone: str
) -> list[Outgoing]:
    """The outbox rows that ask each open action's follow-up (stored marks them asked); an
    action asked before (at the meeting's time) loses the old question's buttons, so only the
    new one is answered."""
    items: list[Outgoing] = []
    for action in actions:
        if action.follow_up_message_id is not None:
            items.append(Outgoing(op="clear_buttons", target_id=action.follow_up_message_id))
        say = ask(action, timezone)
        markup = markup_json(follow_up_keyboard(action.id, say.buttons, language))
        items += sends(render(say.message, language), markup, purpose="follow_up", ref=action.id)
    return items


async def apply_change(
    update: Update,
    context: BotContext,
    chat_set: ChatSet,
    change: FollowUpChange,
    by: Person,
    pressed_on: int | None = None,
) -> None:
    """Store an answer with the follow-up message's new text, then send it. With a session
    open, the session stores it (FollowUpAnswered): the answer that settles the round's last
    action moves the session on in the same transaction.

    `pressed_on`: the message whose button was pressed. A question sent twice (the bot died
    between Telegram's answer and storing its id) has two copies; the one pressed becomes the
    follow-up message, so its text changes and a reply to it counts.
    """
    svc = context.services
    change = answered_for(change, by)
    action = change.action
    if pressed_on is not None and pressed_on != action.follow_up_message_id:
        action = action.model_copy(update={"follow_up_message_id": pressed_on})
        change = change.model_copy(update={"action": action})
    outgoing = []
    if change.message is not None and action.follow_up_message_id is not None:
        language = svc.language_of_set(chat_set)
        markup = markup_json(follow_up_keyboard(action.id, change.buttons, language))
        text = render(change.message, language)
        outgoing.append(
            Outgoing(
                op="edit",
                text=text,
                markup=markup,
                target_id=action.follow_up_message_id,
                fallback=text,
            )
        )
    state = await svc.repo.open_session(chat_set.chat_id)
    if state is not None:
        event = FollowUpAnswered(change=change, pressed_on=pressed_on)
        await run_event(update, context, state, event, also_send=lambda _: outgoing)
        return
    _, stored = await svc.repo.save_follow_up(
        change,
        svc.clock(),
        next_due=chat_set.next_meeting_at,
        thread_id=chat_set.thread_id,
        outgoing=outgoing,
        message_id=pressed_on,
    )
    await svc.outbox.deliver(stored)
