"""Telegram's text as Telegram counts it: visible text after parsing, in UTF-16 units; user
text shortened without splitting what a reader sees as one character; long HTML messages split
into parts that each parse on their own."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

TELEGRAM_LIMIT = 4096
TAG = re.compile(r"<[^>]+>")
TAG_NAME = re.compile(r"</?([a-zA-Z][\w-]*)")
# The only entities Telegram decodes; any other '&…;' stays as it is written.
ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
TOKEN = re.compile(
    r"<[^>]+>|&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});|\n|[^<&\n]+|[<&]"
)
ZWJ = "\u200d"


# --- Telegram's counting: visible text after parsing, in UTF-16 code units -------------------


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits (an emoji may count 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return NAMED_ENTITIES[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def plain_text(html_text: str) -> str:
    """Telegram HTML as the text it shows: tags removed, entities decoded."""
    return ENTITY.sub(_decode_entity, TAG.sub("", html_text))


def visible_length(html_text: str) -> int:
    """The length Telegram checks against its limits: the visible text in UTF-16 units."""
    return utf16_len(plain_text(html_text))


def shorten(text: str, limit: int) -> str:
    """Plain text of at most `limit` UTF-16 units, ending with "…" when cut."""
    if utf16_len(text) <= limit:
        return text
    end = _fitting(text, limit - 1)
    return text[: _cluster_boundary(text, end) or end] + "…"


def _fitting(text: str, units: int) -> int:
    """The end of the longest start of text within `units` UTF-16 units."""
    if len(text) == utf16_len(text):  # no character outside the BMP: one unit each
        end = min(units, len(text))
    else:
        end = 0
        for char in text:
            units -= 2 if char > "\uffff" else 1
            if units < 0:
                break
            end += 1
    return end


def _cluster_boundary(text: str, end: int) -> int:
    """`end`, moved back off an emoji sequence or accented letter it would cut (maybe to 0)."""
    while 0 < end < len(text) and _joined(text, end):
        end -= 1
    return end


def _joined(text: str, at: int) -> bool:
    """Whether the characters either side of `at` show as one."""
    before, after = text[at - 1], text[at]
    return (
        ZWJ in (before, after)
        or unicodedata.category(after).startswith("M")  # accents, variation selectors, keycaps
        or "\U0001f3fb" <= after <= "\U0001f3ff"  # skin tones
        or "\U000e0020" <= after <= "\U000e007f"  # tag characters of subdivision flags
        or _halves_a_flag(text, at)
    )


def _halves_a_flag(text: str, at: int) -> bool:
    """Whether `at` falls between the two regional indicators of a flag."""
    pairs_before = 0
    while pairs_before < at and _regional(text[at - pairs_before - 1]):
        pairs_before += 1
    return pairs_before % 2 == 1 and _regional(text[at])


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


# --- Splitting a long message -----------------------------------------------------------------


def split_for_telegram(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Telegram HTML as messages of at most `limit` visible units, each valid on its own:
    cut at line breaks where possible, else inside a line with its open tags closed and reopened.
    """
    if limit < 2:
        raise ValueError("a message must hold at least one character of two UTF-16 units")
    if visible_length(text) <= limit:
        return [text]
    parts = _Parts(limit)
    for token in TOKEN.findall(text):
        parts.add(token)
    return parts.finished()


def _openers(tags: Sequence[tuple[str, str]]) -> str:
    return "".join(start for _, start in tags)


def _closers(tags: Sequence[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(tags))


def _word_end(text: str, end: int) -> int:
    """A cut at `end`, moved back to just after a space when one is in the second half."""
    if end >= len(text) or text[end] == " ":
        return end
    after_space = text.rfind(" ", 0, end) + 1
    return after_space if 2 * after_space > end else end


class _Parts:
    """Messages filled in turn from HTML tokens; elements open at a cut close and reopen."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.pieces: list[str] = []
        self.used = 0  # visible UTF-16 units of the message being filled
        self.blank = True  # nothing but whitespace in it so far
        self.open_tags: list[tuple[str, str]] = []  # (name, start tag), outermost first
        self.line_break: tuple[int, int, tuple[tuple[str, str], ...]] | None = None

    def add(self, token: str) -> None:
        """Take the next token: a tag, an entity, a line break or a run of text."""
        if token == "\n":
            self.add_line_break()
        elif token.startswith("<") and len(token) > 1:
            self.add_tag(token)
        elif token.startswith("&") and len(token) > 1:
            self.add_entity(token)
        else:
            self.add_words(token)

    def add_tag(self, tag: str) -> None:
        self.pieces.append(tag)
        name = TAG_NAME.match(tag)
        if name is None:
            return
        if not tag.startswith("</"):
            self.open_tags.append((name.group(1), tag))
        elif self.open_tags and self.open_tags[-1][0] == name.group(1):
            self.open_tags.pop()

    def add_line_break(self) -> None:
        if self.used >= self.limit:
            self.cut_here()  # a full message ending at a line end: the break is the cut
            return
        if not self.blank:
            self.line_break = (len(self.pieces), self.used, tuple(self.open_tags))
        self._append("\n", "\n")

    def add_entity(self, entity: str) -> None:
        shown = plain_text(entity)
        while self.used + utf16_len(shown) > self.limit:
            self.make_room()
        self._append(entity, shown)

    def add_words(self, words: str) -> None:
        while utf16_len(words) > self.limit - self.used:
            if self.line_break is not None:
                self.cut_at_line_break()
                continue
            fits = _fitting(words, self.limit - self.used)
            # A cluster too long for the rest of this message starts the next one, unless it
            # is too long for any message.
            end = _word_end(words, _cluster_boundary(words, fits) or (0 if self.used else fits))
            if end:
                self._append(words[:end], words[:end])
                words = words[end:]
            self.cut_here()
        if words:
            self._append(words, words)

    def make_room(self) -> None:
        """Send off what is filled: up to the last line break if any, else all of it."""
        if self.line_break is not None:
            self.cut_at_line_break()
        else:
            self.cut_here()

    def cut_here(self) -> None:
        self._finish("".join(self.pieces), self.open_tags)
        self.pieces = [_openers(self.open_tags)]
        self.used, self.blank, self.line_break = 0, True, None

    def cut_at_line_break(self) -> None:
        assert self.line_break is not None
        index, used, tags = self.line_break
        self._finish("".join(self.pieces[:index]), tags)
        rest = self.pieces[index + 1 :]  # the line break itself is the cut
        self.pieces = [_openers(tags), *rest]
        self.used -= used + 1
        self.blank = not plain_text("".join(rest)).strip()
        self.line_break = None

    def finished(self) -> list[str]:
        """Every message, leaving out any that would show nothing (Telegram refuses those)."""
        self._finish("".join(self.pieces), self.open_tags)
        return [part for part in self.done if plain_text(part).strip()] or [""]

    def _append(self, source: str, shown: str) -> None:
        self.pieces.append(source)
        self.used += utf16_len(shown)
        self.blank = self.blank and not shown.strip()

    def _finish(self, body: str, tags: Sequence[tuple[str, str]]) -> None:
        self.done.append(body + _closers(tags))
