"""Rendering: escaping, right-to-left isolates, plain text, splitting at Telegram's limit."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render import ECHO_LIMIT, Html, plain, render
from bot.telegram_text import TELEGRAM_LIMIT, split_for_telegram, utf16_len, visible_length
from flows.text import Mention, msg


def test_user_text_is_escaped():
    text = render(msg("session.topic_set", topic="<b>x</b> & y"), "en")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in text


def test_mentions_link_to_the_person_and_escape_the_name():
    text = render(msg("session.holder_changed", holder=Mention(name="A<b>", user_id=7)), "en")
    assert '<a href="tg://user?id=7">A&lt;b&gt;</a>' in text


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_user_values_are_wrapped_in_isolates_in_every_language(language):
    text = render(msg("session.topic_set", topic="ليلة 24/7"), language)
    assert "\u2068ليلة 24/7\u2069" in text
    named = render(msg("session.holder_changed", holder=Mention(name="Ann", user_id=7)), language)
    assert "\u2068<a href=" in named and "Ann</a>\u2069" in named


def test_long_user_text_is_trimmed_in_echoes():
    text = render(msg("session.topic_set", topic="z" * 5000), "en")
    assert "z" * (ECHO_LIMIT - 1) + "…" in text and "z" * ECHO_LIMIT not in text


def test_plain_drops_tags_and_entities_and_fits_a_callback_answer():
    text = plain(msg("session.holder_already", holder=Mention(name="Ann & Bo", user_id=1)), "en")
    assert text == "\u2068Ann & Bo\u2069 is already today's topic holder."
    answer = plain(msg("session.topic_set", topic="w" * 900), "en")
    assert utf16_len(answer) == 200 and answer.endswith("w…")  # 📌 counts two


@given(st.lists(st.text(alphabet="ab &<>\n", max_size=300), max_size=60))
def test_split_keeps_every_part_under_the_limit_and_cuts_no_entity(lines):
    text = "\n".join(html.escape(line) for line in lines)
    parts = split_for_telegram(text, limit=500)
    assert all(visible_length(part) <= 500 for part in parts)
    for part in parts:  # no entity is cut in two
        assert not re.search(r"&[a-z#0-9]*$", part) and not re.match(r"[a-z#0-9]*;", part)


def test_default_limit_is_telegrams():
    assert TELEGRAM_LIMIT == 4096
    assert len(split_for_telegram("a\n" * 3000)) == 2


def test_direction_controls_in_names_and_text_cannot_reorder_the_message():
    from bot.render import render
    from flows.text import Mention, msg

    sly = Mention(name="Ann\u202eevil", user_id=7)
    for language in ("en", "fr", "ar"):
        text = render(msg("nudge.advice", person=sly, example="What?"), language)
        assert "\u202e" not in text and "Annevil" in text
    quoted = render(msg("summary.action", action="Call \u2067HR\u2069 now \u202b!"), "en")
    assert not any(c in quoted for c in "\u202b\u2067")


def test_the_bots_own_html_is_not_wrapped_in_an_isolate():
    listed = render(msg("help.private", commands=Html("/start — a\n/help — b")), "ar")
    assert "\u2068/start" not in listed and "/start — a" in listed


def test_a_nudge_quotes_the_members_words_only_in_their_own_language():
    from flows.exercises import builtin_exercises
    from flows.guard import GuardReason
    from flows.nudge import nudge
    from flows.text import Mention

    step = builtin_exercises()["classic"].steps[1]
    ben = Mention(name="Ben", user_id=3)
    english = nudge(GuardReason.ADVICE, "Couldn't you ask the <b>nurses</b>?", step, ben)
    example = "“What role could \u2068the &lt;b&gt;nurses&lt;/b&gt;\u2069 play?”"  # isolated
    assert example in render(english, "en")
    assert "« Qui d’autre est concerné ? »" in render(english, "fr")  # the step's stem instead
    arabic = nudge(GuardReason.ADVICE, "ليش ما تحكي مع رئيس البلدية؟", step, ben)
    isolated = "\u2068رئيس البلدية\u2069"  # the member's words keep their place in Arabic
    assert f"برأيك، ما دور {isolated} في هذا؟" in render(arabic, "ar")
    assert "Who else is involved?" in render(arabic, "en")
