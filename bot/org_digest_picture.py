"""The organisation digest's picture (`/digest`): one row per set, readable on a phone, in the
staff member's language.

Two panels side by side, sharing the rows: meetings held in the period (bars) against the
set's goal (a tick), and the share of closed actions completed. The sets most in need of
attention come first (quiet ones in red, marked); past ROWS rows the rest are one row, so a
thousand sets still make one readable picture (every set is in the CSV). Rows are named by the
first characters of the set's export id: no titles, no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_date

from bot import picture_style as pictures
from bot.render import plain
from flows.org_digest import DigestRow, OrgDigest, pooled
from flows.text import Msg, msg

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROWS = 15  # rows drawn at most; the rest are one row
ID_CHARS = 6  # characters of a set's export id shown
QUIET, ACTIVE, POOL = "#c62828", "#5c6bc0", "#9e9e9e"


@dataclass(frozen=True)
class Labels:
    """Every word of the picture, in the staff member's language, ready to draw."""

    title: str
    summary: str
    meetings: str
    completion: str
    rows: tuple[str, ...]
    held: tuple[str, ...]  # each row's meetings: a count, or per set for pooled rows


def shown_rows(digest: OrgDigest) -> tuple[DigestRow, ...]:
    """The rows drawn: the first ROWS - 1 and the rest as one, or all when they fit."""
    if len(digest.rows) <= ROWS:
        return digest.rows
    return (*digest.rows[: ROWS - 1], pooled("", digest.rows[ROWS - 1 :]))


def period_words(digest: OrgDigest, language: str) -> str:
    """'1 Nov – 30 Nov 2026': the period's first and last day."""
    first = format_date(digest.start, "d MMM", locale=language)
    return f"{first} – {format_date(digest.last_day, 'd MMM y', locale=language)}"


def row_label(row: DigestRow, language: str) -> Msg | str:
    """A row's name: the set's id, "small sets: n" or "n other sets"; quiet ones marked."""
    if row.set_id == "":
        return msg("org_digest.picture.others", sets=row.sets)
    if row.set_id is None:
        return msg("org_digest.picture.small", sets=row.sets)
    name = f"#{row.set_id[:ID_CHARS]}"
    return msg("org_digest.picture.quiet", name=name) if row.quiet else name


def held_label(row: DigestRow) -> Msg | str:
    """'3', or '2.4 per set' for pooled rows."""
    if row.set_id:
        return str(row.held)
    return msg("org_digest.picture.per_set", mean=f"{per_set(row, row.held):.1f}")


def labels(digest: OrgDigest, language: str) -> Labels:
    """The picture's words."""

    def text(message: Msg | str) -> str:
        return pictures.shaped(
            message if isinstance(message, str) else plain(message, language, limit=400)
        )

    total = digest.total
    return Labels(
        title=text(msg("org_digest.picture.title", period=period_words(digest, language))),
        summary=text(
            msg(
                "org_digest.picture.summary",
                sets=total.sets,
                met=total.goal_met,
                with_goal=total.with_goal,
                quiet=total.quiet,
            )
        ),
        meetings=text(msg("org_digest.picture.meetings")),
        completion=text(msg("org_digest.picture.completion")),
        rows=tuple(text(row_label(row, language)) for row in shown_rows(digest)),
        held=tuple(text(held_label(row)) for row in shown_rows(digest)),
    )


def colour(row: DigestRow) -> str:
    """Red for a quiet set, grey for pooled rows, blue otherwise."""
    if row.set_id and row.quiet:
        return QUIET
    return ACTIVE if row.set_id else POOL


def digest_figure(digest: OrgDigest, language: str) -> Figure:
    """The picture as a matplotlib Figure. Right to left: the meetings panel on the right, bars
    growing leftwards, the rows' names on the right."""
    words = labels(digest, language)
    rtl = pictures.is_rtl(language)
    rows = shown_rows(digest)
    figure = pictures.new_figure(language)
    with pictures.style(language):
        figure.suptitle(words.title, fontsize=18, fontweight=pictures.title_weight(language))
        panels = figure.subplots(1, 2, width_ratios=(1, 1.3) if rtl else (1.3, 1))
        meetings, completion = panels[::-1] if rtl else panels
        positions = list(range(len(rows)))
        _meetings(meetings, rows, positions, words, rtl)
        _completion(completion, rows, positions, words, rtl)
        for ax in panels:
            ax.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top
        meetings.set_yticks(positions, words.rows)  # the rows' names beside the meetings
        meetings.tick_params(axis="y", length=0)
        for tick, row in zip(meetings.yaxis.get_major_ticks(), rows, strict=True):
            for label in (tick.label1, tick.label2):
                label.set_color(colour(row) if row.quiet and row.set_id else "black")
        summary = figure.supxlabel(
            words.summary, x=0.98 if rtl else 0.02, ha="right" if rtl else "left", fontsize=14
        )
        summary.set_gid("summary")
    return figure


def per_set(row: DigestRow, value: int | None, sets: int | None = None) -> float | None:
    """A pooled row's figure per set (so it fits the scale of single sets), else the figure."""
    if value is None or row.set_id:
        return value
    return value / max(row.sets if sets is None else sets, 1)


def _meetings(ax, rows, positions, words: Labels, rtl: bool) -> None:
    ax.set_gid("meetings")
    held = [per_set(row, row.held) for row in rows]
    bars = ax.barh(positions, held, color=[colour(row) for row in rows], gid="held")
    targets = [per_set(row, row.target, row.with_goal) for row in rows]
    goals = [(p, target) for p, target in zip(positions, targets, strict=True) if target]
    top = max([*held, *(target for _, target in goals), 1])
    ax.set_xlim(0, top * 1.3)
    if rtl:
        pictures.right_to_left(ax)
    if goals:
        ax.scatter(
            [target for _, target in goals],
            [p for p, _ in goals],
            marker="|",
            s=500,
            linewidths=3,
            color="black",
            zorder=3,
            gid="goal",
        )
    pictures.values_past_bars(ax, bars, rtl, labels=words.held, fontsize=13)
    ax.set_title(words.meetings, loc="right" if rtl else "left", fontsize=14)
    ax.xaxis.set_visible(False)


def _completion(ax, rows, positions, words: Labels, rtl: bool) -> None:
    ax.set_gid("completion")
    rates = [row.completion_rate for row in rows]
    bars = ax.barh(
        positions,
        [100 * rate if rate is not None else 0 for rate in rates],
        color="#2e7d32",
        gid="completion",
    )
    ax.set_xlim(0, 130)
    if rtl:
        pictures.right_to_left(ax)
    labels = [f"{100 * rate:.0f}%" if rate is not None else "—" for rate in rates]
    pictures.values_past_bars(ax, bars, rtl, labels=labels, fontsize=13)
    ax.set_title(words.completion, loc="right" if rtl else "left", fontsize=14)
    ax.xaxis.set_visible(False)
    ax.set_yticks([])


def digest_png(digest: OrgDigest, language: str) -> bytes:
    """The picture as PNG bytes (CPU work: bot/drawing.py runs it in the drawing process)."""
    with pictures.drawing:
        return pictures.png(digest_figure(digest, language))
