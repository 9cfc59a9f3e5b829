"""The guard's grammar, form by form and language by language (issue 18's classes)."""

import pytest

from flows.guard import GuardReason, check_question

ADVICE = GuardReason.ADVICE
SEVERAL = GuardReason.SEVERAL_QUESTIONS

# A negation with a modal (or "be") put to the holder carries a proposal.
NEGATIVE_MODAL = {
    "en": [
        "Can't you hand it to the clerk?",
        "Couldn't the drivers leave earlier?",
        "Shouldn't HR own this?",
        "Wouldn't a rota fix it?",
        "Isn't the answer simply more staff?",
        "cant u just tell them no",
        "Could you not rotate the role?",
        "Won't the chiefs help if you ask?",
    ],
    "fr": [
        "Ne pourriez-vous pas confier ça au secrétaire ?",
        "N'est-il pas évident que le chef doit trancher ?",
        "Tu pourrais pas demander aux chauffeurs ?",
        "La pharmacie ne peut-elle pas commander plus tôt ?",
        "Ce serait pas mieux d'attendre ?",
        "on peut pas juste leur dire non",
        "C'est pas plutôt au superviseur de signer ?",
        "Et une rotation, ça marcherait pas ?",
    ],
    "ar": [
        "ألا يمكنك أن تعطي الملفات للسكرتيرة؟",
        "أليس الحل ببساطة المزيد من الموظفين؟",
        "أَلَا تَسْتَطِيعُ أَنْ تَطْلُبَ المُسَاعَدَة؟",
        "ألا ينبغي أن تتحدث مع المانح أولا؟",
        "اليس المدير هو المسؤول",
        "مش ممكن تطلب من الصيدلي يغطي؟",
        "ما بتقدر تخلي الفريق يقرر؟",
        "ألم تتحدث مع المشرف؟",
    ],
}

# A suggestion frame followed by a proposal (an activity, something new, or someone doing it).
SUGGESTION = {
    "en": [
        "How about a shared inbox?",
        "What about asking the midwives?",
        "How do you feel about delegating the counts?",
        "Surely the simplest thing is to ask them?",
        "What do you think of a rota?",
        "how about we draft it together",
        "Any chance the district could pay?",
    ],
    "fr": [
        "Que diriez-vous d'un point chaque matin ?",
        "Que diriez-vous de demander au chef ?",
        "Que penses-tu de déléguer le comptage ?",
        "Et si on déplaçait la réunion ?",
        "Ça vous dirait d'essayer un roulement ?",
        "Pourquoi pas une boîte à idées ?",
    ],
    "ar": [
        "ما رأيك في اجتماع أسبوعي؟",
        "ما رأيك أن تتصل بهم؟",
        "ما رأيك بتدوير المناوبات؟",
        "شو رأيك نعمل مجموعة واتساب؟",
        "ماذا لو طلبت سيارة ثانية؟",
        "بدك تجرب تحكي مع المدير؟",
    ],
}

# The same frames naming a topic, not a proposal: fair questions.
TOPIC_FRAMES = {
    "en": [
        "How about you?",
        "What about the weekends?",
        "How do you feel about the new manager?",
        "How do you feel about reporting to two managers?",
        "What do you think about the audit results?",
        "What if you fail?",
    ],
    "fr": [
        "Que diriez-vous de la situation ?",
        "Que penses-tu du nouveau chef ?",
        "Et si tu échoues ?",
        "Ce n'est pas trop lourd pour toi ?",
    ],
    "ar": [
        "ما رأي المدير؟",
        "ما رأيك في الوضع الحالي؟",
        "ما رأيك في أداء الفريق هذا الشهر؟",
        "ما رأيك في ما قاله المدير؟",
        "ماذا لو رفض الفريق؟",
        "أليس هذا مرهقا لك؟",
    ],
}

# Several questions in one message, with or without their marks.
STACKED = {
    "en": [
        "When did it start, who noticed, and what was done?",
        "who's involved and what do they want?",
        "what happened, when, and who was there",
        "Why now and why you?",
        "What do you need, and from whom?",
    ],
    "fr": [
        "Quand ça a commencé, qui l'a remarqué et qu'est-ce qui a été fait ?",
        "Qu'as-tu essayé et comment ça s'est passé ?",
        "qui a signé ça et quand",
        "De quoi as-tu besoin, et de qui ?",
    ],
    "ar": [
        "متى بدأت الشكاوى، ومن رفعها، وماذا حدث بعدها؟",
        "ماذا جربت وكيف كانت النتيجة؟",
        "مين وقّع عهالقرار وإمتى",
        "متى بدأ ذلك ومن المتأثر؟",
    ],
}

# One question, even with a comma or "and" inside.
SINGLE = {
    "en": [
        "How, in practice, would that work?",
        "When you say late, what do you mean?",
        "What do the nurses need from you, do you think?",
        "How about the staff, how do they see it?",
        "What do you know about what the donor wants?",
        "Thanks Sam, what did you try",
    ],
    "fr": [
        "Quand tu dis épuisée, qu'est-ce que tu observes ?",
        "Tu en penses quoi, toi ?",
        "Selon toi, que faudrait-il pour que ça marche ?",
    ],
    "ar": [
        "لما تقول إن الوضع صعب، شو بتقصد؟",
        "برأيك، ما الذي يجب أن يتغير؟",
        "وبعدين شو صار؟",
    ],
}

# A modal inside an open wh-question about the holder's own view is not advice.
OPEN_MODAL = {
    "en": [
        "who should be involved?",
        "What do you feel you must do first?",
        "What do you think you ought to ask for?",
        "Who could you lean on this month?",
        "when you say you must finish by friday, who set that deadline?",
        "Why can't the drivers leave earlier?",
    ],
    "fr": [
        "Qui devrait être impliqué ?",
        "Qu'est-ce que tu sens que tu dois dire à l'équipe ?",
        "Que faudrait-il pour que ça marche ?",
        "Par où faudrait-il commencer selon toi ?",
        "Pourquoi tu ne peux pas en parler ?",
        "Quand devrait avoir lieu le premier bilan ?",
    ],
    "ar": [
        "من يجب أن يشارك؟",
        "ما الذي تشعر أنه يجب عليك فعله أولا؟",
        "برأيك من يجب ان يكون معنيا",
        "مَن الذي يَجِبُ أن يُوافِقَ؟",
        "من لازم يوقع على التحويل؟",
        "لماذا لا تستطيع الحديث عن الموضوع؟",
    ],
}

# A perfect that names the step not yet taken, and the asker's own plan.
OTHER_ADVICE = {
    "en": [
        "Have you tried calling them weekly?",
        "Have you talked to your manager about it?",
        "I'd escalate it tbh",
        "Would you be willing to try a pilot?",
    ],
    "fr": [
        "Est-ce que tu en as parlé à ton chef ?",
        "Avez-vous regardé du côté du mobile money ?",
        "Moi, j'escaladerais franchement",
        "Seriez-vous prêt à tester un pilote ?",
    ],
    "ar": [
        "هل تحدثت مع مديرك في الموضوع؟",
        "حكيت مع مسؤول الصحة؟",
        "لو انا منك بعمل اجتماع مع الكل",
        "ممكن يكون مفيد تسأل النقابة؟",
    ],
}


def _table(forms: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(language, text) pairs, so a failure names its language."""
    return [(language, text) for language, texts in forms.items() for text in texts]


@pytest.mark.parametrize(("language", "text"), _table(NEGATIVE_MODAL))
def test_negative_modal_questions_are_advice(language: str, text: str) -> None:
    assert check_question(text) == ADVICE


@pytest.mark.parametrize(("language", "text"), _table(SUGGESTION))
def test_suggestion_frames_with_a_proposal_are_advice(language: str, text: str) -> None:
    assert check_question(text) == ADVICE


@pytest.mark.parametrize(("language", "text"), _table(TOPIC_FRAMES))
def test_the_same_frames_about_a_topic_are_fair(language: str, text: str) -> None:
    assert check_question(text) is None


@pytest.mark.parametrize(("language", "text"), _table(STACKED))
def test_stacked_questions_get_one_at_a_time(language: str, text: str) -> None:
    assert check_question(text) == SEVERAL


@pytest.mark.parametrize(("language", "text"), _table(SINGLE))
def test_one_question_with_a_comma_or_and_is_one(language: str, text: str) -> None:
    assert check_question(text) is None


@pytest.mark.parametrize(("language", "text"), _table(OPEN_MODAL))
def test_a_modal_governed_by_an_open_question_is_fair(language: str, text: str) -> None:
    assert check_question(text) is None


@pytest.mark.parametrize(("language", "text"), _table(OTHER_ADVICE))
def test_steps_not_taken_and_own_plans_are_advice(language: str, text: str) -> None:
    assert check_question(text) == ADVICE
