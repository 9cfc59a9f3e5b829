"""Sustained capacity of one bot process against Telegram's ceiling for one bot (~30 msg/s).

Interleaved classic sessions as in bench_updates, but end to end as polling runs them: each
beat's updates journalled in the inbox in one commit, parsed, handled, marked done, and the step
timers firing as they fall due on the fake clock. Busy time is the sum of those; the
benchmark's own bookkeeping (building update JSON, finding due jobs) is left out.

Three runs: the CPU capacity (no network delay; this is the target's figure), then the same
work with a simulated round trip to the Bot API on every call, handled one update at a time
(PTB's default) and with chats handled concurrently.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass

from telegram import Update

from benchmarks.bench_updates import CLASSIC, WARM_GROUPS, admins_of, check_sessions, groups_from
from benchmarks.fake_api import LeanTelegram
from benchmarks.harness import REPRODUCE, Clock, note, pass_time, running_bot, table, verdict
from benchmarks.scenarios import build
from benchmarks.updates import UpdateFactory

TELEGRAM_MESSAGES_PER_SECOND = 30.0  # Bot API broadcast ceiling for one bot
TARGET_HEADROOM = 10.0
RTT_SECONDS = 0.040  # a typical round trip from a server to api.telegram.org


@dataclass(frozen=True)
class Setup:
    """One capacity run."""

    label: str
    groups: int
    concurrent: bool = False
    latency: float = 0.0


SETUPS = (
    Setup("CPU: no network, one at a time", 200),
    Setup(f"{RTT_SECONDS * 1000:.0f} ms RTT, one at a time (PTB default)", 10, latency=RTT_SECONDS),
    Setup(f"{RTT_SECONDS * 1000:.0f} ms RTT, chats concurrently", 50, True, RTT_SECONDS),
)


async def sustained(setup: Setup) -> dict:
    """Play the sessions with timers; return counts and busy time.

    concurrent=True hands each round (one update per chat) to the event loop at once, as
    PTB's concurrent_updates would with one chat's updates kept in order.
    """
    clock = Clock()
    warm, measured = groups_from(10_000, WARM_GROUPS), groups_from(1, setup.groups)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(warm, measured))
    async with running_bot(fake, clock) as running:
        app = running.app
        inbox = app.bot_data["services"].inbox
        for groups, timed in ((warm, False), (measured, True)):
            if timed:
                gc.collect()
                fake.latency = setup.latency
                sent_before, calls_before = fake.calls["sendMessage"], fake.total_calls
                wall_began = time.perf_counter()
            factory = UpdateFactory(fake.next_message_id, clock.timestamp)
            busy_updates = updates = jobs = 0
            runs: list[int] = []
            for beat in CLASSIC:
                batch = [build(beat, group, factory, fake) for group in groups]
                batch = [data for data in batch if data is not None]
                began = time.perf_counter_ns()
                if setup.concurrent and timed:
                    await inbox.receive(batch)  # journalled in one commit, chats concurrently
                    await inbox.drain()
                else:  # journalled and marked done in one commit each, handled one at a time
                    await running.repo.journal(batch, clock())
                    for data in batch:
                        await app.process_update(Update.de_json(data, app.bot))
                    await running.repo.settle_updates([d["update_id"] for d in batch], [])
                busy_updates += time.perf_counter_ns() - began
                updates += len(batch)
                together = setup.concurrent and timed
                jobs += await pass_time(running, beat.wait, runs.append, concurrent=together)
        wall = time.perf_counter() - wall_began
        fake.latency = 0.0
        check_sessions(running, len(warm) + len(measured))
        sent = fake.calls["sendMessage"] - sent_before
        calls = fake.total_calls - calls_before
    busy = (busy_updates + sum(runs)) / 1e9
    per_second = updates / busy
    return {
        "groups": setup.groups,
        "updates": updates,
        "jobs": jobs,
        "sent": sent,
        "api_calls": calls,
        "busy_updates_s": busy_updates / 1e9,
        "busy_timers_s": sum(runs) / 1e9,
        "wall_s": wall,
        "per_second": per_second,
        "sends_per_second": sent / busy,
        "sends_per_update": sent / updates,
        "calls_per_update": calls / updates,
        "headroom": per_second / TELEGRAM_MESSAGES_PER_SECOND,
        "message_headroom": sent / busy / TELEGRAM_MESSAGES_PER_SECOND,
        "binding_rate": TELEGRAM_MESSAGES_PER_SECOND / (sent / updates),
    }


async def main() -> None:
    """Print sustained throughput and the headroom over Telegram's ceiling."""
    runs = []
    for setup in SETUPS:
        runs.append(await sustained(setup))
        gc.collect()
    print(
        "Sustained capacity: interleaved classic sessions, timers firing;"
        " journal + de_json + process_update + marks + timer jobs timed.\n"
    )

    def line(label: str, key: str) -> list:
        return [label, *(r[key] for r in runs)]

    cpu = runs[0]
    rows = [
        line("groups (sessions open at once)", "groups"),
        line("user updates handled", "updates"),
        line("timer jobs run", "jobs"),
        line("Bot API calls (all methods)", "api_calls"),
        line("bot messages sent (sendMessage)", "sent"),
        line("busy time, updates (s)", "busy_updates_s"),
        line("busy time, timer jobs (s)", "busy_timers_s"),
        line("wall time incl. benchmark bookkeeping (s)", "wall_s"),
        line("sustained updates/s (updates / busy time)", "per_second"),
        line("bot messages/s the process could emit", "sends_per_second"),
        line("Bot API calls per user update", "calls_per_update"),
        line("bot messages per user update", "sends_per_update"),
        line("HEADROOM: updates/s / 30 msg/s", "headroom"),
        line("headroom per message: messages/s / 30", "message_headroom"),
        line("update rate at which replies hit the ceiling", "binding_rate"),
    ]
    print(table(["", *(s.label for s in SETUPS)], rows))
    print()
    note(
        f"Target: headroom (updates/s / 30) >= {TARGET_HEADROOM:.0f}x:"
        f" {verdict(cpu['headroom'] >= TARGET_HEADROOM)} ({cpu['headroom']:.1f}x, CPU column).",
        f"Stricter, per outgoing message (messages/s / 30): {cpu['message_headroom']:.1f}x ->"
        f" {verdict(cpu['message_headroom'] >= TARGET_HEADROOM)} against the same"
        f" {TARGET_HEADROOM:.0f}x (the bot sends {cpu['sends_per_update']:.2f} messages per"
        " update).",
        f"With a real network the bot waits {RTT_SECONDS * 1000:.0f} ms per Bot API call; handled"
        f" one at a time it then manages {runs[1]['per_second']:.0f} updates/s"
        f" ({verdict(runs[1]['headroom'] >= TARGET_HEADROOM)} against the target),"
        f" concurrently across chats {runs[2]['per_second']:.0f}.",
        "Telegram's ceiling binds at the update rate in the last row.",
        REPRODUCE.replace("<name>", "capacity"),
    )
