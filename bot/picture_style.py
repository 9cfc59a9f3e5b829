"""What every picture the bot draws shares (`/report`, `/digest`): fonts, Arabic, the figure.

Drawn with matplotlib's object API on the Agg backend (no pyplot, no display, no global figure
state). Since 3.11 matplotlib lays text out with libraqm (HarfBuzz shaping, FriBiDi ordering),
so Arabic is joined and runs right to left as it is, given a font with its glyphs: Noto Sans
Arabic, bundled in bot/fonts/ with its licence (OFL); DejaVu Sans (matplotlib's) has none.
matplotlib is imported on the first picture, not when the bot starts. Pictures are drawn in a
worker process (bot/drawing.py); a lock keeps matplotlib's font caches to one thread at a time
wherever else they are drawn (tests, benchmarks).
"""

from __future__ import annotations

import io
import threading
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansArabic.ttf"
# Portrait, 960 × 1200 pixels: Telegram shows a photo up to 1280 pixels on its long side, and a
# phone screen fits a portrait picture whole.
WIDTH, HEIGHT, DPI = 8, 10, 120
SIZE = (WIDTH * DPI, HEIGHT * DPI)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"))
drawing = threading.Lock()


@cache
def arabic_font() -> str:
    """Register the bundled Arabic font with matplotlib; its family name ("Noto Sans Arabic").
    matplotlib writes its font cache (under ~/.cache/matplotlib) on first use."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=FONT_FILE).get_name()


def shaped(text: str) -> str:
    """Text as matplotlib draws it: without the bidi controls that isolate names in messages
    (raqm orders the text itself; the controls would show as boxes)."""
    return text.translate(BIDI_CONTROLS)


def is_rtl(language: str) -> bool:
    """Whether the language runs right to left."""
    return language == "ar"


def new_figure(language: str) -> Figure:
    """An empty portrait figure on the Agg canvas, laid out for the language."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    if is_rtl(language):  # constrained layout measures shaped Arabic a little short on the right
        figure.get_layout_engine().set(rect=(0, 0, 0.97, 1))
    FigureCanvasAgg(figure)
    return figure


def style(language: str) -> AbstractContextManager:
    """The pictures' text and axes style in this language (Arabic: its font, one weight)."""
    from matplotlib import rc_context

    rtl = is_rtl(language)
    return rc_context(
        {
            "font.family": [arabic_font(), "DejaVu Sans"] if rtl else ["DejaVu Sans"],
            "font.size": 14,
            "axes.titlesize": 16,
            "axes.titleweight": title_weight(language),
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def title_weight(language: str) -> str:
    """Bold titles, but the Arabic font has one weight."""
    return "normal" if is_rtl(language) else "bold"


def right_to_left(ax) -> None:
    """A panel read right to left: its x axis runs leftwards, its value axis on the right
    (after any x limits are set: setting them again would turn the axis back)."""
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.spines["right"].set_visible(True)
    ax.spines["left"].set_visible(False)


def values_past_bars(ax, bars, rtl: bool, **options) -> None:
    """Each bar's value just past its end (call after the axis is inverted for right-to-left).
    matplotlib aligns the value of a zero-length bar as if the axis ran left to right, so
    right to left it would sit on the axis line: every value is aligned to end at its bar."""
    for label in ax.bar_label(bars, padding=4, **options):
        if rtl:
            label.set_horizontalalignment("right")


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes."""
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
