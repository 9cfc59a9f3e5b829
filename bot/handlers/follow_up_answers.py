"""Answers to a follow-up: buttons, a reply to its message, or /outcome; and /myactions."""

from __future__ import annotations

from telegram import Update

from bot.callback_data import FollowUpButton
from bot.callbacks import answer_press, on_own_message
from bot.command_args import command_text
from bot.context import BotContext
from bot.follow_up_runner import apply_change
from bot.render import plain
from bot.replies import respond
from bot.roles import is_facilitator, person
from flows.follow_up import (
    ActionOutcome,
    ActionRecord,
    Decision,
    FollowUpChange,
    asked_first,
    decide,
    may_answer,
    record_outcome,
    reply,
)
from flows.text import LocalTime, msg

OUTCOME_WORDS = {
    "done": ActionOutcome.DONE,
    "partly": ActionOutcome.PARTLY,
    "notyet": ActionOutcome.NOT_YET,
    "not_yet": ActionOutcome.NOT_YET,
    "dropped": ActionOutcome.DROPPED,
}
DECISION_WORDS = {"carry": Decision.CARRY_ON, "change": Decision.CHANGE, "close": Decision.CLOSE}


def change_for(action: ActionRecord, choice: ActionOutcome | Decision) -> FollowUpChange:
    """The change a follow-up button stands for."""
    if isinstance(choice, ActionOutcome):
        return record_outcome(action, choice, None)
    return decide(action, choice)


async def follow_up_button(update: Update, context: BotContext) -> None:
    """A press on a follow-up button: only the holder (or a facilitator) changes anything."""
    query = update.callback_query
    svc = context.services
    language = await svc.language_for(update)
    button = FollowUpButton.parse(query.data) if on_own_message(query) else None
    action = await svc.repo.get_action(button.action_id) if button else None
    chat = query.message.chat if action else None
    change = change_for(action, button.choice) if action and action.chat_id == chat.id else None
    if change is not None and not action.is_open:  # answered already, on this copy or another
        await answer_press(query, plain(msg("follow_up.already_closed"), language))
        return
    if change is None:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    presser = person(query.from_user)
    if not may_answer(action, presser, await is_facilitator(context, chat, query.from_user)):
        await answer_press(
            query, plain(msg("follow_up.holder_only", holder=action.holder_name), language)
        )
        return
    if change.hint is not None:
        await answer_press(query, plain(change.hint, language))
        return
    chat_set = await svc.repo.get_set(chat.id)
    pressed_on = query.message.message_id
    await apply_change(update, context, chat_set, change, presser, pressed_on=pressed_on)
    await answer_press(query)


async def reply_to_follow_up(update: Update, context: BotContext) -> bool:
    """A reply to a follow-up message: what was learned, or the changed action. True if it was."""
    message = update.effective_message
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return False
    svc = context.services
    action = await svc.repo.action_by_follow_up_message(message.chat_id, replied.message_id)
    if action is None:
        return False
    user = update.effective_user
    if may_answer(action, person(user), await is_facilitator(context, message.chat, user)):
        change = reply(action, message.text or message.caption or "")
        chat_set = await svc.repo.get_set(message.chat_id)
        await apply_change(update, context, chat_set, change, person(user))
    return True


async def outcome_command(update: Update, context: BotContext) -> None:
    """/outcome done|partly|notyet|dropped [what I learned], or carry|close|change <new action>."""
    word, _, rest = command_text(update).partition(" ")
    word = word.lower().strip()
    svc = context.services
    chat, user = update.effective_chat, update.effective_user
    action = await _action_for(update, context)
    if word not in OUTCOME_WORDS and word not in DECISION_WORDS:
        await respond(update, context, msg("usage.outcome"))
        return
    if action is None:
        await respond(update, context, msg("follow_up.no_open_action"))
        return
    if not may_answer(action, person(user), await is_facilitator(context, chat, user)):
        await respond(update, context, msg("follow_up.holder_only", holder=action.holder_name))
        return
    if word in OUTCOME_WORDS:
        change = record_outcome(action, OUTCOME_WORDS[word], rest.strip() or None)
    else:
        change = decide(action, DECISION_WORDS[word], rest.strip() or None)
    if change.hint is not None:
        await respond(update, context, change.hint)
        return
    await apply_change(update, context, await svc.repo.get_set(chat.id), change, person(user))
    opened = change.next_action_text if action.holder is not None else None
    noted = msg("follow_up.noted", next=opened) if opened else msg("follow_up.noted_closed")
    await respond(update, context, noted)


async def _action_for(update: Update, context: BotContext) -> ActionRecord | None:
    """The action /outcome is about: the replied-to follow-up, else the sender's oldest one."""
    message = update.effective_message
    svc = context.services
    if message.reply_to_message is not None:
        found = await svc.repo.action_by_follow_up_message(
            message.chat_id, message.reply_to_message.message_id
        )
        if found is not None:
            return found
    mine = [
        a
        for a in await svc.repo.open_actions(message.chat_id)
        if a.holder and a.holder.user_id == update.effective_user.id
    ]
    return (asked_first(mine) or [None])[0]


async def my_actions(update: Update, context: BotContext) -> None:
    """/myactions in private: my open actions in every set, with their due meetings."""
    svc = context.services
    found = await svc.repo.holder_open_actions(update.effective_user.id)
    if not found:
        await respond(update, context, msg("myactions.none"))
        return
    lines = []
    for title, action in found:
        chat_set = await svc.repo.get_set(action.chat_id)
        zone = chat_set.timezone_or(svc.settings.default_timezone) if chat_set else "UTC"
        due = (
            LocalTime(moment=action.due_at, timezone=zone)
            if action.due_at
            else msg("myactions.no_due")
        )
        lines.append(msg("myactions.line", set=title, action=action.text, due=due))
    await respond(update, context, msg("myactions.list", lines=tuple(lines)))
