"""Telegram's text formatting, strictly: HTML source -> visible text + entities, or an error."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
TAG_NAME_RE = re.compile(r"[^\s>]*")
ATTR_RE = re.compile(r"""\s+([a-zA-Z][\w-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
END_TAG_RE = re.compile(r"</([^\s>]*)\s*>")
TRIMMED = " \t\r\n\f\v"

UserLookup = Callable[[int], dict | None]


class EntityParseError(ValueError):
    """The text would make Telegram answer "can't parse entities"."""


@dataclass
class _OpenTag:
    name: str
    offset: int
    attrs: dict[str, str]
    language: str | None = None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


def _decode_entity(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return NAMED_ENTITIES[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _attr_value(raw: str | None) -> str:
    if raw is None:
        return ""
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    return ENTITY_RE.sub(_decode_entity, raw)


def _read_start_tag(source: str, start: int) -> tuple[str, dict[str, str], int]:
    """Parse `<name attr="v">` at start; returns name, attributes and the index after `>`."""
    at = _byte_offset(source, start)
    name_match = TAG_NAME_RE.match(source, start + 1)
    name = name_match.group().lower()
    index = name_match.end()
    if index >= len(source):
        raise EntityParseError(f"Unclosed start tag at byte offset {at}")
    if name not in TAG_ENTITY:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')
    attrs: dict[str, str] = {}
    while (attr := ATTR_RE.match(source, index)) is not None:
        attrs[attr.group(1).lower()] = _attr_value(attr.group(2))
        index = attr.end()
    while index < len(source) and source[index] in TRIMMED:
        index += 1
    if index >= len(source) or source[index] != ">":
        raise EntityParseError(f"Unclosed start tag at byte offset {at}")
    return name, attrs, index + 1


def _entity_for(tag: _OpenTag, length: int, users: UserLookup) -> dict | None:
    """The entity a closed tag produces, or None (empty, or merged into its parent)."""
    kind = TAG_ENTITY[tag.name]
    entity: dict = {"type": kind, "offset": tag.offset, "length": length}
    if kind == "text_link":
        url = tag.attrs.get("href", "")
        if not url:
            return None
        user_id = re.fullmatch(r"tg://user\?id=(\d+)", url)
        user = users(int(user_id.group(1))) if user_id else None
        if user is not None:
            entity = {"type": "text_mention", "offset": tag.offset, "length": length, "user": user}
        else:
            entity["url"] = url
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "pre" and tag.language:
        entity["language"] = tag.language
    return entity if length > 0 else None


def _check_attrs(name: str, attrs: dict[str, str], at: int) -> None:
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise EntityParseError(f"Custom emoji identifier must be non-empty at byte offset {at}")


def parse_html(source: str, users: UserLookup = lambda _id: None) -> tuple[str, list[dict]]:
    """Visible text and entities of an HTML-formatted message, as Telegram parses it."""
    out: list[str] = []
    position = 0  # in UTF-16 units
    stack: list[_OpenTag] = []
    entities: list[dict] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "&":
            # Real Telegram keeps an undecodable '&' as text; we reject it to catch missing escapes.
            match = ENTITY_RE.match(source, index)
            if match is None:
                at = _byte_offset(source, index)
                raise EntityParseError(f"Character '&' at byte offset {at} is not an HTML entity")
            piece, index = _decode_entity(match), match.end()
        elif char != "<":
            piece, index = char, index + 1
        elif source.startswith("</", index):
            index = _close_tag(source, index, stack, entities, position, users)
            continue
        else:
            name, attrs, after = _read_start_tag(source, index)
            _check_attrs(name, attrs, _byte_offset(source, index))
            if name == "code" and stack and stack[-1].name == "pre" and "class" in attrs:
                language = attrs["class"].removeprefix("language-")
                stack[-1].language = language
                attrs = {**attrs, "merged": "1"}
            stack.append(_OpenTag(name, position, attrs))
            index = after
            continue
        out.append(piece)
        position += utf16_len(piece)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _close_tag(
    source: str,
    index: int,
    stack: list[_OpenTag],
    entities: list[dict],
    position: int,
    users: UserLookup,
) -> int:
    """Handle `</name>` at index; returns the index after it."""
    at = _byte_offset(source, index)
    match = END_TAG_RE.match(source, index)
    if match is None:
        raise EntityParseError(f"Unclosed end tag at byte offset {at}")
    name = match.group(1).lower()
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {at}")
    if stack[-1].name != name:
        expected = stack[-1].name
        raise EntityParseError(
            f'Unmatched end tag at byte offset {at}, expected "</{expected}>", found "</{name}>"'
        )
    tag = stack.pop()
    if "merged" not in tag.attrs:
        entity = _entity_for(tag, position - tag.offset, users)
        if entity is not None:
            entities.append(entity)
    return match.end()


def trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace like Telegram, shifting and clipping entities."""
    stripped = text.strip(TRIMMED)
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip(TRIMMED))])
    size = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    text: str,
    parse_mode: str | None,
    entities: list[dict] | None = None,
    users: UserLookup = lambda _id: None,
) -> tuple[str, list[dict]]:
    """Visible text and entities for a text/caption sent with an optional parse mode."""
    if parse_mode and parse_mode.upper() == "HTML":
        visible, parsed = parse_html(text, users)
    else:
        # Markdown modes are passed through unchecked: the project formats with HTML.
        visible, parsed = text, list(entities or [])
    return trim(visible, parsed)
