"""What every handler needs: settings, the repository, the clock, and the chat's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import Application

from bot.admins import Admins
from bot.config import Settings
from bot.drawing import Drawing
from bot.update_order import ChatLocks
from flows.models import SUPPORTED_LANGUAGES, ChatSet
from storage.repository import Repository

if TYPE_CHECKING:  # they reach the services through the application: no import cycle
    from bot.inbox import Inbox
    from bot.outbox import Outbox
    from bot.timed import Timers

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock, aware UTC."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Shared by all handlers through `application.bot_data`."""

    settings: Settings
    clock: Clock = utc_now
    inbox: Inbox | None = field(default=None, repr=False)
    outbox: Outbox | None = field(default=None, repr=False)
    timers: Timers | None = field(default=None, repr=False)
    _repo: Repository | None = field(default=None, repr=False)
    # A chat's session changes one at a time: its updates are in order already, but timers
    # and private reframing statements reach the session from outside that order.
    session_locks: ChatLocks = field(default_factory=ChatLocks, repr=False)
    admins: Admins = field(default_factory=Admins, repr=False)
    drawing: Drawing = field(default_factory=Drawing, repr=False)  # pictures, off the loop

    @property
    def repo(self) -> Repository:
        """The open repository (opened in post_init)."""
        if self._repo is None:
            raise RuntimeError("storage is not open yet (post_init has not run)")
        return self._repo

    @property
    def follow_up_grace(self) -> timedelta:
        """How late a meeting's follow-up may still be asked (FOLLOW_UP_GRACE_HOURS)."""
        return timedelta(hours=self.settings.follow_up_grace_hours)

    def language_of_set(self, chat_set: ChatSet | None) -> str:
        """The language a set is spoken to in."""
        default = self.settings.default_language
        return chat_set.language_or(default) if chat_set else default

    def language_of_user(self, language_code: str | None, about: ChatSet | None = None) -> str:
        """The language to speak to one person in private: their Telegram app's when the bot
        speaks it, else (a reply about one set) that set's, else the default."""
        code = (language_code or "").split("-")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
        return self.language_of_set(about)

    async def language_for(self, update: Update) -> str:
        """The language to answer this update in."""
        chat = update.effective_chat
        if chat is None or chat.type == chat.PRIVATE:
            user = update.effective_user
            return self.language_of_user(user.language_code if user else None)
        return self.language_of_set(await self.repo.get_set(chat.id))


def services_of(application: Application) -> Services:
    """The Services an application was built with (handlers read `context.services`)."""
    return application.bot_data["services"]
