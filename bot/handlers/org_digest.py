"""/digest: every set at a glance for the organisation's MEAL staff, in a private chat (a
picture, a CSV and a few lines); `/digest monthly [Area/City]` sends it on the 1st of each month
at 09:00 in that zone, `/digest off` stops that. In a group, bot/handlers/basics.py says where
it works."""

from __future__ import annotations

from telegram import Update

from bot.command_args import command_text
from bot.context import BotContext
from bot.org_digest import digest_for, send_digest_files, summary
from bot.replies import respond
from flows.goal import OFF_WORDS
from flows.org_digest import next_digest_at, recent_bounds
from flows.schedule import parse_timezone
from flows.text import LocalTime, msg
from storage.org_digest import DigestPlan

MONTHLY_WORDS = {"monthly", "month", "mensuel", "mensuelle", "mois", "شهري", "شهريا"}


async def org_digest(update: Update, context: BotContext) -> None:
    """/digest [monthly [Area/City] | off], for MEAL staff."""
    svc = context.services
    user = update.effective_user
    if user is None or user.id not in svc.settings.meal_staff:  # their id: what MEAL_STAFF needs
        who = str(user.id) if user else "—"
        await respond(update, context, msg("org_digest.staff_only", user_id=who))
        return
    words = command_text(update).split()
    if not words:
        await send_now(update, context)
    elif words[0].lower() in MONTHLY_WORDS and len(words) <= 2:
        zone = parse_timezone(words[1]) if len(words) == 2 else svc.settings.default_timezone
        if zone is None:
            await respond(update, context, msg("org_digest.usage"))
            return
        await plan_monthly(update, context, zone)
    elif len(words) == 1 and words[0].lower() in OFF_WORDS:
        stopped, cancelled = await svc.repo.stop_digest(update.effective_chat.id, svc.clock())
        svc.timers.disarm(cancelled)
        await respond(update, context, msg("org_digest.stopped" if stopped else "org_digest.none"))
    else:
        await respond(update, context, msg("org_digest.usage"))


async def send_now(update: Update, context: BotContext) -> None:
    """The last 30 days: the picture, the CSV, then the lines."""
    svc = context.services
    chat_id = update.effective_chat.id
    now = svc.clock()
    plan = await svc.repo.digest_plan(chat_id)
    timezone = plan.timezone if plan else svc.settings.default_timezone
    start, end = recent_bounds(now, timezone)
    digest = await digest_for(svc.repo, start, end, now, timezone)
    if digest.empty:
        await respond(update, context, msg("org_digest.empty"))
        return
    language = await svc.language_for(update)
    await send_digest_files(context.bot, svc.drawing, chat_id, digest, language)
    await respond(update, context, summary(digest, language))


async def plan_monthly(update: Update, context: BotContext, zone: str) -> None:
    """Store the monthly digest and arm its first row."""
    svc = context.services
    now = svc.clock()
    language = await svc.language_for(update)
    plan = DigestPlan(chat_id=update.effective_chat.id, timezone=zone, language=language)
    item, cancelled = await svc.repo.plan_digest(plan, next_digest_at(now, zone), now)
    svc.timers.disarm(cancelled)
    svc.timers.arm(item, now)
    first = LocalTime(moment=item.due_at, timezone=zone)
    await respond(update, context, msg("org_digest.monthly", timezone=zone, first=first))
