"""A chat transcript for a terminal: users' lines as the script speaks, the bot's from its calls.

The bot's side is read from the fake Bot API's call log (sendMessage, editMessageText, ...), so
what is printed is exactly what the group would see, in the order the bot did it.
"""

from __future__ import annotations

import textwrap
import unicodedata
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from fake_telegram import FakeTelegram, visible

WIDTH = 100
BOT = "🤖 Bot"
QUOTE_LENGTH = 28


def display_width(text: str) -> int:
    """Terminal columns of a text: wide characters (most emoji) take two, joiners none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200d\ufe0f\ufe0e":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(prefix: str, text: str, width: int = WIDTH) -> list[str]:
    """`prefix` then `text`, wrapped to `width` columns; later lines hang under the text."""
    indent = " " * display_width(prefix)
    lines: list[str] = []
    for number, paragraph in enumerate(text.splitlines() or [""]):
        lead = prefix if number == 0 else indent
        if not paragraph.strip():
            lines.append(lead.rstrip())
            continue
        # Bullets and numbered lines hang their continuation under their own text.
        marker = len(paragraph) - len(paragraph.lstrip("•-–0123456789. "))
        hang = indent + " " * min(marker, 4)
        extra = display_width(paragraph) - len(paragraph)
        room = max(20, width - display_width(lead) - extra)
        wrapped = textwrap.wrap(paragraph, room, break_on_hyphens=False) or [""]
        lines.append(lead + wrapped[0])
        if len(wrapped) > 1:
            rest = " ".join(wrapped[1:])
            room = max(20, width - len(hang) - extra)
            lines.extend(hang + part for part in textwrap.wrap(rest, room, break_on_hyphens=False))
    return lines


def quote(text: str | None) -> str:
    """The start of a message's first line, to show what a reply answers."""
    first = (text or "").splitlines()[0] if text else ""
    return first if len(first) <= QUOTE_LENGTH else first[: QUOTE_LENGTH - 1].rstrip() + "…"


def button_rows(markup: dict | None) -> list[str]:
    """Inline keyboard rows as `[ label ]  [ label ]`."""
    rows = (markup or {}).get("inline_keyboard", [])
    return ["  ".join(f"[ {button['text']} ]" for button in row) for row in rows if row]


class Transcript:
    """Collects users' and the bot's messages in order and prints them as a chat."""

    def __init__(self, fake: FakeTelegram, out: TextIO, timezone: str = "UTC") -> None:
        self.fake = fake
        self.out = out
        self.zone = ZoneInfo(timezone)
        self.presser: str | None = None  # who pressed the button being answered
        self._seen = 0
        self._day: str | None = None
        self._sent_at: dict[tuple[int, int], str] = {}
        self._texts: dict[tuple[int, int], str] = {}

    # --- printing ------------------------------------------------------------------------------

    def print(self, line: str = "") -> None:
        """One line of output."""
        print(line, file=self.out)

    def header(self, title: str, lines: list[str]) -> None:
        """A boxed title and a few lines about the scene."""
        rule = "═" * WIDTH
        self.print(rule)
        self.print(title)
        for line in lines:
            for wrapped in wrap("", line):
                self.print(wrapped)
        self.print(rule)

    def section(self, title: str) -> None:
        """A heading between parts of the story."""
        self.print()
        self.print(f"── {title} " + "─" * max(0, WIDTH - display_width(title) - 4))

    def narrate(self, text: str) -> None:
        """A stage direction: time passing, what someone does off-chat."""
        self.print(f"        ⋯ {text} ⋯")

    def _stamp(self, moment: datetime) -> str:
        """HH:MM in the set's zone; a date line first when the day changes."""
        local = moment.astimezone(self.zone)
        day = f"{local:%A} {local.day} {local:%B %Y}"
        if day != self._day:
            self._day = day
            self.print()
            self.print(f"  {day}".center(WIDTH).rstrip())
        return f"[{local:%H:%M}]"

    def _emit(self, prefix: str, text: str, markup: dict | None = None) -> None:
        lines = wrap(prefix, visible(text))
        indent = " " * display_width(prefix)
        lines += [indent + row for row in button_rows(markup)]
        for line in lines:
            self.print(line)

    # --- people --------------------------------------------------------------------------------

    def set_timezone(self, timezone: str) -> None:
        """Show times in the set's zone from now on."""
        self.zone = ZoneInfo(timezone)

    def user(
        self, name: str, text: str, when: datetime, reply_to: tuple[int, int] | None = None
    ) -> None:
        """A member's message; `reply_to` is the (chat, message) of the bot message it answers."""
        if reply_to is not None:  # Telegram shows the quoted message above the reply
            text = f'↩ "{quote(self._texts.get(reply_to))}"\n{text}'
        self._emit(f"{self._stamp(when)} {name}: ", text)

    def press(self, name: str, label: str, when: datetime) -> None:
        """A member presses an inline button."""
        self.presser = name
        self._emit(f"{self._stamp(when)} {name}: ", f"[presses {label}]")

    # --- the bot -------------------------------------------------------------------------------

    def flush(self) -> None:
        """Print what the bot did since the last flush, in the order it did it."""
        calls = self.fake.calls[self._seen :]
        self._seen = len(self.fake.calls)
        for call in calls:
            if not call.ok:
                self.print(f"        (!) {call.method} failed: {call.error}")
            elif call.method == "sendMessage":
                self._sent(call.result)
            elif call.method == "editMessageText":
                self._edited(call.result)
            elif call.method == "editMessageReplyMarkup":
                self._markup_changed(call.result)
            elif call.method == "setMessageReaction":
                self._reacted(call.params)
            elif call.method == "answerCallbackQuery" and call.params.get("text"):
                who = f" for {self.presser}" if self.presser else ""
                self.print(f'        (pop-up{who}: "{visible(call.params["text"])}")')
            elif call.method == "deleteMessage":
                key = (call.params["chat_id"], call.params["message_id"])
                if key in self._sent_at:
                    self.print(f"        (the bot deleted its message of {self._sent_at[key]})")

    def _key(self, message: dict) -> tuple[int, int]:
        return message["chat"]["id"], message["message_id"]

    def _when(self, message: dict, field: str = "date") -> datetime:
        return datetime.fromtimestamp(message.get(field) or message["date"], UTC)

    def _sent(self, message: dict) -> None:
        stamp = self._stamp(self._when(message))
        self._sent_at[self._key(message)] = stamp.strip("[]")
        self._texts[self._key(message)] = message.get("text") or ""
        self._emit(f"{stamp} {BOT}: ", message.get("text") or "", message.get("reply_markup"))

    def _edited(self, message: dict) -> None:
        stamp = self._stamp(self._when(message, "edit_date"))
        original = self._sent_at.get(self._key(message), "?")
        self._texts[self._key(message)] = message.get("text") or ""
        self.print(f"{stamp} {BOT} ✎ edits its {original} message, which now reads:")
        indent = " " * display_width(f"{stamp} {BOT}: ")
        self._emit(indent, message.get("text") or "", message.get("reply_markup"))

    def _reacted(self, params: dict) -> None:
        """A reaction, shown under the member's message it marks (printed just before it)."""
        message = self.fake.user_message(params["chat_id"], params["message_id"]) or {}
        emoji = " ".join(r.get("emoji", "?") for r in params.get("reaction", []))
        name = message.get("from", {}).get("first_name", "a member")
        stamp = self._stamp(self._when(message)) if message else "[--:--]"
        self.print(f"{stamp} {BOT} reacts {emoji} to {name}'s message")

    def _markup_changed(self, message: dict) -> None:
        stamp = self._stamp(self._when(message, "edit_date"))
        original = self._sent_at.get(self._key(message), "?")
        rows = button_rows(message.get("reply_markup"))
        what = "now shows " + "  ".join(rows) if rows else "buttons removed"
        self.print(f"{stamp} {BOT} (its message of {original}: {what})")
