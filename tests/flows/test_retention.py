"""Retention's rules: when a set is told, what may be erased, and that daily sweeps keep both
promises (told a week before, nothing kept long past the limit) whatever the words' ages."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.retention import NOTICE, KeptWords, months_before, parse_retention, sweep_set

NOW = datetime(2027, 11, 23, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def kept(**fields) -> KeptWords:
    values = {
        "chat_id": 1,
        "months": 12,
        "active": True,
        "oldest": None,
        "oldest_untold": None,
        "told_until": None,
        "told_at": None,
        "erasable_until": None,
    }
    return KeptWords(**(values | fields))


def test_the_choices_and_nothing_else():
    assert [parse_retention(t) for t in ("6m", "12M", " 24m ", "off")] == [6, 12, 24, 0]
    assert parse_retention("3m") is None and parse_retention("12") is None


def test_a_day_the_shorter_month_lacks_is_the_start_of_the_month_after():
    assert months_before(datetime(2027, 3, 31, 9, tzinfo=UTC), 1) == datetime(
        2027, 3, 1, tzinfo=UTC
    )
    assert months_before(datetime(2027, 1, 15, tzinfo=UTC), 12) == datetime(2026, 1, 15, tzinfo=UTC)


def test_off_or_nothing_kept_does_nothing():
    assert sweep_set(kept(months=0, oldest=NOW - 1000 * DAY), NOW) is None
    assert sweep_set(kept(), NOW) is None


def test_words_a_week_from_the_limit_are_told_of_and_not_erased_yet():
    ended = months_before(NOW, 12) + 6 * DAY
    decided = sweep_set(kept(oldest=ended, oldest_untold=ended), NOW)
    assert decided.notice is not None and decided.notice.starts == NOW + NOTICE
    assert decided.notice.until > ended and not decided.erases
    assert sweep_set(kept(oldest=ended + 2 * DAY, oldest_untold=ended + 2 * DAY), NOW) is None


def test_words_long_past_the_limit_wait_a_week_after_the_notice():
    ended = NOW - 1000 * DAY
    told = sweep_set(kept(oldest=ended, oldest_untold=ended), NOW)
    assert told.notice is not None and not told.erases
    state = {"told_until": told.told_until, "told_at": told.told_at}
    assert sweep_set(kept(oldest=ended, **state), NOW + 6 * DAY) is None
    erased = sweep_set(kept(oldest=ended, **state), NOW + 7 * DAY)
    assert erased.erases and erased.notice is None


def test_a_set_the_bot_was_removed_from_is_not_told_but_its_words_are_erased():
    ended = months_before(NOW, 12) - DAY
    decided = sweep_set(kept(active=False, oldest=ended, oldest_untold=ended), NOW)
    assert decided.notice is None and decided.erase_before == months_before(NOW, 12)


@dataclass
class SetUnderSweep:
    """A set's words (their end times) and what the sweeps did to them, day after day."""

    months: int
    ends: list[datetime]
    erased: dict[datetime, datetime] = field(default_factory=dict)  # end -> when erased
    notices: list[tuple[datetime, datetime]] = field(default_factory=list)  # (at, until)
    told_until: datetime | None = None
    told_at: datetime | None = None
    erasable_until: datetime | None = None

    def sweep(self, now: datetime) -> None:
        left = [end for end in self.ends if end not in self.erased and end <= now]
        untold = [end for end in left if self.told_until is None or end >= self.told_until]
        decided = sweep_set(
            KeptWords(
                chat_id=1,
                months=self.months,
                active=True,
                oldest=min(left, default=None),
                oldest_untold=min(untold, default=None),
                told_until=self.told_until,
                told_at=self.told_at,
                erasable_until=self.erasable_until,
            ),
            now,
        )
        if decided is None:
            return
        if decided.notice is not None:
            self.notices.append((now, decided.notice.until))
        self.told_until, self.told_at = decided.told_until, decided.told_at
        self.erasable_until = decided.erasable_until
        if decided.erase_before is not None:
            for end in left:
                if end < decided.erase_before:
                    self.erased[end] = now


def months_after(moment: datetime, months: int) -> datetime:
    """The same time `months` later (the test's own arithmetic, clamped like the rule's)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    return moment.replace(
        year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1])
    )


@settings(max_examples=60, deadline=None)
@given(
    months=st.sampled_from([6, 12, 24]),
    days=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=25),
    first_sweep=st.integers(min_value=0, max_value=1200),
)
def test_daily_sweeps_tell_a_week_before_and_erase_soon_after_the_limit(months, days, first_sweep):
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    words = SetUnderSweep(months=months, ends=[start + d * DAY for d in set(days)])
    first = start + first_sweep * DAY  # the bot (or retention) may start late
    last = max(first_sweep, *days) + 31 * months + 10  # past every limit, and a week more
    for day in range(first_sweep, last + 1):
        words.sweep(start + day * DAY)
    for end in words.ends:
        erased = words.erased.get(end)
        assert erased is not None, "everything is erased in the end"
        assert end < months_before(erased, months), "nothing before the limit"
        told = [at for at, until in words.notices if end < until and at <= erased - NOTICE]
        assert told, "erased only a week or more after a notice that covered it"
        limit = months_after(end, months)
        assert erased <= max(limit, first + NOTICE) + 2 * DAY, "not kept long past the limit"
    batches = (last - first_sweep) // 25
    assert len(words.notices) <= 2 + batches, "a notice covers a batch, not each session"


def test_words_of_a_month_end_pass_the_limit_the_day_after_its_anniversary():
    ended = datetime(2026, 2, 28, 9, tzinfo=UTC)  # 6 months on: 28 August
    assert not ended < months_before(datetime(2026, 8, 28, 8, tzinfo=UTC), 6)
    assert ended < months_before(datetime(2026, 8, 29, 9, tzinfo=UTC), 6)  # not 1 September
