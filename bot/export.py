"""The learning log as files: Markdown to read, CSV (one row per action) for a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import template
from flows.log import LoggedAction, LoggedSession, shown_actions
from flows.models import ChatSet

CSV_COLUMNS = (
    "action_id",
    "session_id",
    "session_date",
    "exercise",
    "topic",
    "holder",
    "action",
    "success_sign",
    "help_needed",
    "committed_at",
    "due_at",
    "status",
    "outcome",
    "learning",
    "closed_at",
    "previous_action_id",
    "words_erased_at",
)


def export_name(chat_set: ChatSet, now: datetime, extension: str) -> str:
    """A file name like learning-log-set-a-2026-11-23.md (ASCII, safe everywhere)."""
    slug = re.sub(r"[^a-z0-9]+", "-", chat_set.title.lower()).strip("-") or "set"
    return f"learning-log-{slug[:40]}-{now:%Y-%m-%d}.{extension}"


WHEN_PATTERNS = {"ar": "d MMMM y، HH:mm"}  # the Arabic comma
COLONS = {"fr": "\u202f:"}  # French sets a (narrow, unbreakable) space before a colon


def _when(moment: datetime | None, timezone: str, language: str) -> str:
    """A moment in the set's zone for the Markdown file."""
    if moment is None:
        return "—"
    pattern = WHEN_PATTERNS.get(language, "d MMMM y, HH:mm")
    return format_datetime(moment.astimezone(ZoneInfo(timezone)), pattern, locale=language)


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|])")
# A spreadsheet evaluates a cell that starts with one of these (CSV formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _one_line(text: str | None) -> str:
    """User text on one Markdown line (line breaks would break the list), its Markdown
    control characters escaped so it reads as written and cannot link or format."""
    flat = " ".join((text or "").split())
    return MARKDOWN_SPECIALS.sub(r"\\\1", flat) or "—"


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_markdown(
    chat_set: ChatSet,
    sessions: list[LoggedSession],
    language: str,
    timezone: str,
    now: datetime,
) -> bytes:
    """The whole log as a Markdown document (UTF-8); carried-on actions sit under their session."""

    title = template(language, "export.md.title")
    exported = template(language, "export.md.exported")
    topic = template(language, "export.md.topic")
    questions = template(language, "export.md.questions")
    reframe = template(language, "export.md.reframe")
    action_label = template(language, "export.md.action")
    learnings = template(language, "export.md.learnings")
    a_member = template(language, "log.a_member")
    erased = template(language, "log.erased")
    colon = COLONS.get(language, ":")
    lines = [
        f"# {title}{colon} {_one_line(chat_set.title)}",
        "",
        f"{exported}{colon} {_when(now, timezone, language)} ({timezone})",
        "",
    ]
    for session in sessions:
        holder = session.holder_name or a_member
        shown_topic = erased if session.words_erased_at else _one_line(session.topic)
        lines += [
            f"## {_when(session.started_at, timezone, language)} · {session.exercise} · {holder}",
            "",
            f"- **{topic}**{colon} {shown_topic}",
            f"- **{questions}**{colon} {session.question_count}",
        ]
        if session.reframe:
            lines.append(f"- **{reframe}**{colon} {_one_line(session.reframe)}")
        for action in shown_actions(session.actions):
            lines.append(f"- **{action_label}**{colon} {_action_line(action, language)}")
        if session.learnings:
            lines.append(f"- **{learnings}**{colon}")
            lines += [f"  - {_one_line(text)}" for text in session.learnings]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def _action_line(action: LoggedAction, language: str) -> str:
    """An action with its outcome and what was learned."""
    erased = action.words_erased_at is not None
    parts = [template(language, "log.erased") if erased else _one_line(action.text)]
    if action.outcome:
        parts.append(f"({template(language, f'follow_up.outcome.{action.outcome.value}')})")
    if action.learning:
        parts.append(f"— {_one_line(action.learning)}")
    return " ".join(parts)


def export_csv(sessions: list[LoggedSession], actions: list[LoggedAction]) -> bytes:
    """One row per action, UTF-8 with a byte-order mark so spreadsheets read Arabic right."""
    by_id = {s.id: s for s in sessions}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        session = by_id.get(action.session_id) if action.session_id else None
        writer.writerow(
            _cell(value)
            for value in (
                action.id,
                action.session_id or "",
                _iso(session.started_at) if session else "",
                session.exercise if session else "",
                session.topic or "" if session and not session.words_erased_at else "",
                action.holder_name,
                action.text,
                action.success_sign or "",
                action.help_needed or "",
                _iso(action.created_at),
                _iso(action.due_at),
                action.status,
                action.outcome.value if action.outcome else "",
                action.learning or "",
                _iso(action.closed_at),
                action.previous_id or "",
                _iso(action.words_erased_at),
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _iso(moment: datetime | None) -> str:
    """A UTC time for the CSV."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""
