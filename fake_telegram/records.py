"""What the fake records: the bot's calls, and the messages and files it sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fake_telegram.errors import ApiError, NetworkFailure


@dataclass
class Call:
    """One request the bot made, with decoded parameters and what the fake answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    result: Any = None
    error: ApiError | NetworkFailure | None = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None


ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def visible(text: str) -> str:
    """A text as a reader sees it: without the invisible direction isolates (U+2066–9) that
    keep user words from reordering the bot's sentence."""
    return text.translate(ISOLATES)


@dataclass
class SentMessage:
    """A message the bot sent, as it currently stands in the chat."""

    message_id: int
    chat_id: int
    raw_text: str | None  # the text as Telegram keeps it (entities parsed, trimmed); a caption
    reply_markup: dict | None = None
    thread_id: int | None = None
    deleted: bool = False
    edits: int = 0
    source: str | None = None  # the text as sent (e.g. the HTML), before entity parsing
    parse_mode: str | None = None
    entities: list[dict] = field(default_factory=list)
    date: int = 0
    edit_date: int | None = None
    reply_to: int | None = None
    document: Document | None = None
    photo: Document | None = None  # a sent photo, kept as the file uploaded

    @property
    def text(self) -> str | None:
        """The text as a reader sees it (see visible); raw_text has the isolates."""
        return visible(self.raw_text) if self.raw_text is not None else None

    def buttons(self) -> list[dict]:
        """The inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label_or_data: str) -> dict:
        """The button whose text or callback_data matches; LookupError lists the others."""
        for button in self.buttons():
            if label_or_data in (button.get("text"), button.get("callback_data")):
                return button
        labels = [(b.get("text"), b.get("callback_data")) for b in self.buttons()]
        raise LookupError(f"no button {label_or_data!r} on message {self.message_id}: {labels}")


@dataclass
class Document:
    """A file the bot sent."""

    filename: str
    content: bytes
    mime_type: str
    caption: str | None
    message_id: int
    file_id: str
