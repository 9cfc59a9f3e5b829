"""Tests for sessions across days: the digest of an ended step, the reminder, quiet time."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from bot.render import render
from flows.digest import Said, digest
from flows.session_model import Say, TimerFired
from tests.flows.session_kit import EXERCISES, HOLDER, NOW, at_step, context, run

DAY = timedelta(hours=24)


def plain_text(message) -> str:
    """A message as the set reads it in English, without its HTML."""
    text = html.unescape(re.sub("<[^>]+>", "", render(message, "en")))
    return text.replace("\u2068", "").replace("\u2069", "")


def async_step(index: int = 1, exercise: str = "classic"):
    """An async session (steps of a day) in step `index`."""
    state = at_step(exercise, index).model_copy(update={"step_length": DAY})
    return state.model_copy(update={"deadline": NOW + DAY})


def test_an_async_step_ends_with_its_digest_just_before_the_next_step():
    said = (
        Said(kind="question", user_id=3, name="Amina", text="What changed   this year?"),
        Said(kind="answer", user_id=2, name="Hana", text="The rota."),
        Said(kind="voice", user_id=3, name="Amina", voice_seconds=23),
        Said(kind="question", user_id=None, name=None, text="Who decides?"),
        Said(kind="comment", user_id=4, name="Bob", text="Same here."),
    )
    ctx = context(now=NOW + DAY, step_said=said)
    outcome = run(async_step(1), TimerFired(kind="end", step_index=1), ctx=ctx)
    texts = [plain_text(e.message) for e in outcome.effects if isinstance(e, Say)]
    assert texts[0].startswith("📋 Step 2 · Clarifying questions, in short:")
    assert "1. What changed this year? (Amina)" in texts[0]
    assert "2. Who decides? (a member)" in texts[0]
    assert "🎤 0:23, from Amina" in texts[0]
    # whoever was away reads what was said, with who said it
    assert "💬 The rota. (Hana)" in texts[0] and "🗨 Same here. (Bob)" in texts[0]
    assert texts[1].startswith("Step 3/6")
    assert outcome.state.step_index == 2


def test_a_step_where_nothing_was_said_says_so():
    ctx = context(now=NOW + DAY, step_said=())
    outcome = run(async_step(1), TimerFired(kind="end", step_index=1), ctx=ctx)
    first = next(e for e in outcome.effects if isinstance(e, Say))
    assert plain_text(first.message).endswith("Nothing was said in this step.")


def test_statements_of_the_problem_are_counted_never_quoted_before_the_reveal():
    said = (Said(kind="reframe", user_id=3, name="Amina", text="Secret framing"),)
    text = plain_text(digest(EXERCISES["reframe"], 2, said))
    assert "Secret framing" not in text and "1 statement" in text


def test_statements_revealed_before_the_end_of_their_step_are_quoted_in_its_digest():
    said = (Said(kind="reframe", user_id=3, name="Amina", text="It is about recognition"),)
    state = async_step(2, "reframe").model_copy(update={"revealed": True})
    ctx = context("reframe", now=NOW + DAY, step_said=said)
    outcome = run(state, TimerFired(kind="end", step_index=2), ctx=ctx)
    text = plain_text(next(e for e in outcome.effects if isinstance(e, Say)).message)
    assert "🔎 It is about recognition (Amina)" in text and "shown at the reveal" not in text


def test_the_holders_own_reframing_is_quoted_not_counted_as_a_statement_to_reveal():
    said = (Said(kind="reframe", user_id=2, name="Hana", text="It is about trust"),)
    step = next(i for i, s in enumerate(EXERCISES["classic"].steps) if s.records.value == "reframe")
    text = plain_text(digest(EXERCISES["classic"], step, said))
    assert "🗣 Hana: It is about trust" in text and "statement" not in text


def test_a_live_session_has_no_digest():
    state = at_step("classic", 1)
    ctx = context(now=NOW + DAY, auto_advance=True, step_said=())
    outcome = run(state, TimerFired(kind="end", step_index=1), ctx=ctx)
    first = next(e for e in outcome.effects if isinstance(e, Say))
    assert plain_text(first.message).startswith("Step 3/6")
    assert HOLDER.name


def test_the_reminder_comes_three_quarters_in_and_at_most_a_day_before_the_end():
    from flows.steps import reminder_due

    assert reminder_due(NOW, NOW + DAY) == NOW + timedelta(hours=18)
    assert reminder_due(NOW, NOW + 7 * DAY) == NOW + 6 * DAY
    state = at_step("classic", 0).model_copy(update={"step_length": DAY, "reminded": False})
    from flows.steps import enter_step

    entered = enter_step(state, 1, context())
    kinds = [(e.kind, e.due) for e in entered.effects if hasattr(e, "due")]
    assert kinds == [("warning", NOW + timedelta(hours=18)), ("end", NOW + DAY)]


def test_the_reminder_names_only_members_who_said_nothing_and_comes_once():
    from tests.flows.session_kit import AMINA, BOB, CHEN, FACILITATOR

    said = (Said(kind="question", user_id=AMINA.user_id, name="Amina", text="Why?"),)
    members = (FACILITATOR, HOLDER, AMINA, BOB, CHEN)
    ctx = context(now=NOW + timedelta(hours=18), step_said=said, members=members)
    outcome = run(async_step(1), TimerFired(kind="warning", step_index=1), ctx=ctx)
    (say,) = outcome.effects
    text = plain_text(say.message)
    assert text.startswith("🔔 Bob, Chen, this step ends")  # not the holder, facilitator, Amina
    assert outcome.state.reminded
    again = run(outcome.state, TimerFired(kind="warning", step_index=1), ctx=ctx)
    assert again.effects == ()


def test_no_reminder_when_everyone_has_spoken():
    from tests.flows.session_kit import AMINA

    said = (Said(kind="question", user_id=AMINA.user_id, name="Amina", text="Why?"),)
    ctx = context(now=NOW + timedelta(hours=18), step_said=said, members=(HOLDER, AMINA))
    outcome = run(async_step(1), TimerFired(kind="warning", step_index=1), ctx=ctx)
    assert outcome.effects == () and outcome.state.reminded


def test_the_digest_of_a_holder_step_quotes_the_holders_words():
    said = (
        Said(kind="topic", user_id=2, name="Hana", text="Night nurses leave before the handover."),
        Said(kind="comment", user_id=4, name="Bob", text="Same on our ward."),
    )
    text = plain_text(digest(EXERCISES["consult"], 0, said))
    assert "🗣 Hana: Night nurses leave before the handover." in text
    assert "🗨 Same on our ward. (Bob)" in text and "Nothing was said" not in text
    said = (Said(kind="action", user_id=2, name="Hana", text="Hold a huddle | fewer leave"),)
    commit_step = plain_text(digest(EXERCISES["consult"], 4, said))
    assert "🗣 Hana: Hold a huddle | fewer leave" in commit_step
