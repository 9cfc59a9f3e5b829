"""A session across days in a set with quiet time: a whole consult over four days in Paris,
the clocks going forward in the middle, with a member who never says anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.digest import Said
from flows.quiet import QuietTime, is_quiet
from flows.session import handle, start_session
from flows.session_model import (
    ArmTimer,
    CancelTimers,
    CommitAction,
    Event,
    Extend,
    Outcome,
    Pause,
    Record,
    Resume,
    Say,
    SessionState,
    TimerFired,
    Volunteer,
)
from tests.flows.session_kit import AMINA, BOB, EXERCISES, FACILITATOR, HOLDER, context, says
from tests.flows.test_session_async import plain_text

PARIS = "Europe/Paris"
NIGHTS = QuietTime(hours=(time(21), time(7)))
MEMBERS = (FACILITATOR, HOLDER, AMINA, BOB)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in Paris in March 2026, as a UTC moment (arithmetic on it is real time)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=ZoneInfo(PARIS)).astimezone(UTC)


SATURDAY_10 = at(28, 10)  # the clocks go forward in the night to Sunday


def paris(moment: datetime) -> str:
    """A moment as the set reads it: 'Sun 07:00'."""
    return moment.astimezone(ZoneInfo(PARIS)).strftime("%a %H:%M")


@dataclass
class AsyncRun:
    """The bot's part, played by hand: timers kept as rows, fired in order, each transition given
    what the runner would give it (the set's quiet time, members, what the step has heard)."""

    quiet: QuietTime | None
    state: SessionState
    now: datetime
    timers: list[ArmTimer] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    said: list[tuple[datetime, str]] = field(default_factory=list)  # (when, plain text)
    armed: list[ArmTimer] = field(default_factory=list)  # every timer ever armed

    def ctx(self, event: Event | None = None):
        """The context the runner builds for an event."""
        timer = isinstance(event, TimerFired) and event.step_index == self.state.step_index
        step_said = None
        if timer:
            step_said = tuple(
                Said(kind=r.kind, user_id=r.person.user_id, name=r.person.name, text=r.text)
                for r in self.records
                if r.step_index == self.state.step_index
            )
        return context(
            "consult",
            now=self.now,
            timezone=PARIS,
            quiet=self.quiet,
            step_said=step_said,
            members=MEMBERS if timer and event.kind == "warning" else (),
        )

    def apply(self, event: Event) -> Outcome:
        """One event now: its effects carried out as the runner would."""
        outcome = handle(self.state, event, self.ctx(event))
        self.state = outcome.state
        for effect in outcome.effects:
            match effect:
                case CancelTimers():
                    self.timers.clear()
                case ArmTimer():
                    self.timers.append(effect)
                    self.armed.append(effect)
                case Record():
                    self.records.append(effect)
                case Say():
                    self.said.append((self.now, plain_text(effect.message)))
        return outcome

    def wait_until(self, moment: datetime) -> None:
        """Let time pass, firing each timer at its moment (a fired timer's row is done)."""
        while self.timers and min(t.due for t in self.timers) <= moment:
            timer = min(self.timers, key=lambda t: t.due)
            self.timers.remove(timer)
            self.now = timer.due
            self.apply(TimerFired(kind=timer.kind, step_index=timer.step_index))
        self.now = moment

    def texts_since(self, moment: datetime) -> list[str]:
        """What the bot said from a moment on."""
        return [text for when, text in self.said if when >= moment]


def consult_across_days(quiet: QuietTime | None, step_length=timedelta(hours=12)) -> AsyncRun:
    """/session consult async 12h on Saturday at 10:00 in Paris; Hana takes the topic."""
    opened = start_session(
        chat_id=-100123,
        thread_id=None,
        exercise=EXERCISES["consult"],
        facilitator=FACILITATOR,
        open_actions=0,
        now=SATURDAY_10,
        step_length=step_length,
    )
    run = AsyncRun(quiet=quiet, state=opened.state, now=SATURDAY_10)
    run.apply(Volunteer(person=HOLDER, topic="Night staff leave early", message_id=1))
    return run


def step_ends(run: AsyncRun) -> list[str]:
    """When each step was set to end (the last end armed for each step), in Paris."""
    ends: dict[int, datetime] = {}
    for timer in run.armed:
        if timer.kind == "end":
            ends[timer.step_index] = timer.due
    return [paris(ends[index]) for index in sorted(ends)]


def test_a_whole_session_across_days_keeps_out_of_quiet_hours_through_the_dst_change():
    run = consult_across_days(NIGHTS)
    run.wait_until(SATURDAY_10 + timedelta(hours=2))
    run.apply(says(HOLDER, "The night shift leaves at five, not seven."))
    run.wait_until(at(29, 9))  # step 2
    assert run.state.step_index == 1
    run.apply(says(AMINA, "Who agreed the rota?"))
    run.wait_until(at(30, 7))  # step 4
    assert run.state.step_index == 3
    run.wait_until(at(30, 20))  # step 5, the commit
    run.apply(CommitAction(person=HOLDER, text="Agree the rota with the night team", message_id=9))
    run.wait_until(SATURDAY_10 + timedelta(days=4))

    # Each step ends twelve hours after the last, except when that falls at night: the first
    # ends at 07:00 on Sunday, the morning the clocks went forward (20 hours, not 21 or 12).
    assert step_ends(run) == [
        "Sun 07:00", "Sun 19:00", "Mon 07:00", "Mon 19:00", "Tue 07:00", "Tue 19:00",
    ]  # fmt: skip
    first_end = next(t.due for t in run.armed if t.kind == "end" and t.step_index == 0)
    assert first_end - SATURDAY_10 == timedelta(hours=20)
    assert not run.state.is_open
    # Nothing the bot said by itself, and no timer, fell in quiet hours.
    for when, text in run.said:
        assert when == SATURDAY_10 or not is_quiet(when, NIGHTS, PARIS), (paris(when), text)
    assert not [t for t in run.armed if is_quiet(t.due, NIGHTS, PARIS)]
    # The reminders: Bob, who never says anything, is named in each step he is asked to speak
    # in; Amina where she was silent; Hana where she had not spoken yet (not on Saturday, when
    # she had presented, nor on Monday evening, when she had committed). Never at night.
    reminders = [(paris(when), text) for when, text in run.said if text.startswith("🔔")]
    assert [when for when, _ in reminders] == ["Sun 16:00", "Sun 20:30", "Mon 16:00", "Tue 16:00"]
    assert reminders[0][1].startswith("🔔 Bob, this step ends Sunday 29 March, 19:00")
    assert reminders[1][1].startswith("🔔 Amina, Bob, this step ends Monday 30 March, 07:00")
    assert reminders[2][1].startswith("🔔 Hana, this step ends Monday 30 March, 19:00")
    assert reminders[3][1].startswith("🔔 Hana, Amina, Bob, this step ends")
    assert all("Fatou" not in text for _, text in reminders)
    # Step 3's reminder, due at 04:00, came at 20:30 the evening before, as the step began.
    assert ("warning", "Sun 20:30") in [(t.kind, paris(t.due)) for t in run.armed]
    # The digests: one per step, what was said, and the steps where nobody said anything.
    digests = [text for _, text in run.said if text.startswith("📋")]
    assert len(digests) == 6
    assert "1. Who agreed the rota? (Amina)" in digests[1]
    assert digests[2].endswith("Nothing was said in this step.")
    summary = run.said[-1][1]
    assert summary.startswith("Session summary") and "Agree the rota" in summary


def test_without_quiet_time_the_same_session_ends_at_night():
    run = consult_across_days(None)
    run.wait_until(SATURDAY_10 + timedelta(days=4))
    assert step_ends(run)[:2] == ["Sat 22:00", "Sun 11:00"]  # 12 h each, through the change


def test_a_reminder_that_cannot_come_before_quiet_time_is_dropped():
    # A 6-hour step begun at 20:45: its reminder (at 01:15) would come before quiet hours only
    # at 20:30, before the step began; so there is none. The step ends at 07:00.
    opened = start_session(
        chat_id=-100123,
        thread_id=None,
        exercise=EXERCISES["consult"],
        facilitator=FACILITATOR,
        open_actions=0,
        now=at(28, 20, 45),
        step_length=timedelta(hours=6),
    )
    run = AsyncRun(quiet=NIGHTS, state=opened.state, now=at(28, 20, 45))
    run.apply(Volunteer(person=HOLDER, topic="Night staff leave early", message_id=1))
    assert [(t.kind, paris(t.due)) for t in run.timers] == [("end", "Sun 07:00")]


def test_extend_and_resume_never_end_a_step_in_quiet_time():
    run = consult_across_days(NIGHTS)
    run.wait_until(at(29, 9))  # step 2 ends at 19:00
    run.apply(Extend(minutes=180))  # 22:00 is quiet: Monday 07:00
    assert paris(run.state.deadline) == "Mon 07:00"
    assert run.said[-1][1] == "⏱ +180 min: this step now ends Monday 30 March, 07:00 Europe/Paris."
    run.apply(Pause())  # 22 hours left
    run.wait_until(at(29, 23))
    run.apply(Resume())  # 23:00 + 22 h = Monday 21:00, quiet: Tuesday 07:00
    assert paris(run.state.deadline) == "Tue 07:00"
    assert run.said[-1][1] == "▶️ Resumed. This step now ends Tuesday 31 March, 07:00 Europe/Paris."
    # three quarters into the step begun Sunday 07:00 and ending Tuesday 07:00: awake
    assert [(t.kind, paris(t.due)) for t in run.timers] == [
        ("warning", "Mon 19:00"),
        ("end", "Tue 07:00"),
    ]


def test_a_step_end_that_comes_in_quiet_time_waits_for_its_end():
    # The bot was down at the step's end, or /quiet changed after the step began: the end
    # fires at night, says nothing, and the step ends when the quiet hours do.
    run = consult_across_days(None)
    run.quiet = NIGHTS
    run.now = at(28, 23)
    said_before = len(run.said)
    outcome = run.apply(TimerFired(kind="end", step_index=0))
    assert run.state.step_index == 0 and len(run.said) == said_before
    (end,) = outcome.effects
    assert end == ArmTimer(kind="end", due=datetime(2026, 3, 29, 5, 0, tzinfo=UTC), step_index=0)
    run.now = end.due
    run.apply(TimerFired(kind="end", step_index=0))
    assert run.state.step_index == 1


def test_a_reminder_that_comes_in_quiet_time_is_dropped():
    run = consult_across_days(None)
    run.quiet = NIGHTS
    run.now = at(28, 22)
    outcome = run.apply(TimerFired(kind="warning", step_index=0))
    assert outcome.effects == () and run.state.reminded


def test_live_sessions_ignore_quiet_time():
    opened = start_session(
        chat_id=-100123,
        thread_id=None,
        exercise=EXERCISES["consult"],
        facilitator=FACILITATOR,
        open_actions=0,
        now=at(28, 22),
    )
    ctx = context("consult", now=at(28, 22), timezone=PARIS, quiet=NIGHTS)
    entered = handle(opened.state, Volunteer(person=HOLDER, topic="Late", message_id=1), ctx)
    assert entered.state.deadline == at(28, 22, 3)  # its people are there: 3 minutes, at night
    timers = [(e.kind, e.due) for e in entered.effects if isinstance(e, ArmTimer)]
    assert timers == [("warning", at(28, 22, 2)), ("end", at(28, 22, 3))]
