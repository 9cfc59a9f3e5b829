"""ERROR_CHAT_ID: an unexpected error reaches a person in a short report, at most one a minute,
naming the error and the update by ids, never what anyone wrote."""

from __future__ import annotations

from telegram.ext import CommandHandler


async def broken(update, context):
    raise RuntimeError("boom")


async def test_an_unhandled_error_is_reported_once_a_minute_without_anyones_words(bot):
    ops = bot.tg.private_chat(bot.tg.user("Olu"))  # the operator started the bot in private
    bot.settings.error_chat_id = ops.id
    bot.app.add_handler(CommandHandler("boom", broken), group=-2)
    bot.tg.raise_errors = False
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)

    def reports() -> list[str]:
        calls = bot.fake.calls_of("sendMessage")
        return [c.params["text"] for c in calls if c.params.get("chat_id") == ops.id and c.ok]

    await fac.command("/boom the night nurse cried")
    (report,) = reports()
    assert "RuntimeError" in report and f"chat {group.id}" in report
    assert "night nurse" not in report and "boom" not in report.split("<pre>")[0]
    await fac.command("/boom again")
    assert len(reports()) == 1  # within the minute: held back
    bot.clock.advance(seconds=61)
    await fac.command("/boom once more")
    assert len(reports()) == 2 and "(1 more since the last report)" in reports()[-1]


async def test_without_error_chat_id_nothing_is_reported(bot):
    bot.app.add_handler(CommandHandler("boom", broken), group=-2)
    bot.tg.raise_errors = False
    group = bot.tg.group("Set A", bot_status="administrator")
    await group.member("Fatou", admin=True).command("/boom")
    assert [
        c for c in bot.fake.calls_of("sendMessage") if c.params.get("chat_id") != group.id
    ] == []
