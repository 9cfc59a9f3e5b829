"""The learning log as files: Markdown to read; for a spreadsheet, a CSV with one row per action
and a CSV with one row per thing said (question, idea, statement, insight, learning line)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.i18n import template
from bot.log_detail import step_title_text
from flows.exercises import builtin_exercises
from flows.log import (
    FORGOTTEN_NAME,
    LoggedAction,
    LoggedSession,
    by_step,
    shown_actions,
    voice_length,
)
from flows.models import ChatSet
from flows.text import said_or_heard

CSV_COLUMNS = (
    "set_id",
    "session_id",
    "action_id",
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
CONTRIBUTION_COLUMNS = (
    "set_id",
    "session_id",
    "session_date",
    "exercise",
    "step",
    "step_id",
    "kind",
    "author",
    "text",
    "flag",
    "said_at",
    "voice_seconds",
)


def export_name(chat_set: ChatSet, now: datetime, extension: str, part: str | None = None) -> str:
    """A file name like learning-log-set-a-2026-11-23.md, or with a part,
    learning-log-set-a-contributions-2026-11-23.csv (ASCII, safe everywhere)."""
    slug = re.sub(r"[^a-z0-9]+", "-", chat_set.title.lower()).strip("-") or "set"
    named = f"{slug[:40]}-{part}" if part else slug[:40]
    return f"learning-log-{named}-{now:%Y-%m-%d}.{extension}"


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
    scored = template(language, "export.md.score")
    action_label = template(language, "export.md.action")
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
        if session.score:
            lines.append(f"- **{scored}**{colon} {session.score}/10 (n = {session.score_count})")
        for action in shown_actions(session.actions):
            lines.append(f"- **{action_label}**{colon} {_action_line(action, language)}")
        lines.append("")
        lines += _said_sections(session, language, a_member, colon)
    return "\n".join(lines).encode("utf-8")


def _said_sections(session: LoggedSession, language: str, a_member: str, colon: str) -> list[str]:
    """What was asked and said in a session, one section per step, each line with its author
    and any flag the questions-only guard gave it."""
    lines = []
    for index, said in by_step(session.contributions):
        lines += [f"### {_one_line(step_title_text(session, index, language))}", ""]
        for contribution in said:
            who = _one_line(contribution.author or a_member)
            line = f"- {who}{colon} {_one_line(contribution.text)}"
            if contribution.voice_seconds is not None:
                length = voice_length(contribution.voice_seconds)
                line = "- " + template(language, "log.voice").format(length=length, who=who)
            if contribution.flagged is not None:
                flag = template(language, f"log.flag.{contribution.flagged.value}")
                line += f" *(⚑ {_one_line(flag)})*"
            lines.append(line)
            for answer in contribution.answers:  # the holder's answers, under their question
                answered_by = _one_line(answer.author or a_member)
                words = said_or_heard(answer.text, answer.voice_seconds)
                lines.append(f"  - ↳ {answered_by}{colon} {_one_line(words)}")
        lines.append("")
    return lines


def _action_line(action: LoggedAction, language: str) -> str:
    """An action with its outcome and what was learned."""
    erased = action.words_erased_at is not None
    parts = [template(language, "log.erased") if erased else _one_line(action.text)]
    if action.outcome:
        parts.append(f"({template(language, f'follow_up.outcome.{action.outcome.value}')})")
    if action.learning:
        parts.append(f"— {_one_line(action.learning)}")
    return " ".join(parts)


def export_csv(set_id: str, sessions: list[LoggedSession], actions: list[LoggedAction]) -> bytes:
    """One row per action (UTF-8 with a BOM)."""
    by_id = {s.id: s for s in sessions}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        session = by_id.get(action.session_id) if action.session_id else None
        writer.writerow(
            _cell(value)
            for value in (
                set_id,
                action.session_id or "",
                action.id,
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
    return spreadsheet_bytes(out)


def export_contributions_csv(set_id: str, sessions: list[LoggedSession]) -> bytes:
    """One row per thing said in a session, in session and step order (UTF-8 with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CONTRIBUTION_COLUMNS)
    for session in sessions:
        exercise = builtin_exercises().get(session.exercise)
        for contribution in session.contributions:
            index = contribution.step_index
            step_id = exercise.step(index).id if exercise and index < len(exercise.steps) else ""
            writer.writerow(
                _cell(value)
                for value in (
                    set_id,
                    session.id,
                    _iso(session.started_at),
                    session.exercise,
                    index + 1,
                    step_id,
                    contribution.kind,
                    contribution.author or FORGOTTEN_NAME,
                    contribution.text,
                    contribution.flagged.value if contribution.flagged else "",
                    _iso(contribution.created_at),
                    contribution.voice_seconds or "",
                )
            )
    return spreadsheet_bytes(out)


def spreadsheet_bytes(out: io.StringIO) -> bytes:
    """A CSV as UTF-8 with a byte-order mark, so spreadsheet programs read Arabic right."""
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _iso(moment: datetime | None) -> str:
    """A UTC time for the CSV."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""
