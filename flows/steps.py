"""Rules shared by the session's transitions: hints, entering a step, the action, the reveal."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows.action_words import follow_on
from flows.exercises import Records, Speaker, Step
from flows.quiet import ahead_of_quiet, out_of_quiet
from flows.session_model import (
    Acknowledge,
    ActionDraft,
    ArmTimer,
    Button,
    CancelTimers,
    ClearHolderPrompt,
    CommitAction,
    Outcome,
    Person,
    Phase,
    Record,
    Say,
    SessionContext,
    SessionState,
)
from flows.text import LocalTime, Msg, msg

WARNING_BEFORE = timedelta(minutes=1)
REMIND_AT = 0.75  # across days: the reminder comes three quarters into the step...
REMIND_AT_MOST = timedelta(hours=24)  # ...and at most a day before its end
TOPIC_MAX_CHARS = 200


def hint(state: SessionState, key: str, **params: object) -> Outcome:
    """No change, one short line."""
    return Outcome(state=state, effects=(Say(message=msg(key, **params)),))


def first_line(text: str) -> str:
    """The first non-empty line, trimmed to a topic's length."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else "")[:TOPIC_MAX_CHARS]


def ask_for_holder(message: Msg | None = None) -> Say:
    """The message asking who brings a topic, with its button."""
    return Say(
        message=message or msg("session.ask_holder"),
        buttons=(Button(label=msg("button.have_topic"), verb="topic"),),
        step_message=True,
        holder_prompt=True,
    )


def enter_step(state: SessionState, index: int, ctx: SessionContext) -> Outcome:
    """Start step `index`: post its message and arm its timers."""
    step = ctx.exercise.step(index)
    deadline = step_end(
        state, ctx.now + (state.step_length or timedelta(minutes=step.minutes)), ctx
    )
    entered = state.model_copy(
        update={
            "phase": Phase.STEP,
            "step_index": index,
            "step_started_at": ctx.now,
            "deadline": deadline,
            "paused_remaining": None,
            "nudged": (),
            "holder_reminded": False,
            "commit_warned": False,
            "reminded": False,
            "statements": (),
            "revealed": False,
        }
    )
    say = Say(message=step_message(entered, step, ctx), step_message=True)
    effects = (CancelTimers(), say, *step_timers(entered, deadline, ctx))
    if state.phase is Phase.CHOOSE_HOLDER:  # the holder is chosen: the prompt's button is done
        effects = (ClearHolderPrompt(), *effects)
    return Outcome(state=entered, effects=effects)


def step_end(state: SessionState, due: datetime, ctx: SessionContext) -> datetime:
    """When a step ends: across days, never in the set's quiet time (moved to its end); a
    live step when its time is up, since its people are there."""
    if state.step_length is None:
        return due
    return out_of_quiet(due, ctx.quiet, ctx.timezone)


def step_message(state: SessionState, step: Step, ctx: SessionContext) -> Msg:
    """The one message that opens a step: title, who speaks, timebox, prompt and stems."""
    holder = state.topic_holder.mention() if state.topic_holder else ""
    topic_needed = step.records is Records.TOPIC and state.topic is None
    if state.step_length is None:
        timebox = msg("session.timebox", minutes=step.minutes)
    else:  # across days: the step ends at a moment, in the set's time zone
        timebox = msg(
            "session.timebox_until", until=LocalTime(moment=state.deadline, timezone=ctx.timezone)
        )
    return msg(
        "session.step_topic_needed" if topic_needed else "session.step",
        number=state.step_index + 1,
        total=len(ctx.exercise.steps),
        title=step.title,
        speaker=msg(f"speaker.{step.speaker.value}", holder=holder),
        timebox=timebox,
        prompt=step.prompt,
        stems=step.stems,
        holder=holder,
        reply_hint=msg("session.reply_hint") if state.blind and asks_members(step) else "",
    )


def asks_members(step: Step) -> bool:
    """Whether members speak in a step (their plain messages are what a blind bot misses)."""
    return step.speaker is not Speaker.HOLDER


def step_timers(
    state: SessionState, deadline: datetime, ctx: SessionContext
) -> tuple[ArmTimer, ...]:
    """A step's timers: the end, and before it a warning (live: a minute before; across days:
    the reminder, once per step, see reminder_due)."""
    if state.step_length is None:
        return timers(state.step_index, deadline, ctx)
    end = ArmTimer(kind="end", due=deadline, step_index=state.step_index)
    # In quiet time the reminder comes before it begins, never after: it keeps at least the
    # time to answer that it was meant to give; if that is no longer ahead, there is none.
    due = ahead_of_quiet(
        reminder_due(state.step_started_at or ctx.now, deadline), ctx.quiet, ctx.timezone
    )
    if state.reminded or due <= ctx.now:
        return (end,)
    return (ArmTimer(kind="warning", due=due, step_index=state.step_index), end)


def reminder_due(started: datetime, deadline: datetime) -> datetime:
    """When an async step's reminder comes: three quarters in, at most a day before its end."""
    return max(started + (deadline - started) * REMIND_AT, deadline - REMIND_AT_MOST)


def timers(index: int, deadline: datetime, ctx: SessionContext) -> tuple[ArmTimer, ...]:
    """A live step's timers: the end, and a warning a minute before it when there is time."""
    end = ArmTimer(kind="end", due=deadline, step_index=index)
    warning_due = deadline - WARNING_BEFORE
    if ctx.exercise.step(index).minutes < 2 or warning_due <= ctx.now:
        return (end,)
    return (ArmTimer(kind="warning", due=warning_due, step_index=index), end)


def not_yet_heard(state: SessionState, step: Step, ctx: SessionContext) -> tuple[Person, ...]:
    """Who an async step's reminder names: the set's members who have said nothing in the step,
    among those the step asks to speak (the holder alone in the holder's steps; the others
    in the members' steps; everyone in shared ones), never the session's facilitator."""
    spoke = {item.user_id for item in ctx.step_said or ()}
    holder = state.topic_holder.user_id if state.topic_holder else None
    people = list(ctx.members)
    if holder is not None and holder not in {p.user_id for p in people}:
        people.append(state.topic_holder)
    if step.speaker is Speaker.HOLDER:
        people = [p for p in people if p.user_id == holder]
    elif step.speaker is Speaker.MEMBERS:
        people = [p for p in people if p.user_id != holder]
    return tuple(
        p for p in people if p.user_id not in spoke and p.user_id != state.facilitator.user_id
    )


def commit_action(state: SessionState, event: CommitAction, ctx: SessionContext) -> Outcome:
    """The holder's action, in the commit step: 'what | how I will know | help I need'."""
    holder = state.topic_holder
    if holder is None or event.person.user_id != holder.user_id:
        return hint(state, "session.action_holder_only", holder=holder.mention() if holder else "")
    if state.phase is not Phase.STEP or state.step_index != ctx.exercise.commit_index:
        return hint(state, "session.action_not_now")
    draft = parse_action(event.text, event.message_id)
    if draft is None:
        return hint(state, "session.action_usage")
    if ctx.next_meeting:
        due = LocalTime(moment=ctx.next_meeting, timezone=ctx.timezone)
        confirm = msg("session.action_recorded", action=draft.text, due=due)
    else:
        confirm = msg("session.action_recorded_no_meeting", action=draft.text)
    effects: tuple = (Say(message=confirm),)
    if event.message_id is not None:
        record = Record(
            person=event.person,
            message_id=event.message_id,
            step_index=state.step_index,
            kind=Records.ACTION.value,
            text=event.text,
        )
        # A reaction on the holder's own message: the summary repeats the action anyway.
        effects = (record, Acknowledge(message_id=event.message_id, fallback=confirm))
    return Outcome(state=state.model_copy(update={"action": draft}), effects=effects)


def parse_action(text: str, message_id: int | None) -> ActionDraft | None:
    """Read 'what | how I will know it worked | help I need' (the last two optional), or the
    holder's own lines: the first says what, later ones may say how they will know and what
    they need ("I'll know it worked if…", "I need…"; see flows/action_words.py)."""
    if "|" in text:
        what, _, rest = text.partition("|")
        sign, _, help_needed = rest.partition("|")
        if not what.strip():
            return None
        return ActionDraft(
            text=what.strip(),
            success_sign=sign.strip() or None,
            help_needed=help_needed.strip() or None,
            message_id=message_id,
        )
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    draft = ActionDraft(text=lines[0], message_id=message_id)
    rest = []
    for line in lines[1:]:
        added = with_follow_on(draft, line)
        if added is None:
            rest.append(line)
        else:
            draft = added
    return draft.model_copy(update={"text": "\n".join([lines[0], *rest])}) if rest else draft


def with_follow_on(draft: ActionDraft, line: str) -> ActionDraft | None:
    """The action with what a line of the holder adds to it (a part not said yet), or None."""
    found = follow_on(line)
    if found is None or getattr(draft, found[0]) is not None:
        return None
    kind, words = found
    return draft.model_copy(update={kind: words})


def reveal(state: SessionState) -> Outcome:
    """Show every reframing statement at once, with a button per statement for the holder."""
    say = Say(message=reveal_message(state), buttons=pick_buttons(state))
    return Outcome(state=state.model_copy(update={"revealed": True}), effects=(say,))


def reveal_message(state: SessionState) -> Msg:
    """The reframing statements, numbered, and the question to the holder."""
    lines = tuple(
        msg("session.statement", number=i, name=s.person.name, text=s.text)
        for i, s in enumerate(state.statements, 1)
    )
    return msg("session.reveal", statements=lines)


def pick_buttons(state: SessionState) -> tuple[Button, ...]:
    """One button per revealed statement, for the holder to pick."""
    return tuple(
        Button(label=msg("button.pick", number=i), verb=f"pick:{i - 1}")
        for i in range(1, len(state.statements) + 1)
    )
