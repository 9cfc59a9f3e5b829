"""The consult exercise: questions guarded, then an ideas round where the holder only listens."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.helpers import (
    HAVE_TOPIC,
    TAKEN,
    actions,
    armed,
    armed_like_pending_rows,
    assert_every_call_ok,
    cast,
    contribution,
    db_time,
    mention_link,
    new_texts,
    only_session,
    pending_timers,
    step_texts,
)


async def test_consult_session_start_to_finish(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, dan = people.members

    await fac.command("/session consult")
    assert "Peer consultation" in group.bot_texts()[0]
    await ann.press(group.last_bot_message(), HAVE_TOPIC)
    step1 = group.bot_texts()[-1]
    assert step1.startswith("Step 1/6 · Present the challenge (3 min)")
    assert "Ann, please start with your topic in one line" in step1
    first_line = await ann.say("Volunteers drop out after two weeks\nWe train them, then they go.")
    assert only_session(bot)["topic"] == "Volunteers drop out after two weeks"
    bot.clock.advance(minutes=2)

    # Step 2: clarifying questions, three ways, and the questions-only rule.
    await fac.command("/next")
    step2 = group.last_bot_message()
    assert step2.text.startswith("Step 2/6 · Clarifying questions (4 min)")
    seen = len(group.bot_texts())
    plain = await ben.say("Since when does this happen?")
    replied = await cat.reply(step2, "Who decides on the training?")
    by_command = await dan.command("/q How many volunteers start each month?")
    answer = await ann.say("About ten a month.")
    advice = await dan.say("Have you tried talking to them?")
    more_advice = await dan.say("Why don't you pay them?")
    (nudge,) = new_texts(group, seen)
    assert nudge.startswith("Dan, that sounds like advice.")
    assert mention_link(dan) in group.last_bot_message().source

    await cat.command("/next")
    (refusal,) = new_texts(group, seen + 1)
    assert refusal.startswith("Only facilitators") and "/next" in refusal
    assert only_session(bot)["step_index"] == 1

    step2_end = bot.clock.now + timedelta(minutes=4)
    assert [row["due_at"] for row in pending_timers(bot)] == [
        db_time(step2_end - timedelta(minutes=1)),
        db_time(step2_end),
    ]
    await fac.command("/extend 5")
    assert group.bot_texts()[-1].startswith("⏱ +5 min: this step now ends at")
    new_end = step2_end + timedelta(minutes=5)
    assert [due for _, due in armed(bot)] == [new_end - timedelta(minutes=1)]  # end: after it
    assert armed_like_pending_rows(bot)
    bot.clock.now = new_end - timedelta(minutes=1)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    bot.clock.now = new_end
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1].startswith("⌛ Time is up for this step. Fatou")
    assert mention_link(fac) in group.last_bot_message().source

    # Step 3: ideas are welcome (no nudge); the holder is reminded once to listen.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 3/6 · Ideas round (8 min)")
    seen = len(group.bot_texts())
    idea = await ben.say("Have you tried talking to them?")
    other_idea = await cat.say("You should pair each new volunteer with an old hand.")
    assert new_texts(group, seen) == []
    interrupt = await ann.say("We tried pairing already.")
    (reminder,) = new_texts(group, seen)
    assert reminder.startswith("Ann, in this round you only listen")
    assert mention_link(ann) in group.last_bot_message().source
    interrupt_again = await ann.say("It did not work.")
    assert new_texts(group, seen) == [reminder]
    bot.clock.advance(minutes=5)

    # Step 4: what was most valuable; step 5: commit by a plain message; step 6: learning.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 4/6 · What was most valuable (3 min)")
    insight = await ann.say("The pairing idea, done differently.")
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 5/6 · Commit to an action (2 min)")
    committed = await ann.say("Pair the next five volunteers with mentors")
    assert group.bot_texts()[-1].startswith("Step 5/6")  # taken with a reaction, no message
    assert bot.fake.reactions(group.id, committed.message_id) == TAKEN
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 6/6 · One line of learning (2 min)")
    learning = await dan.say("I learned that ideas land better when asked for.")
    await fac.command("/next")

    summary = group.bot_texts()[-1]
    assert summary.splitlines() == [
        "Session summary",
        "Topic: Volunteers drop out after two weeks (topic holder Ann)",
        "5 questions asked",
        "1 nudge to keep to questions",
        "Action: Pair the next five volunteers with mentors",
        "No next meeting is set yet: a facilitator can set one with /schedule, and I'll bring"
        " this action back then.",
        "🗳 How did we do? Each member taps a score from 1 to 10.",
    ]
    assert len(step_texts(group)) == 6
    assert_every_call_ok(bot)

    session = only_session(bot)
    assert (session["phase"], session["exercise"]) == ("closed", "consult")
    assert session["closed_at"] == db_time(bot.clock.now)
    assert session["reframe"] is None
    expected = [
        (first_line, "topic", 0, ann, None),
        (plain, "question", 1, ben, None),
        (replied, "question", 1, cat, None),
        (by_command, "question", 1, dan, None),
        (answer, "answer", 1, ann, None),
        (advice, "question", 1, dan, "advice"),
        (more_advice, "question", 1, dan, "advice"),
        (idea, "idea", 2, ben, None),
        (other_idea, "idea", 2, cat, None),
        (interrupt, "answer", 2, ann, None),
        (interrupt_again, "answer", 2, ann, None),
        (insight, "insight", 3, ann, None),
        (committed, "action", 4, ann, None),
        (learning, "learning", 5, dan, None),
    ]
    for message, kind, step, who, flagged in expected:
        row = contribution(bot, message.message_id)
        assert row is not None, message.text
        stored = (row["kind"], row["step_index"], row["user_id"], row["flagged"])
        assert stored == (kind, step, who.user_id, flagged), message.text
    (action,) = actions(bot)
    assert (action["status"], action["holder_id"], action["text"]) == (
        "open",
        ann.user_id,
        "Pair the next five volunteers with mentors",
    )
    assert pending_timers(bot) == []
    assert armed(bot) == []


async def test_the_holders_own_lines_after_the_action_join_it(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session consult")
    await ann.command("/topic Night staff leave early")
    for _ in range(4):
        await fac.command("/next")
    await ann.say("I will call the district nurse on Monday")
    sign = await ann.say("and I'll know it worked if she agrees to a rota")
    need = await ann.say("I need Ben to cover the ward during the call")
    chat = await ann.say("Thanks, this helped")
    assert bot.fake.reactions(group.id, sign.message_id)  # taken, like the action itself
    assert bot.fake.reactions(group.id, need.message_id)
    assert not bot.fake.reactions(group.id, chat.message_id)  # a comment
    await fac.command("/next")
    await fac.command("/next")
    summary = group.bot_texts()[-1]
    assert "Action: I will call the district nurse on Monday" in summary
    assert "How we'll know it worked: she agrees to a rota" in summary
    assert "Help needed: Ben to cover the ward during the call" in summary
