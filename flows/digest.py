"""What an async step's digest says: the ended step in one message, for whoever was away."""

from __future__ import annotations

from dataclasses import dataclass

from flows.exercises import Exercise, Records
from flows.text import Mention, Msg, msg, voice_length

VOICE = "voice"
DIGEST_QUESTION_CHARS = 200  # a question is cut here in the digest; the log keeps it whole
# Kinds counted, not quoted: reframing statements stay private until their reveal.
COUNTED = ("answer", "comment", "idea", "reframe", "insight", "learning")


@dataclass(frozen=True, slots=True, kw_only=True)
class Said:
    """One contribution of a step, as the digest and the reminder need it."""

    kind: str
    user_id: int | None
    name: str | None  # None: no member record names them (after /forget)
    text: str = ""
    voice_seconds: int | None = None


def _who(item: Said) -> Mention | Msg:
    return Mention(name=item.name) if item.name else msg("log.a_member")


def _cut(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) <= DIGEST_QUESTION_CHARS:
        return one_line
    return one_line[: DIGEST_QUESTION_CHARS - 1].rstrip() + "…"


def digest(exercise: Exercise, step_index: int, said: tuple[Said, ...]) -> Msg:
    """The ended step: its questions numbered with who asked, voice notes by length and
    author, and how many answers, comments and other contributions (their words stay in
    the log)."""
    title = exercise.step(step_index).title
    lines: list[Msg] = []
    questions = [item for item in said if item.kind == Records.QUESTION.value and item.text]
    for number, item in enumerate(questions, 1):
        lines.append(msg("digest.question", number=number, text=_cut(item.text), who=_who(item)))
    for item in said:
        if item.kind == VOICE and item.voice_seconds is not None:
            lines.append(msg("log.voice", length=voice_length(item.voice_seconds), who=_who(item)))
    for kind in COUNTED:
        count = sum(1 for item in said if item.kind == kind and (item.text or kind == "reframe"))
        if count:
            lines.append(msg(f"digest.count.{kind}", count=count))
    if not lines:
        lines.append(msg("digest.nothing"))
    return msg("digest.lines", number=step_index + 1, title=title, lines=tuple(lines))
