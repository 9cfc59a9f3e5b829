"""Message economy: a brisk full session stays well within Telegram's ~20 messages a minute."""

from __future__ import annotations

from tests.e2e.helpers import (
    TAKEN,
    assert_every_call_ok,
    contributions,
    pass_time,
    send_dates,
    step_texts,
)

# (asker, question, how) per question step; advice marked by the guard is flagged.
CLARIFY = [
    ("Ben", "Who else is involved?", "say"),
    ("Cat", "When did it start?", "reply"),
    ("Ben", "Have you tried talking to them?", "say"),  # advice: Ben nudged
    ("Dan", "How many people leave early?", "q"),
    ("Eve", "What does the night shift say?", "say"),
    ("Cat", "Why don't you hire more staff?", "say"),  # advice: Cat nudged
    ("Ben", "You should ask HR, shouldn't you?", "say"),  # advice: Ben already nudged
    ("Fay", "Who decides the rota?", "reply"),
    ("Dan", "What happens after 3pm?", "say"),
    ("Eve", "Which days are worst?", "q"),
]
PROBE = [
    ("Fay", "What would success look like?", "say"),
    ("Ben", "What is stopping you?", "reply"),
    ("Dan", "Wouldn't it be better to change shifts?", "say"),  # advice: Dan nudged
    ("Cat", "What options do you see?", "q"),
    ("Eve", "What matters most to you here?", "say"),
    ("Dan", "Who could support you?", "say"),
    ("Dan", "Don't you think they are tired?", "say"),  # advice: Dan already nudged
    ("Fay", "What would happen if nothing changed?", "reply"),
    ("Ben", "How would the night shift describe it?", "say"),
    ("Cat", "What have you tried so far?", "q"),
]
STEPS, NUDGES, TIMER_NOTICES = 6, 3, 4
START_AND_ASK, SUMMARY = 1, 1  # started + who brings a topic: one; the action: a reaction


async def ask_all(bot, group, people, questions, seconds_between: int) -> int:
    """Members ask at a steady pace, the holder answering some; returns timers fired."""
    step_message = group.last_bot_message()
    fired = 0
    for number, (name, text, how) in enumerate(questions):
        asker = people[name]
        if how == "reply":
            await asker.reply(step_message, text)
        elif how == "q":
            await asker.command(f"/q {text}")
        else:
            await asker.say(text)
        fired += await pass_time(bot, seconds=10)
        if number % 3 == 0:
            await people["Ann"].say("Mostly on Fridays, I think.")
        fired += await pass_time(bot, seconds=seconds_between - 10)
    return fired


async def test_a_full_brisk_session_sends_few_messages(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    people = {name: group.member(name) for name in ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay")}
    ann = people["Ann"]
    fired = 0

    await fac.command("/session classic")
    fired += await pass_time(bot, seconds=30)
    await ann.command("/topic Staff leave early on Fridays")
    for line in ("Since March it got worse.", "The night shift is short.", "Patients notice."):
        fired += await pass_time(bot, seconds=30)
        await ann.say(line)
    fired += await pass_time(bot, minutes=1)

    await fac.command("/next")  # clarifying questions, 10 min: they run until time is up
    fired += await ask_all(bot, group, people, CLARIFY, seconds_between=40)
    fired += await pass_time(bot, minutes=4)
    assert group.bot_texts()[-1].startswith("⌛ Time is up for this step.")
    fired += await pass_time(bot, seconds=30)

    await fac.command("/next")  # probing questions, 15 min: moved on early
    fired += await ask_all(bot, group, people, PROBE, seconds_between=45)
    await fac.command("/next")  # what is the problem now, 3 min: runs out
    fired += await pass_time(bot, minutes=1)
    await ann.say("The rota was made without the night shift.")
    fired += await pass_time(bot, minutes=2, seconds=30)
    await fac.command("/next")  # commit
    fired += await pass_time(bot, minutes=1)
    action = await ann.command("/action Redo the rota with two night staff | they sign it")
    assert bot.fake.reactions(group.id, action.message_id) == TAKEN
    fired += await pass_time(bot, seconds=30)
    await fac.command("/next")  # learning round
    for name in ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay"):
        fired += await pass_time(bot, seconds=20)
        await people[name].say(f"I learned something today ({name}).")
    fired += await pass_time(bot, seconds=30)
    await fac.command("/next")

    assert "20 questions asked" in group.bot_texts()[-1]
    assert len(step_texts(group)) == STEPS
    assert len([t for t in group.bot_texts() if "sounds like advice" in t]) == NUDGES
    assert fired == TIMER_NOTICES  # two steps ran out: a warning and a time-up each
    assert len([t for t in group.bot_texts() if t.startswith("⏳ About a minute left")]) == 2
    assert len([t for t in group.bot_texts() if t.startswith("⌛ Time is up")]) == 2
    flagged = [row for row in contributions(bot) if row["flagged"]]
    assert len(flagged) == 5
    assert_every_call_ok(bot)

    expected = STEPS + NUDGES + TIMER_NOTICES + START_AND_ASK + SUMMARY
    assert len(group.bot_messages()) == expected == 15
    assert len(bot.fake.calls_of("sendMessage")) == expected

    dates = send_dates(bot)
    busiest = max(sum(1 for other in dates if start <= other < start + 60) for start in dates)
    assert busiest < 20, f"{busiest} bot messages within one minute"
