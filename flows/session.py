"""The session state machine: start, choose a topic holder, walk the steps, commit, close.

Every transition is `handle(state, event, context) -> Outcome`: no I/O, no clock reads.
TRANSITIONS, at the end, says what each event does in each phase; an event that does not fit
the state changes nothing and yields at most one hint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flows.contribution import contribute, edit_contribution
from flows.digest import digest
from flows.exercises import Exercise
from flows.follow_up import round_over
from flows.quiet import is_quiet, out_of_quiet
from flows.session_model import (
    Advance,
    ArmTimer,
    Button,
    CancelTimers,
    ChooseHolder,
    CommitAction,
    Contribute,
    Edit,
    EditContribution,
    End,
    Event,
    Extend,
    FollowUpAnswered,
    MemberLeft,
    Outcome,
    Pause,
    Person,
    Phase,
    PickReframe,
    Record,
    Resume,
    SaveAction,
    SaveFollowUp,
    Say,
    SessionContext,
    SessionState,
    SightChanged,
    TimerFired,
    TopicOffer,
    Volunteer,
)
from flows.steps import (
    ask_for_holder,
    commit_action,
    enter_step,
    first_line,
    hint,
    not_yet_heard,
    pick_buttons,
    reveal,
    reveal_message,
    step_end,
    step_timers,
)
from flows.text import LocalTime, Mention, Msg, msg

REVEAL_PICK_TIME = timedelta(minutes=2)
# "How did we do?", asked on the summary of every exercise: one tap per member.
SCORE_BUTTONS = tuple(
    Button(label=msg("score.button", score=n), verb=f"score:{n}") for n in range(1, 11)
)


def start_session(
    *,
    chat_id: int,
    thread_id: int | None,
    exercise: Exercise,
    facilitator: Person,
    open_actions: int,
    now: datetime,
    blind: bool = False,
    step_length: timedelta | None = None,
) -> Outcome:
    """A new session: the follow-up round first when actions are open, else choose a holder.

    `blind`: the bot sees only commands and replies in this group (privacy mode).
    `step_length`: a session across days, each step this long, moving on by itself.
    """
    state = SessionState(
        chat_id=chat_id,
        thread_id=thread_id,
        exercise=exercise.name,
        phase=Phase.FOLLOW_UP if open_actions else Phase.CHOOSE_HOLDER,
        facilitator=facilitator,
        started_at=now,
        blind=blind,
        step_length=step_length,
    )
    if open_actions:
        started = Say(message=msg("session.started", exercise=exercise.title))
        first = Say(message=msg("session.follow_up_first", count=open_actions))
        return Outcome(state=state, effects=(started, first))
    started_and_ask = msg("session.started_ask_holder", exercise=exercise.title)
    return Outcome(state=state, effects=(ask_for_holder(started_and_ask),))


def follow_up_done(state: SessionState, ctx: SessionContext) -> Outcome:
    """The follow-up round is over: whoever offered the topic meanwhile holds it and the steps
    begin; else the set is asked who brings a topic."""
    if state.phase is not Phase.FOLLOW_UP:
        return Outcome(state=state)
    choosing = state.model_copy(update={"phase": Phase.CHOOSE_HOLDER, "next_holder": None})
    offer = state.next_holder
    if offer is not None:
        volunteer = Volunteer(person=offer.person, topic=offer.topic, message_id=offer.message_id)
        return _take_topic(choosing, volunteer, ctx)
    return Outcome(state=choosing, effects=(ask_for_holder(),))


def _follow_up_answered(
    state: SessionState, event: FollowUpAnswered, ctx: SessionContext
) -> Outcome:
    """An answer is stored with the session: the one that settles the last asked action ends
    the follow-up round in the same transaction."""
    save = SaveFollowUp(change=event.change, pressed_on=event.pressed_on, next_due=ctx.next_meeting)
    if state.phase is Phase.FOLLOW_UP and round_over(event.change.action, ctx.open_actions):
        done = follow_up_done(state, ctx)
        return Outcome(state=done.state, effects=(save, *done.effects))
    return Outcome(state=state, effects=(save,))


def handle(state: SessionState, event: Event, ctx: SessionContext) -> Outcome:
    """Apply one event to an open session, as the phase × event table says."""
    if not state.is_open:
        return Outcome(state=state)
    return TRANSITIONS[state.phase][type(event)](state, event, ctx)


def _take_topic(state: SessionState, event: Volunteer, ctx: SessionContext) -> Outcome:
    """Someone volunteers while no one holds the topic: they are the holder, the steps begin."""
    topic = first_line(event.topic or "") or None
    chosen = state.model_copy(
        update={
            "topic_holder": event.person,
            "topic": topic,
            "topic_message_id": event.message_id if topic else None,
        }
    )
    entered = enter_step(chosen, 0, ctx)
    if not topic or event.message_id is None:
        return entered
    record = Record(
        person=event.person, message_id=event.message_id, step_index=0, kind="topic", text=topic
    )
    return Outcome(state=entered.state, effects=(record, *entered.effects))


def _offer_during_round(state: SessionState, event: Volunteer, ctx: SessionContext) -> Outcome:
    """/topic during the follow-up round: kept, and its giver holds the topic once it ends."""
    offer = state.next_holder
    if offer is not None and offer.person.user_id != event.person.user_id:
        return hint(state, "session.topic_offered_already", holder=offer.person.mention())
    topic = first_line(event.topic or "") or (offer.topic if offer else None)
    message_id = event.message_id if event.topic else (offer.message_id if offer else None)
    kept = TopicOffer(person=event.person, topic=topic, message_id=message_id)
    said = Say(message=msg("session.topic_kept", holder=event.person.mention()))
    return Outcome(state=state.model_copy(update={"next_holder": kept}), effects=(said,))


def _holder_during_round(state: SessionState, event: ChooseHolder, ctx: SessionContext) -> Outcome:
    """/holder during the follow-up round: that person holds the topic once it ends."""
    kept = TopicOffer(person=event.person)
    said = Say(message=msg("session.topic_kept", holder=event.person.mention()))
    return Outcome(state=state.model_copy(update={"next_holder": kept}), effects=(said,))


def _volunteer_in_steps(state: SessionState, event: Volunteer, ctx: SessionContext) -> Outcome:
    """/topic once the steps run: the holder may still name the topic; others are told who."""
    if state.topic_holder == event.person and state.topic is None and event.topic:
        return _late_topic(state, event)
    return hint(state, "session.holder_already", holder=state.topic_holder.mention())


def _late_topic(state: SessionState, event: Volunteer) -> Outcome:
    """The holder (chosen by button or /holder) names the topic with /topic."""
    topic = first_line(event.topic or "")
    named = state.model_copy(update={"topic": topic, "topic_message_id": event.message_id})
    effects: list = [Say(message=msg("session.topic_set", topic=topic))]
    if event.message_id is not None:
        effects.insert(
            0,
            Record(
                person=event.person,
                message_id=event.message_id,
                step_index=state.step_index,
                kind="topic",
                text=topic,
            ),
        )
    return Outcome(state=named, effects=tuple(effects))


def _choose_first_holder(state: SessionState, event: ChooseHolder, ctx: SessionContext) -> Outcome:
    """A facilitator names the holder: the steps begin."""
    return enter_step(state.model_copy(update={"topic_holder": event.person}), 0, ctx)


def _change_holder(state: SessionState, event: ChooseHolder, ctx: SessionContext) -> Outcome:
    """A facilitator names another holder, up to the commit step (or any time, in place of
    a holder who left the group: the clock then runs again)."""
    person = event.person
    if state.holder_left:
        return _replace_lost_holder(state, person, ctx)
    if state.step_index >= ctx.exercise.commit_index:
        return hint(state, "session.holder_too_late")
    if state.topic_holder == person:
        return hint(state, "session.holder_already", holder=person.mention())
    changed = state.model_copy(update={"topic_holder": person})
    return Outcome(
        state=changed,
        effects=(Say(message=msg("session.holder_changed", holder=person.mention())),),
    )


def _replace_lost_holder(state: SessionState, person: Person, ctx: SessionContext) -> Outcome:
    """The new holder takes over where the one who left stopped."""
    named = state.model_copy(update={"topic_holder": person, "holder_left": False})
    said = Say(message=msg("session.holder_changed", holder=person.mention()))
    if not named.paused:
        return Outcome(state=named, effects=(said,))
    resumed = _resume(named, Resume(), ctx)
    return Outcome(state=resumed.state, effects=(said, *resumed.effects))


def _member_left(state: SessionState, event: MemberLeft, ctx: SessionContext) -> Outcome:
    """The holder leaving mid-session: the group hears it at once, the clock stops, and a
    facilitator chooses the way on (/holder or /end). Anyone else leaving changes nothing."""
    holder = state.topic_holder
    if holder is None or holder.user_id != event.person.user_id or state.holder_left:
        return Outcome(state=state)
    left = state.model_copy(update={"holder_left": True})
    said = Say(message=msg("session.holder_left", holder=holder.mention()))
    if state.deadline is None or state.paused:
        return Outcome(state=left, effects=(said,))
    remaining = max((state.deadline - ctx.now).total_seconds(), 0.0)
    stopped = left.model_copy(update={"paused_remaining": remaining})
    return Outcome(state=stopped, effects=(CancelTimers(), said))


def _offer_withdrawn(state: SessionState, event: MemberLeft, ctx: SessionContext) -> Outcome:
    """Someone who offered the topic during the follow-up round left: the offer goes."""
    offer = state.next_holder
    if offer is None or offer.person.user_id != event.person.user_id:
        return Outcome(state=state)
    return Outcome(state=state.model_copy(update={"next_holder": None}))


def _pick_reframe(state: SessionState, event: PickReframe, ctx: SessionContext) -> Outcome:
    if state.topic_holder is None or event.person.user_id != state.topic_holder.user_id:
        return hint(state, "session.pick_holder_only")
    if not state.revealed or not 0 <= event.index < len(state.statements):
        return Outcome(state=state)
    chosen = state.statements[event.index].text
    if state.reframe == chosen:
        return Outcome(state=state)  # a double tap
    picked = msg("session.reframe_picked", reframe=chosen)
    if event.message_id is None:
        shown: Say | Edit = Say(message=picked)
    else:  # the reveal itself shows the pick, and keeps its buttons for a change of mind
        whole = msg("session.reveal_picked", reveal=reveal_message(state), picked=picked)
        buttons = pick_buttons(state)
        shown = Edit(message_id=event.message_id, message=whole, buttons=buttons, fallback=picked)
    return Outcome(state=state.model_copy(update={"reframe": chosen}), effects=(shown,))


def _advance(state: SessionState, ctx: SessionContext) -> Outcome:
    """/next in a step: reveal what waits to be revealed, else the next step or the close."""
    step = ctx.exercise.step(state.step_index)
    if step.reveal_together and state.statements and not state.revealed:
        return reveal(state)
    at_commit = state.step_index == ctx.exercise.commit_index
    if at_commit and not state.action and not state.commit_warned:
        warned = state.model_copy(update={"commit_warned": True})
        return hint(warned, "session.no_action_yet")
    if state.step_index + 1 >= len(ctx.exercise.steps):
        return close(state, ctx)
    return enter_step(state, state.step_index + 1, ctx)


def _extend(state: SessionState, event: Extend, ctx: SessionContext) -> Outcome:
    if state.deadline is None:
        return hint(state, "session.no_step")
    if state.paused:
        return hint(state, "session.paused_already")
    deadline = step_end(state, max(state.deadline, ctx.now) + timedelta(minutes=event.minutes), ctx)
    extended = state.model_copy(update={"deadline": deadline})
    across_days = state.step_length is not None  # the end's date too: it may be days away
    until = LocalTime(moment=deadline, timezone=ctx.timezone, with_date=across_days)
    key = "session.extended_days" if across_days else "session.extended"
    say = Say(message=msg(key, minutes=event.minutes, until=until))
    return Outcome(
        state=extended, effects=(CancelTimers(), say, *step_timers(extended, deadline, ctx))
    )


def _pause(state: SessionState, event: Pause, ctx: SessionContext) -> Outcome:
    if state.deadline is None:
        return hint(state, "session.no_step")
    if state.paused:
        return hint(state, "session.paused_already")
    remaining = max((state.deadline - ctx.now).total_seconds(), 0.0)
    paused = state.model_copy(update={"paused_remaining": remaining})
    return Outcome(state=paused, effects=(CancelTimers(), Say(message=msg("session.paused"))))


def _resume(state: SessionState, event: Resume, ctx: SessionContext) -> Outcome:
    if state.holder_left:
        return hint(state, "session.holder_gone")
    if not state.paused:
        return hint(state, "session.not_paused")
    deadline = step_end(state, ctx.now + timedelta(seconds=state.paused_remaining or 0), ctx)
    resumed = state.model_copy(update={"paused_remaining": None, "deadline": deadline})
    across_days = state.step_length is not None
    until = LocalTime(moment=deadline, timezone=ctx.timezone, with_date=across_days)
    say = Say(
        message=msg("session.resumed_days" if across_days else "session.resumed", until=until)
    )
    return Outcome(state=resumed, effects=(say, *step_timers(resumed, deadline, ctx)))


def _timer_fired(state: SessionState, event: TimerFired, ctx: SessionContext) -> Outcome:
    if state.paused or event.step_index != state.step_index:
        return Outcome(state=state)
    if event.kind == "warning" and state.step_length is not None:
        return _remind(state, ctx)
    if event.kind == "warning":
        if state.deadline is not None and ctx.now >= state.deadline:
            return Outcome(state=state)  # fired late (the bot was down): the end says it all
        return Outcome(state=state, effects=(Say(message=msg("session.minute_left")),))
    if not ctx.auto_advance and state.step_length is None:  # across days, steps move on alone
        return hint(state, "session.time_up", facilitator=state.facilitator.mention())
    if state.step_length is not None and is_quiet(ctx.now, ctx.quiet, ctx.timezone):
        return _after_quiet(state, ctx)
    step = ctx.exercise.step(state.step_index)
    if step.reveal_together and state.statements and not state.revealed:
        # Reveal, then give the holder a short while to pick before moving on.
        shown = reveal(state)
        deadline = step_end(state, ctx.now + REVEAL_PICK_TIME, ctx)
        picked = shown.state.model_copy(update={"deadline": deadline})
        end = ArmTimer(kind="end", due=deadline, step_index=state.step_index)
        return Outcome(state=picked, effects=(*shown.effects, end))
    moved = _advance(state.model_copy(update={"commit_warned": True}), ctx)
    if state.step_length is None or ctx.step_said is None:
        return moved
    ended = state.step_index
    summary = digest(ctx.exercise, ended, ctx.step_said, ctx.step_answers, revealed=state.revealed)
    return _with_digest(moved, summary, ended)


def _after_quiet(state: SessionState, ctx: SessionContext) -> Outcome:
    """An async step's end that came in quiet time (the bot was down at its moment, or /quiet
    changed since it was set) waits, silently, until the quiet time is over."""
    later = out_of_quiet(ctx.now, ctx.quiet, ctx.timezone)
    end = ArmTimer(kind="end", due=later, step_index=state.step_index)
    return Outcome(state=state.model_copy(update={"deadline": later}), effects=(end,))


def _with_digest(outcome: Outcome, summary_of_step: Msg, step_index: int) -> Outcome:
    """An async step moved on by itself: its digest comes just before what follows it, and
    the answers it shows are not shown again."""
    effects = list(outcome.effects)
    first_say = next((i for i, e in enumerate(effects) if isinstance(e, Say)), len(effects))
    effects.insert(first_say, Say(message=summary_of_step, digest_step=step_index))
    shown = outcome.state.model_copy(update={"digest_answers_from": step_index + 1})
    return Outcome(state=shown, effects=tuple(effects))


def _remind(state: SessionState, ctx: SessionContext) -> Outcome:
    """An async step's one reminder: it names who has not said anything in the step yet, and
    says nothing when everyone has."""
    reminded = state.model_copy(update={"reminded": True})
    missing = not_yet_heard(state, ctx.exercise.step(state.step_index), ctx)
    late = state.deadline is None or ctx.now >= state.deadline
    if state.reminded or not missing or late or is_quiet(ctx.now, ctx.quiet, ctx.timezone):
        return Outcome(state=reminded)  # a reminder that came in quiet time is dropped
    names: Msg | Mention = missing[0].mention()
    for person in missing[1:]:
        names = msg("reminder.step_names", first=names, next=person.mention())
    until = LocalTime(moment=state.deadline, timezone=ctx.timezone)
    said = Say(message=msg("reminder.step", count=len(missing), names=names, until=until))
    return Outcome(state=reminded, effects=(said,))


def _sight_changed(state: SessionState, event: SightChanged, ctx: SessionContext) -> Outcome:
    return Outcome(state=state.model_copy(update={"blind": event.blind}))


def _end(state: SessionState, event: End, ctx: SessionContext) -> Outcome:
    return close(state, ctx)


def close(state: SessionState, ctx: SessionContext) -> Outcome:
    """End the session: store the action, post the summary; what was said is kept."""
    closed = state.model_copy(update={"phase": Phase.CLOSED, "closed_at": ctx.now})
    effects: list = [CancelTimers()]
    if state.action and state.topic_holder:
        effects.append(
            SaveAction(holder=state.topic_holder, action=state.action, due=ctx.next_meeting)
        )
    scored = SCORE_BUTTONS if state.topic_holder else ()
    effects.append(Say(message=summary(state, ctx), buttons=scored))
    return Outcome(state=closed, effects=tuple(effects))


def summary(state: SessionState, ctx: SessionContext) -> Msg:
    """The closing summary: topic, holder, questions and nudges, reframe, action, follow-up."""
    if state.topic_holder is None:
        return msg("summary.nothing")
    parts = [
        msg("summary.head", topic=state.topic or "—", holder=state.topic_holder.mention()),
        msg("summary.questions", count=state.question_count),
        msg("summary.nudges", count=state.nudge_count),
    ]
    if state.reframe:
        parts.append(msg("summary.reframe", reframe=state.reframe))
    if state.action:
        parts.append(msg("summary.action", action=state.action.text))
        if state.action.success_sign:
            parts.append(msg("summary.success_sign", sign=state.action.success_sign))
        if state.action.help_needed:
            parts.append(msg("summary.help_needed", help=state.action.help_needed))
        if ctx.next_meeting:
            when = LocalTime(moment=ctx.next_meeting, timezone=ctx.timezone)
            parts.append(msg("summary.follow_up", when=when))
        else:
            parts.append(msg("summary.no_meeting"))
    else:
        parts.append(msg("summary.no_action"))
    if state.blind:
        parts.append(msg("summary.blind"))
    parts.append(msg("summary.score_ask"))
    return msg("summary.lines", lines=tuple(parts))


# --- phase × event ------------------------------------------------------------------------

Transition = Callable[[SessionState, Any, SessionContext], Outcome]


def _says(line: Msg) -> Transition:
    """A transition that changes nothing and says one line."""
    return lambda state, event, ctx: Outcome(state=state, effects=(Say(message=line),))


def _nothing(state: SessionState, event: Event, ctx: SessionContext) -> Outcome:
    return Outcome(state=state)


def _next_step(state: SessionState, event: Advance, ctx: SessionContext) -> Outcome:
    if state.holder_left:
        return hint(state, "session.holder_gone")
    return _advance(state, ctx)


def _end_round(state: SessionState, event: Advance, ctx: SessionContext) -> Outcome:
    return follow_up_done(state, ctx)


def _between_steps(state: SessionState, event: Contribute, ctx: SessionContext) -> Outcome:
    """A message before the steps begin is not part of the session; /q says so."""
    return hint(state, "session.q_not_now") if event.via == "command" else Outcome(state=state)


# Every event in every phase of an open session (a closed one changes nothing). Rows share
# what the phases have in common; each row names what is its own.
_ANY_PHASE: dict[type, Transition] = {
    EditContribution: edit_contribution,  # the log keeps the latest words, in any phase
    CommitAction: commit_action,  # says who may commit, and when
    PickReframe: _pick_reframe,  # only once statements are revealed
    End: _end,
    FollowUpAnswered: _follow_up_answered,
    SightChanged: _sight_changed,  # step messages and the summary say what the bot cannot see
}
_BEFORE_STEPS: dict[type, Transition] = {
    **_ANY_PHASE,
    Contribute: _between_steps,
    Extend: _says(msg("session.no_step")),
    Pause: _says(msg("session.no_step")),
    Resume: _says(msg("session.not_paused")),
    TimerFired: _nothing,
}
TRANSITIONS: dict[Phase, dict[type, Transition]] = {
    Phase.FOLLOW_UP: {
        **_BEFORE_STEPS,
        Advance: _end_round,  # a facilitator skips what is left of the round
        MemberLeft: _offer_withdrawn,
        Volunteer: _offer_during_round,  # kept: the steps begin with them once the round ends
        ChooseHolder: _holder_during_round,
    },
    Phase.CHOOSE_HOLDER: {
        **_BEFORE_STEPS,
        Advance: _says(msg("session.need_holder")),
        MemberLeft: _nothing,
        Volunteer: _take_topic,
        ChooseHolder: _choose_first_holder,
    },
    Phase.STEP: {
        **_ANY_PHASE,
        Contribute: contribute,
        Advance: _next_step,
        Volunteer: _volunteer_in_steps,
        ChooseHolder: _change_holder,
        Extend: _extend,
        Pause: _pause,
        Resume: _resume,
        TimerFired: _timer_fired,
        MemberLeft: _member_left,  # the holder leaving stops the session until replaced
    },
}
