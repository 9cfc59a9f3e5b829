"""What an async step's digest says: the ended step in one message, for whoever was away."""

from __future__ import annotations

from dataclasses import dataclass

from flows.exercises import Exercise, Records, Speaker
from flows.text import Mention, Msg, msg, said_or_heard, voice_length

VOICE = "voice"
DIGEST_QUESTION_CHARS = 200  # a question is cut here in the digest; the log keeps it whole
HOLDER_WORDS_CHARS = 600  # the holder's words in their own steps: what the others came for
# Kinds quoted in a line each, with who said them (cut like questions), so whoever was away
# catches up from the digest alone.
QUOTED = ("answer", "comment", "idea", "insight", "learning")
# Kinds counted, not quoted: reframing statements stay private until their reveal.
COUNTED = ("reframe",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Said:
    """One contribution of a step, as the digest and the reminder need it."""

    kind: str
    user_id: int | None
    name: str | None  # None: no member record names them (after /forget)
    text: str = ""
    voice_seconds: int | None = None
    answers_question: bool = False  # an answer linked to a question: shown as "✅ Qn answered"


@dataclass(frozen=True, slots=True, kw_only=True)
class Answered:
    """The holder's answer to a numbered question, not yet shown in a digest."""

    step_index: int  # the question's step
    number: int  # the question's number in its step (as that step's digest showed it)
    text: str
    voice_seconds: int | None = None  # a voice note in reply to the question


def _who(item: Said) -> Mention | Msg:
    return Mention(name=item.name) if item.name else msg("log.a_member")


def _cut(text: str, limit: int = DIGEST_QUESTION_CHARS) -> str:
    one_line = " ".join(text.split())
    if len(one_line) <= limit:
        return one_line
    return one_line[: limit - 1].rstrip() + "…"


def digest(
    exercise: Exercise,
    step_index: int,
    said: tuple[Said, ...],
    answered: tuple[Answered, ...] = (),
    *,
    revealed: bool = False,
) -> Msg:
    """The ended step: its questions numbered with who asked, the holder's answers since the
    last digest (to questions of any step), the other contributions quoted with who said them,
    voice notes by length and author, and how many reframing statements await their reveal
    (once revealed, they are quoted too).

    A step's questions are numbered in the order asked, every one counted, so a question's
    number is its rank among its step's questions (storage finds it the same way).
    """
    step = exercise.step(step_index)
    title = step.title
    lines: list[Msg] = []
    # The holder's own steps (the challenge, what was valuable, the action): their words, quoted.
    quoted = step.records.value if step.speaker is Speaker.HOLDER else None
    for item in said:
        if item.kind == quoted and item.text:
            text = _cut(item.text, HOLDER_WORDS_CHARS)
            lines.append(msg("digest.holder_said", who=_who(item), text=text))
    questions = [item for item in said if item.kind == Records.QUESTION.value]
    for number, item in enumerate(questions, 1):
        if item.text:
            text = _cut(item.text)
            lines.append(msg("digest.question", number=number, text=text, who=_who(item)))
    lines += _answered_lines(step_index, answered)
    shown = (*QUOTED, *COUNTED) if revealed else QUOTED
    for item in said:
        if item.kind in shown and item.kind != quoted and item.text and not item.answers_question:
            text = _cut(item.text)
            lines.append(msg(f"digest.said.{item.kind}", text=text, who=_who(item)))
        elif item.kind == VOICE and item.voice_seconds is not None and not item.answers_question:
            lines.append(msg("log.voice", length=voice_length(item.voice_seconds), who=_who(item)))
    for kind in () if revealed else COUNTED:
        if kind == quoted:  # the holder's own reframing, quoted above
            continue
        count = sum(1 for item in said if item.kind == kind)
        if count:
            lines.append(msg(f"digest.count.{kind}", count=count))
    if not lines:
        lines.append(msg("digest.nothing"))
    return msg("digest.lines", number=step_index + 1, title=title, lines=tuple(lines))


def _answered_lines(step_index: int, answered: tuple[Answered, ...]) -> list[Msg]:
    """One line per answered question, in question order; a question's answers joined. A
    question of an earlier step names its step (its number is that step's)."""
    texts: dict[tuple[int, int], list[str]] = {}
    for answer in answered:
        said = said_or_heard(answer.text, answer.voice_seconds)
        texts.setdefault((answer.step_index, answer.number), []).append(said)
    lines = []
    for (step, number), said in texts.items():
        text = _cut(" / ".join(said))
        if step == step_index:
            lines.append(msg("digest.answered", number=number, text=text))
        else:
            lines.append(msg("digest.answered_in_step", step=step + 1, number=number, text=text))
    return lines
