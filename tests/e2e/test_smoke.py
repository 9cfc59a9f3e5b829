"""First contact: /help, /session, a question, /next."""


async def test_help_in_group_lists_commands_and_privacy_hint(bot):
    group = bot.tg.group("Set A")
    fac = group.member("Fatou", admin=True)
    await fac.command("/help")
    texts = group.bot_texts()
    assert "/session" in texts[0]
    assert "privacy" in texts[1].lower()


async def test_session_walkthrough(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann = group.member("Ann")
    ben = group.member("Ben")
    await fac.command("/session")
    await ann.command("/topic Staff leave early")
    await ben.say("Have you tried talking to them?")
    await ben.say("What happened last week?")
    await fac.command("/next")
    print("\n---\n".join(group.bot_texts()))
    from tests.conftest import due_time

    print([(j.name, due_time(j)) for j in bot.jobs()])
