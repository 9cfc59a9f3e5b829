"""Step timers firing: 'about a minute left', then 'time is up' or auto-advance."""

from __future__ import annotations

from telegram.ext import ContextTypes

from bot.services import services
from bot.session_runner import run_event
from flows.models import Scheduled, ScheduledKind, ScheduledStatus
from flows.session_model import TimerFired


async def step_timer(context: ContextTypes.DEFAULT_TYPE, item: Scheduled) -> None:
    """Tell the session its step timer went off; the row is marked sent with the transition."""
    svc = services(context)
    state = await svc.repo.open_session(item.chat_id)
    if state is None or state.id != item.session_id or item.ref is None:
        await svc.repo.settle_scheduled(item, ScheduledStatus.CANCELLED, svc.clock())
        return
    kind = "warning" if item.kind is ScheduledKind.STEP_WARNING else "end"
    event = TimerFired(kind=kind, step_index=item.ref)
    await run_event(None, context, state, event, fired_row=item.id)
