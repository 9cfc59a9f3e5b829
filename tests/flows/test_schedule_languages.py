"""How /schedule reads the forms people write, per language: parts of the day, "next week",
a time before or after the day, and the set's usual time when none is said."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from flows.schedule import Scheduled, ScheduleError, parse_schedule
from flows.schedule_words import PART_OF_DAY, fold, lexicon

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
USUAL = time(10, 30)  # the set's usual meeting time in these tables
# One zone per language, so each table reads in its set's local time.
ZONES = {"en": "Africa/Bamako", "fr": "Europe/Paris", "ar": "Asia/Amman"}  # now 09:00, 10:00, 12:00
# What /schedule suggests adding when a time is missing (schedule.error.needs_time).
TIME_SUFFIX = {"en": "10:00", "fr": "10h", "ar": "الساعة 10:00"}

# text, the first meeting in the set's local time, whether the usual time was taken
FORMS = {
    "en": [
        ("next week", "2026-11-30 10:30", True),  # in one week: same weekday, usual time
        ("next week at 2pm", "2026-11-30 14:00", False),
        ("10am next week", "2026-11-30 10:00", False),
        ("next month", "2026-12-23 10:30", True),
        ("tomorrow", "2026-11-24 10:30", True),
        ("10am tomorrow", "2026-11-24 10:00", False),
        ("at 10 tomorrow", "2026-11-24 10:00", False),
        ("tomorrow at noon", "2026-11-24 12:00", False),
        ("noon tomorrow", "2026-11-24 12:00", False),
        ("tomorrow midday", "2026-11-24 12:00", False),
        ("tomorrow morning", "2026-11-24 09:00", False),
        ("tomorrow in the morning", "2026-11-24 09:00", False),
        ("tomorrow afternoon", "2026-11-24 15:00", False),
        ("tomorrow evening", "2026-11-24 18:00", False),
        ("monday evening", "2026-11-23 18:00", False),  # today, still ahead
        ("tuesday", "2026-11-24 10:30", True),
        ("2026-12-01", "2026-12-01 10:30", True),
        ("in 2 weeks", "2026-12-07 10:30", True),
        ("in 2 weeks in the morning", "2026-12-07 09:00", False),
        ("in 90 minutes", "2026-11-23 10:30", False),  # minutes and hours need no time
        ("every monday", "2026-11-23 10:30", True),  # today's is still ahead
        ("every monday morning", "2026-11-30 09:00", False),  # today's has passed
        ("every 2 weeks", "2026-12-07 10:30", True),
        ("monthly", "2026-12-23 10:30", True),
        ("every day at noon", "2026-11-23 12:00", False),
    ],
    "fr": [
        ("la semaine prochaine", "2026-11-30 10:30", True),
        ("semaine prochaine à 14h", "2026-11-30 14:00", False),
        ("la semaine prochaine à 10h", "2026-11-30 10:00", False),
        ("le mois prochain", "2026-12-23 10:30", True),
        ("demain", "2026-11-24 10:30", True),
        ("demain matin", "2026-11-24 09:00", False),
        ("demain le matin", "2026-11-24 09:00", False),
        ("demain midi", "2026-11-24 12:00", False),
        ("demain à midi", "2026-11-24 12:00", False),
        ("demain après-midi", "2026-11-24 15:00", False),
        ("demain soir", "2026-11-24 18:00", False),
        ("demain 10h du matin", "2026-11-24 10:00", False),
        ("demain 8h du soir", "2026-11-24 20:00", False),
        ("demain 3h de l’après-midi", "2026-11-24 15:00", False),
        ("10h demain", "2026-11-24 10:00", False),
        ("mardi 10h", "2026-11-24 10:00", False),  # dateparser alone: 10 November
        ("mardi", "2026-11-24 10:30", True),
        ("mardi soir", "2026-11-24 18:00", False),
        ("1 décembre", "2026-12-01 10:30", True),
        ("1 décembre matin", "2026-12-01 09:00", False),
        ("dans 2 semaines", "2026-12-07 10:30", True),
        ("dans 3 jours à midi", "2026-11-26 12:00", False),
        ("tous les lundis", "2026-11-23 10:30", True),
        ("chaque lundi soir", "2026-11-23 18:00", False),
        ("mensuel", "2026-12-23 10:30", True),
        ("toutes les 2 semaines", "2026-12-07 10:30", True),
    ],
    "ar": [
        ("الأسبوع القادم", "2026-11-30 10:30", True),
        ("الاسبوع المقبل", "2026-11-30 10:30", True),
        ("الأسبوع القادم الساعة 4 مساء", "2026-11-30 16:00", False),
        ("الشهر القادم", "2026-12-23 10:30", True),
        ("غدا", "2026-11-24 10:30", True),
        ("غدا صباحا", "2026-11-24 09:00", False),
        ("غدًا صباحًا", "2026-11-24 09:00", False),
        ("صباح الغد", "2026-11-24 09:00", False),
        ("غدا الساعة 10 صباحا", "2026-11-24 10:00", False),
        ("غدا الساعة ١٠ صباحا", "2026-11-24 10:00", False),
        ("غداً الساعة ١٠:٣٠", "2026-11-24 10:30", False),
        ("الساعة 10 غدا", "2026-11-24 10:00", False),
        ("غدا ظهرا", "2026-11-24 12:00", False),
        ("غدا الظهر", "2026-11-24 12:00", False),
        ("غدا بعد الظهر", "2026-11-24 15:00", False),
        ("غدا مساء", "2026-11-24 18:00", False),
        ("غدا الساعة 7 مساء", "2026-11-24 19:00", False),
        ("الثلاثاء", "2026-11-24 10:30", True),
        ("الثلاثاء مساء", "2026-11-24 18:00", False),
        ("بعد أسبوعين", "2026-12-07 10:30", True),
        ("بعد ٣ أيام", "2026-11-26 10:30", True),
        ("بعد ساعتين", "2026-11-23 14:00", False),
        ("كل اثنين", "2026-11-30 10:30", True),  # today's 10:30 has passed in Amman
        ("كل اثنين صباحا", "2026-11-30 09:00", False),
        ("أسبوعيا", "2026-11-30 10:30", True),
        ("كل شهر", "2026-12-23 10:30", True),
    ],
}
CASES = [(lang, *row) for lang, rows in FORMS.items() for row in rows]


def read(text: str, language: str, usual: time | None = USUAL):
    return parse_schedule(text, now=NOW, timezone=ZONES[language], usual=usual)


def local(moment: datetime, language: str) -> str:
    return moment.astimezone(ZoneInfo(ZONES[language])).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("language", "text", "first", "took_usual"), CASES)
def test_form(language: str, text: str, first: str, took_usual: bool) -> None:
    scheduled = read(text, language)
    assert isinstance(scheduled, Scheduled), scheduled
    assert local(scheduled.rule.first, language) == first
    assert scheduled.usual_time is took_usual


@pytest.mark.parametrize(("language", "text", "first", "took_usual"), CASES)
def test_without_a_usual_time(language: str, text: str, first: str, took_usual: bool) -> None:
    """A form that needs the usual time asks for a time; the others do not change."""
    result = read(text, language, usual=None)
    if took_usual:
        assert result == ScheduleError(reason="needs_time")
    else:
        assert local(result.rule.first, language) == first


@pytest.mark.parametrize(
    ("language", "text"), [(lang, text) for lang, text, _, took in CASES if took]
)
def test_the_suggested_time_is_read(language: str, text: str) -> None:
    """What the bot suggests when a time is missing ("/schedule <text> 10:00") works."""
    result = read(f"{text} {TIME_SUFFIX[language]}", language, usual=None)
    assert isinstance(result, Scheduled), result
    assert local(result.rule.first, language)[-5:] == "10:00"


@pytest.mark.parametrize("language", sorted(FORMS))
def test_every_part_of_day_and_next_phrase_is_read(language: str) -> None:
    """Every phrase in the word tables, after "tomorrow", and after nothing (next week)."""
    words = lexicon((language,))
    tomorrow = {"en": "tomorrow", "fr": "demain", "ar": "غدا"}[language]
    for phrase, at in words.parts.items():
        result = read(f"{tomorrow} {phrase}", language, usual=None)
        assert local(result.rule.first, language) == f"2026-11-24 {at:%H:%M}", phrase
    for phrase, (amount, unit) in words.next.items():
        result = read(phrase, language)
        expected = {"week": "2026-11-30", "month": "2026-12-23"}[unit]
        assert (amount, local(result.rule.first, language)) == (1, f"{expected} 10:30"), phrase


def test_parts_of_the_day_have_fixed_times() -> None:
    shown = {part: f"{at:%H:%M}" for part, at in PART_OF_DAY.items()}
    assert shown == {"morning": "09:00", "noon": "12:00", "afternoon": "15:00", "evening": "18:00"}


# text, reason, the meeting understood (local) for past and too_far
ERRORS = {
    "en": [
        ("today 08:00", "past", "2026-11-23 08:00"),
        ("2020-01-01 10:00", "past", "2020-01-01 10:00"),
        ("2030-01-01 10:00", "too_far", "2030-01-01 10:00"),
        ("in 2 weeks", "needs_time", None),
        ("the day the rains stop", "unparseable", None),
        ("tomorrow 25:00", "unparseable", None),
        ("next week tuesday", "unparseable", None),
    ],
    "fr": [
        ("aujourd’hui 8h", "past", "2026-11-23 08:00"),
        ("1 janvier 2030 à 10h", "too_far", "2030-01-01 10:00"),
        ("dans 2 semaines", "needs_time", None),
        ("la semaine prochaine", "needs_time", None),
        ("quand il pleuvra", "unparseable", None),
    ],
    "ar": [
        ("اليوم الساعة 8:00", "past", "2026-11-23 08:00"),
        ("1 يناير 2030 الساعة 10:00", "too_far", "2030-01-01 10:00"),
        ("بعد أسبوعين", "needs_time", None),
        ("الأسبوع القادم", "needs_time", None),
        ("عندما يتوقف المطر", "unparseable", None),
    ],
}


@pytest.mark.parametrize(
    ("language", "text", "reason", "when"),
    [(lang, *row) for lang, rows in ERRORS.items() for row in rows],
)
def test_error(language: str, text: str, reason: str, when: str | None) -> None:
    result = read(text, language, usual=None)
    assert isinstance(result, ScheduleError) and result.reason == reason, result
    assert (local(result.when, language) if result.when else None) == when


def test_folding_makes_spellings_meet() -> None:
    assert fold("غدًا") == fold("غدا") and fold("الأسبوع") == fold("الاسبوع")
    assert fold("Après-midi") == "apres-midi"
