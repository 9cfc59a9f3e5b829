"""The next meeting and its reminder, from a set's rule, and how the bot words them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from flows.follow_up import ActionRecord
from flows.models import ChatSet
from flows.quiet import QuietTime, ahead_of_quiet
from flows.schedule import MeetingRule, next_meeting, overdue_decision, reminder_time
from flows.text import LocalTime, Msg, msg


class MeetingPlan(BaseModel):
    """When the next meeting is, and when to remind the set of it."""

    model_config = ConfigDict(frozen=True)

    meeting_at: datetime
    reminder_at: datetime | None = None


def plan_meeting(
    rule: MeetingRule,
    *,
    after: datetime,
    reminder_minutes: int | None,
    quiet: QuietTime | None = None,
    timezone: str = "UTC",
) -> MeetingPlan | None:
    """The next meeting strictly after `after`, with a reminder only if it is still ahead; a
    reminder that would fall in the set's quiet time comes before that quiet time begins."""
    meeting = next_meeting(rule, after=after)
    if meeting is None:
        return None
    reminder = reminder_at(meeting, reminder_minutes, quiet, timezone)
    return MeetingPlan(
        meeting_at=meeting, reminder_at=reminder if reminder and reminder > after else None
    )


def reminder_at(
    meeting_at: datetime, reminder_minutes: int | None, quiet: QuietTime | None, timezone: str
) -> datetime | None:
    """When a meeting's reminder comes (None when reminders are off; may be past): its lead
    time before the meeting, or before the set's quiet time when that moment falls in it."""
    lead = timedelta(minutes=reminder_minutes) if reminder_minutes else None
    planned = reminder_time(meeting_at, lead)
    return None if planned is None else ahead_of_quiet(planned, quiet, timezone)


def rule_from_json(text: str | None) -> MeetingRule | None:
    """A stored rule, if any."""
    return MeetingRule.model_validate_json(text) if text else None


def rhythm(rule: MeetingRule | None) -> Msg | str:
    """'every 2 weeks' for a recurring rule, nothing for a one-off."""
    if rule is None or rule.kind == "once" or rule.unit is None:
        return ""
    return msg(f"rhythm.{rule.unit}", count=rule.interval)


def duration(minutes: int) -> Msg:
    """A reminder's lead time in words: '24 hours', '30 minutes'."""
    if minutes % 60 == 0:
        return msg("duration.hours", count=minutes // 60)
    return msg("duration.minutes", count=minutes)


def meeting_line(chat_set: ChatSet, timezone: str, now: datetime, grace: timedelta) -> Msg:
    """The next meeting in words, with its rhythm and reminder; that none is set; or that it
    passed without its follow-up yet (the bot was out or down) and what happens then."""
    meeting_at = chat_set.next_meeting_at
    if meeting_at is None:
        return msg("meeting.none")
    when = LocalTime(moment=meeting_at, timezone=timezone)
    passed = overdue_decision(meeting_at, now=now, grace=grace)
    if passed == "fire":
        return msg("meeting.passed_follow_up_due", when=when)
    if passed == "missed":
        return msg("meeting.passed_follow_up_missed", when=when)
    minutes = chat_set.reminder_minutes
    due = reminder_at(meeting_at, minutes, chat_set.quiet, timezone)
    if not minutes or due is None:
        reminder = msg("meeting.no_reminder")
    elif due <= now:
        reminder = msg("meeting.reminder_too_late")
    elif due != meeting_at - timedelta(minutes=minutes):
        moved_to = LocalTime(moment=due, timezone=timezone)
        reminder = msg("meeting.reminder_moved", when=moved_to, before=duration(minutes))
    else:
        reminder = msg("meeting.reminder", before=duration(minutes))
    every = rhythm(rule_from_json(chat_set.meeting_rule))
    if not every:
        return msg("meeting.next_once", when=when, reminder=reminder)
    return msg("meeting.next", when=when, rhythm=every, reminder=reminder)


def back_in_the_group(chat_set: ChatSet, timezone: str, now: datetime, grace: timedelta) -> Msg:
    """The one line said when the bot is added back: nothing deleted, and what happens next."""
    meeting_at = chat_set.next_meeting_at
    if meeting_at is None:
        following = msg("back.no_meeting")
    else:
        when = LocalTime(moment=meeting_at, timezone=timezone)
        following = {
            "wait": msg("back.meeting_ahead", when=when),
            "fire": msg("back.follow_up_now", when=when),
            "missed": msg("back.follow_up_at_session", when=when),
        }[overdue_decision(meeting_at, now=now, grace=grace)]
    return msg("welcome.back", next=following)


class MeetingFollowUp(BaseModel):
    """What a set's meeting time brings: its follow-up asked, or missed; the next meeting."""

    model_config = ConfigDict(frozen=True)

    missed: bool  # too late (the bot was down past the grace) or the set is paused or gone
    plan: MeetingPlan | None  # the next meeting, by the set's rule
    opening: Msg | None = None
    asked: tuple[ActionRecord, ...] = ()  # every open action, asked again if asked before
    next_meeting: Msg | None = None


def meeting_follow_up(
    chat_set: ChatSet | None,
    actions: list[ActionRecord],
    *,
    due_at: datetime,
    now: datetime,
    grace: timedelta,
    timezone: str,
) -> MeetingFollowUp:
    """At meeting time: open with the count, ask each open action, then say the next meeting;
    too late or with the bot out of the group, nothing is said and the next /session asks."""
    rule = rule_from_json(chat_set.meeting_rule) if chat_set else None
    reminder = chat_set.reminder_minutes if chat_set else None
    plan = None
    if rule is not None:
        quiet = chat_set.quiet if chat_set else None
        plan = plan_meeting(
            rule, after=now, reminder_minutes=reminder, quiet=quiet, timezone=timezone
        )
    late = overdue_decision(due_at, now=now, grace=grace) == "missed"
    if late or chat_set is None or not chat_set.active:
        return MeetingFollowUp(missed=True, plan=plan)
    opening = msg("follow_up.meeting", count=len(actions)) if actions else msg("follow_up.nothing")
    following = None
    if plan is not None:
        planned = chat_set.model_copy(update={"next_meeting_at": plan.meeting_at})
        following = meeting_line(planned, timezone, now, grace)
    return MeetingFollowUp(
        missed=False, plan=plan, opening=opening, asked=tuple(actions), next_meeting=following
    )


def usual_time(chat_set: ChatSet, timezone: str) -> time | None:
    """The set's usual meeting time: the wall-clock time of its rule (kept after its last
    meeting), else of its next meeting in the set's zone; None if it never had one."""
    rule = rule_from_json(chat_set.meeting_rule)
    if rule is not None:
        return rule.local_time or rule.first.astimezone(ZoneInfo(rule.timezone)).time()
    if chat_set.next_meeting_at is not None:
        return chat_set.next_meeting_at.astimezone(ZoneInfo(timezone)).time()
    return None
