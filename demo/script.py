"""The demo's story: a health-post set runs a classic session, then follows up at the next meeting.

Everything runs in-process: the real Application (handlers, storage, timers) on the fake Bot
API (`fake_telegram/`), a SQLite file in a temporary folder, and a clock that moves only when
the script says so. Timers are JobQueue jobs that are never started; the script fires the due
ones itself.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from demo.transcript import Transcript, wrap
from fake_telegram import FakeTelegram, Group, SentMessage, Speaker, TelegramKit

TOKEN = "123456:" + "A" * 35
TIMEZONE = "Africa/Bamako"  # UTC+0 all year: local time is UTC
SET_TITLE = "Health post team"
# A Tuesday, 10:00 in Bamako: the set meets on Tuesdays.
START = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    """Time that moves only when the script says so."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


class Demo:
    """The running bot, the people in the group, and the transcript of what they see."""

    def __init__(self, app: Application, fake: FakeTelegram, clock: Clock, out: TextIO) -> None:
        self.app = app
        self.fake = fake
        self.clock = clock
        self.tg = TelegramKit(app, fake)
        self.group: Group = self.tg.group(SET_TITLE, bot_status="administrator")
        self.log = Transcript(fake, out)

    # --- people speak --------------------------------------------------------------------------

    async def say(self, who: Speaker, text: str) -> None:
        """A plain message (or a /command) in the group."""
        self.log.user(who.name, text, self.clock.now)
        await who.say(text)
        self.log.flush()

    async def reply(self, who: Speaker, to: SentMessage, text: str) -> None:
        """A reply to one of the bot's messages."""
        self.log.user(who.name, text, self.clock.now, reply_to=(to.chat_id, to.message_id))
        await who.reply(to, text)
        self.log.flush()

    async def press(self, who: Speaker, message: SentMessage, label: str) -> None:
        """A press on an inline button of a bot message."""
        self.log.press(who.name, label, self.clock.now)
        await who.press(message, label)
        self.log.flush()
        self.log.presser = None

    def last_bot_message(self, starting: str = "") -> SentMessage:
        """The bot's latest message (whose text starts with `starting`), as it is now."""
        found = [m for m in self.group.bot_messages() if (m.text or "").startswith(starting)]
        if not found:
            raise LookupError(f"the bot sent no message starting with {starting!r}")
        return found[-1]

    # --- time passes ---------------------------------------------------------------------------

    def _jobs(self) -> list:
        jobs = [j for j in self.app.job_queue.jobs() if j.name.startswith("scheduled:")]
        return sorted(jobs, key=due_time)

    async def wait(self, story: str | None = None, **delta: float) -> None:
        """Move the clock forward, firing each timer when it falls due, as APScheduler would."""
        target = self.clock.now + timedelta(**delta)
        if story:
            self.log.narrate(story)
        while True:
            due = [job for job in self._jobs() if due_time(job) <= target]
            if not due:
                break
            job = due[0]
            self.clock.now = max(self.clock.now, due_time(job))
            job.schedule_removal()
            await job.run(self.app)
            self.log.flush()
        self.clock.now = target

    async def wait_until(self, moment: datetime) -> None:
        """Move the clock to a later moment, firing the timers due on the way; says how long."""
        days = (moment.date() - self.clock.now.date()).days
        story = {0: "later that day", 1: "the next day"}.get(days, f"{days} days later")
        await self.wait(story, seconds=(moment - self.clock.now).total_seconds())

    def next_timer(self, kind: str) -> datetime:
        """When the next pending timer of a kind (reminder, follow_up, ...) is due."""
        rows = query(
            self.database,
            "SELECT due_at FROM scheduled WHERE status = 'pending' AND kind = ? ORDER BY due_at",
            kind,
        )
        if not rows:
            raise LookupError(f"no pending {kind} timer")
        return datetime.fromisoformat(rows[0]["due_at"]).replace(tzinfo=UTC)

    @property
    def database(self) -> Path:
        """The bot's SQLite file."""
        return self.app.bot_data["services"].settings.database_path


def due_time(job) -> datetime:
    """When a (not started) date job is due."""
    return job.job.trigger.run_date


def query(database: Path, sql: str, *params: object) -> list[dict]:
    """Rows of a query on the database file, as dicts."""
    conn = sqlite3.connect(database)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


# --- the story ---------------------------------------------------------------------------------


async def story(demo: Demo) -> None:
    """The session, the reminder and the follow-up."""
    group = demo.group
    fatou = group.member("Fatou", admin=True)
    amina, ben = group.member("Amina"), group.member("Ben")
    chidi, dara = group.member("Chidi"), group.member("Dara")

    demo.log.section("Fatou sets up the set")
    await demo.say(fatou, f"/timezone {TIMEZONE}")
    demo.log.set_timezone(TIMEZONE)
    await demo.say(fatou, "/schedule every 2 weeks tue 10:00")

    demo.log.section("The session")
    await demo.wait(minutes=1)
    await demo.say(fatou, "/session classic")
    await demo.say(amina, "/topic Night-shift nurses leave before handover")
    await demo.say(
        amina,
        "Three or four nights a week the night nurses are gone by 6:30, and the day team "
        "comes at 7. Nobody hands over the children on drips or the new admissions.",
    )
    await demo.say(
        amina,
        "Last week a child's fever was missed until 9. I have asked them twice to stay; "
        "they say they will, and then they leave.",
    )
    await demo.wait("3 minutes later", minutes=3)

    await demo.say(fatou, "/next")
    clarifying = demo.last_bot_message("Step 2/")
    await demo.say(ben, "How many nurses are on the night shift?")
    await demo.say(amina, "Two, three when we are lucky.")
    await demo.wait(minutes=1)
    await demo.reply(chidi, clarifying, "When did the early departures start?")
    await demo.say(amina, "In September, when the bus timetable changed.")
    await demo.wait(minutes=1)
    await demo.say(dara, "/q Who decided that handover is at 7:00?")
    await demo.say(amina, "The district nursing officer, years ago.")
    await demo.wait(minutes=1)
    await demo.say(ben, "Have you tried paying them overtime?")
    await demo.say(ben, "What would make staying until 7 possible for them?")
    await demo.say(amina, "A way home. The last bus leaves at 6:40.")
    await demo.wait("the questions go on for a few minutes", minutes=6)

    await demo.say(fatou, "/next")
    await demo.say(chidi, "What have the night nurses said they need?")
    await demo.say(amina, "To catch the bus. And they feel nobody listens to them.")
    await demo.wait(minutes=2)
    await demo.say(dara, "What would a good handover look like to you?")
    await demo.say(amina, "Ten minutes at the bedside, with the charts, the two teams together.")
    await demo.wait(minutes=2)
    await demo.say(ben, "Which part of this is in your hands?")
    await demo.say(amina, "The handover time, partly. Not the bus.")
    await demo.wait(minutes=3)

    await demo.say(fatou, "/next")
    await demo.say(
        amina,
        "The problem is not that they leave early: our handover time does not fit the last "
        "bus, and nobody has asked the night team to plan the handover with us.",
    )
    await demo.wait(minutes=2)

    await demo.say(fatou, "/next")
    await demo.say(
        amina,
        "/action Hold a 10-minute handover huddle with the night team | three nights without "
        "early departures | Ben to cover the ward during the huddle",
    )
    await demo.wait(minutes=1)

    await demo.say(fatou, "/next")
    await demo.say(ben, "I wanted to give advice. The questions got us further.")
    await demo.say(chidi, "The bus was the real issue. I would never have guessed it.")
    await demo.say(amina, "I should ask the night team before deciding for them.")
    await demo.wait(minutes=3)
    await demo.say(fatou, "/next")

    demo.log.section("Before the next meeting")
    await demo.wait_until(demo.next_timer("reminder"))

    demo.log.section("The next meeting: the follow-up")
    await demo.wait_until(demo.next_timer("follow_up"))
    follow_up = demo.last_bot_message("🔁")
    await demo.wait(minutes=2)
    await demo.press(amina, follow_up, "◐ Partly")
    await demo.wait(minutes=2)
    await demo.reply(
        amina,
        follow_up,
        "The huddle works on the nights Ben covers the ward. On the other nights they still "
        "leave at 6:30 for the bus.",
    )
    await demo.wait(minutes=1)
    await demo.press(amina, follow_up, "✎ Change")
    await demo.wait(minutes=1)
    await demo.reply(
        amina,
        follow_up,
        "Ask the district nursing officer to move handover to 6:15 for a month's trial",
    )


# --- what was stored ---------------------------------------------------------------------------


def stored(demo: Demo) -> None:
    """The actions and the next meeting, read from the SQLite file."""
    demo.log.section("What was stored (read from the SQLite file)")
    zone = ZoneInfo(TIMEZONE)

    def local(text: str | None) -> str:
        if not text:
            return "—"
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(zone)
        return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"

    for row in query(demo.database, "SELECT * FROM actions ORDER BY id"):
        demo.log.print(f"action #{row['id']} ({row['status']}), held by {row['holder_name']}:")
        fields = [
            ("what", row["text"]),
            ("how we'll know", row["success_sign"]),
            ("help needed", row["help_needed"]),
            ("due", local(row["due_at"])),
            ("outcome", row["outcome"]),
            ("learning", row["learning"]),
            ("follows action", f"#{row['previous_id']}" if row["previous_id"] else None),
        ]
        for name, value in fields:
            if value:
                for line in wrap(f"    {name + ':':<16}", str(value)):
                    demo.log.print(line)
    (chat_set,) = query(demo.database, "SELECT * FROM sets")
    reminder = chat_set["reminder_minutes"]
    demo.log.print(f"set {chat_set['title']!r}, time zone {chat_set['timezone']}:")
    for name, value in [
        ("next meeting", local(chat_set["next_meeting_at"])),
        ("rhythm", rule_words(chat_set["meeting_rule"])),
        ("reminder", f"{reminder // 60} h before each meeting" if reminder else "off"),
    ]:
        demo.log.print(f"    {name + ':':<16}{value}")
    pending = query(
        demo.database,
        "SELECT kind, due_at FROM scheduled WHERE status = 'pending' ORDER BY due_at",
    )
    timers = ", ".join(f"{row['kind']} {local(row['due_at'])}" for row in pending)
    for line in wrap(f"    {'pending timers:':<16}", timers or "none"):
        demo.log.print(line)


def rule_words(rule_json: str | None) -> str:
    """A stored MeetingRule in words."""
    if not rule_json:
        return "none"
    rule = json.loads(rule_json)
    if rule["kind"] == "once":
        return "one meeting only"
    unit = rule["unit"] if rule["interval"] == 1 else f"{rule['interval']} {rule['unit']}s"
    at = f" at {rule['local_time'][:5]}" if rule.get("local_time") else ""
    return f"every {unit}{at}"


# --- running it --------------------------------------------------------------------------------


async def run(out: TextIO) -> Path:
    """Run the whole demo, writing the transcript to `out`; returns the (deleted) database path."""
    with tempfile.TemporaryDirectory(prefix="actionlearning-demo-") as folder:
        database = Path(folder) / "demo.sqlite3"
        settings = Settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_path=database,
            rate_limiter=False,
            default_timezone="UTC",
            default_language="en",
        )
        clock = Clock()
        fake = FakeTelegram(privacy=False, clock=clock)
        app = build_application(settings, request=fake, clock=clock)
        await app.initialize()
        await app.post_init(app)
        try:
            demo = Demo(app, fake, clock, out)
            demo.log.header(
                f'Action learning demo: the "{SET_TITLE}" set',
                [
                    "Fatou facilitates (a group admin). Amina brings today's topic; Ben, "
                    "Chidi and Dara ask questions.",
                    f"Starts {clock.now:%A} {clock.now.day} {clock.now:%B %Y}, "
                    f"{clock.now:%H:%M} UTC ({TIMEZONE}, UTC+0). Simulated in-process: "
                    "fake Telegram, fake clock, temporary database.",
                ],
            )
            await story(demo)
            if demo.tg.errors:  # a timer job failed (handler errors were raised already)
                raise demo.tg.errors[0]
            stored(demo)
        finally:
            await app.post_shutdown(app)
            await app.shutdown()
    return database


def main() -> int:
    """Print the transcript on stdout (the run time on stderr); 0 on success."""
    began = time.perf_counter()
    if hasattr(sys.stdout, "reconfigure"):  # a terminal that cannot show emoji gets "?"
        sys.stdout.reconfigure(errors="replace")
    asyncio.run(run(sys.stdout))
    print(f"(demo ran in {time.perf_counter() - began:.1f} s)", file=sys.stderr)
    return 0
