"""Reframing statements sent to the bot in private, held back until the reveal in the group."""

from __future__ import annotations

from telegram import (
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest

from bot.callback_data import SetChoice
from bot.callbacks import answer_press
from bot.context import BotContext
from bot.render import plain, render
from bot.replies import respond
from bot.roles import person
from bot.session_runner import run_event, session_context
from flows.contribution import accepts_private_statement
from flows.session_model import Contribute, EditContribution, Outcome, Record, SessionState
from flows.text import msg
from storage.outbox import Outgoing


async def collecting_sessions(
    context: BotContext, user_id: int, *, former: bool = False
) -> list[tuple[SessionState, str]]:
    """The person's sets (`former`: or sets they have left) whose sessions collect reframing
    statements now, with their titles."""
    svc = context.services
    found = []
    for chat_id in await svc.repo.chats_of_member(user_id, former=former):
        state = await svc.repo.open_session(chat_id)
        if state is None:
            continue
        ctx = await session_context(context, state, svc.clock())
        if accepts_private_statement(state, user_id, ctx):
            chat_set = await svc.repo.get_set(chat_id)
            found.append((state, chat_set.title if chat_set else ""))
    return found


async def still_a_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says the person is in the group now (memory alone is not enough: a
    member removed or gone while the bot was not told must not speak in the set)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except BadRequest:  # "user not found", "member not found"
        return False
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def private_message(update: Update, context: BotContext) -> None:
    """A private text: a reframing statement when a set is collecting them, else a pointer;
    with several sets collecting at once, the person chooses with buttons."""
    message, user = update.effective_message, update.effective_user
    collecting = await collecting_sessions(context, user.id)
    if not collecting:  # one who has left a collecting set hears why, every time they write
        left = await collecting_sessions(context, user.id, former=True)
        line = msg("private.not_a_member", set=left[0][1]) if left else None
        await respond(update, context, line or msg("private.nothing_to_collect"))
        return
    members = []
    for state, title in collecting:
        if await still_a_member(context, state.chat_id, user.id):
            members.append((state, title))
        else:  # gone without the bot being told: the set forgets them as a member
            await context.services.repo.set_member_active(state.chat_id, user.id, False)
    if not members:
        await respond(update, context, msg("private.not_a_member", set=collecting[0][1]))
        return
    if len(members) > 1:
        await ask_which_set(update, context, members)
        return
    state, title = members[0]
    await take_statement(update, context, state, title, message)


async def ask_which_set(
    update: Update, context: BotContext, members: list[tuple[SessionState, str]]
) -> None:
    """Several sets collect at once: a button per set, on a reply to the statement itself (the
    press finds the words there, so nothing is kept meanwhile)."""
    language = await context.services.language_for(update)
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(title or "—", callback_data=SetChoice(state.chat_id).data)]
         for state, title in members]
    )  # fmt: skip
    await context.bot.send_message(
        update.effective_chat.id,
        render(msg("private.which_set"), language),
        reply_markup=keyboard,
        reply_parameters=ReplyParameters(update.effective_message.message_id),
    )


async def set_chosen(update: Update, context: BotContext) -> None:
    """A press on one of ask_which_set's buttons: the statement goes to that set."""
    query = update.callback_query
    statement = query.message.reply_to_message if query.message else None
    user = query.from_user
    choice = SetChoice.parse(query.data)
    language = await context.services.language_for(update)
    author = statement.from_user if statement is not None else None
    if choice is None or author is None or author.id != user.id:
        await answer_press(query, plain(msg("button.expired"), language))
        return
    chosen = [
        found
        for found in await collecting_sessions(context, user.id)
        if found[0].chat_id == choice.chat_id
    ]
    if not chosen or not await still_a_member(context, choice.chat_id, user.id):
        await answer_press(query, plain(msg("button.expired"), language))
        return
    state, title = chosen[0]
    await answer_press(query)
    await take_statement(
        update, context, state, title, statement, choice_id=query.message.message_id
    )


async def take_statement(
    update: Update,
    context: BotContext,
    state: SessionState,
    title: str,
    message: Message,
    choice_id: int | None = None,
) -> None:
    """Record a private statement in a set's session and say so, in the private chat (the
    confirmation is stored with the statement, so a crash loses neither); the question which
    set it was for (`choice_id`) loses its buttons once answered."""
    event = Contribute(
        person=person(message.from_user),
        text=message.text,
        message_id=message.message_id,
        via="private",
        source_chat_id=message.chat_id,
    )
    svc = context.services
    about = await svc.repo.get_set(state.chat_id)
    language = svc.language_of_user(message.from_user.language_code, about)
    noted = render(msg("private.statement_noted", set=title), language)

    def confirmation(outcome: Outcome) -> list[Outgoing]:
        if not any(isinstance(effect, Record) for effect in outcome.effects):
            return []
        said = [Outgoing(text=noted, chat_id=message.chat_id, target_id=message.message_id)]
        if choice_id is None:
            return said
        done = Outgoing(op="clear_buttons", chat_id=message.chat_id, target_id=choice_id)
        return [done, *said]

    await run_event(update, context, state, event, also_send=confirmation)


async def edited_statement(update: Update, context: BotContext) -> None:
    """A private statement edited before the reveal: the new words replace it."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    svc = context.services
    if await svc.repo.recorded_contribution(message.chat_id, message.message_id) is None:
        return  # not a statement (nothing was collecting when it was sent)
    for chat_id in await svc.repo.chats_of_member(user.id):
        state = await svc.repo.open_session(chat_id)
        mine = state is not None and any(
            s.message_id == message.message_id and s.person.user_id == user.id
            for s in state.statements
        )
        if mine:
            event = EditContribution(
                message_id=message.message_id,
                text=message.text,
                person=person(user),
                source_chat_id=message.chat_id,
            )
            await run_event(update, context, state, event)
            return
