"""Telegram's limits as Telegram counts them: visible text after parsing, in UTF-16 units."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render import ECHO_LIMIT, render
from bot.telegram_text import (
    TELEGRAM_LIMIT,
    plain_text,
    shorten,
    split_for_telegram,
    visible_length,
)
from fake_telegram.telegram_html import parse_html, utf16_len
from flows.text import msg

LANGUAGES = ("en", "fr", "ar")
ACTION_KEYS = ("session.action_recorded_no_meeting", "summary.action")
ESCAPE_HEAVY = ('"' * 1000, "&" * 3000, "<>" * 2000)
START_TAGS = {
    "b": "<b>",
    "i": "<i>",
    "a": '<a href="https://example.org/?a=1&amp;b=2">',
    "blockquote": "<blockquote>",
    "code": "<code>",
    "spoiler": '<span class="tg-spoiler">',
}
END_TAGS = {"spoiler": "</span>"}


def shown(part: str) -> str:
    """The text Telegram would show for a part; raises as Telegram would refuse it."""
    text, _ = parse_html(part)
    return text


def assert_each_part_is_a_valid_message(parts: list[str], limit: int = TELEGRAM_LIMIT) -> None:
    for part in parts:
        text = shown(part)  # balanced tags, known entities: no "can't parse entities"
        assert utf16_len(text) <= limit
        assert visible_length(part) == utf16_len(text)
        assert text.strip(), "Telegram refuses an empty message"


def without_newlines(text: str) -> str:
    return text.replace("\n", "")


# --- counting ---------------------------------------------------------------------------------


def test_visible_length_ignores_tags_and_counts_each_entity_once():
    assert visible_length('<b>&quot;a&amp;</b> <a href="https://x.org/?q=1&amp;r=2">é</a>') == 5
    assert visible_length("&lt;b&gt;&#x27;&#39;") == 5
    assert visible_length(html.escape('"' * 1000)) == 1000


def test_visible_length_counts_utf16_units_like_telegram():
    assert visible_length("😀") == 2
    assert visible_length("<i>a😀é</i>") == 4
    assert visible_length("&#128512;") == 2


def test_plain_text_is_what_the_reader_sees():
    source = '<b>A &lt;b&gt; &amp; &quot;q&quot;</b> <a href="tg://user?id=1">Ann</a> &amp;lt;'
    assert plain_text(source) == 'A <b> & "q" Ann &lt;'
    assert plain_text(source) == shown(source)


# --- echoes of user text ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ESCAPE_HEAVY, ids=["quotes", "ampersands", "brackets"])
@pytest.mark.parametrize("key", ACTION_KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_escape_heavy_actions_make_valid_messages(action, key, language):
    text = render(msg(key, action=action), language)
    echoed = shown(text).strip("\u2068\u2069")
    assert action[: ECHO_LIMIT - 1] in echoed
    assert utf16_len(re.search(r"[\"&<>]+…?", echoed).group()) <= ECHO_LIMIT
    parts = split_for_telegram(text)
    assert parts == [text]
    assert_each_part_is_a_valid_message(parts)


def test_echo_limit_counts_visible_units_not_escaped_characters():
    text = render(msg("summary.action", action="&" * 3000), "en")
    assert shown(text).count("&") == ECHO_LIMIT - 1
    assert shown(text).endswith("&…\u2069")


def test_echo_limit_counts_emoji_as_two_and_never_halves_one():
    echoed = shown(render(msg("summary.action", action="a" + "😀" * 600), "en"))
    assert "a" + "😀" * 499 + "…" in echoed
    assert "😀" * 500 not in echoed


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("abcdef", 4, "abc…"),
        ("ab😀cd", 4, "ab…"),
        ("abc😀d", 5, "abc…"),
        ("ab👍🏽cd", 6, "ab…"),  # a skin tone stays with its hand
        ("a🇫🇷🇩🇪b", 6, "a🇫🇷…"),  # a flag is two regional indicators
        ("ab👨‍👩‍👧", 8, "ab…"),  # a family is one emoji joined by ZWJs
        ("cafe\u0301s", 5, "caf…"),  # an accent stays with its letter
    ],
)
def test_shorten_cuts_between_characters_a_reader_sees(text, limit, expected):
    assert shorten(text, limit) == expected
    assert utf16_len(shorten(text, limit)) <= limit


# --- splitting --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ['"' * 5000, "&" * 12000, "<" * 9000])
def test_a_bold_text_longer_than_a_message_is_cut_into_bold_parts(action):
    text = f"✅ Action recorded: <b>{html.escape(action)}</b>."
    parts = split_for_telegram(text)
    assert len(parts) > 1
    assert_each_part_is_a_valid_message(parts)
    assert all(part.count("<b>") == part.count("</b>") == 1 for part in parts)
    assert "".join(shown(part) for part in parts) == shown(text)


def test_many_escape_heavy_lines_split_between_lines_only():
    lines = [render(msg("summary.action", action='"' * 1000), "en") for _ in range(10)]
    parts = split_for_telegram("\n".join(lines))
    assert len(parts) == 3
    assert_each_part_is_a_valid_message(parts)
    assert [line for part in parts for line in part.split("\n")] == lines


def test_a_line_is_never_cut_when_it_fits_a_message_of_its_own():
    lines = ["<b>Open actions</b>", *(f"• <i>{'w' * 30}</i> {n}" for n in range(10))]
    parts = split_for_telegram("\n".join(lines), limit=100)
    assert_each_part_is_a_valid_message(parts, limit=100)
    assert [line for part in parts for line in part.split("\n")] == lines


def test_open_elements_close_at_a_cut_and_reopen_after_it():
    link = '<a href="https://example.org/?a=1&amp;b=2">'
    parts = split_for_telegram(f"<b>{link}{'x' * 10}</a> y</b>", limit=4)
    assert parts == [
        f"<b>{link}xxxx</a></b>",
        f"<b>{link}xxxx</a></b>",
        f"<b>{link}xx</a> y</b>",
    ]


def test_a_quote_of_many_lines_becomes_one_quote_per_part():
    quote = "<blockquote>" + "\n".join(["line &amp; more"] * 6) + "</blockquote>"
    parts = split_for_telegram("Said:\n" + quote, limit=40)
    assert_each_part_is_a_valid_message(parts, limit=40)
    assert all(part.count("<blockquote>") == 1 for part in parts)
    assert without_newlines("".join(map(shown, parts))) == "Said:" + "line & more" * 6


def test_a_long_line_is_cut_after_a_word_when_one_is_near():
    parts = split_for_telegram("word " * 30, limit=22)
    assert all(part.endswith("word ") for part in parts)


@pytest.mark.parametrize(
    ("emoji", "limit"),
    [("😀", 4095), ("😀", 3), ("👍🏽", 5), ("🇫🇷", 7), ("👨‍👩‍👧", 9)],
)
def test_emoji_are_never_split(emoji, limit):
    text = "<b>" + emoji * (3 * TELEGRAM_LIMIT // utf16_len(emoji)) + "</b>"
    parts = split_for_telegram(text, limit=limit)
    assert_each_part_is_a_valid_message(parts, limit=limit)
    assert all(re.fullmatch(f"(?:{re.escape(emoji)})+", shown(part)) for part in parts)


def test_an_emoji_that_does_not_fit_the_rest_of_a_message_starts_the_next():
    assert split_for_telegram("<b>abcdefg</b>👨‍👩‍👧", limit=9) == ["<b>abcdefg</b>", "👨‍👩‍👧"]
    assert split_for_telegram("<i>abcdefg👍🏽</i>", limit=8) == ["<i>abcdefg</i>", "<i>👍🏽</i>"]


def test_an_emoji_longer_than_a_whole_message_is_cut_as_a_last_resort():
    parts = split_for_telegram("👨‍👩‍👧", limit=4)
    assert "".join(parts) == "👨‍👩‍👧"
    assert all(visible_length(part) <= 4 for part in parts)


def test_parts_that_would_show_nothing_are_left_out():
    parts = split_for_telegram("\n" * 5000 + "<b>a</b>" + " " * 5000)
    assert_each_part_is_a_valid_message(parts)
    assert "".join(map(shown, parts)).strip() == "a"


def test_a_limit_too_small_for_any_character_is_refused():
    with pytest.raises(ValueError):
        split_for_telegram("abc", limit=1)


# --- the property -----------------------------------------------------------------------------

LETTERS = "ab&<>\"'é😀\u2068\n"


def wrapped(alphabet: str) -> st.SearchStrategy[str]:
    """HTML like the renderer's: escaped text in (possibly nested, multi-line) elements."""
    text = st.text(alphabet=alphabet, max_size=40).map(html.escape)
    tag = st.sampled_from(sorted(START_TAGS))

    def element(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(tag, st.lists(inner, max_size=4)).map(
            lambda pair: (
                START_TAGS[pair[0]] + "".join(pair[1]) + END_TAGS.get(pair[0], f"</{pair[0]}>")
            )
        )

    pieces = st.recursive(text, element, max_leaves=12)
    return st.lists(pieces, max_size=8).map("\n".join)


@given(wrapped(LETTERS), st.integers(min_value=2, max_value=60))
def test_parts_are_valid_within_the_limit_and_keep_the_text(text, limit):
    parts = split_for_telegram(text, limit=limit)
    if shown(text).strip():
        assert_each_part_is_a_valid_message(parts, limit=limit)
    assert without_newlines("".join(map(shown, parts))) == without_newlines(shown(text))


@given(wrapped(LETTERS + "  \t"), st.integers(min_value=2, max_value=60))
def test_with_spaces_only_blank_parts_are_dropped(text, limit):
    parts = split_for_telegram(text, limit=limit)
    if shown(text).strip():
        assert_each_part_is_a_valid_message(parts, limit=limit)
    assert re.sub(r"\s", "", "".join(map(shown, parts))) == re.sub(r"\s", "", shown(text))


# --- through the bot --------------------------------------------------------------------------


@pytest.mark.parametrize("action", ESCAPE_HEAVY, ids=["quotes", "ampersands", "brackets"])
async def test_an_escape_heavy_action_reaches_the_summary_and_the_follow_up(bot, action):
    from tests.bot.test_follow_up import committed_session
    from tests.e2e.helpers import assert_every_call_ok, pass_time, query

    group = bot.tg.group("Set A", bot_status="administrator")
    fac, _, _ = await committed_session(bot, group, action=f"/action {action}")
    await fac.command("/schedule in 1 hour")
    await pass_time(bot, hours=1)
    assert_every_call_ok(bot, refused=("setMessageReaction",))
    assert query(bot, "SELECT count(*) AS n FROM outbox WHERE status != 'sent'") == [{"n": 0}]
    texts = group.bot_texts()
    summary = next(text for text in texts if text.startswith("Session summary"))
    question = next(text for text in texts if "What happened?" in text)
    for text in (summary, question):
        assert action[: ECHO_LIMIT - 1] in text
    assert query(bot, "SELECT text FROM actions")[0]["text"] == action  # stored whole
