"""Posting follow-ups of open actions and applying the holders' answers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ContextTypes

from bot.outbox import markup_json
from bot.render import render
from bot.services import services
from bot.session_runner import carry_out, sends
from flows.follow_up import ActionRecord, FollowUpChange, Stage, answered_for, ask
from flows.models import ChatSet
from flows.session import follow_up_done
from flows.session_model import Button, Person, Phase
from storage.outbox import Outgoing

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


def follow_up_questions(
    chat_set: ChatSet, actions: list[ActionRecord], language: str, timezone: str
) -> list[Outgoing]:
    """The outbox rows that ask each open action's follow-up (stored marks them asked)."""
    items: list[Outgoing] = []
    for action in actions:
        say = ask(action, timezone)
        markup = markup_json(keyboard(action.id, say.buttons, language))
        items += sends(render(say.message, language), markup, purpose="follow_up", ref=action.id)
    return items


async def apply_change(
    context: ContextTypes.DEFAULT_TYPE,
    chat_set: ChatSet,
    change: FollowUpChange,
    by: Person,
    pressed_on: int | None = None,
) -> ActionRecord | None:
    """Store an answer with the follow-up message's new text, send it, and finish a session's
    follow-up round once every asked action is settled.

    `pressed_on`: the message whose button was pressed. A question sent twice (the bot died
    between Telegram's answer and storing its id) has two copies; the one pressed becomes the
    follow-up message, so its text changes and a reply to it counts.
    """
    svc = services(context)
    now = svc.clock()
    change = answered_for(change, by)
    action = change.action
    if pressed_on is not None and pressed_on != action.follow_up_message_id:
        action = action.model_copy(update={"follow_up_message_id": pressed_on})
        change = change.model_copy(update={"action": action})
    outgoing = []
    if change.message is not None and action.follow_up_message_id is not None:
        language = svc.language_of_set(chat_set)
        markup = markup_json(keyboard(action.id, change.buttons, language))
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
    created, stored = await svc.repo.save_follow_up(
        change,
        now,
        next_due=chat_set.next_meeting_at,
        thread_id=chat_set.thread_id,
        outgoing=outgoing,
        message_id=pressed_on,
    )
    await svc.outbox.deliver(stored)
    await finish_round_if_answered(context, chat_set.chat_id)
    return created


async def finish_round_if_answered(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """A session waiting on the follow-up round moves on once every asked action is settled.

    Also run when a press changes nothing: a press replayed after a crash between its answer's
    commit and this step ends the round here (one transaction for both is issue 15's work).
    """
    svc = services(context)
    state = await svc.repo.open_session(chat_id)
    if state is None or state.phase is not Phase.FOLLOW_UP:
        return
    if any(a.stage in WAITING for a in await svc.repo.open_actions(chat_id)):
        return
    await svc.session_locks.run(chat_id, carry_out(context, follow_up_done(state), svc.clock()))
