"""/digest through the real Application: MEAL staff get a picture, a CSV and a few lines in
private; others and groups are refused; a refused photo still brings the rest; the monthly
digest is a scheduled row that fires once, re-arms next month across a DST change and survives
a restart."""

import csv
import io
import logging
import os
import signal
from datetime import UTC, datetime

from PIL import Image

from bot.org_digest import CSV_COLUMNS, SMALL_SETS_ID
from bot.picture_style import SIZE
from fake_telegram.errors import NetworkFailure, bad_request
from tests.bot.test_log_and_settings import two_sessions_and_a_follow_up
from tests.e2e.helpers import query

UNISOLATED = dict.fromkeys(map(ord, "\u2068\u2069"))
WORDS_OF_THE_SETS = ("Set A", "Set B", "Fatou", "Ann", "Ben", "Zoe", "Night", "fridge")


async def organisation(bot):
    """Set A (three members, two meetings, an action closed partly and carried on), Set B (two
    members, no meeting) and Olu, a MEAL staff member in private."""
    await two_sessions_and_a_follow_up(bot)
    small = bot.tg.group("Set B", bot_status="administrator")
    for name in ("Zoe", "Yan"):
        await small.member(name).command("/join")
    olu = bot.tg.user("Olu")
    bot.settings.meal_staff = frozenset({olu.id})
    return bot.tg.private_chat(olu)


def parsed(document) -> list[dict]:
    return list(csv.DictReader(io.StringIO(document.content.decode("utf-8"))))


def export_id(bot, title: str) -> str:
    [row] = query(bot, "SELECT export_id FROM sets WHERE title = ?", title)
    return row["export_id"]


async def test_staff_get_a_picture_a_csv_and_lines_without_names_or_words(bot):
    olu = await organisation(bot)
    await olu.command("/digest")
    [photo] = olu.photos()
    assert Image.open(io.BytesIO(photo.content)).size == SIZE
    [document] = olu.documents()
    assert document.filename == "digest-2026-10-25-2026-11-23.csv"
    rows = parsed(document)
    assert tuple(rows[0]) == CSV_COLUMNS
    big, small = rows
    assert big["set_id"] == export_id(bot, "Set A") and big["sets"] == "1"
    assert (big["meetings_held"], big["actions_closed"], big["actions_completed"]) == (
        "2",
        "1",
        "1",
    )
    assert (big["completion_rate"], big["carry_over_rate"]) == ("1.000", "1.000")
    assert big["last_meeting"] == "2026-11-23" and big["sets_quiet"] == "0"
    assert (small["set_id"], small["sets"], small["meetings_held"]) == (SMALL_SETS_ID, "1", "0")
    everything = document.content.decode("utf-8") + " ".join(olu.bot_texts())
    assert not [word for word in WORDS_OF_THE_SETS if word in everything]
    lines = olu.bot_texts()[-1].translate(UNISOLATED).split("\n")
    assert lines[0] == "📊 25 Oct – 23 Nov 2026 · sets: 2 · goal met: 0/0 · gone quiet: 0"
    assert lines[1] == "✅ Actions closed: 1 · completed 100% · carried on 100%"
    assert lines[2] == "👥 Sets under three members are one row: 1"


async def test_others_are_refused_in_one_line_and_groups_are_told_to_go_private(bot):
    olu = await organisation(bot)
    sam = bot.tg.user("Sam")
    stranger = bot.tg.private_chat(sam)
    await stranger.command("/digest")
    [refused] = stranger.bot_texts()
    assert refused.startswith("🔒 /digest is for your organisation’s MEAL staff only.")
    assert f"your Telegram id, {sam.id}," in refused  # what MEAL_STAFF needs, if it is them
    group = bot.tg.group("Set C", bot_status="administrator")
    staff_in_group = group.member(olu)
    await staff_in_group.command("/digest")
    assert "works in a private chat with me" in group.bot_texts()[-1]
    assert not (stranger.photos() or stranger.documents() or group.photos() or group.documents())


async def test_a_refused_photo_still_brings_the_csv_and_the_lines(bot):
    olu = await organisation(bot)
    bot.fake.fail_next("sendPhoto", bad_request("not enough rights to send photos to the chat"))
    await olu.command("/digest")
    assert olu.photos() == [] and len(olu.documents()) == 1
    assert olu.bot_texts()[-1].startswith("📊 ")


async def test_wrong_arguments_get_the_usage_and_an_empty_organisation_one_line(bot):
    olu = bot.tg.user("Olu", language_code="fr")
    bot.settings.meal_staff = frozenset({olu.id})
    private = bot.tg.private_chat(olu)
    await private.command("/digest")
    assert private.bot_texts()[-1].startswith("Aucun groupe pour l’instant")
    for wrong in ("/digest weekly", "/digest monthly Mars/Olympus", "/digest off now"):
        await private.command(wrong)
        assert private.bot_texts()[-1].startswith("Envoyez /digest pour tous les groupes"), wrong
    await private.command("/digest off")
    assert private.bot_texts()[-1] == "Il n’y a pas de bilan mensuel à arrêter."


def digest_rows(bot, chat_id: int) -> list[tuple]:
    return bot.rows(
        "SELECT due_at, status FROM scheduled WHERE chat_id = ? AND kind = 'org_digest'"
        " ORDER BY id",
        chat_id,
    )


async def test_the_monthly_digest_fires_once_and_rearms_across_a_dst_change(bot):
    olu = await organisation(bot)
    await olu.command("/digest monthly europe/paris")
    assert "1st of each month at 09:00 (Europe/Paris)" in olu.bot_texts()[-1]
    assert digest_rows(bot, olu.id) == [("2026-12-01 08:00:00", "pending")]  # 09:00 CET
    bot.clock.now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert await bot.fire_due() == 1
    assert len(olu.photos()) == 1 and len(olu.documents()) == 1
    [november] = parsed(olu.documents()[0])[:1]
    assert (november["period_start"], november["period_end"]) == ("2026-11-01", "2026-11-30")
    assert olu.bot_texts()[-1].translate(UNISOLATED).startswith("📊 1 Nov – 30 Nov 2026 · sets: 2")
    [fired, _] = query(bot, "SELECT id FROM scheduled WHERE kind = 'org_digest' ORDER BY id")
    timers = bot.app.bot_data["services"].timers
    timers.arm(await bot.repo.get_scheduled(fired["id"]), bot.clock.now)  # a second job
    assert await bot.fire_due() == 1
    assert len(olu.photos()) == 1 and len(olu.documents()) == 1  # sent once
    for moment in ("2027-01-01 08:00", "2027-02-01 08:00", "2027-03-01 08:00"):
        bot.clock.now = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        assert await bot.fire_due() == 1
    # Summer time from 28 March: 09:00 in Paris is 07:00 UTC on 1 April.
    assert digest_rows(bot, olu.id)[-1] == ("2027-04-01 07:00:00", "pending")
    assert [status for _, status in digest_rows(bot, olu.id)] == ["sent"] * 4 + ["pending"]
    assert len(olu.documents()) == 4


async def test_the_monthly_digest_survives_a_restart_and_off_cancels_it(bot):
    olu = await organisation(bot)
    await olu.command("/digest monthly")
    assert "(UTC)" in olu.bot_texts()[-1]
    await bot.restart()
    [job] = bot.jobs()
    assert job.job.trigger.run_date == datetime(2026, 12, 1, 9, tzinfo=UTC)
    bot.clock.now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert await bot.fire_due() == 1
    assert len(olu.documents()) == 1 and olu.bot_texts()[-1].startswith("📊 ")
    await olu.command("/digest off")
    assert olu.bot_texts()[-1] == "The monthly digest is stopped."
    assert bot.jobs() == []
    assert digest_rows(bot, olu.id) == [
        ("2026-12-01 09:00:00", "sent"),
        ("2027-01-01 09:00:00", "cancelled"),
    ]


async def test_someone_no_longer_staff_gets_no_more_digests(bot):
    olu = await organisation(bot)
    await olu.command("/digest monthly")
    bot.settings.meal_staff = frozenset()
    bot.clock.now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    await bot.fire_due()
    assert olu.documents() == [] and len(olu.bot_texts()) == 1
    assert digest_rows(bot, olu.id) == [("2026-12-01 09:00:00", "cancelled")]
    assert query(bot, "SELECT * FROM org_digests") == []


async def test_a_dead_drawing_process_costs_one_picture_and_is_restarted(bot, caplog):
    olu = await organisation(bot)
    await olu.command("/digest")  # starts the drawing process
    drawing = bot.app.bot_data["services"].drawing
    pid = await drawing.worker_pid()
    os.kill(pid, signal.SIGKILL)
    with caplog.at_level(logging.WARNING):
        await olu.command("/digest")
    assert len(olu.photos()) == 1 and len(olu.documents()) == 2  # the CSV and lines still came
    assert olu.bot_texts()[-1].startswith("📊 ")
    assert "the drawing process died; starting a new one" in caplog.text
    await olu.command("/digest")
    assert len(olu.photos()) == 2 and await drawing.worker_pid() != pid


async def test_staff_are_answered_in_their_telegram_language(bot):
    await two_sessions_and_a_follow_up(bot)
    amal = bot.tg.user("Amal", language_code="ar")
    bot.settings.meal_staff = frozenset({amal.id})
    private = bot.tg.private_chat(amal)
    await private.command("/digest")
    lines = private.bot_texts()[-1].translate(UNISOLATED).split("\n")
    assert lines[0].startswith("📊 ") and "المجموعات 1" in lines[0] and len(lines) == 2
    assert "الإجراءات المغلقة: 1" in lines[1]
    await private.command("/digest monthly Asia/Amman")
    assert "Asia/Amman" in private.bot_texts()[-1] and "سيصل الملخّص" in private.bot_texts()[-1]
    assert query(bot, "SELECT timezone, language FROM org_digests") == [
        {"timezone": "Asia/Amman", "language": "ar"}
    ]


async def test_the_monthly_digests_files_come_after_a_crash_that_stopped_them(bot):
    olu = await organisation(bot)
    await olu.command("/digest monthly")
    bot.clock.now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    bot.fake.fail_next("sendDocument", NetworkFailure("connection reset"))
    assert await bot.fire_due() == 1
    assert olu.bot_texts()[-1].startswith("📊 ") and olu.documents() == []  # the CSV waits
    await bot.restart(crash=True)  # the row that sends the files is stored: they still come
    [document] = olu.documents()
    assert document.filename == "digest-2026-11-01-2026-11-30.csv"
    assert len(olu.photos()) >= 1
    assert query(bot, "SELECT status FROM outbox WHERE op = 'digest_files'") == [{"status": "sent"}]


async def test_only_staff_see_digest_in_their_menu_and_help(bot):
    olu = await organisation(bot)  # Olu is MEAL staff
    await bot.restart()  # the menus are published at start, for the staff of the settings
    everyone = dict(bot.fake.commands("all_private_chats"))
    staff = dict(bot.fake.commands("chat", chat_id=olu.id))
    assert "digest" not in everyone and "myactions" in everyone
    assert "digest" in staff and staff.keys() - everyone.keys() == {"digest"}
    assert "digest" in dict(bot.fake.commands("chat", language_code="ar", chat_id=olu.id))
    await olu.command("/help")
    assert "/digest" in olu.bot_texts()[-1]
    zoe = bot.tg.private_chat(bot.tg.user("Zoe"))
    await zoe.command("/help")
    assert "/digest" not in zoe.bot_texts()[-1]


async def test_staff_get_their_menu_when_they_open_the_private_chat(bot):
    olu = await organisation(bot)  # made staff after the start: no menu of their own yet
    assert bot.fake.commands("chat", chat_id=olu.id) == []
    await olu.command("/start")
    assert "digest" in dict(bot.fake.commands("chat", chat_id=olu.id))
    assert "digest" in dict(bot.fake.commands("chat", language_code="fr", chat_id=olu.id))
    bot.fake.fail_next("setMyCommands", NetworkFailure("connection reset"))
    await olu.command("/help")  # the menu cannot be set now: /help is answered all the same
    assert "/digest" in olu.bot_texts()[-1]
