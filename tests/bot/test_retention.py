"""/retention and the daily sweep: the set is told a week before, words older than the set keeps
them are erased, and the log keeps its shape (counts, actions and outcomes, dates)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

from bot.retention_sweep import SWEEP
from tests.bot.test_follow_up import committed_session
from tests.bot.test_log_and_settings import two_sessions_and_a_follow_up
from tests.conftest import due_time
from tests.e2e.helpers import query

ERASED = "(erased after the retention period)"
NOTICE = "🗂 Facilitators: from"
# The words of two_sessions_and_a_follow_up, and its open actions' words (kept while open).
WORDS = (
    "Night staff leave early",
    "Cold chain breaks at the weekend",
    "Supervisors need numbers",
    "I learned to ask before advising",
)
OPEN_ACTIONS = ("Call the night supervisor", "Ask the district for a weekend fridge check")


def sweep_job(bot):
    """The armed retention sweep (one job)."""
    (job,) = bot.app.job_queue.get_jobs_by_name(SWEEP)
    return job


async def run_sweep(bot) -> None:
    """Run the retention sweep now, as APScheduler would when its job is due."""
    job = sweep_job(bot)
    job.schedule_removal()
    await job.run(bot.app)


async def sweeps_until(bot, moment: datetime) -> int:
    """Let the days pass until `moment`, each due sweep running on time; returns how many ran.
    A jump over several days runs the one overdue sweep, as after the bot was down."""
    ran = 0
    while due_time(sweep_job(bot)) <= moment:
        bot.clock.now = max(due_time(sweep_job(bot)), bot.clock.now)
        await run_sweep(bot)
        ran += 1
    bot.clock.now = moment
    return ran


def notices(group) -> list[str]:
    return [text for text in group.bot_texts() if text.startswith(NOTICE)]


def words_anywhere(bot) -> str:
    """Every stored text that could hold members' words."""
    return str(
        query(bot, "SELECT topic, reframe, state FROM sessions")
        + query(bot, "SELECT text FROM contributions")
        + query(bot, "SELECT text, success_sign, help_needed, learning FROM actions")
    )


async def exported(bot, group, fac) -> tuple[str, list[dict]]:
    await fac.command("/export")
    markdown, table, said, _ = group.documents()[-4:]
    assert "contributions" in said.filename  # what was said is checked through the Markdown
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    return markdown.content.decode("utf-8"), rows


async def test_a_facilitator_sets_the_retention_and_everyone_sees_it(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await ann.command("/retention")
    assert group.bot_texts()[-1].startswith("🗂 Members' words are kept for 12 months after")
    await fac.command("/retention 6m")
    assert group.bot_texts()[-1].startswith("🗂 Done. Members' words are kept for 6 months")
    assert "/export" in group.bot_texts()[-1]
    assert bot.rows("SELECT retention_months FROM sets") == [(6,)]
    await ann.command("/settings")
    assert "Members' words kept: 6 months (/retention)" in group.bot_texts()[-1]
    await ann.command("/privacy")
    assert "Members' words are kept for 6 months after" in group.bot_texts()[-1]

    await ann.command("/retention off")
    assert (
        group.bot_texts()[-1].startswith("Only facilitators")
        and "/retention" in (group.bot_texts()[-1])
    )
    await fac.command("/retention 3m")
    assert group.bot_texts()[-1] == "Choose one of: 6m | 12m | 24m | off. Example: /retention 12m"
    assert bot.rows("SELECT retention_months FROM sets") == [(6,)]
    await fac.command("/retention off")
    await ann.command("/privacy")
    assert "kept until they remove them with /forget" in group.bot_texts()[-1]
    await ann.command("/settings")
    assert "Members' words kept: until removed (off)" in group.bot_texts()[-1]


async def test_the_join_notice_says_how_long_words_are_kept(bot):
    group = bot.tg.group("Set B", bot_status="left")
    fac = group.member("Fatou", admin=True)
    await bot.tg.bot_added(group, by=fac)
    assert "kept for 12 months" in group.bot_texts()[-1]


async def test_told_a_week_before_once_then_erased_with_the_log_keeping_its_shape(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)  # closed 23 Nov 2026
    contributions = query(bot, "SELECT id, session_id, kind, user_id FROM contributions")
    markdown, table = await exported(bot, group, fac)
    counts = [line for line in markdown.splitlines() if "Questions" in line]

    await sweeps_until(bot, datetime(2027, 11, 16, tzinfo=UTC))
    assert notices(group) == [], "too early: the words pass the limit in more than a week"
    await sweeps_until(bot, datetime(2027, 11, 23, tzinfo=UTC))  # a sweep a day, at 09:01
    (notice,) = notices(group)  # told once, however many sweeps ran since
    assert "from November 23, 2027" in notice and "ended before December 23, 2026" in notice
    assert "12 months" in notice and "/export" in notice
    assert all(word in words_anywhere(bot) for word in WORDS), "a week after the notice, not before"

    await sweeps_until(bot, datetime(2027, 11, 24, 12, tzinfo=UTC))
    stored = words_anywhere(bot)
    assert not [word for word in WORDS if word in stored]
    assert all(word in stored for word in OPEN_ACTIONS), "an open action keeps its words"
    assert query(bot, "SELECT id, session_id, kind, user_id FROM contributions") == contributions
    assert query(bot, "SELECT count(*) AS n FROM sessions WHERE words_erased_at IS NULL") == [
        {"n": 0}
    ]
    assert len(notices(group)) == 1

    await ann.command("/log")
    log = group.bot_texts()[-1]
    assert not [word for word in WORDS if word in log]
    assert log.count(f"Topic: {ERASED}") == 2 and f"Action: {ERASED} (partly done)" in log
    assert "weekend fridge check (open)" in log
    markdown, rows = await exported(bot, group, fac)
    assert not [word for word in WORDS if word in markdown]
    assert [line for line in markdown.splitlines() if "Questions" in line] == counts
    assert [(r["action_id"], r["outcome"], r["status"]) for r in rows] == [
        (r["action_id"], r["outcome"], r["status"]) for r in table
    ]
    assert rows[0]["action"] == "" and rows[0]["learning"] == "" and rows[0]["words_erased_at"]
    assert rows[2]["action"] == "Ask the district for a weekend fridge check"


async def test_off_never_erases(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/end")
    await fac.command("/retention off")
    await sweeps_until(bot, bot.clock.now + timedelta(days=3 * 366))
    assert notices(group) == []
    assert "Night staff leave early" in words_anywhere(bot)
    assert query(bot, "SELECT words_erased_at FROM sessions") == [{"words_erased_at": None}]


async def test_a_restart_in_between_still_tells_and_sweeps(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)  # closed 23 Nov 2026
    await fac.command("/retention 6m")
    await sweeps_until(bot, datetime(2027, 5, 18, tzinfo=UTC))
    assert len(notices(group)) == 1
    last = query(bot, "SELECT last_run_at FROM sweeps")[0]["last_run_at"]

    await bot.restart(crash=True)
    assert due_time(sweep_job(bot)) == datetime.fromisoformat(last + "+00:00") + timedelta(days=1)
    # Down for three weeks: the sweep that is due runs once when the bot is back.
    bot.clock.now = datetime(2027, 6, 8, tzinfo=UTC)
    await bot.restart()
    assert await sweeps_until(bot, bot.clock.now + timedelta(minutes=1)) == 1
    assert "Night staff leave early" not in words_anywhere(bot)
    assert len(notices(group)) == 1


async def test_a_sweep_run_twice_tells_once_and_erases_once(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await fac.command("/retention 6m")
    bot.clock.now = datetime(2027, 5, 20, tzinfo=UTC)
    job = sweep_job(bot)
    await asyncio.gather(job.run(bot.app), job.run(bot.app))
    assert len(notices(group)) == 1
    bot.clock.now = datetime(2027, 6, 1, tzinfo=UTC)
    await job.run(bot.app)
    erased = query(bot, "SELECT words_erased_at FROM sessions")
    bot.clock.now += timedelta(hours=1)
    await job.run(bot.app)
    assert (
        query(bot, "SELECT words_erased_at FROM sessions") == erased != [{"words_erased_at": None}]
    )
    assert len(notices(group)) == 1


async def test_a_set_the_bot_was_removed_from_is_erased_untold(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await bot.tg.bot_removed(group, by=fac)
    await sweeps_until(bot, datetime(2027, 12, 1, tzinfo=UTC))
    assert "Night staff leave early" not in words_anywhere(bot)
    assert query(bot, "SELECT count(*) AS n FROM outbox WHERE text LIKE '%erase%'") == [{"n": 0}]


async def test_changing_the_retention_tells_the_set_anew(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group)
    await sweeps_until(bot, datetime(2027, 11, 20, tzinfo=UTC))
    assert len(notices(group)) == 1  # under 12 months
    await fac.command("/retention 24m")
    await sweeps_until(bot, datetime(2028, 1, 1, tzinfo=UTC))
    assert "Night staff leave early" in words_anywhere(bot), "kept: the limit is now 24 months"
    assert len(notices(group)) == 1


async def test_an_edit_cannot_bring_erased_words_back(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = group.member("Fatou", admin=True), group.member("Ann"), group.member("Ben")
    await fac.command("/session consult")
    await ann.command("/topic Night staff leave early")
    await fac.command("/next")
    question = await ben.say("Who decides the rota?")
    await fac.command("/end")
    await sweeps_until(bot, datetime(2027, 12, 1, tzinfo=UTC))
    assert "rota" not in words_anywhere(bot)
    await fac.command("/session consult")  # a running session, and an edit of the old question
    await ben.edit(question, "Who decides the rota now?")
    assert "rota" not in words_anywhere(bot)
