"""How long a set keeps members' words, and what the daily sweep does about it.

Words end when what they belong to ends: a session's words (topic, questions, statements,
reframed problem, learning lines) when it closes, an action's (what, how I'll know, help,
what was learned) when it is closed. A set is told a week before words are erased, once for
a batch of a month's worth, and nothing is erased that the set was not told of a week before.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from flows.text import Msg, msg

RETENTION_CHOICES = {"6m": 6, "12m": 12, "24m": 24, "off": 0}  # months; 0 keeps words
NOTICE = timedelta(days=7)  # told this long before the first erasure of a batch
BATCH = timedelta(days=30)  # one notice covers the words that pass the limit in a month


def parse_retention(text: str) -> int | None:
    """Months from a /retention argument (0 for off); None if it is not one of the choices."""
    return RETENTION_CHOICES.get(text.strip().lower())


def policy(months: int) -> Msg:
    """The set's retention in one sentence (/retention, /privacy)."""
    if months <= 0:
        return msg("retention.policy_off")
    return msg("retention.policy", period=msg("retention.months", count=months))


def kept_for(months: int) -> Msg:
    """The set's retention in a few words (/settings)."""
    return msg("retention.months", count=months) if months > 0 else msg("retention.until_removed")


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier; a day the shorter month lacks (31 August
    back to February) is the start of the month after it, so all of that month's last day is
    past the limit then, not days later."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    if moment.day <= calendar.monthrange(year, month + 1)[1]:
        return moment.replace(year=year, month=month + 1)
    year, month = divmod(year * 12 + month + 1, 12)
    return moment.replace(
        year=year, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class KeptWords:
    """What the sweep needs to know of one set's words and of what it was told."""

    chat_id: int
    months: int  # the set's retention, the default applied; 0 = off
    active: bool  # False: the bot was removed from the group, so nobody can be told
    oldest: datetime | None  # the end of the oldest words still kept
    oldest_untold: datetime | None  # the same among words no notice covers yet
    told_until: datetime | None  # the latest notice covers words that ended before this
    told_at: datetime | None  # when that notice was stored
    erasable_until: datetime | None  # words that ended before this were told a week ago


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """Telling the set: from `starts`, words that ended before `until` are erased."""

    until: datetime
    starts: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Sweep:
    """One set's part of the daily sweep: what to erase, whether to tell, what was told."""

    erase_before: datetime | None  # erase the words that ended before this
    notice: Notice | None
    told_until: datetime | None  # the set's notice state after this sweep
    told_at: datetime | None
    erasable_until: datetime | None

    @property
    def erases(self) -> bool:
        """Whether anything may be erased."""
        return self.erase_before is not None


def sweep_set(kept: KeptWords, now: datetime) -> Sweep | None:
    """What the sweep does for one set today; None when there is nothing to do."""
    if kept.months <= 0 or kept.oldest is None:
        return None
    past_limit = months_before(now, kept.months)
    if not kept.active:
        # Nobody can be told while the bot is out of the group; the limit is still kept,
        # because it is a promise to the members whose words these are.
        if kept.oldest >= past_limit:
            return None
        return Sweep(
            erase_before=past_limit,
            notice=None,
            told_until=kept.told_until,
            told_at=kept.told_at,
            erasable_until=kept.erasable_until,
        )
    erasable = kept.erasable_until
    if kept.told_at is not None and kept.told_at <= now - NOTICE:
        erasable = kept.told_until
    erase_before = min(past_limit, erasable) if erasable is not None else None
    if erase_before is not None and kept.oldest >= erase_before:
        erase_before = None
    notice = None
    told_until, told_at = kept.told_until, kept.told_at
    soon = months_before(now + NOTICE, kept.months)
    if kept.oldest_untold is not None and kept.oldest_untold < soon:
        told_until = months_before(now + NOTICE + BATCH, kept.months)
        told_at = now
        notice = Notice(until=told_until, starts=now + NOTICE)
    if erase_before is None and notice is None:
        return None
    return Sweep(
        erase_before=erase_before,
        notice=notice,
        told_until=told_until,
        told_at=told_at,
        erasable_until=erasable,
    )
