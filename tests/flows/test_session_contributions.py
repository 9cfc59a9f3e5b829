"""Tests for flows.session: what a message means in each step, and the questions-only rule."""

from __future__ import annotations

import pytest

from flows.guard import GuardReason
from flows.session_model import (
    Advance,
    End,
    Record,
    Say,
    Voice,
)
from tests.flows.session_kit import (
    ACTION_TEXT,
    ADVICE,
    AMINA,
    BOB,
    CHEN,
    FACILITATOR,
    FAIR,
    HOLDER,
    NOT_A_QUESTION,
    NOW,
    at_step,
    context,
    keys,
    only,
    run,
    says,
)

# What a message means in each step ------------------------------------------------------------

KINDS = [
    # (exercise, step index, who speaks, recorded kind)
    ("classic", 0, HOLDER, "topic"),
    ("classic", 0, AMINA, "comment"),
    ("classic", 1, AMINA, "question"),
    ("classic", 1, HOLDER, "answer"),
    ("classic", 2, BOB, "question"),
    ("classic", 2, HOLDER, "answer"),
    ("classic", 3, HOLDER, "reframe"),
    ("classic", 3, AMINA, "comment"),
    ("classic", 4, HOLDER, "action"),
    ("classic", 4, AMINA, "comment"),
    ("classic", 5, HOLDER, "learning"),
    ("classic", 5, FACILITATOR, "learning"),
    ("consult", 1, AMINA, "question"),
    ("consult", 2, AMINA, "idea"),
    ("consult", 2, HOLDER, "answer"),
    ("consult", 3, HOLDER, "insight"),
    ("consult", 3, BOB, "comment"),
    ("consult", 4, HOLDER, "action"),
    ("consult", 5, CHEN, "learning"),
    ("reframe", 1, AMINA, "question"),
    ("reframe", 2, AMINA, "reframe"),
    ("reframe", 2, HOLDER, "answer"),
    ("reframe", 3, BOB, "question"),
    ("reframe", 3, HOLDER, "answer"),
    ("reframe", 4, HOLDER, "action"),
    ("reframe", 5, AMINA, "learning"),
]


@pytest.mark.parametrize(
    ("exercise", "index", "person", "kind"),
    KINDS,
    ids=[f"{e}-{i}-{p.name}-{k}" for e, i, p, k in KINDS],
)
def test_each_step_records_what_its_speakers_say(exercise, index, person, kind):
    state = at_step(exercise, index)
    text = ACTION_TEXT if kind == "action" else FAIR
    message = says(person, text)
    record = only(run(state, message), Record)
    assert record == Record(
        person=person, message_id=message.message_id, step_index=index, kind=kind, text=text
    )


@pytest.mark.parametrize(("exercise", "index"), [("classic", 1), ("classic", 4), ("reframe", 2)])
def test_a_voice_note_is_recorded_as_voice_and_nothing_else(exercise, index):
    state = at_step(exercise, index)
    note = Voice(seconds=23, file_id="AwACAgQ")
    outcome = run(state, says(HOLDER, "", voice=note))
    assert only(outcome, Record).kind == "voice" and only(outcome, Record).voice == note
    assert outcome.state == state  # no nudge, no count: the guard cannot hear it


def test_the_holder_reframes_in_the_classic_problem_now_step():
    state = at_step("classic", 3)
    outcome = run(state, says(HOLDER, "  The real problem is trust.  "))
    assert outcome.state.reframe == "The real problem is trust."
    assert run(state, says(AMINA, "I agree.")).state.reframe is None


def test_the_holders_insight_does_not_set_the_reframe():
    outcome = run(at_step("consult", 3), says(HOLDER, "The rota idea struck me."))
    assert outcome.state.reframe is None


# The questions-only rule ----------------------------------------------------------------------


def test_an_advice_like_question_is_recorded_flagged_and_nudged():
    outcome = run(at_step("classic", 1), says(AMINA, ADVICE))
    record = only(outcome, Record)
    assert (record.kind, record.flagged) == ("question", GuardReason.ADVICE)
    nudge = only(outcome, Say)
    assert nudge.message.key == "nudge.advice"
    assert nudge.message.params["person"] == AMINA.mention()
    assert outcome.state.nudged == (AMINA.user_id,)


def test_a_fair_question_is_recorded_without_a_nudge():
    outcome = run(at_step("classic", 2), says(AMINA, FAIR))
    assert only(outcome, Record).flagged is None
    assert keys(outcome) == []
    assert outcome.state.nudged == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ADVICE, GuardReason.ADVICE),
        (NOT_A_QUESTION, GuardReason.NOT_A_QUESTION),
        ("Who decides? When? Why?", GuardReason.SEVERAL_QUESTIONS),
        ("What happened because the budget was cut?", GuardReason.BECAUSE),
    ],
)
def test_the_nudge_names_the_reason(text, reason):
    outcome = run(at_step("reframe", 3), says(BOB, text))
    assert keys(outcome) == [f"nudge.{reason.value}"]
    assert only(outcome, Record).flagged is reason


def test_a_member_is_nudged_at_most_once_per_step():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    second = run(state, says(AMINA, NOT_A_QUESTION))
    assert keys(second) == []
    assert only(second, Record).flagged is GuardReason.NOT_A_QUESTION
    assert second.state.nudged == (AMINA.user_id,)


def test_another_member_is_nudged_separately():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    outcome = run(state, says(BOB, ADVICE))
    assert keys(outcome) == ["nudge.advice"]
    assert outcome.state.nudged == (AMINA.user_id, BOB.user_id)


def test_nudges_start_afresh_in_the_next_step():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    state = run(state, Advance()).state
    assert (state.step_index, state.nudged) == (2, ())
    assert keys(run(state, says(AMINA, ADVICE))) == ["nudge.advice"]


def test_the_holders_answers_are_never_nudged():
    outcome = run(at_step("classic", 1), says(HOLDER, NOT_A_QUESTION))
    assert only(outcome, Record).flagged is None
    assert keys(outcome) == []


def test_suggestions_are_welcome_in_the_consult_ideas_step():
    state = at_step("consult", 2)
    for person in (AMINA, AMINA, BOB):
        outcome = run(state, says(person, ADVICE))
        state = outcome.state
        assert keys(outcome) == []
        assert only(outcome, Record).flagged is None
    assert (state.nudged, state.question_count) == ((), 0)


def test_the_holder_is_reminded_to_listen_once_in_the_ideas_step():
    first = run(at_step("consult", 2), says(HOLDER, "But we tried that."))
    assert keys(first) == ["session.holder_listen"]
    assert first.effects[-1].message.params["holder"] == HOLDER.mention()
    assert only(first, Record).kind == "answer"
    second = run(first.state, says(HOLDER, "Well, sort of."))
    assert keys(second) == []
    assert only(second, Record).kind == "answer"


def test_the_holder_is_not_reminded_to_listen_in_question_steps():
    assert keys(run(at_step("consult", 1), says(HOLDER, "Yes."))) == []


def test_questions_are_counted_across_steps_flagged_or_not():
    state = at_step("classic", 1)
    state = run(
        state,
        says(AMINA, FAIR),
        says(BOB, ADVICE),
        says(BOB, ADVICE),
        says(HOLDER, "Since May."),
        Advance(),
        says(CHEN, FAIR),
        Advance(),
        says(AMINA, "Not a question in the holder's step."),
    ).state
    assert state.question_count == 4
    closed = run(state, End(), ctx=context(now=NOW))
    summary_lines = closed.effects[-1].message.params["lines"]
    questions = next(m for m in summary_lines if m.key == "summary.questions")
    assert questions.count == 4


@pytest.mark.parametrize("reaction", ["👍", "+1", "🙏🙏"])
def test_reactions_in_a_question_step_are_not_counted_as_questions(reaction):
    """The guard ignores letterless reactions; the summary's question count must too."""
    outcome = run(at_step("classic", 1), says(AMINA, reaction))
    assert keys(outcome) == []
    assert outcome.state.question_count == 0


def test_ideas_and_reframing_statements_are_not_questions():
    state = run(at_step("consult", 2), says(AMINA, FAIR)).state
    assert state.question_count == 0
    state = run(at_step("reframe", 2), says(AMINA, FAIR)).state
    assert state.question_count == 0


def test_an_edit_of_a_question_in_its_step_is_guarded_again():
    from flows.session_model import EditContribution, UpdateRecord

    asked = says(AMINA, FAIR)
    state = run(at_step("classic", 1), asked).state
    edited = EditContribution(
        message_id=asked.message_id, text=ADVICE, person=AMINA, kind="question", step_index=1
    )
    outcome = run(state, edited)
    assert keys(outcome) == ["nudge.advice"]
    assert only(outcome, UpdateRecord).flagged is GuardReason.ADVICE
    assert outcome.state.nudged == (AMINA.user_id,)
    assert outcome.state.question_count == state.question_count  # still a question
    again = run(outcome.state, edited)
    assert keys(again) == []  # one nudge per person per step

    later = run(at_step("classic", 2), edited)  # an edit of an earlier step's question
    assert keys(later) == [] and only(later, UpdateRecord).reguarded is False


def test_the_session_counts_the_nudges_it_gives():
    state = run(at_step("classic", 1), says(AMINA, ADVICE)).state
    state = run(state, says(AMINA, ADVICE)).state  # one nudge per person per step
    state = run(state, says(BOB, NOT_A_QUESTION)).state
    state = run(state, Advance()).state
    state = run(state, says(AMINA, ADVICE)).state
    assert state.nudge_count == 3
