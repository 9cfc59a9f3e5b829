"""/join and /leave (taking part in the set), and /forget (my words out of the log)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import answer_press, fields, on_own_message
from bot.context import BotContext
from bot.render import plain, render
from bot.replies import respond
from bot.roles import track
from flows.text import msg


async def join(update: Update, context: BotContext) -> None:
    """/join: take part in the set."""
    chat, user = update.effective_chat, update.effective_user
    await track(context, chat, user)
    await context.services.repo.set_member_active(chat.id, user.id, True)
    await respond(update, context, msg("members.joined", name=user.full_name))


async def leave(update: Update, context: BotContext) -> None:
    """/leave: stop taking part; what was said stays unless /forget."""
    chat, user = update.effective_chat, update.effective_user
    await track(context, chat, user)
    await context.services.repo.set_member_active(chat.id, user.id, False)
    await respond(update, context, msg("members.left", name=user.full_name))


async def forget(update: Update, context: BotContext) -> None:
    """/forget: ask to confirm removing my contributions from this set's log."""
    svc = context.services
    chat, user = update.effective_chat, update.effective_user
    if await svc.repo.open_session(chat.id) is not None:
        await respond(update, context, msg("forget.after_session"))
        return
    language = await svc.language_for(update)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(msg("forget.yes"), language), callback_data=f"f:{user.id}:yes"
                ),
                InlineKeyboardButton(
                    render(msg("forget.no"), language), callback_data=f"f:{user.id}:no"
                ),
            ]
        ]
    )
    await respond(update, context, msg("forget.confirm", name=user.full_name), keyboard=keyboard)


async def forget_choice(update: Update, context: BotContext) -> None:
    """The /forget confirmation: only the person who asked can confirm."""
    query = update.callback_query
    svc = context.services
    language = await svc.language_for(update)
    _, user_id, choice = fields(query, 3)
    if not on_own_message(query):
        await answer_press(query, plain(msg("button.expired"), language))
        return
    if str(query.from_user.id) != user_id:
        await answer_press(query, plain(msg("forget.not_yours"), language))
        return
    await answer_press(query)
    chat_id = query.message.chat.id
    if choice != "yes":
        await query.edit_message_text(render(msg("forget.cancelled"), language))
        return
    if await svc.repo.open_session(chat_id) is not None:
        await query.edit_message_text(render(msg("forget.after_session"), language))
        return
    forgotten = await svc.repo.forget_member(chat_id, query.from_user.id)
    done = msg("forget.done", contributions=forgotten.contributions, actions=forgotten.actions)
    await query.edit_message_text(render(done, language))
