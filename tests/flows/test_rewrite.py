"""Tests for flows.rewrite and flows.nudge: open questions from the member's own words."""

import pytest

from flows.exercises import Localized, builtin_exercises
from flows.guard import GuardReason
from flows.nudge import nudge, step_stem
from flows.rewrite import open_rewrite
from flows.text import InLanguage, Mention, Msg

CLASSIC = builtin_exercises()["classic"]
CLARIFY = CLASSIC.steps[1]
PERSON = Mention(name="Ben", user_id=3)

REWRITES = [
    # (advice, language of the words, key, who)
    ("Have you tried calling them weekly?", "en", "rewrite.tried_with", "them"),
    ("Couldn't you ask the nurses to cover the weekend?", "en", "rewrite.role", "the nurses"),
    ("Have you talked to your manager about it?", "en", "rewrite.tried_with", "your manager"),
    ("Shouldn't HR own this?", "en", "rewrite.role", "HR"),
    ("Couldn't the drivers leave earlier?", "en", "rewrite.role", "the drivers"),
    ("Can't you hand it to the clerk?", "en", "rewrite.role", "the clerk"),
    ("cant you just tell them no", "en", "rewrite.role", "they"),
    ("Have you tried a rota?", "en", "rewrite.tried", None),
    ("Avez-vous essayé de les appeler chaque semaine ?", "fr", "rewrite.tried_with", "eux"),
    ("Tu ne pourrais pas demander aux infirmières ?", "fr", "rewrite.role", "les infirmières"),
    ("Ne pourriez-vous pas confier ça au secrétaire ?", "fr", "rewrite.role", "le secrétaire"),
    ("Le service régional ne pourrait-il pas payer ?", "fr", "rewrite.role", "le service régional"),
    ("Est-ce que tu en as parlé à ton chef ?", "fr", "rewrite.tried_with", "ton chef"),
    ("As-tu essayé un roulement ?", "fr", "rewrite.tried", None),
    ("ألا يمكنك أن تعطيها للكاتب؟", "ar", "rewrite.role", "الكاتب"),
    ("ليش ما تحكي مع رئيس البلدية؟", "ar", "rewrite.role", "رئيس البلدية"),
    ("ألا يمكن للسائقين أن يغادروا أبكر؟", "ar", "rewrite.role", "السائقين"),
    ("هل جربت التحدث مع المدير؟", "ar", "rewrite.tried_with", "المدير"),
    ("هل جربت الاتصال بهم أسبوعيا؟", "ar", "rewrite.tried", None),
]


@pytest.mark.parametrize(("text", "language", "key", "who"), REWRITES)
def test_an_open_question_is_built_from_the_members_words(text, language, key, who):
    rewrite = open_rewrite(text)
    assert rewrite is not None
    assert (rewrite.language, rewrite.question.key) == (language, key)
    assert rewrite.question.params.get("who") == who


@pytest.mark.parametrize(
    "text",
    [
        "Wouldn't a rota fix it?",  # a thing, not a person: the step's stem fits better
        "Isn't the answer simply more staff?",
        "What about moving the meeting to the morning?",
        "Que diriez-vous d'un point chaque matin ?",
        "ما رأيك بتغيير موعد الاجتماع للصباح؟",
        "أليست هذه مشكلة قيادة بالأساس؟",
        "",
    ],
)
def test_no_rewrite_where_the_form_does_not_allow_one(text):
    assert open_rewrite(text) is None


def test_advice_gets_the_rewrite_in_its_language_else_the_steps_stem():
    message = nudge(GuardReason.ADVICE, "Have you tried calling them weekly?", CLARIFY, PERSON)
    assert message.key == "nudge.advice"
    example = message.params["example"]
    assert isinstance(example, InLanguage) and example.language == "en"
    assert example.text.key == "rewrite.tried_with"
    assert example.otherwise == step_stem(CLARIFY)


def test_a_statement_gets_the_steps_stem_and_other_reasons_no_example():
    message = nudge(GuardReason.NOT_A_QUESTION, "I had the same problem.", CLARIFY, PERSON)
    assert message.params["example"] == Localized(
        en="Who else is involved?", fr="Qui d’autre est concerné ?", ar="من المعنيّ أيضًا؟"
    )
    several = nudge(GuardReason.SEVERAL_QUESTIONS, "Who? Why?", CLARIFY, PERSON)
    assert "example" not in several.params


def test_a_step_without_a_question_stem_falls_back_to_the_catalogs_example():
    present = CLASSIC.steps[0].model_copy(update={"stems": CLASSIC.steps[3].stems})
    assert step_stem(present) is None
    message = nudge(GuardReason.ADVICE, "You should rest.", present, PERSON)
    assert message.params["example"] == Msg(key="nudge.example.advice")
