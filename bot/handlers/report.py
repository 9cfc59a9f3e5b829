"""/report: a picture of the set's last 6 or 12 months, with its figures in three lines below
(for screen readers; `/report text` sends only the lines, for a slow connection)."""

from __future__ import annotations

from dataclasses import replace

from babel.dates import format_date
from telegram import Update

from bot.command_args import command_text
from bot.context import BotContext
from bot.drawing import send_picture
from bot.render import render
from bot.replies import respond, thread_of
from bot.report_picture import days, report_png
from bot.telegram_text import visible_length
from flows.goal import goal_of, per_month
from flows.report import PERIODS, Figures, figures, period_start
from flows.text import Msg, msg

DEFAULT_MONTHS = 12
CAPTION_LIMIT = 1024  # Telegram's, in UTF-16 code units after entity parsing


def parse(argument: str) -> tuple[int, bool] | None:
    """(months, text only) from '/report [6|12] [text]'; None when it is something else."""
    months, text_only = DEFAULT_MONTHS, False
    for word in argument.lower().split():
        if word.isdigit() and int(word) in PERIODS:
            months = int(word)
        elif word == "text":
            text_only = True
        else:
            return None
    return months, text_only


def lines(report: Figures, language: str) -> Msg:
    """The three lines: meetings (and per month), actions, days to close and scores."""
    by_month = " · ".join(
        f"{format_date(month, 'LLL', locale=language)} {count}"
        for month, count in zip(report.months, report.meetings, strict=True)
    )
    outcomes = dict(report.outcomes)
    mean = report.score_mean
    return msg(
        "report.caption",
        meetings=msg(
            "report.meetings",
            months=len(report.months),
            total=report.meetings_total,
            by_month=by_month,
        ),
        actions=msg(
            "report.actions",
            carried=report.carried,
            changed=report.changed,
            **outcomes,
        ),
        days=msg(
            "report.days",
            days=days(report.median_days),
            score=f"{mean:.1f}" if mean is not None else "—",
            sessions=len(report.scores),
        ),
    )


async def show_report(update: Update, context: BotContext) -> None:
    """/report [6|12] [text]: the picture with its lines below, or the lines alone."""
    parsed = parse(command_text(update))
    if parsed is None:
        await respond(update, context, msg("report.usage"))
        return
    months, text_only = parsed
    svc = context.services
    chat_set = await svc.repo.get_set(update.effective_chat.id)
    language = svc.language_of_set(chat_set)
    timezone = chat_set.timezone_or(svc.settings.default_timezone)
    now = svc.clock()
    data = await svc.repo.report_data(chat_set.chat_id, period_start(now, timezone, months))
    report = figures(data, now, timezone, months)
    goal = per_month(goal_of(chat_set.goal_count, chat_set.goal_unit))
    report = replace(report, goal=goal)
    if report.empty:
        await respond(update, context, msg("report.empty"))
        return
    if text_only:
        await respond(update, context, lines(report, language))
        return
    caption = render(lines(report, language), language)
    fits = visible_length(caption) <= CAPTION_LIMIT
    sent = await send_picture(
        context.bot,
        svc.drawing,
        report_png,
        report,
        language,
        chat_id=chat_set.chat_id,
        filename=f"report-{months}m.png",
        caption=caption if fits else None,
        thread_id=thread_of(update),
    )
    if not (sent and fits):  # the figures come as text all the same
        await respond(update, context, lines(report, language))
