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
    assert "💬 1 answer" in texts[0] and "🗨 1 comment" in texts[0]
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


def test_a_live_session_has_no_digest():
    state = at_step("classic", 1)
    ctx = context(now=NOW + DAY, auto_advance=True, step_said=())
    outcome = run(state, TimerFired(kind="end", step_index=1), ctx=ctx)
    first = next(e for e in outcome.effects if isinstance(e, Say))
    assert plain_text(first.message).startswith("Step 3/6")
    assert HOLDER.name
