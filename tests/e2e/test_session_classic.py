"""The classic exercise from /session to the summary, as the group and the database see it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fake_telegram import bad_request, network_error, retry_after
from tests.conftest import START
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
    pending_timers,
    query,
    start_with_holder,
    step_texts,
)


async def test_classic_session_start_to_finish(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, dan = people.members

    await fac.command("/session classic")
    (started_and_ask,) = group.bot_texts()  # one message: started, and who brings a topic
    assert "Classic action learning set" in started_and_ask
    assert "Who brings a topic today?" in started_and_ask
    assert buttons(group.last_bot_message()) == [HAVE_TOPIC]

    # Step 1: the holder presents; what others say is a comment.
    topic_message = await ann.command("/topic Staff leave early on Fridays")
    (step1,) = new_texts(group, 1)
    assert step1.startswith("Step 1/6 · Present the issue (5 min)")
    assert "Ann speaks" in step1
    description = await ann.say("Since March, half of the night shift leaves at 3pm.")
    comment = await ben.say("That sounds hard.")
    assert len(group.bot_texts()) == 2
    bot.clock.advance(minutes=3)

    # Step 2: questions by plain message, by reply to the step message, and by /q.
    await fac.command("/next")
    step2 = group.last_bot_message()
    assert step2.text.startswith("Step 2/6 · Clarifying questions (10 min)")
    seen = len(group.bot_texts())
    plain = await ben.say("Who else is involved?")
    bot.clock.advance(seconds=40)
    replied = await cat.reply(step2, "When did it start?")
    bot.clock.advance(seconds=40)
    by_command = await dan.command("/q How many people leave early?")
    answer = await ann.say("Mostly the night shift, since March.")
    assert new_texts(group, seen) == []

    # Advice is nudged once per member and step; it is still recorded, flagged.
    advice = await ben.say("Have you tried talking to them?")
    (nudge,) = new_texts(group, seen)
    assert nudge.startswith("Ben, that sounds like advice.")
    assert mention_link(ben) in group.last_bot_message().source
    more_advice = await ben.say("You should talk to their manager.")
    assert new_texts(group, seen) == [nudge]

    # A member's /next is refused with one polite line; the step does not change.
    await ben.command("/next")
    (refusal,) = new_texts(group, seen + 1)
    assert refusal.startswith("Only facilitators") and "/next" in refusal
    assert only_session(bot)["step_index"] == 1

    # /extend 5 moves the step's timers: old rows cancelled, new ones pending and armed.
    step2_start = START + timedelta(minutes=3)
    assert [row["due_at"] for row in pending_timers(bot)] == [
        db_time(step2_start + timedelta(minutes=9)),
        db_time(step2_start + timedelta(minutes=10)),
    ]
    await fac.command("/extend 5")
    (extended,) = new_texts(group, seen + 2)
    assert extended.startswith("⏱ +5 min: this step now ends at") and "09:18" in extended
    new_end = step2_start + timedelta(minutes=15)
    rows = pending_timers(bot)
    assert [(row["kind"], row["ref"], row["due_at"]) for row in rows] == [
        ("step_warning", 1, db_time(new_end - timedelta(minutes=1))),
        ("step_end", 1, db_time(new_end)),
    ]
    # One job per step at a time: the warning's; the end's job is armed when the warning fires.
    assert [due for _, due in armed(bot)] == [new_end - timedelta(minutes=1)]
    assert armed_like_pending_rows(bot)

    # The timers: about a minute left, then time is up for the facilitator; no auto-advance.
    bot.clock.now = new_end - timedelta(minutes=2)
    assert await bot.fire_due() == 0
    bot.clock.now = new_end - timedelta(minutes=1)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    assert [due for _, due in armed(bot)] == [new_end]
    bot.clock.now = new_end
    assert await bot.fire_due() == 1
    time_up = group.last_bot_message()
    assert time_up.text.startswith("⌛ Time is up for this step. Fatou, send /next")
    assert mention_link(fac) in time_up.source
    assert only_session(bot)["step_index"] == 1
    assert pending_timers(bot) == []

    # Step 3: probing questions.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 3/6 · Probing, open questions (15 min)")
    probe = await cat.say("What would success look like for you?")
    bot.clock.advance(minutes=6)

    # Step 4: the holder says what the problem is now.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 4/6 · What is the problem now? (3 min)")
    reframe = await ann.say("The night shift has no say in the rota.")
    bot.clock.advance(minutes=2)

    # Step 5: the holder commits with /action what | sign | help.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 5/6 · Commit to an action (3 min)")
    sent_before = len(group.bot_messages())
    committed = await ann.command(
        "/action Hold a rota meeting with the night shift | three people sign up | Ben's template"
    )
    # Taken with a reaction on Ann's message, not another message in the chat.
    assert bot.fake.reactions(group.id, committed.message_id) == TAKEN
    assert len(group.bot_messages()) == sent_before

    # Step 6: learning round, then the summary.
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 6/6 · Learning round (5 min)")
    learnings = [
        await ben.say("I learned to ask before advising."),
        await ann.say("I learned the rota is the real issue."),
    ]
    await fac.command("/next")
    summary = group.last_bot_message()
    assert summary.text.splitlines() == [
        "Session summary",
        "Topic: Staff leave early on Fridays (topic holder Ann)",
        "6 questions asked",
        "1 nudge to keep to questions",
        "Reframed problem: The night shift has no say in the rota.",
        "Action: Hold a rota meeting with the night shift",
        "How we'll know it worked: three people sign up",
        "Help needed: Ben's template",
        "No next meeting is set yet: a facilitator can set one with /schedule, and I'll bring"
        " this action back then.",
        "🗳 How did we do? Each member taps a score from 1 to 10.",
    ]
    assert [b["text"] for b in summary.buttons()] == [str(n) for n in range(1, 11)]
    assert mention_link(ann) in summary.source
    assert len(step_texts(group)) == 6
    assert_every_call_ok(bot)

    # The stored session, its contributions and the open action.
    session = only_session(bot)
    assert session["phase"] == "closed"
    assert session["closed_at"] == db_time(bot.clock.now)
    assert session["exercise"] == "classic"
    assert session["topic"] == "Staff leave early on Fridays"
    assert session["reframe"] == "The night shift has no say in the rota."
    assert session["topic_holder_id"] == ann.user_id
    assert session["started_by"] == fac.user_id

    expected = [
        (topic_message, "topic", 0, ann, None),
        (description, "topic", 0, ann, None),
        (comment, "comment", 0, ben, None),
        (plain, "question", 1, ben, None),
        (replied, "question", 1, cat, None),
        (by_command, "question", 1, dan, None),
        (answer, "answer", 1, ann, None),
        (advice, "question", 1, ben, "advice"),
        (more_advice, "question", 1, ben, "advice"),
        (probe, "question", 2, cat, None),
        (reframe, "reframe", 3, ann, None),
        (learnings[0], "learning", 5, ben, None),
        (learnings[1], "learning", 5, ann, None),
    ]
    for message, kind, step, who, flagged in expected:
        row = contribution(bot, message.message_id)
        assert row is not None, message.text
        stored = (row["kind"], row["step_index"], row["user_id"], row["flagged"])
        assert stored == (kind, step, who.user_id, flagged), message.text
        assert row["session_id"] == session["id"]
    assert contribution(bot, replied.message_id)["text"] == "When did it start?"
    assert contribution(bot, by_command.message_id)["text"] == "How many people leave early?"
    assert contribution(bot, topic_message.message_id)["text"] == "Staff leave early on Fridays"

    (action,) = actions(bot)
    assert action["status"] == "open"
    assert action["session_id"] == session["id"]
    assert (action["holder_id"], action["holder_name"]) == (ann.user_id, "Ann")
    assert action["text"] == "Hold a rota meeting with the night shift"
    assert action["success_sign"] == "three people sign up"
    assert action["help_needed"] == "Ben's template"
    assert action["due_at"] is None
    assert pending_timers(bot) == []
    assert armed(bot) == []


async def advance_to_commit(bot, people) -> None:
    """Start classic with Ann's topic and /next to step 5 (commit)."""
    await start_with_holder(bot, people, "classic", "Staff leave early")
    for _ in range(4):
        await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 5/6 · Commit to an action")


async def test_holder_commits_with_a_plain_message(bot):
    people = cast(bot)
    group, ann, ben = people.group, people.holder, people.members[0]
    await advance_to_commit(bot, people)
    seen = len(group.bot_texts())

    comment = await ben.say("Good luck!")
    assert new_texts(group, seen) == []
    said = await ann.say("I will call the district officer by Friday")
    assert new_texts(group, seen) == []
    assert bot.fake.reactions(group.id, said.message_id) == TAKEN
    assert contribution(bot, said.message_id)["kind"] == "action"
    assert contribution(bot, comment.message_id)["kind"] == "comment"

    await people.fac.command("/next")
    await people.fac.command("/next")
    summary = group.bot_texts()[-1]
    assert "Action: I will call the district officer by Friday" in summary
    assert "/schedule" in summary
    (action,) = actions(bot)
    assert (action["text"], action["success_sign"], action["help_needed"]) == (
        "I will call the district officer by Friday",
        None,
        None,
    )
    assert action["status"] == "open"
    assert only_session(bot)["phase"] == "closed"


REACTION_REFUSED = {
    "reactions off": lambda: bad_request("REACTION_INVALID"),
    "429": lambda: retry_after(5),
    "network": network_error,
}


@pytest.mark.parametrize("refusal", REACTION_REFUSED.values(), ids=REACTION_REFUSED.keys())
async def test_where_the_reaction_fails_the_action_is_confirmed_in_a_message(bot, refusal):
    people = cast(bot)
    group, ann = people.group, people.holder
    await advance_to_commit(bot, people)
    seen = len(group.bot_texts())
    bot.fake.fail_next("setMessageReaction", refusal())
    said = await ann.command("/action Call the district officer")
    assert new_texts(group, seen) == ["✅ Action recorded: Call the district officer."]
    assert bot.fake.reactions(group.id, said.message_id) == []
    assert contribution(bot, said.message_id)["kind"] == "action"


async def test_action_by_command_is_recorded_as_a_contribution(bot):
    """/action is what the holder said in the commit step, like /q and /topic are recorded."""
    people = cast(bot)
    await advance_to_commit(bot, people)
    committed = await people.holder.command("/action Call the district officer | she answers")
    row = contribution(bot, committed.message_id)
    assert row is not None, "the /action message is not in the contributions"
    assert (row["kind"], row["user_id"]) == ("action", people.holder.user_id)
    assert row["text"] == "Call the district officer | she answers"


async def test_next_without_an_action_warns_once_then_closes_without_one(bot):
    people = cast(bot)
    group, fac = people.group, people.fac
    await advance_to_commit(bot, people)
    seen = len(group.bot_texts())

    await fac.command("/next")
    (warning,) = new_texts(group, seen)
    assert warning.startswith("No action has been recorded yet.")
    assert only_session(bot)["step_index"] == 4
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 6/6")
    await fac.command("/next")
    summary = group.bot_texts()[-1]
    assert "No action was committed this time." in summary
    assert "/schedule" not in summary
    assert actions(bot) == []


async def test_auto_advance_moves_on_when_time_is_up(bot):
    people = cast(bot)
    group = people.group
    await people.fac.command("/session classic")
    await bot.repo.update_set(group.id, bot.clock(), auto_advance=True)
    await people.holder.command("/topic Staff leave early")
    assert group.bot_texts()[-1].startswith("Step 1/6")

    bot.clock.advance(minutes=4)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    bot.clock.advance(minutes=1)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1].startswith("Step 2/6 · Clarifying questions (10 min)")
    assert not any("Time is up" in text for text in group.bot_texts())
    assert only_session(bot)["step_index"] == 1
    step2_end = bot.clock.now + timedelta(minutes=10)
    assert [due for _, due in armed(bot)] == [step2_end - timedelta(minutes=1)]
    assert armed_like_pending_rows(bot)


async def test_a_fired_timer_does_nothing_when_run_again(bot):
    people = cast(bot)
    group = people.group
    await start_with_holder(bot, people, "classic", "Staff leave early")
    warning, end = pending_timers(bot)
    bot.clock.advance(minutes=4)
    assert await bot.fire_due() == 1
    seen = len(group.bot_texts())

    # Armed again (as a restart racing the fire might) and run: the row is no longer pending.
    timers = bot.app.bot_data["services"].timers
    timers.arm(await bot.repo.get_scheduled(warning["id"]), bot.clock())
    await bot.fire_row(warning["id"])
    assert new_texts(group, seen) == []
    assert query(bot, "SELECT status FROM scheduled WHERE id = ?", warning["id"]) == [
        {"status": "sent"}
    ]


async def test_each_member_scores_the_session_once_and_may_change_it(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.fac.command("/end")
    summary = people.group.last_bot_message()
    ben, cat = people.members[0], people.members[1]
    first = await ben.press(summary, "7")
    assert "your score is 7/10" in first.answer["text"]
    await ben.press(bot.fake.message(people.group.id, summary.message_id), "9")
    await cat.press(bot.fake.message(people.group.id, summary.message_id), "6")
    scores = query(bot, "SELECT user_id, score FROM scores ORDER BY user_id")
    assert scores == [{"user_id": ben.user_id, "score": 9}, {"user_id": cat.user_id, "score": 6}]
    assert await bot.repo.scores_of([only_session(bot)["id"]]) != {}
