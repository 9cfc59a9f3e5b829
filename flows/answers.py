"""The holder's answers: which question a reply names, by its message or by its digest number."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "2 …", "2. …", "2) …", "#2 …", "Q2: …", "س٢ …": a question's number, then the answer's words.
# A number glued to more digits or to a decimal point ("2026 …", "3.5 days") is not one.
NUMBERED = re.compile(
    r"\s*(?:#|q|س)?\s*(\d{1,3})(?:\s*[.):\-–—]+(?![\d.])\s*|\s+)(\S.*)", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Asked:
    """A question as a reply can name it: its contribution, its step and its number there."""

    id: int
    step_index: int
    number: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RepliedTo:
    """What the holder's reply points at: a member's question, or the questions of a digest."""

    question: Asked | None = None
    digest: tuple[Asked, ...] = ()


def numbered(text: str) -> tuple[int, str] | None:
    """The question number a reply opens with and the words after it, if it opens with one."""
    found = NUMBERED.fullmatch(text)
    if found is None:
        return None
    return int(found.group(1)), found.group(2).strip()


def numbers_in_words(asked: tuple[Asked, ...]) -> str:
    """A digest's question numbers (always 1 to n) as a reply names them: "1" or "1–4"."""
    count = len(asked)
    return "1" if count == 1 else f"1–{count}"
