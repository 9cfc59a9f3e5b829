"""Bad and odd inputs during a session: each gets one short line or is ignored, nothing breaks."""

from __future__ import annotations

import html
import json

from bot.render import ECHO_LIMIT
from fake_telegram import bad_request
from tests.e2e.helpers import (
    actions,
    assert_every_call_ok,
    cast,
    contribution,
    contributions,
    new_texts,
    only_session,
    pending_timers,
    sessions,
    start_with_holder,
)

GROUP_ONLY = "This command works in your set's group chat, not here."


async def to_questions(bot, people) -> None:
    """Start classic with Ann's topic and /next to step 2 (clarifying questions)."""
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 2/6 · Clarifying questions")


# --- commands used wrongly -----------------------------------------------------------------------


async def test_unknown_exercise_gets_one_line_listing_the_valid_ones(bot):
    people = cast(bot)
    await people.fac.command("/session nosuch")
    assert people.group.bot_texts() == [
        "There is no exercise called “nosuch”. Choose one of: classic, consult, reframe."
        " Example: /session classic"
    ]
    assert sessions(bot) == []


async def test_a_second_session_is_refused_while_one_runs(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    before = only_session(bot)

    await people.fac.command("/session consult")
    assert new_texts(people.group, seen) == [
        "A session is already running here. A facilitator can close it with /end."
    ]
    after = only_session(bot)
    assert (after["id"], after["exercise"], after["step_index"]) == (before["id"], "classic", 1)


async def test_action_from_someone_other_than_the_holder_is_refused(bot):
    people = cast(bot)
    group, fac, ben = people.group, people.fac, people.members[0]
    await start_with_holder(bot, people, "classic", "Staff leave early")
    for _ in range(4):
        await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 5/6 · Commit to an action")
    seen = len(group.bot_texts())

    await ben.command("/action I will fix it for her")
    assert new_texts(group, seen) == ["Only the topic holder Ann commits to the action."]
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("No action has been recorded yet.")
    await fac.command("/next")
    await fac.command("/next")
    assert "No action was committed this time." in group.bot_texts()[-1]
    assert actions(bot) == []


async def test_action_before_the_commit_step_is_refused(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    await people.holder.command("/action Call HR")
    assert new_texts(people.group, seen) == ["The action comes in the commitment step."]
    await people.holder.command("/action")
    assert new_texts(people.group, seen)[1].startswith(
        "Write your action after the command. Example: /action"
    )
    assert len(new_texts(people.group, seen)) == 2


async def test_topic_is_refused_once_a_holder_is_chosen(bot):
    people = cast(bot)
    group, ann, ben = people.group, people.holder, people.members[0]
    await start_with_holder(bot, people, "classic", "Staff leave early")
    seen = len(group.bot_texts())

    other = await ben.command("/topic My own topic")
    assert new_texts(group, seen) == ["Ann is already today's topic holder."]
    session = only_session(bot)
    assert (session["topic_holder_id"], session["topic"]) == (ann.user_id, "Staff leave early")
    row = contribution(bot, other.message_id)
    assert row is None or row["kind"] != "topic"


async def test_q_without_a_question_shows_usage_with_an_example(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    await people.members[0].command("/q")
    assert new_texts(people.group, seen) == [
        "Write your question after the command. Example: /q What have you tried so far?"
    ]
    assert [row["kind"] for row in contributions(bot)] == ["topic"]


async def test_extend_with_bad_minutes_shows_usage_and_keeps_the_timers(bot):
    people = cast(bot)
    await to_questions(bot, people)
    timers = pending_timers(bot)
    seen = len(people.group.bot_texts())

    await people.fac.command("/extend abc")
    await people.fac.command("/extend 999")
    await people.fac.command("/extend 0")
    usage = "Give the minutes to add, from 1 to 60. Example: /extend 5"
    assert new_texts(people.group, seen) == [usage, usage, usage]
    await people.members[0].command("/extend 5")
    assert new_texts(people.group, seen)[-1].startswith("Only facilitators")
    assert pending_timers(bot) == timers


async def test_group_commands_in_a_private_chat_say_where_they_work(bot):
    people = cast(bot)
    private = bot.tg.private_chat(people.fac)
    for command in ("/next", "/session classic", "/q What now?", "/extend 5", "/topic Rota"):
        await private.command(command)
    assert private.bot_texts() == [GROUP_ONLY] * 5
    assert people.group.bot_texts() == []
    assert sessions(bot) == []


# --- what people send besides text ---------------------------------------------------------------


async def test_stickers_photos_and_other_media_mid_step_are_ignored(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    before = contributions(bot)
    ben = people.members[0]

    await ben.send_raw("sticker")
    await ben.send_raw("photo")
    await ben.send_raw("photo", caption="What is this chart?")
    await ben.send_raw("document")
    await ben.send_raw("location")
    await people.holder.send_raw("sticker", reply_to=people.group.bot_messages()[-1])
    assert new_texts(people.group, seen) == []
    assert contributions(bot) == before
    assert only_session(bot)["step_index"] == 1


async def test_a_voice_note_mid_step_is_recorded_as_voice(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    voice = await people.members[1].send_raw("voice")
    assert new_texts(people.group, seen) == []
    row = contribution(bot, voice.message_id)
    assert row is not None
    assert (row["kind"], row["user_id"], row["step_index"]) == (
        "voice",
        people.members[1].user_id,
        1,
    )
    sample = voice.message["voice"]  # the length and file id Telegram gave; nothing downloaded
    assert (row["voice_seconds"], row["voice_file_id"]) == (sample["duration"], sample["file_id"])
    assert not bot.fake.calls_of("getFile")


async def test_an_over_long_message_is_stored_whole(bot):
    people = cast(bot)
    await to_questions(bot, people)
    seen = len(people.group.bot_texts())
    long_text = "What " + "x" * 4080 + " happened?"
    assert len(long_text) > 4000
    long_question = await people.members[0].say(long_text)
    assert contribution(bot, long_question.message_id)["text"] == long_text
    (nudge,) = new_texts(people.group, seen)
    assert nudge.startswith("Ben, a shorter question leaves more room")
    assert contribution(bot, long_question.message_id)["flagged"] == "too_long"
    assert_every_call_ok(bot)


async def test_a_very_long_action_is_confirmed_and_summed_up_in_valid_messages(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await start_with_holder(bot, people, "classic", "Staff leave early")
    for _ in range(4):
        await fac.command("/next")
    long_action = ("Call the district officer & the nurses, then " * 100)[:4096]  # Telegram's max
    bot.fake.fail_next("setMessageReaction", bad_request("REACTION_INVALID"))  # confirm in words
    said = await ann.say(long_action)
    assert contribution(bot, said.message_id)["text"] == long_action
    await fac.command("/next")
    await fac.command("/next")
    assert_every_call_ok(bot, refused=("setMessageReaction",))
    visible = "\n".join(group.bot_texts())
    assert "Action recorded: " + long_action[:100] in visible
    assert "Action: " + long_action[:100] in visible
    # Echoes quote at most ECHO_LIMIT characters of user text; the log keeps it whole.
    assert long_action[: ECHO_LIMIT - 1] + "…" in visible
    assert long_action not in visible
    assert actions(bot)[0]["text"] == long_action


async def test_html_in_names_and_texts_is_escaped_in_every_message(bot):
    group = bot.tg.group("Set <A> & co", bot_status="administrator")
    fac = group.member("Fatou <i>", admin=True)
    ann = group.member("Ann <b>")
    ben = group.member("Ben & </a>")
    cat = group.member('Cat "<tg-spoiler>"')

    await fac.command("/session reframe")
    await ann.command("/topic <script>&")
    step1 = group.last_bot_message()
    assert "Ann <b> speaks" in step1.text
    assert "Ann &lt;b&gt;" in step1.source
    await fac.command("/next")
    await ben.say("Have you tried <b>talking</b> & listening?")
    assert group.bot_texts()[-1].startswith("Ben & </a>, that sounds like advice.")
    assert "Ben &amp; &lt;/a&gt;" in group.last_bot_message().source
    await cat.command("/q <i>What</i> & why?")
    await fac.command("/next")
    step3 = group.last_bot_message()
    await ben.reply(step3, "The problem is <pay> & </b>")
    await cat.reply(step3, "Trust </i>")  # every member has spoken: revealed at once
    reveal = group.last_bot_message()
    assert "1. Ben & </a>: The problem is <pay> & </b>" in reveal.text
    await ann.press(reveal, "Fits: 1")
    picked = bot.fake.message(group.id, reveal.message_id)  # the reveal shows the pick
    assert picked.text.endswith("\n\n🔎 Reframed problem: The problem is <pay> & </b>")
    assert "1. Ben & </a>: The problem is <pay> & </b>" in picked.text
    assert (
        "Ben &amp; &lt;/a&gt;\u2069: \u2068The problem is &lt;pay&gt; &amp; &lt;/b&gt;"
        in picked.source
    )
    await fac.command("/next")
    await fac.command("/next")
    bot.fake.fail_next("setMessageReaction", bad_request("REACTION_INVALID"))  # confirm in words
    await ann.command("/action Talk <u>to</u> HR & unions | <3 | a&b")
    assert group.bot_texts()[-1] == "✅ Action recorded: Talk <u>to</u> HR & unions."
    await fac.command("/next")
    bot.clock.advance(minutes=4)
    assert await bot.fire_due() == 1
    assert group.bot_texts()[-1] == "⏳ About a minute left in this step."
    bot.clock.advance(minutes=1)
    assert await bot.fire_due() == 1
    assert group.last_bot_message().text.startswith("⌛ Time is up for this step. Fatou <i>,")
    await fac.command("/next")

    assert_every_call_ok(bot, refused=("setMessageReaction",))
    summary = group.last_bot_message()
    assert summary.text.splitlines()[1:7] == [
        "Topic: <script>& (topic holder Ann <b>)",
        "2 questions asked",
        "1 nudge to keep to questions",
        "Reframed problem: The problem is <pay> & </b>",
        "Action: Talk <u>to</u> HR & unions",
        "How we'll know it worked: <3",
    ]
    assert "&lt;script&gt;&amp;" in summary.source
    assert html.escape("Ann <b>", quote=False) in summary.source
    assert only_session(bot)["topic"] == "<script>&"
    assert actions(bot)[0]["help_needed"] == "a&b"


# --- edits and re-delivered updates --------------------------------------------------------------


async def test_an_edited_question_updates_its_record(bot):
    people = cast(bot)
    await to_questions(bot, people)
    ben = people.members[0]
    asked = await ben.say("Who is involved")
    bot.clock.advance(minutes=1)
    seen = len(people.group.bot_texts())
    await ben.edit(asked, "Who else is involved?")
    row = contribution(bot, asked.message_id)
    assert row["text"] == "Who else is involved?"
    assert row["edited_at"] is not None
    assert len([r for r in contributions(bot) if r["message_id"] == asked.message_id]) == 1
    assert new_texts(people.group, seen) == []


async def test_a_question_edited_into_advice_is_checked_again(bot):
    people = cast(bot)
    await to_questions(bot, people)
    ben = people.members[0]
    asked = await ben.say("Who decides the rota?")
    seen = len(people.group.bot_texts())
    await ben.edit(asked, "You should ask HR to decide the rota.")
    (nudge,) = new_texts(people.group, seen)
    assert "that sounds like advice" in nudge
    assert contribution(bot, asked.message_id)["flagged"] == "advice"
    await ben.edit(asked, "You must ask HR.")  # one nudge per person per step, edits included
    assert len(new_texts(people.group, seen)) == 1
    await ben.edit(asked, "What would HR say?")
    assert contribution(bot, asked.message_id)["flagged"] is None


async def test_a_statement_edited_into_a_question_counts_as_one(bot):
    people = cast(bot)
    await to_questions(bot, people)
    ben = people.members[0]
    said = await ben.say("Interesting.")
    before = (await bot.repo.open_session(people.group.id)).question_count
    await ben.edit(said, "What made it interesting?")
    assert (await bot.repo.open_session(people.group.id)).question_count == before + 1
    await ben.edit(said, "Interesting indeed.")
    assert (await bot.repo.open_session(people.group.id)).question_count == before


async def test_an_edited_q_command_keeps_only_the_question(bot):
    people = cast(bot)
    await to_questions(bot, people)
    ben = people.members[0]
    asked = await ben.command("/q Who is involved")
    assert contribution(bot, asked.message_id)["text"] == "Who is involved"
    await ben.edit(asked, "/q Who else is involved?")
    assert contribution(bot, asked.message_id)["text"] == "Who else is involved?"


async def test_an_edited_topic_command_updates_the_topic(bot):
    people = cast(bot)
    await people.fac.command("/session classic")
    chosen = await people.holder.command("/topic Staff leave erly")
    await people.holder.edit(chosen, "/topic Staff leave early")
    assert only_session(bot)["topic"] == "Staff leave early"
    assert contribution(bot, chosen.message_id)["text"] == "Staff leave early"


async def test_an_edited_action_updates_the_action(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await start_with_holder(bot, people, "classic", "Staff leave early")
    for _ in range(4):
        await fac.command("/next")
    committed = await ann.command("/action Call HR | they call back")
    await ann.edit(committed, "/action Call HR on Monday | they call back")
    await fac.command("/next")
    await fac.command("/next")
    assert "Action: Call HR on Monday" in group.bot_texts()[-1]
    assert actions(bot)[0]["text"] == "Call HR on Monday"


async def test_an_edited_plain_action_updates_the_action(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    await start_with_holder(bot, people, "classic", "Staff leave early")
    for _ in range(4):
        await fac.command("/next")
    committed = await ann.say("Call HR")
    await ann.edit(committed, "Call HR on Monday | they call back")
    await fac.command("/next")
    await fac.command("/next")
    assert "Action: Call HR on Monday" in group.bot_texts()[-1]
    (action,) = actions(bot)
    assert (action["text"], action["success_sign"]) == ("Call HR on Monday", "they call back")
    assert contribution(bot, committed.message_id)["text"] == "Call HR on Monday | they call back"


async def test_a_redelivered_next_changes_nothing_twice(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    moved = await people.fac.command("/next")
    seen = len(people.group.bot_texts())
    timers = pending_timers(bot)

    await bot.tg.replay(moved.update)
    assert new_texts(people.group, seen) == []
    assert only_session(bot)["step_index"] == 1
    assert pending_timers(bot) == timers


async def test_a_redelivered_session_command_changes_nothing(bot):
    """Telegram delivers /session again after a crash: no second session, no extra line."""
    people = cast(bot)
    started = await people.fac.command("/session classic")
    seen = len(people.group.bot_texts())

    await bot.tg.replay(started.update)
    assert new_texts(people.group, seen) == []
    assert len(sessions(bot)) == 1


async def test_a_redelivered_question_is_recorded_and_nudged_once(bot):
    people = cast(bot)
    await to_questions(bot, people)
    ben, cat = people.members[0], people.members[1]
    advice = await ben.say("Have you tried talking to them?")
    asked = await cat.command("/q Who else is involved?")
    seen = len(people.group.bot_texts())

    await bot.tg.replay(advice.update)
    await bot.tg.replay(asked.update)
    assert new_texts(people.group, seen) == []
    assert [r["message_id"] for r in contributions(bot)].count(advice.message_id) == 1
    assert [r["message_id"] for r in contributions(bot)].count(asked.message_id) == 1
    assert json.loads(only_session(bot)["state"])["question_count"] == 2


async def test_an_answer_stores_its_record_alone_and_after_a_crash_its_redelivery_is_harmless(
    bot,
):
    """An answer changes nothing in the session but the last update applied: the session row is
    not rewritten, and the same update delivered again after a crash changes nothing."""
    people = cast(bot)
    await to_questions(bot, people)
    row_before = only_session(bot)
    bot.clock.advance(minutes=1)
    answer = await people.holder.say("Mostly on Fridays.")
    assert contribution(bot, answer.message_id)["kind"] == "answer"
    assert only_session(bot) == row_before  # same state, same updated_at

    await bot.restart(crash=True)
    seen = len(people.group.bot_texts())
    await bot.tg.replay(answer.update)
    assert bot.tg.errors == []
    assert new_texts(people.group, seen) == []
    assert [r["message_id"] for r in contributions(bot)].count(answer.message_id) == 1
    assert only_session(bot) == row_before


# --- privacy mode --------------------------------------------------------------------------------


async def test_without_reading_rights_replies_and_q_still_count(bot):
    people = cast(bot, bot_admin=False)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat = people.members[0], people.members[1]
    await fac.command("/session classic")
    assert any("I can only see commands and replies" in text for text in group.bot_texts())
    await ann.command("/topic Staff leave early")
    await fac.command("/next")
    step2 = group.last_bot_message()

    unseen = await ben.say("Who else is involved?")
    assert not unseen.delivered
    replied = await ben.reply(step2, "Who decides the rota?")
    asked = await cat.command("/q When did it start?")
    assert contribution(bot, unseen.message_id) is None
    assert contribution(bot, replied.message_id)["kind"] == "question"
    assert contribution(bot, asked.message_id)["kind"] == "question"


REPLY_HINT = "I can only see replies to my messages and /q here"
MAY_HAVE_MISSED = "questions sent as plain messages may not have been seen"


async def test_a_blind_bot_says_how_to_be_seen_in_each_question_step_and_in_the_summary(bot):
    people = cast(bot, bot_admin=False)
    group, fac = people.group, people.fac
    await start_with_holder(bot, people, "classic", "Staff leave early")
    assert REPLY_HINT not in group.bot_texts()[-1]  # the holder's step: they present
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 2/6") and REPLY_HINT in group.bot_texts()[-1]
    await fac.command("/end")
    assert MAY_HAVE_MISSED in group.bot_texts()[-1]


async def test_made_admin_mid_session_the_hints_stop(bot):
    people = cast(bot, bot_admin=False)
    group, fac = people.group, people.fac
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await bot.tg.set_bot_status(group, "administrator", by=fac)
    await fac.command("/next")
    assert group.bot_texts()[-1].startswith("Step 2/6")
    assert REPLY_HINT not in group.bot_texts()[-1]
    await fac.command("/end")
    assert MAY_HAVE_MISSED not in group.bot_texts()[-1]


async def test_a_bot_that_reads_everything_gives_no_hint(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.fac.command("/next")
    assert REPLY_HINT not in people.group.bot_texts()[-1]
    await people.fac.command("/end")
    assert MAY_HAVE_MISSED not in people.group.bot_texts()[-1]
