"""Whole sessions in French and in Arabic: translated prompts, exercises, nudges and menus."""

import pytest

from bot.render import render
from flows.exercises import builtin_exercises
from flows.guard import GuardReason
from flows.nudge import nudge
from flows.text import Mention, msg

CLASSIC = builtin_exercises()["classic"]
SESSIONS = {
    "fr": ("Avez-vous essayé de leur parler ?", "Qu'avez-vous déjà essayé ?", "Appeler la DRH"),
    "ar": ("هل جربت التحدث معهم؟", "ما الذي جربته حتى الآن؟", "الاتصال بالمشرف"),
}


@pytest.mark.parametrize("language", ["fr", "ar"])
async def test_a_whole_classic_session_in_another_language(bot, language):
    advice, fair, action = SESSIONS[language]
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    ann, ben, cat = group.member("Ann"), group.member("Ben"), group.member("Cat")
    await fac.command(f"/language {language}")
    assert group.bot_texts()[-1] == render(msg("settings.language_set"), language)
    await fac.command("/session")
    await ann.command("/topic Night shift")
    await fac.command("/next")
    step = group.bot_texts()[-1]
    assert CLASSIC.steps[1].title.get(language) in step
    assert CLASSIC.steps[1].title.en not in step
    await ben.say(advice)
    ben_mention = Mention(name="Ben", user_id=ben.user_id)
    nudged = render(nudge(GuardReason.ADVICE, advice, CLASSIC.steps[1], ben_mention), language)
    assert group.last_bot_message().source == nudged
    assert render(msg("rewrite.tried"), language).rstrip("?؟ ") in nudged  # from Ben's words
    await cat.say(fair)
    assert group.last_bot_message().source == nudged  # a fair question: no new message
    for _ in range(3):
        await fac.command("/next")
    await ann.command(f"/action {action}")
    await fac.command("/next")
    await fac.command("/next")
    summary = group.bot_texts()[-1]
    assert action in summary
    assert render(msg("summary.questions", count=2), language).strip() in summary
    assert render(msg("summary.nudges", count=1), language).strip() in summary


async def test_a_set_without_a_choice_follows_its_starter_then_the_default(bot):
    group = bot.tg.group("Groupe B", bot_status="administrator")
    fac = group.member("Fatou", admin=True, language_code="fr")
    await fac.command("/help")
    french_help = render(msg("help.group", commands="", start="", more=""), "fr").strip()
    assert group.bot_texts()[0].startswith(french_help.split("\n")[0][:40])
    other = bot.tg.group("Group C", bot_status="administrator")
    await other.member("Dan", admin=True, language_code="de").command("/help")
    assert "action learning" in other.bot_texts()[0]  # German is not supported: English


async def test_command_menus_are_published_in_every_language(bot):
    english = dict(bot.fake.commands("all_group_chats"))
    french = dict(bot.fake.commands("all_group_chats", language_code="fr"))
    arabic = dict(bot.fake.commands("all_group_chats", language_code="ar"))
    assert english.keys() == french.keys() == arabic.keys()
    assert english["log"] != french["log"] != arabic["log"]


async def test_the_groups_command_menus_follow_the_sets_language(bot):
    group = bot.tg.group("Set A", bot_status="administrator")
    fac = group.member("Fatou", admin=True)
    await fac.command("/language fr")
    members = dict(bot.fake.commands("chat", chat_id=group.id))
    admins = dict(bot.fake.commands("chat_administrators", chat_id=group.id))
    assert members["help"] == "Comment le bot anime votre groupe d’apprentissage"
    assert "next" in admins and "next" not in members
