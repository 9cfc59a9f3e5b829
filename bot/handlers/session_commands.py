"""Session commands in a group: /session, /topic, /holder, /q, /action, /next and friends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from telegram import MessageEntity, Update, User

from bot.command_args import command_text
from bot.context import BotContext
from bot.follow_up_runner import follow_up_questions
from bot.handlers.basics import can_read_all_messages
from bot.replies import respond, thread_of
from bot.roles import facilitators_only, person, record_member
from bot.session_runner import run_event, run_start
from flows.exercises import builtin_exercises
from flows.follow_up import from_earlier_meetings
from flows.session import start_session
from flows.session_args import BadStepLength, UnknownExercise, read_session_args
from flows.session_model import (
    Advance,
    ChooseHolder,
    CommitAction,
    Contribute,
    End,
    Event,
    Extend,
    Pause,
    Resume,
    Volunteer,
)
from flows.text import Msg, msg
from storage.sessions import SessionAlreadyOpen

DEFAULT_EXTEND_MINUTES = 5
MAX_EXTEND_MINUTES = 60


@facilitators_only
async def new_session(update: Update, context: BotContext) -> None:
    """/session [exercise] [async [step length]]: a facilitator starts a session, live or
    across days."""
    chat, user = update.effective_chat, update.effective_user
    svc = context.services
    exercises = builtin_exercises()
    chat_set = await svc.repo.get_set(chat.id)
    default = chat_set.default_exercise if chat_set else "classic"
    asked = read_session_args(command_text(update), tuple(exercises), default)
    if isinstance(asked, UnknownExercise):
        names = ", ".join(exercises)
        await respond(
            update, context, msg("session.unknown_exercise", name=asked.name, names=names)
        )
        return
    if isinstance(asked, BadStepLength):
        await respond(update, context, msg("session.async_usage", given=asked.given))
        return
    name = asked.exercise
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone) if chat_set else "UTC"
    reads_all = await can_read_all_messages(context.bot, chat.id)

    async def opening(now):
        actions = from_earlier_meetings(await svc.repo.open_actions(chat.id), now, timezone)
        outcome = start_session(
            chat_id=chat.id,
            thread_id=thread_of(update),
            exercise=exercises[name],
            facilitator=person(user),
            open_actions=len(actions),
            now=now,
            blind=not reads_all,
            step_length=asked.step_length,
        )
        return outcome, lambda _: follow_up_questions(chat_set, actions, language, timezone)

    try:
        if await run_start(update, context, opening) is None:
            return  # this very /session, delivered again
    except SessionAlreadyOpen:
        await respond(update, context, msg("session.already_running"))
        return
    if not reads_all:
        await respond(update, context, msg("privacy.hint", bot=context.bot.username))


async def session_event(update: Update, context: BotContext, event: Event) -> None:
    """Send an event to the chat's open session, or say there is none."""
    svc = context.services
    chat_id = update.effective_chat.id
    state = await svc.repo.open_session(chat_id)
    if state is None:
        if not await svc.repo.already_applied(chat_id, update.update_id):  # else a re-delivery
            await respond(update, context, msg("session.none"))
        return
    if thread_of(update) != state.thread_id:  # a forum: the session lives in its own topic
        await respond(update, context, msg("session.other_topic"))
        return
    await run_event(update, context, state, event)


async def topic(update: Update, context: BotContext) -> None:
    """/topic <one line>: volunteer as today's topic holder."""
    user = update.effective_user
    text = command_text(update)
    event = Volunteer(
        person=person(user), topic=text or None, message_id=update.effective_message.message_id
    )
    await session_event(update, context, event)


@facilitators_only
async def holder(update: Update, context: BotContext) -> None:
    """/holder (replying to someone, or naming them): a facilitator chooses the topic holder."""
    chosen = await named_user(update, context)
    if chosen is None:
        await respond(update, context, msg("usage.holder"))
        return
    await record_member(context, update.effective_chat, chosen)
    await session_event(update, context, ChooseHolder(person=person(chosen)))


async def named_user(update: Update, context: BotContext) -> User | None:
    """The person a command points at: the replied-to author, a text mention, or a @username."""
    message = update.effective_message
    replied = message.reply_to_message
    if replied and replied.from_user and not replied.from_user.is_bot:
        return replied.from_user
    for entity in message.entities:
        if entity.type == MessageEntity.TEXT_MENTION and entity.user:
            return entity.user
    username = command_text(update).lstrip("@")
    if username:
        member = await context.services.repo.member_by_username(update.effective_chat.id, username)
        if member is not None:
            return User(
                member.user_id,
                member.name,
                is_bot=False,
                username=member.username,
                language_code=member.language_code,
            )
    return None


async def question(update: Update, context: BotContext) -> None:
    """/q <question>: ask a question even when the bot cannot read plain messages."""
    await _said_by_command(update, context, msg("usage.q"), partial(Contribute, via="command"))


async def action(update: Update, context: BotContext) -> None:
    """/action <what> | <how I will know> | <help I need>: the holder commits."""
    await _said_by_command(update, context, msg("usage.action"), CommitAction)


async def _said_by_command(
    update: Update, context: BotContext, usage: Msg, event: Callable[..., Event]
) -> None:
    """A command whose words are the event's text; without words, how to use it."""
    text = command_text(update)
    if not text:
        await respond(update, context, usage)
        return
    message_id = update.effective_message.message_id
    said = event(person=person(update.effective_user), text=text, message_id=message_id)
    await session_event(update, context, said)


@facilitators_only
async def advance(update: Update, context: BotContext) -> None:
    """/next: a facilitator moves to the next step."""
    await session_event(update, context, Advance())


@facilitators_only
async def extend(update: Update, context: BotContext) -> None:
    """/extend [minutes]: a facilitator adds time to the step (default 5)."""
    argument = command_text(update)
    minutes = (
        int(argument)
        if argument.isdecimal() and len(argument) < 4
        else 0
        if argument
        else DEFAULT_EXTEND_MINUTES
    )
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        await respond(update, context, msg("usage.extend", most=MAX_EXTEND_MINUTES))
        return
    await session_event(update, context, Extend(minutes=minutes))


@facilitators_only
async def pause_clock(update: Update, context: BotContext) -> None:
    """/pause: a facilitator stops the step's clock."""
    await session_event(update, context, Pause())


@facilitators_only
async def resume_clock(update: Update, context: BotContext) -> None:
    """/resume: a facilitator restarts the step's clock."""
    await session_event(update, context, Resume())


@facilitators_only
async def end(update: Update, context: BotContext) -> None:
    """/end: a facilitator closes the session early; what was said is kept."""
    await session_event(update, context, End())


async def exercises(update: Update, context: BotContext) -> None:
    """/exercises: the exercises with a one-line description each."""
    lines = tuple(
        msg("exercise.line", name=e.name, title=e.title, description=e.description)
        for e in builtin_exercises().values()
    )
    await respond(update, context, msg("exercise.list", lines=lines))
