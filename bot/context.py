"""The context every handler and job gets: PTB's own, with the bot's services typed."""

from __future__ import annotations

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.services import Services, services_of


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """A CallbackContext whose `services` are the running application's Services."""

    @property
    def services(self) -> Services:
        """Settings, repository, clock, outbox and the rest (see bot/services.py)."""
        return services_of(self.application)


CONTEXT_TYPES = ContextTypes(context=BotContext)
