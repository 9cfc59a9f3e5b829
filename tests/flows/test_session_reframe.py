"""Tests for flows.session: reframing statements held back, revealed together, picked."""

from __future__ import annotations

import pytest

from flows.session_model import (
    Advance,
    ArmTimer,
    Edit,
    EditContribution,
    Outcome,
    PickReframe,
    Record,
    Say,
    SessionContext,
    SessionState,
)
from flows.steps import reveal_message
from flows.text import msg
from tests.flows.session_kit import (
    AMINA,
    BOB,
    CHEN,
    HOLDER,
    assert_hint,
    at_step,
    context,
    keys,
    of,
    only,
    run,
    said_text,
    says,
)

# Reframing: statements held back, revealed together, picked by the holder ---------------------


def reframing(member_count: int = 3) -> tuple[SessionState, SessionContext]:
    """The reframe exercise's reframing step and a context with `member_count` members."""
    return at_step("reframe", 2), context("reframe", member_count=member_count)


def test_statements_are_held_back_until_every_member_sent_one():
    state, ctx = reframing()
    statements = {AMINA: "It is about trust.", BOB: "It is about money.", CHEN: "It is the rota."}
    for person in (AMINA, BOB):
        outcome = run(state, says(person, statements[person]), ctx=ctx)
        state = outcome.state
        assert keys(outcome) == []
        assert not said_text(outcome, statements[person])
        assert only(outcome, Record).kind == "reframe"
    assert not state.revealed
    outcome = run(state, says(CHEN, statements[CHEN]), ctx=ctx)
    assert outcome.state.revealed
    assert keys(outcome) == ["session.reveal"]
    reveal_say = only(outcome, Say)
    lines = reveal_say.message.params["statements"]
    assert [(m.params["name"], m.params["text"]) for m in lines] == [
        (p.name, statements[p]) for p in (AMINA, BOB, CHEN)
    ]
    assert [b.verb for b in reveal_say.buttons] == ["pick:0", "pick:1", "pick:2"]


def test_a_second_statement_before_the_reveal_replaces_the_first():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), says(AMINA, "Money, really."), ctx=ctx).state
    assert [(s.person, s.text) for s in state.statements] == [(AMINA, "Money, really.")]
    assert not state.revealed


def test_the_holders_words_do_not_count_towards_the_reveal():
    state, ctx = reframing(member_count=1)
    outcome = run(state, says(HOLDER, "Hmm."), ctx=ctx)
    assert (outcome.state.statements, outcome.state.revealed) == ((), False)
    assert only(outcome, Record).kind == "answer"


def test_without_a_member_count_only_advance_reveals():
    state, ctx = reframing(member_count=0)
    state = run(
        state, says(AMINA, "Trust."), says(BOB, "Money."), says(CHEN, "Rota."), ctx=ctx
    ).state
    assert not state.revealed


def test_the_first_advance_reveals_and_the_second_moves_on():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), ctx=ctx).state
    revealed = run(state, Advance(), ctx=ctx)
    assert keys(revealed) == ["session.reveal"]
    assert (revealed.state.revealed, revealed.state.step_index) == (True, 2)
    assert not of(revealed, ArmTimer)
    moved = run(revealed.state, Advance(), ctx=ctx)
    assert moved.state.step_index == 3
    assert (moved.state.statements, moved.state.revealed) == ((), False)


def test_advance_without_statements_moves_on():
    state, ctx = reframing()
    assert run(state, Advance(), ctx=ctx).state.step_index == 3


def revealed_reframing() -> tuple[SessionState, SessionContext]:
    """The reframing step after Amina, Bob and Chen's statements were revealed."""
    state, ctx = reframing()
    state = run(
        state, says(AMINA, "Trust."), says(BOB, "Money."), says(CHEN, "Rota."), ctx=ctx
    ).state
    assert state.revealed
    return state, ctx


def test_the_holder_picks_a_revealed_statement_and_the_reveal_shows_it():
    state, ctx = revealed_reframing()
    outcome = run(state, PickReframe(person=HOLDER, index=1, message_id=40), ctx=ctx)
    assert outcome.state.reframe == "Money."
    assert keys(outcome) == []  # the reveal message changes; nothing new is posted
    shown = only(outcome, Edit)
    assert shown.message_id == 40
    assert shown.message.params["reveal"] == reveal_message(state)
    assert shown.message.params["picked"] == msg("session.reframe_picked", reframe="Money.")
    assert shown.fallback == shown.message.params["picked"]
    assert [b.verb for b in shown.buttons] == ["pick:0", "pick:1", "pick:2"]  # may change


def test_a_pick_without_its_message_is_said():
    state, ctx = revealed_reframing()
    outcome = run(state, PickReframe(person=HOLDER, index=1), ctx=ctx)
    assert keys(outcome) == ["session.reframe_picked"]
    assert outcome.effects[0].message.params["reframe"] == "Money."


def test_picking_the_same_statement_twice_says_it_once():
    state, ctx = revealed_reframing()
    once = run(state, PickReframe(person=HOLDER, index=2), ctx=ctx).state
    assert run(once, PickReframe(person=HOLDER, index=2), ctx=ctx) == Outcome(state=once)
    other = run(once, PickReframe(person=HOLDER, index=0), ctx=ctx)
    assert (other.state.reframe, keys(other)) == ("Trust.", ["session.reframe_picked"])


def test_only_the_holder_picks():
    state, ctx = revealed_reframing()
    assert_hint(
        state, run(state, PickReframe(person=AMINA, index=0), ctx=ctx), "session.pick_holder_only"
    )


@pytest.mark.parametrize("index", [3, -1, 99])
def test_picking_out_of_range_changes_nothing(index):
    state, ctx = revealed_reframing()
    assert run(state, PickReframe(person=HOLDER, index=index), ctx=ctx) == Outcome(state=state)


def test_picking_before_the_reveal_changes_nothing():
    state, ctx = reframing()
    state = run(state, says(AMINA, "Trust."), ctx=ctx).state
    assert run(state, PickReframe(person=HOLDER, index=0), ctx=ctx) == Outcome(state=state)


def test_the_holders_words_after_the_reveal_are_the_reframe():
    state, ctx = revealed_reframing()
    outcome = run(state, says(HOLDER, " Trust and money, together. "), ctx=ctx)
    assert outcome.state.reframe == "Trust and money, together."
    assert only(outcome, Record).kind == "reframe"


def test_a_statement_resent_after_the_reveal_keeps_the_revealed_numbering():
    """The buttons were numbered at the reveal: pick:0 must still pick Amina's statement."""
    state, ctx = revealed_reframing()
    state = run(state, says(AMINA, "Trust, after all."), ctx=ctx).state
    picked = run(state, PickReframe(person=HOLDER, index=0), ctx=ctx).state
    assert picked.reframe in {"Trust.", "Trust, after all."}


def test_an_edited_statement_is_revealed_as_edited():
    """An edit before the reveal changes the record, so the reveal must show the new text."""
    state, ctx = reframing()
    first = says(AMINA, "It is about trust.")
    state = run(state, first, says(BOB, "Money."), ctx=ctx).state
    state = run(
        state, EditContribution(message_id=first.message_id, text="It is pride."), ctx=ctx
    ).state
    outcome = run(state, says(CHEN, "Rota."), ctx=ctx)
    assert said_text(outcome, "It is pride.")
    assert not said_text(outcome, "It is about trust.")
