"""Malformed, odd and foreign updates against live state: no handler raises, nothing changes.

The background is a set in the middle of a classic session (clarifying questions) and another
set whose meeting follow-up waits for an answer, so the inputs hit real state. The kit re-raises
any handler error (`raise_errors`), and every Bot API call the bot makes must succeed.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_telegram import BOT_ID, Group, SentMessage, Speaker
from fake_telegram.speakers import text_content
from tests.conftest import BotUnderTest
from tests.e2e.helpers import pass_time, query
from tests.faults.helpers import job_names, snapshot

STATE_TABLES = ("sessions", "contributions", "actions", "scheduled")
CHANNEL = {"id": -1009999999999, "type": "channel", "title": "News"}
ODD_TEXTS = {
    "rtl": "\u202eمرحبا بالعالم\u202c כן",
    "zero_width": "\u200b\u200c\u200d\ufeff",
    "emoji": "👩🏽‍⚕️🧑‍🤝‍🧑🏳️‍🌈" * 30,
    "html": "<b>bold</b> & <script>x</script> &amp; <a href='x'>",
    "newlines": "\n\n  \n",
    "combining": "e\u0301" * 300,
}
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Live:
    """Two sets with live state: a session in its question step, and a waiting follow-up."""

    group: Group
    fac: Speaker
    ann: Speaker
    ben: Speaker
    step: SentMessage
    other: Group
    follow_up: SentMessage


async def live(bot: BotUnderTest) -> Live:
    """Build the background once per bot (hypothesis reuses the test's bot across examples)."""
    cached = getattr(bot, "_fault_live", None)
    if cached is not None:
        return cached
    other = bot.tg.group("Set B", bot_status="administrator")
    other_fac = other.member("Oumar", admin=True)
    holder = other.member("Hawa")
    await other_fac.command("/session consult")
    await holder.command("/topic Drugs run out on weekends")
    for _ in range(4):
        await other_fac.command("/next")
    await holder.command("/action Count the stock every Friday")
    await other_fac.command("/next")
    await other_fac.command("/next")
    await other_fac.command("/schedule in 1 hour")
    await pass_time(bot, hours=1)
    (follow_up,) = [m for m in other.bot_messages() if m.text.startswith("🔁")]

    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben = group.member("Ann", username="ann_k"), group.member("Ben")
    await fac.command("/session classic")
    await ann.command("/topic Staff leave early on Fridays")
    await fac.command("/next")
    step = group.last_bot_message()
    assert step.text.startswith("Step 2/6")
    await ben.say("Who else is involved?")
    found = Live(group, fac, ann, ben, step, other, follow_up)
    bot._fault_live = found  # type: ignore[attr-defined]
    return found


def state(bot: BotUnderTest) -> tuple[dict, list[str]]:
    """What no-op input must not change: stored session state and the armed jobs."""
    return snapshot(bot, STATE_TABLES), job_names(bot)


def user_json(who: Speaker) -> dict:
    return who.user


def message_update(
    bot: BotUnderTest,
    chat: dict,
    sender: dict | None,
    *,
    key: str = "message",
    **fields: Any,
) -> dict:
    """A raw update carrying one message (fields override or add to the message)."""
    message: dict[str, Any] = {
        "message_id": bot.fake.next_message_id(chat["id"]) if chat["id"] < 0 else 10**6,
        "date": bot.tg.now(),
        "chat": chat,
    }
    if sender is not None:
        message["from"] = sender
    message.update(fields)
    return {"update_id": bot.tg.next_update_id(), key: message}


def command_fields(text: str) -> dict:
    """Text fields of a command message as a client sends them."""
    length = len((text.split() or [""])[0].encode("utf-16-le")) // 2
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": length}]}


def callback_update(
    bot: BotUnderTest, presser: dict, data: str, message: dict | None, **extra: Any
) -> tuple[dict, str]:
    """A raw callback query (registered in the fake so it can be answered); returns its id."""
    query_id = f"fuzz{bot.tg.next_update_id()}"
    bot.fake.register_callback(query_id)
    callback: dict[str, Any] = {
        "id": query_id,
        "from": presser,
        "chat_instance": "42",
        "data": data,
        **extra,
    }
    if message is not None:
        callback["message"] = message
    return {"update_id": bot.tg.next_update_id(), "callback_query": callback}, query_id


async def feed_checked(bot: BotUnderTest, update: dict) -> None:
    """Feed one update; every Bot API call it causes must succeed (e.g. valid HTML)."""
    start = len(bot.fake.calls)
    await bot.tg.feed(update)
    failed = [(c.method, c.error) for c in bot.fake.calls[start:] if not c.ok]
    assert not failed, failed


READ_ONLY_METHODS = {"answerCallbackQuery", "getChatMember", "getChatMemberCount", "getChat"}


async def assert_no_op(bot: BotUnderTest, update: dict, *, quiet: bool = False) -> None:
    """The update changes no stored state; `quiet`: nor does the bot send or edit anything."""
    before, start = state(bot), len(bot.fake.calls)
    await feed_checked(bot, update)
    assert state(bot) == before
    if quiet:
        spoke = [c.method for c in bot.fake.calls[start:] if c.method not in READ_ONLY_METHODS]
        assert spoke == [], f"the bot sent or edited messages: {spoke}"


# --- hand-written inputs that must change nothing ------------------------------------------------


def group_chat(people: Live) -> dict:
    """The Chat JSON of the set with the running session."""
    return people.group.kit.fake.chat_json(people.group.id)


NO_FROM_COMMANDS = [
    "/session",
    "/next",
    "/extend 5",
    "/pause",
    "/end",
    "/holder",
    "/topic Something",
    "/q What now?",
    "/action Do it",
    "/help",
    "/meeting",
    "/schedule tomorrow 10:00",
    "/timezone Europe/Paris",
    "/reminder off",
    "/outcome done",
    "/exercises",
]


async def crashes_and_changes(bot: BotUnderTest, updates: dict[str, dict]) -> dict[str, str]:
    """Feed each update; what went wrong per label: an exception, a failed call, a change."""
    problems: dict[str, str] = {}
    for label, update in updates.items():
        before = state(bot)
        try:
            await feed_checked(bot, update)
        except Exception as error:  # noqa: BLE001 - collected to report every command at once
            problems[label] = f"{type(error).__name__}: {error}"
            continue
        if state(bot) != before:
            problems[label] = "changed stored state"
    return problems


async def test_commands_without_a_sender_change_nothing(bot):
    """Telegram may omit `from` (Message.from_user is optional): no handler may assume it."""
    people = await live(bot)
    updates = {
        text: message_update(bot, group_chat(people), None, **command_fields(text))
        for text in NO_FROM_COMMANDS
    }
    assert await crashes_and_changes(bot, updates) == {}


async def test_an_anonymous_admin_is_a_facilitator(bot):
    """An admin posting as the group (from @GroupAnonymousBot, sender_chat the group) may
    run the session: only admins can post in the group's name."""
    people = await live(bot)
    before = len(people.group.bot_texts())
    await people.group.command_as_group("/next")
    assert not any("Only facilitators" in t for t in people.group.bot_texts()[before:])
    assert people.group.bot_texts()[-1].startswith("Step 3/6")


async def test_messages_missing_optional_fields_change_nothing(bot):
    people = await live(bot)
    chat, ben = group_chat(people), user_json(people.ben)
    untitled = {k: v for k, v in chat.items() if k != "title"}
    updates = {
        "no from": message_update(bot, chat, None, text="Who decides the rota?"),
        "no text, nothing at all": message_update(bot, chat, ben),
        "a caption without media": message_update(bot, chat, ben, caption="Why?"),
        "from the bot itself": message_update(
            bot, chat, {"id": BOT_ID, "is_bot": True, "first_name": "Group"}, text="I am the bot?"
        ),
        "from another bot": message_update(bot, chat, {**ben, "is_bot": True}, text="Beep?"),
        "sent as the group, no from": message_update(
            bot, chat, None, sender_chat=chat, text="Sent as the group?"
        ),
        "a message in a group without a title, no from": message_update(
            bot, untitled, None, text="Who?"
        ),
        "an edit without text": message_update(bot, chat, ben, key="edited_message"),
        "an edit into a command": message_update(
            bot, chat, ben, key="edited_message", **command_fields("/next")
        ),
    }
    assert await crashes_and_changes(bot, updates) == {}


async def test_an_edit_of_a_message_that_was_never_recorded_writes_nothing(bot):
    people = await live(bot)
    update = message_update(
        bot, group_chat(people), user_json(people.ben), key="edited_message", text="never sent"
    )
    await assert_no_op(bot, update)


async def test_a_group_without_a_title_still_works(bot):
    people = await live(bot)
    chat = group_chat(people)
    untitled = {k: v for k, v in chat.items() if k != "title"}
    forward = {"message_id": 1, "date": 0, "chat": chat, "sender_chat": CHANNEL}
    for update in (
        message_update(bot, untitled, user_json(people.ben), text="Who pays overtime?"),
        message_update(  # a reply to a channel's automatic forward: its target has no `from`
            bot, chat, user_json(people.ben), text="Who reads it?", reply_to_message=forward
        ),
    ):
        await feed_checked(bot, update)
        (row,) = query(bot, "SELECT text FROM contributions WHERE message_id = ?", _id(update))
        assert row["text"] == update["message"]["text"]


def _id(update: dict) -> int:
    return next(v for k, v in update.items() if k != "update_id")["message_id"]


@pytest.mark.parametrize("length", [4096, 10_000])
async def test_huge_texts_are_stored_whole(bot, length):
    people = await live(bot)
    text = ("Why " + "a" * length)[: length - 1] + "?"
    sent = await people.ben.say(text)
    (row,) = query(bot, "SELECT text FROM contributions WHERE message_id = ?", sent.message_id)
    assert row["text"] == text
    failed = [(c.method, c.error) for c in bot.fake.calls if not c.ok]
    assert not failed


async def test_a_5000_character_question_by_command_is_stored_whole(bot):
    people = await live(bot)
    question = "What " + "é" * 4994 + "?"
    sent = await people.ben.command(f"/q {question}")
    (row,) = query(bot, "SELECT text FROM contributions WHERE message_id = ?", sent.message_id)
    assert row["text"] == question


UNKNOWN_UPDATES = {
    "poll": {
        "poll": {
            "id": "5",
            "question": "Lunch?",
            "options": [
                {"text": "yes", "voter_count": 1, "persistent_id": "o1"},
                {"text": "no", "voter_count": 0, "persistent_id": "o2"},
            ],
            "total_voter_count": 1,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
    "poll_answer": {
        "poll_answer": {"poll_id": "5", "user": {"id": 5, "is_bot": False, "first_name": "P"},
                        "option_ids": [0], "option_persistent_ids": ["o1"]}
    },
    "message_reaction": {
        "message_reaction": {
            "chat": {"id": -4000000001, "type": "group", "title": "Set A"},
            "message_id": 3,
            "user": {"id": 5, "is_bot": False, "first_name": "P"},
            "date": 1795000000,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        }
    },
    "chat_join_request": {
        "chat_join_request": {
            "chat": {"id": -4000000001, "type": "group", "title": "Set A"},
            "from": {"id": 5, "is_bot": False, "first_name": "P"},
            "user_chat_id": 5,
            "date": 1795000000,
        }
    },
    "business_message": {
        "business_message": {
            "message_id": 1,
            "date": 1795000000,
            "chat": {"id": 5, "type": "private", "first_name": "P"},
            "from": {"id": 5, "is_bot": False, "first_name": "P"},
            "business_connection_id": "bc1",
            "text": "/session",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        }
    },
    "chat_member": {
        "chat_member": {
            "chat": {"id": -4000000001, "type": "group", "title": "Set A"},
            "from": {"id": 5, "is_bot": False, "first_name": "P"},
            "date": 1795000000,
            "old_chat_member": {"status": "left", "user": {"id": 5, "is_bot": False,
                                                           "first_name": "P"}},
            "new_chat_member": {"status": "member", "user": {"id": 5, "is_bot": False,
                                                             "first_name": "P"}},
        }
    },
    "future_type": {"some_update_type_from_2030": {"x": 1}},
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(UNKNOWN_UPDATES))
async def test_update_types_we_do_not_handle_are_ignored(bot, kind):
    await live(bot)
    update = {"update_id": bot.tg.next_update_id(), **UNKNOWN_UPDATES[kind]}
    await assert_no_op(bot, update, quiet=True)


@pytest.mark.parametrize("text", ["/session", "/next", "/help", "Who decides?", "/q why?"])
@pytest.mark.parametrize("key", ["channel_post", "edited_channel_post"])
async def test_channel_posts_are_ignored(bot, key, text):
    await live(bot)
    fields = command_fields(text) if text.startswith("/") else {"text": text}
    update = message_update(bot, CHANNEL, None, key=key, sender_chat=CHANNEL, **fields)
    await assert_no_op(bot, update, quiet=True)


async def test_the_bot_added_to_a_channel_is_ignored(bot):
    await live(bot)
    change = {
        "chat": CHANNEL,
        "from": {"id": 5, "is_bot": False, "first_name": "P"},
        "date": bot.tg.now(),
        "old_chat_member": {"status": "left", "user": {"id": BOT_ID, "is_bot": True,
                                                       "first_name": "Bot"}},
        "new_chat_member": {"status": "member", "user": {"id": BOT_ID, "is_bot": True,
                                                         "first_name": "Bot"}},
    }  # fmt: skip
    await assert_no_op(bot, {"update_id": bot.tg.next_update_id(), "my_chat_member": change})


ODD_ARGUMENTS = [
    "/extend -5",
    "/extend 1e9",
    "/extend 0",
    "/extend 61",
    "/extend ²",  # a superscript two: isdigit() is True but int() fails
    "/extend 99999999999999999999999999",
    "/session ../../etc/passwd",
    "/session classic; DROP TABLE sessions",
    "/holder @nobody",
    "/holder nobody",
    "/holder @",
    "/resume",
    "/topic",
    "/topic  ",
    "/q",
    "/action",
    "/action | | ",
    "/outcome",
    "/outcome maybe",
    "/schedule",
    "/timezone Mars/Olympus_Mons",
    "/timezone ../../etc/localtime",
    "/reminder 10 years",
    "/reminder -2h",
]


@pytest.mark.parametrize("text", ODD_ARGUMENTS)
async def test_commands_with_odd_arguments_are_refused_without_changes(bot, text):
    people = await live(bot)
    before = state(bot)
    await people.fac.command(text)
    assert state(bot) == before
    failed = [(c.method, c.error) for c in bot.fake.calls if not c.ok]
    assert not failed


@pytest.mark.parametrize("name", sorted(ODD_TEXTS))
async def test_odd_unicode_topics_and_questions(bot, name):
    people = await live(bot)
    odd = ODD_TEXTS[name]
    fresh = bot.tg.group("Set C", bot_status="administrator")
    fac, holder = fresh.member("Fatou", admin=True), fresh.member("Zed")
    await fac.command("/session classic")
    await holder.command(f"/topic {odd}")
    await people.ben.command(f"/q {odd}")
    await people.ben.say(odd)
    await holder.say(odd)
    await fac.command("/next")
    await fac.command("/end")
    failed = [(c.method, c.error) for c in bot.fake.calls if not c.ok]
    assert not failed


FOREIGN_DATA = [
    "",  # no real button has empty data, but a client can send it
    "x",
    "s:",
    "s::",
    "s:abc:topic",
    "s:999:pick:99",
    "s:{session}:pick:99",
    "s:{session}:pick:-1",
    "s:{session}:pick:",
    "s:{session}:pick:²",
    "s:{session}:nope",
    "s:{session}:topic:extra:parts",
    "a:",
    "a:1",
    "a:1:o:nope",
    "a:{action}:o:nope",
    "a:{action}:d:nope",
    "a:{action}:",
    "a:-1:o:done",
    "a:99999999999999999999999999999:o:done",
    "a:1e3:o:done",
    "a:²:o:done",  # str.isdigit() is True for '²', int() fails
    "l:",
    "l:abc",
    "l:-5",
    "l:0",  # a log page: must not replace the message it was pressed on
    "l:²",
    "l:99999999999999999999999999999",
    "f:",
    "f:1:yes",
    "f:{ben}:no",  # Ben's own /forget "no", forged onto a message that is no /forget question
    "f:{ben}:yes",
    ":::",
    "\u202es:1:topic",
    "ü" * 32,
]


def live_ids(bot: BotUnderTest) -> dict[str, int]:
    """Ids that make callback data look like ours: the open session, the open action, Ben."""
    session = query(bot, "SELECT id FROM sessions WHERE closed_at IS NULL")[0]["id"]
    action = query(bot, "SELECT id FROM actions WHERE status = 'open'")[0]["id"]
    ben = query(bot, "SELECT user_id FROM members WHERE name = 'Ben'")[0]["user_id"]
    return {"session": session, "action": action, "ben": ben}


@pytest.mark.parametrize("data", FOREIGN_DATA)
@pytest.mark.parametrize("on", ["step", "follow_up"])
async def test_callback_data_that_is_not_ours_is_answered_and_changes_nothing(bot, data, on):
    people = await live(bot)
    target = people.step if on == "step" else people.follow_up
    message = bot.fake.message_json(bot.fake.message(target.chat_id, target.message_id))
    update, query_id = callback_update(
        bot, user_json(people.ben), data.format(**live_ids(bot)), message
    )
    await assert_no_op(bot, update, quiet=True)
    assert bot.fake.callback_answer(query_id) is not None, "the spinner never stops"


@pytest.mark.parametrize(
    "data", ["s:{session}:topic", "a:{action}:o:done", "x", "a:1:d:close", "l:0", "f:{ben}:yes"]
)
async def test_callback_queries_without_a_message_are_answered(bot, data):
    await live(bot)
    hawa = query(bot, "SELECT holder_id FROM actions WHERE status = 'open'")[0]["holder_id"]
    presser = {"id": hawa, "is_bot": False, "first_name": "Hawa"}
    for extra in ({"inline_message_id": "AAAA"}, {}):
        update, query_id = callback_update(
            bot, presser, data.format(**live_ids(bot)), None, **extra
        )
        await assert_no_op(bot, update, quiet=True)
        assert bot.fake.callback_answer(query_id) is not None


@pytest.mark.parametrize("extra", [{}, {"game_short_name": "tetris"}], ids=["no data", "a game"])
async def test_callback_queries_without_data_are_answered(bot, extra):
    people = await live(bot)
    message = bot.fake.message_json(bot.fake.message(people.step.chat_id, people.step.message_id))
    update, query_id = callback_update(bot, user_json(people.ben), "", message)
    del update["callback_query"]["data"]
    update["callback_query"].update(extra)
    await assert_no_op(bot, update, quiet=True)
    assert bot.fake.callback_answer(query_id) is not None


async def test_an_inaccessible_message_in_a_callback_is_answered(bot):
    people = await live(bot)
    inaccessible = {"chat": group_chat(people), "message_id": people.step.message_id, "date": 0}
    data = "s:{session}:topic".format(**live_ids(bot))
    update, query_id = callback_update(bot, user_json(people.ann), data, inaccessible)
    await assert_no_op(bot, update, quiet=True)
    assert bot.fake.callback_answer(query_id) is not None


# --- hypothesis ----------------------------------------------------------------------------------

callback_data = st.one_of(
    st.text(max_size=64),
    st.binary(min_size=64, max_size=64).map(lambda raw: raw.decode("latin-1")),
    st.tuples(
        st.sampled_from(["s", "a", "l", "f", "x", ""]),
        st.one_of(st.integers(-(10**30), 10**30).map(str), st.text(string.printable, max_size=8)),
        st.sampled_from(["topic", "pick", "o", "d", "", "zzz"]),
        st.one_of(
            st.integers(-5, 99).map(str),
            st.sampled_from(["done", "partly", "not_yet", "dropped", "carry", "change", "close"]),
            st.text(max_size=5),
        ),
    ).map(":".join),
)


@FUZZ
@given(data=callback_data, on_follow_up=st.booleans())
async def test_fuzzed_callback_data_from_a_bystander_changes_nothing(bot, data, on_follow_up):
    people = await live(bot)
    target = people.follow_up if on_follow_up else people.step
    message = bot.fake.message_json(bot.fake.message(target.chat_id, target.message_id))
    # Ben is in the session's set but neither its holder nor a facilitator, and no one in
    # the follow-up's set: whatever the data says, his press changes nothing.
    update, query_id = callback_update(bot, user_json(people.ben), data[:64], message)
    await assert_no_op(bot, update, quiet=True)
    assert bot.fake.callback_answer(query_id) is not None


COMMANDS_WITH_ARGUMENTS = [
    "/session",
    "/topic",
    "/holder",
    "/q",
    "/action",
    "/extend",
    "/schedule",
    "/timezone",
    "/reminder",
    "/outcome",
    "/meeting",
    "/help",
]


@FUZZ
@given(
    command=st.sampled_from(COMMANDS_WITH_ARGUMENTS),
    argument=st.text(max_size=300),
    by_facilitator=st.booleans(),
)
async def test_fuzzed_command_arguments_never_crash(bot, command, argument, by_facilitator):
    people = await live(bot)
    who = people.fac if by_facilitator else people.ben
    before = query(bot, "SELECT id, step_index, phase FROM sessions ORDER BY id")
    start = len(bot.fake.calls)
    await who.command(f"{command} {argument}")
    failed = [(c.method, c.error) for c in bot.fake.calls[start:] if not c.ok]
    assert not failed
    # None of these commands moves a step or opens or closes a session.
    assert query(bot, "SELECT id, step_index, phase FROM sessions ORDER BY id") == before


OPTIONAL_FIELDS = ["from", "text", "entities", "title", "reply_to_message"]


@FUZZ
@given(
    text=st.one_of(st.text(max_size=200), st.sampled_from(list(ODD_TEXTS.values()))),
    dropped=st.sets(st.sampled_from(OPTIONAL_FIELDS)),
    edited=st.booleans(),
)
async def test_fuzzed_group_messages_never_crash(bot, text, dropped, edited):
    people = await live(bot)
    chat = group_chat(people)
    if "title" in dropped:
        chat.pop("title")
    fields: dict[str, Any] = text_content(text)
    fields["reply_to_message"] = bot.fake.message_json(
        bot.fake.message(people.step.chat_id, people.step.message_id)
    )
    if edited:
        fields["edit_date"] = bot.tg.now()
    for name in dropped:
        fields.pop(name, None)
    sender = None if "from" in dropped else user_json(people.ben)
    update = message_update(
        bot, chat, sender, key="edited_message" if edited else "message", **fields
    )
    before = query(bot, "SELECT id, step_index, phase FROM sessions ORDER BY id")
    await feed_checked(bot, update)
    assert query(bot, "SELECT id, step_index, phase FROM sessions ORDER BY id") == before
