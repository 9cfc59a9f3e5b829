"""/retention: how long the set keeps members' words (the daily sweep: bot/retention_sweep.py)."""

from __future__ import annotations

from telegram import Update

from bot.command_args import command_text
from bot.context import BotContext
from bot.replies import respond
from bot.roles import require_facilitator
from flows.retention import RETENTION_CHOICES, parse_retention, policy
from flows.text import msg

# A new limit is told anew: nothing is erased under it until a week after its own notice.
NOTICES_RESET = {
    "retention_told_until": None,
    "retention_told_at": None,
    "retention_erasable_until": None,
}


async def set_retention(update: Update, context: BotContext) -> None:
    """/retention [6m|12m|24m|off]: the set's retention to anyone; facilitators change it."""
    svc = context.services
    chat_set = await svc.repo.get_set(update.effective_chat.id)
    default = svc.settings.retention_months
    text = command_text(update).strip()
    if not text:
        current = policy(chat_set.retention_or(default))
        await respond(update, context, msg("retention.current", policy=current))
        return
    if not await require_facilitator(update, context):
        return
    months = parse_retention(text)
    if months is None:
        choices = " | ".join(RETENTION_CHOICES)
        await respond(
            update, context, msg("settings.valid", values=choices, example="/retention 12m")
        )
        return
    changes: dict[str, object] = {"retention_months": months}
    if months != chat_set.retention_or(default):
        changes |= NOTICES_RESET
    await svc.repo.update_set(chat_set.chat_id, svc.clock(), **changes)
    key = "retention.changed" if months else "retention.turned_off"
    await respond(update, context, msg(key, policy=policy(months)))
