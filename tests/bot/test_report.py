"""/report: the picture with its three lines, /report text, an empty set, the usage line."""

import io

from PIL import Image

from bot.picture_style import SIZE
from fake_telegram.errors import NetworkFailure, bad_request
from tests.bot.test_log_and_settings import two_sessions_and_a_follow_up
from tests.e2e.helpers import query

UNISOLATED = dict.fromkeys(map(ord, "\u2068\u2069"))  # the isolates around each figure


async def scored(bot, group, *scores):
    """Members press scores under the latest session's summary."""
    summary = [m for m in group.bot_messages() if "How did we do?" in (m.text or "")][-1]
    for member, score in zip(group.members.values(), scores, strict=False):
        await member.press(bot.fake.message(group.id, summary.message_id), str(score))


async def test_report_sends_one_photo_with_the_figures_below(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    summary = [m for m in group.bot_messages() if "How did we do?" in (m.text or "")][-1]
    await ann.press(summary, "8")
    await ben.press(bot.fake.message(group.id, summary.message_id), "7")
    await ben.command("/report")
    [photo] = group.photos()
    assert Image.open(io.BytesIO(photo.content)).size == SIZE
    assert photo.filename == "report-12m.png" and photo.mime_type.startswith("image/")
    lines = photo.caption.translate(UNISOLATED).split("\n")
    assert len(lines) == 3
    assert lines[0].startswith("🗓 Meetings in the last 12 months: 2 (") and "Nov 2" in lines[0]
    assert lines[1] == (
        "✅ Actions: 0 done, 1 partly done, 0 not yet, 0 dropped, 2 still open;"
        " 1 carried on, 0 changed"
    )
    assert "How we did: 7.5/10 (mean; scored sessions: 1)" in lines[2]
    await ben.command("/report 6 text")
    text = group.bot_texts()[-1].translate(UNISOLATED)
    assert text.startswith("🗓 Meetings in the last 6 months: 2") and len(group.photos()) == 1
    assert text.split("\n")[1] == lines[1]


async def test_a_set_with_no_history_gets_one_line_and_a_wrong_argument_the_usage(bot):
    group = bot.tg.group("New set", bot_status="administrator")
    ann = group.member("Ann")
    await ann.command("/report")
    assert group.photos() == []
    assert group.bot_texts()[-1].startswith("No report yet: after the set’s first meetings")
    await ann.command("/report 7")
    assert group.bot_texts()[-1].startswith("Send /report for the last 12 months")


async def test_an_arabic_set_gets_its_report_in_arabic(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    await fac.command("/language ar")
    await ann.command("/report")
    [photo] = group.photos()
    assert Image.open(io.BytesIO(photo.content)).size == SIZE
    caption = photo.caption.translate(UNISOLATED)
    assert "الاجتماعات" in caption and "نوفمبر 2" in caption


async def test_a_refused_picture_still_brings_the_figures_as_text(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    bot.fake.fail_next("sendPhoto", bad_request("not enough rights to send photos to the chat"))
    await ann.command("/report")
    assert group.photos() == []
    assert group.bot_texts()[-1].translate(UNISOLATED).startswith("🗓 Meetings in the last 12")


async def test_a_picture_that_times_out_still_brings_the_figures_as_text(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    bot.fake.fail_next("sendPhoto", NetworkFailure("timed out", timed_out=True))
    await ann.command("/report")
    assert group.photos() == []
    assert group.bot_texts()[-1].translate(UNISOLATED).startswith("🗓 Meetings in the last 12")


async def test_carried_on_or_changed_is_the_holders_choice_as_the_history_keeps_it(bot):
    group, fac, ann, ben = await two_sessions_and_a_follow_up(bot)
    [carried] = query(bot, "SELECT action_id FROM action_events WHERE change = 'carried_on'")
    await ben.command("/report text")
    assert "1 carried on, 0 changed" in group.bot_texts()[-1]
    # The same words again, chosen as a change, count as changed: the history says so.
    await bot.repo.db.write(
        lambda conn: conn.execute(
            "UPDATE action_events SET change = 'changed' WHERE action_id = ?",
            (carried["action_id"],),
        )
    )
    await ben.command("/report text")
    assert "0 carried on, 1 changed" in group.bot_texts()[-1]
