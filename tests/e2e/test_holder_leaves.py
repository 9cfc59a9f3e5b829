"""The topic holder leaves the group mid-session: the group hears it at once and chooses."""

from __future__ import annotations

from tests.e2e.helpers import cast, new_texts, pending_timers, start_with_holder

LEFT = "Ann has left the group, so the session is paused."


async def test_the_group_hears_at_once_and_the_clock_stops(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.fac.command("/next")
    seen = len(people.group.bot_texts())
    await people.holder.leave()
    (said,) = new_texts(people.group, seen)
    assert said.startswith(LEFT) and "/holder" in said and "/end" in said
    assert pending_timers(bot) == []  # nothing announces "Ann speaks" meanwhile
    await people.fac.command("/next")
    assert "The topic holder has left the group" in people.group.bot_texts()[-1]
    assert people.group.bot_texts()[-2].startswith(LEFT)  # /next did not move on


async def test_a_new_holder_carries_on_where_the_session_stopped(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    ben = people.members[0]
    await people.holder.leave()
    bot.clock.advance(minutes=10)
    note = await ben.say("I can take it on")
    await people.fac.reply(note, "/holder")
    texts = people.group.bot_texts()
    assert texts[-2] == "Ben is now the topic holder."
    assert texts[-1].startswith("▶️ Resumed.")
    assert len(pending_timers(bot)) == 2  # the step's warning and end, from where it stopped
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 2/6")
    state = await bot.repo.open_session(people.group.id)
    assert state.topic_holder.name == "Ben" and not state.holder_left


async def test_end_keeps_what_was_said(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    await people.holder.leave()
    await people.fac.command("/end")
    assert people.group.bot_texts()[-1].startswith("Session summary")


async def test_removed_by_an_admin_counts_too_and_is_said_once(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    seen = len(people.group.bot_texts())
    await bot.tg.set_member_status(people.group, people.holder, "kicked", by=people.fac)
    await people.holder.leave()  # the service message comes as well
    (said,) = new_texts(people.group, seen)
    assert said.startswith(LEFT)


async def test_another_member_leaving_changes_nothing(bot):
    people = cast(bot)
    await start_with_holder(bot, people, "classic", "Staff leave early")
    seen = len(people.group.bot_texts())
    await people.members[0].leave()
    assert new_texts(people.group, seen) == []
    assert len(pending_timers(bot)) == 2
