"""One reading of a command's argument for every command: by Telegram's bot_command entity."""

from __future__ import annotations

import pytest
from telegram import Message

from bot.command_args import command_of
from tests.bot.test_follow_up import committed_session
from tests.e2e.helpers import query


def message(text: str, length: int | None, offset: int = 0) -> Message:
    entities = (
        [] if length is None else [{"type": "bot_command", "offset": offset, "length": length}]
    )
    return Message.de_json(
        {
            "message_id": 1,
            "date": 0,
            "chat": {"id": -1, "type": "group"},
            "text": text,
            "entities": entities,
        },
        None,
    )


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("/action Call the supervisor", 7, ("action", "Call the supervisor")),
        (
            "/action\nCall the supervisor | she agrees",
            7,
            ("action", "Call the supervisor | she agrees"),
        ),  # noqa: E501
        ("/Action@SetBot  two  spaces kept inside ", 14, ("action", "two  spaces kept inside")),
        ("/next", 5, ("next", "")),
        ("just words", None, None),
        ("see /next", 4, None),  # a command that does not start the message
    ],
)
def test_command_of_reads_name_and_argument_by_the_entity(text, length, expected):
    offset = text.find("/") if length else 0
    assert command_of(message(text, length, offset)) == expected


async def test_an_action_on_the_line_after_the_command_is_recorded_whole(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    action = "/action\nCall the supervisor | she agrees to a rota"
    await committed_session(bot, group, action=action)  # logged when the session closes
    (action,) = query(bot, "SELECT text, success_sign FROM actions")
    assert action == {"text": "Call the supervisor", "success_sign": "she agrees to a rota"}


async def test_a_schedule_on_the_next_line_is_read(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/schedule\nin 2 weeks 10:00")
    reply = group.bot_texts()[-1]
    assert reply.startswith("📅 Next meeting") and " \n" not in reply  # a one-off: no rhythm
