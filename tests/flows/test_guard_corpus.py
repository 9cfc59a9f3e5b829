"""The guard on its labelled corpus (tests/guard_corpus): targets on the held-aside part, and
verdicts that politeness or a missing question mark do not change."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.guard import check_question
from tests.guard_corpus import FAIR_CLASSES, LANGUAGES, NUDGE_CLASSES, PARTS, load, score

TARGET_PRECISION, TARGET_RECALL = 0.95, 0.90


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_held_aside_part_meets_the_targets(language: str) -> None:
    result = score(load("held_aside", language))
    assert result.precision >= TARGET_PRECISION, f"{language}: precision {result.precision:.3f}"
    assert result.recall >= TARGET_RECALL, f"{language}: recall {result.recall:.3f}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tuning_part_meets_the_targets(language: str) -> None:
    result = score(load("tuning", language))
    assert result.precision >= TARGET_PRECISION, result.false_nudges
    assert result.recall >= TARGET_RECALL, result.missed


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_enough_lines_half_fair_half_nudge(language: str) -> None:
    lines = [line for part in PARTS for line in load(part, language)]
    fair = sum(line.cls in FAIR_CLASSES for line in lines)
    assert len(lines) >= 150
    assert abs(fair - len(lines) / 2) <= 0.05 * len(lines)
    for part in PARTS:
        classes = {line.cls for line in load(part, language)}
        assert classes == FAIR_CLASSES | NUDGE_CLASSES, (part, classes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_parts_share_no_line(language: str) -> None:
    tuning = {line.text for line in load("tuning", language)}
    assert not tuning & {line.text for line in load("held_aside", language)}


# Questions carried by their mark alone: an elliptical "And the weekends?" or a declarative
# "It's not too heavy for you?" is no question without it, so its verdict may change.
MARKED_ONLY = {
    "Et les week-ends ?",
    "Et les autres sites, même problème ?",
    "Ce n'est pas trop lourd pour toi ?",
    "وباقي المواقع، نفس المشكلة؟",
}
TUNING = [line.text for language in LANGUAGES for line in load("tuning", language)]
ONE_QUESTION = [t for t in TUNING if len(re.findall("[?؟]+", t)) == 1 and t not in MARKED_ONLY]
BEFORE = [
    "please ", "Please, ", "pls ", "Just wondering, ", "just wondering ", "🙏 ", "😅 ", "stp ",
    "s'il vous plaît, ", "juste par curiosité, ", "لو سمحت، ", "من فضلك ",
]  # fmt: skip
AFTER = [" please", " pls", " 🙏", " 🙂🙂", " stp", " svp", " من فضلك", " لو سمحت", "!"]


def _nudged(text: str) -> bool:
    return check_question(text) is not None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TUNING), st.sampled_from(BEFORE), st.sampled_from(AFTER))
def test_polite_padding_changes_no_verdict(text: str, before: str, after: str) -> None:
    verdict = check_question(text)
    assert check_question(before + text) == verdict
    assert check_question(text + after) == verdict
    assert _nudged(before + text + after) == (verdict is not None)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ONE_QUESTION))
def test_removing_the_question_mark_changes_no_verdict(text: str) -> None:
    assert _nudged(re.sub("[?؟]+", "", text)) == _nudged(text)
