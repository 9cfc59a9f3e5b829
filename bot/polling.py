"""Running the bot: long polling through the inbox, and the start and stop around it.

PTB's own Updater acknowledges a batch (the next getUpdates offset) before its handlers have
committed anything, and one update it cannot parse fails the whole batch forever. So the bot
fetches raw updates itself, journals each batch (bot/inbox.py) and only then moves the offset.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import warnings

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot.app import ALLOWED_UPDATES
from bot.services import services_of

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open when there is nothing new
MAX_BACKOFF = 60

# getUpdates is asked for raw (Bot.do_api_request) so that an update the library cannot parse
# is set aside alone; PTB warns that Bot.get_updates exists, which is the point.
warnings.filterwarnings("ignore", message=".*Bot.getUpdates.*", category=PTBUserWarning)


def run_polling(application: Application) -> None:
    """Run the bot until SIGINT or SIGTERM."""
    asyncio.run(serve(application))


async def serve(application: Application) -> None:
    """Start, resume unfinished work, poll until told to stop, then stop cleanly."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stopping.set)
    if not await reach_telegram(application, stopping):
        return
    try:
        await application.post_init(application)
        await application.start()
        await finish_previous_run(application)
        polling = asyncio.create_task(poll(application))
        stopped = asyncio.create_task(stopping.wait())
        await asyncio.wait([polling, stopped], return_when=asyncio.FIRST_COMPLETED)
        polling.cancel()
        stopped.cancel()
        await asyncio.gather(polling, return_exceptions=True)
        await services_of(application).inbox.drain()
        await services_of(application).outbox.drain()
        await application.stop()
    finally:
        await application.post_shutdown(application)
        await application.shutdown()


async def reach_telegram(application: Application, stopping: asyncio.Event) -> bool:
    """Initialize (Telegram's getMe), trying again while the network is down: one log line a
    try, waits growing to a minute. False if told to stop meanwhile; a rejected token raises."""
    failures = 0
    while True:
        try:
            await application.initialize()
            return True
        except InvalidToken:
            raise
        except NetworkError as error:  # no connection, DNS, a timeout, Telegram down
            failures += 1
            wait = backoff_seconds(failures)
            log.warning("cannot reach Telegram (%s); trying again in %d s", error, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=wait)
            if stopping.is_set():
                return False


async def finish_previous_run(application: Application) -> None:
    """Send what a previous run stored and did not send, then handle what it journalled.

    Both are read first and then go on in background tasks (each chat in order, the stored
    messages before any new one), so a large backlog does not hold polling back.
    """
    services = services_of(application)
    unsent = await services.repo.pending_outbox()
    unhandled = await services.repo.pending_updates()
    services.outbox.deliver_stored(unsent)
    services.inbox.replay(unhandled)
    if unsent or unhandled:
        log.info(
            "resuming: %d stored message(s) to send, %d update(s) to handle",
            len(unsent),
            len(unhandled),
        )


async def poll(application: Application) -> None:
    """Poll Telegram until cancelled, backing off while Telegram or the journal fails."""
    poller = Poller(application)
    failures = 0
    while True:
        try:
            await poller.fetch_once()
            failures = 0
        except InvalidToken:
            log.error("Telegram rejected the bot token; stopping")
            return
        except TelegramError as error:  # Conflict (a second poller), 429, network
            failures += 1
            await _back_off(failures, f"getUpdates failed: {error}")
        except Exception as error:  # the journal could not be written (disk full, I/O error)
            failures += 1
            await _back_off(failures, f"could not journal updates; Telegram keeps them: {error!r}")


class Poller:
    """getUpdates through the inbox: the offset moves on only after a batch is journalled."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.offset: int | None = None
        self._resumed = False

    async def fetch_once(self, hold_seconds: int = POLL_TIMEOUT) -> int:
        """One getUpdates call; journals the batch and returns how many updates were new."""
        services = services_of(self.application)
        if not self._resumed:  # acknowledge what the journal already holds
            self.offset = await services.repo.next_update_offset()
            self._resumed = True
        batch = await self.application.bot.do_api_request(
            "getUpdates",
            api_kwargs={
                "offset": self.offset,
                "timeout": hold_seconds,
                "allowed_updates": ALLOWED_UPDATES,
            },
            read_timeout=hold_seconds + 5,
        )
        if not batch:
            return 0
        fresh = await services.inbox.receive(batch)
        self.offset = batch[-1]["update_id"] + 1
        return fresh


def backoff_seconds(failures: int) -> int:
    """How long to wait after this many failures in a row: 1, 2, 4 … up to a minute."""
    return min(2 ** (failures - 1), MAX_BACKOFF)


async def _back_off(failures: int, reason: str) -> None:
    """Wait longer after each failure in a row; say so once in a while."""
    if failures in (1, 5) or failures % 30 == 0:
        log.warning("%s (failure %d in a row)", reason, failures)
    await asyncio.sleep(backoff_seconds(failures))
