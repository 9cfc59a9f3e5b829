"""/start and /help, the privacy hint, the bot joining and leaving, migration, errors."""

import pytest
from telegram.ext import CommandHandler

from fake_telegram import BOT_ID


async def test_help_in_private_explains_and_lists_private_commands(bot):
    ann = bot.tg.private_chat(bot.tg.user("Ann"))
    await ann.command("/start")
    (text,) = ann.bot_texts()
    assert "action learning" in text
    assert "/help" in text
    assert "/session" not in text  # group commands are not offered in private


async def test_help_in_group_without_read_access_adds_one_privacy_line(bot):
    group = bot.tg.group("Set A")
    fac = group.member("Fatou", admin=True)
    await fac.command("/help")
    help_text, hint = group.bot_texts()
    assert "/session" in help_text  # facilitators see their commands
    assert "admin" in hint and "/setprivacy" in hint


async def test_help_in_group_for_a_member_hides_facilitator_commands(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    ann = group.member("Ann")
    await ann.command("/help")
    (text,) = group.bot_texts()  # an admin bot reads everything: no hint
    assert "/topic —" in text
    assert "/session —" not in text and "/next —" not in text
    assert "A facilitator (a group admin) starts a session with /session" in text


async def test_a_facilitators_help_shows_the_few_that_run_a_session_then_all_on_request(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/help")
    short = group.bot_texts()[-1]
    listed = [line for line in short.splitlines() if line.startswith("/")]
    assert "/session — " in short and "/next — " in short and "/exportpolicy" not in short
    assert len(listed) <= 12 and short.endswith("More commands: /help all")
    assert "starts a session with /session" not in short  # a facilitator knows
    await fac.command("/help all")
    everything = group.bot_texts()[-1]
    assert "/exportpolicy — " in everything and "/help all" not in everything
    assert len([line for line in everything.splitlines() if line.startswith("/")]) > 25


async def test_help_without_privacy_mode_has_no_hint(settings, clock):
    from fake_telegram import FakeTelegram, TelegramKit
    from tests.conftest import start, stop

    fake = FakeTelegram(privacy=False, clock=clock)
    app = await start(settings, fake, clock)
    group = TelegramKit(app, fake).group("Set A")
    await group.member("Ann").command("/help")
    assert len(group.bot_texts()) == 1
    await stop(app)


async def test_menus_are_published_per_scope(bot):
    private = [name for name, _ in bot.fake.commands("all_private_chats")]
    members = [name for name, _ in bot.fake.commands("all_group_chats")]
    admins = [name for name, _ in bot.fake.commands("all_chat_administrators")]
    assert "start" in private and "session" not in private
    assert "topic" in members and "session" not in members
    assert {"session", "next", "topic"} <= set(admins)


async def test_bot_added_welcomes_and_removed_marks_inactive(bot):
    group = bot.tg.group("Set A", bot_status="left")
    fac = group.member("Fatou", admin=True)
    await bot.tg.bot_added(group, by=fac)
    welcome, privacy = group.bot_texts()[-2:]
    assert "/help" in welcome
    assert privacy.startswith("🔒 What I keep") and "/forget" in privacy
    assert bot.rows("SELECT active FROM sets WHERE chat_id = ?", group.id) == [(1,)]
    await bot.tg.bot_removed(group, by=fac)
    assert bot.rows("SELECT active FROM sets WHERE chat_id = ?", group.id) == [(0,)]
    await bot.tg.bot_added(group, by=fac)
    assert bot.rows("SELECT active FROM sets WHERE chat_id = ?", group.id) == [(1,)]


async def test_group_upgraded_to_supergroup_moves_everything(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/session")
    await group.member("Ann").command("/topic Late reports")
    old = group.id
    new = await bot.tg.migrate(group, by=fac)
    for table in ("sets", "sessions", "scheduled", "contributions"):
        assert bot.rows(f"SELECT count(*) FROM {table} WHERE chat_id = ?", old) == [(0,)]
        assert bot.rows(f"SELECT count(*) FROM {table} WHERE chat_id = ?", new)[0][0] >= 1
    await fac.command("/next")  # the session carries on under the new id
    assert "Step 2/6" in group.bot_texts()[-1]


async def test_error_handler_logs_and_the_bot_carries_on(bot, caplog):
    async def broken(update, context):
        raise RuntimeError("boom")

    bot.app.add_handler(CommandHandler("boom", broken), group=-2)
    bot.tg.raise_errors = False
    group = bot.tg.group("Set A")
    fac = group.member("Fatou", admin=True)
    await fac.command("/boom the night nurse cried")
    (line,) = [r for r in caplog.records if r.getMessage().startswith("Unhandled error")]
    assert f"chat {group.id}" in line.getMessage() and "boom" in caplog.text  # the traceback
    assert "night nurse" not in caplog.text, "the log must not hold what members wrote"
    await fac.command("/help")
    assert "/session" in group.bot_texts()[0]


async def test_restart_on_the_same_database_keeps_the_set(bot):
    group = bot.tg.group("Set A")
    await group.member("Fatou", admin=True).command("/help")
    await bot.restart()
    assert bot.rows("SELECT title FROM sets WHERE chat_id = ?", group.id) == [("Set A",)]
    assert bot.fake.calls_of("getMe")


@pytest.mark.parametrize("status", ["administrator", "creator"])
async def test_read_access_as_admin(bot, status):
    group = bot.tg.group("Set A")
    bot.fake.set_member_status(group.id, BOT_ID, status if status != "creator" else "administrator")
    await group.member("Ann").command("/help")
    assert len(group.bot_texts()) == 1


async def test_privacy_says_who_may_export_as_the_set_decided(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/privacy")
    assert "Who may export the log: facilitators." in group.bot_texts()[-1]
    await fac.command("/exportpolicy members")
    await group.member("Ann").command("/privacy")
    assert "Who may export the log: every member." in group.bot_texts()[-1]


async def test_a_private_command_in_a_group_says_where_it_works(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Ann").command("/myactions")
    assert group.bot_texts()[-1] == (
        f"This command works in a private chat with me: open @{bot.app.bot.username}"
        " and send /myactions there."
    )
