"""Writes of one store that change what another store caches, as the repository hears of them."""

from __future__ import annotations

from dataclasses import dataclass

from flows.models import ChatSet


@dataclass(frozen=True, slots=True)
class SetWritten:
    """A set's row as a write outside the set store just left it."""

    chat: ChatSet


@dataclass(frozen=True, slots=True)
class MemberRemoved:
    """A member's row was deleted (/forget)."""

    chat_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class ChatMoved:
    """A group became a supergroup: everything of the old id now lives under the new one."""

    old_chat_id: int
    new_chat_id: int


Change = SetWritten | MemberRemoved | ChatMoved
