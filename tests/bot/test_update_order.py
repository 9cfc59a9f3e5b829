"""Updates of different chats run concurrently, updates of one chat in arrival order."""

import asyncio

from telegram import Chat, Message, Update, User

from bot.update_order import ChatLocks, PerChatUpdateProcessor, chat_key


def update_in(chat_id: int, update_id: int) -> Update:
    """A minimal message update in a chat."""
    chat = Chat(chat_id, "group")
    user = User(1, "Ann", is_bot=False)
    message = Message(update_id, None, chat, from_user=user)
    return Update(update_id, message=message)


async def test_one_chat_in_order_and_other_chats_meanwhile():
    processor = PerChatUpdateProcessor()
    events: list[str] = []
    release_first = asyncio.Event()

    async def work(name: str, wait: asyncio.Event | None = None) -> None:
        events.append(f"start {name}")
        if wait is not None:
            await wait.wait()
        events.append(f"end {name}")

    first = asyncio.create_task(
        processor.process_update(update_in(-1, 1), work("A1", release_first))
    )
    second = asyncio.create_task(processor.process_update(update_in(-1, 2), work("A2")))
    other = asyncio.create_task(processor.process_update(update_in(-2, 3), work("B1")))
    await asyncio.wait_for(other, 1)  # chat B is not held up by chat A's slow update
    assert events == ["start A1", "start B1", "end B1"]
    release_first.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["end A1", "start A2", "end A2"]


async def test_locks_are_dropped_when_unused():
    locks = ChatLocks()

    async def nothing() -> int:
        return 7

    assert await locks.run("k", nothing()) == 7
    assert locks._locks == {}


def test_updates_without_a_chat_are_keyed_by_user_or_not_at_all():
    assert chat_key(update_in(-5, 1)) == -5
    assert chat_key(object()) is None
