"""Unit tests of flows.action_words and the holder's own lines joining their action."""

from __future__ import annotations

import pytest

from flows.action_words import follow_on
from flows.steps import parse_action

SIGNS = [
    ("and I'll know it worked if she agrees to a rota", "she agrees to a rota"),
    ("I will know it has worked when the night shift stays", "the night shift stays"),
    ("We’ll know because reports arrive on Monday", "reports arrive on Monday"),
    ("it worked if nobody leaves before 7", "nobody leaves before 7"),
    ("Je saurai que ça a marché si elle accepte", "elle accepte"),
    ("et on saura quand les rapports arrivent lundi", "les rapports arrivent lundi"),
    ("ça aura marché si personne ne part avant 19h", "personne ne part avant 19h"),
    ("سأعرف أنه نجح إذا وافقت على الجدول", "وافقت على الجدول"),
    ("وساعرف عندما تصل التقارير يوم الاثنين", "تصل التقارير يوم الاثنين"),
]
HELP = [
    ("I need Ben to cover the ward", "Ben to cover the ward"),
    ("and I'll need help from the district nurse", "the district nurse"),
    ("J’ai besoin de Ben pour la garde", "Ben pour la garde"),
    ("il me faudra l'accord du médecin chef", "l'accord du médecin chef"),
    ("أحتاج إلى مساعدة بن في المناوبة", "مساعدة بن في المناوبة"),
    ("احتاج موافقة المدير", "موافقة المدير"),
]
NEITHER = [
    "Thanks everyone, this helped",
    "Who will know about it?",
    "Merci à tous",
    "شكرا لكم جميعا",
    "I know the nurse well",
]


@pytest.mark.parametrize(("line", "words"), SIGNS)
def test_how_i_will_know_is_the_success_sign(line, words):
    assert follow_on(line) == ("success_sign", words)


@pytest.mark.parametrize(("line", "words"), HELP)
def test_what_i_need_is_the_help_needed(line, words):
    assert follow_on(line) == ("help_needed", words)


@pytest.mark.parametrize("line", NEITHER)
def test_other_lines_add_nothing(line):
    assert follow_on(line) is None


def test_an_action_in_lines_reads_each_part():
    draft = parse_action(
        "Call the district nurse on Monday\nI'll know it worked if she agrees\nI need Ben's number",
        7,
    )
    assert (draft.text, draft.success_sign, draft.help_needed) == (
        "Call the district nurse on Monday",
        "she agrees",
        "Ben's number",
    )


def test_pipes_still_work_and_other_lines_stay_in_the_action():
    assert parse_action("Call her | she agrees | Ben", 1).success_sign == "she agrees"
    kept = parse_action("Call her\nthen write it down", 1)
    assert kept.text == "Call her\nthen write it down" and kept.success_sign is None
