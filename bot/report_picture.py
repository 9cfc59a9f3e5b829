"""The report's picture (`/report`): one PNG readable on a phone, in the set's language.

Fonts, Arabic shaping and the figure come from bot/picture_style.py; drawing is CPU work of
about 0.2 s, done in the drawing process (bot/drawing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_date

from bot.picture_style import (
    drawing,
    is_rtl,
    new_figure,
    png,
    right_to_left,
    shaped,
    style,
    title_weight,
    values_past_bars,
)
from bot.render import plain
from flows.report import Figures
from flows.text import Msg, msg

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = {
    "done": "#2e7d32",
    "partly": "#7cb342",
    "not_yet": "#f9a825",
    "dropped": "#9e9e9e",
    "open": "#1e88e5",
}
OUTCOME_LABELS = {
    "done": msg("report.outcome.done"),
    "partly": msg("report.outcome.partly"),
    "not_yet": msg("report.outcome.not_yet"),
    "dropped": msg("report.outcome.dropped"),
    "open": msg("report.outcome.open"),
}


def days(value: float | None) -> str:
    """Days as the report writes them: '14', '3.5', or '—' when there are none."""
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


@dataclass(frozen=True)
class Labels:
    """Every word of the picture, in the set's language, ready to draw."""

    title: str
    meetings: str
    actions: str
    continued: str
    scores: str
    no_scores: str
    goal: str
    months: tuple[str, ...]
    outcomes: tuple[str, ...]


def labels(figures: Figures, language: str) -> Labels:
    """The picture's words for these figures."""

    def text(message: Msg) -> str:
        return shaped(plain(message, language, limit=400))

    return Labels(
        title=text(msg("report.picture.title", months=len(figures.months))),
        meetings=text(msg("report.picture.meetings")),
        actions=text(msg("report.picture.actions")),
        continued=text(
            msg(
                "report.picture.continued",
                carried=figures.carried,
                changed=figures.changed,
                days=days(figures.median_days),
            )
        ),
        scores=text(msg("report.picture.scores")),
        no_scores=text(msg("report.picture.no_scores")),
        goal=text(msg("report.picture.goal")),
        months=tuple(shaped(format_date(m, "LLL", locale=language)) for m in figures.months),
        outcomes=tuple(text(OUTCOME_LABELS[name]) for name, _ in figures.outcomes),
    )


def report_figure(figures: Figures, language: str) -> Figure:
    """The picture as a matplotlib Figure: meetings per month (bars; the goal as a dashed line
    when there is one), actions by outcome (bars), the sessions' scores (a line). Right-to-left
    languages run time from right to left and put the axes' numbers on the right."""
    words = labels(figures, language)
    rtl = is_rtl(language)
    figure = new_figure(language)
    with style(language):
        figure.suptitle(words.title, fontsize=20, fontweight=title_weight(language))
        meetings, actions, scores = figure.subplots(3, 1, height_ratios=(1, 0.9, 1))
        _meetings(meetings, figures, words, rtl)
        _actions(actions, figures, words, rtl)
        _scores(scores, figures, words, rtl)
    return figure


def _meetings(ax, figures: Figures, words: Labels, rtl: bool) -> None:
    ax.set_gid("meetings")
    positions = range(len(figures.months))
    ax.bar(positions, figures.meetings, color="#5c6bc0", gid="meetings")
    ax.set_xticks(list(positions), words.months, rotation=45 if len(positions) > 6 else 0)
    ax.set_title(words.meetings, loc="right" if rtl else "left")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(0, max(max(figures.meetings, default=0), figures.goal or 0, 1) * 1.2)
    if figures.goal is not None:  # the hook for a set's goal of meetings per month
        ax.axhline(figures.goal, linestyle="--", color="#c62828", gid="goal", label=words.goal)
        ax.legend(loc="upper right" if not rtl else "upper left", frameon=False)
    if rtl:
        right_to_left(ax)


def _actions(ax, figures: Figures, words: Labels, rtl: bool) -> None:
    ax.set_gid("actions")
    counts = [count for _, count in figures.outcomes]
    colours = [COLOURS[name] for name, _ in figures.outcomes]
    positions = range(len(counts))
    bars = ax.barh(positions, counts, color=colours, gid="actions")
    ax.set_xlim(0, max(max(counts, default=0), 1) * 1.25)
    if rtl:
        right_to_left(ax)
    values_past_bars(ax, bars, rtl, fontsize=14)
    ax.set_yticks(list(positions), words.outcomes)
    ax.invert_yaxis()  # done first, open last
    ax.xaxis.set_visible(False)
    ax.set_title(words.actions, loc="right" if rtl else "left")
    ax.text(
        1.0 if rtl else 0.0,
        -0.12,
        words.continued,
        transform=ax.transAxes,
        ha="right" if rtl else "left",
        va="top",
        fontsize=14,
        wrap=True,  # within the picture, at a word: French and Arabic run longer
        gid="continued",
    )


def _scores(ax, figures: Figures, words: Labels, rtl: bool) -> None:
    ax.set_gid("scores")
    ax.set_title(words.scores, loc="right" if rtl else "left")
    ax.set_ylim(0.5, 10.5)
    ax.set_yticks([1, 4, 7, 10])
    ax.grid(axis="y", alpha=0.3)
    if figures.scores:
        moments = [day for day, _ in figures.scores]
        ax.plot(
            moments,
            [score for _, score in figures.scores],
            marker="o",
            linewidth=2.5,
            markersize=8,
            color="#00897b",
            gid="scores",
        )
        first = figures.months[0]
        ax.set_xlim(first, max(moments[-1], figures.months[-1]).replace(day=28))
        ax.set_xticks(
            list(figures.months), words.months, rotation=45 if len(figures.months) > 6 else 0
        )
    else:
        ax.set_xticks([])
        ax.text(0.5, 0.5, words.no_scores, transform=ax.transAxes, ha="center", va="center")
    if rtl:
        right_to_left(ax)


def report_png(figures: Figures, language: str) -> bytes:
    """The picture as PNG bytes (CPU work: bot/drawing.py runs it in the drawing process)."""
    with drawing:
        return png(report_figure(figures, language))
