"""The "I have a topic" button goes away once the set has its topic holder, however chosen."""

import pytest


@pytest.mark.parametrize("restart", [False, True])
async def test_the_button_goes_when_a_member_volunteers_by_command(bot, restart):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session")
    ask = group.last_bot_message()
    assert ask.buttons()
    if restart:
        await bot.restart(crash=True)
    await ann.command("/topic Staff leave early")
    assert bot.fake.message(group.id, ask.message_id).buttons() == []


async def test_the_button_goes_when_the_facilitator_chooses(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session")
    ask = group.last_bot_message()
    note = await ann.say("I could bring something")
    await fac.reply(note, "/holder")
    assert bot.fake.message(group.id, ask.message_id).buttons() == []


async def test_the_button_goes_when_pressed(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session")
    ask = group.last_bot_message()
    await ann.press(ask, "🙋 I have a topic")
    assert bot.fake.message(group.id, ask.message_id).buttons() == []
    state = await bot.repo.open_session(group.id)
    assert state.topic_holder.user_id == ann.user_id
