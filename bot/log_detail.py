"""A session's detail, on request from /log: what was asked and said in it, step by step."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callback_data import LogDetail, LogPage
from bot.i18n import template
from bot.render import plain, render
from bot.telegram_text import shorten
from flows.exercises import Localized, builtin_exercises
from flows.log import LoggedContribution, LoggedSession, by_step, voice_length
from flows.text import LocalTime, Msg, msg, said_or_heard

LABEL_NAME = 24  # a holder's name in a button label is cut here: labels are one short line


def step_title(session: LoggedSession, step_index: int) -> Localized | Msg:
    """A step's title, or "Step n" when the session's exercise no longer has that step."""
    exercise = builtin_exercises().get(session.exercise)
    if exercise is not None and step_index < len(exercise.steps):
        return exercise.step(step_index).title
    return msg("log.detail.step", number=step_index + 1)


def step_title_text(session: LoggedSession, step_index: int, language: str) -> str:
    """A step's title as plain text (for the export)."""
    title = step_title(session, step_index)
    if isinstance(title, Localized):
        return title.get(language)
    return template(language, title.key).format(**title.params)


def author(contribution: LoggedContribution) -> Msg | str:
    """Who said it, or 'a member' when no member record names them."""
    return contribution.author or msg("log.a_member")


def said_line(contribution: LoggedContribution) -> Msg:
    """One contribution: who, what, and the guard's flag if it had one."""
    if contribution.voice_seconds is not None:
        length = voice_length(contribution.voice_seconds)
        return msg("log.detail.voice", who=author(contribution), length=length)
    if contribution.flagged is None:
        return msg("log.detail.said", who=author(contribution), text=contribution.text)
    return msg(
        "log.detail.flagged",
        who=author(contribution),
        text=contribution.text,
        flag=msg(f"log.flag.{contribution.flagged.value}"),
    )


def said_lines(contribution: LoggedContribution) -> tuple[Msg, ...]:
    """A contribution's line, then the holder's answers to it, each under it."""
    answers = tuple(
        msg(
            "log.detail.answer",
            who=author(answer),
            text=said_or_heard(answer.text, answer.voice_seconds),
        )
        for answer in contribution.answers
    )
    return (said_line(contribution), *answers)


def session_detail(session: LoggedSession, timezone: str, language: str) -> str:
    """The detail as Telegram HTML (send() splits it at Telegram's limit)."""
    sections = tuple(
        msg(
            "log.detail.section",
            title=step_title(session, index),
            lines=tuple(line for c in said for line in said_lines(c)),
        )
        for index, said in by_step(session.contributions)
    )
    detail = msg(
        "log.detail",
        head=msg(
            "log.head",
            date=LocalTime(moment=session.started_at, timezone=timezone),
            exercise=session.exercise,
            holder=session.holder_name or msg("log.a_member"),
        ),
        topic=msg("log.topic", topic=session.topic or "—"),
        questions=msg("summary.questions", count=session.question_count),
        sections=sections or msg("log.detail.none"),
    )
    return render(detail, language)


def detail_button(
    session: LoggedSession, offset: int, timezone: str, language: str
) -> InlineKeyboardButton:
    """The button under a log page that opens one session's detail."""
    local = session.started_at.astimezone(ZoneInfo(timezone))
    holder = session.holder_name
    label = msg(
        "log.detail_button",
        count=session.question_count,
        date=format_datetime(local, "d MMM", locale=language),
        holder=shorten(holder, LABEL_NAME) if holder else msg("log.a_member"),
    )
    return InlineKeyboardButton(
        plain(label, language), callback_data=LogDetail(session.id, offset).data
    )


def back_keyboard(offset: int, language: str) -> InlineKeyboardMarkup:
    """The detail's way back to the log page it was opened from."""
    back = plain(msg("log.back"), language)
    return InlineKeyboardMarkup([[InlineKeyboardButton(back, callback_data=LogPage(offset).data)]])
