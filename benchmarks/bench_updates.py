"""Per-update cost of our bot against PTB itself, on the same lean in-process transport.

(a) Baseline: a plain PTB Application (same builder defaults: HTML parse mode, no rate
    limiter) whose one handler answers every text message with one send_message.
(b) Ours: the real Application running full classic sessions in many groups at once,
    interleaved round-robin (beat i of the script in every group, then beat i+1).
Both get the same stream of update JSON, delivered two ways:

- as the application runs it (the target's figure): each beat's updates are put on
  `application.update_queue` of the started application, as polling does, and the cost per
  update is the wall time until the queue is drained, divided by the updates. Each
  application runs its own way: PTB's default one update at a time, ours with chats
  concurrently (so many groups' writes share a commit). The baseline also runs with PTB's
  `concurrent_updates=True`, and the cheaper of its two ways is the one compared against.
- one at a time: `await process_update(update)` for each, timed alone: the latency of a lone
  update on an idle bot, where nothing can share its round trip.

`Update.de_json` (polling's work) is done before the clock starts in both.
"""

from __future__ import annotations

import contextlib
import gc
import html
import sqlite3
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
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
from bot import gc_tuning

GROUPS = 200  # sessions open at once
WARM_GROUPS = 10  # warm-up sessions (about 430 updates) in other chats before measuring
GET_UPDATES_LIMIT = 100  # updates Telegram returns per getUpdates call at most
RUNS = 3  # each side of the headline runs three times; the run with the lowest cost is reported
ALONE_RUNS = 2  # the slower one-at-a-time runs, twice
TARGET_RATIO = 2.0

COMMANDS = "command"
PLAIN = "plain message"
STREAM = "as the application runs"
ALONE = "one at a time"


@dataclass
class Sample:
    """Every timed update of one run."""

    ns: list[int] = field(default_factory=list)  # process_update latency of each update
    busy_ns: int = 0  # wall time spent processing (the cost)
    cpu_ns: int = 0  # the event loop thread's CPU time while processing
    trips: int = 0  # aiosqlite round trips
    by_kind: dict[str, list[tuple[int, int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # kind -> [(ns, loop CPU ns, round trips, Bot API calls)], one-at-a-time runs only
    sent: int = 0
    window_ns: list[int] = field(default_factory=list)  # Telegram's answer -> id committed

    @property
    def cost_us(self) -> float:
        """Mean cost per update: processing wall time / updates, µs."""
        return self.busy_ns / len(self.ns) / 1000

    def summary(self) -> tuple[int, float, float, float, float, float, float]:
        """(updates, updates/s, cost, p50, p99, loop CPU, trips) with times in µs."""
        ordered = sorted(self.ns)
        return (
            len(ordered),
            1e6 / self.cost_us,
            self.cost_us,
            percentile(ordered, 0.50) / 1000,
            percentile(ordered, 0.99) / 1000,
            self.cpu_ns / len(ordered) / 1000,
            self.trips / len(ordered),
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
    round_trips: Callable[[], int] = lambda: 0,
    stream: bool = False,
) -> None:
    """Play a session script in every group, interleaved, beat by beat.

    stream=False: await process_update for each update alone and time it.
    stream=True: hand the beat's updates over as polling would, parsing included, and time until
    they are handled: our bot journals each getUpdates batch (up to 100) in its inbox first; a
    plain PTB application gets them on its update_queue (latencies from timed_process_update).
    """
    factory = UpdateFactory(fake.next_message_id, clock.timestamp)
    perf, cpu = time.perf_counter_ns, time.thread_time_ns
    services = app.bot_data.get("services")
    for beat in script:
        batch = [data for data in (build(beat, group, factory, fake) for group in groups) if data]
        if stream and batch:  # a pause has no updates: nothing to put or wait for
            trips, cpu_began, began = round_trips(), cpu(), perf()
            if services is not None:
                for first in range(0, len(batch), GET_UPDATES_LIMIT):
                    await services.inbox.receive(batch[first : first + GET_UPDATES_LIMIT])
                await services.inbox.drain()
            else:
                for data in batch:
                    app.update_queue.put_nowait(Update.de_json(data, app.bot))
                await app.update_queue.join()
            if sample is not None:
                sample.busy_ns += perf() - began
                sample.cpu_ns += cpu() - cpu_began
                sample.trips += round_trips() - trips
        elif not stream:
            for update in (Update.de_json(data, app.bot) for data in batch):
                trips, calls, cpu_began, began = round_trips(), fake.total_calls, cpu(), perf()
                await app.process_update(update)
                took, cpu_took = perf() - began, cpu() - cpu_began
                if sample is not None:
                    trips = round_trips() - trips
                    sample.ns.append(took)
                    sample.busy_ns += took
                    sample.cpu_ns += cpu_took
                    sample.trips += trips
                    calls = fake.total_calls - calls
                    sample.by_kind[beat.kind].append((took, cpu_took, trips, calls))
        clock.advance(beat.wait)


@contextlib.asynccontextmanager
async def started(app: Application, sample: Sample):
    """Start the application as run_polling does (minus polling); time each process_update.

    A JobQueue scheduler already started paused stays paused: no timer fires in real time.
    """
    original = app.process_update

    async def timed_process_update(update: object) -> None:
        began = time.perf_counter_ns()
        try:
            await original(update)
        finally:
            sample.ns.append(time.perf_counter_ns() - began)

    app.process_update = timed_process_update
    await app.start()
    try:
        yield
    finally:
        await app.stop()
        del app.process_update


def groups_from(first: int, count: int) -> list[Group]:
    """`count` groups numbered from `first`."""
    return [make_group(number) for number in range(first, first + count)]


def admins_of(*groups: list[Group]) -> set[int]:
    """The facilitators' user ids (group admins)."""
    return {g.facilitator.user_id for some in groups for g in some}


# --- baseline ------------------------------------------------------------------------------------


def baseline_application(fake: LeanTelegram, *, concurrent: bool = False) -> Application:
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
        .concurrent_updates(concurrent)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def run_baseline(
    groups: int = GROUPS, *, stream: bool = False, concurrent: bool = False, tuned: bool = False
) -> Sample:
    """One baseline run: warm up, then the measured stream. tuned: with the garbage collector
    tuned as our bot tunes it (bot/gc_tuning.py), so the comparison is like for like."""
    clock = Clock()
    warm, measured = groups_from(10_000, WARM_GROUPS), groups_from(1, groups)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(warm, measured))
    app = baseline_application(fake, concurrent=concurrent)
    sample = Sample()
    await app.initialize()
    if tuned:
        gc_tuning.tune()
    try:
        async with started(app, sample) if stream else contextlib.nullcontext():
            await play(app, fake, clock, warm, CLASSIC, stream=stream)
            gc.collect()
            sample.ns.clear()
            sent = fake.calls["sendMessage"]
            await play(app, fake, clock, measured, CLASSIC, sample=sample, stream=stream)
            sample.sent = fake.calls["sendMessage"] - sent
    finally:
        if tuned:
            gc_tuning.restore()
        await app.shutdown()
    return sample


# --- ours ----------------------------------------------------------------------------------------


async def run_ours(
    groups: int = GROUPS,
    *,
    stream: bool = False,
    profile: str | None = None,
    what_if: tuple[str, ...] = (),
) -> Sample:
    """One run of our bot: warm up in other chats, then `groups` interleaved sessions.

    what_if may name "no_hop" (see benchmarks/what_if.py).
    """
    clock = Clock()
    warm, measured = groups_from(10_000, WARM_GROUPS), groups_from(1, groups)
    fake = LeanTelegram(clock.timestamp, admins=admins_of(warm, measured))
    sample = Sample()
    async with running_bot(fake, clock, paused_scheduler=True) as running:
        time_the_window(running.repo, sample)
        with contextlib.ExitStack() as patches:
            if "no_hop" in what_if:
                db = running.repo.db
                patches.enter_context(
                    what_if_module.writes_on_loop_thread(db, str(running.database))
                )
            async with started(running.app, sample) if stream else contextlib.nullcontext():
                await measured_run(running, clock, warm, measured, sample, stream, profile)
        check_sessions(running, len(warm) + len(measured))
    return sample


def time_the_window(repo, sample: Sample) -> None:
    """Time the duplicate window: from Telegram's answer to a stored message until its id
    is committed (the outbox's one statement after a send)."""
    mark = repo.outbox_sent

    async def timed(item, message_id, now):
        began = time.perf_counter_ns()
        try:
            await mark(item, message_id, now)
        finally:
            sample.window_ns.append(time.perf_counter_ns() - began)

    repo.outbox_sent = timed


async def measured_run(
    running, clock: Clock, warm, measured, sample: Sample, stream: bool, profile: str | None
) -> None:
    """Warm up, then play and time the measured groups (optionally under cProfile)."""
    fake, app = running.fake, running.app
    await play(app, fake, clock, warm, CLASSIC, stream=stream)
    gc.collect()
    sample.ns.clear()
    sent = fake.calls["sendMessage"]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    await play(
        app,
        fake,
        clock,
        measured,
        CLASSIC,
        sample=sample,
        round_trips=running.round_trips,
        stream=stream,
    )
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    sample.sent = fake.calls["sendMessage"] - sent


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


def _cost(sample: Sample) -> float:
    return sample.cost_us


# --- report --------------------------------------------------------------------------------------


KIND_HEADERS = ["kind", "category", "count", "mean µs", "p50 µs", "p99 µs", "loop CPU µs",
                "DB trips", "API calls", "% of time"]  # fmt: skip


@dataclass
class Line:
    """One row of the main table: the best of its runs."""

    name: str
    mode: str
    runs: list[Sample]

    @property
    def best(self) -> Sample:
        """The run with the lowest cost."""
        return min(self.runs, key=_cost)

    @property
    def median_cost_us(self) -> float:
        """The median run's cost (a check that the best run was not a lucky one)."""
        return statistics.median(run.cost_us for run in self.runs)


def report(lines: list[Line], baseline: Line, ours: Line, alone: tuple[Line, Line]) -> float:
    """Print the tables; return the ratio of costs as the applications run."""
    ratio = ours.best.cost_us / baseline.best.cost_us
    median_ratio = ours.median_cost_us / baseline.median_cost_us
    alone_ratio = alone[1].best.cost_us / alone[0].best.cost_us
    per_session = updates_per_session(CLASSIC)
    print(
        f"Per-update cost: {GROUPS} groups x 5 members + facilitator, full classic sessions"
        f" interleaved ({per_session} updates each; {GROUPS} sessions open at once).\n"
        f"Warm-up {WARM_GROUPS} sessions; best of {RUNS} runs ({ALONE_RUNS} one at a time).\n"
    )
    headers = ["", "delivery", "updates", "updates/s", "cost µs", "p50 µs", "p99 µs",
               "loop CPU µs", "DB trips", "sends/upd", "x baseline", "run costs µs"]  # fmt: skip
    rows = [
        [
            line.name,
            line.mode,
            *line.best.summary(),
            line.best.sent / len(line.best.ns),
            line.best.cost_us / (baseline if line.mode == STREAM else alone[0]).best.cost_us,
            " / ".join(f"{run.cost_us:.0f}" for run in line.runs),
        ]
        for line in lines
    ]
    print(table(headers, rows, left=(0, 1)))
    print()
    note(
        f"Ratio ours/baseline of the mean cost per update, as each application runs: {ratio:.2f}"
        f" between the best runs, {median_ratio:.2f} between the median runs (target <="
        f" {TARGET_RATIO:.1f} for both): {verdict(max(ratio, median_ratio) <= TARGET_RATIO)}."
        f" The baseline is the cheapest of PTB's ways ({baseline.name}); ours runs with the"
        " garbage collector tuned (bot/gc_tuning.py), and so may the baseline.",
        f"One update at a time (latency of a lone update, no commit to share): {alone_ratio:.2f}.",
        "cost = processing wall time / updates; updates/s = 1 / cost. p50/p99 = process_update"
        " latency (as the application runs: including the wait for the chat's lock and the"
        " shared commit). loop CPU = CPU time of the event loop's thread per update; the rest of"
        " the cost is waiting (mostly for aiosqlite's thread). DB trips = aiosqlite round trips"
        " per update.",
        "what-if rows: benchmark-only monkeypatches (benchmarks/what_if.py) that measure what a"
        " change would save; no project code is changed.",
    )
    print()
    print_kinds(alone[1].best)
    return ratio


def print_kinds(ours: Sample) -> None:
    """Cost by update kind and the distribution of round trips (one-at-a-time run)."""
    print("Ours one at a time, by update kind: cost, aiosqlite round trips, Bot API calls")
    rows = []
    for kind, items in sorted(ours.by_kind.items(), key=lambda kv: (category(kv[0]), kv[0])):
        rows.append([kind, category(kind), *_kind_figures(items, ours)])
    all_items = [i for items in ours.by_kind.values() for i in items]
    rows.append(["all updates", "", *_kind_figures(all_items, ours)])
    print(table(KIND_HEADERS, rows, left=(0, 1)))
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


def _kind_figures(items: list[tuple[int, int, int, int]], ours: Sample) -> list:
    ns = sorted(i[0] for i in items)
    return [
        len(items),
        sum(ns) / len(ns) / 1000,
        percentile(ns, 0.5) / 1000,
        percentile(ns, 0.99) / 1000,
        sum(i[1] for i in items) / len(items) / 1000,
        sum(i[2] for i in items) / len(items),
        sum(i[3] for i in items) / len(items),
        100 * sum(ns) / ours.busy_ns,
    ]


async def main() -> None:
    """Baseline and ours, both ways, each best of RUNS, then the report."""
    sides: list[tuple[str, str, Callable]] = [
        ("baseline: PTB default", STREAM, lambda: run_baseline(stream=True)),
        (
            "baseline: PTB concurrent_updates",
            STREAM,
            lambda: run_baseline(stream=True, concurrent=True),
        ),
        (
            "baseline: PTB default, collector tuned",
            STREAM,
            lambda: run_baseline(stream=True, tuned=True),
        ),
        ("ours: real Application", STREAM, lambda: run_ours(stream=True)),
        ("baseline: PTB default", ALONE, run_baseline),
        ("ours: real Application", ALONE, run_ours),
    ]
    lines = [Line(name, mode, []) for name, mode, _ in sides]
    for number in range(RUNS):  # alternate, so a burst of load elsewhere hits both sides alike
        for line, (_, mode, run) in zip(lines, sides, strict=True):
            if mode == STREAM or number < ALONE_RUNS:
                line.runs.append(await run())
                gc.collect()
    what_if = Line("what-if: DB work on the loop thread", STREAM, [])
    what_if.runs.append(await run_ours(stream=True, what_if=("no_hop",)))
    baseline = min(lines[:3], key=lambda line: line.best.cost_us)
    report([*lines, what_if], baseline, lines[3], (lines[4], lines[5]))
    report_window(lines[3], lines[5])


def report_window(loaded: Line, alone: Line) -> None:
    """How long a crash could make a stored message go out twice."""
    figures = []
    for line, how in ((loaded, "with 200 sessions at once"), (alone, "one update at a time")):
        spans = sorted(ns / 1000 for run in line.runs for ns in run.window_ns)
        if spans:
            mean = sum(spans) / len(spans)
            figures.append(
                f"{how}: mean {mean:,.0f} µs, p99 {percentile(spans, 0.99):,.0f} µs"
                f" ({len(spans):,} sends)"
            )
    note(
        "Duplicate window (Telegram answered a stored message -> its id committed; one UPDATE"
        " that waits for the commit in flight): " + "; ".join(figures) + "."
    )


if __name__ == "__main__":  # profiling: python -m benchmarks.bench_updates out.prof [stream]
    import asyncio
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else tempfile.mktemp(suffix=".prof")
    asyncio.run(run_ours(profile=target, stream="stream" in sys.argv[2:]))
    print(f"profile written to {target}")
