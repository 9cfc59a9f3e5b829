"""The organisation digest's files and lines (`/digest`): the CSV (one row per set or pooled
group, ISO dates, no names or words), the summary lines, and sending the picture and the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from babel.numbers import format_percent
from telegram import Bot, InputFile
from telegram.ext import Application

from bot.drawing import Drawing, send_picture
from bot.org_digest_picture import digest_png, period_words
from bot.services import services_of
from flows.org_digest import DigestRow, OrgDigest, org_digest
from flows.text import Msg, msg
from storage.outbox import Outgoing
from storage.repository import Repository

FILES_OP = "digest_files"  # an outbox row's op: send a digest's picture and CSV
SMALL_SETS_ID = "small_sets"  # the CSV's id of the pooled sets under three members
CSV_COLUMNS = (
    "set_id",
    "sets",
    "period_start",
    "period_end",
    "meetings_held",
    "meetings_goal",
    "sets_with_goal",
    "sets_goal_met",
    "actions_closed",
    "actions_completed",
    "completion_rate",
    "actions_carried_on",
    "carry_over_rate",
    "last_meeting",
    "days_since_last_meeting",
    "sets_quiet",
)


async def digest_for(
    repo: Repository, start: datetime, end: datetime, now: datetime, timezone: str
) -> OrgDigest:
    """The digest of every set for [start, end), seen at `now`, dates in the zone."""
    facts = await repo.org_digest_facts(start, end)
    return org_digest(facts, start=start, end=end, now=now, timezone=timezone)


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _blank(value: object) -> str:
    return "" if value is None else str(value)


def csv_row(row: DigestRow, digest: OrgDigest) -> list[str]:
    """One CSV line (the period's end is its last day)."""
    return [
        row.set_id or SMALL_SETS_ID,
        str(row.sets),
        digest.start.isoformat(),
        digest.last_day.isoformat(),
        str(row.held),
        _blank(row.target),
        str(row.with_goal),
        str(row.goal_met),
        str(row.closed),
        str(row.completed),
        _rate(row.completion_rate),
        str(row.carried),
        _rate(row.carry_rate),
        row.last_meeting.isoformat() if row.last_meeting else "",
        _blank(row.days_since),
        str(row.quiet),
    ]


def digest_csv(digest: OrgDigest) -> bytes:
    """The CSV file: a header and one line per set or pooled group (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(row, digest) for row in digest.rows)
    return out.getvalue().encode("utf-8")


def percent(value: float | None, language: str) -> str:
    """A rate in the language's way ('75%', '75 %'), or '—'."""
    return "—" if value is None else format_percent(value, locale=language)


def summary(digest: OrgDigest, language: str) -> Msg:
    """The two lines below the picture, and a third when small sets are pooled."""
    total = digest.total
    small = digest.rows[-1].sets if digest.rows and digest.rows[-1].set_id is None else 0
    lines = msg(
        "org_digest.summary",
        sets=msg(
            "org_digest.sets_line",
            period=period_words(digest, language),
            sets=total.sets,
            met=total.goal_met,
            with_goal=total.with_goal,
            quiet=total.quiet,
        ),
        actions=msg(
            "org_digest.actions_line",
            closed=total.closed,
            completion=percent(total.completion_rate, language),
            carry=percent(total.carry_rate, language),
        ),
    )
    if not small:
        return lines
    return msg(
        "org_digest.with_small", summary=lines, small=msg("org_digest.small_line", sets=small)
    )


def file_name(digest: OrgDigest, extension: str) -> str:
    """'digest-2026-11-01-2026-11-30.csv'."""
    return f"digest-{digest.start.isoformat()}-{digest.last_day.isoformat()}.{extension}"


def files_row(start: datetime, end: datetime, timezone: str, language: str) -> Outgoing:
    """An outbox row that sends the picture and the CSV of the digest of [start, end): stored
    with the digest's lines, so the files come after a crash too (computed again then)."""
    period = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "timezone": timezone,
        "language": language,
    }
    return Outgoing(op=FILES_OP, text=json.dumps(period))


async def send_files_row(application: Application, item: Outgoing) -> None:
    """Send the files an outbox row of FILES_OP names (the outbox calls this)."""
    period = json.loads(item.text or "{}")
    svc = services_of(application)
    start, end = (datetime.fromisoformat(period[key]) for key in ("start", "end"))
    digest = await digest_for(svc.repo, start, end, svc.clock(), period["timezone"])
    await send_digest_files(application.bot, svc.drawing, item.chat_id, digest, period["language"])


async def send_digest_files(
    bot: Bot, drawing: Drawing, chat_id: int, digest: OrgDigest, language: str
) -> None:
    """The picture, then the CSV. A picture that cannot be drawn or sent is logged and left
    out: the CSV and the lines still come."""
    name = file_name(digest, "png")
    await send_picture(bot, drawing, digest_png, digest, language, chat_id=chat_id, filename=name)
    await bot.send_document(
        chat_id, InputFile(digest_csv(digest), filename=file_name(digest, "csv"))
    )
