"""A restart in the middle of a session (clean or a crash) loses nothing and re-arms the timers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.e2e.helpers import (
    actions,
    armed,
    armed_like_pending_rows,
    assert_every_call_ok,
    cast,
    contributions,
    db_time,
    new_texts,
    only_session,
    pending_timers,
    start_with_holder,
)


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash"])
async def test_a_restart_mid_step_resumes_at_the_same_step(bot, crash):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, dan = people.members
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await ann.say("Half of the night shift leaves at 3pm.")
    bot.clock.advance(minutes=2)
    await fac.command("/next")
    step2 = group.last_bot_message()
    step2_end = bot.clock.now + timedelta(minutes=10)
    asked = await ben.say("Who else is involved?")
    await cat.reply(step2, "When did it start?")
    await dan.command("/q How many people leave early?")
    await ben.say("Have you tried talking to them?")
    assert group.bot_texts()[-1].startswith("Ben, that sounds like advice.")
    bot.clock.advance(minutes=3)
    kept = contributions(bot)
    timers = pending_timers(bot)
    assert len(timers) == 2
    seen = len(group.bot_texts())

    await bot.restart(crash=crash)

    assert only_session(bot)["step_index"] == 1
    assert contributions(bot) == kept
    assert pending_timers(bot) == timers
    assert [due for _, due in armed(bot)] == [step2_end - timedelta(minutes=1), step2_end]
    assert armed_like_pending_rows(bot)

    # The step goes on: Ben was nudged before, so not again; a reply to the old message counts.
    await ben.say("You should ask their manager.")
    await cat.reply(step2, "What does the night shift say?")
    await bot.tg.replay(asked.update)  # delivered again after the restart: already applied
    assert new_texts(group, seen) == []
    assert len(contributions(bot)) == len(kept) + 2
    assert contributions(bot)[-2]["flagged"] == "advice"

    bot.clock.now = step2_end - timedelta(minutes=1)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    bot.clock.now = step2_end
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1].startswith("⌛ Time is up for this step. Fatou")

    for _ in range(3):
        await fac.command("/next")
    await ann.command("/action Talk to the night shift")
    await fac.command("/next")
    await fac.command("/next")
    summary = group.bot_texts()[-1]
    assert "Topic: Staff leave early (topic holder Ann)" in summary
    assert "6 questions asked" in summary
    assert "Action: Talk to the night shift" in summary
    session = only_session(bot)
    assert (session["phase"], session["closed_at"]) == ("closed", db_time(bot.clock.now))
    assert actions(bot)[0]["status"] == "open"
    assert armed(bot) == []
    assert_every_call_ok(bot)


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash"])
async def test_timers_that_fell_due_while_down_fire_on_restart(bot, crash):
    people = cast(bot)
    group = people.group
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.fac.command("/next")
    seen = len(group.bot_texts())

    await bot.restart(crash=crash)
    bot.clock.advance(minutes=12)  # the step ended while the bot was away
    assert armed_like_pending_rows(bot)
    assert await bot.fire_due() == 2
    # The late warning says nothing: "time is up" says it all.
    (time_up,) = new_texts(group, seen)
    assert time_up.startswith("⌛ Time is up for this step. Fatou")
    assert pending_timers(bot) == []
    assert only_session(bot)["step_index"] == 1


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash"])
async def test_a_restart_keeps_held_back_statements(bot, crash):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, _ = people.members
    await start_with_holder(bot, people, "reframe", "Staff leave early")
    await fac.command("/next")
    await ben.say("What have you noticed about Fridays?")
    await fac.command("/next")
    step3 = group.last_bot_message()
    await ben.reply(step3, "The real problem is pay.")

    await bot.restart(crash=crash)
    state = json.loads(only_session(bot)["state"])
    assert [s["text"] for s in state["statements"]] == ["The real problem is pay."]
    await cat.reply(step3, "The real problem is trust.")
    await fac.command("/next")
    reveal = group.last_bot_message()
    assert "1. Ben: The real problem is pay." in reveal.text
    assert "2. Cat: The real problem is trust." in reveal.text
    await ann.press(reveal, "Fits: 2")
    assert only_session(bot)["reframe"] == "The real problem is trust."
    assert_every_call_ok(bot)


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash"])
async def test_a_restart_before_the_holder_is_chosen_keeps_the_topic_button(bot, crash):
    people = cast(bot)
    group = people.group
    await people.fac.command("/session classic")
    ask = group.last_bot_message()

    await bot.restart(crash=crash)
    await people.holder.press(ask, "🙋 I have a topic")
    assert group.bot_texts()[-1].startswith("Step 1/6 · Present the issue")
    assert only_session(bot)["topic_holder_id"] == people.holder.user_id
    assert armed_like_pending_rows(bot) and len(armed(bot)) == 1  # the warning; the end after
