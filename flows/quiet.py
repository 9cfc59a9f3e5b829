"""A set's quiet time (/quiet 21:00-07:00, /daysoff fri): when the bot mentions and reminds no
one in a session across days, and when such a session's step ends instead.

Quiet time is a union of local spans: each day's quiet hours (from their start to their end,
the next day when they cross midnight) and each day off (midnight to midnight). Spans are
turned into moments in the set's zone, so every rule holds across DST changes. A wall time that
happens twice (the autumn fold) means its first occurrence; one the clock jumps over (the
spring gap) means the moment of the jump: quiet hours ending at 02:30 on the night Paris skips
from 02:00 to 03:00 end at 03:00, and a day off that starts in Amman's midnight gap starts at
its 01:00.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.schedule_words import fold, lexicon, tokens
from flows.text import Msg, msg

DAY = timedelta(days=1)
MIDNIGHT = time(0)
# A set keeps a working day a week and quiet hours shorter than a day, so a stretch of quiet
# time lasts under two weeks: looking this many days either side always finds its ends.
REACH_DAYS = 16
AHEAD_OF_QUIET = timedelta(minutes=30)  # a reminder moved out of quiet time comes this early
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as stored, Monday first
LANGUAGES = ("en", "fr", "ar")
AND_WORDS = {"and", "et", "&", "و", "+"}
# "Every day" said in words: refused as seven days named are (a set keeps a working day).
EVERY_DAY = {
    "every day",
    "everyday",
    "all",
    "all days",
    "daily",
    "tous les jours",
    "chaque jour",
    "كل يوم",
    "كل الايام",
    "يوميا",
}
RANGE_WORDS = r"-|–|—|to|until|till|a|à|au|jusqu'à|jusqu'a|الى|إلى|حتى"
FROM_WORDS = r"from|de|du|من"
CLOCK = r"(\d{1,2})(?:\s*(?:[:h.])\s*(\d{2})?)?"
HOURS = re.compile(rf"^(?:(?:{FROM_WORDS})\s+)?{CLOCK}\s*(?:{RANGE_WORDS})\s*{CLOCK}$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class QuietTime(BaseModel):
    """Quiet hours (a window that may cross midnight) and days off (weekdays, Monday 0)."""

    model_config = ConfigDict(frozen=True)

    hours: tuple[time, time] | None = None
    days_off: frozenset[int] = Field(default=frozenset())

    @model_validator(mode="after")
    def _keeps_waking_time(self) -> QuietTime:
        if self.hours is not None and self.hours[0] == self.hours[1]:
            raise ValueError("quiet hours start and end at different times")
        if not self.days_off <= set(range(7)) or len(self.days_off) > 6:
            raise ValueError("days off are weekdays 0-6, at most six of them")
        return self


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a /quiet or /daysoff argument was not taken."""

    reason: Literal["unreadable", "same", "every_day"]
    word: str = ""


# --- reading the commands ----------------------------------------------------------------------


def parse_hours(text: str) -> tuple[time, time] | Literal["off"] | Refused:
    """A /quiet argument: '21:00-07:00', '21h-7h', 'de 21h à 7h', 'من 21:00 إلى 07:00', or off."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(_DIGITS)).strip()
    folded = folded.lower()
    if fold(folded) in lexicon(LANGUAGES).off:
        return "off"
    found = HOURS.match(folded)
    if found is None:
        return Refused("unreadable", text.strip())
    start_hour, start_minute, end_hour, end_minute = found.groups()
    clock = [(int(start_hour), int(start_minute or 0)), (int(end_hour), int(end_minute or 0))]
    if any(hour > 24 or minute > 59 or (hour == 24 and minute) for hour, minute in clock):
        return Refused("unreadable", text.strip())
    start, end = (time(hour % 24, minute) for hour, minute in clock)
    if start == end:
        return Refused("same", text.strip())
    return start, end


def parse_days_off(text: str) -> frozenset[int] | Literal["off"] | Refused:
    """A /daysoff argument: weekday names in English, French or Arabic ('fri', 'sat sun',
    'samedi et dimanche', 'الجمعة والسبت'), or off."""
    words = lexicon(LANGUAGES)
    said = fold(" ".join(text.split()))
    if said in words.off:
        return "off"
    if said in EVERY_DAY:
        return Refused("every_day")
    days: set[int] = set()
    for token in tokens(text):
        name = fold(token)
        if name in AND_WORDS:
            continue
        if name not in words.weekdays and name.startswith("و"):  # "والسبت": "and Saturday"
            name = name[1:]
        if name not in words.weekdays:
            return Refused("unreadable", token)
        days.add(words.weekdays[name])
    if not days:
        return Refused("unreadable", text.strip())
    if len(days) == 7:
        return Refused("every_day")
    return frozenset(days)


# --- stored as two columns of the set -----------------------------------------------------------


def hours_text(hours: tuple[time, time] | None) -> str | None:
    """Quiet hours as stored and shown: '21:00-07:00'."""
    if hours is None:
        return None
    return f"{hours[0]:%H:%M}-{hours[1]:%H:%M}"


def days_text(days_off: frozenset[int]) -> str | None:
    """Days off as stored: 'fri' or 'sat,sun', Monday first."""
    return ",".join(DAY_NAMES[day] for day in sorted(days_off)) or None


def stored_quiet(hours: str | None, days_off: str | None) -> QuietTime | None:
    """A set's quiet time from its columns; None when it has neither."""
    if not hours and not days_off:
        return None
    window = None
    if hours:
        start, _, end = hours.partition("-")
        window = (time.fromisoformat(start), time.fromisoformat(end))
    days = frozenset(DAY_NAMES.index(day) for day in (days_off or "").split(",") if day)
    return QuietTime(hours=window, days_off=days)


def hours_words(quiet: QuietTime | None) -> Msg:
    """The quiet hours for /settings: '21:00–07:00', or none."""
    if quiet is None or quiet.hours is None:
        return msg("quiet.none")
    return msg("quiet.hours", start=f"{quiet.hours[0]:%H:%M}", end=f"{quiet.hours[1]:%H:%M}")


def days_words(days_off: frozenset[int]) -> Msg:
    """The days off in the set's language: 'Saturday, Sunday', or none."""
    if not days_off:
        return msg("daysoff.none")
    first, *rest = (DAY_NAMES[day] for day in sorted(days_off))
    names = msg(f"weekday.{first}")
    for day in rest:
        names = msg("weekday.list", first=names, next=msg(f"weekday.{day}"))
    return names


# --- when it is quiet ---------------------------------------------------------------------------


def is_quiet(moment: datetime, quiet: QuietTime | None, timezone: str) -> bool:
    """Whether a moment falls in the set's quiet time."""
    if quiet is None:
        return False
    zone = ZoneInfo(timezone)
    # A span starts on its own day and ends by the next: only yesterday's and today's can hold
    # the moment, so this costs four spans, not a month of them.
    today = moment.astimezone(zone).date()
    return any(start <= moment < end for start, end in _spans(today, -1, 1, quiet, zone))


def out_of_quiet(moment: datetime, quiet: QuietTime | None, timezone: str) -> datetime:
    """The moment itself outside quiet time; inside it, the end of the quiet time, following
    spans that touch (Thursday 22:00 with quiet hours 21:00-07:00 and Friday off: Saturday
    07:00)."""
    stretch = _stretch_at(moment, quiet, timezone)
    return moment if stretch is None else stretch[1]


def ahead_of_quiet(moment: datetime, quiet: QuietTime | None, timezone: str) -> datetime:
    """The moment itself outside quiet time; inside it, half an hour before that quiet time
    begins (or, when the waking time before it is shorter, as that waking time begins)."""
    stretch = _stretch_at(moment, quiet, timezone)
    if stretch is None:
        return moment
    earlier = stretch[0] - AHEAD_OF_QUIET
    before = _stretch_at(earlier, quiet, timezone)
    return earlier if before is None else before[1]


def _stretch_at(
    moment: datetime, quiet: QuietTime | None, timezone: str
) -> tuple[datetime, datetime] | None:
    """The whole stretch of quiet time (touching spans joined) containing the moment, if any."""
    if quiet is None or not is_quiet(moment, quiet, timezone):
        return None
    zone = ZoneInfo(timezone)
    today = moment.astimezone(zone).date()
    stretch: tuple[datetime, datetime] | None = None
    for start, end in sorted(_spans(today, -REACH_DAYS, REACH_DAYS + 1, quiet, zone)):
        if stretch is not None and start <= stretch[1]:
            stretch = (stretch[0], max(stretch[1], end))
        elif stretch is not None and stretch[0] <= moment < stretch[1]:
            break
        else:
            stretch = (start, end)
    return stretch if stretch is not None and stretch[0] <= moment < stretch[1] else None


def _spans(
    today: date, first: int, after: int, quiet: QuietTime, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """The quiet spans of the days today+first .. today+after-1, as UTC moments."""
    for offset in range(first, after):
        day = today + timedelta(days=offset)
        if day.weekday() in quiet.days_off:
            yield _moment(day, MIDNIGHT, zone), _moment(day + DAY, MIDNIGHT, zone)
        if quiet.hours is not None:
            start, end = quiet.hours
            span = _moment(day, start, zone), _moment(day + DAY if end < start else day, end, zone)
            if span[0] < span[1]:  # a window inside a spring gap does not happen that day
                yield span


def _moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A day's wall time in a zone as a UTC moment: its first occurrence in a fold; in a gap,
    the moment the clock jumps."""
    wall = datetime.combine(day, at)
    moment = wall.replace(tzinfo=zone).astimezone(UTC)
    if _wall(moment, zone) == wall:
        return moment
    # In a gap: the jump lies between the wall time read with the offsets after and before it.
    low, high = sorted((moment, wall.replace(tzinfo=zone, fold=1).astimezone(UTC)))
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) // 2
        middle = middle.replace(microsecond=0)
        if _wall(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return high


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """A moment's wall-clock time in a zone, naive."""
    return moment.astimezone(zone).replace(tzinfo=None)
