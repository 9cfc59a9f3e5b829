"""Group admins, remembered for a few minutes so a facilitator's commands skip getChatMember.

Only a "yes" is remembered: a refusal always asks Telegram again, so someone just promoted
is a facilitator at once. A demotion takes effect at once when the bot is an admin (Telegram
then sends chat_member updates, see handlers/membership.py), otherwise within ADMIN_MEMORY.
"""

from __future__ import annotations

from datetime import datetime, timedelta

ADMIN_MEMORY = timedelta(minutes=5)


class Admins:
    """Recently confirmed admins of each group."""

    def __init__(self) -> None:
        self._confirmed: dict[tuple[int, int], datetime] = {}

    def known(self, chat_id: int, user_id: int, now: datetime) -> bool:
        """Whether Telegram said this user is an admin here less than ADMIN_MEMORY ago."""
        confirmed = self._confirmed.get((chat_id, user_id))
        if confirmed is None:
            return False
        if now - confirmed >= ADMIN_MEMORY:
            del self._confirmed[(chat_id, user_id)]
            return False
        return True

    def remember(self, chat_id: int, user_id: int, now: datetime) -> None:
        """Telegram just said this user is an admin here."""
        self._confirmed[(chat_id, user_id)] = now

    def forget(self, chat_id: int, user_id: int) -> None:
        """This user is no longer (or may no longer be) an admin here."""
        self._confirmed.pop((chat_id, user_id), None)
