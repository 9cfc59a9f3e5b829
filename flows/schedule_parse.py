"""Read the words of a /schedule argument (en, fr, ar) into a plain spec; no clock, no zones."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

import dateparser

from flows.schedule_words import LEADING, TRAILING, Lexicon, Unit, fold, lexicon, tokens

Failure = Literal["empty", "unparseable", "bad_interval"]

MAX_TEXT = 200
# Largest accepted amount per unit ("in N units", "every N units"): about a year.
MAX_AMOUNT: dict[str, int] = {
    "minute": 366 * 24 * 60,
    "hour": 366 * 24,
    "day": 366,
    "week": 52,
    "month": 12,
}


@dataclass(frozen=True)
class Day:
    """A day named in the text: days from today, a weekday (0 = Monday) or a calendar date."""

    offset: int | None = None
    weekday: int | None = None
    on: date | None = None


@dataclass(frozen=True)
class Once:
    """A single meeting: a day and/or a time of day (at least one is set)."""

    day: Day | None
    at: time | None


@dataclass(frozen=True)
class Relative:
    """A single meeting `amount` units from now, optionally at a time of day."""

    amount: int
    unit: Unit
    at: time | None


@dataclass(frozen=True)
class Every:
    """A recurring meeting; `day`/`at` name the first one when given."""

    interval: int
    unit: Unit
    day: Day | None
    at: time | None


@dataclass(frozen=True)
class Off:
    """Scheduling switched off."""


Spec = Once | Relative | Every | Off

_TIME = re.compile(
    r"(?:(?P<pre>at|a|vers|الساعة|الساعه|على|@)\s*)?(?P<h>\d{1,2})"
    r"(?:\s*(?P<sep>[:h])\s*(?P<m>\d{2})?)?"
    r"\s*(?:(?P<am>am|du matin|صباحا|ص)|(?P<pm>pm|du soir|de l'apres-midi|مساء|مساءا|م))?"
)
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_AMOUNT_UNIT = re.compile(r"(-?\d+)(\D.*)?")
_DURATION = re.compile(r"(\d*)([^\d]+)")


def read_schedule(text: str, *, today: date, languages: Sequence[str]) -> Spec | Failure:
    """Read a /schedule argument; `today` is the local date (for dateparser's fallback)."""
    if len(text) > MAX_TEXT:
        return "unparseable"
    raw = tokens(text)
    if not raw:
        return "empty"
    lex = lexicon(tuple(languages))
    words = [fold(t) for t in raw]
    if " ".join(words) in lex.off:
        return Off()
    for reader in (_read_every, _read_relative, _read_next):
        spec = reader(words, raw, lex, today, languages)
        if spec is not None:
            return spec
    when = _read_when(words, raw, lex, today, languages)
    if when is None or when == (None, None):
        return "unparseable"
    return Once(*when)


def _read_every(words, raw, lex, today, languages) -> Every | Failure | None:
    """`every [N] unit [when]`, `every [N] weekday [time]` or an alias such as `weekly`."""
    head = next((p for p in lex.every if tuple(words[: len(p)]) == p), None)
    alias = next((a for a in lex.aliases if tuple(words[: len(a)]) == a), None)
    if alias is not None:
        (interval, unit), start = lex.aliases[alias], len(alias)
    elif head is not None:
        rest = words[len(head) :]
        if rest and rest[0] in lex.weekdays:  # "every tuesday", "tous les mardis"
            interval, unit, start = 1, "week", len(head)
        elif len(rest) > 1 and rest[0] in lex.amounts and rest[1] in lex.weekdays:
            interval, unit, start = lex.amounts[rest[0]], "week", len(head) + 1
        else:
            read = _amount_unit(rest, lex) if rest else None
            if read is None:
                return "unparseable"
            interval, unit, used = read
            start = len(head) + used
    else:
        return None
    if unit in ("minute", "hour"):
        return "unparseable"
    if not 1 <= interval <= MAX_AMOUNT[unit]:
        return "bad_interval"
    when = _read_when(words[start:], raw[start:], lex, today, languages)
    if when is None:
        return "unparseable"
    day, at = when
    if day is not None and day.weekday is not None and unit != "week":
        # "كل يوم ثلاثاء" (every day Tuesday) means every Tuesday; a month has no weekday.
        if unit != "day" or interval != 1:
            return "unparseable"
        unit = "week"
    return Every(interval, unit, day, at)


def _read_relative(words, raw, lex, today, languages) -> Relative | Failure | None:
    """`in N unit [time]`, `dans N unités`, `بعد N وحدة` (Arabic duals imply N = 2)."""
    if len(words) < 2 or words[0] not in lex.into:
        return None
    read = _amount_unit(words[1:], lex)
    if read is None:
        return None  # maybe "بعد غد" (the day after tomorrow): let the absolute reader try
    amount, unit, used = read
    if not 1 <= amount <= MAX_AMOUNT[unit]:
        return "bad_interval"
    tail = words[1 + used :]
    at = _read_time(" ".join(tail), lex) if tail else None
    if tail and (at is None or unit in ("minute", "hour")):
        return "unparseable"
    return Relative(amount, unit, at)


def _amount_unit(words: list[str], lex: Lexicon) -> tuple[int, Unit, int] | None:
    """Read `N unit`, `Nunit`, `two weeks` or a bare unit; return (amount, unit, words used)."""
    match = _AMOUNT_UNIT.fullmatch(words[0])
    if match and match[2]:
        amount, name, used = int(match[1]), match[2], 1
    elif match and len(words) > 1:
        amount, name, used = int(match[1]), words[1], 2
    elif words[0] in lex.amounts and len(words) > 1:
        amount, name, used = lex.amounts[words[0]], words[1], 2
    else:
        amount, name, used = None, words[0], 1
    if name not in lex.units:
        return None
    unit, implied = lex.units[name]
    if implied is not None and amount is not None:
        return None
    if amount is None:
        amount = implied or 1
    return amount, unit, used


def _read_next(words, raw, lex, today, languages) -> Relative | None:
    """`next week`, `la semaine prochaine`, `الأسبوع القادم` with or without a time."""
    at, words, _ = _split_time(words, raw, lex)
    found = lex.next.get(" ".join(words))
    return None if found is None else Relative(*found, at)


def _read_when(words, raw, lex, today, languages) -> tuple[Day | None, time | None] | None:
    """Read `[day] [time]` or `[time] [day]` (None if unreadable)."""
    at, words, raw = _split_time(words, raw, lex)
    while words and words[0] in LEADING:
        words, raw = words[1:], raw[1:]
    while words and words[-1] in TRAILING:
        words, raw = words[:-1], raw[:-1]
    if not words:
        return None, at
    day = _read_day(" ".join(words), lex) or _dateparser_day(" ".join(raw), today, languages)
    return None if day is None else (day, at)


def _split_time(words, raw, lex) -> tuple[time | None, list[str], list[str]]:
    """Take a time of day off the end of the words, else off their start (longest first)."""
    for size in range(min(4, len(words)), 0, -1):
        at = _read_time(" ".join(words[-size:]), lex)
        if at is not None:
            return at, words[:-size], raw[:-size]
    for size in range(min(4, len(words)), 0, -1):
        at = _read_time(" ".join(words[:size]), lex)
        if at is not None:
            return at, words[size:], raw[size:]
    return None, words, raw


def _read_time(text: str, lex: Lexicon) -> time | None:
    """Read `10:00`, `10h30`, `à 10h`, `10am`, `at 10`, `الساعة 10:00`, `noon`, `matin`."""
    if text in lex.parts:
        return lex.parts[text]
    match = _TIME.fullmatch(text)
    if not match or not (match["pre"] or match["sep"] or match["am"] or match["pm"]):
        return None
    if match["sep"] == ":" and not match["m"]:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["am"] or match["pm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["pm"] else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _read_day(text: str, lex: Lexicon) -> Day | None:
    """Read a day from the word tables or an ISO date (None if neither)."""
    if text in lex.days:
        return Day(offset=lex.days[text])
    if text in lex.weekdays:
        return Day(weekday=lex.weekdays[text])
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return Day(on=date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        return None


def read_duration(text: str, languages: Sequence[str]) -> Off | list[tuple[int, Unit]] | Failure:
    """Read `off` or amounts with units: "24h", "30 min", "1h30m", "2 heures", "ساعتين"."""
    words = [fold(t) for t in tokens(text)]
    if not words:
        return "empty"
    lex = lexicon(tuple(languages))
    if " ".join(words) in lex.off:
        return Off()
    parts: list[tuple[int, Unit]] = []
    for amount, name in _DURATION.findall("".join(words)):
        unit, implied = lex.units.get(name, ("", None))
        if not unit or (implied and amount):
            return "unparseable"
        parts.append((int(amount) if amount else implied or 1, unit))
    return parts if _DURATION.sub("", "".join(words)) == "" and parts else "unparseable"


def _dateparser_day(text: str, today: date, languages: Sequence[str]) -> Day | None:
    """Read a calendar date ("1 décembre", "December 1", "01/12/2026") with dateparser."""
    settings = {
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        # Only absolute dates with a day and a month: relative parsing reads "10" as the 10th,
        # "a" as the 1st and "after tomorrow" as tomorrow; weekdays and relatives are ours.
        "PARSERS": ["absolute-time"],
        "REQUIRE_PARTS": ["day", "month"],
        # With PREFER_DATES_FROM=future dateparser sends today's own date ("23/11") to next
        # year even from midnight, so the base is yesterday.
        "RELATIVE_BASE": datetime.combine(today - timedelta(days=1), time()),
    }
    try:
        found = dateparser.parse(text, languages=list(languages), settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; it is only a fallback
        return None
    return None if found is None else Day(on=found.date())
