"""Who takes part: every group message's sender recorded before any handler runs; /join and
/leave (taking part in the set), and /forget (my words out of the log)."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.ext import ApplicationHandlerStop

from bot.callback_data import ForgetChoice
from bot.callbacks import answer_press, on_own_message
from bot.context import BotContext
from bot.error_reports import log_storage_fault
from bot.render import plain, render
from bot.replies import respond
from bot.roles import record_member
from flows.text import msg
from storage.faults import is_storage_fault


def sender_in_group(update: Update) -> tuple[Chat, User, bool] | None:
    """(group, sender, whether the sender is a person) of a new text or voice message in a
    group; None for anything else (private chats, channel posts, edits, service messages,
    membership changes, button presses: a press that counts records its presser itself)."""
    chat = update.effective_chat
    if chat is None or chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return None
    message = update.message
    if message is None or message.from_user is None or not (message.text or message.voice):
        return None
    # An anonymous admin, a channel or another bot speaks in a chat's or a bot's name: no member.
    sender = message.from_user
    return chat, sender, not sender.is_bot and message.sender_chat is None


async def record_sender(update: Update, context: BotContext) -> None:
    """Before any other handler (an early group): the group's set exists and a person who
    writes in it is its member, their name kept current."""
    found = sender_in_group(update)
    if found is None:
        return
    chat, user, a_person = found
    svc = context.services
    try:
        await svc.repo.ensure_set(chat.id, chat.title or "", user.language_code, svc.clock())
        if a_person and await takes_part(update, context):
            await record_member(context, chat, user)
    except Exception as error:
        if not is_storage_fault(error):
            raise
        if await svc.repo.get_set(chat.id) is not None:
            log_storage_fault(error, context.application)
            return  # the member is recorded with their next update; the handler goes on
        # Nothing of this chat can be stored without its set: fail as the handler would have,
        # once (the error handler tells the sender), and handle the update no further.
        await context.application.process_error(update, error)
        raise ApplicationHandlerStop from error


async def takes_part(update: Update, context: BotContext) -> bool:
    """Whether a message is taking part in the set: a command, a reply to the bot, or anything
    said while a session runs. Chatter between sessions records no one (the privacy notice
    promises no more than that)."""
    message = update.message
    if message.text and message.text.startswith("/"):
        return True
    replied = message.reply_to_message
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    ):
        return True
    return await context.services.repo.open_session(message.chat_id) is not None


async def join(update: Update, context: BotContext) -> None:
    """/join: take part in the set."""
    chat, user = update.effective_chat, update.effective_user
    await context.services.repo.set_member_active(chat.id, user.id, True)
    await respond(update, context, msg("members.joined", name=user.full_name))


async def leave(update: Update, context: BotContext) -> None:
    """/leave: stop taking part; what was said stays unless /forget."""
    chat, user = update.effective_chat, update.effective_user
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
    choices = [
        InlineKeyboardButton(
            render(msg("forget.yes" if confirmed else "forget.no"), language),
            callback_data=ForgetChoice(user.id, confirmed).data,
        )
        for confirmed in (True, False)
    ]
    await respond(
        update,
        context,
        msg("forget.confirm", name=user.full_name),
        keyboard=InlineKeyboardMarkup([choices]),
    )


async def forget_choice(update: Update, context: BotContext) -> None:
    """The /forget confirmation: only the person who asked can confirm."""
    query = update.callback_query
    svc = context.services
    language = await svc.language_for(update)
    choice = ForgetChoice.parse(query.data) if on_own_message(query) else None
    if choice is None:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    if query.from_user.id != choice.user_id:
        await answer_press(query, plain(msg("forget.not_yours"), language))
        return
    await answer_press(query)
    chat_id = query.message.chat.id
    if not choice.confirmed:
        await query.edit_message_text(render(msg("forget.cancelled"), language))
        return
    if await svc.repo.open_session(chat_id) is not None:
        await query.edit_message_text(render(msg("forget.after_session"), language))
        return
    forgotten = await svc.repo.forget_member(chat_id, query.from_user.id)
    done = msg("forget.done", contributions=forgotten.contributions, actions=forgotten.actions)
    await query.edit_message_text(render(done, language))
