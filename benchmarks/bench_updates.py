"""Per-update cost of our bot against PTB itself, on the same lean in-process transport.

(a) Baseline: a plain PTB Application (same builder defaults: HTML parse mode, no rate
    limiter) whose one handler answers every text message with one send_message.
(b) Ours: the real Application running full classic sessions in many groups at once,
    interleaved round-robin (beat i of the script in every group, then beat i+1).
Both get the same stream of update JSON; only `process_update` is timed.
"""

from __future__ import annotations

import contextlib
import gc
import html
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults, MessageHandler, filters

from benchmarks import what_if as what_if_module
from benchmarks.fake_api import LeanTelegram
from benchmarks.harness import (
    REPRODUCE,
    TOKEN,
    Clock,
    note,
    percentile,
    running_bot,
    table,
    verdict,
)
from benchmarks.scenarios import CLASSIC, Beat, build, updates_per_session
from benchmarks.updates import Group, UpdateFactory, make_group

GROUPS = 200  # sessions open at once
WARM_GROUPS = 10  # warm-up sessions (about 430 updates) in other chats before measuring
RUNS = 2  # each side runs twice; the run with the lower mean is reported
TARGET_RATIO = 2.0

COMMANDS = "command"
PLAIN = "plain message"


@dataclass
class Sample:
    """Every timed update of one run."""

    ns: list[int] = field(default_factory=list)
    cpu_ns: int = 0  # the event loop thread's CPU time inside process_update
    by_kind: dict[str, list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # kind -> [(ns, loop CPU ns, round trips, Bot API calls)]
    wall_s: float = 0.0
    sent: int = 0

    def add(self, kind: str, ns: int, cpu_ns: int, trips: int, calls: int) -> None:
        """Record one update."""
        self.ns.append(ns)
        self.cpu_ns += cpu_ns
        self.by_kind[kind].append((ns, cpu_ns, trips, calls))

    @property
    def mean_us(self) -> float:
        """Mean cost per update, µs."""
        return sum(self.ns) / len(self.ns) / 1000

    @property
    def cpu_us(self) -> float:
        """Mean CPU time of the event loop's thread per update, µs."""
        return self.cpu_ns / len(self.ns) / 1000

    def summary(self) -> tuple[int, float, float, float, float, float]:
        """(updates, updates/s, mean, p50, p99, loop CPU) with times in µs."""
        ordered = sorted(self.ns)
        return (
            len(ordered),
            1e6 / self.mean_us,
            self.mean_us,
            percentile(ordered, 0.50) / 1000,
            percentile(ordered, 0.99) / 1000,
            self.cpu_us,
        )


def category(kind: str) -> str:
    """Commands versus plain messages (and button presses)."""
    return COMMANDS if kind.startswith("/") else PLAIN


async def play(
    app: Application,
    fake: LeanTelegram,
    clock: Clock,
    groups: list[Group],
    script: list[Beat],
    *,
    sample: Sample | None = None,
    round_trips=lambda: 0,
) -> None:
    """Play a session script in every group, interleaved; time each process_update."""
    factory = UpdateFactory(fake.next_message_id, clock.timestamp)
    bot = app.bot
    perf, cpu = time.perf_counter_ns, time.thread_time_ns
    for beat in script:
        for group in groups:
            data = build(beat, group, factory, fake)
            if data is None:
                continue
            update = Update.de_json(data, bot)
            trips, calls = round_trips(), fake.total_calls
            cpu_began = cpu()
            began = perf()
            await app.process_update(update)
            took = perf() - began
            cpu_took = cpu() - cpu_began
            if sample is not None:
                sample.add(
                    beat.kind, took, cpu_took, round_trips() - trips, fake.total_calls - calls
                )
        clock.advance(beat.wait)


def groups_from(first: int, count: int) -> list[Group]:
    """`count` groups numbered from `first`."""
    return [make_group(number) for number in range(first, first + count)]


def admins_of(*groups: list[Group]) -> set[int]:
    """The facilitators' user ids (group admins)."""
    return {g.facilitator.user_id for some in groups for g in some}


# --- baseline ------------------------------------------------------------------------------------


def baseline_application(fake: LeanTelegram) -> Application:
    """A plain PTB Application: same defaults as ours, one handler, one send_message."""

    async def echo(update: Update, context) -> None:
        await context.bot.send_message(
            update.effective_chat.id, html.escape(update.effective_message.text)
        )

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(True))
        )
        .request(fake)
        .get_updates_request(fake)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def run_baseline(groups: int = GROUPS) -> Sample:
    """One baseline run: warm up, then the measured stream."""
    clock = Clock()
    warm, measured = groups_from(10_000, WARM_GROUPS), groups_from(1, groups)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(warm, measured))
    app = baseline_application(fake)
    await app.initialize()
    try:
        await play(app, fake, clock, warm, CLASSIC)
        gc.collect()
        sample = Sample()
        sent = fake.calls["sendMessage"]
        began = time.perf_counter()
        await play(app, fake, clock, measured, CLASSIC, sample=sample)
        sample.wall_s = time.perf_counter() - began
        sample.sent = fake.calls["sendMessage"] - sent
    finally:
        await app.shutdown()
    return sample


# --- ours ----------------------------------------------------------------------------------------


async def run_ours(
    groups: int = GROUPS, profile: str | None = None, what_if: tuple[str, ...] = ()
) -> Sample:
    """One run of our bot: warm up in other chats, then `groups` interleaved sessions.

    what_if may name "fast_timers" and "no_hop" (see benchmarks/what_if.py).
    """
    clock = Clock()
    warm, measured = groups_from(10_000, WARM_GROUPS), groups_from(1, groups)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(warm, measured))
    async with running_bot(fake, clock) as running:
        with contextlib.ExitStack() as patches:
            if "fast_timers" in what_if:
                patches.enter_context(what_if_module.fast_timers())
            if "no_hop" in what_if:
                db = running.repo.db
                patches.enter_context(
                    what_if_module.writes_on_loop_thread(db, str(running.database))
                )
            sample = await measured_run(running, clock, warm, measured, profile)
        check_sessions(running, len(warm) + len(measured))
    return sample


async def measured_run(running, clock: Clock, warm, measured, profile: str | None) -> Sample:
    """Warm up, then play and time the measured groups (optionally under cProfile)."""
    fake, app = running.fake, running.app
    await play(app, fake, clock, warm, CLASSIC, round_trips=running.round_trips)
    gc.collect()
    sample = Sample()
    sent = fake.calls["sendMessage"]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began = time.perf_counter()
    await play(app, fake, clock, measured, CLASSIC, sample=sample, round_trips=running.round_trips)
    sample.wall_s = time.perf_counter() - began
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    sample.sent = fake.calls["sendMessage"] - sent
    return sample


def check_sessions(running, expected: int) -> None:
    """Every session ran to its end without a handler error (else the figures lie)."""
    if running.errors:
        raise RuntimeError(f"handler errors during the benchmark: {running.errors[:3]!r}")
    conn = sqlite3.connect(running.database)
    try:
        closed = conn.execute(
            "SELECT count(*) FROM sessions WHERE closed_at IS NOT NULL"
        ).fetchone()
    finally:
        conn.close()
    if closed[0] != expected:
        raise RuntimeError(f"{closed[0]} sessions closed, expected {expected}")


def _mean(sample: Sample) -> float:
    return sample.mean_us


# --- report --------------------------------------------------------------------------------------


KIND_HEADERS = ["kind", "category", "count", "mean µs", "p50 µs", "p99 µs", "loop CPU µs",
                "DB trips", "API calls", "% of time"]  # fmt: skip
WHAT_IFS = (
    ("what-if: timers armed/disarmed by id", ("fast_timers",)),
    ("what-if: + DB work on the loop thread", ("fast_timers", "no_hop")),
)


def report(
    base: Sample,
    base_means: list[float],
    ours: Sample,
    our_means: list[float],
    what_ifs: list[tuple[str, Sample, list[float]]],
) -> float:
    """Print the tables; return the ratio of mean costs."""
    ratio = ours.mean_us / base.mean_us
    per_session = updates_per_session(CLASSIC)
    print(
        f"Per-update cost: {GROUPS} groups x 5 members + facilitator, full classic sessions"
        f" interleaved ({per_session} updates each; {GROUPS} sessions open at once).\n"
        f"Only process_update is timed; warm-up {WARM_GROUPS} sessions; best of {RUNS} runs.\n"
    )

    def row(name: str, sample: Sample, means: list[float]) -> list:
        return [
            name,
            *sample.summary(),
            sample.sent / len(sample.ns),
            sample.mean_us / base.mean_us,
            _runs(means),
        ]

    rows = [
        row("baseline: PTB, one send_message", base, base_means),
        row("ours: real Application", ours, our_means),
        *(row(name, sample, means) for name, sample, means in what_ifs),
    ]
    headers = ["", "updates", "updates/s", "mean µs", "p50 µs", "p99 µs", "loop CPU µs",
               "sends/upd", "x baseline", "run means µs"]  # fmt: skip
    print(table(headers, rows))
    print()
    note(
        f"Ratio ours/baseline of the mean cost per update: {ratio:.2f}"
        f" (target <= {TARGET_RATIO:.1f}): {verdict(ratio <= TARGET_RATIO)}",
        "updates/s = 1 / mean process_update time (one event loop, updates one at a time, as"
        " PTB polls by default). loop CPU = CPU time of the event loop's thread per update; the"
        " rest of the mean is waiting (mostly for aiosqlite's thread).",
        "what-if rows: benchmark-only monkeypatches (benchmarks/what_if.py) that measure what a"
        " suggested change would save; no project code is changed.",
    )
    print()
    print(
        "Ours by update kind (best run): cost, aiosqlite round trips and Bot API calls per update"
    )
    rows = []
    for kind, items in sorted(ours.by_kind.items(), key=lambda kv: (category(kv[0]), kv[0])):
        ns = sorted(i[0] for i in items)
        rows.append(
            [
                kind,
                category(kind),
                len(items),
                sum(ns) / len(ns) / 1000,
                percentile(ns, 0.5) / 1000,
                percentile(ns, 0.99) / 1000,
                sum(i[1] for i in items) / len(items) / 1000,
                sum(i[2] for i in items) / len(items),
                sum(i[3] for i in items) / len(items),
                100 * sum(ns) / sum(ours.ns),
            ]
        )
    all_items = [i for items in ours.by_kind.values() for i in items]
    rows.append(
        [
            "all updates",
            "",
            len(all_items),
            ours.mean_us,
            percentile(sorted(ours.ns), 0.5) / 1000,
            percentile(sorted(ours.ns), 0.99) / 1000,
            ours.cpu_us,
            sum(i[2] for i in all_items) / len(all_items),
            sum(i[3] for i in all_items) / len(all_items),
            100.0,
        ]
    )
    print(
        table(
            KIND_HEADERS,
            rows,
            left=(0, 1),
        )
    )
    print()
    print("Distribution of aiosqlite round trips per update (share of updates)")
    rows = []
    for name in (PLAIN, COMMANDS):
        trips = Counter(
            min(i[2], 4)
            for kind, items in ours.by_kind.items()
            if category(kind) == name
            for i in items
        )
        total = sum(trips.values())
        rows.append([name, total, *(f"{100 * trips.get(n, 0) / total:.1f}%" for n in range(5))])
    print(table(["category", "updates", "0", "1", "2", "3", "4+"], rows))
    print()
    note(
        "DB trips = increments of Database.round_trips (one per aiosqlite hop) during the"
        " update; API calls = Bot API requests the update made (sendMessage, getChatMember, ...).",
        REPRODUCE.replace("<name>", "updates"),
    )
    return ratio


def _runs(means: list[float]) -> str:
    return " / ".join(f"{m:.0f}" for m in means)


async def main() -> None:
    """Baseline and ours, each best of RUNS, then the report."""
    bases, ourses = [], []
    variants: dict[str, list[Sample]] = {name: [] for name, _ in WHAT_IFS}
    for _ in range(RUNS):  # alternate, so a burst of load elsewhere hits both sides alike
        bases.append(await run_baseline())
        gc.collect()
        ourses.append(await run_ours())
        gc.collect()
    for name, patches in WHAT_IFS:  # one run each: they estimate a saving, not a verdict
        variants[name].append(await run_ours(what_if=patches))
        gc.collect()
    base, base_means = min(bases, key=_mean), [s.mean_us for s in bases]
    ours, our_means = min(ourses, key=_mean), [s.mean_us for s in ourses]
    what_ifs = [
        (name, min(samples, key=_mean), [s.mean_us for s in samples])
        for name, samples in variants.items()
    ]
    report(base, base_means, ours, our_means, what_ifs)


if __name__ == "__main__":  # profiling: python -m benchmarks.bench_updates out.prof
    import asyncio
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else tempfile.mktemp(suffix=".prof")
    asyncio.run(run_ours(profile=target))
    print(f"profile written to {target}")
