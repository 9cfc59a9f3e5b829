"""A crash at any point of a classic session loses nothing, repeats nothing, resumes in place.

Hypothesis draws where the process dies (between two updates or timer firings, or between
persisting a transition and sending its message); the script then goes on in a new Application
on the same database file, as `python -m bot` would after a restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram.error import NetworkError

from fake_telegram import Group, Speaker, network_error
from tests.conftest import BotUnderTest
from tests.e2e.helpers import armed_like_pending_rows, pass_time, query
from tests.faults.helpers import MINUTE_LEFT, TIME_UP, fresh_bot, sends, snapshot


@dataclass
class Run:
    """One run of the script: the people, and what the script expects so far."""

    bot: BotUnderTest
    group: Group
    fac: Speaker
    ann: Speaker
    ben: Speaker
    cat: Speaker
    dan: Speaker
    recorded: dict[int, tuple[str, int]] = field(default_factory=dict)  # message id: kind, step
    phase: str = "none"
    step: int = 0

    async def said(self, who: Speaker, text: str, kind: str, *, reply: bool = False) -> None:
        """A member's message that the bot records as a contribution of the current step."""
        if reply:
            sent = await who.reply(self.group.last_bot_message(), text)
        else:
            sent = await who.say(text)
        self.recorded[sent.message_id] = (kind, self.step)

    async def command(self, who: Speaker, text: str, kind: str | None = None) -> None:
        """A command; `kind` when the bot records its argument as a contribution."""
        sent = await who.command(text)
        if kind is not None:
            self.recorded[sent.message_id] = (kind, self.step)

    async def next_step(self) -> None:
        """The facilitator's /next."""
        await self.fac.command("/next")
        if self.step == 5:
            self.phase = "closed"
        else:
            self.step += 1


Op = Callable[[Run], Awaitable[None]]


async def start_session(run: Run) -> None:
    await run.command(run.fac, "/session classic")
    run.phase = "choose_holder"


async def volunteer(run: Run) -> None:
    run.phase = "step"
    await run.command(run.ann, "/topic Staff leave early on Fridays", "topic")


async def present(run: Run) -> None:
    await run.said(run.ann, "Since March, half of the night shift leaves at 3pm.", "topic")


async def three_minutes(run: Run) -> None:
    await pass_time(run.bot, minutes=3)


async def next_step(run: Run) -> None:
    await run.next_step()


async def ben_asks(run: Run) -> None:
    await run.said(run.ben, "Who else is involved?", "question")


async def cat_replies(run: Run) -> None:
    await run.said(run.cat, "When did it start?", "question", reply=True)


async def dan_asks_by_command(run: Run) -> None:
    await run.command(run.dan, "/q How many people leave early?", "question")


async def until_warning(run: Run) -> None:
    await pass_time(run.bot, minutes=9)


async def until_time_up(run: Run) -> None:
    await pass_time(run.bot, minutes=1)


async def cat_probes(run: Run) -> None:
    await run.said(run.cat, "What would success look like for you?", "question")


async def ann_reframes(run: Run) -> None:
    await run.said(run.ann, "The night shift has no say in the rota.", "reframe")


async def ann_commits(run: Run) -> None:
    await run.command(run.ann, "/action Hold a rota meeting with the night shift", "action")


async def ben_learns(run: Run) -> None:
    await run.said(run.ben, "I learned to ask before advising.", "learning")


# (operation, whether it makes the bot send a message)
SCRIPT: list[tuple[Op, bool]] = [
    (start_session, True),
    (volunteer, True),
    (present, False),
    (three_minutes, False),  # the 5-minute step's timers are not due yet: nothing is sent
    (next_step, True),
    (ben_asks, False),
    (cat_replies, False),
    (dan_asks_by_command, False),
    (until_warning, True),
    (until_time_up, True),
    (next_step, True),
    (cat_probes, False),
    (next_step, True),
    (ann_reframes, False),
    (next_step, True),
    (ann_commits, True),
    (next_step, True),
    (ben_learns, False),
    (next_step, True),
]


def new_run(bot: BotUnderTest) -> Run:
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    people = [group.member(name) for name in ("Ann", "Ben", "Cat", "Dan")]
    return Run(bot, group, fac, *people)


def stored_contributions(bot: BotUnderTest) -> list[tuple[int, str, int]]:
    rows = query(bot, "SELECT message_id, kind, step_index FROM contributions ORDER BY id")
    return [(row["message_id"], row["kind"], row["step_index"]) for row in rows]


def assert_contributions_kept(run: Run) -> None:
    """Every acknowledged contribution is stored exactly once, against the right step."""
    stored = stored_contributions(run.bot)
    ids = [message_id for message_id, _, _ in stored]
    assert len(ids) == len(set(ids)), f"a contribution is stored twice: {stored}"
    assert {m: (k, s) for m, k, s in stored} == run.recorded


def assert_session_where_expected(run: Run) -> None:
    """The stored session is at the step (and phase) the script has reached."""
    rows = query(run.bot, "SELECT phase, step_index FROM sessions")
    if run.phase == "none":
        assert rows == []
        return
    ((phase, step),) = [(row["phase"], row["step_index"]) for row in rows]
    assert phase == run.phase
    if run.phase != "choose_holder":
        assert step == run.step


def timer_notices_per_step(group: Group) -> dict[str, list[int]]:
    """[minute-left, time-up] notices after each step message ("Step 2/6"), until the next."""
    counts: dict[str, list[int]] = {}
    current = "before the first step"
    for text in group.bot_texts():
        if text.startswith("Step "):
            current = text.split(" ")[1]
            counts.setdefault(current, [0, 0])
        elif text == MINUTE_LEFT:
            counts.setdefault(current, [0, 0])[0] += 1
        elif text.startswith(TIME_UP):
            counts.setdefault(current, [0, 0])[1] += 1
    return counts


async def crash(run: Run) -> None:
    """The process dies; a new one starts on the same file and may get the last update again."""
    bot = run.bot
    last_update = bot.tg.fed[-1] if bot.tg.fed else None
    await bot.restart(crash=True)
    assert armed_like_pending_rows(bot), "sent or cancelled rows re-armed, or pending ones lost"
    assert_contributions_kept(run)
    assert_session_where_expected(run)
    if last_update is not None:
        before, sent_before = snapshot(bot), sends(bot)
        await bot.tg.replay(last_update)  # Telegram re-delivers the unconfirmed update
        assert snapshot(bot) == before, "a re-delivered update changed stored state"
        assert sends(bot) == sent_before, "a re-delivered update made the bot speak again"
        assert armed_like_pending_rows(bot)


async def run_script(crash_at: int, mid_send: bool) -> None:
    async with fresh_bot() as bot:
        run = new_run(bot)
        for index, (op, speaks) in enumerate(SCRIPT):
            if index == crash_at and mid_send and speaks:
                # Die after the transition is stored, before its message reaches Telegram.
                bot.fake.fail_next("sendMessage", network_error())
                bot.tg.raise_errors = False
                await op(run)
                bot.tg.raise_errors = True
                assert all(isinstance(e, NetworkError) for e in bot.tg.errors), bot.tg.errors
                await crash(run)
                continue
            if index == crash_at:
                await crash(run)
            await op(run)
        if crash_at == len(SCRIPT):
            await crash(run)

        assert run.phase == "closed"
        assert_session_where_expected(run)
        assert_contributions_kept(run)
        assert len(query(bot, "SELECT * FROM actions")) == 1
        notices = timer_notices_per_step(run.group)
        assert all(warnings <= 1 and time_ups <= 1 for warnings, time_ups in notices.values())
        assert notices["2/6"] == [1, 1], run.group.bot_texts()  # none lost: the outbox keeps them
        assert query(bot, "SELECT * FROM scheduled WHERE status = 'pending'") == []
        assert bot.jobs() == []
        assert not [e for e in bot.tg.errors if not isinstance(e, NetworkError)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(crash_at=st.integers(min_value=0, max_value=len(SCRIPT)), mid_send=st.booleans())
@example(crash_at=0, mid_send=False)  # before anything happened
@example(crash_at=9, mid_send=True)  # "time is up" lost between its row and its message
@example(crash_at=len(SCRIPT) - 1, mid_send=True)  # the summary lost after the close is stored
@example(crash_at=len(SCRIPT), mid_send=False)  # after the close: the closing /next comes again
async def test_a_crash_anywhere_loses_nothing_and_repeats_nothing(crash_at, mid_send):
    await run_script(crash_at, mid_send)


async def test_the_script_without_a_crash_is_the_baseline():
    await run_script(crash_at=-1, mid_send=False)


async def test_the_closing_next_delivered_again_after_a_crash_says_nothing():
    """Telegram re-delivers the last unconfirmed update after a crash: here the closing /next."""
    async with fresh_bot() as bot:
        run = new_run(bot)
        for op, _ in SCRIPT:
            await op(run)
        closing = bot.tg.fed[-1]
        await bot.restart(crash=True)
        seen = len(run.group.bot_texts())
        await bot.tg.replay(closing)
        assert run.group.bot_texts()[seen:] == []
