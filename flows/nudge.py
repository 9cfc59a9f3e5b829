"""The nudge a member gets when the guard flags their message: why, and an open question to try."""

from __future__ import annotations

from flows.exercises import Localized, Step
from flows.guard import GuardReason
from flows.rewrite import open_rewrite
from flows.text import InLanguage, Mention, Msg, msg

QUESTION_MARKS = ("?", "؟")


def nudge(reason: GuardReason, text: str, step: Step, person: Mention) -> Msg:
    """The nudge for a flagged message. Advice gets an open question built from the member's
    own words where its form allows; advice and statements otherwise get the step's stem."""
    if reason not in (GuardReason.ADVICE, GuardReason.NOT_A_QUESTION):
        return msg(f"nudge.{reason.value}", person=person)
    example: object = step_stem(step) or msg(
        "nudge.example.advice" if reason is GuardReason.ADVICE else "nudge.example.not_a_question"
    )
    if reason is GuardReason.ADVICE and (rewrite := open_rewrite(text)):
        example = InLanguage(language=rewrite.language, text=rewrite.question, otherwise=example)
    return msg(f"nudge.{reason.value}", person=person, example=example)


def step_stem(step: Step) -> Localized | None:
    """The step's first question stem in each language ("Who else is involved?"), if any."""
    stems = {"en": step.stems.en, **(step.stems.model_extra or {})}
    first = {
        language: next((s for s in texts if s.rstrip().endswith(QUESTION_MARKS)), None)
        for language, texts in stems.items()
    }
    if not first["en"]:
        return None
    return Localized(**{language: stem for language, stem in first.items() if stem})
