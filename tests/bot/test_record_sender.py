"""The early handler: a group's set is known and whoever takes part in it (a command, a reply
to the bot, anything said during a session) is its member, before any other handler runs.
Private chats, channel posts, edits and service messages record nothing, and a button press
records its presser only when it counts (bot/handlers/buttons.py)."""

from bot.app import EARLY
from fake_telegram import Person, Speaker
from tests.e2e.helpers import query


def members(bot, chat_id: int) -> dict[int, dict]:
    rows = query(bot, "SELECT * FROM members WHERE chat_id = ?", chat_id)
    return {row["user_id"]: row for row in rows}


def sets(bot) -> list[int]:
    return [row["chat_id"] for row in query(bot, "SELECT chat_id FROM sets")]


def test_it_runs_in_the_early_group_before_every_other_handler(bot):
    assert min(bot.app.handlers) == EARLY
    assert [type(h).__name__ for h in bot.app.handlers[EARLY]] == ["TypeHandler"]


async def test_chatter_between_sessions_records_the_set_and_no_one(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann")
    await ann.say("Hello everyone")  # no session: nothing else happens
    assert sets(bot) == [group.id]
    assert members(bot, group.id) == {}
    assert group.bot_texts() == []


async def test_a_first_message_in_a_session_records_the_member(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/session")
    ann = group.member("Ann", username="ann_k", language_code="fr")
    await ann.say("Hello everyone")
    member = members(bot, group.id)[ann.user_id]
    assert (member["name"], member["username"], member["language_code"], member["role"]) == (
        "Ann",
        "ann_k",
        "fr",
        "member",
    )


async def test_a_command_records_its_sender_even_when_it_is_refused(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ben = group.member("Ben")
    await ben.command("/next")
    assert group.bot_texts()[-1].startswith("Only facilitators")
    assert members(bot, group.id)[ben.user_id]["role"] == "member"


async def test_a_renamed_member_is_updated(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann", username="ann_k")
    await ann.command("/help")
    renamed = Person(ann.user_id, "Annie", "annie", "en", "Keita")
    await Speaker(bot.tg, group, renamed).command("/help")
    member = members(bot, group.id)[ann.user_id]
    assert (member["name"], member["username"]) == ("Annie Keita", "annie")


async def test_a_private_chat_records_no_set_and_no_member(bot):
    ann = bot.tg.private_chat(bot.tg.user("Ann"))
    await ann.say("Hello bot")
    await ann.command("/help")
    assert sets(bot) == []
    assert query(bot, "SELECT * FROM members") == []


async def test_service_messages_and_stickers_record_no_member(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/log")  # the set, and Fatou
    ann, ben = group.member("Ann"), group.member("Ben")
    await ann.join()
    await ben.send_raw("sticker")
    assert set(members(bot, group.id)) == {fac.user_id}


async def test_an_edit_records_nothing(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/session")
    ann = group.member("Ann")
    said = await ann.say("Hello")
    renamed = Person(ann.user_id, "Annie", None, "en")
    await Speaker(bot.tg, group, renamed).edit(said, "Hello!")
    assert members(bot, group.id)[ann.user_id]["name"] == "Ann"


async def test_a_press_records_its_presser_only_when_it_counts(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann = group.member("Fatou", admin=True), group.member("Ann")
    await fac.command("/session")
    ask = group.last_bot_message()
    await fac.command("/end")
    await ann.press(ask, ask.buttons()[0]["text"])  # the session is over: nothing happens
    assert ann.user_id not in members(bot, group.id)
    await fac.command("/session")
    ask = group.last_bot_message()
    await ann.press(ask, ask.buttons()[0]["text"])
    assert ann.user_id in members(bot, group.id)


async def test_an_anonymous_admin_is_no_member_but_the_set_is_known(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.command_as_group("/session")
    assert group.bot_texts()[0].startswith("▶️ Session started")
    assert sets(bot) == [group.id]
    assert members(bot, group.id) == {}


async def test_a_migration_moves_the_set_without_recording_anyone(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann")
    await ann.command("/help")
    old = group.id
    new = await bot.tg.migrate(group)
    assert sets(bot) == [new]
    assert set(members(bot, new)) == {ann.user_id}
    assert members(bot, old) == {}


async def test_a_channel_post_records_nothing(bot):
    channel = {"id": -1009999999999, "type": "channel", "title": "News"}
    post = {"message_id": 1, "date": bot.tg.now(), "chat": channel, "sender_chat": channel}
    await bot.tg.feed(
        {"update_id": bot.tg.next_update_id(), "channel_post": post | {"text": "News!"}}
    )
    assert sets(bot) == []
