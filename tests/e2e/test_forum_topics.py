"""A set that meets in a forum topic: every message of its session and its follow-up goes to
that topic, and what is said in another topic is not part of the session."""

from __future__ import annotations

from fake_telegram import Group, Speaker
from tests.e2e.helpers import pass_time, query


async def questions_in_a_topic(bot) -> tuple[Group, Speaker, Speaker, Speaker, int, int]:
    """A consult session in the "Action learning" topic, at its questions step; returns the
    group, Fatou, Ann (holder), Ben, and the session's and another topic's thread ids."""
    group = bot.tg.group("Forum", kind="supergroup", forum=True, bot_status="administrator")
    fac, ann, ben = group.member("Fatou", admin=True), group.member("Ann"), group.member("Ben")
    topic = await group.create_topic("Action learning", by=fac)
    other = await group.create_topic("Chat", by=fac)
    await fac.command("/session consult", thread_id=topic)
    await ann.command("/topic Night staff leave early", thread_id=topic)
    await fac.command("/next", thread_id=topic)
    return group, fac, ann, ben, topic, other


async def test_a_session_and_its_follow_up_stay_in_their_topic(bot):
    group, fac, ann, ben, topic, other = await questions_in_a_topic(bot)
    await ben.say("Who decides the rota?", thread_id=topic)
    await ben.say("Lunch at noon?", thread_id=other)  # another topic: not a question asked
    for _ in range(3):
        await fac.command("/next", thread_id=topic)
    await ann.command("/action Call the night supervisor", thread_id=topic)
    await fac.command("/next", thread_id=topic)
    await fac.command("/next", thread_id=topic)
    await fac.command("/schedule in 1 hour", thread_id=topic)
    await pass_time(bot, hours=1)

    sent = [m for m in group.bot_messages()]
    assert any("What happened?" in m.text for m in sent)
    assert {m.thread_id for m in sent} == {topic}, [(m.thread_id, m.text[:40]) for m in sent]
    questions = query(bot, "SELECT text FROM contributions WHERE kind = 'question'")
    assert [row["text"] for row in questions] == ["Who decides the rota?"]


async def test_commands_from_another_topic_do_not_reach_the_session(bot):
    group, fac, _, ben, topic, other = await questions_in_a_topic(bot)
    await ben.command("/q Who decides the rota?", thread_id=other)
    assert group.bot_messages()[-1].text.startswith("This set's session runs in another topic")
    assert group.bot_messages()[-1].thread_id == other
    await ben.command("/q Since when?", thread_id=topic)
    await fac.command("/next", thread_id=other)  # not moved on from elsewhere either
    questions = query(bot, "SELECT text FROM contributions WHERE kind = 'question'")
    assert [row["text"] for row in questions] == ["Since when?"]
    assert query(bot, "SELECT step_index FROM sessions") == [{"step_index": 1}]
