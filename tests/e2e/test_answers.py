"""Questions and answers across time: the holder answers a question by replying to it, or to a
digest with its number; the next digest and the log show the answer."""

from __future__ import annotations

from fake_telegram.records import visible
from tests.bot.test_log_and_settings import exported
from tests.e2e.helpers import (
    cast,
    contribution,
    contributions,
    new_texts,
    pass_time,
    query,
)
from tests.e2e.test_session_inputs import to_questions

STEP = 72  # hours: a step outlives the outbox rows (kept two days), as sessions across days do


async def asked_in_step_two(bot, people):
    """An async classic session whose step 2 ended with Ben's and Cat's questions in its
    digest; returns the digest message and the questions' messages."""
    ben, cat, _ = people.members
    await people.fac.command(f"/session classic async {STEP}h")
    await people.holder.command("/topic Staff leave early")
    await pass_time(bot, hours=STEP)  # step 2: clarifying questions
    first = await ben.say("What changed this year?")
    second = await cat.say("Who decides the rota?")
    await pass_time(bot, hours=STEP)  # its digest, then step 3
    digest = people.group.bot_messages()[-2]
    assert digest.text.startswith("📋 Step 2 · Clarifying questions, in short:")
    return digest, first, second


async def ended_and_detailed(bot, fac, group) -> list[str]:
    """End the session, open its detail in /log; the detail's lines."""
    await fac.command("/end")
    await fac.command("/log")
    page = group.last_bot_message()
    await fac.press(page, page.buttons()[0]["callback_data"])
    return bot.fake.message(group.id, page.message_id).text.splitlines()


async def test_the_holder_answers_a_digest_by_number_days_later_and_the_next_digest_shows_it(bot):
    people = cast(bot)
    group, ann = people.group, people.holder
    ben, cat, dan = people.members
    digest, _, second = await asked_in_step_two(bot, people)
    await bot.restart(crash=True)
    await pass_time(bot, hours=50)  # the digest's outbox row is older than the two days kept
    assert await bot.repo.prune_delivered(bot.clock.now) > 0

    answer = await ann.reply(digest, "Q2: The matron, with the union.")
    row = contribution(bot, answer.message_id)
    assert (row["kind"], row["text"]) == ("answer", "The matron, with the union.")
    assert row["answers_id"] == contribution(bot, second.message_id)["id"]

    asked = await dan.say("What would make Fridays easier?")  # step 3's second question
    await ben.say("Is it every week?")
    own = await ann.reply(asked, "Two more people on Fridays.")
    assert (
        contribution(bot, own.message_id)["answers_id"] == contribution(bot, asked.message_id)["id"]
    )

    seen = len(group.bot_texts())
    await pass_time(bot, hours=STEP - 50)
    digest_three, step_four = new_texts(group, seen)[-2:]
    assert "✅ Step 2 · Q2 answered: The matron, with the union." in digest_three
    assert "✅ Q1 answered: Two more people on Fridays." in digest_three
    assert step_four.startswith("Step 4/6")
    seen = len(group.bot_texts())
    await pass_time(bot, hours=STEP)  # step 4's digest: those answers were shown already
    assert "answered" not in new_texts(group, seen)[-2]


async def test_a_number_the_digest_has_not_gets_one_line_and_nothing_is_stored(bot):
    people = cast(bot)
    digest, _, _ = await asked_in_step_two(bot, people)
    seen = len(people.group.bot_texts())
    wrong = await people.holder.reply(digest, "٥ المديرة")  # ٥: Arabic-Indic five
    assert new_texts(people.group, seen) == [
        "That digest has no question 5: its questions are 1–2. Reply to it with the question’s"
        " number first, e.g. “1 …”."
    ]
    assert contribution(bot, wrong.message_id) is None


async def test_replies_by_others_and_unnumbered_replies_are_recorded_without_a_link(bot):
    people = cast(bot)
    ben = people.members[0]
    digest, first, _ = await asked_in_step_two(bot, people)
    other = await ben.reply(digest, "1 And who checks the rota?")
    assert contribution(bot, other.message_id)["kind"] == "question"
    to_question = await people.members[1].reply(first, "Good question, Ben.")
    unnumbered = await people.holder.reply(digest, "Thank you all, I will think about these.")
    for message in (other, to_question, unnumbered):
        assert contribution(bot, message.message_id)["answers_id"] is None
    assert contribution(bot, unnumbered.message_id)["kind"] == "answer"


async def test_a_redelivered_answer_is_stored_once_and_says_nothing(bot):
    people = cast(bot)
    digest, first, _ = await asked_in_step_two(bot, people)
    answer = await people.holder.reply(digest, "1. The rota did.")
    await bot.restart(crash=True)
    seen = len(people.group.bot_texts())
    await bot.tg.replay(answer.update)
    assert bot.tg.errors == []
    assert new_texts(people.group, seen) == []
    linked = [r for r in contributions(bot) if r["answers_id"] is not None]
    assert [(r["message_id"], r["text"]) for r in linked] == [(answer.message_id, "The rota did.")]
    assert linked[0]["answers_id"] == contribution(bot, first.message_id)["id"]


async def test_an_edited_answer_keeps_its_words_without_the_number(bot):
    people = cast(bot)
    digest, _, _ = await asked_in_step_two(bot, people)
    answer = await people.holder.reply(digest, "2 The matron.")
    await people.holder.edit(answer, "2 The matron and the union.")
    assert contribution(bot, answer.message_id)["text"] == "The matron and the union."


async def test_a_digest_split_in_parts_answers_from_any_part(bot):
    people = cast(bot)
    ben, cat, dan = people.members
    await people.fac.command("/session classic async 12h")
    await people.holder.command("/topic Staff leave early")
    await pass_time(bot, hours=12)
    for n in range(30):  # 30 long questions: more than one message of 4,096 characters
        await (ben, cat, dan)[n % 3].say(f"Question {n + 1}: " + "why " * 60 + "?")
    await pass_time(bot, hours=12)
    parts = query(
        bot, "SELECT message_id FROM digest_messages WHERE step_index = 1 ORDER BY message_id"
    )
    assert len(parts) >= 2
    answer = await people.holder.reply(parts[0]["message_id"], "30 Because of the rota.")
    (last,) = query(
        bot, "SELECT id FROM contributions WHERE kind = 'question' ORDER BY id DESC LIMIT 1"
    )
    assert contribution(bot, answer.message_id)["answers_id"] == last["id"]


async def test_in_a_live_session_the_holders_reply_is_shown_under_its_question_in_the_log(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    ben, cat, _ = people.members
    await to_questions(bot, people)
    nurses = await ben.say("How many nurses are on the night shift?")
    await cat.say("Who decides the rota?")
    await ann.reply(nurses, "Two, three when we are lucky.")
    await ann.say("Mostly on Fridays.")  # an answer to no question: not in the detail
    detail = await ended_and_detailed(bot, fac, group)
    start = detail.index("Clarifying questions")
    assert detail[start : start + 4] == [
        "Clarifying questions",
        "• Ben: How many nurses are on the night shift?",
        "   ↳ Ann: Two, three when we are lucky.",
        "• Cat: Who decides the rota?",
    ]
    assert "Mostly on Fridays." not in "\n".join(detail)
    await fac.command("/export")
    markdown, _, said = exported(group)
    lines = markdown.content.decode("utf-8").splitlines()
    at = lines.index("- Ben: How many nurses are on the night shift?")
    assert lines[at + 1] == "  - ↳ Ann: Two, three when we are lucky."
    assert "Two, three" not in said.content.decode("utf-8-sig")  # the CSV's rows stay as they were

    await ann.command("/forget")  # the answer is the holder's words: erased, the link stays
    await ann.press(group.last_bot_message(), "Yes, remove them")
    await fac.command("/log")
    page = group.last_bot_message()
    assert visible(page.buttons()[0]["text"]).endswith("a member: 2 questions")
    await fac.press(page, page.buttons()[0]["callback_data"])
    detail = bot.fake.message(group.id, page.message_id).text
    assert "Two, three" not in detail and "↳" not in detail
    assert "How many nurses" in detail
    (linked,) = [r for r in contributions(bot) if r["answers_id"] is not None]
    assert linked["text"] == "" and linked["user_id"] is None


async def test_a_voice_note_in_reply_to_a_question_is_its_answer_in_the_digest_and_the_log(bot):
    people = cast(bot)
    group, fac, ann = people.group, people.fac, people.holder
    digest, first, _ = await asked_in_step_two(bot, people)
    seen = len(group.bot_texts())
    await ann.send_raw("voice", reply_to=first)  # 0:03, to Ben's question
    (linked,) = [r for r in contributions(bot) if r["answers_id"] is not None]
    assert linked["kind"] == "voice"
    await pass_time(bot, hours=STEP)
    step_three_digest = next(t for t in new_texts(group, seen) if t.startswith("📋"))
    assert "✅ Step 2 · Q1 answered: 🎤 0:03" in step_three_digest
    assert "from Ann" not in step_three_digest  # shown once, as its question's answer
    detail = await ended_and_detailed(bot, fac, group)
    at = detail.index("• Ben: What changed this year?")
    assert detail[at + 1] == "   ↳ Ann: 🎤 0:03"
