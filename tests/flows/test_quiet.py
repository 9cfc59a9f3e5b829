"""Quiet time: reading /quiet and /daysoff, and when quiet time ends, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flows.quiet import (
    AHEAD_OF_QUIET,
    QuietTime,
    Refused,
    ahead_of_quiet,
    days_text,
    hours_text,
    is_quiet,
    out_of_quiet,
    parse_days_off,
    parse_hours,
    stored_quiet,
)

PARIS, AMMAN, BAMAKO, NEW_YORK = "Europe/Paris", "Asia/Amman", "Africa/Bamako", "America/New_York"
ZONES = (PARIS, AMMAN, BAMAKO, NEW_YORK)
NIGHTS = QuietTime(hours=(time(21), time(7)))
FRIDAY_OFF = QuietTime(hours=(time(21), time(7)), days_off=frozenset({4}))
WEEKEND = QuietTime(days_off=frozenset({5, 6}))
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def local(zone: str, *fields: int, fold: int = 0) -> datetime:
    """A wall-clock time in a zone."""
    return datetime(*fields, tzinfo=ZoneInfo(zone), fold=fold)


def wall(moment: datetime, zone: str) -> tuple[int, ...]:
    """A moment's wall clock in a zone: (month, day, hour, minute)."""
    shown = moment.astimezone(ZoneInfo(zone))
    return shown.month, shown.day, shown.hour, shown.minute


# --- reading the commands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["21:00-07:00", "21-7", "21h-7h", "21h00 - 07h00", "de 21h à 7h", "21:00 to 07:00",
     "من ٢١:٠٠ إلى ٠٧:٠٠", "21:00–07:00"],
)  # fmt: skip
def test_quiet_hours_read_as_people_type_them(text):
    assert parse_hours(text) == (time(21), time(7))


def test_quiet_hours_off_and_refusals():
    assert parse_hours("off") == parse_hours("إيقاف") == parse_hours("arrêt") == "off"
    assert parse_hours("13:30-14") == (time(13, 30), time(14))
    assert parse_hours("24-6") == (time(0), time(6))
    assert parse_hours("21:00-21:00") == Refused("same", "21:00-21:00")
    assert parse_hours("tonight") == Refused("unreadable", "tonight")
    assert parse_hours("25-7").reason == "unreadable"
    assert parse_hours("21:75-7").reason == "unreadable"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("fri", {FRI}),
        ("sat sun", {SAT, SUN}),
        ("Saturday and Sunday", {SAT, SUN}),
        ("samedi et dimanche", {SAT, SUN}),
        ("ven", {FRI}),
        ("Vendredi, samedi", {FRI, SAT}),
        ("الجمعة", {FRI}),
        ("الجمعة والسبت", {FRI, SAT}),
        ("الجمعة و السبت", {FRI, SAT}),
    ],
)
def test_days_off_in_three_languages(text, days):
    assert parse_days_off(text) == frozenset(days)


def test_days_off_off_and_refusals():
    assert parse_days_off("off") == parse_days_off("إيقاف") == "off"
    assert parse_days_off("fri someday") == Refused("unreadable", "someday")
    assert parse_days_off("mon tue wed thu fri sat sun") == Refused("every_day")
    for every_day in ("every day", "Tous les jours", "كل يوم", "كل الأيام"):
        assert parse_days_off(every_day) == Refused("every_day")
    assert parse_days_off("and") == Refused("unreadable", "and")


def test_stored_as_two_readable_columns_and_read_back():
    assert hours_text(FRIDAY_OFF.hours) == "21:00-07:00"
    assert days_text(frozenset({SUN, SAT})) == "sat,sun"
    assert days_text(frozenset()) is None
    assert stored_quiet("21:00-07:00", "fri") == FRIDAY_OFF
    assert stored_quiet(None, "sat,sun") == WEEKEND
    assert stored_quiet(None, None) is None


def test_a_quiet_time_keeps_some_waking_time():
    with pytest.raises(ValueError):
        QuietTime(hours=(time(7), time(7)))
    with pytest.raises(ValueError):
        QuietTime(days_off=frozenset(range(7)))


# --- when quiet time ends ------------------------------------------------------------------------


def test_quiet_hours_cross_midnight():
    assert not is_quiet(local(PARIS, 2026, 11, 23, 20, 59), NIGHTS, PARIS)
    assert is_quiet(local(PARIS, 2026, 11, 23, 21, 0), NIGHTS, PARIS)
    assert is_quiet(local(PARIS, 2026, 11, 24, 6, 59), NIGHTS, PARIS)
    assert not is_quiet(local(PARIS, 2026, 11, 24, 7, 0), NIGHTS, PARIS)
    ended = out_of_quiet(local(PARIS, 2026, 11, 23, 23, 30), NIGHTS, PARIS)
    assert ended == local(PARIS, 2026, 11, 24, 7, 0)


def test_thursday_night_with_friday_off_ends_saturday_morning():
    thursday_night = local(PARIS, 2026, 11, 26, 22, 0)
    assert out_of_quiet(thursday_night, FRIDAY_OFF, PARIS) == local(PARIS, 2026, 11, 28, 7, 0)
    # a reminder due then comes half an hour before Thursday's quiet hours begin
    assert ahead_of_quiet(thursday_night, FRIDAY_OFF, PARIS) == local(PARIS, 2026, 11, 26, 20, 30)


def test_a_weekend_ends_at_monday_midnight():
    saturday = local(NEW_YORK, 2026, 11, 28, 12, 0)
    assert out_of_quiet(saturday, WEEKEND, NEW_YORK) == local(NEW_YORK, 2026, 11, 30, 0, 0)
    assert ahead_of_quiet(saturday, WEEKEND, NEW_YORK) == local(NEW_YORK, 2026, 11, 27, 23, 30)


def test_outside_quiet_time_nothing_moves():
    tuesday_noon = local(BAMAKO, 2026, 11, 24, 12, 0)
    assert out_of_quiet(tuesday_noon, FRIDAY_OFF, BAMAKO) == tuesday_noon
    assert ahead_of_quiet(tuesday_noon, FRIDAY_OFF, BAMAKO) == tuesday_noon
    assert out_of_quiet(tuesday_noon, None, BAMAKO) == tuesday_noon


def test_quiet_hours_end_at_the_same_wall_time_on_the_night_the_clocks_change():
    spring = out_of_quiet(local(PARIS, 2026, 3, 28, 23, 0), NIGHTS, PARIS)
    autumn = out_of_quiet(local(PARIS, 2026, 10, 24, 23, 0), NIGHTS, PARIS)
    assert wall(spring, PARIS) == (3, 29, 7, 0) and wall(autumn, PARIS) == (10, 25, 7, 0)
    assert spring - local(PARIS, 2026, 3, 28, 23, 0) == timedelta(hours=7)  # an hour short
    assert autumn - local(PARIS, 2026, 10, 24, 23, 0) == timedelta(hours=9)  # an hour long


def test_an_end_the_clock_jumps_over_is_the_moment_of_the_jump():
    # Paris skips 02:00-03:00 on 29 March 2026: quiet hours to 02:30 end at 03:00.
    early = QuietTime(hours=(time(22), time(2, 30)))
    ended = out_of_quiet(local(PARIS, 2026, 3, 29, 1, 0), early, PARIS)
    assert wall(ended, PARIS) == (3, 29, 3, 0)
    assert ended == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_an_end_the_clock_passes_twice_is_its_first_time():
    # Paris repeats 02:00-03:00 on 25 October 2026: quiet hours to 02:30 end at the first 02:30,
    # and the repeated half hour is not quiet again.
    early = QuietTime(hours=(time(22), time(2, 30)))
    ended = out_of_quiet(local(PARIS, 2026, 10, 25, 1, 0), early, PARIS)
    assert ended == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, the first one
    assert not is_quiet(local(PARIS, 2026, 10, 25, 2, 10, fold=1), early, PARIS)


def test_quiet_hours_ending_in_ammans_midnight_gap_end_at_the_jump():
    evenings = QuietTime(hours=(time(20), time(0)))
    ended = out_of_quiet(local(AMMAN, 2022, 2, 24, 22, 0), evenings, AMMAN)
    assert ended == datetime(2022, 2, 24, 22, 0, tzinfo=UTC)  # shown as Friday 01:00
    assert wall(ended, AMMAN) == (2, 25, 1, 0)


def test_a_day_off_starting_in_ammans_midnight_gap_starts_at_the_jump():
    # Amman went from Thursday 24 February 2022, 24:00 straight to Friday 01:00.
    friday = QuietTime(days_off=frozenset({FRI}))
    thursday_late = local(AMMAN, 2022, 2, 24, 23, 59)
    assert not is_quiet(thursday_late, friday, AMMAN)
    assert is_quiet(thursday_late + timedelta(minutes=1), friday, AMMAN)
    friday_noon = local(AMMAN, 2022, 2, 25, 12, 0)
    assert wall(out_of_quiet(friday_noon, friday, AMMAN), AMMAN) == (2, 26, 0, 0)
    assert ahead_of_quiet(friday_noon, friday, AMMAN) == datetime(2022, 2, 24, 21, 30, tzinfo=UTC)


def test_a_short_waking_time_before_quiet_time_moves_a_reminder_to_its_start():
    # quiet 07:15-07:00: a quarter of an hour awake, less than AHEAD_OF_QUIET
    nearly_always = QuietTime(hours=(time(7, 15), time(7)))
    moved = ahead_of_quiet(local(BAMAKO, 2026, 11, 24, 12, 0), nearly_always, BAMAKO)
    assert moved == local(BAMAKO, 2026, 11, 24, 7, 0)
    assert timedelta(minutes=15) < AHEAD_OF_QUIET


# --- properties ----------------------------------------------------------------------------------

clock_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
quiet_times = st.builds(
    QuietTime,
    hours=st.none() | st.tuples(clock_times, clock_times).filter(lambda pair: pair[0] != pair[1]),
    days_off=st.frozensets(st.integers(0, 6), max_size=6),
)
# Moments from 2020 to 2027, so Amman's DST years and every zone's changes come up.
moments = st.integers(
    int(datetime(2020, 1, 1, tzinfo=UTC).timestamp()),
    int(datetime(2027, 12, 31, tzinfo=UTC).timestamp()),
).map(lambda seconds: datetime.fromtimestamp(seconds, UTC))
# Moments within a day of a DST change, where mistakes hide.
changes = st.sampled_from(
    [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Paris, spring
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Paris, autumn
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York, spring
        datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York, autumn
        datetime(2022, 2, 24, 22, 0, tzinfo=UTC),  # Amman, spring (at midnight)
        datetime(2021, 10, 28, 22, 0, tzinfo=UTC),  # Amman, autumn
    ]
)
near_changes = st.builds(
    lambda change, minutes: change + timedelta(minutes=minutes),
    changes,
    st.integers(-36 * 60, 36 * 60),
)


@settings(max_examples=300, deadline=None)
@given(quiet=quiet_times, moment=moments | near_changes, zone=st.sampled_from(ZONES))
def test_out_of_quiet_is_never_quiet_never_earlier_and_idempotent(quiet, moment, zone):
    ended = out_of_quiet(moment, quiet, zone)
    assert ended >= moment
    assert not is_quiet(ended, quiet, zone)
    assert out_of_quiet(ended, quiet, zone) == ended
    assert (ended == moment) == (not is_quiet(moment, quiet, zone))


@settings(max_examples=300, deadline=None)
@given(quiet=quiet_times, moment=moments | near_changes, zone=st.sampled_from(ZONES))
def test_every_moment_between_is_quiet(quiet, moment, zone):
    """No waking moment is skipped: quiet time is sampled every quarter of an hour up to its end."""
    ended = out_of_quiet(moment, quiet, zone)
    probe = moment
    while probe < ended:
        assert is_quiet(probe, quiet, zone)
        probe += timedelta(minutes=15)


@settings(max_examples=300, deadline=None)
@given(quiet=quiet_times, moment=moments | near_changes, zone=st.sampled_from(ZONES))
def test_ahead_of_quiet_is_never_quiet_and_never_later(quiet, moment, zone):
    earlier = ahead_of_quiet(moment, quiet, zone)
    assert earlier <= moment
    assert not is_quiet(earlier, quiet, zone)
    assert ahead_of_quiet(earlier, quiet, zone) == earlier
    if is_quiet(moment, quiet, zone):  # at most half an hour before the very quiet time it avoids
        due = earlier + AHEAD_OF_QUIET
        assert is_quiet(due, quiet, zone)
        assert out_of_quiet(due, quiet, zone) == out_of_quiet(moment, quiet, zone)


@settings(max_examples=200, deadline=None)
@given(quiet=quiet_times, moment=moments | near_changes, zone=st.sampled_from(ZONES))
def test_quiet_follows_the_local_wall_clock(quiet, moment, zone):
    """Outside DST changes, quiet is exactly what the wall clock and the weekday say."""
    shown = moment.astimezone(ZoneInfo(zone))
    offsets = {
        (moment + timedelta(hours=h)).astimezone(ZoneInfo(zone)).utcoffset() for h in (-26, 26)
    }
    if len(offsets) > 1:
        return  # a change within a day: the spans' ends are checked by the tests above
    by_hours = False
    if quiet.hours is not None:
        start, end = quiet.hours
        now = shown.time().replace(tzinfo=None)
        by_hours = start <= now < end if start < end else (now >= start or now < end)
    assert is_quiet(moment, quiet, zone) == (shown.weekday() in quiet.days_off or by_hours)


@settings(max_examples=300, deadline=None)
@given(
    hours=st.tuples(clock_times, clock_times).filter(lambda pair: pair[0] != pair[1]),
    moment=moments | near_changes,
    zone=st.sampled_from(ZONES),
)
@example(  # the waking quarter hour falls in Amman's spring gap: no waking time that night
    hours=(time(0, 15), time(0, 0)),
    moment=datetime(2022, 2, 24, 19, 59, tzinfo=UTC),
    zone="Asia/Amman",
)
def test_quiet_hours_end_at_their_wall_time_or_at_the_jump_over_it(hours, moment, zone):
    quiet = QuietTime(hours=hours)
    if not is_quiet(moment, quiet, zone):
        return
    ended = out_of_quiet(moment, quiet, zone)
    shown = ended.astimezone(ZoneInfo(zone))
    just_before = (ended - timedelta(seconds=1)).astimezone(ZoneInfo(zone))
    jumped = just_before.utcoffset() != shown.utcoffset()
    end_wall = datetime.combine(shown.date(), hours[1])
    in_the_jump = just_before.replace(tzinfo=None) < end_wall < shown.replace(tzinfo=None)
    assert shown.time() == hours[1] or (jumped and in_the_jump)
    # Quiet lasts at most a day and the hour a clock change adds, unless the waking time
    # between its end and the next start is no longer than a jump (00:15-00:00 on Amman's
    # night that skips 00:00-01:00): that night has none, and the next day's quiet follows on.
    start, end = (datetime.combine(date.min, at) for at in hours)
    waking = (start - end) % timedelta(days=1)
    assert ended - moment <= timedelta(hours=25) or waking <= timedelta(hours=1)
    assert ended - moment <= timedelta(hours=49)
