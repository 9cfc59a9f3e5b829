"""Reframing statements may be sent to the bot in private; they are revealed with the others."""

from fake_telegram import forbidden
from tests.e2e.helpers import query, reframing_step


async def test_a_private_statement_is_held_back_and_revealed_with_the_group_ones(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)
    step = group.last_bot_message()
    private = bot.tg.private_chat(ben)
    before = len(group.bot_texts())
    await private.say("The real problem is that nobody owns the rota.")
    assert "Set A" in private.bot_texts()[-1]
    assert len(group.bot_texts()) == before  # nothing shown in the group yet
    await cat.reply(step, "The real problem is pay.")
    reveal = group.bot_texts()[-1]
    assert "nobody owns the rota" in reveal and "pay" in reveal


async def test_a_private_message_with_nothing_to_collect_gets_a_pointer(bot):
    private = bot.tg.private_chat(bot.tg.user("Zoe"))
    await private.say("hello?")
    assert "reframing" in private.bot_texts()[-1]


async def test_the_holder_cannot_send_a_statement_in_private(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)
    private = bot.tg.private_chat(ann)
    await private.say("My own statement")
    assert "reframing" in private.bot_texts()[-1]  # the pointer, not 'Got it'
    state = await bot.repo.open_session(group.id)
    assert state.statements == ()


async def test_a_private_statement_and_a_group_one_in_one_batch_are_both_kept(bot):
    """Telegram numbers updates across chats; the group's later update may reach the session
    first (chats are handled concurrently). The earlier private one must still count."""
    group, fac, ann, ben, cat = await reframing_step(bot)
    step = group.last_bot_message()
    private = bot.tg.private_chat(ben)
    with bot.tg.holding() as held:
        await private.say("The real problem is that nobody owns the rota.")
        await cat.reply(step, "The real problem is pay.")
    inbox = bot.app.bot_data["services"].inbox
    for update in reversed(held):  # the group's (later) update is handled first
        await inbox.receive([update])
        await inbox.drain()
    state = await bot.repo.open_session(group.id)
    assert sorted(s.text for s in state.statements) == [
        "The real problem is pay.",
        "The real problem is that nobody owns the rota.",
    ]


async def test_a_private_statement_handled_again_after_a_crash_is_stored_once_and_counted_once(
    bot,
):
    """A private statement is not judged by the session's last update id (it comes from another
    chat), so only its stored contribution's unique key tells the second handling apart."""
    group, fac, ann, ben, cat = await reframing_step(bot)
    group.member("Dan")  # three statements are due: the later ones below do not reveal yet
    step = group.last_bot_message()
    private = bot.tg.private_chat(ben)
    said = await private.say("The real problem is that nobody owns the rota.")
    update_id = said.update["update_id"]
    await bot.repo.db.write(  # the bot dies before the update's done-mark is committed
        lambda conn: conn.execute(
            "UPDATE inbox SET status = 'pending' WHERE update_id = ?", (update_id,)
        )
    )
    await ben.reply(step, "The real problem is that nobody plans the rota.")  # he says it better
    await cat.reply(step, "The real problem is pay.")
    await bot.restart(crash=True)  # the private statement is handled again from the journal

    handled = query(bot, "SELECT status FROM inbox WHERE update_id = ?", update_id)
    assert handled == [{"status": "done"}]
    stored = query(
        bot,
        "SELECT count(*) AS n FROM contributions WHERE chat_id = ? AND message_id = ?",
        private.id,
        said.message_id,
    )
    assert stored == [{"n": 1}]
    state = await bot.repo.open_session(group.id)
    assert [(s.person.user_id, s.text) for s in state.statements] == [
        (ben.user_id, "The real problem is that nobody plans the rota."),
        (cat.user_id, "The real problem is pay."),
    ]
    assert not state.revealed
    assert sum(text.startswith("Got it") for text in private.bot_texts()) == 1


async def test_a_private_statement_edited_before_the_reveal_is_revealed_as_edited(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)
    step = group.last_bot_message()
    private = bot.tg.private_chat(ben)
    said = await private.say("The real problem is the rota.")
    await private.edit(said, "The real problem is that nobody owns the rota.")
    await cat.reply(step, "The real problem is pay.")
    reveal = group.bot_texts()[-1]
    assert "nobody owns the rota" in reveal and "problem is the rota." not in reveal
    (row,) = query(bot, "SELECT text FROM contributions WHERE chat_id = ?", private.id)
    assert row["text"] == "The real problem is that nobody owns the rota."


async def test_someone_who_left_the_group_cannot_send_a_statement(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)
    bot.fake.set_member_status(group.id, ben.user_id, "left")  # the bot was not told
    private = bot.tg.private_chat(ben)
    await private.say("The real problem is the rota.")
    assert private.bot_texts()[-1] == "You are no longer a member of Set A, so I did not keep that."
    await private.say("Or is it the pay?")  # the set now knows they left: the same answer
    assert private.bot_texts()[-1] == "You are no longer a member of Set A, so I did not keep that."
    assert (await bot.repo.open_session(group.id)).statements == ()
    assert query(bot, "SELECT * FROM contributions WHERE chat_id = ?", private.id) == []


async def test_a_member_of_two_collecting_sets_chooses_which_one(bot):
    a, fac_a, ann, ben, cat = await reframing_step(bot)
    b = bot.tg.group("Set B", bot_status="administrator")
    fac_b, dina = b.member("Bob", admin=True), b.member("Dina")
    ben_in_b, eve = b.member(ben), b.member("Eve")
    await fac_b.command("/session reframe")
    await dina.command("/topic Reports arrive late")
    await fac_b.command("/next")
    await ben_in_b.say("Who reads them?")
    await eve.say("Since when?")
    await fac_b.command("/next")
    private = bot.tg.private_chat(ben)
    await private.say("The real problem is nobody reads the reports.")
    ask = private.last_bot_message()
    assert ask.text.startswith("Several of your sets are collecting")
    assert [button["text"] for button in ask.buttons()] == ["Set A", "Set B"]
    assert (await bot.repo.open_session(a.id)).statements == ()
    await ben.press(ask, "Set B")
    assert private.bot_texts()[-1] == (
        "Got it. I'll reveal your statement together with the others in Set B."
    )
    (statement,) = (await bot.repo.open_session(b.id)).statements
    assert statement.text == "The real problem is nobody reads the reports."
    assert (await bot.repo.open_session(a.id)).statements == ()
    assert bot.fake.message(private.id, ask.message_id).buttons() == []  # the choice is made


async def test_a_confirmation_to_someone_who_blocked_the_bot_is_given_up_not_kept_waiting(bot):
    """A group that removed the bot may add it back; a person who blocked it says nothing."""
    group, fac, ann, ben, cat = await reframing_step(bot)
    private = bot.tg.private_chat(ben)
    bot.fake.fail_next("sendMessage", forbidden("bot was blocked by the user"), chat_id=private.id)
    await private.say("The real problem is that nobody owns the rota.")
    state = await bot.repo.open_session(group.id)
    assert [s.text for s in state.statements] == ["The real problem is that nobody owns the rota."]
    (row,) = query(bot, "SELECT status FROM outbox WHERE chat_id = ?", private.id)
    assert row == {"status": "failed"}
    await bot.restart()
    assert query(bot, "SELECT status FROM outbox WHERE chat_id = ?", private.id) == [row]


async def test_the_confirmation_speaks_the_members_language_else_the_sets(bot):
    group, fac, ann, ben, cat = await reframing_step(bot)
    await fac.command("/language ar")
    dan = group.member("Dan", language_code=None)  # a Telegram app that says no language
    eve = group.member("Eve", language_code="fr")
    await dan.command("/join")
    await eve.command("/join")
    await bot.tg.private_chat(dan).say("The real problem is the rota.")
    await bot.tg.private_chat(eve).say("Le vrai problème, c'est la paie.")
    assert bot.tg.private_chat(dan).bot_texts()[-1].startswith("وصلتني صياغتك")
    assert bot.tg.private_chat(eve).bot_texts()[-1].startswith("C’est noté.")
