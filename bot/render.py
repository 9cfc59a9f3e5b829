"""Turn flows' Msg values into Telegram HTML in a set's language."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import template
from flows.exercises import Localized, LocalizedList
from flows.text import LocalTime, Mention, Msg

TELEGRAM_LIMIT = 4096
RTL_LANGUAGES = ("ar",)
DATE_PATTERN = "EEEE d MMMM, HH:mm"
DATE_PATTERNS = {"ar": "EEEE d MMMM، HH:mm"}  # the Arabic comma
ECHO_LIMIT = 1000  # user text quoted back in a message; the stored text stays whole
TAG = re.compile(r"<[^>]+>")


class Html(str):
    """Already-safe HTML (built by the renderer itself), passed through unescaped."""


def mention(person: Mention) -> str:
    """A person's name, linked to their profile when the id is known."""
    name = html.escape(person.name)
    return f'<a href="tg://user?id={person.user_id}">{name}</a>' if person.user_id else name


def local_time(value: LocalTime, language: str) -> str:
    """A moment in words in the set's zone, e.g. 'Tuesday 1 December, 10:00 Africa/Bamako'."""
    local = value.moment.astimezone(ZoneInfo(value.timezone))
    if not value.with_date:
        return format_datetime(local, "HH:mm", locale=language)
    words = format_datetime(local, DATE_PATTERNS.get(language, DATE_PATTERN), locale=language)
    return html.escape(f"{words} {value.timezone}")


def param(value: object, language: str) -> str:
    """One parameter as safe HTML."""
    if isinstance(value, Html):
        return value
    if isinstance(value, Msg):
        return render(value, language)
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
    text = str(value)
    return html.escape(text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…")


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
    """The message as plain text (a callback answer or a menu), at most `limit` characters."""
    text = html.unescape(TAG.sub("", render(message, language)))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def isolate(value: object, text: str, language: str) -> str:
    """In right-to-left text, keep a user's words (a Latin name, a number) from reordering
    the punctuation around them: wrap them in Unicode first-strong isolates."""
    if language in RTL_LANGUAGES and isinstance(value, str | Mention) and text:
        return f"\u2068{text}\u2069"
    return text


def split_for_telegram(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split HTML text into messages under Telegram's limit, at line breaks where possible."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.extend([current] if current else [])
            current = ""
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts


def _safe_cut(line: str, limit: int) -> int:
    """A cut point at or before limit that does not split an HTML entity or tag."""
    cut = limit
    for opener, closer in (("&", ";"), ("<", ">")):
        start = line.rfind(opener, 0, cut)
        if start != -1 and line.find(closer, start) >= cut:
            cut = start
    return cut or limit
