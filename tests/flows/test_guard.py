"""Tests for flows.guard: the questions-only rule in English, French and Arabic."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.guard import (
    MAX_QUESTION_CHARS,
    MAX_QUESTION_WORDS,
    GuardReason,
    check_question,
    count_questions,
    normalise,
)

ADVICE = GuardReason.ADVICE
BECAUSE = GuardReason.BECAUSE
NOT_A_QUESTION = GuardReason.NOT_A_QUESTION
SEVERAL = GuardReason.SEVERAL_QUESTIONS
TOO_LONG = GuardReason.TOO_LONG

FAIR_EN = [
    "What have you tried so far?",
    "Why does the team resist?",
    "What would success look like?",
    "How could you find out?",
    "Who else is affected by this?",
    "What options do you see?",
    "What do you think you should do next?",
    "How did the nurses react when you raised it?",
    "what did you try",
    "When did you first notice the problem ?",
    "What's stopping you? 🙏",
    "Why not?",
    "What else have you considered?",
    "Could you tell us more about the supply chain?",
    "Do you have to report to the ministry?",
    "What would it take for the district team to agree?",
    "What happened because of the new policy?",
    "What could cause the delays at the warehouse?",
    "Tell us more about the handover",
    "Is the car available for field visits?",
    "How does your shoulder feel after the long drive?",
    "What if they refuse?",
    "What if you fail?",
    "@amina what did you notice?",
    "What is the root cause, in your view?",
    "Is there anything you could try differently?",
    "If you need to leave early, who covers the clinic?",
    "Why don't you feel supported?",
    "So what did you try",
    "Thanks Sam, what did you try",
    "What did you try?? 😅",
    "Was it the manager? Or the team?",
    "Could you say more about how the community reacted?",
    "What support do you need from us?",
    "I wonder what the nurses would say",
    "What would happen if you did nothing?",
    "Where does the money come from?",
    "How do you feel about it\u2019s impact on the team?",
    "What do you mean by 'resistance'? https://example.org/page?id=3",
]

ADVICE_EN = [
    "Have you tried talking to the district officer?",
    "Why don't you ask the nurses directly?",
    "Why not just escalate it?",
    "You should speak to HR.",
    "You could rotate the night shifts?",
    "Don't you think the manager is the real problem?",
    "Wouldn't it be better to wait until the budget is approved?",
    "Would it not be better to involve the community leaders?",
    "Isn't it better to start small?",
    "What if you just asked them?",
    "If I were you I'd talk to the donor.",
    "I'd suggest a meeting with everyone?",
    "My advice: document everything",
    "Have you considered hiring a translator?",
    "Have you thought about a rota?",
    "Could you just call them?",
    "You need to set boundaries?",
    "You ought to rest?",
    "Thanks for sharing, have you tried mediation?",
    "how about asking the community health workers?",
    "ok so have u tried a whiteboard",
    "dont you think its too early?",
    "wouldnt it help to pilot first?",
    "shouldn't you tell your supervisor?",
    "Did you try calling the pharmacy?",
    "Why didn't you tell the team?",
    "Do you think you should resign?",
    "Would you consider a job share?",
    "Maybe try a weekly huddle?",
    "Try asking the midwives?",
    "I think you must escalate this",
    "Isn't it time to hand over?",
    "It might be worth checking the stock records?",
]

BECAUSE_EN = [
    "Is it because they're tired?",
    "Why are they late, because the bus is slow?",
    "Do they resist 'cause they weren't consulted?",
    "Do you think they left cuz the pay is low?",
    "Could it be because of the workload?",
    "Are they quiet cause they are scared?",
    "Did the meeting fail b/c nobody prepared?",
    "Is the team upset because nobody asked them?",
    "Do they avoid you because of the last audit?",
    "Are the volunteers leaving because the stipend stopped?",
]

SEVERAL_EN = [
    "What did you try? What happened next?",
    "Who decides? And who pays?",
    "How do you feel?\nWhat do you need?",
    "what did you try. how did it go",
    "Why? How?",
    "What worked ? What didn't ?",
    "Who is involved? What do they want? When is the deadline?",
    "Really?! What happened next?",
    "what did they say\nhow did you respond",
    "What is the budget? who holds it?",
]

NOT_A_QUESTION_EN = [
    "I had the same problem last year.",
    "Thanks for sharing",
    "Great point",
    "When I arrived the clinic was closed",
    "What a difficult week.",
    "Same here, the supply chain is a mess",
    "The nurses are exhausted",
    "lol",
    "Good luck with the meeting tomorrow!",
    "I see. That sounds hard.",
    "I left because I was tired.",
]

FAIR_FR = [
    "Qu'avez-vous déjà essayé ?",
    "Pourquoi l'équipe résiste-t-elle ?",
    "Qu'est-ce que vous avez essayé jusqu'ici ?",
    "Comment l'équipe a réagi ?",
    "Quelles options voyez-vous ?",
    "Qui d'autre est concerné ?",
    "quest ce qui vous bloque",
    "Que feriez-vous si vous aviez plus de temps ?",
    "Comment pourriez-vous le savoir ?",
    "Pourquoi ?",
    "Pourquoi pas ?",
    "Qu'est ce que tu as essaye",
    "Vous pourriez nous en dire plus ?",
    "Quand avez-vous remarqué le problème ?",
    "Qu'est-ce qui se passerait si vous ne faisiez rien ?",
    "Tu as essayé quoi ?",
    "Où en êtes-vous avec le budget ?",
    "Combien de personnes sont concernées ?",
    "Est-ce que la voiture est disponible ?",
    "Dites-nous en plus sur l'équipe",
    "De quoi avez-vous besoin ?",
    "Qu\u2019est-ce qui a changé à cause de la nouvelle politique ?",
    "Et comment les infirmières ont réagi ?",
    "Avez-vous pu dormir cette semaine ?",
    "Pourquoi tu ne te sens pas soutenu ?",
    "Qu'est-ce que tu devrais faire selon toi ?",
]

ADVICE_FR = [
    "Avez-vous essayé de parler au chef ?",
    "Avez vous essaye de parler au chef?",
    "As-tu pensé à demander de l'aide ?",
    "Tu as essayé de changer les horaires ?",
    "Avez-vous envisagé une rotation ?",
    "Pourquoi ne pas organiser une réunion ?",
    "Pourquoi tu ne demandes pas au directeur ?",
    "Pourquoi vous n'appelez pas le district ?",
    "pourquoi tu demandes pas a ton chef",
    "Vous devriez en parler à votre superviseur.",
    "Tu devrais te reposer ?",
    "Il faudrait former les agents, non ?",
    "Il faut que tu parles au chef ?",
    "Ne pensez-vous pas que c'est trop tôt ?",
    "Tu ne crois pas qu'il faut attendre ?",
    "Ne serait-il pas mieux d'attendre ?",
    "Ce ne serait pas mieux de commencer petit ?",
    "Ne vaudrait-il pas mieux déléguer ?",
    "Et si vous demandiez aux infirmières ?",
    "À votre place, j'appellerais le donateur.",
    "a ta place j'appellerais le donateur",
    "Je vous conseille de tout documenter",
    "Je suggère une réunion ?",
    "Est-ce que vous avez pensé à la radio ?",
    "Vous ne pensez pas que le chef est le problème ?",
    "Tu pourrais demander au district ?",
]

BECAUSE_FR = [
    "Est-ce qu'ils résistent parce qu'ils ont peur ?",
    "Ils sont en retard parce que le bus est lent ?",
    "Pourquoi ils partent, car ils sont mal payés ?",
    "Est-ce à cause de la charge de travail ?",
    "Ils ne viennent pas puisque personne ne les paie ?",
    "Est ce qu'ils sont partis parceque le salaire est bas ?",
    "Ils refusent vu qu'on ne les a pas consultés ?",
    "Est-ce qu'elle est fâchée car tu ne l'as pas invitée ?",
    "Ils sont fatigués psk ils travaillent la nuit ?",
    "Est-ce que c'est a cause du chef ?",
]

SEVERAL_FR = [
    "Qu'avez-vous essayé ? Qu'est-ce qui a marché ?",
    "Pourquoi ? Et comment ?",
    "Qui décide ? Qui paie ?",
    "Comment vous sentez-vous ?\nDe quoi avez-vous besoin ?",
    "Qu'est-ce qui bloque ? Qui peut aider ?",
    "Où ? Quand ?",
    "Comment ça s'est passé ? Et après ?",
    "C'était quand ? Avec qui ?",
    "Quel est le budget ? Qui le gère ?",
    "comment ca va. qu'est ce qui bloque",
]

NOT_A_QUESTION_FR = [
    "Merci pour le partage",
    "J'ai eu le même problème l'an dernier.",
    "Bon courage à toute l'équipe 💪",
    "quand je suis arrivé la clinique était fermée",
    "C'est très intéressant",
    "D'accord, je comprends",
    "Les infirmières sont épuisées.",
    "Moi aussi",
    "Super idée !",
    "Je suis parti car j'étais fatigué.",
]

FAIR_AR = [
    "ما الذي جربته حتى الآن؟",
    "لماذا يقاوم الفريق؟",
    "كيف تشعر حيال ذلك؟",
    "ماذا تحتاج من الإدارة؟",
    "من غيرك متأثر بهذا؟",
    "متى لاحظت المشكلة أول مرة؟",
    "ما هي الخيارات المتاحة أمامك؟",
    "كيف يمكنك أن تعرف؟",
    "شو جربت لحد هلأ؟",
    "ليش الفريق مش متعاون؟",
    "لماذا لا يحضر الموظفون الاجتماعات؟",
    "ما الذي يجب أن يحدث حتى تنجح الخطة؟",
    "كيف جربت الحل",
    "ماذا حدث بسبب القرار الجديد؟",
    "مَاذَا جَرَّبْتَ؟",
    "اشرح لنا اكثر عن الفريق",
    "ماذا لو رفض الفريق؟",
    "وكيف كان رد فعل الممرضات؟",
    "ما رأيك في الوضع الحالي؟",
    "هل السيارة متاحة للزيارات الميدانية؟",
    "لماذا لا تشعر بالدعم؟",
    "ماااذا جربت؟",
]

ADVICE_AR = [
    "هل جربت التحدث مع المدير؟",
    "هل جربتم تغيير الجدول؟",
    "جربت تحكي مع المسؤول؟",
    "هل فكرت في طلب المساعدة؟",
    "هل فكرتم بتوظيف متطوعين؟",
    "لماذا لا تتحدث مع المشرف؟",
    "ليش ما تحكي مع المدير؟",
    "لماذا لم تخبر الفريق؟",
    "يجب عليك أن ترتاح",
    "عليك أن تتحدث معهم؟",
    "ينبغي أن تبلغ الإدارة؟",
    "لازم تحكي مع المدير",
    "ألا تعتقد أن المدير هو المشكلة؟",
    "ألا تظن أن الوقت مبكر؟",
    "ما رأيك في أن تطلب اجتماعا؟",
    "أليس من الأفضل الانتظار؟",
    "ألن يكون أفضل أن تبدأ صغيرا؟",
    "لو كنت مكانك لتحدثت مع المانح",
    "أنصحك بتوثيق كل شيء",
    "أقترح عليك اجتماعا مع الجميع؟",
    "ماذا لو تحدثت مع الممرضات؟",
    "مش أحسن تستنى شوي؟",
    "الا تعتقد ان المدير هو المشكله",
    "اليس من الافضل الانتظار؟",
    "هل سبق أن جربت العمل بنظام المناوبات؟",
    "من الأفضل أن تتكلم مع المشرف؟",
]

BECAUSE_AR = [
    "هل يقاومون لأنهم خائفون؟",
    "هل تأخروا لان الباص بطيء؟",
    "هل هو بسبب ضغط العمل؟",
    "هل تركوا العمل لأن الرواتب قليلة؟",
    "هل غضبوا لأنك لم تدعهم؟",
    "هل استقالت لانها متعبة؟",
    "هل رفضوا بما أنهم لم يستشاروا؟",
    "ليش زعلانين؟ لأنو ما حدا سألهم؟",
    "هل المشكلة بسبب المدير؟",
    "هل تأخر التقرير لأن البيانات ناقصة؟",
]

SEVERAL_AR = [
    "ماذا جربت؟ وماذا حدث بعد ذلك؟",
    "لماذا؟ وكيف؟",
    "من يقرر؟ ومن يدفع؟",
    "كيف تشعر؟\nماذا تحتاج؟",
    "ما هي الميزانية؟ من يديرها؟",
    "متى؟ وأين؟",
    "شو صار؟ وشو عملت؟",
    "كيف كان الاجتماع ؟ ماذا قالوا ؟",
    "ماذا جربت\nكيف كانت النتيجة",
    "هل كنت حاضرا؟ ماذا قالوا؟",
]

NOT_A_QUESTION_AR = [
    "شكرا على المشاركة",
    "واجهت نفس المشكلة العام الماضي",
    "الله يعطيك العافية",
    "ما عندي وقت اليوم",
    "الممرضات متعبات جدا",
    "فكرة ممتازة",
    "من الصعب جدا العمل في هذه الظروف",
    "أنا موافق",
    "الوضع صعب 😔",
    "تأخرت لأنني كنت مريضا.",
]

MIXED = [
    ("What did you try? Pourquoi ?", SEVERAL),
    ("Merci! have you tried talking to HR?", ADVICE),
    ("OK, avez-vous essayé le téléphone?", ADVICE),
    ("Thanks! هل جربت التحدث مع المدير؟", ADVICE),
    ("Question pour toi : qu'est-ce qui te bloque ?", None),
    ("Yalla, شو جربت؟", None),
]

EDGE = [
    ("", None),
    ("   \n\t ", None),
    ("👍", None),
    ("+1", None),
    ("???", None),
    ("/next", None),
    ("/help@ActionBot what", None),
    ("why not", None),
    ("Is the car parked on the road because of the rain?", BECAUSE),
    ("Why not?!", None),
    ("What\u200b have you tried?", None),
    ("ＷＨＡＴ ＤＩＤ ＹＯＵ ＴＲＹ？", None),
    ("What did you try…", None),
    ("\u202bلماذا يقاوم الفريق؟\u202c", None),
]


def _cases(
    expected: GuardReason | None, *tables: list[str]
) -> list[tuple[str, GuardReason | None]]:
    """Pair every text of the tables with the expected reason."""
    return [(text, expected) for table in tables for text in table]


CASES = (
    _cases(None, FAIR_EN, FAIR_FR, FAIR_AR)
    + _cases(ADVICE, ADVICE_EN, ADVICE_FR, ADVICE_AR)
    + _cases(BECAUSE, BECAUSE_EN, BECAUSE_FR, BECAUSE_AR)
    + _cases(SEVERAL, SEVERAL_EN, SEVERAL_FR, SEVERAL_AR)
    + _cases(NOT_A_QUESTION, NOT_A_QUESTION_EN, NOT_A_QUESTION_FR, NOT_A_QUESTION_AR)
    + MIXED
    + EDGE
)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_check_question(text: str, expected: GuardReason | None) -> None:
    assert check_question(text) == expected


@pytest.mark.parametrize(
    "table",
    [FAIR_EN, ADVICE_EN, FAIR_FR, ADVICE_FR, FAIR_AR, ADVICE_AR],
)
def test_each_language_has_enough_cases(table: list[str]) -> None:
    assert len(table) >= 10


@pytest.mark.parametrize(
    "text",
    [
        "Does your shoulder still hurt?",
        "Why nothing happened after the audit?",
        "Whatever happened to the old rota?",
        "Is the cardiology ward open?",
        "How did the caravan arrive?",
        "Who caused the delay?",
    ],
)
def test_word_boundaries(text: str) -> None:
    assert check_question(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You should talk to HR. Have you tried? Because they help.", ADVICE),
        ("Have you tried this? And that?", ADVICE),
        ("Because I said so", NOT_A_QUESTION),
        ("Is it because they're tired? Or bored?", BECAUSE),
        ("Why? Because?", BECAUSE),
        ("Why? How? " + "word " * 60 + "?", SEVERAL),
    ],
)
def test_precedence(text: str, expected: GuardReason) -> None:
    assert check_question(text) == expected


def test_too_long_threshold() -> None:
    short = "What " + "is " * (MAX_QUESTION_WORDS - 2) + "it?"
    long = "What " + "is " * MAX_QUESTION_WORDS + "it?"
    assert check_question(short) is None
    assert check_question(long) == TOO_LONG
    assert check_question("What " + "x" * MAX_QUESTION_CHARS + "?") == TOO_LONG


def test_normalise() -> None:
    assert normalise("Avez\u2011vous  ESSAYÉ ?") == "avez vous essaye ?"
    assert normalise("أَلَا تَعْتَقِدُ أنّ المشكلةَ…؟") == "الا تعتقد ان المشكله...?"
    assert normalise("Qu’est-ce\n\n  que   ça") == "qu'est ce\nque ca"
    assert normalise("see https://t.me/x?y=1 @bob ok") == "see ok"


def test_count_questions_ignores_doubled_marks_and_emoji() -> None:
    assert count_questions(normalise("What?!?! 🙈 ??")) == 1
    assert count_questions(normalise("Pourquoi ? ?")) == 1
    assert count_questions(normalise("Thanks.")) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How about you?", None),  # asking after the person, not proposing
        ("How about you call them?", ADVICE),
        ("Can you just clarify what you mean?", None),  # a request for clarity
        ("Would you consider that a success?", None),
        ("Tu pourrais m'expliquer ?", None),
        ("Est-ce que tu dois rendre le rapport vendredi ?", None),  # obligation, not advice
        ("Et si tu échoues ?", None),  # exploring consequences
        ("Que diriez-vous de parler au chef ?", ADVICE),
        ("Que diriez-vous de la situation ?", None),
        ("ليش ما في دعم؟", None),  # "why is there no support?"
        ("شو رأيك؟", None),
        ("شو رأيك تحكي معه؟", ADVICE),
        ("هل اقترح المدير حلا؟", None),  # "did the manager propose a solution?"
        ("ou alors on attend", NOT_A_QUESTION),  # "ou" = "or", not "où"
        ("Do it now", NOT_A_QUESTION),
        ("Can we move on", None),
        ("y a-t-il d'autres options", None),
        ("من المسؤول عن هذا", None),
    ],
)
def test_judgement_calls(text: str, expected: GuardReason | None) -> None:
    assert check_question(text) == expected


VOCABULARY = ["team", "budget", "clinic", "nurses", "équipe", "réunion", "الفريق", "الميزانية"]
WORDS = st.one_of(
    st.sampled_from(VOCABULARY),
    # No vowels and no b/c/p, so no real word and no SMS "psk", "bcz" can appear by chance.
    st.text(alphabet="dfghjklmnrstvxz", min_size=1, max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_is_deterministic(text: str) -> None:
    first = check_question(text)
    assert first is None or isinstance(first, GuardReason)
    assert check_question(text) == first


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=20), st.integers(min_value=500, max_value=3000))
def test_huge_text_never_raises(chunk: str, times: int) -> None:
    first = check_question(chunk * times)
    assert first is None or isinstance(first, GuardReason)


def test_huge_and_control_characters() -> None:
    assert check_question("What " * 200_000 + "?") == TOO_LONG
    assert check_question("a" * 1_000_000) == NOT_A_QUESTION
    assert check_question("\x00\x01\x1b\x7f\ud800?" * 5000) is None
    assert check_question("\x00What\x1b did you\x7f try\ud800?") is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(WORDS, min_size=MAX_QUESTION_WORDS + 1, max_size=MAX_QUESTION_WORDS + 20),
    st.sampled_from(["What about ", "", "Comment ", "كيف "]),
    st.sampled_from(["?", " ?", "؟", "? 🙏"]),
)
def test_long_word_questions_are_too_long(words: list[str], start: str, end: str) -> None:
    assert check_question(start + " ".join(words) + end) == TOO_LONG


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(FAIR_EN + FAIR_FR + FAIR_AR), st.sampled_from(["", " ", " 🙏", "\n", "!"]))
def test_trailing_noise_keeps_fair_questions_fair(text: str, tail: str) -> None:
    assert check_question(text + tail) is None


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_fast_path_folds_like_the_general_one(text):
    import unicodedata

    from flows import guard

    decomposed = unicodedata.normalize("NFD", text)
    general = "".join(
        c for c in decomposed if c.isspace() or unicodedata.category(c) not in guard._DROPPED
    ).translate(guard._ARABIC)
    assert guard._fold(text) == general


GROUPED = ["ADVICE_ANYWHERE", "ADVICE_UNLESS_OPEN", "BECAUSE_ANYWHERE", "BECAUSE_UNLESS_OPEN"]
EVERY_TABLE_TEXT = [text for text, _ in CASES]


def _any_source_matches(name: str, text: str) -> bool:
    import re

    from flows import guard, guard_patterns

    return any(re.search(guard._fold(s), text) for s in getattr(guard_patterns, name))


@pytest.mark.parametrize("name", GROUPED)
def test_grouping_at_word_starts_changes_no_verdict(name: str) -> None:
    from flows import guard

    grouped = getattr(guard._EVERY_SCRIPT, name.lower())
    for text in EVERY_TABLE_TEXT:
        for part in [normalise(text), *guard._clauses(normalise(text))]:
            assert bool(grouped.search(part)) == _any_source_matches(name, part), (name, part)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "why",
                "don't",
                "you",
                "not",
                "just",
                "try",
                "pourquoi",
                "ne",
                "pas",
                "vous",
                "devriez",
                "لماذا",
                "لا",
                "لأن",
                "بسبب",
                "because",
                "cause",
                "'cause",
                "x",
                "?",
            ]
        ),  # fmt: skip
        max_size=8,
    ),
    st.sampled_from([" ", ", ", "'", " ("]),
)
def test_grouping_agrees_with_the_sources_on_word_salad(words: list[str], glue: str) -> None:
    from flows import guard

    text = normalise(glue.join(words))
    for name in GROUPED:
        searched = getattr(guard._EVERY_SCRIPT, name.lower())
        assert bool(searched.search(text)) == _any_source_matches(name, text)
