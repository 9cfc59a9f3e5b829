"""What a message means in the current step: a question, an answer, a statement, an action."""

from __future__ import annotations

from dataclasses import replace

from flows.answers import numbered, numbers_in_words
from flows.exercises import Records, Speaker, Step
from flows.guard import GuardReason, check_question, is_reaction
from flows.nudge import nudge
from flows.session_model import (
    Acknowledge,
    CommitAction,
    Contribute,
    EditContribution,
    Outcome,
    Phase,
    Record,
    Say,
    SessionContext,
    SessionState,
    Statement,
    UpdateRecord,
)
from flows.steps import (
    commit_action,
    first_line,
    hint,
    parse_action,
    reveal,
    with_follow_on,
)
from flows.text import msg

COMMENT = "comment"
ANSWER = "answer"
VOICE = "voice"


def contribute(state: SessionState, event: Contribute, ctx: SessionContext) -> Outcome:
    """Record a message against the current step, nudging or reacting as the step needs."""
    if event.via == "private":
        return _private_statement(state, event, ctx)
    if state.phase is not Phase.STEP:
        if event.via == "command":
            return hint(state, "session.q_not_now")
        return Outcome(state=state)
    step = ctx.exercise.step(state.step_index)
    holder = state.topic_holder
    is_holder = holder is not None and event.person.user_id == holder.user_id
    if event.voice is not None:  # the guard cannot hear it, and says nothing
        question = event.replied.question if is_holder and event.replied else None
        return _record(state, event, VOICE, answers=question.id if question else None)
    if step.records is Records.ACTION and is_holder and state.action is None:
        return _holder_action(state, event, ctx)
    answered = _holder_answer(state, event) if is_holder else None
    if answered is not None:
        return answered
    if step.reveal_together:
        return _reframing(state, event, ctx, is_holder)
    if step.speaker is Speaker.HOLDER:
        return _holder_speaks(state, event, step, is_holder)
    if step.speaker is Speaker.MEMBERS:
        return _members_speak(state, event, step, is_holder)
    return _record(state, event, step.records.value)


def _record(
    state: SessionState,
    event: Contribute,
    kind: str,
    *extra,
    flagged=None,
    answers: int | None = None,
    **changes,
) -> Outcome:
    """Store the message as `kind`, with any state changes and extra effects."""
    record = Record(
        person=event.person,
        message_id=event.message_id,
        step_index=state.step_index,
        kind=kind,
        text=event.text,
        flagged=flagged,
        source_chat_id=event.source_chat_id,
        voice=event.voice,
        answers=answers,
    )
    return Outcome(state=state.model_copy(update=changes), effects=(record, *extra))


def _holder_answer(state: SessionState, event: Contribute) -> Outcome | None:
    """The holder's reply to a member's question, or to a digest opening with a question's
    number: an answer linked to that question; a number the digest has not, one line naming
    its numbers. None: the reply names no question (it counts as the step counts it)."""
    replied = event.replied
    if replied is None:
        return None
    if replied.question is not None:
        return _record(state, event, ANSWER, answers=replied.question.id)
    parsed = numbered(event.text) if replied.digest else None
    if parsed is None:
        return None
    number, words = parsed
    asked = next((q for q in replied.digest if q.number == number), None)
    if asked is None:
        numbers = numbers_in_words(replied.digest)
        return hint(state, "answers.no_such_question", number=number, numbers=numbers)
    return _record(state, replace(event, text=words), ANSWER, answers=asked.id)


def _holder_action(state: SessionState, event: Contribute, ctx: SessionContext) -> Outcome:
    """The holder's message in the commit step is their action (an unusable one, a comment)."""
    committed = commit_action(
        state, CommitAction(person=event.person, text=event.text, message_id=event.message_id), ctx
    )
    if any(isinstance(effect, Record) for effect in committed.effects):
        return committed
    return _record(state, event, COMMENT)


def _holder_speaks(state: SessionState, event: Contribute, step: Step, is_holder: bool) -> Outcome:
    """Holder steps: the holder's words are the topic, reframe or insight; others comment."""
    if is_holder and step.records is Records.ACTION and state.action is not None:
        return _after_the_action(state, event)
    if not is_holder or step.records is Records.ACTION:  # the action itself came already
        return _record(state, event, COMMENT)
    changes: dict = {}
    if step.records is Records.TOPIC and state.topic is None:
        changes = {"topic": first_line(event.text), "topic_message_id": event.message_id}
    elif step.records is Records.REFRAME:
        changes = {"reframe": event.text.strip()}
    return _record(state, event, step.records.value, **changes)


def _after_the_action(state: SessionState, event: Contribute) -> Outcome:
    """The holder's next lines in the commit step: how they will know it worked and what they
    need join the action (taken with the same mark); anything else is a comment."""
    added = with_follow_on(state.action, event.text)
    if added is None:
        return _record(state, event, COMMENT)
    taken = Acknowledge(message_id=event.message_id, fallback=msg("session.action_added"))
    return _record(state, event, COMMENT, taken, action=added)


def _members_speak(state: SessionState, event: Contribute, step: Step, is_holder: bool) -> Outcome:
    """Member steps: questions (guarded) or ideas; the holder's words are answers."""
    if is_holder:
        if step.holder_listens and not state.holder_reminded:
            listen = Say(message=msg("session.holder_listen", holder=event.person.mention()))
            return _record(state, event, ANSWER, listen, holder_reminded=True)
        return _record(state, event, ANSWER)
    if step.records is not Records.QUESTION:
        return _record(state, event, step.records.value)
    if is_reaction(event.text):
        return _record(state, event, COMMENT)
    reason = check_question(event.text) if step.questions_only else None
    count = state.question_count + (reason is not GuardReason.NOT_A_QUESTION)
    if reason is None or event.person.user_id in state.nudged:
        return _record(state, event, Records.QUESTION.value, flagged=reason, question_count=count)
    said = Say(message=nudge(reason, event.text, step, event.person.mention()))
    return _record(
        state,
        event,
        Records.QUESTION.value,
        said,
        flagged=reason,
        question_count=count,
        nudged=(*state.nudged, event.person.user_id),
        nudge_count=state.nudge_count + 1,
    )


def _reframing(
    state: SessionState, event: Contribute, ctx: SessionContext, is_holder: bool
) -> Outcome:
    """Members' statements are held back and revealed together; the holder then picks or merges."""
    if is_holder:
        if state.revealed:
            return _record(state, event, Records.REFRAME.value, reframe=event.text.strip())
        return _record(state, event, ANSWER)
    if state.revealed:  # the numbered buttons are out: what was revealed stays as it was
        return _record(state, event, Records.REFRAME.value)
    statement = Statement(person=event.person, text=event.text.strip(), message_id=event.message_id)
    statements = _with_statement(state.statements, statement)
    recorded = _record(state, event, Records.REFRAME.value, statements=statements)
    if not ctx.member_count or len(statements) < ctx.member_count:
        return recorded
    revealed = reveal(recorded.state)
    return Outcome(state=revealed.state, effects=(*recorded.effects, *revealed.effects))


def _private_statement(state: SessionState, event: Contribute, ctx: SessionContext) -> Outcome:
    """A member's reframing statement sent to the bot in private (only then does it count)."""
    if not accepts_private_statement(state, event.person.user_id, ctx):
        return Outcome(state=state)
    return _reframing(state, event, ctx, is_holder=False)


def accepts_private_statement(state: SessionState, user_id: int, ctx: SessionContext) -> bool:
    """Whether the session is collecting reframing statements that this person may give."""
    return (
        state.phase is Phase.STEP
        and ctx.exercise.step(state.step_index).reveal_together
        and not state.revealed
        and (state.topic_holder is None or state.topic_holder.user_id != user_id)
    )


def _with_statement(statements: tuple[Statement, ...], new: Statement) -> tuple[Statement, ...]:
    """A member's statement replaces their earlier one in place, else joins the end."""
    if any(s.person.user_id == new.person.user_id for s in statements):
        return tuple(new if s.person.user_id == new.person.user_id else s for s in statements)
    return (*statements, new)


def edit_contribution(state: SessionState, event: EditContribution, ctx: SessionContext) -> Outcome:
    """An edited message updates its record, and the action or topic it set; a question of
    the current step is checked by the guard again (one nudge per person per step, as ever)."""
    changes: dict = {}
    if state.action and state.action.message_id == event.message_id:
        draft = parse_action(event.text, event.message_id)
        if draft is not None:
            changes["action"] = draft
    if state.topic_message_id == event.message_id and first_line(event.text):
        changes["topic"] = first_line(event.text)

    def is_edited(statement: Statement) -> bool:
        by = event.person
        return statement.message_id == event.message_id and (
            by is None or statement.person.user_id == by.user_id
        )

    if not state.revealed and any(is_edited(s) for s in state.statements):
        changes["statements"] = tuple(
            s.model_copy(update={"text": event.text.strip()}) if is_edited(s) else s
            for s in state.statements
        )
    update = UpdateRecord(
        message_id=event.message_id, text=event.text, source_chat_id=event.source_chat_id
    )
    effects: tuple = (update,)
    if _guarded_question(state, event, ctx):
        reason = check_question(event.text)
        was_counted = event.flagged is not GuardReason.NOT_A_QUESTION
        counted = reason is not GuardReason.NOT_A_QUESTION
        changes["question_count"] = state.question_count - was_counted + counted
        effects = (replace(update, reguarded=True, flagged=reason),)
        if reason is not None and event.person.user_id not in state.nudged:
            step = ctx.exercise.step(state.step_index)
            effects += (Say(message=nudge(reason, event.text, step, event.person.mention())),)
            changes["nudged"] = (*state.nudged, event.person.user_id)
            changes["nudge_count"] = state.nudge_count + 1
    return Outcome(state=state.model_copy(update=changes), effects=effects)


def _guarded_question(state: SessionState, event: EditContribution, ctx: SessionContext) -> bool:
    """Whether an edit is of a question asked in the current, questions-only step."""
    if event.kind != Records.QUESTION.value or event.person is None:
        return False
    if state.phase is not Phase.STEP or event.step_index != state.step_index:
        return False
    return ctx.exercise.step(state.step_index).questions_only
