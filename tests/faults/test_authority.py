"""Who may do what: facilitator commands, buttons meant for one person, and one set's data.

The facilitator commands come from `bot.commands.COMMANDS` (facilitator=True), so a command
added to the table is covered here without touching this file; VALID_ARGUMENTS gives the
arguments that make a command do something, PREPARE what must happen before it can.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.admins import ADMIN_MEMORY
from bot.commands import COMMANDS
from fake_telegram import Group, SentMessage, Speaker, visible
from tests.conftest import BotUnderTest
from tests.e2e.helpers import query
from tests.faults.helpers import job_names, snapshot

FACILITATOR_COMMANDS = [c.name for c in COMMANDS if c.facilitator and c.where != "private"]
VALID_ARGUMENTS = {
    "session": "classic",
    "holder": "@ben_b",
    "extend": "5",
    "schedule": "in 2 weeks",
    "timezone": "Europe/Paris",
    "reminder": "2h",
    "language": "fr",
    "autoadvance": "on",
    "exercise": "consult",
    "exportpolicy": "members",
    "retention": "6m",
    "goal": "2 per month",
    "facilitator": "@ben_b",
    "unfacilitator": "@ben_b",
}
DEFAULT_ARGUMENT = ""
# What the facilitator does first so the command has something to act on.
PREPARE = {"resume": ["/pause"], "session": ["/end"], "unfacilitator": ["/facilitator @ben_b"]}
# Commands that, with VALID_ARGUMENTS after PREPARE, must change stored state or jobs.
CHANGES = {"next", "pause", "resume", "end", *VALID_ARGUMENTS}
REFUSAL = "Only facilitators"
STATE_TABLES = ("sets", "members", "sessions", "contributions", "actions", "scheduled")


def command_line(name: str) -> str:
    argument = VALID_ARGUMENTS.get(name, DEFAULT_ARGUMENT)
    return f"/{name} {argument}".strip()


@dataclass
class Set:
    """A set in the middle of a classic session (clarifying questions, timers armed)."""

    group: Group
    fac: Speaker
    ann: Speaker
    ben: Speaker


async def session_in_progress(bot: BotUnderTest, title: str = "Set A") -> Set:
    group = bot.tg.group(title, bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben = group.member("Ann", username="ann_k"), group.member("Ben", username="ben_b")
    await fac.command("/session classic")
    await ann.command("/topic Staff leave early on Fridays")
    await fac.command("/next")
    await ben.say("Who else is involved?")
    return Set(group, fac, ann, ben)


def state(bot: BotUnderTest, *newcomers: Speaker) -> tuple[dict, list[str]]:
    """What a refused command or press must not change. A newcomer's own member row is left
    out: whoever writes in a group is recorded as a plain member (members.record_sender)."""
    tables = snapshot(bot, STATE_TABLES)
    left_out = {(n.chat.id, n.user_id) for n in newcomers}
    tables["members"] = [
        m for m in tables["members"] if (m["chat_id"], m["user_id"]) not in left_out
    ]
    return tables, job_names(bot)


def role_of(bot: BotUnderTest, speaker: Speaker) -> str | None:
    """The stored role of a person in the speaker's set, if they are recorded there."""
    rows = query(
        bot,
        "SELECT role FROM members WHERE chat_id = ? AND user_id = ?",
        speaker.chat.id,
        speaker.user_id,
    )
    return rows[0]["role"] if rows else None


def test_the_table_lists_the_facilitator_commands():
    assert {"session", "next", "extend", "pause", "resume", "end", "holder"} <= set(
        FACILITATOR_COMMANDS
    )


@pytest.mark.parametrize("name", FACILITATOR_COMMANDS)
async def test_a_member_is_refused_with_one_polite_line_and_nothing_changes(bot, name):
    people = await session_in_progress(bot)
    for line in PREPARE.get(name, []):
        # Ben stays a member; the member's /session must meet a running session too.
        if line != "/end" and not line.startswith("/facilitator"):
            await people.fac.command(line)
    before, seen = state(bot), len(people.group.bot_texts())
    await people.ben.command(command_line(name))
    (reply,) = people.group.bot_texts()[seen:]
    assert reply.startswith(REFUSAL) and f"/{name}" in reply
    assert state(bot) == before


@pytest.mark.parametrize("name", FACILITATOR_COMMANDS)
async def test_a_member_is_refused_even_without_a_session(bot, name):
    group = bot.tg.group("Set A", bot_status="administrator")
    group.member("Fatou", admin=True)
    ben = group.member("Ben")
    await ben.command(command_line(name))
    (reply,) = group.bot_texts()
    assert reply.startswith(REFUSAL) and f"/{name}" in reply
    assert query(bot, "SELECT * FROM sessions") == []
    assert query(bot, "SELECT * FROM scheduled") == []
    assert bot.jobs() == []


@pytest.mark.parametrize("status", ["admin", "creator"])
@pytest.mark.parametrize("name", FACILITATOR_COMMANDS)
async def test_an_admin_or_the_owner_can(bot, name, status):
    people = await session_in_progress(bot)
    boss = people.group.member("Grace", admin=status == "admin", creator=status == "creator")
    for line in PREPARE.get(name, []):
        await boss.command(line)
    before, seen = state(bot), len(people.group.bot_texts())
    await boss.command(command_line(name))
    replies = people.group.bot_texts()[seen:]
    assert replies, f"/{name} said nothing"
    assert not any(text.startswith(REFUSAL) for text in replies), replies
    if name in CHANGES:
        assert state(bot) != before, f"/{name} changed nothing"


async def test_a_granted_facilitator_can_and_a_revoked_one_cannot(bot):
    people = await session_in_progress(bot)
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    await people.fac.command("/facilitator @ben_b")
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 3/6")
    await people.ben.command("/extend 5")
    assert not people.group.bot_texts()[-1].startswith(REFUSAL)
    await people.fac.command("/unfacilitator @ben_b")
    before = state(bot)
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    assert state(bot) == before


async def test_a_granted_facilitator_by_reply_can(bot):
    people = await session_in_progress(bot)
    said = await people.ann.say("What would help?")
    await people.fac.command("/facilitator", reply_to=said)
    await people.ann.command("/pause")
    assert not people.group.bot_texts()[-1].startswith(REFUSAL)


async def test_a_role_granted_in_one_set_does_not_apply_in_another(bot):
    people = await session_in_progress(bot)
    await people.fac.command("/facilitator @ben_b")
    other = await session_in_progress(bot, "Set B")
    ben_in_b = other.group.member(people.ben)
    before = state(bot)
    await ben_in_b.command("/next")
    assert other.group.bot_texts()[-1].startswith(REFUSAL)
    assert state(bot, ben_in_b) == before
    assert role_of(bot, ben_in_b) == "member"


async def test_a_member_cannot_grant_the_role_to_themselves(bot):
    people = await session_in_progress(bot)
    before = state(bot)
    await people.ben.command("/facilitator @ben_b")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    assert state(bot) == before


async def test_a_member_promoted_to_admin_can_at_once(bot):
    people = await session_in_progress(bot)
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    people.group.member(people.ben, admin=True)
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith("Step 3/6")


async def test_an_admin_demoted_to_member_is_refused_at_once_when_the_bot_is_admin(bot):
    people = await session_in_progress(bot)  # the bot is an admin: Telegram says who changes
    owner = people.group.member("Owner", creator=True)
    await bot.tg.set_member_status(people.group, people.fac, "member", by=owner)
    calls = len(bot.fake.calls_of("getChatMember"))
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    assert query(bot, "SELECT step_index FROM sessions") == [{"step_index": 1}]
    assert len(bot.fake.calls_of("getChatMember")) == calls + 1  # asked, not remembered


async def test_a_demotion_the_bot_is_not_told_of_counts_within_minutes(bot):
    people = await session_in_progress(bot)
    await bot.tg.set_bot_status(people.group, "member", by=people.fac)  # no chat_member now
    people.group.member(people.fac)  # demoted; the bot hears nothing
    bot.clock.advance(seconds=ADMIN_MEMORY.total_seconds())
    await people.fac.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)
    assert query(bot, "SELECT step_index FROM sessions") == [{"step_index": 1}]


async def test_a_facilitators_commands_ask_telegram_once_in_a_while(bot):
    people = await session_in_progress(bot)
    asked = len(bot.fake.calls_of("getChatMember"))
    await people.fac.command("/next")
    await people.fac.command("/extend 2")
    assert len(bot.fake.calls_of("getChatMember")) == asked  # the /session check is remembered
    bot.clock.advance(seconds=ADMIN_MEMORY.total_seconds())
    await people.fac.command("/next")
    assert len(bot.fake.calls_of("getChatMember")) == asked + 1
    assert people.group.bot_texts()[-1].startswith("Step 4/6")


async def test_an_admin_of_another_group_is_a_member_here(bot):
    people = await session_in_progress(bot)
    other = bot.tg.group("Set B", bot_status="administrator")
    other.member(people.ben, admin=True)
    await people.ben.command("/next")
    assert people.group.bot_texts()[-1].startswith(REFUSAL)


# --- buttons meant for one person ----------------------------------------------------------------


async def reveal(bot: BotUnderTest) -> tuple[Set, Speaker, SentMessage]:
    """A reframe session at the reveal: Ben's and Cat's statements, 'Fits: N' for Ann."""
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben, cat = group.member("Ann"), group.member("Ben"), group.member("Cat")
    await fac.command("/session reframe")
    await ann.command("/topic Staff leave early")
    await fac.command("/next")
    await ben.say("What have you noticed about Fridays?")
    await fac.command("/next")
    step3 = group.last_bot_message()
    await ben.reply(step3, "The real problem is pay.")
    await cat.reply(step3, "The real problem is trust.")  # the last one: revealed at once
    shown = group.last_bot_message()
    assert [b["text"] for b in shown.buttons()] == ["Fits: 1", "Fits: 2"]
    return Set(group, fac, ann, ben), cat, shown


@pytest.mark.parametrize("presser", ["ben", "cat", "fac"])
async def test_only_the_holder_picks_a_statement(bot, presser):
    people, cat, shown = await reveal(bot)
    who = {"ben": people.ben, "cat": cat, "fac": people.fac}[presser]
    before, seen = state(bot), len(people.group.bot_texts())
    press = await who.press(shown, "Fits: 1")
    assert press.answer["text"] == "Only the topic holder picks the statement."
    assert people.group.bot_texts()[seen:] == []
    assert state(bot) == before
    await people.ann.press(shown, "Fits: 2")
    assert query(bot, "SELECT reframe FROM sessions") == [{"reframe": "The real problem is trust."}]


async def meeting_follow_up(bot: BotUnderTest, title: str = "Set B") -> tuple[Group, dict]:
    """A set whose meeting follow-up asks Hawa about her action; returns it and its people."""
    group = bot.tg.group(title, bot_status="administrator")
    fac, hawa, moussa = (
        group.member("Oumar", admin=True),
        group.member("Hawa"),
        group.member("Moussa"),
    )
    await fac.command("/session consult")
    await hawa.command("/topic Drugs run out on weekends")
    for _ in range(4):
        await fac.command("/next")
    await hawa.command("/action Count the stock every Friday")
    await fac.command("/next")
    await fac.command("/next")
    await fac.command("/schedule in 1 hour")
    bot.clock.advance(hours=1)
    await bot.fire_due()
    (follow_up,) = [m for m in group.bot_messages() if m.text.startswith("🔁")]
    return group, {"fac": fac, "hawa": hawa, "moussa": moussa, "follow_up": follow_up}


async def test_a_member_pressing_another_holders_follow_up_button_changes_nothing(bot):
    group, people = await meeting_follow_up(bot)
    follow_up = people["follow_up"]
    before, seen = state(bot), len(group.bot_texts())
    press = await people["moussa"].press(follow_up, "✅ Done")
    assert visible(press.answer["text"]) == "Only Hawa (or a facilitator) answers this follow-up."
    assert group.bot_texts()[seen:] == []
    assert state(bot) == before
    assert bot.fake.message(group.id, follow_up.message_id).text == follow_up.text
    # A member's reply to the follow-up is not taken as Hawa's learning either.
    await people["moussa"].reply(follow_up, "She did it, I saw it")
    assert state(bot, people["moussa"]) == before
    # And /outcome names the sender's own action, of which Moussa has none.
    await people["moussa"].command("/outcome done")
    assert state(bot, people["moussa"]) == before
    assert role_of(bot, people["moussa"]) == "member"


async def test_the_holder_and_a_facilitator_may_answer_a_follow_up(bot):
    group, people = await meeting_follow_up(bot)
    await people["fac"].press(people["follow_up"], "✅ Done")
    assert query(bot, "SELECT outcome FROM actions") == [{"outcome": "done"}]


async def test_a_follow_up_button_pressed_in_another_set_does_nothing(bot):
    _, people_b = await meeting_follow_up(bot)
    people_a = await session_in_progress(bot)
    data = people_b["follow_up"].button("✅ Done")["callback_data"]
    step = people_a.group.last_bot_message()
    before = state(bot)
    # Hawa, also in set A, presses a copy of her set B button shown on a set A message.
    hawa_in_a = people_a.group.member(people_b["hawa"])
    query_id = f"copy{bot.tg.next_update_id()}"
    bot.fake.register_callback(query_id)
    message = bot.fake.message_json(bot.fake.message(step.chat_id, step.message_id))
    await bot.tg.feed(
        {
            "update_id": bot.tg.next_update_id(),
            "callback_query": {
                "id": query_id,
                "from": hawa_in_a.user,
                "chat_instance": "1",
                "data": data,
                "message": message,
            },
        }
    )
    assert bot.fake.callback_answer(query_id) is not None
    assert state(bot) == before


@pytest.mark.parametrize("label", ["Yes, remove them", "No, keep them"])
async def test_only_the_person_who_asked_confirms_forget(bot, label):
    people = await session_in_progress(bot)
    await people.fac.command("/end")
    await people.ben.command("/forget")
    question = people.group.last_bot_message()
    before, seen = state(bot), len(people.group.bot_texts())
    press = await people.ann.press(question, label)
    assert press.answer["text"] == "Only the person who asked can confirm this."
    assert state(bot) == before
    assert people.group.bot_texts()[seen:] == []
    assert bot.fake.message(question.chat_id, question.message_id).text == question.text
    await people.ben.press(question, "Yes, remove them")
    assert query(
        bot, "SELECT count(*) AS n FROM contributions WHERE user_id = ?", people.ben.user_id
    ) == [{"n": 0}]


# --- one set's data stays in that set ------------------------------------------------------------


async def closed_with_action(bot, title: str, holder: Speaker | str, action: str) -> Set:
    group = bot.tg.group(title, bot_status="administrator")
    fac = group.member(f"Fac {title}", admin=True)
    ann = group.member(holder)
    ben = group.member("Ben")
    await fac.command("/session consult")
    await ann.command(f"/topic Topic of {title}")
    for _ in range(4):
        await fac.command("/next")
    await ann.command(f"/action {action}")
    await fac.command("/next")
    await fac.command("/next")
    return Set(group, fac, ann, ben)


async def test_meeting_and_myactions_show_only_their_own_sets_data(bot):
    ann = bot.tg.user("Ann")
    hawa = bot.tg.user("Hawa")
    set_a = await closed_with_action(bot, "Set A", ann, "Write the rota proposal")
    set_b = await closed_with_action(bot, "Set B", hawa, "Count the stock every Friday")
    set_b.group.member(ann)  # Ann is in both sets; she holds an action in A only

    for command in ("/actions", "/log"):
        await set_a.fac.command(command)
        shown = set_a.group.bot_texts()[-1]
        assert "Write the rota proposal" in shown and "Count the stock" not in shown, command
        await set_b.fac.command(command)
        shown = set_b.group.bot_texts()[-1]
        assert "Count the stock" in shown and "Write the rota" not in shown, command

    await set_a.fac.command("/meeting")
    meeting_a = set_a.group.bot_texts()[-1]
    await set_b.fac.command("/meeting")
    meeting_b = set_b.group.bot_texts()[-1]
    assert "Write the rota proposal" in meeting_a and "Count the stock" not in meeting_a
    assert "Count the stock" in meeting_b and "Write the rota" not in meeting_b

    await set_a.fac.command("/export")
    exported = b"".join(doc.content for doc in set_a.group.documents())
    assert b"Write the rota proposal" in exported and b"Count the stock" not in exported

    ann_private = bot.tg.private_chat(ann)
    await ann_private.command("/myactions")
    mine = ann_private.bot_texts()[-1]
    assert "Write the rota proposal" in mine and "Set A" in mine
    assert "Count the stock" not in mine and "Set B" not in mine

    ben_private = bot.tg.private_chat(set_a.ben)
    await ben_private.command("/myactions")
    assert ben_private.bot_texts()[-1] == "You have no open actions. 🎉"


async def test_outcome_in_one_set_never_touches_an_action_of_another(bot):
    ann = bot.tg.user("Ann")
    set_a = await closed_with_action(bot, "Set A", ann, "Write the rota proposal")
    set_b = bot.tg.group("Set B", bot_status="administrator")
    ann_in_b = set_b.member(ann)
    before = state(bot)
    await ann_in_b.command("/outcome done")
    assert set_b.bot_texts()[-1].startswith("You have no open action")
    assert state(bot)[0]["actions"] == before[0]["actions"]
    await set_a.ann.command("/outcome done")
    assert query(bot, "SELECT outcome FROM actions") == [{"outcome": "done"}]
