"""The fake Bot API and the user kit, proven against a tiny PTB application."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from fake_telegram import (
    BOT_ID,
    FakeTelegram,
    TelegramKit,
    bad_request,
    forbidden,
    migrated,
    network_error,
    retry_after,
)

HTML = ParseMode.HTML
START = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault("seen", []).append(update)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = html.escape(update.effective_message.text)
    await update.effective_message.reply_text(f"You said: <i>{text}</i>", parse_mode=HTML)


async def session(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    kind = " ".join(context.args) or "classic"
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Join", callback_data=f"join:{kind}"),
                InlineKeyboardButton("Guide", url="https://example.org/guide"),
            ]
        ]
    )
    text = f"Session <b>{html.escape(kind)}</b> starts."
    await update.effective_message.reply_text(text, parse_mode=HTML, reply_markup=keyboard)


async def joined(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Welcome!")
    await query.edit_message_text(f"{html.escape(query.from_user.first_name)} joined.")


async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise RuntimeError("boom")


def build_app(fake: FakeTelegram) -> Application:
    app = ApplicationBuilder().token("123:ABC").request(fake).get_updates_request(fake).build()
    app.add_handler(TypeHandler(Update, record), group=-1)
    app.add_handler(CommandHandler("session", session))
    app.add_handler(CommandHandler("boom", boom))
    app.add_handler(CallbackQueryHandler(joined, pattern=r"^join:"))
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, echo)
    )
    return app


@dataclass
class World:
    app: Application
    fake: FakeTelegram
    tg: TelegramKit
    clock: Clock

    @property
    def seen(self) -> list[Update]:
        return self.app.bot_data.get("seen", [])


async def make_world(privacy: bool) -> World:
    clock = Clock()
    fake = FakeTelegram(privacy=privacy, clock=clock)
    app = build_app(fake)
    await app.initialize()
    return World(app, fake, TelegramKit(app, fake), clock)


@pytest.fixture
async def world() -> AsyncIterator[World]:
    """Privacy mode off: the bot reads every group message."""
    made = await make_world(privacy=False)
    yield made
    await made.app.shutdown()


@pytest.fixture
async def private_world() -> AsyncIterator[World]:
    """Privacy mode on, like a fresh BotFather bot."""
    made = await make_world(privacy=True)
    yield made
    await made.app.shutdown()


# --- basics ----------------------------------------------------------------------------------


async def test_get_me_describes_the_bot(world: World, private_world: World) -> None:
    bot = world.app.bot
    assert (bot.id, bot.username, bot.first_name) == (
        BOT_ID,
        "ActionLearningBot",
        "Facilitator Bot",
    )
    assert bot.can_read_all_group_messages is True
    assert private_world.app.bot.can_read_all_group_messages is False
    assert world.fake.calls_of("getMe")


async def test_echo_is_recorded_and_readable(world: World) -> None:
    group = world.tg.group("Set A")
    ann = group.member("Ann <b>")
    said = await ann.say("What have you tried? <3 & more")
    assert said.delivered
    assert group.bot_texts() == ["You said: What have you tried? <3 & more"]
    call = world.fake.calls_of("sendMessage")[0]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_parameters"]["message_id"] == said.message_id
    sent = group.last_bot_message()
    assert sent.message_id == said.message_id + 1  # one counter per chat, users and bot alike
    assert sent.source == "You said: <i>What have you tried? &lt;3 &amp; more</i>"
    assert sent.date == int(START.timestamp())


async def test_user_dates_follow_the_clock(world: World) -> None:
    group = world.tg.group("Set A")
    world.clock.now = START + timedelta(hours=2)
    said = await group.member("Ann").say("hello")
    assert world.seen[-1].message.date == START + timedelta(hours=2)
    assert said.message["date"] == int((START + timedelta(hours=2)).timestamp())


# --- strict formatting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "line<br>break",
        "<b>unclosed",
        "a < b",
        "fish & chips",
        "<b><i>crossed</b></i>",
        "</b>stray",
        "<span>no class</span>",
        "<p>paragraph</p>",
        "&nbsp;",
    ],
)
async def test_invalid_html_is_rejected(world: World, text: str) -> None:
    world.tg.group("Set A")
    chat_id = world.tg.group("Set B").id
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await world.app.bot.send_message(chat_id, text, parse_mode=HTML)


@pytest.mark.parametrize(
    "text",
    [
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        '<pre><code class="language-python">x = 1 &lt; 2</code></pre>',
        "<blockquote expandable>quote</blockquote> <blockquote>q</blockquote>",
        "&#x27;&quot;&#39;&gt; a > b",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "<a href='https://example.org/?a=1&amp;b=2'>link</a> <u>u</u> <s>s</s> <code>c</code>",
        "<B>Upper</B> <strong><em>nested</em></strong>",
    ],
)
async def test_valid_html_is_accepted(world: World, text: str) -> None:
    chat_id = world.tg.group("Set A").id
    sent = await world.app.bot.send_message(chat_id, text, parse_mode=HTML)
    assert sent.text and "</" not in sent.text and "&quot;" not in sent.text


async def test_entities_and_mentions_round_trip(world: World) -> None:
    group = world.tg.group("Set A")
    ann = group.member("Ann")
    text = f'<b>Hi</b> <a href="tg://user?id={ann.user_id}">Ann</a> <code>x</code>'
    sent = await world.app.bot.send_message(group.id, text, parse_mode=HTML)
    assert sent.text == "Hi Ann x"
    assert [e.type for e in sent.entities] == ["bold", "text_mention", "code"]
    assert sent.entities[1].user.id == ann.user_id
    assert sent.text_html == text


async def test_length_is_counted_on_visible_utf16_text(world: World) -> None:
    chat_id = world.tg.group("Set A").id
    send = world.app.bot.send_message
    await send(chat_id, "<b>" + "a" * 4096 + "</b>", parse_mode=HTML)
    await send(chat_id, "&amp;" * 4096, parse_mode=HTML)
    await send(chat_id, "😀" * 2048)
    for too_long in ("a" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await send(chat_id, too_long)
    for empty in ("<b></b>", "  \n "):
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await send(chat_id, empty, parse_mode=HTML)


async def test_callback_data_over_64_bytes_is_rejected(world: World) -> None:
    chat_id = world.tg.group("Set A").id

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])

    await world.app.bot.send_message(chat_id, "ok", reply_markup=keyboard("x" * 64))
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            await world.app.bot.send_message(chat_id, "no", reply_markup=keyboard(data))
    assert len(world.fake.messages(chat_id)) == 1


# --- errors on demand ------------------------------------------------------------------------


async def test_fail_next_raises_ptb_exceptions(world: World) -> None:
    chat_id = world.tg.group("Set A").id
    fake, send = world.fake, world.app.bot.send_message
    fake.fail_next("sendMessage", retry_after(7))
    with pytest.raises(RetryAfter) as flood:
        await send(chat_id, "x")
    assert re.search(r"Retry in (7 seconds|0:00:07)", str(flood.value))  # PTB_TIMEDELTA-proof
    fake.fail_next("sendMessage", forbidden())
    with pytest.raises(Forbidden, match="(?i)bot was kicked"):
        await send(chat_id, "x")
    fake.fail_next("sendMessage", migrated(-1009))
    with pytest.raises(ChatMigrated) as moved:
        await send(chat_id, "x")
    assert moved.value.new_chat_id == -1009
    fake.fail_next("sendMessage", network_error())
    with pytest.raises(NetworkError):
        await send(chat_id, "x")
    await send(chat_id, "finally")
    assert [call.ok for call in fake.calls_of("sendMessage")] == [False] * 4 + [True]
    assert [m.text for m in fake.messages(chat_id)] == ["finally"]


async def test_fail_next_counts_and_filters_by_chat(world: World) -> None:
    a, b = world.tg.group("A").id, world.tg.group("B").id
    world.fake.fail_next("sendMessage", bad_request("chat is deactivated"), times=2, chat_id=a)
    await world.app.bot.send_message(b, "fine")
    for _ in range(2):
        with pytest.raises(BadRequest, match="(?i)chat is deactivated"):
            await world.app.bot.send_message(a, "x")
    await world.app.bot.send_message(a, "fine again")


async def test_unknown_method_is_a_bad_request(world: World) -> None:
    with pytest.raises(BadRequest, match="(?i)fooBar"):
        await world.app.bot.do_api_request("fooBar")
    assert world.fake.calls[-1].method == "fooBar"


# --- commands, buttons, edits ----------------------------------------------------------------


async def test_command_press_and_edit(world: World) -> None:
    group = world.tg.group("Set A", kind="supergroup")
    fac = group.member("Fatou", admin=True, language_code="fr")
    ann = group.member("Ann")
    await fac.command("/session@ActionLearningBot deep dive")
    menu = group.last_bot_message()
    assert menu.text == "Session deep dive starts."
    press = await ann.press(menu, "Join")
    assert press.data == "join:deep dive"
    assert press.answer == {"text": "Welcome!"}
    assert group.bot_texts() == ["Ann joined."]
    assert (menu.edits, menu.reply_markup) == (1, None)  # edit without markup drops it
    with pytest.raises(LookupError):
        await ann.press(menu, "Join")


async def test_command_entity_covers_the_bot_suffix(world: World) -> None:
    group = world.tg.group("Set A")
    sent = await group.member("Fatou").command("/session@ActionLearningBot x")
    assert sent.message["entities"] == [{"type": "bot_command", "offset": 0, "length": 26}]
    assert world.seen[-1].message.parse_entity(world.seen[-1].message.entities[0]) == (
        "/session@ActionLearningBot"
    )


async def test_callback_answers_are_checked(world: World) -> None:
    group = world.tg.group("Set A")
    await group.member("Fatou").command("/session")
    press = await group.member("Ann").press(group.last_bot_message(), "join:classic")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await world.app.bot.answer_callback_query(press.query_id)
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await world.app.bot.answer_callback_query("nope")


async def test_edit_replace_semantics_and_not_modified(world: World) -> None:
    chat_id = world.tg.group("Set A").id
    bot = world.app.bot
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(chat_id, "<b>one</b>", parse_mode=HTML, reply_markup=keyboard)
    await bot.edit_message_text("<b>one</b>", chat_id, sent.message_id, parse_mode=HTML)
    stored = world.fake.message(chat_id, sent.message_id)
    assert (stored.text, stored.reply_markup, stored.edits) == ("one", None, 1)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("<b>one</b>", chat_id, sent.message_id, parse_mode=HTML)
    await bot.edit_message_text("one", chat_id, sent.message_id)  # entities differ: modified
    await bot.edit_message_reply_markup(chat_id, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id, sent.message_id, reply_markup=keyboard)
    assert await bot.delete_message(chat_id, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("two", chat_id, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(chat_id, sent.message_id)
    assert world.fake.messages(chat_id)[0].deleted


async def test_replying_to_a_missing_message_fails(world: World) -> None:
    chat_id = world.tg.group("Set A").id
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await world.app.bot.send_message(chat_id, "x", reply_to_message_id=99)
    await world.app.bot.send_message(
        chat_id, "x", reply_to_message_id=99, allow_sending_without_reply=True
    )


# --- menus, members, chats -------------------------------------------------------------------


async def test_set_my_commands_is_stored_per_scope_and_language(world: World) -> None:
    group = world.tg.group("Set A")
    bot = world.app.bot
    await bot.set_my_commands([BotCommand("help", "Help")])
    await bot.set_my_commands(
        [BotCommand("session", "Lancer une session")],
        scope=BotCommandScopeAllGroupChats(),
        language_code="fr",
    )
    await bot.set_my_commands([BotCommand("close", "Close")], scope=BotCommandScopeChat(group.id))
    assert world.fake.commands() == [("help", "Help")]
    assert world.fake.commands("all_group_chats", "fr") == [("session", "Lancer une session")]
    assert world.fake.commands("all_group_chats") == []
    assert world.fake.commands("chat", chat_id=group.id) == [("close", "Close")]
    fetched = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="fr")
    assert [c.command for c in fetched] == ["session"]
    await bot.delete_my_commands()
    assert world.fake.commands() == []
    for bad in (BotCommand("Session", "x"), BotCommand("help", ""), BotCommand("a-b", "x")):
        with pytest.raises(BadRequest):
            await bot.set_my_commands([bad])


async def test_chat_member_statuses(world: World) -> None:
    group = world.tg.group("Set A", kind="supergroup")
    fac = group.member("Fatou", creator=True)
    ann = group.member("Ann", admin=True)
    bob = group.member("Bob")
    bot = world.app.bot
    assert (await bot.get_chat_member(group.id, fac.user_id)).status == "creator"
    admin = await bot.get_chat_member(group.id, ann.user_id)
    assert isinstance(admin, ChatMemberAdministrator) and admin.can_pin_messages
    assert (await bot.get_chat_member(group.id, bob.user_id)).status == "member"
    assert (await bot.get_chat_member(group.id, BOT_ID)).status == "member"
    assert await bot.get_chat_member_count(group.id) == 4
    admins = await bot.get_chat_administrators(group.id)
    assert {a.user.id for a in admins} == {fac.user_id, ann.user_id}
    for status in ("left", "kicked"):
        world.fake.set_member_status(group.id, bob.user_id, status)
        assert (await bot.get_chat_member(group.id, bob.user_id)).status == status
    chat = await bot.get_chat(group.id)
    assert (chat.title, chat.type) == ("Set A", "supergroup")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.get_chat(-42)


async def test_pinning_needs_admin_rights(world: World) -> None:
    group = world.tg.group("Set A")
    sent = await world.app.bot.send_message(group.id, "agenda")
    with pytest.raises(BadRequest, match="(?i)not enough rights"):
        await world.app.bot.pin_chat_message(group.id, sent.message_id)
    await world.tg.bot_promoted(group, by=group.member("Fatou", creator=True))
    await world.app.bot.pin_chat_message(group.id, sent.message_id)
    assert world.fake.pinned(group.id) == [sent.message_id]


async def test_send_document_keeps_the_file(world: World) -> None:
    chat_id = world.tg.group("Set A").id
    await world.app.bot.send_document(
        chat_id, b"a,b\n1,2\n", filename="actions.csv", caption="<b>Actions</b>", parse_mode=HTML
    )
    [document] = world.fake.documents(chat_id)
    assert (document.filename, document.content, document.caption) == (
        "actions.csv",
        b"a,b\n1,2\n",
        "Actions",
    )


# --- membership, migration, forums, privacy --------------------------------------------------


async def test_bot_added_and_removed(world: World) -> None:
    statuses: list[str] = []

    async def on_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        statuses.append(update.my_chat_member.new_chat_member.status)

    world.app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    group = world.tg.group("Set A", bot_status="left")
    fac = group.member("Fatou", admin=True)
    with pytest.raises(Forbidden, match="(?i)not a member of the group chat"):
        await world.app.bot.send_message(group.id, "hello?")
    await world.tg.bot_added(group, by=fac)
    assert world.seen[-1].message.new_chat_members[0].id == BOT_ID
    await world.app.bot.send_message(group.id, "hello!")
    await world.tg.bot_removed(group, by=fac)
    assert statuses == ["member", "left"]
    with pytest.raises(Forbidden):
        await world.app.bot.send_message(group.id, "still here?")
    assert not (await group.member("Ann").say("anyone?")).delivered


async def test_migration_moves_the_group(world: World) -> None:
    group = world.tg.group("Set A")
    fac = group.member("Fatou", admin=True)
    await fac.say("before")
    old_id = group.id
    new_id = await world.tg.migrate(group, by=fac)
    assert (group.id, group.type, group.old_ids) == (new_id, "supergroup", [old_id])
    to_msg, from_msg = (u.message for u in world.seen[-2:])
    assert (to_msg.chat.id, to_msg.migrate_to_chat_id) == (old_id, new_id)
    assert (from_msg.chat.id, from_msg.migrate_from_chat_id) == (new_id, old_id)
    with pytest.raises(ChatMigrated) as moved:
        await world.app.bot.send_message(old_id, "x")
    assert moved.value.new_chat_id == new_id
    assert (await world.app.bot.get_chat_member(new_id, fac.user_id)).status == "administrator"
    await fac.say("hello again")
    assert group.bot_texts() == ["You said: before", "You said: hello again"]


async def test_forum_thread_ids_round_trip(world: World) -> None:
    group = world.tg.group("Circle", kind="supergroup", forum=True)
    fac = group.member("Fatou", admin=True)
    topic = await group.create_topic("Round 1", by=fac)
    said = await fac.say("in the topic", thread_id=topic)
    incoming = world.seen[-1].message
    assert (incoming.message_thread_id, incoming.is_topic_message) == (topic, True)
    assert incoming.reply_to_message.forum_topic_created.name == "Round 1"  # Telegram quirk
    answer = group.last_bot_message()
    assert answer.thread_id == topic
    assert world.fake.calls_of("sendMessage")[-1].params["message_thread_id"] == topic
    await fac.reply(answer, "thanks")  # inherits the topic of the message replied to
    assert world.seen[-1].message.message_thread_id == topic
    assert said.message["message_thread_id"] == topic
    with pytest.raises(BadRequest, match="(?i)message thread not found"):
        await world.app.bot.send_message(group.id, "x", message_thread_id=999)


async def test_privacy_mode_hides_plain_group_messages(private_world: World) -> None:
    tg = private_world.tg
    group = tg.group("Set A")
    fac = group.member("Fatou", creator=True)
    assert not (await fac.say("just chatting")).delivered
    assert (await fac.command("/session")).delivered
    assert not (await fac.command("/session@OtherFacilitatorBot")).delivered
    assert (await fac.reply(group.last_bot_message(), "a reply to the bot")).delivered
    assert group.bot_texts()[-1] == "You said: a reply to the bot"
    await tg.bot_promoted(group, by=fac)
    assert (await fac.say("now visible")).delivered


async def test_private_chat(world: World) -> None:
    ann = world.tg.user("Ann", language_code="fr")
    private = world.tg.private_chat(ann, started=False)
    with pytest.raises(Forbidden, match="(?i)can't initiate conversation"):
        await world.app.bot.send_message(private.id, "hi")
    await private.say("hello bot")
    assert private.bot_texts() == ["You said: hello bot"]
    assert "reply_parameters" not in world.fake.calls_of("sendMessage")[-1].params
    await private.block()
    with pytest.raises(Forbidden, match="(?i)blocked by the user"):
        await world.app.bot.send_message(private.id, "hi")


# --- odd updates -----------------------------------------------------------------------------


async def test_replay_and_raw_and_edited_messages(world: World) -> None:
    edits: list[str] = []

    async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        edits.append(update.edited_message.text)

    world.app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    group = world.tg.group("Set A")
    ann = group.member("Ann")
    said = await ann.say("once")
    await world.tg.replay(said.update)
    assert group.bot_texts() == ["You said: once", "You said: once"]
    assert world.seen[-1].update_id == world.seen[-2].update_id
    await ann.edit(said, "twice @SomeoneElse")
    edited = await ann.edit(said, "thrice")
    assert edits == ["twice @SomeoneElse", "thrice"]
    assert "entities" not in edited.message and edited.message["edit_date"]
    await ann.send_raw("sticker")
    assert world.seen[-1].message.sticker.emoji == "👍"
    await ann.send_raw(voice={"file_id": "v", "file_unique_id": "u", "duration": 2})
    assert world.seen[-1].message.voice.file_id == "v"
    ids = [u.update_id for u in world.seen]
    assert ids[2:] == sorted(set(ids[2:]))


async def test_handler_errors_surface(world: World) -> None:
    group = world.tg.group("Set A")
    fac = group.member("Fatou")
    with pytest.raises(RuntimeError, match="(?i)boom"):
        await fac.command("/boom")
    world.tg.raise_errors = False
    await fac.command("/boom")
    assert [str(e) for e in world.tg.errors] == ["boom", "boom"]
