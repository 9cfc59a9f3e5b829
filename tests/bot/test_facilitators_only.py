"""@facilitators_only: one polite line naming the command the member sent; admins, granted
facilitators and anonymous admins pass."""

from bot.handlers import session_commands
from bot.roles import facilitators_only
from fake_telegram import BOT_USERNAME

REFUSAL = (
    "Only facilitators (group admins, or members they name with /facilitator) can use {command}."
)


async def running_session(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac, ann, ben = group.member("Fatou", admin=True), group.member("Ann"), group.member("Ben")
    await fac.command("/session")
    await ann.command("/topic Staff leave early")
    return group, fac, ben


def test_the_decorated_command_keeps_its_name_and_docstring():
    assert session_commands.extend.__name__ == "extend"
    assert session_commands.extend.__doc__.startswith("/extend [minutes]")

    async def plain(update, context) -> None:
        """A command."""

    assert facilitators_only(plain).__wrapped__ is plain


async def test_a_member_gets_one_polite_line_naming_the_command(bot):
    group, _, ben = await running_session(bot)
    before = len(group.bot_texts())
    await ben.command("/extend 5")
    assert group.bot_texts()[before:] == [REFUSAL.format(command="/extend")]


async def test_the_line_names_the_command_as_matched_whatever_its_case_and_bot_suffix(bot):
    group, _, ben = await running_session(bot)
    before = len(group.bot_texts())
    await ben.command(f"/PAUSE@{BOT_USERNAME}")
    assert group.bot_texts()[before:] == [REFUSAL.format(command="/pause")]


async def test_an_admin_passes(bot):
    group, fac, _ = await running_session(bot)
    await fac.command("/pause")
    assert group.bot_texts()[-1].startswith("⏸ Paused")


async def test_an_anonymous_admin_passes(bot):
    group, _, _ = await running_session(bot)
    await group.command_as_group("/pause")
    assert group.bot_texts()[-1].startswith("⏸ Paused")
