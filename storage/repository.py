"""The repository: one method per question the app asks of the database."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database
from storage.scheduled import ScheduledStore
from storage.sets import SetStore


class Repository(SetStore, ScheduledStore):
    """Every read and write of the bot's data, over one Database."""

    def __init__(self, db: Database) -> None:
        SetStore.__init__(self)
        self.db = db

    @classmethod
    async def open(cls, path: Path | str) -> Repository:
        """Open the database file (migrating it) and wrap it."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
