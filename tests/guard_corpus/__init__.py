"""The guard's labelled corpus: genuine questions and disguised advice, scored per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.guard import check_question

HERE = Path(__file__).parent
PARTS = ("tuning", "held_aside")
LANGUAGES = ("en", "fr", "ar")
FAIR_CLASSES = frozenset({"fair", "fair_modal"})
NUDGE_CLASSES = frozenset({"negative_modal", "suggestion", "stacked", "advice"})


@dataclass(frozen=True)
class Line:
    """One labelled message: its class and text (a literal \\n in the file is a line break)."""

    cls: str
    text: str

    @property
    def needs_nudge(self) -> bool:
        """Whether a coach would nudge this message."""
        return self.cls in NUDGE_CLASSES


@dataclass(frozen=True)
class Score:
    """How the guard did on one part of one language."""

    lines: int
    true_nudges: int
    false_nudges: tuple[Line, ...]
    missed: tuple[Line, ...]

    @property
    def precision(self) -> float:
        """Share of the guard's nudges that a coach would give."""
        given = self.true_nudges + len(self.false_nudges)
        return self.true_nudges / given if given else 1.0

    @property
    def recall(self) -> float:
        """Share of the messages needing a nudge that got one."""
        needed = self.true_nudges + len(self.missed)
        return self.true_nudges / needed if needed else 1.0


def load(part: str, language: str) -> list[Line]:
    """The labelled lines of one part and language."""
    lines = []
    for raw in (HERE / part / f"{language}.tsv").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cls, text = raw.split("\t")
        if cls not in FAIR_CLASSES | NUDGE_CLASSES:
            raise ValueError(f"{part}/{language}.tsv: unknown class {cls!r}")
        lines.append(Line(cls, text.replace("\\n", "\n")))
    return lines


def score(lines: list[Line]) -> Score:
    """Run the guard on every line and count its hits and errors."""
    true_nudges, false_nudges, missed = 0, [], []
    for line in lines:
        nudged = check_question(line.text) is not None
        if nudged and line.needs_nudge:
            true_nudges += 1
        elif nudged:
            false_nudges.append(line)
        elif line.needs_nudge:
            missed.append(line)
    return Score(len(lines), true_nudges, tuple(false_nudges), tuple(missed))
