"""Reframing statements sent to the bot in private, held back until the reveal in the group."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.replies import answer
from bot.roles import person
from bot.services import services
from bot.session_runner import run_event, session_context
from flows.contribution import accepts_private_statement
from flows.session_model import Contribute, EditContribution, Record, SessionState
from flows.text import msg


async def collecting_session(
    context: ContextTypes.DEFAULT_TYPE, user_id: int
) -> tuple[SessionState, str] | None:
    """The first of the person's sets whose session collects reframing statements now."""
    svc = services(context)
    for chat_id in await svc.repo.chats_of_member(user_id):
        state = await svc.repo.open_session(chat_id)
        if state is None:
            continue
        ctx = await session_context(context, state, svc.clock())
        if accepts_private_statement(state, user_id, ctx):
            chat_set = await svc.repo.get_set(chat_id)
            return state, chat_set.title if chat_set else ""
    return None


async def still_a_member(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says the person is in the group now (memory alone is not enough: a
    member removed or gone while the bot was not told must not speak in the set)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except BadRequest:  # "user not found", "member not found"
        return False
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def private_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private text: a reframing statement when a set is collecting them, else a pointer."""
    message, user = update.effective_message, update.effective_user
    found = await collecting_session(context, user.id)
    if found is None:
        await answer(update, context, msg("private.nothing_to_collect"))
        return
    state, title = found
    if not await still_a_member(context, state.chat_id, user.id):
        await services(context).repo.set_member_active(state.chat_id, user.id, False)
        await answer(update, context, msg("private.not_a_member", set=title))
        return
    event = Contribute(
        person=person(user),
        text=message.text,
        message_id=message.message_id,
        via="private",
        source_chat_id=message.chat_id,
    )
    outcome = await run_event(update, context, state, event)
    if outcome is not None and any(isinstance(e, Record) for e in outcome.effects):
        await answer(update, context, msg("private.statement_noted", set=title))


async def edited_statement(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private statement edited before the reveal: the new words replace it."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    svc = services(context)
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
