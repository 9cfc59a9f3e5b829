"""The reframe exercise: statements held back, revealed together, the holder picks one."""

from __future__ import annotations

from datetime import timedelta

from fake_telegram import bad_request, network_error, visible
from tests.e2e.helpers import (
    HAVE_TOPIC,
    TAKEN,
    actions,
    armed,
    armed_like_pending_rows,
    assert_every_call_ok,
    buttons,
    cast,
    contribution,
    db_time,
    mention_link,
    new_texts,
    only_session,
    pass_time,
    pending_timers,
    start_with_holder,
    step_texts,
    tap_again,
)

STATEMENTS = (
    "The real problem is pay.",
    "The real problem is that nobody trusts the rota.",
    "The real problem is the bus timetable.",
)


async def to_reframing(bot, people) -> None:
    """Start reframe with Ann's topic, one question, and /next to step 3 (reframing)."""
    await start_with_holder(bot, people, "reframe", "Staff leave early")
    await people.fac.command("/next")
    await people.members[0].say("What have you noticed about Fridays?")
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 3/6 · Reframing (7 min)")


async def to_one_statement_revealed(bot, people) -> None:
    """To reframing, where Ben's statement is the only one and the facilitator reveals it."""
    await to_reframing(bot, people)
    await people.members[0].reply(people.group.last_bot_message(), STATEMENTS[0])
    await people.fac.command("/next")


async def test_reframe_session_start_to_finish(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, dan = people.members

    await fac.command("/session reframe")
    assert "Questions and reframing" in group.bot_texts()[0]
    await ann.command("/topic Staff leave early on Fridays")
    assert group.bot_texts()[-1].startswith("Step 1/6 · Present the problem (5 min)")
    await ann.say("Half of the night shift leaves at 3pm.")
    bot.clock.advance(minutes=4)

    # Step 2: questions three ways; advice nudged once; a member's /next refused; /extend.
    await fac.command("/next")
    step2 = group.last_bot_message()
    assert step2.text.startswith("Step 2/6 · Questions (10 min)")
    seen = len(group.bot_texts())
    plain = await ben.say("What have you noticed about Fridays?")
    replied = await cat.reply(step2, "Who is affected most?")
    by_command = await dan.command("/q What does the night shift say?")
    advice = await cat.say("Have you tried talking to them?")
    more_advice = await cat.say("Wouldn't it be better to change the rota?")
    (nudge,) = new_texts(group, seen)
    assert nudge.startswith("Cat, that sounds like advice.")
    await dan.command("/next")
    assert group.bot_texts()[-1].startswith("Only facilitators")
    assert only_session(bot)["step_index"] == 1
    step2_end = bot.clock.now + timedelta(minutes=10)
    await fac.command("/extend 5")
    new_end = step2_end + timedelta(minutes=5)
    assert [(row["kind"], row["due_at"]) for row in pending_timers(bot)] == [
        ("step_warning", db_time(new_end - timedelta(minutes=1))),
        ("step_end", db_time(new_end)),
    ]
    assert armed_like_pending_rows(bot)
    bot.clock.now = new_end - timedelta(minutes=1)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    bot.clock.now = new_end
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1].startswith("⌛ Time is up for this step. Fatou")
    assert mention_link(fac) in group.last_bot_message().source

    # Step 3: statements by reply are held back until all three members sent one.
    await fac.command("/next")
    step3 = group.last_bot_message()
    assert step3.text.startswith("Step 3/6 · Reframing (7 min)")
    seen = len(group.bot_texts())
    statements = [await ben.reply(step3, STATEMENTS[0]), await cat.reply(step3, STATEMENTS[1])]
    assert new_texts(group, seen) == []
    assert all(STATEMENTS[0] not in text for text in group.bot_texts())
    statements.append(await dan.reply(step3, STATEMENTS[2]))
    revealed = new_texts(group, seen)
    assert len(revealed) == 1, "not revealed once all three members sent a statement"
    reveal = revealed[0]
    assert reveal.splitlines()[1:4] == [
        f"1. Ben: {STATEMENTS[0]}",
        f"2. Cat: {STATEMENTS[1]}",
        f"3. Dan: {STATEMENTS[2]}",
    ]
    reveal_message = group.last_bot_message()
    assert buttons(reveal_message) == ["Fits: 1", "Fits: 2", "Fits: 3"]

    # The holder picks statement 2.
    sent_before = len(group.bot_messages())
    press = await ann.press(reveal_message, "Fits: 2")
    assert press.answered
    assert len(group.bot_messages()) == sent_before  # the reveal itself shows the pick
    picked = group.last_bot_message()
    assert picked.message_id == reveal_message.message_id
    assert picked.text.startswith(reveal)
    assert picked.text.endswith(f"\n\n🔎 Reframed problem: {STATEMENTS[1]}")
    assert buttons(picked) == ["Fits: 1", "Fits: 2", "Fits: 3"]  # a change of mind is a tap
    assert only_session(bot)["reframe"] == STATEMENTS[1]
    bot.clock.advance(minutes=3)

    # Step 4: questions about ways forward; step 5: commit; step 6: review.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 4/6 · Questions about ways forward (10 min)")
    forward = await ben.say("Who could help you rewrite the rota?")
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 5/6 · Commit to an action (3 min)")
    committed = await ann.command(
        "/action Rewrite the rota with two night staff | they sign it off"
    )
    assert bot.fake.reactions(group.id, committed.message_id) == TAKEN
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 6/6 · How did we do? (5 min)")
    review = await cat.say("We did well at listening. 8/10")
    await fac.command("/next")

    assert group.bot_texts()[-1].splitlines() == [
        "Session summary",
        "Topic: Staff leave early on Fridays (topic holder Ann)",
        "6 questions asked",
        "1 nudge to keep to questions",
        f"Reframed problem: {STATEMENTS[1]}",
        "Action: Rewrite the rota with two night staff",
        "How we'll know it worked: they sign it off",
        "No next meeting is set yet: a facilitator can set one with /schedule, and I'll bring"
        " this action back then.",
        "🗳 How did we do? Each member taps a score from 1 to 10.",
    ]
    assert len(step_texts(group)) == 6
    assert_every_call_ok(bot)

    session = only_session(bot)
    assert (session["phase"], session["exercise"]) == ("closed", "reframe")
    assert session["closed_at"] is not None
    assert session["reframe"] == STATEMENTS[1]
    expected = [
        (plain, "question", 1, ben, None),
        (replied, "question", 1, cat, None),
        (by_command, "question", 1, dan, None),
        (advice, "question", 1, cat, "advice"),
        (more_advice, "question", 1, cat, "advice"),
        (statements[0], "reframe", 2, ben, None),
        (statements[1], "reframe", 2, cat, None),
        (statements[2], "reframe", 2, dan, None),
        (forward, "question", 3, ben, None),
        (review, "learning", 5, cat, None),
    ]
    for message, kind, step, who, flagged in expected:
        row = contribution(bot, message.message_id)
        assert row is not None, message.text
        stored = (row["kind"], row["step_index"], row["user_id"], row["flagged"])
        assert stored == (kind, step, who.user_id, flagged), message.text
    (action,) = actions(bot)
    assert (action["status"], action["text"], action["success_sign"]) == (
        "open",
        "Rewrite the rota with two night staff",
        "they sign it off",
    )
    assert armed(bot) == []


async def test_holder_picks_a_statement_after_the_facilitator_reveals(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await to_reframing(bot, people)
    step3 = group.last_bot_message()
    for member, statement in zip(people.members[:2], STATEMENTS, strict=False):
        await member.reply(step3, statement)
    holder_aside = await ann.say("Hmm.")
    seen = len(group.bot_texts())

    await fac.command("/next")  # reveal what is there, without waiting for everyone
    (reveal,) = new_texts(group, seen)
    assert f"1. Ben: {STATEMENTS[0]}" in reveal and f"2. Cat: {STATEMENTS[1]}" in reveal
    assert buttons(group.last_bot_message()) == ["Fits: 1", "Fits: 2"]
    assert only_session(bot)["step_index"] == 2

    await ann.press(group.last_bot_message(), "Fits: 1")
    assert group.bot_texts()[-1].endswith(f"🔎 Reframed problem: {STATEMENTS[0]}")
    assert only_session(bot)["reframe"] == STATEMENTS[0]
    assert contribution(bot, holder_aside.message_id)["kind"] == "answer"

    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 4/6")
    await fac.command("/next")
    await ann.say("Talk to the bus company")
    await fac.command("/next")
    await fac.command("/next")
    summary = group.bot_texts()[-1]
    assert f"Reframed problem: {STATEMENTS[0]}" in summary
    assert "Action: Talk to the bus company" in summary
    assert only_session(bot)["reframe"] == STATEMENTS[0]


async def test_holder_may_write_their_own_version_after_the_reveal(bot):
    people = cast(bot)
    ann = people.holder
    await to_one_statement_revealed(bot, people)
    merged = await ann.say("Pay and trust, together.")
    assert only_session(bot)["reframe"] == "Pay and trust, together."
    assert contribution(bot, merged.message_id)["kind"] == "reframe"


async def test_a_pick_by_someone_else_is_answered_and_changes_nothing(bot):
    people = cast(bot)
    group, ben = people.group, people.members[0]
    await to_one_statement_revealed(bot, people)
    reveal_message = group.last_bot_message()
    seen = len(group.bot_texts())

    press = await ben.press(reveal_message, "Fits: 1")
    assert press.answer is not None
    assert press.answer.get("text") == "Only the topic holder picks the statement."
    assert new_texts(group, seen) == []
    assert only_session(bot)["reframe"] is None
    assert buttons(group.last_bot_message()) == ["Fits: 1"]


async def test_a_double_tapped_pick_is_announced_once(bot):
    people = cast(bot)
    group, ann = people.group, people.holder
    await to_one_statement_revealed(bot, people)
    seen = len(group.bot_texts())

    first = await ann.press(group.last_bot_message(), "Fits: 1")
    assert first.answered
    assert await tap_again(bot, first) is not None
    assert new_texts(group, seen) == []
    assert len(bot.fake.calls_of("editMessageText")) == 1  # shown on the reveal, once
    assert group.bot_texts()[-1].endswith(f"🔎 Reframed problem: {STATEMENTS[0]}")
    assert only_session(bot)["reframe"] == STATEMENTS[0]


async def test_a_pick_telegram_cannot_show_on_the_reveal_is_said_instead(bot):
    people = cast(bot)
    group, ann = people.group, people.holder
    await to_one_statement_revealed(bot, people)
    seen = len(group.bot_texts())
    bot.fake.fail_next("editMessageText", bad_request("message can't be edited"))

    press = await ann.press(group.last_bot_message(), "Fits: 1")
    assert press.answered
    assert new_texts(group, seen) == [f"🔎 Reframed problem: {STATEMENTS[0]}"]
    assert only_session(bot)["reframe"] == STATEMENTS[0]


async def test_a_pick_lost_on_the_way_is_shown_on_the_reveal_later(bot):
    people = cast(bot)
    group, ann = people.group, people.holder
    await to_one_statement_revealed(bot, people)
    reveal = group.last_bot_message()
    seen = len(group.bot_texts())
    bot.fake.fail_next("editMessageText", network_error())

    await ann.press(reveal, "Fits: 1")
    assert only_session(bot)["reframe"] == STATEMENTS[0]
    await pass_time(bot, minutes=1)
    assert new_texts(group, seen) == [], "a lost edit is made again, not replaced by a message"
    assert group.last_bot_message().text.endswith(f"🔎 Reframed problem: {STATEMENTS[0]}")


async def test_a_pick_already_shown_on_the_reveal_is_not_said_again(bot):
    """Telegram answers 'message is not modified' when the reveal already shows the pick."""
    people = cast(bot)
    group, ann = people.group, people.holder
    await to_one_statement_revealed(bot, people)
    seen = len(group.bot_texts())
    bot.fake.fail_next("editMessageText", bad_request("message is not modified"))

    await ann.press(group.last_bot_message(), "Fits: 1")
    assert new_texts(group, seen) == []
    assert only_session(bot)["reframe"] == STATEMENTS[0]


async def test_double_tapped_have_topic_button_changes_nothing_twice(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await fac.command("/session reframe")
    ask = group.last_bot_message()
    first = await ann.press(ask, HAVE_TOPIC)
    assert first.answered
    assert group.bot_texts()[-1].startswith("Step 1/6 · Present the problem")
    assert buttons(group.bot_messages()[1]) == []  # the button is gone once someone took it
    seen = len(group.bot_texts())
    timers = pending_timers(bot)

    second = await tap_again(bot, first)
    assert second is not None, "the second tap was not answered"
    assert "<" not in second.get("text", ""), second  # callback answers are plain text
    assert new_texts(group, seen) == []
    assert pending_timers(bot) == timers
    session = only_session(bot)
    assert (session["step_index"], session["topic_holder_id"]) == (0, ann.user_id)


async def test_have_topic_button_pressed_by_another_member_after_the_holder(bot):
    people = cast(bot)
    group, fac, ann, ben = people.group, people.fac, people.holder, people.members[0]
    await fac.command("/session classic")
    first = await ann.press(group.last_bot_message(), HAVE_TOPIC)
    seen = len(group.bot_texts())

    # Ben's client still showed the button when he pressed it.
    answer = await tap_again(bot, first, by=ben)
    assert answer is not None
    assert visible(answer.get("text")) == "Ann is already today's topic holder."  # no HTML
    assert new_texts(group, seen) == []
    assert only_session(bot)["topic_holder_id"] == ann.user_id
