"""/log (paginated, each session's detail on request), /actions and /export: what the set has
learned, readable and portable."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest

from bot.callback_data import LogDetail, LogPage
from bot.callbacks import answer_press, on_own_message
from bot.context import BotContext
from bot.export import export_contributions_csv, export_csv, export_markdown, export_name
from bot.export_changes import export_changes_csv
from bot.log_detail import back_keyboard, detail_button, session_detail
from bot.render import plain, render
from bot.replies import respond, send, thread_of
from bot.roles import is_facilitator
from bot.telegram_text import TELEGRAM_LIMIT, visible_length
from flows.log import LoggedSession, shown_actions
from flows.models import ChatSet
from flows.text import LocalTime, Msg, msg

PAGE = 5
CLIP = 300  # the log is compact; /export has every word


def clip(text: str | None) -> str:
    """A text shortened for the compact log."""
    text = (text or "").strip()
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def holder_name(name: str | None) -> Msg | str:
    """A holder's name, or 'a member' when it was forgotten."""
    return name if name else msg("log.a_member")


def erased_or(erased_at: datetime | None, text: str) -> Msg | str:
    """Words as the log shows them, or that retention erased them."""
    return msg("log.erased") if erased_at else text


def session_entry(session: LoggedSession, timezone: str) -> Msg:
    """One session of the log, compact."""
    lines: list[Msg] = [
        msg(
            "log.head",
            date=LocalTime(moment=session.started_at, timezone=timezone),
            exercise=session.exercise,
            holder=holder_name(session.holder_name),
        ),
        msg("log.topic", topic=erased_or(session.words_erased_at, clip(session.topic) or "—")),
    ]
    if session.reframe:
        lines.append(msg("log.reframe", reframe=clip(session.reframe)))
    if session.score:
        lines.append(msg("log.score", score=session.score, count=session.score_count))
    for action in shown_actions(session.actions):
        outcome = (
            msg(f"follow_up.outcome.{action.outcome.value}") if action.outcome else msg("log.open")
        )
        text = erased_or(action.words_erased_at, clip(action.text))
        lines.append(msg("log.action", action=text, outcome=outcome))
        if action.learning:
            lines.append(msg("log.action_learning", learning=clip(action.learning)))
    for learning in session.learnings:
        lines.append(msg("log.learning", learning=clip(learning)))
    return msg("log.entry", lines=tuple(lines))


def page_keyboard(
    sessions: list[LoggedSession], offset: int, total: int, timezone: str, language: str
) -> InlineKeyboardMarkup | None:
    """A detail button per session that has something said in it, then Newer/Older."""
    rows = [[detail_button(s, offset, timezone, language)] for s in sessions if s.detail_count]
    pages = []
    if offset > 0:
        pages.append((msg("log.newer"), LogPage(max(0, offset - PAGE))))
    if offset + PAGE < total:
        pages.append((msg("log.older"), LogPage(offset + PAGE)))
    buttons = [
        InlineKeyboardButton(render(label, language), callback_data=page.data)
        for label, page in pages
    ]
    if buttons:
        rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


async def render_log_page(context: BotContext, chat_set: ChatSet, offset: int):
    """The HTML text and keyboard of one page of the log (send() splits a long page)."""
    svc = context.services
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    sessions, total = await svc.repo.log_page(chat_set.chat_id, limit=PAGE, offset=offset)
    if not sessions:
        return render(msg("log.empty"), language), None
    entries = tuple(session_entry(s, timezone) for s in sessions)
    if total <= len(sessions):  # all on one page
        head = msg("log.whole", count=total)
    else:
        head = msg("log.page", first=offset + 1, last=offset + len(sessions), total=total)
    text = render(msg("log.lines", head=head, entries=entries), language)
    return text, page_keyboard(sessions, offset, total, timezone, language)


async def show_log(update: Update, context: BotContext) -> None:
    """/log: the set's recent sessions, newest first."""
    chat_set = await context.services.repo.get_set(update.effective_chat.id)
    text, keyboard = await render_log_page(context, chat_set, 0)
    await respond(update, context, text, keyboard=keyboard)


async def turn_page(update: Update, context: BotContext) -> None:
    """A press on Newer/Older (or a detail's Back): the page, in place when it fits."""
    query = update.callback_query
    svc = context.services
    page = LogPage.parse(query.data) if on_own_message(query) else None
    chat_set = await svc.repo.get_set(query.message.chat.id) if page is not None else None
    if chat_set is None:
        await answer_press(query, plain(msg("button.expired"), await svc.language_for(update)))
        return
    await answer_press(query)
    text, keyboard = await render_log_page(context, chat_set, page.offset)
    await show_in_place(query, context, chat_set, text, keyboard)


async def show_session_detail(update: Update, context: BotContext) -> None:
    """A press on a session's button under the log: what was asked and said in it."""
    query = update.callback_query
    svc = context.services
    button = LogDetail.parse(query.data) if on_own_message(query) else None
    chat_id = query.message.chat.id if button is not None else None
    # Only this chat's own sessions: the chat is the pressed message's, not the data's.
    session = await svc.repo.session_detail(chat_id, button.session_id) if button else None
    chat_set = await svc.repo.get_set(chat_id) if session is not None else None
    if chat_set is None:
        await answer_press(query, plain(msg("log.detail.gone"), await svc.language_for(update)))
        return
    await answer_press(query)
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    text = session_detail(session, timezone, language)
    await show_in_place(query, context, chat_set, text, back_keyboard(button.offset, language))


async def show_in_place(
    query: CallbackQuery,
    context: BotContext,
    chat_set: ChatSet,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    """Edit the pressed message into `text` when it fits one message; else send it in parts."""
    if visible_length(text) <= TELEGRAM_LIMIT:
        with suppress(BadRequest):  # the same button pressed twice
            await query.edit_message_text(text, reply_markup=keyboard)
        return
    language = context.services.language_of_set(chat_set)
    thread = query.message.message_thread_id
    await send(context, chat_set.chat_id, text, language, thread_id=thread, keyboard=keyboard)


async def show_actions(update: Update, context: BotContext) -> None:
    """/actions: open actions with their holders and due meetings."""
    svc = context.services
    chat_set = await svc.repo.get_set(update.effective_chat.id)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    actions = await svc.repo.open_actions(chat_set.chat_id)
    lines = tuple(
        msg(
            "actions.due_line",
            holder=a.holder_mention(),
            action=clip(a.text),
            due=LocalTime(moment=a.due_at, timezone=timezone)
            if a.due_at
            else msg("myactions.no_due"),
        )
        for a in actions
    )
    await respond(update, context, msg("actions.list", lines=lines or msg("actions.none")))


async def export_log(update: Update, context: BotContext) -> None:
    """/export: the whole log as Markdown; the actions, their changes, and what was said, as
    CSV."""
    svc = context.services
    chat, user = update.effective_chat, update.effective_user
    chat_set = await svc.repo.get_set(chat.id)
    if chat_set.export_policy != "members" and not await is_facilitator(context, chat, user):
        await respond(update, context, msg("export.facilitators_only"))
        return
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    sessions, actions = await svc.repo.whole_log(chat.id)
    changes = await svc.repo.action_changes(chat.id)
    set_id = await svc.repo.set_export_id(chat.id)
    now = svc.clock()
    files = (
        (export_markdown(chat_set, sessions, language, timezone, now), "md", None),
        (export_csv(set_id, sessions, actions), "csv", None),
        (export_contributions_csv(set_id, sessions), "csv", "contributions"),
        (export_changes_csv(set_id, changes, timezone), "csv", "action-changes"),
    )
    for index, (content, extension, part) in enumerate(files):
        await context.bot.send_document(
            chat.id,
            InputFile(content, filename=export_name(chat_set, now, extension, part)),
            caption=render(
                msg("export.caption", sessions=len(sessions), actions=len(actions)), language
            )
            if index == 0
            else None,
            message_thread_id=thread_of(update),
        )
