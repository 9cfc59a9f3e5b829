"""The words /schedule and /reminder understand, per language, folded for matching."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from typing import Literal

Unit = Literal["minute", "hour", "day", "week", "month"]

# What a part of the day means, whatever the language: fixed, so a reply can say it.
PART_OF_DAY: dict[str, time] = {
    "morning": time(9),
    "noon": time(12),
    "afternoon": time(15),
    "evening": time(18),
}

# Word tables: "value: word|word; value: ..." per language, folded (see `fold`) when loaded.
_WORDS: dict[str, dict[str, str]] = {
    "off": {"en": "off: off|stop|none", "fr": "off: arrêt|stop|aucun", "ar": "off: إيقاف|توقف"},
    "every": {
        "en": "every: every|each",
        "fr": "every: chaque|tous les|toutes les",
        "ar": "every: كل",
    },
    "in": {"en": "in: in", "fr": "in: dans", "ar": "in: بعد"},
    "alias": {
        "en": "1 day: daily; 1 week: weekly; 2 week: fortnightly; 1 month: monthly",
        "fr": "1 day: quotidien; 1 week: hebdomadaire; 2 week: une semaine sur deux; "
        "1 month: mensuel",
        "ar": "1 day: يوميا; 1 week: أسبوعيا; 1 month: شهريا",
    },
    "amount": {
        "en": "1: a|an|one; 2: two|other; 3: three; 4: four",
        "fr": "1: un|une; 2: deux; 3: trois; 4: quatre",
    },
    "unit": {
        "en": "minute: m|min|mins|minute|minutes; hour: h|hr|hrs|hour|hours; day: d|day|days; "
        "week: w|wk|wks|week|weeks; month: month|months",
        "fr": "minute: min|minute|minutes; hour: h|heure|heures; day: j|jour|jours; "
        "week: semaine|semaines; month: mois",
        # Arabic duals carry their own amount: أسبوعين = two weeks.
        "ar": "minute: دقيقة|دقائق; hour: ساعة|ساعات; day: يوم|أيام; week: أسبوع|أسابيع; "
        "month: شهر|أشهر|شهور; minute 2: دقيقتين|دقيقتان; hour 2: ساعتين|ساعتان; "
        "day 2: يومين|يومان; week 2: أسبوعين|أسبوعان; month 2: شهرين|شهران",
    },
    "day": {
        "en": "0: today; 1: tomorrow; 2: day after tomorrow",
        "fr": "0: aujourd'hui; 1: demain; 2: après-demain|après demain",
        "ar": "0: اليوم; 1: غدا|الغد|غد|بكرة|بكره; 2: بعد غد",
    },
    "next": {  # one unit from today, like "in 1 week"
        "en": "1 week: next week; 1 month: next month",
        "fr": "1 week: la semaine prochaine|semaine prochaine; "
        "1 month: le mois prochain|mois prochain",
        "ar": "1 week: الأسبوع القادم|الأسبوع المقبل; 1 month: الشهر القادم|الشهر المقبل",
    },
    "part": {  # see PART_OF_DAY
        "en": "morning: morning|in the morning; noon: noon|midday|at noon|at midday; "
        "afternoon: afternoon|in the afternoon; evening: evening|in the evening",
        "fr": "morning: matin|le matin|dans la matinée; noon: midi|à midi; "
        "afternoon: après-midi|l'après-midi|dans l'après-midi; "
        "evening: soir|le soir|dans la soirée",
        "ar": "morning: صباحا|صباح|الصباح|في الصباح; noon: ظهرا|ظهر|الظهر|عند الظهر; "
        "afternoon: بعد الظهر|عصرا; evening: مساء|مساءا|المساء|في المساء",
    },
    "weekday": {  # 0 = Monday
        "en": "0: monday|mon|mondays; 1: tuesday|tue|tues|tuesdays; 2: wednesday|wed|wednesdays; "
        "3: thursday|thu|thur|thurs|thursdays; 4: friday|fri|fridays; "
        "5: saturday|sat|saturdays; 6: sunday|sun|sundays",
        "fr": "0: lundi|lun|lundis; 1: mardi|mar|mardis; 2: mercredi|mer|mercredis; "
        "3: jeudi|jeu|jeudis; 4: vendredi|ven|vendredis; 5: samedi|sam|samedis; "
        "6: dimanche|dim|dimanches",
        "ar": "0: الاثنين|اثنين; 1: الثلاثاء|ثلاثاء; 2: الأربعاء|أربعاء; 3: الخميس|خميس; "
        "4: الجمعة|جمعة; 5: السبت|سبت; 6: الأحد|أحد",
    },
}
LEADING = {"on", "next", "this", "le", "ce", "يوم", "في"}
TRAILING = {"prochain", "prochaine", "القادم", "القادمة"}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def fold(word: str) -> str:
    """Lower-case, drop accents, Arabic diacritics, hamza seats and tatweel."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c != "\u0640")


def tokens(text: str) -> list[str]:
    """Split into words, with Western digits and without list punctuation."""
    cleaned = re.sub(r"[,،;]", " ", text.translate(_DIGITS))
    return [t.rstrip(".") or t for t in cleaned.split()]


@dataclass(frozen=True)
class Lexicon:
    """The folded words of some languages, by what they mean."""

    off: frozenset[str]
    every: tuple[tuple[str, ...], ...]
    into: frozenset[str]
    aliases: dict[tuple[str, ...], tuple[int, Unit]]
    amounts: dict[str, int]
    units: dict[str, tuple[Unit, int | None]]
    days: dict[str, int]
    weekdays: dict[str, int]
    next: dict[str, tuple[int, Unit]]
    parts: dict[str, time]


def _entries(kind: str, languages: tuple[str, ...]) -> dict[str, str]:
    """Folded word or phrase -> value, from the `kind` table of the given languages."""
    found: dict[str, str] = {}
    for lang in languages:
        for entry in _WORDS[kind].get(lang, "").split(";"):
            value, _, names = entry.partition(":")
            found.update({fold(n.strip()): value.strip() for n in names.split("|") if n.strip()})
    return found


def _unit(value: str) -> tuple[Unit, int | None]:
    """Read a unit table value: "week" or "week 2" (a dual with its amount)."""
    name, _, amount = value.partition(" ")
    return name, int(amount) if amount else None


@lru_cache(maxsize=8)
def lexicon(languages: tuple[str, ...]) -> Lexicon:
    """Load the word tables of the requested languages."""
    every = {tuple(k.split()) for k in _entries("every", languages)}
    aliases = {tuple(k.split()): v.split() for k, v in _entries("alias", languages).items()}
    following = {k: v.split() for k, v in _entries("next", languages).items()}
    return Lexicon(
        off=frozenset(_entries("off", languages)),
        every=tuple(sorted(every, key=len, reverse=True)),
        into=frozenset(_entries("in", languages)),
        aliases={k: (int(amount), unit) for k, (amount, unit) in aliases.items()},
        amounts={k: int(v) for k, v in _entries("amount", languages).items()},
        units={k: _unit(v) for k, v in _entries("unit", languages).items()},
        days={k: int(v) for k, v in _entries("day", languages).items()},
        weekdays={k: int(v) for k, v in _entries("weekday", languages).items()},
        next={k: (int(amount), unit) for k, (amount, unit) in following.items()},
        parts={k: PART_OF_DAY[v] for k, v in _entries("part", languages).items()},
    )
