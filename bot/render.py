"""Turn flows' Msg values into Telegram HTML in a set's language."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import template
from bot.telegram_text import plain_text, shorten
from flows.exercises import Localized, LocalizedList
from flows.text import InLanguage, LocalTime, Mention, Msg

RTL_LANGUAGES = ("ar",)
DATE_PATTERN = "EEEE d MMMM, HH:mm"
DATE_PATTERNS = {"ar": "EEEE d MMMM، HH:mm"}  # the Arabic comma
YEAR_PATTERN = "EEEE d MMMM y, HH:mm"
YEAR_PATTERNS = {"ar": "EEEE d MMMM y، HH:mm"}
ECHO_LIMIT = 1000  # visible units of user text quoted back; the stored text stays whole
# Direction embeddings, overrides and isolates open a scope: one left open in a name or in
# quoted text (a right-to-left override, say) reverses the rest of the bot's sentence.
SCOPED_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


class Html(str):
    """Already-safe HTML (built by the renderer itself), passed through unescaped."""


def neutral(text: str) -> str:
    """User text without the direction controls that could reorder the bot's own words."""
    return SCOPED_BIDI.sub("", text)


def mention(person: Mention) -> str:
    """A person's name, linked to their profile when the id is known."""
    name = html.escape(neutral(person.name))
    return f'<a href="tg://user?id={person.user_id}">{name}</a>' if person.user_id else name


def local_time(value: LocalTime, language: str) -> str:
    """A moment in words in the set's zone, e.g. 'Tuesday 1 December, 10:00 Africa/Bamako'."""
    local = value.moment.astimezone(ZoneInfo(value.timezone))
    if not value.with_date:
        return format_datetime(local, "HH:mm", locale=language)
    if value.with_year:
        pattern = YEAR_PATTERNS.get(language, YEAR_PATTERN)
    else:
        pattern = DATE_PATTERNS.get(language, DATE_PATTERN)
    words = format_datetime(local, pattern, locale=language)
    return html.escape(f"{words} {value.timezone}")


def param(value: object, language: str) -> str:
    """One parameter as safe HTML."""
    if isinstance(value, Html):
        return value
    if isinstance(value, Msg):
        return render(value, language)
    if isinstance(value, InLanguage):
        return param(value.text if value.language == language else value.otherwise, language)
    if isinstance(value, tuple | list):
        return "\n".join(param(item, language) for item in value)
    if isinstance(value, Localized):
        return html.escape(value.get(language))
    if isinstance(value, LocalizedList):
        return "\n".join(f"• {html.escape(item)}" for item in value.get(language))
    if isinstance(value, Mention):
        return mention(value)
    if isinstance(value, LocalTime):
        return local_time(value, language)
    if isinstance(value, datetime):
        raise TypeError("pass datetimes as LocalTime so they show in the set's zone")
    return html.escape(shorten(neutral(str(value)), ECHO_LIMIT))


def render(message: Msg, language: str) -> str:
    """The message as Telegram HTML; every parameter is escaped."""
    values = {
        name: isolate(value, param(value, language), language)
        for name, value in message.params.items()
    }
    if message.count is not None:
        values.setdefault("count", str(message.count))
    return template(language, message.key, message.count).format(**values)


def plain(message: Msg, language: str, limit: int = 200) -> str:
    """The message as plain text (a callback answer or a menu), at most `limit` UTF-16 units."""
    return shorten(plain_text(render(message, language)), limit)


def isolate(value: object, text: str, language: str) -> str:
    """Keep a user's words (a Latin name in Arabic, an Arabic name in English, a number) from
    reordering the punctuation around them: wrap them in Unicode first-strong isolates. The
    bot's own HTML (a list of commands) is not a user's words and is left as it is."""
    if isinstance(value, str | Mention) and not isinstance(value, Html) and text:
        return f"\u2068{text}\u2069"
    return text
